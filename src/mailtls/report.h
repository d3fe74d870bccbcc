/*
 * report.h - the writers of `mailtls report`, one file each.
 *
 * report.c reads the logs, runs the correlator and feeds struct mt_stats
 * (or, with --db, report_db.c reads the store's observations instead);
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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "stats.h"

/*
 * What the report was made from, for headings and the input section.
 *
 * From the store (--db, report_db.c) there are messages only, and inbound
 * ones only: no_connections and no_outbound are then set, and every writer
 * shows the connection figures (connections, failed handshakes, plaintext
 * after a failed handshake) and the outbound ones as not available - "n/a"
 * or a sentence in text and HTML, null in JSON, no sample in Prometheus, no
 * row in CSV - never as zeros that would read as facts.
 */
struct mt_report_info {
    const char *const *files; /* the LOG arguments, in order */
    int nfiles;
    const char *database; /* --db: the store read (its URI), else NULL */
    bool no_connections;  /* the input has no connection records */
    bool no_outbound;     /* the input has no outbound deliveries */
    uint64_t lines;       /* lines read */
    uint64_t bad_lines;   /* lines that were not log lines */
    int64_t since;        /* --since, or INT64_MIN */
    int64_t until;        /* --until (exclusive), or INT64_MAX */
    int64_t now;          /* when the report was made */
    int top;              /* rows per domain table in text, HTML and Prometheus */
    bool color;           /* ANSI colour in text output */
};

int mt_report_text(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_json(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_csv(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_prom(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);
int mt_report_html(FILE *f, const struct mt_stats *s, const struct mt_report_info *info);

/* One --events line for a message event. */
int mt_report_event_json(FILE *f, const struct mt_event *ev);

/* Why figures are missing from a report made from the store (--db). */
#define MT_REPORT_NA_CONNS                                                                         \
    "not available: the store records messages, not SMTP connections; the MTA's log has them"
#define MT_REPORT_NA_OUT "not available: the store records inbound messages only"

struct mt_ctx;

/*
 * report_db.c: the input of `mailtls report --db`. Loads the configuration
 * (ctx), opens the store its `database` names (never creating it) and hands
 * every observation with since <= time < until to sink->message as the
 * inbound event mt_store_observation_event() makes of it. Copies the URI
 * into dbname (dbnamesz bytes) for the report's heading. Returns EX_OK, or
 * prints the error and
 * returns its exit status: 78 (configuration, or a store of a newer
 * mailtls), 66 (no store yet), 75 (busy, locked or unreadable), 74 (any
 * other database error), 70 (out of memory).
 */
int mt_report_db_read(struct mt_ctx *ctx, int64_t since, int64_t until, const struct mt_sink *sink,
                      char *dbname, size_t dbnamesz);

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
