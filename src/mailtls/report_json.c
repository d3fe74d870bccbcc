/*
 * report_json.c - `mailtls report --json` (aggregates) and `--events` (one
 * object per message), with json-c. The shapes are a public contract
 * (DESIGN.md "Machine-readable output", mailtls(1)); absent facts are null,
 * and so is what the input cannot know (report.h: --db has no connections
 * and no outbound messages).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "report.h"

#define JFLAGS_LINE   (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
#define JFLAGS_PRETTY (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
    size_t len, i;
    unsigned c = p[0];
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return len;
}

/*
 * A JSON string of s, or null when s is NULL or empty. Bytes that are not
 * UTF-8 (log lines can hold anything) become U+FFFD so the output stays
 * valid JSON.
 */
static json_object *
jstr(const char *s)
{
    char buf[1024];
    size_t n, i, o = 0;

    if (s == NULL || s[0] == '\0')
        return NULL;
    n = strlen(s);
    for (i = 0; i < n;) {
        size_t l = utf8_len((const unsigned char *)s + i, n - i);
        if (l == 0)
            break;
        i += l;
    }
    if (i == n)
        return json_object_new_string_len(s, (int)n);
    for (i = 0; i < n && o + 4 < sizeof(buf);) {
        size_t l = utf8_len((const unsigned char *)s + i, n - i);
        if (l == 0) {
            memcpy(buf + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        } else {
            memcpy(buf + o, s + i, l);
            o += l;
            i += l;
        }
    }
    return json_object_new_string_len(buf, (int)o);
}

/* An unsigned counter. */
static json_object *
jnum(uint64_t v)
{
    return json_object_new_uint64(v);
}

/* A share in [0, 1] with four decimals. */
static json_object *
jshare(uint64_t part, uint64_t whole)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%.4f", mt_report_share(part, whole));
    return json_object_new_double_s(mt_report_share(part, whole), buf);
}

/* An RFC 3339 time, or null for 0. */
static json_object *
jtime(int64_t t)
{
    char buf[32];

    mt_report_time_str(t, buf);
    return jstr(buf);
}

/* The protocol as the contract wants it: exact name, else as written, else null. */
static json_object *
jproto(const struct mt_tls *t)
{
    if (mt_tls_proto_exact(t))
        return jstr(mt_proto_str(t->proto_max));
    return jstr(t->protocol_raw);
}

/* The "tls" object of an event. */
static json_object *
tls_object(const struct mt_tls *t)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "used", jstr(mt_tri_str(t->used)));
    json_object_object_add(o, "protocol", jproto(t));
    json_object_object_add(o, "cipher", jstr(t->cipher != NULL ? t->cipher->iana : NULL));
    json_object_object_add(o, "cipher_raw", jstr(t->cipher_raw));
    json_object_object_add(o, "bits", t->bits >= 0 ? json_object_new_int(t->bits) : NULL);
    json_object_object_add(o, "pfs", jstr(mt_tri_str(mt_tls_pfs(t))));
    json_object_object_add(o, "trust", jstr(mt_trust_str(t->trust)));
    json_object_object_add(o, "verdict", jstr(mt_verdict_str(mt_tls_verdict(t, NULL))));
    return o;
}

/* MTA names. */
static const char *
mta_name(enum mt_mta m)
{
    static const char *const names[] = { NULL, "postfix", "exim", "sendmail", "opensmtpd" };

    return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : NULL;
}

