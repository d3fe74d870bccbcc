/*
 * report_text.c - the default output of `mailtls report`: readable tables.
 *
 * Sections: totals; connections; inbound by sending domain; outbound by
 * receiving domain; protocol, cipher and verdict distributions; failed
 * handshakes; per-day trend; downgrade suspects. Shares of protocols and
 * forward secrecy are of the TLS messages, verdict shares of all messages.
 * ANSI colour (bold headings, TLS shares and verdicts coloured by how good
 * they are) only when info->color says so (stdout a terminal, NO_COLOR unset).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define BOLD   "\033[1m"
#define RED    "\033[31m"
#define YELLOW "\033[33m"
#define GREEN  "\033[32m"
#define RESET  "\033[0m"

struct out {
    FILE *f;
    bool color;
    bool no_conns, no_out; /* figures the input cannot have (report.h) */
};

/* The line that stands for a section the input cannot fill. */
static void
not_available(const struct out *o, const char *why)
{
    fprintf(o->f, "  (%s)\n", why);
}

/* Prints s padded to width w (negative: left-aligned) in colour c (or none). */
static void
cell(const struct out *o, int w, const char *c, const char *s)
{
    if (o->color && c != NULL)
        fputs(c, o->f);
    fprintf(o->f, "%*s", w, s);
    if (o->color && c != NULL)
        fputs(RESET, o->f);
}

/* A section heading. */
static void
heading(const struct out *o, const char *title, size_t shown, size_t total)
{
    fputc('\n', o->f);
    if (o->color)
        fputs(BOLD, o->f);
    fputs(title, o->f);
    if (total > shown)
        fprintf(o->f, " (top %zu of %zu)", shown, total);
    if (o->color)
        fputs(RESET, o->f);
    fputc('\n', o->f);
}

/* Colour of a TLS or PFS share: green from 95%, yellow from 50%, else red. */
static const char *
share_color(uint64_t part, uint64_t whole)
{
    double s = mt_report_share(part, whole);

    if (whole == 0)
        return NULL;
    return s >= 0.95 ? GREEN : s >= 0.5 ? YELLOW : RED;
}

/* Colour of a verdict. */
static const char *
verdict_color(enum mt_verdict v)
{
    switch (v) {
    case MT_VERDICT_OK:
        return GREEN;
    case MT_VERDICT_LEGACY:
    case MT_VERDICT_DEPRECATED:
        return YELLOW;
    case MT_VERDICT_INSECURE:
    case MT_VERDICT_PLAINTEXT:
        return RED;
    case MT_VERDICT_UNKNOWN:
        break;
    }
    return NULL;
}

#define COUNTS_HEAD "%-32s %8s %7s %7s %7s %7s %7s %7s %7s %7s %7s %7s %7s\n"

/* The header of a counters table. */
static void
counts_header(const struct out *o, const char *first)
{
    fprintf(o->f, COUNTS_HEAD, first, "msgs", "TLS", "v1.3", "v1.2", "<=v1.1", "PFS", "ok",
            "legacy", "deprec", "insec", "plain", "unknown");
}

