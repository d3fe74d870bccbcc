/* received_tls.c - TLS comments of Received: fields (see received_tls.h). */
#include "received_tls.h"

#include <string.h>

/* A cursor over the words of a comment. */
struct words {
    const char *p;
    size_t len;
    size_t i;
};

/*
 * Next word: a run of bytes up to white space; a parenthesised group
 * ("(256/256 bits)", nested) is one word. False at the end.
 */
static bool
next_word(struct words *w, struct mt_span *out)
{
    size_t s;
    int depth = 0;

    while (w->i < w->len && mt_is_space((unsigned char)w->p[w->i]))
        w->i++;
    if (w->i >= w->len)
        return false;
    s = w->i;
    if (w->p[w->i] == '(') {
        for (; w->i < w->len; w->i++) {
            if (w->p[w->i] == '(')
                depth++;
            else if (w->p[w->i] == ')' && --depth == 0) {
                w->i++;
                break;
            }
        }
    } else {
        while (w->i < w->len && !mt_is_space((unsigned char)w->p[w->i]) && w->p[w->i] != '(')
            w->i++;
    }
    *out = mt_span(w->p + s, w->i - s);
    return true;
}

/* s without trailing commas/semicolons. */
static struct mt_span
strip_punct(struct mt_span s)
{
    while (s.len > 0 && (s.p[s.len - 1] == ',' || s.p[s.len - 1] == ';'))
        s.len--;
    return s;
}

/* The inside of "(...)" trimmed, or s itself when it is not parenthesised. */
static struct mt_span
unparen(struct mt_span s)
{
    if (s.len >= 2 && s.p[0] == '(' && s.p[s.len - 1] == ')')
        return mt_span_trim(mt_span(s.p + 1, s.len - 2));
    return s;
}

/* True when s starts with digits (bits as written: "256", "256/256", "128bits"). */
static bool
starts_digit(struct mt_span s)
{
    return s.len > 0 && mt_is_digit((unsigned char)s.p[0]);
}

/* Records key bits. */
void
mt_received_tls_bits(struct mt_tls *tls, struct mt_span raw, bool bytes)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; i < raw.len && i < 6 && mt_is_digit((unsigned char)raw.p[i]); i++)
        v = v * 10 + (unsigned long)(raw.p[i] - '0');
    if (i == 0 || i >= 6)
        return;
    tls->bits = (int)(bytes ? v * 8 : v);
}

/* Copies a span (folding collapsed) into a fixed field; empty when too long. */
static void
set_name(char *dst, size_t dstsz, struct mt_span s)
{
    if (!mt_span_copy_collapse(s, dst, dstsz))
        dst[0] = '\0';
}

