/*
 * report_html.c - `mailtls report --html FILE`: one self-contained page.
 *
 * No external resources: inline CSS, inline SVG charts drawn here (TLS share
 * per day in and out, protocol mix, verdict mix, top plaintext domains), then
 * the tables. Every SVG has explicit width and height so that it renders the
 * same in any browser, and every string from the logs is HTML-escaped.
 * What the input cannot know (report.h: --db has neither connections nor
 * outbound messages) is said in a sentence or "n/a", and the charts draw
 * only the inbound series.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define CHART_W 720
#define CHART_H 220
#define BAR_H   22

/* Colours of verdicts and protocols (also used in legends). */
static const char *const verdict_fill[MT_VERDICT_COUNT] = {
    "#9e9e9e", /* unknown */
    "#2e7d32", /* ok */
    "#9ccc65", /* legacy */
    "#f9a825", /* deprecated */
    "#c62828", /* insecure */
    "#6a1b9a", /* plaintext */
};
static const char *const proto_fill[MT_STATS_PROTO_N] = {
    "#9e9e9e", /* unknown */
    "#4a148c", /* SSLv2 */
    "#b71c1c", /* SSLv3 */
    "#ef6c00", /* TLSv1 */
    "#fbc02d", /* TLSv1.1 */
    "#42a5f5", /* TLSv1.2 */
    "#1b5e20", /* TLSv1.3 */
};

/* Writes s HTML-escaped. */
static void
esc(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em;"
    "color:#212121;background:#fff;max-width:1100px}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;"
    "border-bottom:1px solid #ddd;padding-bottom:.2em}"
    "table{border-collapse:collapse;font-size:.9em;margin:.5em 0}"
    "th,td{padding:.25em .6em;border-bottom:1px solid #eee;text-align:right}"
    "th:first-child,td:first-child{text-align:left}th{background:#f5f5f5}"
    ".meta{color:#616161}.bad{color:#c62828;font-weight:600}.good{color:#2e7d32}"
    "svg{display:block;margin:.5em 0}svg text{font-size:12px;fill:#212121}"
    ".legend span{display:inline-block;margin-right:1em;font-size:.85em}"
    ".legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;"
    "vertical-align:middle}";

/* Line chart of the daily TLS share, inbound and outbound. */
static void
chart_days(FILE *f, const struct mt_stats_row *rows, size_t n, int ndirs)
{
    static const char *const col[2] = { "#1565c0", "#ef6c00" };
    const int l = 48, r = 48, t = 12, b = 36;
    const int pw = CHART_W - l - r, ph = CHART_H - t - b;
    size_t i;
    int d, y;

    fprintf(f,
            "<svg class=\"chart\" id=\"chart-days\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"TLS share per day\">\n",
            CHART_W, CHART_H, CHART_W, CHART_H);
    fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fafafa\"/>\n", CHART_W,
            CHART_H);
    for (y = 0; y <= 100; y += 25) {
        int py = t + ph - ph * y / 100;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d%%</text>\n",
                l, py, l + pw, py, l - 6, py + 4, y);
    }
    for (d = 0; d < ndirs; d++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", col[d]);
        for (i = 0; i < n; i++) {
            const struct mt_stats_day *day = rows[i].val;
            double x = l + (n > 1 ? (double)pw * (double)i / (double)(n - 1) : pw / 2.0);
            double yy = t + ph - ph * mt_report_share(day->tls[d], day->messages[d]);
            if (day->messages[d] > 0)
                fprintf(f, "%.1f,%.1f ", x, yy);
        }
        fputs("\"/>\n", f);
        for (i = 0; i < n; i++) {
            const struct mt_stats_day *day = rows[i].val;
            double x = l + (n > 1 ? (double)pw * (double)i / (double)(n - 1) : pw / 2.0);
            double yy = t + ph - ph * mt_report_share(day->tls[d], day->messages[d]);
            if (day->messages[d] == 0)
                continue;
            fprintf(f,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: "
                    "%llu of %llu with TLS</title></circle>\n",
                    x, yy, col[d], rows[i].key, d == 0 ? "in" : "out",
                    (unsigned long long)day->tls[d], (unsigned long long)day->messages[d]);
        }
    }
    /* Date labels: first, last and about six in between. */
    for (i = 0; i < n; i++) {
        size_t step = n > 7 ? (n + 6) / 7 : 1;
        double x = l + (n > 1 ? (double)pw * (double)i / (double)(n - 1) : pw / 2.0);
        if (i % step != 0 && i != n - 1)
            continue;
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
                CHART_H - b + 18, rows[i].key);
    }
    fputs("</svg>\n<div class=\"legend\"><span><i style=\"background:#1565c0\"></i>inbound"
          "</span>",
          f);
    if (ndirs > 1)
        fputs("<span><i style=\"background:#ef6c00\"></i>outbound</span>", f);
    fputs("</div>\n", f);
}

