/* sendmail.c - classify one Sendmail log message part (see sendmail.h). */
#include "sendmail.h"

#include <string.h>

/* "QID: " - Sendmail queue ids are 14 (or more) letters and digits. */
static bool
take_qid(struct mt_span *s, struct mt_span *qid)
{
    size_t i = 0;

    while (i < s->len && i < 40 && mt_is_alnum((unsigned char)s->p[i]))
        i++;
    if (i < 8 || i + 1 >= s->len || s->p[i] != ':' || s->p[i + 1] != ' ')
        return false;
    *qid = mt_span(s->p, i);
    *s = mt_span_skip(*s, i + 2);
    return true;
}

/*
 * The value of ", key=" (or "key=" at the start) up to the next ", ", or
 * an empty span when the key is not there.
 */
static struct mt_span
field(struct mt_span s, const char *key)
{
    size_t klen = strlen(key), i;
    long at;
    struct mt_span v;

    if (s.len >= klen + 1 && memcmp(s.p, key, klen) == 0 && s.p[klen] == '=') {
        at = 0;
    } else {
        char pat[32];
        if (klen + 3 > sizeof(pat))
            return MT_SPAN_NULL;
        pat[0] = ',';
        pat[1] = ' ';
        memcpy(pat + 2, key, klen);
        pat[klen + 2] = '=';
        at = mt_span_find(s, pat, klen + 3);
        if (at < 0)
            return MT_SPAN_NULL;
        at += 2;
    }
    v = mt_span_skip(s, (size_t)at + klen + 1);
    for (i = 0; i < v.len; i++)
        if (v.p[i] == ',' && i + 1 < v.len && v.p[i + 1] == ' ')
            break;
    v.len = i;
    return mt_span_trim(v);
}

/* relay= "HOST [IP]" / "[IP] [IP]" / "HOST." / "u@localhost" into host and ip. */
static void
split_relay(struct mt_span v, struct mt_sm_rec *r)
{
    long sp = mt_span_find(v, " [", 2);
    struct mt_span h = sp >= 0 ? mt_span(v.p, (size_t)sp) : v;

    if (sp >= 0) {
        struct mt_span ip = mt_span_skip(v, (size_t)sp + 2);
        const char *close = memchr(ip.p, ']', ip.len);
        if (close != NULL) {
            ip.len = (size_t)(close - ip.p);
            if (mt_span_istarts(ip, "IPv6:"))
                ip = mt_span_skip(ip, 5);
            r->ip = ip;
        }
    }
    if (h.len > 0 && h.p[h.len - 1] == '.')
        h.len--;
    if (h.len > 1 && h.p[0] == '[') {
        /* "[127.0.0.1] [127.0.0.1]" or "[127.0.0.1]": an address, no name. */
        if (r->ip.len == 0 && h.p[h.len - 1] == ']') {
            r->ip = mt_span(h.p + 1, h.len - 2);
            if (mt_span_istarts(r->ip, "IPv6:"))
                r->ip = mt_span_skip(r->ip, 5);
        }
        h = MT_SPAN_NULL;
    }
    r->host = h;
}

/* STARTTLS=server|client lines. */
static void
parse_starttls(struct mt_span s, struct mt_sm_rec *r)
{
    struct mt_span b;
    unsigned long n;
    size_t i;

    if (mt_span_eat(&s, "server"))
        r->server = true;
    else if (!mt_span_eat(&s, "client"))
        return;
    if (s.len > 0 && s.p[0] == ':') {
        r->kind = MT_SM_TLS_ERROR;
        r->reason = mt_span_trim(mt_span_skip(s, 1));
        return;
    }
    if (!mt_span_eat(&s, ", "))
        return;
    if (mt_span_eat(&s, "error: ")) {
        /* 8.15+: "STARTTLS=server, error: accept failed=-1, reason=..., relay=..." */
        r->kind = MT_SM_TLS_ERROR;
        r->reason = field(s, "reason");
        if (r->reason.len == 0)
            r->reason = s;
        split_relay(field(s, "relay"), r);
        return;
    }
    r->kind = MT_SM_STARTTLS;
    split_relay(field(s, "relay"), r);
    r->version = field(s, "version");
    r->verify = field(s, "verify");
    r->cipher = field(s, "cipher");
    b = field(s, "bits");
    for (i = 0; i < b.len && i < 6 && mt_is_digit((unsigned char)b.p[i]); i++)
        ;
    if (i > 0 && mt_span_to_ulong(mt_span(b.p, i), 100000, &n))
        r->bits = (int)n;
}