/* One counters row (a direction's totals or a domain). */
static void
counts_row(const struct out *o, const char *name, const struct mt_stats_counts *c)
{
    static const enum mt_verdict vs[] = { MT_VERDICT_OK,         MT_VERDICT_LEGACY,
                                          MT_VERDICT_DEPRECATED, MT_VERDICT_INSECURE,
                                          MT_VERDICT_PLAINTEXT,  MT_VERDICT_UNKNOWN };
    uint64_t tls = c->tls[MT_TRI_YES];
    uint64_t old = c->proto[MT_PROTO_TLS11] + c->proto[MT_PROTO_TLS10] + c->proto[MT_PROTO_SSL3] +
                   c->proto[MT_PROTO_SSL2];
    char b[32];
    size_t i;

    fprintf(o->f, "%-32.*s %8llu ", 32, name, (unsigned long long)c->messages);
    cell(o, 7, share_color(tls, c->messages), mt_report_pct(b, sizeof(b), tls, c->messages));
    fprintf(o->f, " %7s", mt_report_pct(b, sizeof(b), c->proto[MT_PROTO_TLS13], tls));
    fprintf(o->f, " %7s", mt_report_pct(b, sizeof(b), c->proto[MT_PROTO_TLS12], tls));
    fprintf(o->f, " %7s ", mt_report_pct(b, sizeof(b), old, tls));
    cell(o, 7, share_color(c->pfs[MT_TRI_YES], tls),
         mt_report_pct(b, sizeof(b), c->pfs[MT_TRI_YES], tls));
    for (i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
        fputc(' ', o->f);
        cell(o, 7, c->verdict[vs[i]] > 0 ? verdict_color(vs[i]) : NULL,
             mt_report_pct(b, sizeof(b), c->verdict[vs[i]], c->messages));
    }
    fputc('\n', o->f);
}

/* Totals of both directions. */
static void
totals(const struct out *o, const struct mt_stats *s)
{
    heading(o, "Messages", 0, 0);
    counts_header(o, "");
    counts_row(o, "inbound (received)", &s->dir[MT_DIR_IN].total);
    if (o->no_out)
        fprintf(o->f, "%-32s %8s  (%s)\n", "outbound (delivery attempts)", "n/a", MT_REPORT_NA_OUT);
    else
        counts_row(o, "outbound (delivery attempts)", &s->dir[MT_DIR_OUT].total);
    fputs("  (protocol and PFS shares are of the TLS messages, verdicts of all)\n", o->f);
}

/* Connection outcomes and protocols. */
static void
connections(const struct out *o, const struct mt_stats *s)
{
    int d;

    heading(o, "Connections (handshakes)", 0, 0);
    if (o->no_conns) {
        not_available(o, MT_REPORT_NA_CONNS);
        return;
    }
    fprintf(o->f, "%-32s %8s %9s %10s %8s %8s %8s %8s\n", "", "TLS", "plaintext", "failed TLS",
            "TLSv1.3", "TLSv1.2", "<=v1.1", "unknown");
    for (d = 0; d < 2; d++) {
        const struct mt_stats_conns *c = &s->dir[d].conns;
        uint64_t old = c->proto[MT_PROTO_TLS11] + c->proto[MT_PROTO_TLS10] +
                       c->proto[MT_PROTO_SSL3] + c->proto[MT_PROTO_SSL2];
        fprintf(o->f, "%-32s %8llu %9llu ", d == 0 ? "inbound" : "outbound",
                (unsigned long long)c->outcome[MT_CONN_TLS],
                (unsigned long long)c->outcome[MT_CONN_PLAINTEXT]);
        char b[32];
        snprintf(b, sizeof(b), "%llu", (unsigned long long)c->outcome[MT_CONN_FAILED_TLS]);
        cell(o, 10, c->outcome[MT_CONN_FAILED_TLS] > 0 ? RED : NULL, b);
        fprintf(o->f, " %8llu %8llu %8llu %8llu\n", (unsigned long long)c->proto[MT_PROTO_TLS13],
                (unsigned long long)c->proto[MT_PROTO_TLS12], (unsigned long long)old,
                (unsigned long long)c->proto[0]);
    }
}

/* A per-domain table. */
static int
domains(const struct out *o, const struct mt_stats *s, enum mt_direction d, size_t top)
{
    struct mt_stats_row *rows;
    size_t n, i;

    if (d == MT_DIR_OUT && o->no_out) {
        heading(o, "Outbound by receiving domain", 0, 0);
        not_available(o, MT_REPORT_NA_OUT);
        return 0;
    }
    if (mt_stats_list(s, MT_STATS_DOMAINS, d, &rows, &n) != MT_OK)
        return -1;
    heading(o, d == MT_DIR_IN ? "Inbound by sending domain" : "Outbound by receiving domain",
            n < top ? n : top, n);
    counts_header(o, "domain");
    for (i = 0; i < n && i < top; i++)
        counts_row(o, rows[i].key[0] != '\0' ? rows[i].key : "<> (null sender)", rows[i].val);
    if (n == 0)
        fputs("  (none)\n", o->f);
    free(rows);
    return 0;
}