/* Writes obj followed by a newline and releases it. */
static int
emit(FILE *f, json_object *obj, int flags)
{
    const char *s = json_object_to_json_string_ext(obj, flags);
    int rc = fputs(s, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;

    json_object_put(obj);
    return rc;
}

/* One --events line. */
int
mt_report_event_json(FILE *f, const struct mt_event *ev)
{
    json_object *o = json_object_new_object(), *peer = json_object_new_object();

    json_object_object_add(o, "time", jtime(ev->time));
    json_object_object_add(o, "direction", jstr(ev->dir == MT_DIR_OUT ? "out" : "in"));
    json_object_object_add(o, "mta", jstr(mta_name(ev->mta)));
    json_object_object_add(o, "host", jstr(ev->host));
    json_object_object_add(o, "queue_id", jstr(ev->queue_id));
    json_object_object_add(peer, "host", jstr(ev->peer_host));
    json_object_object_add(peer, "ip", jstr(ev->peer_ip));
    json_object_object_add(o, "peer", peer);
    json_object_object_add(o, "sender", jstr(ev->sender));
    json_object_object_add(o, "sender_domain", jstr(ev->sender_domain));
    json_object_object_add(o, "recipient_domain", jstr(ev->recipient_domain));
    json_object_object_add(o, "status", jstr(mt_report_status_name(ev->status)));
    json_object_object_add(o, "tls", tls_object(&ev->tls));
    if (ev->flags & MT_EVENT_TRUNCATED)
        json_object_object_add(o, "truncated", json_object_new_boolean(1));
    return emit(f, o, JFLAGS_LINE);
}

/* A name -> count object over an array indexed like names(i). */
static json_object *
dist(const uint64_t *v, unsigned n, const char *(*name)(unsigned))
{
    json_object *o = json_object_new_object();
    unsigned i;

    for (i = 0; i < n; i++)
        json_object_object_add(o, name(i), jnum(v[i]));
    return o;
}

/* Names for dist(): tri, verdicts, trust. */
static const char *
tri_name(unsigned i)
{
    return mt_tri_str(i == 0 ? MT_TRI_YES : i == 1 ? MT_TRI_NO : MT_TRI_UNKNOWN);
}
static const char *
verdict_name(unsigned i)
{
    return mt_verdict_str((enum mt_verdict)i);
}
static const char *
trust_name(unsigned i)
{
    const char *s = mt_trust_str((enum mt_trust)i);
    return s != NULL ? s : "unknown";
}

/* A tri-state count array reordered yes, no, unknown. */
static json_object *
tri(const uint64_t *v)
{
    uint64_t r[3] = { v[MT_TRI_YES], v[MT_TRI_NO], v[MT_TRI_UNKNOWN] };

    return dist(r, 3, tri_name);
}

/* Protocol counts, newest first, "unknown" last. */
static json_object *
protos(const uint64_t *v)
{
    json_object *o = json_object_new_object();
    unsigned i;

    for (i = MT_STATS_PROTO_N - 1; i >= 1; i--)
        json_object_object_add(o, mt_report_proto_name(i), jnum(v[i]));
    json_object_object_add(o, "unknown", jnum(v[0]));
    return o;
}

/* The counters of a set of messages, into o. */
static void
counts_into(json_object *o, const struct mt_stats_counts *c, enum mt_direction d)
{
    uint64_t tls = c->tls[MT_TRI_YES];
    json_object *st = json_object_new_object();

    json_object_object_add(o, "messages", jnum(c->messages));
    json_object_object_add(o, "tls", tri(c->tls));
    json_object_object_add(o, "tls_share", jshare(tls, c->messages));
    json_object_object_add(o, "protocols", protos(c->proto));
    json_object_object_add(o, "pfs", tri(c->pfs));
    json_object_object_add(o, "pfs_share", jshare(c->pfs[MT_TRI_YES], tls));
    json_object_object_add(o, "verdicts", dist(c->verdict, MT_VERDICT_COUNT, verdict_name));
    json_object_object_add(o, "trust", dist(c->trust, MT_STATS_TRUST_N, trust_name));
    if (d == MT_DIR_IN) {
        json_object_object_add(st, "received", jnum(c->status[MT_MSG_RECEIVED]));
    } else {
        unsigned i;
        for (i = MT_MSG_SENT; i < MT_STATS_STATUS_N; i++)
            json_object_object_add(st, mt_report_status_name(i), jnum(c->status[i]));
    }
    json_object_object_add(o, "status", st);
    json_object_object_add(o, "first_tls", jtime(c->first_tls));
    json_object_object_add(o, "last_tls", jtime(c->last_tls));
    json_object_object_add(o, "first_plaintext", jtime(c->first_plain));
    json_object_object_add(o, "last_plaintext", jtime(c->last_plain));
}

/* Per-domain rows of one direction. */
static json_object *
domains(const struct mt_stats_row *rows, size_t n, enum mt_direction d)
{
    json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "domain", jstr(rows[i].key));
        counts_into(o, rows[i].val, d);
        json_object_object_add(o, "downgrade_suspect",
                               json_object_new_boolean(mt_stats_is_downgrade(rows[i].val)));
        json_object_array_add(a, o);
    }
    return a;
}

/* Cipher rows as an array (messages) of objects. */
static json_object *
ciphers(const struct mt_stats_row *rows, size_t n, const char *count_name)
{
    json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; i < n; i++) {
        const struct mt_stats_cipher *c = rows[i].val;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "cipher", jstr(rows[i].key));
        json_object_object_add(o, "known", json_object_new_boolean(c->known));
        json_object_object_add(o, "pfs", jstr(mt_tri_str(c->pfs)));
        json_object_object_add(o, "verdict", jstr(mt_verdict_str(c->verdict)));
        json_object_object_add(o, count_name, jnum(c->count));
        json_object_array_add(a, o);
    }
    return a;
}