/* One stacked horizontal bar of shares with its label. */
static void
stacked_bar(FILE *f, int y, const char *label, const uint64_t *v, const unsigned *order, size_t nv,
            const char *const *fill, const char *(*name)(unsigned))
{
    const int l = 90, w = CHART_W - l - 16;
    uint64_t total = 0;
    double x = l;
    size_t i;

    for (i = 0; i < nv; i++)
        total += v[order[i]];
    fprintf(f, "<text x=\"0\" y=\"%d\">%s</text>\n", y + 15, label);
    if (total == 0) {
        fprintf(f,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eee\"/>"
                "<text x=\"%d\" y=\"%d\">no messages</text>\n",
                l, y, w, BAR_H, l + 6, y + 15);
        return;
    }
    for (i = 0; i < nv; i++) {
        double bw = (double)w * (double)v[order[i]] / (double)total;
        if (v[order[i]] == 0)
            continue;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                "<title>%s: %llu (%.1f%%)</title></rect>\n",
                x, y, bw, BAR_H, fill[order[i]], name(order[i]), (unsigned long long)v[order[i]],
                100.0 * (double)v[order[i]] / (double)total);
        x += bw;
    }
}

/* Names for the legends. */
static const char *
verdict_name(unsigned i)
{
    return mt_verdict_str((enum mt_verdict)i);
}

/* A stacked-bar chart for both directions plus its legend. */
static void
chart_mix(FILE *f, const char *id, const char *title, const uint64_t *in, const uint64_t *out,
          const unsigned *order, size_t nv, const char *const *fill, const char *(*name)(unsigned))
{
    int h = (out != NULL ? 2 * BAR_H : BAR_H) + 18;
    size_t i;

    fprintf(f,
            "<svg class=\"chart\" id=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "role=\"img\" aria-label=\"%s\">\n",
            id, CHART_W, h, CHART_W, h, title);
    stacked_bar(f, 2, "inbound", in, order, nv, fill, name);
    if (out != NULL) /* NULL: the input has no outbound messages */
        stacked_bar(f, BAR_H + 12, "outbound", out, order, nv, fill, name);
    fputs("</svg>\n<div class=\"legend\">", f);
    for (i = 0; i < nv; i++)
        fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>", fill[order[i]],
                name(order[i]));
    fputs("</div>\n", f);
}

struct plain_row {
    const char *domain;
    int dir;
    uint64_t plain, messages;
};

/* Most plaintext messages first. */
static int
cmp_plain(const void *a, const void *b)
{
    const struct plain_row *x = a, *y = b;

    if (x->plain != y->plain)
        return x->plain > y->plain ? -1 : 1;
    return strcmp(x->domain, y->domain);
}

