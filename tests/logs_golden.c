/*
 * logs_golden.c - golden test driver for the log parsers and the correlator.
 *
 *   logs_golden [-b] [-r REFTIME] [-z UTCOFFSET] [--ref FILE.ref] FILE.in
 *   logs_golden -T FILE.log
 *   logs_golden -c FILE.log
 *
 * Reads FILE.in line by line through mt_correlate_line() (-b: accept lines
 * without any prefix, for published message parts), and prints every record
 * the correlator emits as one JSON-like line in a stable order: inbound and
 * outbound messages ("rec":"in"/"out"), connections ("rec":"conn"), lines
 * that did not parse ("error"), and a final "stats" line. With --ref the
 * output is compared with FILE.ref instead of printed; the first differing
 * line is shown and the exit status is 1.
 *
 * -T prints only the message records, in the tab-separated form of
 * tools/gen-postfix-log's truth file, with TLS logging assumed (the
 * generator's logs have it on), for comparison with that truth.
 *
 * -c streams the file (any size) and prints only the counters and the
 * lines per second: the throughput measurement of tools/log-throughput.sh.
 *
 * REFTIME (seconds since the epoch, default 2026-01-01T00:00:00Z) anchors
 * the year inference of RFC 3164 stamps, so results do not depend on today.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "correlate.h"

struct out {
    char *buf;
    size_t len, cap;
};

/* Appends formatted text to the output buffer (aborts on OOM: a test). */
static void
put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if ((size_t)n < o->cap - o->len)
            break;
        o->cap = (o->cap + (size_t)n + 1) * 2;
        o->buf = realloc(o->buf, o->cap);
        if (o->buf == NULL)
            abort();
    }
    o->len += (size_t)n;
}

/* A quoted string, with '"', '\' and control bytes escaped. */
static void
put_str(struct out *o, const char *s)
{
    put(o, "\"");
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            put(o, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f)
            put(o, "\\x%02x", ch);
        else
            put(o, "%c", ch);
    }
    put(o, "\"");
}

/* "key":"value" with a leading comma. */
static void
put_kv(struct out *o, const char *key, const char *val)
{
    put(o, ",\"%s\":", key);
    put_str(o, val);
}

/* ISO 8601 UTC time. */
static void
put_time(struct out *o, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];

    gmtime_r(&tt, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    put(o, "\"time\":\"%s\"", buf);
}

/* The TLS facts as the parsers set them (the cipher table's view is tested elsewhere). */
static void
put_tls(struct out *o, const struct mt_tls *t)
{
    put(o, ",\"tls\":");
    if (t->used == MT_TRI_NO) {
        put(o, "\"plaintext\"");
        return;
    }
    if (t->used == MT_TRI_UNKNOWN) {
        put(o, "\"unknown\"");
        return;
    }
    put(o, "{\"proto\":");
    put_str(o, t->protocol_raw);
    put_kv(o, "cipher", t->cipher_raw);
    put(o, ",\"bits\":%d", t->bits);
    put_kv(o, "trust", mt_trust_str(t->trust) ? mt_trust_str(t->trust) : "");
    put_kv(o, "kex", t->kex_group);
    put_kv(o, "sig", t->signature);
    put(o, "}");
}

/* Flag names. */
static void
put_flags(struct out *o, unsigned flags)
{
    put(o, ",\"flags\":\"%s%s\"}\n", (flags & MT_EVENT_TRUNCATED) ? "truncated " : "",
        (flags & MT_EVENT_INCOMPLETE) ? "incomplete" : "");
}

/* host[ip] as one string. */
static void
put_peer(struct out *o, const char *host, const char *ip)
{
    char buf[MT_EV_HOST_MAX + MT_EV_IP_MAX + 4];

    snprintf(buf, sizeof(buf), "%s[%s]", host, ip);
    put_kv(o, "peer", buf);
}