/* The outbound count and share columns of a two-direction table, and the line end. */
static void
out_pair(const struct out *o, uint64_t part, uint64_t whole)
{
    char b[32];

    if (o->no_out)
        fprintf(o->f, " %10s %7s\n", "n/a", "");
    else
        fprintf(o->f, " %10llu %7s\n", (unsigned long long)part,
                mt_report_pct(b, sizeof(b), part, whole));
}

/* Protocol distribution of messages per direction. */
static void
protocols(const struct out *o, const struct mt_stats *s)
{
    unsigned i;
    char b[2][32];

    heading(o, "Protocols (messages)", 0, 0);
    fprintf(o->f, "%-10s %10s %7s %10s %7s\n", "", "inbound", "", "outbound", "");
    for (i = MT_STATS_PROTO_N; i-- > 0;) {
        const struct mt_stats_counts *in = &s->dir[0].total, *out = &s->dir[1].total;
        if (in->proto[i] == 0 && out->proto[i] == 0)
            continue;
        fprintf(o->f, "%-10s %10llu %7s", mt_report_proto_name(i), (unsigned long long)in->proto[i],
                mt_report_pct(b[0], sizeof(b[0]), in->proto[i], in->tls[MT_TRI_YES]));
        out_pair(o, out->proto[i], out->tls[MT_TRI_YES]);
    }
}

