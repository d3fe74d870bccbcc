/* exim.c - classify one Exim main log message part (see exim.h). */
#include "exim.h"

#include <string.h>

#include "cipher.h"

/* Skips spaces. */
static struct mt_span
skip_spaces(struct mt_span s)
{
    while (s.len > 0 && s.p[0] == ' ')
        s = mt_span_skip(s, 1);
    return s;
}

/* A message id: 6 base-62 characters, '-', 6 or 11, '-', 2 or 4. */
static bool
take_id(struct mt_span *s, struct mt_span *id)
{
    size_t i = 0, parts = 1, run = 0;

    while (i < s->len && i < 32 && s->p[i] != ' ') {
        if (s->p[i] == '-') {
            if (run == 0)
                return false;
            parts++;
            run = 0;
        } else if (mt_is_alnum((unsigned char)s->p[i])) {
            run++;
        } else {
            return false;
        }
        i++;
    }
    if (parts != 3 || run == 0 || i < 14 || (i < s->len && s->p[i] != ' '))
        return false;
    *id = mt_span(s->p, i);
    *s = skip_spaces(mt_span_skip(*s, i));
    return true;
}

/* Length of a value: up to a space, or a whole "quoted string" with \ escapes. */
static size_t
value_len(struct mt_span s)
{
    size_t i = 0;

    if (s.len > 0 && s.p[0] == '"') {
        for (i = 1; i < s.len; i++) {
            if (s.p[i] == '\\' && i + 1 < s.len)
                i++;
            else if (s.p[i] == '"')
                return i + 1;
        }
        return s.len;
    }
    while (i < s.len && s.p[i] != ' ')
        i++;
    return i;
}

/*
 * "name (helo) [ip]:port*", "(helo) [ip]", "name [ip]" after H= or "from ".
 * Returns the bytes consumed, 0 when there is no "[ip]".
 */
static size_t
take_host(struct mt_span s, struct mt_ex_rec *r)
{
    long open = -1;
    size_t i, j, k;

    for (i = 0; i + 1 < s.len && i < 1024; i++) {
        if (s.p[i] == '[' && (i == 0 || s.p[i - 1] == ' ')) {
            open = (long)i;
            break;
        }
    }
    if (open < 0)
        return 0;
    i = (size_t)open;
    for (j = i + 1; j < s.len && j - i < 64 && s.p[j] != ']'; j++)
        ;
    if (j >= s.len)
        return 0;
    r->ip = mt_span(s.p + i + 1, j - i - 1);
    /* The name is the first word unless it is "(helo)". */
    r->host = MT_SPAN_NULL;
    if (i > 0 && s.p[0] != '(') {
        k = 0;
        while (k < i && s.p[k] != ' ')
            k++;
        r->host = mt_span(s.p, k);
    }
    k = j + 1;
    if (k + 1 < s.len && s.p[k] == ':' && mt_is_digit((unsigned char)s.p[k + 1])) {
        size_t p0 = ++k;
        while (k < s.len && k - p0 < 6 && mt_is_digit((unsigned char)s.p[k]))
            k++;
        r->port = mt_span(s.p + p0, k - p0);
    }
    if (k < s.len && s.p[k] == '*') {
        r->reused = true;
        k++;
    }
    return k;
}

/* One KEY=value field (s is the whole field, value included). */
static void
take_value(struct mt_span s, struct mt_ex_rec *r)
{
    struct mt_span v;

    if (s.len > 3 && s.p[0] == 'C' && s.p[1] == 'V' && s.p[2] == '=') {
        r->cv = mt_span(s.p + 3, s.len - 3);
        return;
    }
    if (s.len < 2 || s.p[1] != '=')
        return;
    v = mt_span(s.p + 2, s.len - 2);
    switch (s.p[0]) {
    case 'P':
        r->proto = v;
        break;
    case 'X':
        r->x = v;
        break;
    case 'R':
        r->router = v;
        break;
    case 'T':
        r->transport = v;
        break;
    default:
        break;
    }
}

/*
 * After "defer ": "(errno): why" or "(errno) H=host [ip]: why", with
 * log_selector fields such as I= and DT= before the colon.
 */