/* Failed handshakes of a direction. */
static json_object *
peers(const struct mt_stats_row *rows, size_t n)
{
    json_object *a = json_object_new_array();
    size_t i;

    for (i = 0; i < n; i++) {
        const struct mt_stats_peer *p = rows[i].val;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "ip", jstr(rows[i].key));
        json_object_object_add(o, "host", jstr(p->host));
        json_object_object_add(o, "failed", jnum(p->failed));
        json_object_object_add(o, "first", jtime(p->first_failed));
        json_object_object_add(o, "last", jtime(p->last_failed));
        json_object_object_add(o, "reason", jstr(p->reason));
        json_object_object_add(o, "plaintext_after", jnum(p->plain_after));
        json_object_array_add(a, o);
    }
    return a;
}

/* The connections object of a direction; ciphers are by connection. */
static json_object *
conns(const struct mt_stats_conns *c, const struct mt_stats_row *rows, size_t n)
{
    json_object *o = json_object_new_object(), *bc = json_object_new_object();
    size_t i;

    json_object_object_add(o, "tls", jnum(c->outcome[MT_CONN_TLS]));
    json_object_object_add(o, "plaintext", jnum(c->outcome[MT_CONN_PLAINTEXT]));
    json_object_object_add(o, "failed_tls", jnum(c->outcome[MT_CONN_FAILED_TLS]));
    json_object_object_add(o, "by_protocol", protos(c->proto));
    for (i = 0; i < n; i++)
        json_object_object_add(bc, rows[i].key[0] != '\0' ? rows[i].key : "unknown",
                               jnum(((const struct mt_stats_cipher *)rows[i].val)->count));
    json_object_object_add(o, "by_cipher", bc);
    return o;
}