/* Sink in the generator's truth form: direction, qid, domains, TLS, status. */
static void
on_truth(void *arg, const struct mt_event *ev)
{
    struct out *o = arg;
    const struct mt_tls *t = &ev->tls;

    put(o, "%s\t%s\t%s\t%s\t", mt_direction_str(ev->dir), ev->queue_id, ev->sender_domain,
        ev->recipient_domain);
    if (t->used == MT_TRI_NO)
        put(o, "plaintext");
    else if (t->used == MT_TRI_YES && t->cipher_raw[0] != '\0')
        put(o, "%s:%s", t->protocol_raw, t->cipher_raw);
    else
        put(o, "unknown");
    put(o, "\t%s\n", mt_msg_status_str(ev->status));
}

/* Sink: a message record. */
static void
on_message(void *arg, const struct mt_event *ev)
{
    struct out *o = arg;

    put(o, "{\"rec\":\"%s\",", mt_direction_str(ev->dir));
    put_time(o, ev->time);
    put_kv(o, "mta", mt_mta_str(ev->mta));
    put_kv(o, "host", ev->host);
    put_kv(o, "qid", ev->queue_id);
    put_peer(o, ev->peer_host, ev->peer_ip);
    put_kv(o, "sender", ev->sender);
    put_kv(o, "sdom", ev->sender_domain);
    put_kv(o, "rdom", ev->recipient_domain);
    put_kv(o, "status", mt_msg_status_str(ev->status));
    put_tls(o, &ev->tls);
    put_flags(o, ev->flags);
}

/* Sink: a connection record. */
static void
on_conn(void *arg, const struct mt_conn *k)
{
    struct out *o = arg;

    put(o, "{\"rec\":\"conn\",");
    put_time(o, k->time);
    put_kv(o, "dir", mt_direction_str(k->dir));
    put_kv(o, "mta", mt_mta_str(k->mta));
    put_kv(o, "host", k->host);
    put_peer(o, k->peer_host, k->peer_ip);
    put_kv(o, "outcome", mt_conn_outcome_str(k->outcome));
    put_kv(o, "reason", k->reason);
    put_tls(o, &k->tls);
    put_flags(o, k->flags);
}