static void
defer_reason(struct mt_span s, struct mt_ex_rec *r)
{
    long close = mt_span_find(s, ")", 1), at;

    r->reason = s;
    if (close < 0 || close > 16)
        return;
    r->first_pass =
        mt_span_starts(s, "(-1)") && mt_span_find(s, "first-pass only routing", 23) >= 0;
    s = mt_span_skip(s, (size_t)close + 1);
    if (mt_span_eat(&s, " H=")) {
        size_t n = take_host(s, r);
        if (n > 0) {
            s = mt_span_skip(s, n);
            at = mt_span_find(s, ": ", 2);
            if (at >= 0)
                r->reason = mt_span_skip(s, (size_t)at + 2);
        }
    }
}

/* Reads the KEY=value fields after the address. */
static void
take_fields(struct mt_span s, struct mt_ex_rec *r)
{
    size_t n;

    while ((s = skip_spaces(s)).len > 0) {
        if (mt_span_eat(&s, "H=")) {
            n = take_host(s, r);
            if (n == 0)
                n = value_len(s);
            s = mt_span_skip(s, n);
            if (s.len > 1 && s.p[0] == ':' && s.p[1] == ' ') {
                r->reason = mt_span_skip(s, 2); /* "H=host [ip]: SMTP error ..." */
                return;
            }
            continue;
        }
        if (mt_span_eat(&s, "defer ")) {
            defer_reason(s, r);
            return;
        }
        n = value_len(s);
        if (n > 1 && s.p[n - 1] == ':' && s.p[0] != 'R' && s.p[0] != '"') {
            /* "CV=no: SMTP error from remote mail server ...": the last field. */
            take_value(mt_span(s.p, n - 1), r);
            r->reason = skip_spaces(mt_span_skip(s, n));
            return;
        }
        take_value(mt_span(s.p, n), r);
        if (s.len > 1 && s.p[0] == 'R' && s.p[1] == '=' && n > 2 && s.p[n - 1] == ':') {
            r->router.len--;
            r->reason = skip_spaces(mt_span_skip(s, n)); /* "R=router: why" */
            return;
        }
        s = mt_span_skip(s, n);
    }
}

/* "TLS error on connection ..." with an optional "from H [ip]" part. */
static void
tls_error(struct mt_span s, struct mt_ex_rec *r)
{
    long at;

    r->kind = MT_EX_TLS_ERROR;
    if (mt_span_eat(&s, "from ")) {
        size_t n = take_host(s, r);
        r->inbound = true;
        s = mt_span_skip(s, n);
    }
    at = mt_span_find(s, ": ", 2);
    r->reason = at >= 0 ? mt_span_skip(s, (size_t)at + 2) : s;
    /* "(recv)", "(send)", "(SSL_read)": the session was up; not a handshake. */
    s = skip_spaces(s);
    r->established = mt_span_starts(s, "(recv)") || mt_span_starts(s, "(send)") ||
                     mt_span_starts(s, "(SSL_read)") || mt_span_starts(s, "(SSL_write)");
}

/*
 * "TLS session: (op): why: delivering unencrypted to H=host [ip] (not in
 * hosts_require_tls)" or "TLS session failure: delivering unencrypted to
 * host [ip] ..." (s after "TLS session"): a failed outbound handshake.
 */
static void
tls_fallback(struct mt_span s, struct mt_ex_rec *r)
{
    long at = mt_span_find(s, "delivering unencrypted to ", 26);
    struct mt_span h;

    if (at < 0)
        return;
    h = mt_span_skip(s, (size_t)at + 26);
    mt_span_eat(&h, "H=");
    if (take_host(h, r) == 0)
        return;
    r->kind = MT_EX_TLS_ERROR;
    r->reason = mt_span(s.p, (size_t)at);
    mt_span_eat(&r->reason, ":");
    mt_span_eat(&r->reason, " failure:");
    r->reason = mt_span_trim(r->reason);
    if (r->reason.len > 0 && r->reason.p[r->reason.len - 1] == ':')
        r->reason.len--;
    if (r->reason.len == 0)
        r->reason = MT_SPAN_LIT("TLS session failure");
}