/* Postfix "using PROTO with cipher C (B/B bits) key-exchange ...", NVIDIA, Mimecast. */
static enum mt_rtls
postfix_using(struct words *w, struct mt_tls *tls, struct mt_span *bits_raw)
{
    struct mt_span x, prev = MT_SPAN_NULL;

    if (!next_word(w, &x))
        return MT_RTLS_NONE;
    if (RX_IEQ(x, "TLS")) { /* Mimecast "Using TLS" */
        tls->used = MT_TRI_YES;
        return MT_RTLS_FACTS;
    }
    if (RX_IEQ(x, "TLS:")) { /* "using TLS: TLSv1.2, AES256-SHA" */
        if (next_word(w, &x))
            mt_tls_set_protocol(tls, strip_punct(x).p, strip_punct(x).len);
        if (next_word(w, &x))
            mt_tls_set_cipher(tls, strip_punct(x).p, strip_punct(x).len);
        tls->used = MT_TRI_YES;
        return MT_RTLS_FACTS;
    }
    if (!RX_ISTARTS(x, "TLS") && !RX_ISTARTS(x, "SSL"))
        return MT_RTLS_NONE;
    mt_tls_set_protocol(tls, x.p, x.len);
    while (next_word(w, &x)) {
        if (RX_IEQ(prev, "cipher")) {
            struct words look = *w;
            struct mt_span y = MT_SPAN_NULL;
            mt_tls_set_cipher(tls, x.p, x.len);
            /* "(256/256 bits)", Kerio "(256 bits)" */
            if (next_word(&look, &y) && y.p[0] == '(' && RX_IENDS(unparen(y), "bits") &&
                starts_digit(unparen(y))) {
                struct mt_span b = unparen(y);
                b.len -= 4;
                *bits_raw = mt_span_trim(b);
                mt_received_tls_bits(tls, *bits_raw, false);
                *w = look;
            } else if (y.len > 0 && y.p[0] == '(' && RX_ISTARTS(unparen(y), "curve ")) {
                /* Strato "(curve X9_62_prime256v1 with 256 ECDH bits, eq. 3072 bits RSA)" */
                struct words in = { unparen(y).p, unparen(y).len, 0 };
                struct mt_span g;
                if (next_word(&in, &g) && next_word(&in, &g))
                    set_name(tls->kex_group, sizeof(tls->kex_group), g);
                *w = look;
            }
        } else if (RX_IEQ(prev, "key-exchange")) {
            set_name(tls->kex_group, sizeof(tls->kex_group), x);
        } else if (RX_IEQ(prev, "server-signature")) {
            struct words look = *w;
            struct mt_span y;
            /* "RSA-PSS (2048 bits)", "ECDSA (P-384)" */
            if (next_word(&look, &y) && y.p[0] == '(') {
                x = mt_span(x.p, (size_t)(y.p + y.len - x.p));
                *w = look;
            }
            set_name(tls->signature, sizeof(tls->signature), x);
        }
        prev = x;
    }
    return MT_RTLS_FACTS;
}

/* Maps Sendmail's ${verify} (and OpenSMTPD's YES/NO) to the peer's trust. */
static void
set_verify(struct mt_tls *tls, struct mt_span v)
{
    if (RX_IEQ(v, "OK") || RX_IEQ(v, "YES"))
        tls->trust = MT_TRUST_TRUSTED;
    else if (RX_IEQ(v, "FAIL"))
        tls->trust = MT_TRUST_UNTRUSTED;
    else if (RX_IEQ(v, "NO") || RX_IEQ(v, "NOT"))
        tls->trust = MT_TRUST_ANONYMOUS;
}

/* "version=TLSv1.2 cipher=X bits=256/256 verify=NO" with spaces or commas. */
static enum mt_rtls
key_values(struct mt_span c, struct mt_tls *tls, struct mt_span *bits_raw)
{
    size_t i = 0;
    bool any = false;

    while (i < c.len) {
        size_t ks, ke, vs;
        struct mt_span k, v;

        while (i < c.len && (mt_is_space((unsigned char)c.p[i]) || c.p[i] == ','))
            i++;
        ks = i;
        while (i < c.len && c.p[i] != '=' && c.p[i] != ',' && !mt_is_space((unsigned char)c.p[i]))
            i++;
        ke = i;
        if (i >= c.len || c.p[i] != '=')
            continue;
        vs = ++i;
        while (i < c.len && c.p[i] != ',' && !mt_is_space((unsigned char)c.p[i]))
            i++;
        k = mt_span(c.p + ks, ke - ks);
        v = mt_span(c.p + vs, i - vs);
        if (v.len == 0)
            continue;
        if (RX_IEQ(k, "version")) {
            mt_tls_set_protocol(tls, v.p, v.len);
            any = true;
        } else if (RX_IEQ(k, "cipher")) {
            mt_tls_set_cipher(tls, v.p, v.len);
            any = true;
        } else if (RX_IEQ(k, "bits")) {
            *bits_raw = v;
            mt_received_tls_bits(tls, v, false);
        } else if (RX_IEQ(k, "verify")) {
            set_verify(tls, v);
        }
    }
    return any ? MT_RTLS_FACTS : MT_RTLS_NONE;
}

