/* tls.c - the TLS facts of a hop: setters, protocol names, verdict, reasons. */
#include "tls.h"

#include <stdio.h>
#include <string.h>

#include "cipher.h"

/* Sets every fact to unknown. */
void
mt_tls_init(struct mt_tls *t)
{
    /* Field by field: clearing the whole struct costs more than its users (one per log record). */
    t->used = MT_TRI_UNKNOWN;
    t->proto_min = t->proto_max = MT_PROTO_NONE;
    t->cipher = NULL;
    t->cipher_raw[0] = '\0';
    t->protocol_raw[0] = '\0';
    t->bits = -1;
    t->trust = MT_TRUST_UNKNOWN;
    t->kex_group[0] = '\0';
    t->signature[0] = '\0';
}

/* A hop without TLS. */
void
mt_tls_set_plaintext(struct mt_tls *t)
{
    mt_tls_init(t);
    t->used = MT_TRI_NO;
}

/* A TLS hop with the protocol, cipher and bits a log line gave; protocol first. */
void
mt_tls_set_used(struct mt_tls *t, struct mt_span protocol, struct mt_span cipher, int bits)
{
    mt_tls_init(t);
    t->used = MT_TRI_YES;
    if (protocol.len > 0)
        (void)mt_tls_set_protocol(t, protocol.p, protocol.len);
    if (cipher.len > 0)
        (void)mt_tls_set_cipher(t, cipher.p, cipher.len);
    t->bits = bits;
}

/* Copies a span into a fixed field, or leaves it empty when it does not fit. */
static void
copy_field(char *dst, size_t dstsz, const char *p, size_t len)
{
    if (!mt_span_copy(mt_span(p, len), dst, dstsz))
        dst[0] = '\0';
}

/* The protocol when known exactly, else NONE. */
static enum mt_proto
exact_proto(const struct mt_tls *t)
{
    return mt_tls_proto_exact(t) ? t->proto_min : MT_PROTO_NONE;
}

/* Looks the cipher name up for the protocol known so far and applies the hint. */
static bool
resolve_cipher(struct mt_tls *t, const char *p, size_t len)
{
    struct mt_cipher_hint hint;

    t->cipher = mt_cipher_lookup_proto(p, len, exact_proto(t), &hint);
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

/*
 * Records a protocol as written. A cipher recorded earlier is looked up
 * again: Exim's GnuTLS descriptions name different suites in TLS 1.2 and 1.3.
 */
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
    if (t->cipher_raw[0] != '\0')
        resolve_cipher(t, t->cipher_raw, strlen(t->cipher_raw));
    mt_tls_refine(t);
    return true;
}

