/*
 * scan.h - what the parts of `mailtls scan` share: one scanned message, the
 * display facts of a hop, and the three writers (JSON lines, table,
 * summary).
 *
 * A writer gets each message as it is scanned (struct mt_scan_msg: borrowed,
 * valid during the call) and writes to the FILE it was given; it returns
 * MT_OK, MT_ENOMEM, or MT_EIO when the output failed.
 */
#ifndef MT_SCAN_H
#define MT_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hops.h"
#include "text.h"
#include "tls.h"

struct mt_scan_msg {
    const char *source; /* file name */
    size_t index;       /* message number in an mbox; 0: the file is one message */
    const struct mt_hops *hops;
};

/* One hop as the writers show it. */
struct mt_hop_view {
    struct mt_span host;    /* reverse-DNS name when given, else the first word after "from" */
    struct mt_span helo;    /* the HELO name when the header shows it apart from host */
    struct mt_span ip;      /* the sender's address */
    const char *protocol;   /* "TLSv1.2", "SSLv3-TLSv1.2" (a range), or NULL */
    const char *cipher;     /* canonical IANA name, or NULL */
    const char *cipher_raw; /* as written, or NULL */
    enum mt_tri pfs;
    enum mt_verdict verdict;
    char protobuf[24];
};

/* Fills v from hop r. */
void mt_hop_view(const struct mt_received *r, struct mt_hop_view *v);

/* "source" or "source:index" into t (cleaned for terminals when flags say). */
enum mt_status mt_scan_source(struct mt_text *t, const struct mt_scan_msg *m, unsigned flags);

/* JSON lines: one object per message (DESIGN.md "Machine-readable output"). */
enum mt_status mt_scan_json(FILE *out, const struct mt_scan_msg *m, struct mt_text *scratch);

/* The table: rows are buffered to size the columns, then printed. */
struct mt_scan_table;
struct mt_scan_table *mt_scan_table_new(FILE *out);
enum mt_status mt_scan_table_add(struct mt_scan_table *t, const struct mt_scan_msg *m);
enum mt_status mt_scan_table_finish(struct mt_scan_table *t);
void mt_scan_table_free(struct mt_scan_table *t);

/* The summary: counts per verdict, protocol, cipher and sending domain. */
struct mt_summary;
struct mt_summary *mt_summary_new(void);
enum mt_status mt_summary_add(struct mt_summary *s, const struct mt_scan_msg *m);
/* Prints the counts as tables (at most top rows per table, 0: all) or as one JSON object. */
enum mt_status mt_summary_print(const struct mt_summary *s, FILE *out, bool json, size_t top);
void mt_summary_free(struct mt_summary *s);

#endif