/* Exim/OpenSMTPD "PROTO:CIPHER:BITS[:VERIFY]" as one word. */
static enum mt_rtls
colon_form(struct mt_span c, struct mt_tls *tls, struct mt_span *bits_raw)
{
    struct mt_span part[5];
    size_t n = 0, i, s = 0;
    unsigned long b;

    for (i = 0; i <= c.len && n < 5; i++) {
        if (i == c.len || c.p[i] == ':') {
            part[n++] = mt_span(c.p + s, i - s);
            s = i + 1;
        } else if (mt_is_space((unsigned char)c.p[i])) {
            return MT_RTLS_NONE;
        }
    }
    if (i <= c.len || n < 3 || n > 4 || part[1].len == 0)
        return MT_RTLS_NONE;
    if (!RX_ISTARTS(part[0], "TLS") && !RX_ISTARTS(part[0], "SSL"))
        return MT_RTLS_NONE;
    if (!mt_span_to_ulong(part[2], 99999, &b))
        return MT_RTLS_NONE;
    mt_tls_set_protocol(tls, part[0].p, part[0].len);
    mt_tls_set_cipher(tls, part[1].p, part[1].len);
    *bits_raw = part[2];
    /* Exim built with GnuTLS wrote the key size in bytes (":32" for AES-256). */
    mt_received_tls_bits(tls, part[2], b > 0 && b <= 32 && n == 3);
    if (n == 4)
        set_verify(tls, part[3]);
    return MT_RTLS_FACTS;
}

/* Courier "TLS: TLSv1/SSLv3,256bits,AES256-SHA" after "AUTH: ..., " or alone. */
static enum mt_rtls
courier(struct mt_span c, struct mt_tls *tls, struct mt_span *bits_raw)
{
    struct mt_span f[3];
    size_t i, k = 0, s;
    long at = mt_span_find(c, "TLS: ", 5);

    if (at < 0)
        at = mt_span_find(c, "SSL: ", 5);
    if (at < 0 || (at > 0 && c.p[at - 1] != ' '))
        return MT_RTLS_NONE;
    s = (size_t)at + 5;
    for (i = s; i <= c.len && k < 3; i++) {
        if (i == c.len || c.p[i] == ',') {
            f[k++] = mt_span_trim(mt_span(c.p + s, i - s));
            s = i + 1;
        }
    }
    if (k < 3 || !starts_digit(f[1]))
        return MT_RTLS_NONE;
    mt_tls_set_protocol(tls, f[0].p, f[0].len);
    if (RX_IENDS(f[1], "bits"))
        f[1].len -= 4;
    *bits_raw = f[1];
    mt_received_tls_bits(tls, f[1], false);
    mt_tls_set_cipher(tls, f[2].p, f[2].len);
    return MT_RTLS_FACTS;
}

/* Cellopoint "... with TLSv1.2 CIPHER 256/256" or "... with TLS". */
static enum mt_rtls
with_tls(struct mt_span c, struct mt_tls *tls, struct mt_span *bits_raw)
{
    struct words w = { c.p, c.len, 0 };
    struct mt_span x = MT_SPAN_NULL, prev = MT_SPAN_NULL;

    while (next_word(&w, &x)) {
        if (RX_IEQ(prev, "with") && (RX_ISTARTS(x, "TLS") || RX_ISTARTS(x, "SSL")))
            break;
        prev = x;
    }
    if (x.len == 0 || !RX_IEQ(prev, "with") || !(RX_ISTARTS(x, "TLS") || RX_ISTARTS(x, "SSL")))
        return MT_RTLS_NONE;
    if (RX_IEQ(x, "TLS")) {
        tls->used = MT_TRI_YES;
        return MT_RTLS_FACTS;
    }
    mt_tls_set_protocol(tls, x.p, x.len);
    if (next_word(&w, &x) && !starts_digit(x)) {
        mt_tls_set_cipher(tls, x.p, x.len);
        if (!next_word(&w, &x))
            return MT_RTLS_FACTS;
    }
    if (starts_digit(x)) {
        *bits_raw = x;
        mt_received_tls_bits(tls, x, false);
    }
    return MT_RTLS_FACTS;
}