/* Cipher distribution of messages, per direction. */
static int
ciphers(const struct out *o, const struct mt_stats *s, size_t top)
{
    int d;

    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        char b[32];
        if (d == MT_DIR_OUT && o->no_out) {
            heading(o, "Ciphers, outbound messages", 0, 0);
            not_available(o, MT_REPORT_NA_OUT);
            continue;
        }
        if (mt_stats_list(s, MT_STATS_CIPHERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        heading(o, d == 0 ? "Ciphers, inbound messages" : "Ciphers, outbound messages",
                n < top ? n : top, n);
        fprintf(o->f, "%-48s %8s %7s %7s %-10s\n", "cipher", "msgs", "share", "PFS", "verdict");
        for (i = 0; i < n && i < top; i++) {
            const struct mt_stats_cipher *c = rows[i].val;
            fprintf(o->f, "%-48.*s %8llu %7s %7s ", 48,
                    rows[i].key[0] != '\0' ? rows[i].key : "(not logged)",
                    (unsigned long long)c->count,
                    mt_report_pct(b, sizeof(b), c->count, s->dir[d].total.tls[MT_TRI_YES]),
                    mt_tri_str(c->pfs));
            cell(o, -10, verdict_color(c->verdict), mt_verdict_str(c->verdict));
            fputc('\n', o->f);
        }
        if (n == 0)
            fputs("  (none)\n", o->f);
        free(rows);
    }
    return 0;
}

/* Verdict distribution per direction. */
static void
verdicts(const struct out *o, const struct mt_stats *s)
{
    int v;
    char b[2][32];

    heading(o, "Verdicts (messages)", 0, 0);
    fprintf(o->f, "%-10s %10s %7s %10s %7s\n", "", "inbound", "", "outbound", "");
    for (v = MT_VERDICT_OK; v <= MT_VERDICT_COUNT; v++) {
        int vv = v % MT_VERDICT_COUNT; /* unknown last */
        const struct mt_stats_counts *in = &s->dir[0].total, *out = &s->dir[1].total;
        cell(o, -10, verdict_color((enum mt_verdict)vv), mt_verdict_str((enum mt_verdict)vv));
        fprintf(o->f, " %10llu %7s", (unsigned long long)in->verdict[vv],
                mt_report_pct(b[0], sizeof(b[0]), in->verdict[vv], in->messages));
        out_pair(o, out->verdict[vv], out->messages);
    }
}

/* Failed handshakes by peer. */
static int
failures(const struct out *o, const struct mt_stats *s, size_t top)
{
    int d;
    size_t total = 0;

    heading(o, "Failed TLS handshakes", 0, 0);
    if (o->no_conns) {
        not_available(o, MT_REPORT_NA_CONNS);
        return 0;
    }
    fprintf(o->f, "%-4s %-46s %7s %-20s %s\n", "dir", "peer", "count", "last", "reason");
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        if (mt_stats_list(s, MT_STATS_PEERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n && i < top; i++) {
            const struct mt_stats_peer *p = rows[i].val;
            char peer[MT_EV_HOST_MAX + MT_EV_IP_MAX + 3], t[32];
            snprintf(peer, sizeof(peer), "%s[%s]", p->host[0] ? p->host : "unknown", rows[i].key);
            mt_report_time_str(p->last_failed, t);
            fprintf(o->f, "%-4s %-46.*s %7llu %-20s %s\n", d == 0 ? "in" : "out", 46, peer,
                    (unsigned long long)p->failed, t, p->reason);
        }
        if (n > top)
            fprintf(o->f, "     ... and %zu more\n", n - top);
        total += n;
        free(rows);
    }
    if (total == 0)
        fputs("  (none)\n", o->f);
    return 0;
}

/* Per-day trend with a bar of the inbound and outbound TLS share. */
static int
days(const struct out *o, const struct mt_stats *s)
{
    struct mt_stats_row *rows;
    size_t n, i;
    int d;

    if (mt_stats_list(s, MT_STATS_DAYS, MT_DIR_IN, &rows, &n) != MT_OK)
        return -1;
    heading(o, "Per day (UTC)", 0, 0);
    fprintf(o->f, "%-10s %8s %7s %-12s %8s %7s %-12s\n", "date", "in", "TLS", "", "out", "TLS", "");
    for (i = 0; i < n; i++) {
        const struct mt_stats_day *day = rows[i].val;
        fprintf(o->f, "%-10s", rows[i].key);
        for (d = 0; d < 2; d++) {
            char b[32], bar[16];
            int k, w = (int)(mt_report_share(day->tls[d], day->messages[d]) * 10.0 + 0.5);
            if (d == MT_DIR_OUT && o->no_out) {
                fprintf(o->f, " %8s %7s %-12s", "n/a", "", "");
                continue;
            }
            for (k = 0; k < 10; k++)
                bar[k] = k < w ? '#' : '.';
            bar[10] = '\0';
            fprintf(o->f, " %8llu ", (unsigned long long)day->messages[d]);
            cell(o, 7, share_color(day->tls[d], day->messages[d]),
                 mt_report_pct(b, sizeof(b), day->tls[d], day->messages[d]));
            fprintf(o->f, " %-12s", day->messages[d] > 0 ? bar : "");
        }
        fputc('\n', o->f);
    }
    if (n == 0)
        fputs("  (none)\n", o->f);
    free(rows);
    return 0;
}

/* Downgrade suspects: domains with TLS and plaintext; plaintext after failed TLS. */
static int
suspects(const struct out *o, const struct mt_stats *s, size_t top)
{
    int d;
    size_t shown = 0;

    heading(o, "Downgrade suspects", 0, 0);
    fputs("Domains that used TLS in this period and also sent or received in plaintext:\n", o->f);
    fprintf(o->f, "%-4s %-32s %8s %8s %-20s %-20s\n", "dir", "domain", "TLS", "plain", "last TLS",
            "last plaintext");
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i, k = 0;
        if (mt_stats_list(s, MT_STATS_DOMAINS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n; i++) {
            const struct mt_stats_counts *c = rows[i].val;
            char t1[32], t2[32];
            if (!mt_stats_is_downgrade(c))
                continue;
            if (k++ >= top)
                continue;
            mt_report_time_str(c->last_tls, t1);
            mt_report_time_str(c->last_plain, t2);
            fprintf(o->f, "%-4s %-32.*s %8llu ", d == 0 ? "in" : "out", 32,
                    rows[i].key[0] ? rows[i].key : "<>", (unsigned long long)c->tls[MT_TRI_YES]);
            char b[32];
            snprintf(b, sizeof(b), "%llu", (unsigned long long)c->tls[MT_TRI_NO]);
            cell(o, 8, RED, b);
            fprintf(o->f, " %-20s %-20s\n", t1, t2);
        }
        if (k > top)
            fprintf(o->f, "     ... and %zu more\n", k - top);
        shown += k;
        free(rows);
    }
    if (shown == 0)
        fputs("  (none)\n", o->f);

    shown = 0;
    fputs("\nClients that connected in plaintext after a failed STARTTLS:\n", o->f);
    if (o->no_conns) {
        not_available(o, MT_REPORT_NA_CONNS);
        return 0;
    }
    fprintf(o->f, "%-4s %-46s %7s %7s %-20s\n", "dir", "peer", "failed", "plain", "first failure");
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        if (mt_stats_list(s, MT_STATS_PEERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n; i++) {
            const struct mt_stats_peer *p = rows[i].val;
            char peer[MT_EV_HOST_MAX + MT_EV_IP_MAX + 3], t[32];
            if (p->plain_after == 0)
                continue;
            shown++;
            snprintf(peer, sizeof(peer), "%s[%s]", p->host[0] ? p->host : "unknown", rows[i].key);
            mt_report_time_str(p->first_failed, t);
            fprintf(o->f, "%-4s %-46.*s %7llu %7llu %-20s\n", d == 0 ? "in" : "out", 46, peer,
                    (unsigned long long)p->failed, (unsigned long long)p->plain_after, t);
        }
        free(rows);
    }
    if (shown == 0)
        fputs("  (none)\n", o->f);
    return 0;
}

/* The default report. */
int
mt_report_text(FILE *f, const struct mt_stats *s, const struct mt_report_info *info)
{
    struct out o = { f, info->color, info->no_connections, info->no_outbound };
    size_t top = info->top > 0 ? (size_t)info->top : 20;
    char t1[32], t2[32];

    mt_report_time_str(s->first, t1);
    mt_report_time_str(s->last, t2);
    if (o.color)
        fputs(BOLD, f);
    if (info->database != NULL)
        fprintf(f, "mailtls report: store %s, %llu messages recorded by mailtls notify",
                info->database, (unsigned long long)s->events);
    else
        fprintf(f, "mailtls report: %d file%s, %llu lines", info->nfiles,
                info->nfiles == 1 ? "" : "s", (unsigned long long)info->lines);
    if (info->bad_lines > 0)
        fprintf(f, " (%llu not understood)", (unsigned long long)info->bad_lines);
    if (o.color)
        fputs(RESET, f);
    fputc('\n', f);
    if (s->first != 0)
        fprintf(f, "period: %s .. %s\n", t1, t2);
    else
        fputs("period: no records\n", f);
    if (s->overflow > 0)
        fprintf(f, "note: %llu records did not fit the tables (counted in totals only)\n",
                (unsigned long long)s->overflow);
    totals(&o, s);
    connections(&o, s);
    if (domains(&o, s, MT_DIR_IN, top) != 0 || domains(&o, s, MT_DIR_OUT, top) != 0)
        return -1;
    protocols(&o, s);
    if (ciphers(&o, s, top) != 0)
        return -1;
    verdicts(&o, s);
    if (failures(&o, s, top) != 0 || days(&o, s) != 0 || suspects(&o, s, top) != 0)
        return -1;
    return ferror(f) ? -1 : 0;
}