/* Classifies one message part. */
void
mt_sendmail_parse(struct mt_span msg, struct mt_sm_rec *r)
{
    struct mt_span s = msg, v;

    memset(r, 0, sizeof(*r));
    r->bits = -1;
    if (mt_span_eat(&s, "STARTTLS=")) {
        parse_starttls(s, r);
        return;
    }
    if (mt_span_eat(&s, "STARTTLS: ")) {
        if (mt_span_find(s, "error", 5) >= 0) {
            r->kind = MT_SM_TLS_ERROR;
            r->reason = s;
        }
        return;
    }
    if (mt_span_eat(&s, "ruleset=tls_server, ") ||
        (mt_span_eat(&s, "ruleset=tls_client, ") && (r->server = true))) {
        v = field(s, "reject");
        if (v.len == 0)
            return;
        r->kind = MT_SM_TLS_ERROR;
        r->reason = v;
        split_relay(field(s, "relay"), r);
        return;
    }
    if (!take_qid(&s, &r->queue_id))
        return;
    if (mt_span_eat(&s, "STARTTLS=")) {
        parse_starttls(s, r);
        return;
    }
    if (mt_span_starts(s, "from=")) {
        r->kind = MT_SM_FROM;
        r->addr = mt_span_unangle(field(s, "from"));
        split_relay(field(s, "relay"), r);
    } else if (mt_span_starts(s, "to=")) {
        struct mt_span dsn = r->dsn = field(s, "dsn"), stat;
        r->kind = MT_SM_TO;
        size_t pos = 0;
        r->rcpts = field(s, "to");
        if (!mt_sendmail_next_rcpt(r->rcpts, &pos, &r->addr))
            r->addr = MT_SPAN_NULL;
        r->mailer = field(s, "mailer");
        split_relay(field(s, "relay"), r);
        stat = field(s, "stat");
        /* stat= is the last field and may hold ", " itself. */
        if (stat.len > 0)
            stat.len = (size_t)(s.p + s.len - stat.p);
        r->reason = stat;
        if (dsn.len > 0)
            r->status = dsn.p[0] == '2'   ? MT_MSG_SENT
                        : dsn.p[0] == '4' ? MT_MSG_DEFERRED
                                          : MT_MSG_BOUNCED;
        else
            r->status = mt_span_starts(stat, "Sent")       ? MT_MSG_SENT
                        : mt_span_starts(stat, "Deferred") ? MT_MSG_DEFERRED
                                                           : MT_MSG_BOUNCED;
    }
}

/* TLS facts of a STARTTLS line. */
void
mt_sendmail_tls(const struct mt_sm_rec *r, struct mt_tls *t)
{
    mt_tls_set_used(t, r->version, r->cipher, r->bits);
    /* verify=NOT: no certificate was asked for - says nothing on trust. */
    if (mt_span_eq(r->verify, MT_SPAN_LIT("OK")))
        t->trust = MT_TRUST_TRUSTED;
    else if (mt_span_eq(r->verify, MT_SPAN_LIT("FAIL")))
        t->trust = MT_TRUST_UNTRUSTED;
    else if (mt_span_eq(r->verify, MT_SPAN_LIT("NO")))
        t->trust = MT_TRUST_ANONYMOUS;
}

/* The next address of a to= list. */
bool
mt_sendmail_next_rcpt(struct mt_span list, size_t *pos, struct mt_span *addr)
{
    size_t i = *pos, start;

    if (i >= list.len)
        return false;
    start = i;
    while (i < list.len && list.p[i] != ',')
        i++;
    *addr = mt_span_unangle(mt_span_trim(mt_span(list.p + start, i - start)));
    *pos = i + 1;
    return true;
}
