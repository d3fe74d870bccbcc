/*
 * report_prom.c - `mailtls report --prometheus`: the Prometheus text
 * exposition format (version 0.0.4), for node_exporter's textfile collector.
 *
 * Label cardinality stays small: direction, TLS use, verdict, protocol,
 * outcome, status; ciphers and domains only for the top rows (the rest is
 * summed under "other"). No per-message or per-peer labels. Counters count
 * what the logs read contained, so they restart when the logs rotate.
 *
 * What the input cannot know (report.h: --db has neither connections nor
 * outbound messages) gets no sample at all - Prometheus reads a missing
 * series as "no data", where a 0 would claim there was none.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define PROM_TOP_CIPHERS 20

static const char *const dirs[2] = { "in", "out" };

/* A label value with \\, \" and \n escaped. */
static void
label(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '\\' || *s == '"')
            fputc('\\', f);
        if (*s == '\n') {
            fputs("\\n", f);
            continue;
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

/* HELP and TYPE lines. */
static void
head(FILE *f, const char *name, const char *type, const char *help)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{direction="d",k="v"} value */
static void
sample(FILE *f, const char *name, int d, const char *k, const char *v, uint64_t value)
{
    fprintf(f, "%s{direction=\"%s\"", name, dirs[d]);
    if (k != NULL) {
        fprintf(f, ",%s=", k);
        label(f, v);
    }
    fprintf(f, "} %llu\n", (unsigned long long)value);
}

/* Messages by TLS use and verdict (the two are tied: plaintext <=> tls="no"). */
static void
messages(FILE *f, const struct mt_stats *s, int ndirs)
{
    int d, v;

    head(f, "mailtls_messages_total", "counter",
         "Messages in the logs read, by direction, TLS use and verdict.");
    for (d = 0; d < ndirs; d++) {
        const struct mt_stats_counts *c = &s->dir[d].total;
        uint64_t unk_tls = c->tls[MT_TRI_UNKNOWN];
        uint64_t unk_yes =
            c->verdict[MT_VERDICT_UNKNOWN] > unk_tls ? c->verdict[MT_VERDICT_UNKNOWN] - unk_tls : 0;
        for (v = MT_VERDICT_OK; v <= MT_VERDICT_INSECURE; v++)
            fprintf(f, "mailtls_messages_total{direction=\"%s\",tls=\"yes\",verdict=\"%s\"} %llu\n",
                    dirs[d], mt_verdict_str((enum mt_verdict)v), (unsigned long long)c->verdict[v]);
        fprintf(f,
                "mailtls_messages_total{direction=\"%s\",tls=\"yes\",verdict=\"unknown\"} %llu\n",
                dirs[d], (unsigned long long)unk_yes);
        fprintf(f,
                "mailtls_messages_total{direction=\"%s\",tls=\"no\",verdict=\"plaintext\"} %llu\n",
                dirs[d], (unsigned long long)c->verdict[MT_VERDICT_PLAINTEXT]);
        fprintf(f,
                "mailtls_messages_total{direction=\"%s\",tls=\"unknown\",verdict=\"unknown\"} "
                "%llu\n",
                dirs[d], (unsigned long long)unk_tls);
    }
}

/* Per-direction distributions of messages and connections. */
static void
distributions(FILE *f, const struct mt_stats *s, int ndirs, bool conns)
{
    static const int tri_order[] = { MT_TRI_YES, MT_TRI_NO, MT_TRI_UNKNOWN };
    int d;
    unsigned i;

    head(f, "mailtls_tls_protocol_total", "counter",
         "TLS messages by direction and protocol version.");
    for (d = 0; d < ndirs; d++)
        for (i = MT_STATS_PROTO_N; i-- > 0;)
            sample(f, "mailtls_tls_protocol_total", d, "protocol", mt_report_proto_name(i),
                   s->dir[d].total.proto[i]);
    head(f, "mailtls_forward_secrecy_total", "counter",
         "TLS messages by direction and forward secrecy of the key exchange.");
    for (d = 0; d < ndirs; d++)
        for (i = 0; i < 3; i++)
            sample(f, "mailtls_forward_secrecy_total", d, "pfs",
                   mt_tri_str((enum mt_tri)tri_order[i]), s->dir[d].total.pfs[tri_order[i]]);
    head(f, "mailtls_tls_trust_total", "counter",
         "TLS messages by direction and the trust in the peer's certificate.");
    for (d = 0; d < ndirs; d++)
        for (i = 0; i < MT_STATS_TRUST_N; i++) {
            const char *t = mt_trust_str((enum mt_trust)i);
            sample(f, "mailtls_tls_trust_total", d, "trust", t != NULL ? t : "unknown",
                   s->dir[d].total.trust[i]);
        }
    head(f, "mailtls_message_status_total", "counter",
         "Messages received (in) and delivery attempts (out) by status.");
    for (d = 0; d < ndirs; d++)
        for (i = d == 0 ? 0 : 1; i < (d == 0 ? 1u : MT_STATS_STATUS_N); i++)
            sample(f, "mailtls_message_status_total", d, "status", mt_report_status_name(i),
                   s->dir[d].total.status[i]);
    if (!conns)
        return;
    head(f, "mailtls_connections_total", "counter",
         "SMTP connections by direction and TLS outcome (tls, plaintext, failed_tls).");
    for (d = 0; d < ndirs; d++)
        for (i = 0; i < MT_STATS_OUTCOME_N; i++)
            sample(f, "mailtls_connections_total", d, "outcome", mt_report_outcome_name(i),
                   s->dir[d].conns.outcome[i]);
    head(f, "mailtls_connection_protocol_total", "counter",
         "TLS connections (handshakes) by direction and protocol version.");
    for (d = 0; d < ndirs; d++)
        for (i = MT_STATS_PROTO_N; i-- > 0;)
            sample(f, "mailtls_connection_protocol_total", d, "protocol", mt_report_proto_name(i),
                   s->dir[d].conns.proto[i]);
}

/* Top rows of a table under a label, the rest as "other". */
static int
top(FILE *f, const struct mt_stats *s, enum mt_stats_table t, const char *name, const char *lab,
    size_t limit, int ndirs)
{
    int d;

    for (d = 0; d < ndirs; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        uint64_t other = 0, other_no = 0;
        if (mt_stats_list(s, t, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n; i++) {
            const char *k = rows[i].key[0] != '\0' ? rows[i].key : "unknown";
            if (t == MT_STATS_DOMAINS) {
                const struct mt_stats_counts *c = rows[i].val;
                if (i >= limit) {
                    other += c->tls[MT_TRI_YES];
                    other_no += c->tls[MT_TRI_NO];
                    continue;
                }
                fprintf(f, "%s{direction=\"%s\",%s=", name, dirs[d], lab);
                label(f, rows[i].key[0] != '\0' ? k : "<>");
                fprintf(f, ",tls=\"yes\"} %llu\n", (unsigned long long)c->tls[MT_TRI_YES]);
                fprintf(f, "%s{direction=\"%s\",%s=", name, dirs[d], lab);
                label(f, rows[i].key[0] != '\0' ? k : "<>");
                fprintf(f, ",tls=\"no\"} %llu\n", (unsigned long long)c->tls[MT_TRI_NO]);
            } else {
                uint64_t v = ((const struct mt_stats_cipher *)rows[i].val)->count;
                if (i >= limit)
                    other += v;
                else
                    sample(f, name, d, lab, k, v);
            }
        }
        if (n > limit) {
            if (t == MT_STATS_DOMAINS) {
                fprintf(f, "%s{direction=\"%s\",%s=\"other\",tls=\"yes\"} %llu\n", name, dirs[d],
                        lab, (unsigned long long)other);
                fprintf(f, "%s{direction=\"%s\",%s=\"other\",tls=\"no\"} %llu\n", name, dirs[d],
                        lab, (unsigned long long)other_no);
            } else
                sample(f, name, d, lab, "other", other);
        }
        free(rows);
    }
    return 0;
}

/* Count of downgrade suspects per direction. */
static int
suspects(FILE *f, const struct mt_stats *s, int ndirs, bool conns)
{
    int d;

    head(f, "mailtls_downgrade_suspect_domains", "gauge",
         "Domains with both TLS and plaintext messages in the logs read.");
    for (d = 0; d < ndirs; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        uint64_t k = 0;
        if (mt_stats_list(s, MT_STATS_DOMAINS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n; i++)
            k += mt_stats_is_downgrade(rows[i].val) != 0;
        free(rows);
        sample(f, "mailtls_downgrade_suspect_domains", d, NULL, NULL, k);
    }
    if (!conns)
        return 0;
    head(f, "mailtls_failed_tls_peers", "gauge", "Peer IPs with failed TLS handshakes.");
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n;
        if (mt_stats_list(s, MT_STATS_PEERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        free(rows);
        sample(f, "mailtls_failed_tls_peers", d, NULL, NULL, n);
    }
    head(f, "mailtls_plaintext_after_failed_tls_peers", "gauge",
         "Peer IPs that connected in plaintext after a failed TLS handshake.");
    for (d = 0; d < 2; d++) {
        struct mt_stats_row *rows;
        size_t n, i;
        uint64_t k = 0;
        if (mt_stats_list(s, MT_STATS_PEERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            return -1;
        for (i = 0; i < n; i++)
            k += ((const struct mt_stats_peer *)rows[i].val)->plain_after > 0;
        free(rows);
        sample(f, "mailtls_plaintext_after_failed_tls_peers", d, NULL, NULL, k);
    }
    return 0;
}

/* The --prometheus document. */
int
mt_report_prom(FILE *f, const struct mt_stats *s, const struct mt_report_info *info)
{
    size_t ntop = info->top > 0 ? (size_t)info->top : 10;
    int ndirs = info->no_outbound ? 1 : 2;
    bool conns = !info->no_connections;

    messages(f, s, ndirs);
    distributions(f, s, ndirs, conns);
    head(f, "mailtls_tls_cipher_total", "counter",
         "TLS messages by direction and cipher suite (IANA name; top suites, the rest as other).");
    if (top(f, s, MT_STATS_CIPHERS, "mailtls_tls_cipher_total", "cipher", PROM_TOP_CIPHERS,
            ndirs) != 0)
        return -1;
    head(f, "mailtls_domain_messages_total", "counter",
         "Messages of the busiest domains (in: sending, out: receiving) by TLS use.");
    if (top(f, s, MT_STATS_DOMAINS, "mailtls_domain_messages_total", "domain", ntop, ndirs) != 0)
        return -1;
    if (suspects(f, s, ndirs, conns) != 0)
        return -1;
    if (info->database == NULL) {
        head(f, "mailtls_log_lines_total", "counter", "Log lines read.");
        fprintf(f, "mailtls_log_lines_total %llu\n", (unsigned long long)info->lines);
        head(f, "mailtls_log_bad_lines_total", "counter", "Log lines that could not be parsed.");
        fprintf(f, "mailtls_log_bad_lines_total %llu\n", (unsigned long long)info->bad_lines);
    }
    head(f, "mailtls_log_first_timestamp_seconds", "gauge", "Time of the first record read.");
    fprintf(f, "mailtls_log_first_timestamp_seconds %lld\n", (long long)s->first);
    head(f, "mailtls_log_last_timestamp_seconds", "gauge", "Time of the last record read.");
    fprintf(f, "mailtls_log_last_timestamp_seconds %lld\n", (long long)s->last);
    head(f, "mailtls_report_timestamp_seconds", "gauge", "When this report was made.");
    fprintf(f, "mailtls_report_timestamp_seconds %lld\n", (long long)info->now);
    return ferror(f) ? -1 : 0;
}