/* Postfix client certificate comments: the trust of the client's certificate. */
static enum mt_rtls
client_cert(struct mt_span c, struct mt_tls *tls)
{
    if (RX_ISTARTS(c, "No client certificate requested") ||
        RX_ISTARTS(c, "Client did not present a certificate")) {
        tls->trust = MT_TRUST_ANONYMOUS;
        return MT_RTLS_TRUST;
    }
    if (!RX_ISTARTS(c, "Client CN") && !RX_ISTARTS(c, "Client certificate"))
        return MT_RTLS_NONE;
    if (RX_IENDS(c, "(verified OK)"))
        tls->trust = MT_TRUST_TRUSTED;
    else if (RX_IENDS(c, "(not verified)"))
        tls->trust = MT_TRUST_UNTRUSTED;
    return MT_RTLS_TRUST;
}

/*
 * Cheap test run before the word-by-word readers: every TLS comment above
 * has a word starting with "TLS", "SSL", "cipher", "encrypted", "client",
 * "Google" or "version=" (any case); address comments, program names and envelope senders
 * do not. Words start after white space, '(' and ','.
 */
static bool
maybe_tls(struct mt_span c)
{
    size_t i = 0;

    while (i + 3 <= c.len) {
        struct mt_span w = mt_span(c.p + i, c.len - i);
        switch (c.p[i] | 0x20) {
        case 't':
            if (RX_ISTARTS(w, "tls"))
                return true;
            break;
        case 's':
            if (RX_ISTARTS(w, "ssl"))
                return true;
            break;
        case 'c':
            if (RX_ISTARTS(w, "cipher") || RX_ISTARTS(w, "client"))
                return true;
            break;
        case 'e':
            if (RX_ISTARTS(w, "encrypted"))
                return true;
            break;
        case 'g':
            if (RX_ISTARTS(w, "google"))
                return true;
            break;
        case 'v':
            if (RX_ISTARTS(w, "version="))
                return true;
            break;
        default:
            break;
        }
        /* to the start of the next word */
        while (i < c.len && !mt_is_space((unsigned char)c.p[i]) && c.p[i] != '(' && c.p[i] != ',')
            i++;
        while (i < c.len && (mt_is_space((unsigned char)c.p[i]) || c.p[i] == '(' || c.p[i] == ','))
            i++;
    }
    return false;
}

/* Looks at one comment (see received_tls.h). */
enum mt_rtls
mt_received_tls_comment(struct mt_span c, struct mt_tls *tls, struct mt_span *bits_raw)
{
    struct words w;
    struct mt_span x, y;
    enum mt_proto lo, hi;
    enum mt_rtls r;
    bool eq;

    c = mt_span_trim(c);
    if (c.len == 0 || !maybe_tls(c))
        return MT_RTLS_NONE;
    w = (struct words){ c.p, c.len, 0 };
    if (!next_word(&w, &x))
        return MT_RTLS_NONE;
    if (RX_IEQ(x, "using"))
        return postfix_using(&w, tls, bits_raw);
    if (RX_IEQ(c, "TLS") || RX_IEQ(c, "Google Transport Security")) {
        tls->used = MT_TRI_YES;
        return MT_RTLS_FACTS;
    }
    if ((r = client_cert(c, tls)) != MT_RTLS_NONE)
        return r;
    eq = memchr(c.p, '=', c.len) != NULL;
    if (eq && (RX_ISTARTS(c, "version=") || RX_ISTARTS(c, "cipher=") ||
               mt_span_ifind(c, " cipher=", 8) >= 0 || mt_span_ifind(c, ",cipher=", 8) >= 0))
        return key_values(c, tls, bits_raw);
    if (x.len == c.len) { /* one word */
        if (mt_proto_parse(c.p, c.len, &lo, &hi)) {
            mt_tls_set_protocol(tls, c.p, c.len);
            return MT_RTLS_PROTO_ONLY;
        }
        return colon_form(c, tls, bits_raw);
    }
    if (next_word(&w, &y) && RX_IEQ(y, "encrypted") && w.i >= w.len) {
        mt_tls_set_cipher(tls, x.p, x.len); /* qmail */
        return MT_RTLS_FACTS;
    }
    if (memchr(c.p, ':', c.len) != NULL && (r = courier(c, tls, bits_raw)) != MT_RTLS_NONE)
        return r;
    return with_tls(c, tls, bits_raw);
}