/* Streams a file through a counting-only correlator; prints counters and speed. */
static int
count_only(const char *path, int64_t reftime)
{
    FILE *f = fopen(path, "r");
    struct mt_sink sink = { NULL, NULL, NULL };
    struct mt_correlate *c;
    const struct mt_correlate_stats *st;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    struct timespec t0, t1;
    double secs;

    if (f == NULL || mt_correlate_new(NULL, &sink, reftime, 0, &c) != MT_OK) {
        perror(path);
        return 99;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while ((n = getline(&line, &cap, f)) > 0)
        (void)mt_correlate_line(c, line, (size_t)n, NULL);
    mt_correlate_finish(c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    st = mt_correlate_get_stats(c);
    printf("%llu lines in %.2f s (%.0f lines/s): %llu in, %llu out, %llu connections, "
           "peak %zu sessions %zu messages\n",
           (unsigned long long)st->lines, secs, (double)st->lines / (secs > 0 ? secs : 1),
           (unsigned long long)st->messages, (unsigned long long)st->deliveries,
           (unsigned long long)st->connections, st->peak_sessions, st->peak_messages);
    free(line);
    fclose(f);
    mt_correlate_free(c);
    return 0;
}

/* Reads a whole file. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n;

    *len = 0;
    if (f == NULL)
        return NULL;
    do {
        if (*len == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap + 1);
            if (buf == NULL)
                abort();
        }
        n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
    } while (n > 0);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

int
main(int argc, char **argv)
{
    const char *ref = NULL, *in = NULL;
    int64_t reftime = 1767225600; /* 2026-01-01T00:00:00Z */
    long utcoff = 0;
    bool bare = false, truth = false;
    struct mt_correlate_opts opts;
    struct out o = { NULL, 0, 0 };
    struct mt_sink sink = { on_message, on_conn, &o };
    struct mt_correlate *c;
    const struct mt_correlate_stats *st;
    char *data, *p, *end;
    size_t len;
    unsigned long lineno = 0, errors = 0;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-b") == 0)
            bare = true;
        else if (strcmp(argv[i], "-T") == 0)
            truth = true;
        else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            return count_only(argv[i + 1], reftime);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            reftime = strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-z") == 0 && i + 1 < argc)
            utcoff = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--ref") == 0 && i + 1 < argc)
            ref = argv[++i];
        else
            in = argv[i];
    }
    if (in == NULL) {
        fprintf(stderr, "usage: logs_golden [-b] [-r REFTIME] [-z OFFSET] [--ref REF] FILE\n");
        return 99;
    }
    data = slurp(in, &len);
    if (data == NULL) {
        perror(in);
        return 99;
    }
    mt_correlate_opts_init(&opts);
    if (truth) {
        sink.message = on_truth;
        sink.connection = NULL;
        opts.assume_tls_logged = true;
    }
    if (mt_correlate_new(&opts, &sink, reftime, utcoff, &c) != MT_OK)
        return 99;
    mt_correlate_clock(c)->allow_bare = bare;
    for (p = data, end = data + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        struct mt_error err;
        lineno++;
        mt_error_clear(&err);
        if (mt_correlate_line(c, p, n, &err) != MT_OK) {
            char msg[300];
            errors++;
            snprintf(msg, sizeof(msg), "line %lu: %s", lineno, err.msg);
            put(&o, "{\"error\":");
            put_str(&o, msg);
            put(&o, "}\n");
        }
        p += n + 1;
    }
    mt_correlate_finish(c);
    st = mt_correlate_get_stats(c);
    if (!truth)
        put(&o,
            "{\"stats\":{\"lines\":%lu,\"errors\":%lu,\"postfix\":%llu,\"exim\":%llu,"
            "\"sendmail\":%llu,\"opensmtpd\":%llu,\"other\":%llu,\"used\":%llu,\"in\":%llu,"
            "\"out\":%llu,\"conn\":%llu,\"incomplete\":%llu}}\n",
            lineno, errors, (unsigned long long)st->mta_lines[MT_MTA_POSTFIX],
            (unsigned long long)st->mta_lines[MT_MTA_EXIM],
            (unsigned long long)st->mta_lines[MT_MTA_SENDMAIL],
            (unsigned long long)st->mta_lines[MT_MTA_OPENSMTPD],
            (unsigned long long)st->mta_lines[MT_MTA_UNKNOWN], (unsigned long long)st->used,
            (unsigned long long)st->messages, (unsigned long long)st->deliveries,
            (unsigned long long)st->connections, (unsigned long long)st->incomplete);
    mt_correlate_free(c);
    free(data);
    if (ref == NULL) {
        fwrite(o.buf, 1, o.len, stdout);
        free(o.buf);
        return 0;
    } else {
        size_t rlen, k, line = 1, ls = 0;
        char *want = slurp(ref, &rlen);
        int rc = 0;
        if (want == NULL) {
            perror(ref);
            return 99;
        }
        for (k = 0; k < o.len && k < rlen && o.buf[k] == want[k]; k++)
            if (o.buf[k] == '\n') {
                line++;
                ls = k + 1;
            }
        if (k != o.len || k != rlen) {
            char *e1 = memchr(o.buf + ls, '\n', o.len - ls);
            char *e2 = memchr(want + ls, '\n', rlen - ls);
            fprintf(stderr, "%s: output differs from %s at line %zu\n got: %.*s\nwant: %.*s\n", in,
                    ref, line, (int)((e1 ? e1 : o.buf + o.len) - (o.buf + ls)), o.buf + ls,
                    (int)((e2 ? e2 : want + rlen) - (want + ls)), want + ls);
            rc = 1;
        }
        free(want);
        free(o.buf);
        return rc;
    }
}
