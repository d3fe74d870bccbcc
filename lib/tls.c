/* tls.c - the TLS facts of a hop: setters, protocol names, strings. */
#include "tls.h"

#include <string.h>

#include "cipher.h"

/* Sets every fact to unknown. */
void
mt_tls_init(struct mt_tls *t)
{
    memset(t, 0, sizeof(*t));
    t->used = MT_TRI_UNKNOWN;
    t->bits = -1;
}

/* A hop without TLS. */
void
mt_tls_set_plaintext(struct mt_tls *t)
{
    mt_tls_init(t);
    t->used = MT_TRI_NO;
}

/* Copies a span into a fixed field, or leaves it empty when it does not fit. */
static void
copy_field(char *dst, size_t dstsz, const char *p, size_t len)
{
    if (!mt_span_copy(mt_span(p, len), dst, dstsz))
        dst[0] = '\0';
}

/* Records a protocol as written. */
bool
mt_tls_set_protocol(struct mt_tls *t, const char *p, size_t len)
{
    enum mt_proto lo, hi;

    t->used = MT_TRI_YES;
    copy_field(t->protocol_raw, sizeof(t->protocol_raw), p, len);
    if (!mt_proto_parse(p, len, &lo, &hi))
        return false;
    t->proto_min = lo;
    t->proto_max = hi;
    mt_tls_refine(t);
    return true;
}

/* Records a cipher as written and what its name implies. */
bool
mt_tls_set_cipher(struct mt_tls *t, const char *p, size_t len)
{
    struct mt_cipher_hint hint;

    t->used = MT_TRI_YES;
    copy_field(t->cipher_raw, sizeof(t->cipher_raw), p, len);
    memset(&hint, 0, sizeof(hint));
    t->cipher = mt_cipher_lookup(p, len, &hint);
    if (t->cipher == NULL)
        return false;
    if (hint.kex_group[0] != '\0' && t->kex_group[0] == '\0')
        memcpy(t->kex_group, hint.kex_group, sizeof(t->kex_group));
    if (hint.signature[0] != '\0' && t->signature[0] == '\0')
        memcpy(t->signature, hint.signature, sizeof(t->signature));
    if (hint.proto != MT_PROTO_NONE && t->proto_min == MT_PROTO_NONE)
        t->proto_min = t->proto_max = hint.proto;
    mt_tls_refine(t);
    return true;
}

/* Narrows the protocol range from what the cipher needs. */
void
mt_tls_refine(struct mt_tls *t)
{
    const struct mt_cipher *c = t->cipher;

    if (c == NULL)
        return;
    if (c->flags & MT_CIPHER_TLS13) {
        t->proto_min = t->proto_max = MT_PROTO_TLS13;
        return;
    }
    if (t->proto_min == MT_PROTO_NONE)
        return;
    /* A TLS 1.2-only suite in a vague range pins TLS 1.2 (e.g. Sendmail's
     * "TLSv1/SSLv3" with an AES-GCM suite). */
    if ((c->flags & MT_CIPHER_TLS12) && t->proto_min < MT_PROTO_TLS12 &&
        t->proto_max >= MT_PROTO_TLS12)
        t->proto_min = t->proto_max = MT_PROTO_TLS12;
}

/* True when the range is one version. */
bool
mt_tls_proto_exact(const struct mt_tls *t)
{
    return t->proto_min != MT_PROTO_NONE && t->proto_min == t->proto_max;
}

/*
 * Parses "SSLv3", "TLSv1", "TLSv1.2", "TLS1_2", "TLS1.2", "TLS-1.0",
 * "TLS 1.3", "tlsv1.3" and the range "TLSv1/SSLv3".
 */
bool
mt_proto_parse(const char *p, size_t len, enum mt_proto *min, enum mt_proto *max)
{
    struct mt_span s = mt_span_trim(mt_span(p, len));
    bool ssl;
    size_t i;
    unsigned major, minor = 0;

    if (mt_span_ieq(s, "TLSv1/SSLv3") || mt_span_ieq(s, "SSLv3/TLSv1")) {
        *min = MT_PROTO_SSL3;
        *max = MT_PROTO_TLS12;
        return true;
    }
    if (mt_span_istarts(s, "SSL"))
        ssl = true;
    else if (mt_span_istarts(s, "TLS"))
        ssl = false;
    else
        return false;
    i = 3;
    if (i < s.len && (s.p[i] == 'v' || s.p[i] == 'V'))
        i++;
    while (i < s.len && (s.p[i] == ' ' || s.p[i] == '-' || s.p[i] == '_'))
        i++;
    if (i >= s.len || !mt_is_digit((unsigned char)s.p[i]))
        return false;
    major = (unsigned)(s.p[i++] - '0');
    if (i < s.len && (s.p[i] == '.' || s.p[i] == '_')) {
        i++;
        if (i >= s.len || !mt_is_digit((unsigned char)s.p[i]))
            return false;
        minor = (unsigned)(s.p[i++] - '0');
    }
    if (i != s.len)
        return false;
    if (ssl) {
        if (minor != 0 || (major != 2 && major != 3))
            return false;
        *min = *max = major == 2 ? MT_PROTO_SSL2 : MT_PROTO_SSL3;
        return true;
    }
    if (major != 1 || minor > 3)
        return false;
    *min = *max = (enum mt_proto)(MT_PROTO_TLS10 + minor);
    return true;
}

/* Verdict names. */
const char *
mt_verdict_str(enum mt_verdict v)
{
    static const char *const names[] = { "unknown",    "ok",       "legacy",
                                         "deprecated", "insecure", "plaintext" };

    return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "unknown";
}

/* Parses a verdict name. */
bool
mt_verdict_parse(const char *p, size_t len, enum mt_verdict *out)
{
    int v;

    for (v = 0; v < MT_VERDICT_COUNT; v++) {
        if (mt_span_ieq(mt_span(p, len), mt_verdict_str((enum mt_verdict)v))) {
            *out = (enum mt_verdict)v;
            return true;
        }
    }
    return false;
}

/* Protocol names in the form OpenSSL logs them. */
const char *
mt_proto_str(enum mt_proto p)
{
    static const char *const names[] = { NULL,      "SSLv2",   "SSLv3",  "TLSv1",
                                         "TLSv1.1", "TLSv1.2", "TLSv1.3" };

    return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : NULL;
}

/* Trust names. */
const char *
mt_trust_str(enum mt_trust t)
{
    static const char *const names[] = { NULL, "anonymous", "untrusted", "trusted", "verified" };

    return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : NULL;
}

/* yes/no/unknown. */
const char *
mt_tri_str(enum mt_tri t)
{
    return t == MT_TRI_YES ? "yes" : t == MT_TRI_NO ? "no" : "unknown";
}
