/*
 * report_csv.c - `mailtls report --csv`: the per-domain table, inbound rows
 * (by sending domain) then outbound rows (by receiving domain), as RFC 4180
 * CSV: a header line, CRLF line ends, fields quoted when they hold a comma,
 * a double quote, CR or LF (quotes doubled).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Writes one field, quoted when RFC 4180 requires it. */
static void
field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static const char header[] = "direction,domain,messages,tls,plaintext,tls_unknown,tls_share,"
                             "tlsv1_3,tlsv1_2,tlsv1_1,tlsv1,sslv3,sslv2,protocol_unknown,"
                             "pfs_yes,pfs_no,pfs_unknown,pfs_share,"
                             "ok,legacy,deprecated,insecure,verdict_plaintext,verdict_unknown,"
                             "verified,trusted,untrusted,anonymous,trust_unknown,"
                             "received,sent,deferred,bounced,expired,"
                             "first_tls,last_tls,first_plaintext,last_plaintext,downgrade_suspect";

/* One row. */
static void
row(FILE *f, const char *dir, const char *domain, const struct mt_stats_counts *c)
{
    static const unsigned vorder[] = { MT_VERDICT_OK,         MT_VERDICT_LEGACY,
                                       MT_VERDICT_DEPRECATED, MT_VERDICT_INSECURE,
                                       MT_VERDICT_PLAINTEXT,  MT_VERDICT_UNKNOWN };
    static const unsigned torder[] = { MT_TRUST_VERIFIED, MT_TRUST_TRUSTED, MT_TRUST_UNTRUSTED,
                                       MT_TRUST_ANONYMOUS, MT_TRUST_UNKNOWN };
    char t[4][32];
    unsigned i;

    fputs(dir, f);
    fputc(',', f);
    field(f, domain);
    fprintf(f, ",%llu,%llu,%llu,%llu,%.4f", (unsigned long long)c->messages,
            (unsigned long long)c->tls[MT_TRI_YES], (unsigned long long)c->tls[MT_TRI_NO],
            (unsigned long long)c->tls[MT_TRI_UNKNOWN],
            mt_report_share(c->tls[MT_TRI_YES], c->messages));
    for (i = MT_STATS_PROTO_N - 1; i >= 1; i--)
        fprintf(f, ",%llu", (unsigned long long)c->proto[i]);
    fprintf(f, ",%llu", (unsigned long long)c->proto[0]);
    fprintf(f, ",%llu,%llu,%llu,%.4f", (unsigned long long)c->pfs[MT_TRI_YES],
            (unsigned long long)c->pfs[MT_TRI_NO], (unsigned long long)c->pfs[MT_TRI_UNKNOWN],
            mt_report_share(c->pfs[MT_TRI_YES], c->tls[MT_TRI_YES]));
    for (i = 0; i < sizeof(vorder) / sizeof(vorder[0]); i++)
        fprintf(f, ",%llu", (unsigned long long)c->verdict[vorder[i]]);
    for (i = 0; i < sizeof(torder) / sizeof(torder[0]); i++)
        fprintf(f, ",%llu", (unsigned long long)c->trust[torder[i]]);
    for (i = 0; i < MT_STATS_STATUS_N; i++)
        fprintf(f, ",%llu", (unsigned long long)c->status[i]);
    mt_report_time_str(c->first_tls, t[0]);
    mt_report_time_str(c->last_tls, t[1]);
    mt_report_time_str(c->first_plain, t[2]);
    mt_report_time_str(c->last_plain, t[3]);
    fprintf(f, ",%s,%s,%s,%s,%s\r\n", t[0], t[1], t[2], t[3],
            mt_stats_is_downgrade(c) ? "yes" : "no");
}

/* The --csv table. */
int
mt_report_csv(FILE *f, const struct mt_stats *s, const struct mt_report_info *info)
{
    int d;

    (void)info;
    fputs(header, f);
    fputs("\r\n", f);
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        if (mt_stats_list(s, MT_STATS_DOMAINS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n; i++)
            row(f, d == MT_DIR_IN ? "in" : "out", rows[i].key, rows[i].val);
        free(rows);
    }
    return ferror(f) ? -1 : 0;
}
