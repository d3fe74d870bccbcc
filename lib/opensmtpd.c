/* opensmtpd.c - classify one OpenSMTPD log message part (see opensmtpd.h). */
#include "opensmtpd.h"

#include <string.h>

/* A run of hex digits at the start of s (at most max). */
static size_t
hex_run(struct mt_span s, size_t max)
{
    size_t i = 0;

    while (i < s.len && i < max && mt_is_xdigit((unsigned char)s.p[i]))
        i++;
    return i;
}

/*
 * The value of key= (preceded by a space, ", " or at the start): a "quoted"
 * value without its quotes, else up to a space or ", ". Empty when absent.
 */
static struct mt_span
field(struct mt_span s, const char *key)
{
    size_t klen = strlen(key), i;
    long at = -1;
    struct mt_span rest = s, v;

    while (rest.len > klen) {
        long f = mt_span_find(rest, key, klen);
        if (f < 0)
            return MT_SPAN_NULL;
        if ((size_t)f + klen < rest.len && rest.p[f + (long)klen] == '=' &&
            (rest.p + f == s.p || rest.p[f - 1] == ' ')) {
            at = (long)(rest.p - s.p) + f;
            break;
        }
        rest = mt_span_skip(rest, (size_t)f + 1);
    }
    if (at < 0)
        return MT_SPAN_NULL;
    v = mt_span_skip(s, (size_t)at + klen + 1);
    if (v.len > 0 && v.p[0] == '"') {
        const char *q = memchr(v.p + 1, '"', v.len - 1);
        return mt_span(v.p + 1, q ? (size_t)(q - v.p - 1) : v.len - 1);
    }
    for (i = 0; i < v.len && v.p[i] != ' '; i++)
        if (v.p[i] == ',' && i + 1 < v.len && v.p[i + 1] == ' ')
            break;
    return mt_span(v.p, i);
}

/* "IP (NAME)" of relay= into ip and host. */
static void
split_relay(struct mt_span v, struct mt_os_rec *r)
{
    long sp = mt_span_find(v, " (", 2);

    if (sp < 0) {
        r->ip = v;
        return;
    }
    r->ip = mt_span(v.p, (size_t)sp);
    r->host = mt_span_skip(v, (size_t)sp + 2);
    if (r->host.len > 0 && r->host.p[r->host.len - 1] == ')')
        r->host.len--;
}

/* "TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256" into protocol, cipher, bits. */
static void
split_ciphers(struct mt_span v, struct mt_os_rec *r)
{
    const char *c1 = memchr(v.p, ':', v.len), *c2;
    unsigned long b;

    if (c1 == NULL) {
        r->cipher = v;
        return;
    }
    r->protocol = mt_span(v.p, (size_t)(c1 - v.p));
    c1++;
    c2 = memchr(c1, ':', (size_t)(v.p + v.len - c1));
    r->cipher = mt_span(c1, c2 ? (size_t)(c2 - c1) : (size_t)(v.p + v.len - c1));
    if (c2 != NULL && mt_span_to_ulong(mt_span(c2 + 1, (size_t)(v.p + v.len - c2 - 1)), 100000, &b))
        r->bits = (int)b;
}

/* The message id of an envelope id. */
static struct mt_span
msgid_of(struct mt_span evp)
{
    return evp.len >= 8 && hex_run(evp, 8) == 8 ? mt_span(evp.p, 8) : MT_SPAN_NULL;
}

/* Delivery result words. */
static enum mt_msg_status
result_of(struct mt_span v)
{
    if (mt_span_ieq(v, "Ok"))
        return MT_MSG_SENT;
    if (mt_span_ieq(v, "PermFail"))
        return MT_MSG_BOUNCED;
    return MT_MSG_DEFERRED;
}

/* 5.x lines. */
static void
parse_v5(struct mt_span s, struct mt_os_rec *r)
{
    struct mt_span v;
    size_t n;
    unsigned long b;

    if (mt_span_eat(&s, "smtp-in: ") || (mt_span_eat(&s, "smtp-out: ") && (r->out = true))) {
        if (mt_span_eat(&s, "New session ")) {
            n = hex_run(s, 16);
            r->session = mt_span(s.p, n);
            s = mt_span_skip(s, n);
            if (!mt_span_eat(&s, " from host "))
                return;
            v = s;
            {
                long b0 = mt_span_find(v, " [", 2);
                if (b0 < 0)
                    return;
                r->host = mt_span(v.p, (size_t)b0);
                v = mt_span_skip(v, (size_t)b0 + 2);
                if (v.len > 0 && v.p[v.len - 1] == ']')
                    v.len--;
                r->ip = v;
            }
            r->kind = MT_OS_CONNECTED;
        } else if (mt_span_eat(&s, "Started TLS on session ")) {
            n = hex_run(s, 16);
            r->session = mt_span(s.p, n);
            r->protocol = field(s, "version");
            r->cipher = field(s, "cipher");
            v = field(s, "bits");
            if (mt_span_to_ulong(v, 100000, &b))
                r->bits = (int)b;
            r->kind = MT_OS_TLS;
        } else if (mt_span_eat(&s, "Accepted message ")) {
            n = hex_run(s, 8);
            r->msgid = mt_span(s.p, n);
            s = mt_span_skip(s, n);
            if (!mt_span_eat(&s, " on session "))
                return;
            n = hex_run(s, 16);
            r->session = mt_span(s.p, n);
            r->from = mt_span_unangle(field(s, "from"));
            r->to = mt_span_unangle(field(s, "to"));
            r->kind = MT_OS_MESSAGE;
        } else if (r->out && mt_span_eat(&s, "Error on session ")) {
            n = hex_run(s, 16);
            r->session = mt_span(s.p, n);
            s = mt_span_skip(s, n);
            if (n != 16 || !mt_span_eat(&s, ": "))
                return;
            r->reason = s;
            r->kind = MT_OS_ERROR;
        } else if (mt_span_eat(&s, "Closing session ") ||
                   mt_span_eat(&s, "Received disconnect from session ")) {
            n = hex_run(s, 16);
            r->session = mt_span(s.p, n);
            r->kind = MT_OS_DISCONNECTED;
        }
        return;
    }
    {
        bool relay = mt_span_eat(&s, "relay: ");
        if (!relay && !mt_span_eat(&s, "delivery: "))
            return;
        n = 0;
        while (n < s.len && mt_is_alpha((unsigned char)s.p[n]))
            n++;
        r->status = result_of(mt_span(s.p, n));
        s = mt_span_skip(s, n);
        if (!mt_span_eat(&s, " for "))
            return;
        r->msgid = msgid_of(s);
        r->from = mt_span_unangle(field(s, "from"));
        r->to = mt_span_unangle(field(s, "to"));
        r->reason = field(s, "stat");
        if (relay) {
            r->out = true;
            r->session = field(s, "session");
            split_relay(field(s, "relay"), r);
            r->kind = MT_OS_DELIVERY;
        } else {
            r->kind = MT_OS_LOCAL;
        }
    }
}