/* Horizontal bars of the domains with the most plaintext messages. */
static int
chart_plain(FILE *f, const struct mt_stats *s, size_t top)
{
    struct mt_stats_row *rows[2] = { NULL, NULL };
    size_t n[2] = { 0, 0 }, i, k = 0, shown;
    struct plain_row *pr = NULL;
    int d, rc = -1, h;
    const int l = 260, w = CHART_W - l - 70;

    for (d = 0; d < 2; d++)
        if (mt_stats_list(s, MT_STATS_DOMAINS, (enum mt_direction)d, &rows[d], &n[d]) != MT_OK)
            goto out;
    pr = calloc(n[0] + n[1] + 1, sizeof(*pr));
    if (pr == NULL)
        goto out;
    for (d = 0; d < 2; d++)
        for (i = 0; i < n[d]; i++) {
            const struct mt_stats_counts *c = rows[d][i].val;
            if (c->tls[MT_TRI_NO] == 0)
                continue;
            pr[k].domain = rows[d][i].key[0] != '\0' ? rows[d][i].key : "<>";
            pr[k].dir = d;
            pr[k].plain = c->tls[MT_TRI_NO];
            pr[k].messages = c->messages;
            k++;
        }
    qsort(pr, k, sizeof(*pr), cmp_plain);
    shown = k < top ? k : top;
    h = shown > 0 ? (int)shown * (BAR_H + 6) + 4 : BAR_H + 8;
    fprintf(f,
            "<svg class=\"chart\" id=\"chart-plaintext\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Top plaintext domains\">\n",
            CHART_W, h, CHART_W, h);
    if (shown == 0)
        fprintf(f, "<text x=\"0\" y=\"16\">No plaintext messages.</text>\n");
    for (i = 0; i < shown; i++) {
        int y = 2 + (int)i * (BAR_H + 6);
        double bw = (double)w * (double)pr[i].plain / (double)pr[0].plain;
        fprintf(f, "<text x=\"0\" y=\"%d\">%s ", y + 15, pr[i].dir == 0 ? "in" : "out");
        esc(f, pr[i].domain);
        fprintf(f,
                "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                "<title>%llu of %llu messages in plaintext</title></rect>"
                "<text x=\"%.1f\" y=\"%d\">%llu</text>\n",
                l, y, bw < 1 ? 1 : bw, BAR_H, verdict_fill[MT_VERDICT_PLAINTEXT],
                (unsigned long long)pr[i].plain, (unsigned long long)pr[i].messages,
                l + (bw < 1 ? 1 : bw) + 6, y + 15, (unsigned long long)pr[i].plain);
    }
    fputs("</svg>\n", f);
    rc = 0;
out:
    free(pr);
    free(rows[0]);
    free(rows[1]);
    return rc;
}

/* A counters table row. */
static void
counts_tr(FILE *f, const char *name, const struct mt_stats_counts *c)
{
    uint64_t tls = c->tls[MT_TRI_YES];
    char b[10][32];

    fputs("<tr><td>", f);
    esc(f, name);
    fprintf(
        f,
        "</td><td>%llu</td><td class=\"%s\">%s</td><td>%s</td><td>%s</td><td>%s</td>"
        "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
        (unsigned long long)c->messages, c->messages > 0 && tls < c->messages ? "bad" : "good",
        mt_report_pct(b[0], 32, tls, c->messages),
        mt_report_pct(b[1], 32, c->proto[MT_PROTO_TLS13], tls),
        mt_report_pct(b[2], 32, c->proto[MT_PROTO_TLS12], tls),
        mt_report_pct(b[3], 32, c->pfs[MT_TRI_YES], tls),
        mt_report_pct(b[4], 32, c->verdict[MT_VERDICT_OK], c->messages),
        mt_report_pct(b[5], 32, c->verdict[MT_VERDICT_LEGACY], c->messages),
        mt_report_pct(b[6], 32, c->verdict[MT_VERDICT_DEPRECATED], c->messages),
        mt_report_pct(b[7], 32, c->verdict[MT_VERDICT_INSECURE], c->messages),
        mt_report_pct(b[8], 32, c->verdict[MT_VERDICT_PLAINTEXT], c->messages),
        c->trust[MT_TRUST_VERIFIED] + c->trust[MT_TRUST_TRUSTED] > 0
            ? mt_report_pct(b[9], 32, c->trust[MT_TRUST_VERIFIED] + c->trust[MT_TRUST_TRUSTED], tls)
            : "-");
}

/* The header row of a counters table. */
static void
counts_th(FILE *f, const char *first)
{
    fprintf(f,
            "<tr><th>%s</th><th>messages</th><th>TLS</th><th>TLS 1.3</th><th>TLS 1.2</th>"
            "<th>PFS</th><th>ok</th><th>legacy</th><th>deprecated</th><th>insecure</th>"
            "<th>plaintext</th><th>trusted cert</th></tr>\n",
            first);
}

