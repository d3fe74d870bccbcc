/*
 * report.h - the writers of `mailtls report`, one file each.
 *
 * report.c reads the logs, runs the correlator and feeds struct mt_stats;
 * then one writer turns the aggregates into the chosen format:
 *   report_text.c   terminal tables (colour when asked)
 *   report_json.c   --json aggregates and --events (one JSON object per line)
 *   report_csv.c    --csv per-domain table (RFC 4180)
 *   report_prom.c   --prometheus text exposition format
 *   report_html.c   --html one self-contained page with inline SVG charts
 * Writers print to the FILE given and return 0, or -1 when writing failed
 * (the caller checks ferror and maps it to EX_IOERR). They never exit.
 * Times are printed in UTC.
 */
#ifndef MT_REPORT_H
#define MT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "stats.h"

/* What the report was made from, for headings and the input section. */
struct mt_report_info {
    const char *const *files; /* the LOG arguments, in order */
    int nfiles;
    uint64_t lines;     /* lines read */
    uint64_t bad_lines; /* lines that were not log lines */
    int64_t since;      /* --since, or INT64_MIN */
    int64_t until;      /* --until (exclusive), or INT64_MAX */
    int64_t now;        /* when the report was made */
    int top;            /* rows per domain table in text, HTML and Prometheus */
    bool color;         /* ANSI colour in text output */
};

int mt_report_text(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_json(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_csv(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_prom(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_html(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);

/* One --events line for a message event. */
int mt_report_event_json(FILE *f, const struct mt_event *ev);

/* Helpers shared by the writers (report_util.c). */

/* "2024-10-23T21:23:27Z" into dst (at least 21 bytes); "" for t == 0. */
void mt_report_time_str(int64_t t, char dst[32]);

/* part/whole as a fraction, 0 when whole is 0. */
double mt_report_share(uint64_t part, uint64_t whole);
/* part of whole as "97.1%" in buf (size sz), or "-" when whole is 0; returns buf. */
const char *mt_report_pct(char *buf, size_t sz, uint64_t part, uint64_t whole);

/* Protocol names for the table index of stats (index 0 = "unknown"). */
const char *mt_report_proto_name(unsigned i);

/* Message status names ("received", "sent", ...). */
const char *mt_report_status_name(unsigned i);

/* Connection outcome names ("tls", "plaintext", "failed_tls"). */
const char *mt_report_outcome_name(unsigned i);

#endif