/* The --json document. */
int
mt_report_json(FILE *f, const struct mt_stats *s, const struct mt_report_info *info)
{
    static const char *const dn[2] = { "in", "out" };
    json_object *root = json_object_new_object(), *input = json_object_new_object();
    json_object *files = json_object_new_array(), *period = json_object_new_object();
    json_object *totals = json_object_new_object(), *doms = json_object_new_object();
    json_object *ciph = json_object_new_object(), *conn = json_object_new_object();
    json_object *fail = json_object_new_object(), *days = json_object_new_array();
    json_object *susp = json_object_new_array(), *speers = json_object_new_array();
    json_object *down = json_object_new_object();
    struct mt_stats_row *rows = NULL;
    size_t n, i;
    int d, rc = -1;

    json_object_object_add(root, "version", json_object_new_int(1));
    json_object_object_add(root, "generated", jtime(info->now));
    for (d = 0; d < info->nfiles; d++)
        json_object_array_add(files, jstr(info->files[d]));
    json_object_object_add(input, "files", files);
    if (info->database != NULL) /* --db: no lines; messages only */
        json_object_object_add(input, "database", jstr(info->database));
    json_object_object_add(input, "lines", info->database == NULL ? jnum(info->lines) : NULL);
    json_object_object_add(input, "bad_lines",
                           info->database == NULL ? jnum(info->bad_lines) : NULL);
    json_object_object_add(input, "messages", jnum(s->events));
    json_object_object_add(input, "connections",
                           info->no_connections ? NULL : jnum(s->connections));
    json_object_object_add(input, "overflow", jnum(s->overflow));
    json_object_object_add(root, "input", input);
    json_object_object_add(period, "first", jtime(s->first));
    json_object_object_add(period, "last", jtime(s->last));
    json_object_object_add(period, "since", info->since != INT64_MIN ? jtime(info->since) : NULL);
    json_object_object_add(period, "until", info->until != INT64_MAX ? jtime(info->until) : NULL);
    json_object_object_add(root, "period", period);
    /* Containers go into root at once (root owns them from here), filled below. */
    json_object_object_add(root, "totals", totals);
    json_object_object_add(root, "domains", doms);
    json_object_object_add(root, "ciphers", ciph);
    json_object_object_add(root, "connections", conn);
    json_object_object_add(root, "failed_handshakes", fail);
    json_object_object_add(root, "days", days);
    json_object_object_add(down, "domains", susp);
    if (info->no_connections) { /* not available: null, not an empty list */
        json_object_put(speers);
        speers = NULL;
    }
    json_object_object_add(down, "peers", speers);
    json_object_object_add(root, "downgrade_suspects", down);

    for (d = 0; d < 2; d++) {
        json_object *t;
        if (d == MT_DIR_OUT && info->no_outbound) {
            json_object_object_add(totals, dn[d], NULL);
            json_object_object_add(doms, dn[d], NULL);
            json_object_object_add(ciph, dn[d], NULL);
            goto conns;
        }
        t = json_object_new_object();
        counts_into(t, &s->dir[d].total, (enum mt_direction)d);
        json_object_object_add(totals, dn[d], t);

        if (mt_stats_list(s, MT_STATS_DOMAINS, (enum mt_direction)d, &rows, &n) != MT_OK)
            goto out;
        json_object_object_add(doms, dn[d], domains(rows, n, (enum mt_direction)d));
        for (i = 0; i < n; i++) {
            const struct mt_stats_counts *c = rows[i].val;
            json_object *o;
            if (!mt_stats_is_downgrade(c))
                continue;
            o = json_object_new_object();
            json_object_object_add(o, "direction", jstr(dn[d]));
            json_object_object_add(o, "domain", jstr(rows[i].key));
            json_object_object_add(o, "tls", jnum(c->tls[MT_TRI_YES]));
            json_object_object_add(o, "plaintext", jnum(c->tls[MT_TRI_NO]));
            json_object_object_add(o, "last_tls", jtime(c->last_tls));
            json_object_object_add(o, "last_plaintext", jtime(c->last_plain));
            json_object_object_add(o, "plaintext_after_tls",
                                   json_object_new_boolean(c->last_plain > c->first_tls));
            json_object_array_add(susp, o);
        }
        free(rows);
        rows = NULL;

        if (mt_stats_list(s, MT_STATS_CIPHERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            goto out;
        json_object_object_add(ciph, dn[d], ciphers(rows, n, "messages"));
        free(rows);
        rows = NULL;

    conns:
        if (info->no_connections) {
            json_object_object_add(conn, dn[d], NULL);
            json_object_object_add(fail, dn[d], NULL);
            continue;
        }
        if (mt_stats_list(s, MT_STATS_CONN_CIPHERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            goto out;
        json_object_object_add(conn, dn[d], conns(&s->dir[d].conns, rows, n));
        free(rows);
        rows = NULL;

        if (mt_stats_list(s, MT_STATS_PEERS, (enum mt_direction)d, &rows, &n) != MT_OK)
            goto out;
        json_object_object_add(fail, dn[d], peers(rows, n));
        for (i = 0; i < n; i++) {
            const struct mt_stats_peer *p = rows[i].val;
            json_object *o;
            if (p->plain_after == 0)
                continue;
            o = json_object_new_object();
            json_object_object_add(o, "direction", jstr(dn[d]));
            json_object_object_add(o, "ip", jstr(rows[i].key));
            json_object_object_add(o, "host", jstr(p->host));
            json_object_object_add(o, "failed_tls", jnum(p->failed));
            json_object_object_add(o, "plaintext_after", jnum(p->plain_after));
            json_object_object_add(o, "first_failed", jtime(p->first_failed));
            json_object_object_add(o, "last_plaintext", jtime(p->last_plain_after));
            json_object_array_add(speers, o);
        }
        free(rows);
        rows = NULL;
    }
    if (mt_stats_list(s, MT_STATS_DAYS, MT_DIR_IN, &rows, &n) != MT_OK)
        goto out;
    for (i = 0; i < n; i++) {
        const struct mt_stats_day *day = rows[i].val;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "date", jstr(rows[i].key));
        for (d = 0; d < 2; d++) {
            json_object *x;
            if (d == MT_DIR_OUT && info->no_outbound) {
                json_object_object_add(o, dn[d], NULL);
                continue;
            }
            x = json_object_new_object();
            json_object_object_add(x, "messages", jnum(day->messages[d]));
            json_object_object_add(x, "tls", jnum(day->tls[d]));
            json_object_object_add(x, "plaintext", jnum(day->plain[d]));
            json_object_object_add(x, "tls_share", jshare(day->tls[d], day->messages[d]));
            json_object_object_add(o, dn[d], x);
        }
        json_object_array_add(days, o);
    }
    rc = emit(f, root, JFLAGS_PRETTY);
    root = NULL;
out:
    free(rows);
    json_object_put(root);
    return rc;
}