/* Classifies one message part. */
void
mt_exim_parse(struct mt_span msg, struct mt_ex_rec *r)
{
    struct mt_span s = msg;
    size_t n;

    memset(r, 0, sizeof(*r));
    if (mt_span_eat(&s, "TLS error on connection ")) {
        tls_error(s, r);
        return;
    }
    if (!take_id(&s, &r->id))
        return;
    if (mt_span_starts(s, "Completed") && (s.len == 9 || s.p[9] == ' ')) { /* " QT=..." */
        r->kind = MT_EX_COMPLETED;
        return;
    }
    if (mt_span_eat(&s, "TLS session")) {
        tls_fallback(s, r);
        return;
    }
    if (mt_span_eat(&s, "H=")) {
        long at = mt_span_find(s, " TLS error on connection ", 25);
        if (at >= 0 && take_host(s, r) > 0) {
            tls_error(mt_span_skip(s, (size_t)at + 25), r);
        } else if ((n = take_host(s, r)) > 0 && n + 2 < s.len && s.p[n] == ':' &&
                   mt_span_find(mt_span_skip(s, n), "a TLS session is required", 25) >= 0) {
            /* hosts_require_tls: no STARTTLS offered, or it failed. */
            r->kind = MT_EX_TLS_ERROR;
            r->reason = mt_span_skip(s, n + 2);
        }
        return;
    }
    if (s.len < 3 || s.p[2] != ' ')
        return;
    if (mt_span_eat(&s, "<= "))
        r->kind = MT_EX_ARRIVAL;
    else if (mt_span_eat(&s, "=> "))
        r->kind = MT_EX_DELIVERY;
    else if (mt_span_eat(&s, "-> "))
        r->kind = MT_EX_ADDITIONAL;
    else if (mt_span_eat(&s, "** "))
        r->kind = MT_EX_FAILED;
    else if (mt_span_eat(&s, "== "))
        r->kind = MT_EX_DEFER;
    else
        return;
    s = skip_spaces(s);
    n = value_len(s);
    r->addr = mt_span(s.p, n);
    if (mt_span_eq(r->addr, MT_SPAN_LIT("<>")))
        r->addr = mt_span(s.p, 0);
    s = mt_span_skip(s, n);
    /* "=> local <local@domain>": the second form is the address as routed. */
    if (s.len > 1 && s.p[0] == ' ' && s.p[1] == '<') {
        struct mt_span t = mt_span_skip(s, 1);
        n = value_len(t);
        if (r->kind != MT_EX_ARRIVAL && n > 2 && t.p[n - 1] == '>' &&
            memchr(r->addr.p, '@', r->addr.len) == NULL)
            r->addr = mt_span(t.p + 1, n - 2);
        s = mt_span_skip(t, n);
    }
    take_fields(s, r);
}

/* TLS facts from X= and CV=. */
void
mt_exim_tls(const struct mt_ex_rec *r, struct mt_tls *t)
{
    struct mt_span x = r->x;
    const char *c1, *c2;

    mt_tls_init(t);
    if (x.len == 0)
        return;
    t->used = MT_TRI_YES;
    c1 = memchr(x.p, ':', x.len);
    if (c1 == NULL) {
        mt_tls_set_cipher(t, x.p, x.len);
        return;
    }
    mt_tls_set_protocol(t, x.p, (size_t)(c1 - x.p));
    c1++;
    c2 = memchr(c1, ':', (size_t)(x.p + x.len - c1));
    if (c2 == NULL) {
        mt_tls_set_cipher(t, c1, (size_t)(x.p + x.len - c1));
    } else {
        unsigned long b;
        mt_tls_set_cipher(t, c1, (size_t)(c2 - c1));
        if (mt_span_to_ulong(mt_span(c2 + 1, (size_t)(x.p + x.len - c2 - 1)), 100000, &b)) {
            /* Old Exim with GnuTLS wrote the key size in bytes (":32"). */
            if (t->cipher != NULL && b > 0 && b <= 32 && t->cipher->bits == b * 8)
                b *= 8;
            t->bits = (int)b;
        }
    }
    if (mt_span_eq(r->cv, MT_SPAN_LIT("yes")) || mt_span_eq(r->cv, MT_SPAN_LIT("dane")))
        t->trust = MT_TRUST_VERIFIED;
    else if (mt_span_eq(r->cv, MT_SPAN_LIT("no")))
        t->trust = MT_TRUST_UNTRUSTED;
}