/* Classifies one message part. */
void
mt_opensmtpd_parse(struct mt_span msg, struct mt_os_rec *r)
{
    struct mt_span s = msg, v;
    size_t n;

    memset(r, 0, sizeof(*r));
    r->bits = -1;
    n = hex_run(s, 16);
    if (n != 16 || s.len < 18 || s.p[16] != ' ') {
        parse_v5(s, r);
        return;
    }
    r->session = mt_span(s.p, 16);
    s = mt_span_skip(s, 17);
    if (mt_span_eat(&s, "mta "))
        r->out = true;
    else if (mt_span_eat(&s, "mda ")) {
        if (mt_span_eat(&s, "delivery ")) {
            r->kind = MT_OS_LOCAL;
            r->msgid = msgid_of(field(s, "evpid"));
            r->to = mt_span_unangle(field(s, "to"));
        }
        return;
    } else if (!mt_span_eat(&s, "smtp "))
        return;
    if (mt_span_eat(&s, "connected ") && !r->out) {
        r->ip = field(s, "address");
        r->host = field(s, "host");
        r->kind = MT_OS_CONNECTED;
    } else if (mt_span_eat(&s, "connecting ")) {
        v = field(s, "address");
        long scheme = mt_span_find(v, "://", 3);
        if (scheme >= 0 && scheme < 16) {
            v = mt_span_skip(v, (size_t)scheme + 3);
            long colon = -1;
            size_t i;
            for (i = 0; i < v.len; i++)
                if (v.p[i] == ':')
                    colon = (long)i;
            if (v.len > 0 && v.p[0] == '[') {
                const char *close = memchr(v.p, ']', v.len);
                if (close != NULL) {
                    r->ip = mt_span(v.p + 1, (size_t)(close - v.p - 1));
                    if ((size_t)(close - v.p) + 2 <= v.len && close[1] == ':')
                        r->port = mt_span(close + 2, (size_t)(v.p + v.len - close - 2));
                }
            } else if (colon > 0) {
                r->ip = mt_span(v.p, (size_t)colon);
                r->port = mt_span_skip(v, (size_t)colon + 1);
            } else {
                r->ip = v;
            }
        }
        r->host = field(s, "host");
        r->kind = MT_OS_CONNECTING;
    } else if (mt_span_eat(&s, "tls ")) {
        v = field(s, "ciphers");
        if (v.len == 0)
            return;
        split_ciphers(v, r);
        r->kind = MT_OS_TLS;
    } else if (mt_span_eat(&s, "message ")) {
        r->msgid = field(s, "msgid");
        r->kind = MT_OS_MESSAGE;
    } else if (mt_span_eat(&s, "envelope ")) {
        r->msgid = msgid_of(field(s, "evpid"));
        r->from = mt_span_unangle(field(s, "from"));
        r->to = mt_span_unangle(field(s, "to"));
        r->kind = MT_OS_ENVELOPE;
    } else if (mt_span_eat(&s, "disconnected")) {
        r->reason = field(s, "reason");
        r->kind = MT_OS_DISCONNECTED;
    } else if (mt_span_eat(&s, "error reason=") && r->out) {
        r->reason = s;
        r->kind = MT_OS_ERROR;
    } else if (mt_span_eat(&s, "server-cert-check ") && r->out) {
        r->verified = mt_span_eq(field(s, "result"), MT_SPAN_LIT("success"));
        r->kind = MT_OS_CERT;
    } else if (mt_span_eat(&s, "delivery ") && r->out) {
        r->msgid = msgid_of(field(s, "evpid"));
        r->from = mt_span_unangle(field(s, "from"));
        r->to = mt_span_unangle(field(s, "to"));
        split_relay(field(s, "relay"), r);
        r->status = result_of(field(s, "result"));
        r->reason = field(s, "stat");
        r->kind = MT_OS_DELIVERY;
    }
}

/* TLS facts of a TLS line. */
void
mt_opensmtpd_tls(const struct mt_os_rec *r, struct mt_tls *t)
{
    mt_tls_set_used(t, r->protocol, r->cipher, r->bits);
}