/* Records a cipher as written and what its name implies. */
bool
mt_tls_set_cipher(struct mt_tls *t, const char *p, size_t len)
{
    t->used = MT_TRI_YES;
    copy_field(t->cipher_raw, sizeof(t->cipher_raw), p, len);
    return resolve_cipher(t, p, len);
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
 * The protocol range the facts allow: as recorded, else what the cipher
 * needs (a TLS 1.3 suite means TLS 1.3; a TLS 1.2-only suite, TLS 1.2).
 */
static void
effective_proto(const struct mt_tls *t, enum mt_proto *lo, enum mt_proto *hi)
{
    const struct mt_cipher *c = t->cipher;

    *lo = t->proto_min;
    *hi = t->proto_max;
    if (c != NULL && (c->flags & MT_CIPHER_TLS13))
        *lo = *hi = MT_PROTO_TLS13;
    else if (*lo == MT_PROTO_NONE && c != NULL && (c->flags & MT_CIPHER_TLS12))
        *lo = *hi = MT_PROTO_TLS12;
}

/* True for key exchanges without forward secrecy. */
static bool
kx_static(enum mt_kx kx)
{
    return kx == MT_KX_NULL || kx == MT_KX_RSA || kx == MT_KX_DH || kx == MT_KX_ECDH ||
           kx == MT_KX_PSK || kx == MT_KX_RSA_PSK || kx == MT_KX_KRB5;
}

/* Forward secrecy of the hop. */
enum mt_tri
mt_tls_pfs(const struct mt_tls *t)
{
    const struct mt_cipher *c = t->cipher;
    enum mt_proto lo, hi;

    if (t->used == MT_TRI_NO)
        return MT_TRI_UNKNOWN;
    effective_proto(t, &lo, &hi);
    if (lo == MT_PROTO_TLS13)
        return MT_TRI_YES;
    if (c == NULL)
        return MT_TRI_UNKNOWN;
    if (c->flags & MT_CIPHER_PFS)
        return MT_TRI_YES;
    return kx_static(c->kx) ? MT_TRI_NO : MT_TRI_UNKNOWN;
}

/* Raises *v to w when w is worse. */
static void
worsen(enum mt_verdict *v, enum mt_verdict w)
{
    if (w > *v)
        *v = w;
}

/*
 * The verdict, worst axis wins. Each axis is rated by what is known; an
 * axis that is not known (no protocol, a range, no cipher) cannot make the
 * verdict better, only "unknown" when everything known is fine. So the
 * verdict is a lower bound: "deprecated" with a missing cipher means at
 * least deprecated. doc/tls-model.md has the rules and examples.
 */
enum mt_verdict
mt_tls_verdict(const struct mt_tls *t, unsigned *reasons)
{
    const struct mt_cipher *c = t->cipher;
    enum mt_verdict v = MT_VERDICT_OK;
    enum mt_proto lo, hi;
    unsigned r = 0;
    bool uncertain = false, tls13;

    if (t->used == MT_TRI_NO) {
        v = MT_VERDICT_PLAINTEXT;
        r = MT_REASON_PLAINTEXT;
        goto out;
    }
    effective_proto(t, &lo, &hi);
    if (t->used == MT_TRI_UNKNOWN && lo == MT_PROTO_NONE && c == NULL && t->cipher_raw[0] == '\0') {
        v = MT_VERDICT_UNKNOWN; /* nothing says TLS was used, nothing to explain */
        goto out;
    }
    tls13 = lo == MT_PROTO_TLS13;

    /* Protocol: the best version of a range rates it; the rest is uncertain. */
    if (lo == MT_PROTO_NONE) {
        uncertain = true;
        r |= MT_REASON_NO_DETAILS;
    } else {
        if (lo != hi) {
            uncertain = true;
            r |= MT_REASON_VAGUE_PROTOCOL;
        }
        if (hi <= MT_PROTO_SSL3) {
            worsen(&v, MT_VERDICT_INSECURE);
            r |= MT_REASON_SSL;
        } else if (hi <= MT_PROTO_TLS11) {
            worsen(&v, MT_VERDICT_DEPRECATED);
            r |= MT_REASON_OLD_TLS;
        }
    }

    if (c == NULL) {
        /* Any TLS 1.3 suite is fine; below, the cipher decides. */
        if (!tls13) {
            uncertain = true;
            r |= t->cipher_raw[0] != '\0' ? MT_REASON_UNKNOWN_CIPHER : MT_REASON_NO_DETAILS;
        } else if (t->cipher_raw[0] != '\0') {
            r |= MT_REASON_UNKNOWN_CIPHER;
        }
        goto done;
    }

    /* Bulk cipher. */
    if (c->enc == MT_ENC_NULL) {
        worsen(&v, MT_VERDICT_INSECURE);
        r |= MT_REASON_NULL_CIPHER;
    }
    if (c->flags & MT_CIPHER_EXPORT) {
        worsen(&v, MT_VERDICT_INSECURE);
        r |= MT_REASON_EXPORT;
    }
    if (c->enc == MT_ENC_RC4 || c->enc == MT_ENC_DES || c->enc == MT_ENC_DES40 ||
        c->enc == MT_ENC_RC2) {
        worsen(&v, MT_VERDICT_INSECURE);
        r |= MT_REASON_BROKEN_CIPHER;
    }
    if (c->enc == MT_ENC_3DES || c->enc == MT_ENC_IDEA) {
        worsen(&v, MT_VERDICT_DEPRECATED);
        r |= MT_REASON_WEAK_CIPHER;
    }
    /* TLS 1.3 always uses ephemeral keys and AEAD, whatever the name says
     * (Exim with GnuTLS may log a TLS 1.2 suite name for a TLS 1.3 session). */
    if (tls13)
        goto done;

    /* Key exchange. */
    if (!(c->flags & MT_CIPHER_PFS) && kx_static(c->kx)) {
        worsen(&v, MT_VERDICT_DEPRECATED);
        r |= MT_REASON_NO_PFS;
    }
    if (c->flags & MT_CIPHER_ANON)
        r |= MT_REASON_ANONYMOUS;

    /* MAC and mode. */
    if (c->mac == MT_MAC_MD5) {
        worsen(&v, MT_VERDICT_DEPRECATED);
        r |= MT_REASON_MD5;
    }
    if (!(c->flags & MT_CIPHER_AEAD) && c->mode != MT_MODE_NONE) {
        worsen(&v, MT_VERDICT_LEGACY);
        r |= MT_REASON_CBC;
    }

done:
    if (v == MT_VERDICT_OK && uncertain)
        v = MT_VERDICT_UNKNOWN;
out:
    if (reasons != NULL)
        *reasons = r;
    return v;
}

/* A protocol version as prose ("TLS 1.2"). */
static const char *
proto_prose(enum mt_proto p)
{
    static const char *const names[] = { "TLS",     "SSLv2",   "SSLv3",  "TLS 1.0",
                                         "TLS 1.1", "TLS 1.2", "TLS 1.3" };

    return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "TLS";
}

/* The key exchange of a suite without forward secrecy, as prose. */
static const char *
kx_prose(enum mt_kx kx)
{
    switch (kx) {
    case MT_KX_RSA:
        return "static RSA";
    case MT_KX_DH:
        return "static DH";
    case MT_KX_ECDH:
        return "static ECDH";
    case MT_KX_PSK:
        return "pre-shared key (PSK)";
    case MT_KX_RSA_PSK:
        return "RSA with pre-shared key";
    case MT_KX_KRB5:
        return "Kerberos";
    case MT_KX_NULL:
        return "no";
    default:
        return "non-ephemeral";
    }
}

/* The MAC of a suite as prose ("HMAC-SHA1"). */
static const char *
mac_prose(enum mt_mac m)
{
    switch (m) {
    case MT_MAC_MD5:
        return "HMAC-MD5";
    case MT_MAC_SHA1:
        return "HMAC-SHA1";
    case MT_MAC_SHA256:
        return "HMAC-SHA256";
    case MT_MAC_SHA384:
        return "HMAC-SHA384";
    default:
        return "a MAC";
    }
}

/* Writes the English phrase for one reason bit into buf. */
static void
reason_phrase(const struct mt_tls *t, unsigned bit, char *buf, size_t bufsz)
{
    const struct mt_cipher *c = t->cipher;
    enum mt_proto lo, hi;

    effective_proto(t, &lo, &hi);
    buf[0] = '\0';
    switch (bit) {
    case MT_REASON_PLAINTEXT:
        snprintf(buf, bufsz, "no TLS: the hop was not encrypted");
        break;
    case MT_REASON_SSL:
        snprintf(buf, bufsz, "%s is broken (%s)", proto_prose(hi),
                 hi == MT_PROTO_SSL2 ? "RFC 6176" : "RFC 7568");
        break;
    case MT_REASON_OLD_TLS:
        if (lo == hi)
            snprintf(buf, bufsz, "%s is deprecated (RFC 8996)", proto_prose(hi));
        else
            snprintf(buf, bufsz, "%s to %s are deprecated (RFC 8996)", proto_prose(lo),
                     proto_prose(hi));
        break;
    case MT_REASON_NULL_CIPHER:
        snprintf(buf, bufsz, "no encryption: NULL cipher");
        break;
    case MT_REASON_EXPORT:
        if (c != NULL && c->bits > 0)
            snprintf(buf, bufsz, "export-grade cipher suite (%u-bit key)", (unsigned)c->bits);
        else
            snprintf(buf, bufsz, "export-grade cipher suite");
        break;
    case MT_REASON_BROKEN_CIPHER:
        if (c != NULL && c->enc == MT_ENC_RC4)
            snprintf(buf, bufsz, "RC4 is broken (RFC 7465)");
        else if (c != NULL && c->enc == MT_ENC_RC2)
            snprintf(buf, bufsz, "RC2 is broken");
        else
            snprintf(buf, bufsz, "DES is broken (56-bit key)");
        break;
    case MT_REASON_WEAK_CIPHER:
        snprintf(buf, bufsz, "%s is deprecated (64-bit blocks, Sweet32)",
                 c != NULL && c->enc == MT_ENC_IDEA ? "IDEA" : "3DES");
        break;
    case MT_REASON_NO_PFS:
        if (lo != MT_PROTO_NONE && lo == hi)
            snprintf(buf, bufsz, "%s without forward secrecy: %s key exchange", proto_prose(lo),
                     kx_prose(c != NULL ? c->kx : MT_KX_UNKNOWN));
        else
            snprintf(buf, bufsz, "no forward secrecy: %s key exchange",
                     kx_prose(c != NULL ? c->kx : MT_KX_UNKNOWN));
        break;
    case MT_REASON_MD5:
        snprintf(buf, bufsz, "MD5 MAC is deprecated");
        break;
    case MT_REASON_CBC:
        if (c != NULL && c->mode == MT_MODE_CBC)
            snprintf(buf, bufsz, "CBC mode with %s, not AEAD", mac_prose(c->mac));
        else
            snprintf(buf, bufsz, "not an AEAD cipher mode");
        break;
    case MT_REASON_ANONYMOUS:
        snprintf(buf, bufsz,
                 "anonymous key exchange: the server is not authenticated "
                 "(forward secrecy holds)");
        break;
    case MT_REASON_NO_DETAILS:
        if (lo == MT_PROTO_NONE && c == NULL && t->cipher_raw[0] == '\0')
            snprintf(buf, bufsz, "protocol and cipher not known");
        else if (lo == MT_PROTO_NONE)
            snprintf(buf, bufsz, "protocol not known");
        else
            snprintf(buf, bufsz, "cipher not known");
        break;
    case MT_REASON_UNKNOWN_CIPHER:
        snprintf(buf, bufsz, "cipher name not recognised");
        break;
    case MT_REASON_VAGUE_PROTOCOL:
        snprintf(buf, bufsz, "protocol logged only as a range (%s to %s)",
                 proto_prose(t->proto_min), proto_prose(t->proto_max));
        break;
    default:
        break;
    }
}

/* Writes the reasons as English phrases separated by "; ". */
size_t
mt_tls_reasons_format(const struct mt_tls *t, unsigned reasons, char *dst, size_t dstsz)
{
    char phrase[160];
    size_t n = 0, pn;
    unsigned i;

    if (dstsz == 0)
        return 0;
    dst[0] = '\0';
    for (i = 0; i < MT_REASON_COUNT; i++) {
        unsigned bit = 1u << i;
        if (!(reasons & bit))
            continue;
        reason_phrase(t, bit, phrase, sizeof(phrase));
        pn = strlen(phrase);
        if (pn == 0 || n + (n > 0 ? 2 : 0) + pn >= dstsz)
            continue;
        if (n > 0) {
            memcpy(dst + n, "; ", 2);
            n += 2;
        }
        memcpy(dst + n, phrase, pn);
        n += pn;
        dst[n] = '\0';
    }
    return n;
}

/*
 * Parses "SSLv3", "TLSv1", "TLSv1.2", "TLS1_2", "TLS1.2", "TLS-1.0",
 * "TLS 1.3", "tlsv1.3", "TLS12", "TLS1.3-X.509" and the range "TLSv1/SSLv3".
 */
bool
mt_proto_parse(const char *p, size_t len, enum mt_proto *min, enum mt_proto *max)
{
    struct mt_span s = mt_span_trim(mt_span(p, len));
    bool ssl;
    size_t i;
    unsigned major, minor = 0;

    /* OpenSSL before 1.0.1 named every SSLv3/TLS 1.x cipher "TLSv1/SSLv3"
     * (SSL_CIPHER_get_version); Sendmail logs that as the version. */
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
    } else if (!ssl && major == 1 && i + 1 == s.len && mt_is_digit((unsigned char)s.p[i])) {
        minor = (unsigned)(s.p[i++] - '0'); /* "TLS12", as .NET names it */
    }
    /* GnuTLS appends the certificate types when raw public keys are
     * enabled, and Exim logs that: "TLS1.3-X.509", "TLS1.2-RAWPK". */
    if (i < s.len && s.p[i] == '-' &&
        (mt_span_istarts(mt_span(s.p + i, s.len - i), "-X.509") ||
         mt_span_istarts(mt_span(s.p + i, s.len - i), "-RAWPK"))) {
        size_t j;
        for (j = i; j < s.len; j++)
            if (!mt_is_alnum((unsigned char)s.p[j]) && s.p[j] != '.' && s.p[j] != '-')
                return false;
        i = s.len;
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