/* Per-domain table of a direction; na: why it is not available, or NULL. */
static int
domain_table(FILE *f, const struct mt_stats *s, enum mt_direction d, size_t top, const char *na)
{
    struct mt_stats_row *rows;
    size_t n, i;

    if (na != NULL) {
        fprintf(f, "<h2>%s</h2>\n<p class=\"meta\">%s.</p>\n",
                d == MT_DIR_IN ? "Inbound by sending domain" : "Outbound by receiving domain", na);
        return 0;
    }
    if (mt_stats_list(s, MT_STATS_DOMAINS, d, &rows, &n) != MT_OK)
        return -1;
    fprintf(f, "<h2>%s</h2>\n",
            d == MT_DIR_IN ? "Inbound by sending domain" : "Outbound by receiving domain");
    if (n > top)
        fprintf(f, "<p class=\"meta\">Top %zu of %zu domains by messages.</p>\n", top, n);
    fputs("<table>\n", f);
    counts_th(f, "domain");
    for (i = 0; i < n && i < top; i++)
        counts_tr(f, rows[i].key[0] != '\0' ? rows[i].key : "<> (null sender)", rows[i].val);
    fputs("</table>\n", f);
    free(rows);
    return 0;
}

/* Cipher tables. */
static int
cipher_tables(FILE *f, const struct mt_stats *s, size_t top, bool no_out)
{
    int d;

    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        char b[32];
        if (d == MT_DIR_OUT && no_out) {
            fprintf(f, "<h2>Ciphers, outbound messages</h2>\n<p class=\"meta\">%s.</p>\n",
                    MT_REPORT_NA_OUT);
            continue;
        }
        if (mt_stats_list(s, MT_STATS_CIPHERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        fprintf(f,
                "<h2>Ciphers, %s messages</h2>\n<table>\n<tr><th>cipher</th><th>messages</th>"
                "<th>share</th><th>PFS</th><th>verdict</th></tr>\n",
                d == 0 ? "inbound" : "outbound");
        for (i = 0; i < n && i < top; i++) {
            const struct mt_stats_cipher *c = rows[i].val;
            fputs("<tr><td>", f);
            esc(f, rows[i].key[0] != '\0' ? rows[i].key : "(not logged)");
            fprintf(f, "</td><td>%llu</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                    (unsigned long long)c->count,
                    mt_report_pct(b, sizeof(b), c->count, s->dir[d].total.tls[MT_TRI_YES]),
                    mt_tri_str(c->pfs), mt_verdict_str(c->verdict));
        }
        fputs("</table>\n", f);
        free(rows);
    }
    return 0;
}

/* Failed handshakes and plaintext-after-failure peers. */
static int
peer_tables(FILE *f, const struct mt_stats *s, size_t top, bool no_conns)
{
    int d;

    if (no_conns) {
        fprintf(f, "<h2>Failed TLS handshakes</h2>\n<p class=\"meta\">%s.</p>\n",
                MT_REPORT_NA_CONNS);
        return 0;
    }
    fputs("<h2>Failed TLS handshakes</h2>\n<table>\n<tr><th>direction</th><th>peer</th>"
          "<th>IP</th><th>failures</th><th>plaintext after</th><th>last</th><th>reason</th></tr>\n",
          f);
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        if (mt_stats_list(s, MT_STATS_PEERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n && i < top; i++) {
            const struct mt_stats_peer *p = rows[i].val;
            char t[32];
            mt_report_time_str(p->last_failed, t);
            fprintf(f, "<tr><td>%s</td><td>", d == 0 ? "in" : "out");
            esc(f, p->host);
            fputs("</td><td>", f);
            esc(f, rows[i].key);
            fprintf(f, "</td><td>%llu</td><td class=\"%s\">%llu</td><td>%s</td><td>",
                    (unsigned long long)p->failed, p->plain_after > 0 ? "bad" : "",
                    (unsigned long long)p->plain_after, t);
            esc(f, p->reason);
            fputs("</td></tr>\n", f);
        }
        free(rows);
    }
    fputs("</table>\n", f);
    return 0;
}

/* Downgrade suspects by domain. */
static int
suspect_table(FILE *f, const struct mt_stats *s)
{
    int d;

    fputs("<h2>Downgrade suspects</h2>\n<p class=\"meta\">Domains that used TLS in this period "
          "and also sent or received in plaintext.</p>\n<table>\n<tr><th>direction</th>"
          "<th>domain</th><th>TLS</th><th>plaintext</th><th>last TLS</th>"
          "<th>last plaintext</th></tr>\n",
          f);
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        if (mt_stats_list(s, MT_STATS_DOMAINS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n; i++) {
            const struct mt_stats_counts *c = rows[i].val;
            char t1[32], t2[32];
            if (!mt_stats_is_downgrade(c))
                continue;
            mt_report_time_str(c->last_tls, t1);
            mt_report_time_str(c->last_plain, t2);
            fprintf(f, "<tr><td>%s</td><td>", d == 0 ? "in" : "out");
            esc(f, rows[i].key[0] != '\0' ? rows[i].key : "<>");
            fprintf(f,
                    "</td><td>%llu</td><td class=\"bad\">%llu</td><td>%s</td><td>%s</td>"
                    "</tr>\n",
                    (unsigned long long)c->tls[MT_TRI_YES], (unsigned long long)c->tls[MT_TRI_NO],
                    t1, t2);
        }
        free(rows);
    }
    fputs("</table>\n", f);
    return 0;
}

/* The day table. */
static void
day_table(FILE *f, const struct mt_stats_row *rows, size_t n, bool no_out)
{
    size_t i;
    char b[2][32];

    fputs("<h2>Per day (UTC)</h2>\n<table>\n<tr><th>date</th><th>inbound</th><th>TLS</th>"
          "<th>outbound</th><th>TLS</th></tr>\n",
          f);
    for (i = 0; i < n; i++) {
        const struct mt_stats_day *d = rows[i].val;
        if (no_out) {
            fprintf(f, "<tr><td>%s</td><td>%llu</td><td>%s</td><td>n/a</td><td>n/a</td></tr>\n",
                    rows[i].key, (unsigned long long)d->messages[0],
                    mt_report_pct(b[0], 32, d->tls[0], d->messages[0]));
            continue;
        }
        fprintf(f, "<tr><td>%s</td><td>%llu</td><td>%s</td><td>%llu</td><td>%s</td></tr>\n",
                rows[i].key, (unsigned long long)d->messages[0],
                mt_report_pct(b[0], 32, d->tls[0], d->messages[0]),
                (unsigned long long)d->messages[1],
                mt_report_pct(b[1], 32, d->tls[1], d->messages[1]));
    }
    fputs("</table>\n", f);
}

/* Connection outcomes of both directions. */
static void
connections_table(FILE *f, const struct mt_stats *s)
{
    int i;

    fputs("<table>\n<tr><th>connections</th><th>TLS</th><th>plaintext</th>"
          "<th>failed TLS</th></tr>\n",
          f);
    for (i = 0; i < 2; i++) {
        const struct mt_stats_conns *c = &s->dir[i].conns;
        fprintf(f, "<tr><td>%s</td><td>%llu</td><td>%llu</td><td>%llu</td></tr>\n",
                i == 0 ? "inbound" : "outbound", (unsigned long long)c->outcome[MT_CONN_TLS],
                (unsigned long long)c->outcome[MT_CONN_PLAINTEXT],
                (unsigned long long)c->outcome[MT_CONN_FAILED_TLS]);
    }
    fputs("</table>\n", f);
}

/* The --html page. */
int
mt_report_html(FILE *f, const struct mt_stats *s, const struct mt_report_info *info)
{
    static const unsigned vorder[] = { MT_VERDICT_OK,         MT_VERDICT_LEGACY,
                                       MT_VERDICT_DEPRECATED, MT_VERDICT_INSECURE,
                                       MT_VERDICT_PLAINTEXT,  MT_VERDICT_UNKNOWN };
    static const unsigned porder[] = { MT_PROTO_TLS13, MT_PROTO_TLS12, MT_PROTO_TLS11,
                                       MT_PROTO_TLS10, MT_PROTO_SSL3,  MT_PROTO_SSL2,
                                       MT_PROTO_NONE };
    size_t top = info->top > 0 ? (size_t)info->top : 20;
    struct mt_stats_row *days = NULL;
    size_t ndays;
    char t1[32], t2[32], now[32];
    int i;

    if (mt_stats_list(s, MT_STATS_DAYS, MT_DIR_IN, &days, &ndays) != MT_OK)
        return -1;
    mt_report_time_str(s->first, t1);
    mt_report_time_str(s->last, t2);
    mt_report_time_str(info->now, now);
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>mailtls report</title>\n<style>%s</style>\n</head>\n<body>\n"
            "<h1>mailtls report</h1>\n<p class=\"meta\">",
            css);
    if (info->database != NULL) {
        fputs("Store ", f);
        esc(f, info->database);
        fprintf(f, " &mdash; %llu messages recorded by mailtls notify",
                (unsigned long long)s->events);
    } else {
        for (i = 0; i < info->nfiles; i++) {
            esc(f, info->files[i]);
            fputs(i + 1 < info->nfiles ? ", " : "", f);
        }
        fprintf(f, " &mdash; %llu lines", (unsigned long long)info->lines);
    }
    if (info->bad_lines > 0)
        fprintf(f, " (%llu not understood)", (unsigned long long)info->bad_lines);
    if (s->first != 0)
        fprintf(f, "; records from %s to %s", t1, t2);
    fprintf(f, "; made %s.</p>\n", now);

    fputs("<h2>Totals</h2>\n<table>\n", f);
    counts_th(f, "");
    counts_tr(f, "inbound", &s->dir[MT_DIR_IN].total);
    if (info->no_outbound)
        fprintf(f, "<tr><td>outbound</td><td colspan=\"11\">n/a (%s)</td></tr>\n",
                MT_REPORT_NA_OUT);
    else
        counts_tr(f, "outbound", &s->dir[MT_DIR_OUT].total);
    fputs("</table>\n", f);
    if (info->no_connections)
        fprintf(f, "<p class=\"meta\">Connections: %s.</p>\n", MT_REPORT_NA_CONNS);
    else
        connections_table(f, s);

    fputs("<h2>TLS share per day</h2>\n", f);
    chart_days(f, days, ndays, info->no_outbound ? 1 : 2);
    fputs("<h2>Protocol mix (TLS messages)</h2>\n", f);
    chart_mix(f, "chart-protocols", "Protocol mix", s->dir[0].total.proto,
              info->no_outbound ? NULL : s->dir[1].total.proto, porder, MT_STATS_PROTO_N,
              proto_fill, mt_report_proto_name);
    fputs("<h2>Verdict mix (all messages)</h2>\n", f);
    chart_mix(f, "chart-verdicts", "Verdict mix", s->dir[0].total.verdict,
              info->no_outbound ? NULL : s->dir[1].total.verdict, vorder, MT_VERDICT_COUNT,
              verdict_fill, verdict_name);
    fputs("<h2>Top plaintext domains</h2>\n", f);
    if (chart_plain(f, s, top < 15 ? top : 15) != 0)
        goto fail;

    if (domain_table(f, s, MT_DIR_IN, top, NULL) != 0 ||
        domain_table(f, s, MT_DIR_OUT, top, info->no_outbound ? MT_REPORT_NA_OUT : NULL) != 0 ||
        cipher_tables(f, s, top, info->no_outbound) != 0 ||
        peer_tables(f, s, top, info->no_connections) != 0 || suspect_table(f, s) != 0)
        goto fail;
    day_table(f, days, ndays, info->no_outbound);
    fputs("<p class=\"meta\">Verdicts: ok = TLS 1.3, or TLS 1.2 AEAD with forward secrecy; "
          "legacy = TLS 1.2 CBC; deprecated = TLS 1.0/1.1, 3DES, no forward secrecy; "
          "insecure = SSL, RC4, DES, EXPORT, NULL; see mailtls(1).</p>\n</body>\n</html>\n",
          f);
    free(days);
    return ferror(f) ? -1 : 0;
fail:
    free(days);
    return -1;
}
