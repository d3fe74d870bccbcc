/* postfix.c - classify one Postfix log message part (see postfix.h). */
#include "postfix.h"

#include <string.h>

#include "util/simd.h"

#define FIELD_MAX 1024 /* longest host, address or id we accept */

/* True when s starts with the literal. */
#define HAS(s, lit) ((s).len >= sizeof(lit) - 1 && memcmp((s).p, lit, sizeof(lit) - 1) == 0)

/* Consumes a literal prefix (span.h). */
#define EAT(s, lit) mt_span_eat(&(s), lit)

/* Position of byte c in s, or -1. */
static long
find_byte(struct mt_span s, int c)
{
    const char *q = s.len ? memchr(s.p, c, s.len) : NULL;

    return q ? (long)(q - s.p) : -1;
}

/* Byte classes of queue ids: a 256-entry table, one lookup per byte. */
#define QID_CHAR  0x01 /* letter, digit or '_' */
#define QID_DIGIT 0x02
#define QID_HEX   0x04 /* a digit or A-F (short ids are upper-case hex) */
#define QID_ROW(c0)                                                                                \
    [(c0)] = QID_CHAR, [(c0) + 1] = QID_CHAR, [(c0) + 2] = QID_CHAR, [(c0) + 3] = QID_CHAR,        \
    [(c0) + 4] = QID_CHAR, [(c0) + 5] = QID_CHAR, [(c0) + 6] = QID_CHAR, [(c0) + 7] = QID_CHAR
#define QID_NUM(c)  [(c)] = QID_CHAR | QID_DIGIT | QID_HEX
#define QID_HEXL(c) [(c)] = QID_CHAR | QID_HEX
static const unsigned char qid_class[256] = {
    QID_NUM('0'),     QID_NUM('1'),     QID_NUM('2'),     QID_NUM('3'),     QID_NUM('4'),
    QID_NUM('5'),     QID_NUM('6'),     QID_NUM('7'),     QID_NUM('8'),     QID_NUM('9'),
    QID_HEXL('A'),    QID_HEXL('B'),    QID_HEXL('C'),    QID_HEXL('D'),    QID_HEXL('E'),
    QID_HEXL('F'),    QID_ROW('G'),     QID_ROW('O'), /* G-V */
    ['W'] = QID_CHAR, ['X'] = QID_CHAR, ['Y'] = QID_CHAR, ['Z'] = QID_CHAR, QID_ROW('a'),
    QID_ROW('i'),     QID_ROW('q'), /* a-x */
    ['y'] = QID_CHAR, ['z'] = QID_CHAR, ['_'] = QID_CHAR,
};

/* True for the bytes of a queue id: short hex, long base-52 ids, "_" seen in the wild. */
static bool
is_qid_char(int c)
{
    return qid_class[c & 0xff] & QID_CHAR;
}

/*
 * Recognises "QID: " at the start of s. Short ids are upper-case hex; long
 * ids (enable_long_queue_ids) mix cases and always hold a digit. Words such
 * as "warning" or "NOQUEUE" are not ids. Sixteen bytes at a time where SSE2
 * is there: letter, digit and hex masks, the id ends at the first other byte.
 */
static bool
take_qid(struct mt_span *s, struct mt_span *qid)
{
    size_t i = 0, n = s->len < 64 ? s->len : 64;
    unsigned any = 0, all = QID_HEX;

#if MT_HAVE_SSE2
    while (i + 16 <= n) {
        __m128i v = mt_simd_load(s->p + i);
        unsigned digit = mt_simd_in_range(v, '0', '9'), upper_hex = mt_simd_in_range(v, 'A', 'F');
        unsigned ok = digit | mt_simd_alpha(v) | mt_simd_eq(v, '_');
        unsigned run = ~ok & 0xFFFFu, k = run ? (unsigned)__builtin_ctz(run) : 16;
        unsigned keep = k == 16 ? 0xFFFFu : (1u << k) - 1;
        if (digit & keep)
            any |= QID_DIGIT;
        if (((digit | upper_hex) & keep) != keep)
            all = 0;
        i += k;
        if (k < 16)
            break;
    }
    if (i + 16 > n)
#endif
        while (i < n) {
            unsigned k = qid_class[(unsigned char)s->p[i]];
            if (!(k & QID_CHAR))
                break;
            any |= k;
            all &= k;
            i++;
        }
    if (i < 5 || i + 1 >= s->len || s->p[i] != ':' || s->p[i + 1] != ' ')
        return false;
    if (!(all & QID_HEX) && !(any & QID_DIGIT))
        return false;
    *qid = mt_span(s->p, i);
    *s = mt_span_skip(*s, i + 2);
    return true;
}

/* Bytes that end a host name before "[ip]": '[', ' ' and ','. */
static const unsigned char host_stop[256] = { ['['] = 1, [' '] = 1, [','] = 1 };

/* Index of the first host_stop byte in p[0..n), or n (16 bytes a step with SSE2). */
static size_t
host_end(const char *p, size_t n)
{
    size_t i = 0;

#if MT_HAVE_SSE2
    for (; i + 16 <= n; i += 16) {
        __m128i v = mt_simd_load(p + i);
        unsigned bits = mt_simd_eq(v, '[') | mt_simd_eq(v, ' ') | mt_simd_eq(v, ',');
        if (bits != 0)
            return i + (unsigned)__builtin_ctz(bits);
    }
#endif
    while (i < n && !host_stop[(unsigned char)p[i]])
        i++;
    return i;
}

/*
 * Parses "host[ip]" with an optional ":port", or a bare "host" (the pre-2.5
 * TLS form "to host:"). Returns the bytes consumed, 0 when malformed.
 */
static size_t
take_peer(struct mt_span s, struct mt_span *host, struct mt_span *ip, struct mt_span *port)
{
    size_t i = 0, j, k, lim = s.len < FIELD_MAX ? s.len : FIELD_MAX;
    const char *close;

    *host = *ip = *port = MT_SPAN_NULL;
    i = host_end(s.p, lim);
    if (i < s.len && s.p[i] == '[') {
        *host = mt_span(s.p, i);
        /* the "]" at most 128 bytes after the "[" */
        close = memchr(s.p + i + 1, ']', s.len - i - 1 < 128 ? s.len - i - 1 : 128);
        if (close == NULL)
            return 0;
        j = (size_t)(close - s.p);
        *ip = mt_span(s.p + i + 1, j - i - 1);
        k = j + 1;
        if (k + 1 < s.len && s.p[k] == ':' && mt_is_digit((unsigned char)s.p[k + 1])) {
            size_t p0 = ++k;
            while (k < s.len && k - p0 < 6 && mt_is_digit((unsigned char)s.p[k]))
                k++;
            *port = mt_span(s.p + p0, k - p0);
        }
        return k;
    }
    /* Bare host: a trailing ':' belongs to the ": " that follows. */
    if (i > 0 && s.p[i - 1] == ':')
        i--;
    if (i == 0)
        return 0;
    *host = mt_span(s.p, i);
    return i;
}

/* Takes "<addr>" followed by ", " or the end; the address may hold '>'. */
static bool
take_angle(struct mt_span *s, struct mt_span *addr)
{
    size_t i;

    size_t lim;
    const char *gt;

    if (s->len == 0 || s->p[0] != '<')
        return false;
    lim = s->len - 1 < FIELD_MAX ? s->len - 1 : FIELD_MAX; /* '>' at 1..FIELD_MAX */
    for (i = 1; i <= lim; i = (size_t)(gt - s->p) + 1) {
        gt = memchr(s->p + i, '>', lim - i + 1);
        if (gt == NULL)
            return false;
        i = (size_t)(gt - s->p);
        if (i + 1 == s->len || s->p[i + 1] == ',' || s->p[i + 1] == ' ') {
            *addr = mt_span(s->p + 1, i - 1);
            *s = mt_span_skip(*s, i + 1);
            return true;
        }
    }
    return false;
}

/* Value of a "key=value" field up to ", " (or the end). */
static struct mt_span
take_value(struct mt_span *s)
{
    size_t i = 0;

    for (;;) {
        const char *comma = i < s->len ? memchr(s->p + i, ',', s->len - i) : NULL;
        if (comma == NULL) {
            i = s->len;
            break;
        }
        i = (size_t)(comma - s->p);
        if (i + 1 < s->len && s->p[i + 1] == ' ')
            break;
        i++;
    }
    struct mt_span v = mt_span(s->p, i);
    *s = mt_span_skip(*s, i);
    return v;
}

/* Reads a small unsigned number; false when s is not all digits. */
static bool
small_num(struct mt_span s, unsigned long max, unsigned long *out)
{
    return mt_span_to_ulong(s, max, out);
}

/* The last "queued as ID" of a reply text. */
static struct mt_span
queued_as(struct mt_span text)
{
    struct mt_span found = MT_SPAN_NULL, rest = text;
    long at;

    while ((at = mt_span_find(rest, "queued as ", 10)) >= 0) {
        size_t i = (size_t)at + 10, j = i;
        while (j < rest.len && j - i < 64 && is_qid_char((unsigned char)rest.p[j]))
            j++;
        if (j > i)
            found = mt_span(rest.p + i, j - i);
        rest = mt_span_skip(rest, i);
    }
    return found;
}

/* Parses a delivery line after "QID: to=". */
static bool
parse_delivery(struct mt_span s, struct mt_pf_rec *r)
{
    struct mt_span v;

    if (!take_angle(&s, &r->addr))
        return false;
    while (EAT(s, ", ")) {
        if (EAT(s, "orig_to=")) {
            struct mt_span ignored;
            if (!take_angle(&s, &ignored))
                return false;
        } else if (EAT(s, "relay=")) {
            v = take_value(&s);
            if (mt_span_eq(v, MT_SPAN_LIT("none"))) {
                r->relay = MT_PF_RELAY_NONE;
            } else if (find_byte(v, '[') >= 0) {
                if (take_peer(v, &r->host, &r->ip, &r->port) == 0)
                    return false;
                r->relay =
                    find_byte(r->ip, '/') >= 0 || HAS(r->ip, "private") || HAS(r->ip, "public")
                        ? MT_PF_RELAY_UNIX
                        : MT_PF_RELAY_INET;
            } else {
                r->relay = MT_PF_RELAY_NAME;
                r->host = v;
            }
        } else if (EAT(s, "conn_use=")) {
            unsigned long n;
            if (small_num(take_value(&s), 1000000, &n))
                r->conn_use = (unsigned)n;
        } else if (EAT(s, "status=")) {
            size_t i = 0;
            while (i < s.len && mt_is_alpha((unsigned char)s.p[i]))
                i++;
            v = mt_span(s.p, i);
            if (mt_span_eq(v, MT_SPAN_LIT("sent")))
                r->status = MT_MSG_SENT;
            else if (mt_span_eq(v, MT_SPAN_LIT("deferred")))
                r->status = MT_MSG_DEFERRED;
            else if (mt_span_eq(v, MT_SPAN_LIT("bounced")))
                r->status = MT_MSG_BOUNCED;
            else if (mt_span_eq(v, MT_SPAN_LIT("expired")))
                r->status = MT_MSG_EXPIRED;
            else
                return false; /* undeliverable-but-not-bounced, deliverable (verify) ... */
            s = mt_span_skip(s, i);
            if (EAT(s, " (")) {
                size_t n = s.len;
                if (n > 0 && s.p[n - 1] == ')')
                    n--;
                r->status_text = mt_span(s.p, n);
                r->queued_as = queued_as(r->status_text);
            }
            return true;
        } else {
            (void)take_value(&s); /* delay=, delays=, dsn=, ... */
        }
    }
    return false;
}

/* Parses the tail "PROTO with cipher C (A/B bits)[ key-exchange ...]". */
static void
parse_tls_tail(struct mt_span s, struct mt_pf_rec *r)
{
    long sp = find_byte(s, ' ');
    long at;

    if (sp <= 0)
        return;
    r->protocol = mt_span(s.p, (size_t)sp);
    s = mt_span_skip(s, (size_t)sp);
    if (!EAT(s, " with cipher "))
        return;
    sp = find_byte(s, ' ');
    r->cipher = mt_span(s.p, sp < 0 ? s.len : (size_t)sp);
    if (sp < 0)
        return;
    s = mt_span_skip(s, (size_t)sp);
    if (EAT(s, " (")) {
        unsigned long b = 0;
        size_t i = 0;
        while (i < s.len && i < 6 && mt_is_digit((unsigned char)s.p[i]))
            i++;
        if (i > 0 && small_num(mt_span(s.p, i), 100000, &b))
            r->bits = (int)b;
    }
    at = mt_span_find(s, "key-exchange ", 13);
    if (at >= 0) {
        struct mt_span k = mt_span_skip(s, (size_t)at + 13);
        sp = find_byte(k, ' ');
        r->kex = mt_span(k.p, sp < 0 ? k.len : (size_t)sp);
    }
    at = mt_span_find(s, "server-signature ", 17);
    if (at >= 0) {
        struct mt_span g = mt_span_skip(s, (size_t)at + 17);
        long end = mt_span_find(g, " server-digest", 14);
        long cend = mt_span_find(g, " client-", 8);
        size_t n = g.len;
        if (end >= 0)
            n = (size_t)end;
        if (cend >= 0 && (size_t)cend < n)
            n = (size_t)cend;
        g.len = n;
        /* "RSA-PSS (2048 bits)": the key size is not part of the name. */
        if (g.len > 6 && mt_span_iends(g, " bits)")) {
            long paren = find_byte(g, '(');
            if (paren > 1)
                g.len = (size_t)paren - 1;
        }
        r->sig = g;
    }
}

/* "[TRUST ]TLS connection established|reused from|to PEER: TAIL". */
static bool
parse_tls_line(struct mt_span s, struct mt_pf_rec *r)
{
    size_t n;

    if (EAT(s, "Anonymous "))
        r->trust = MT_TRUST_ANONYMOUS;
    else if (EAT(s, "Untrusted "))
        r->trust = MT_TRUST_UNTRUSTED;
    else if (EAT(s, "Trusted "))
        r->trust = MT_TRUST_TRUSTED;
    else if (EAT(s, "Verified "))
        r->trust = MT_TRUST_VERIFIED;
    if (!EAT(s, "TLS connection "))
        return false;
    if (EAT(s, "reused "))
        r->reused = true;
    else if (!EAT(s, "established "))
        return false;
    if (EAT(s, "from "))
        r->kind = MT_PF_TLS_IN;
    else if (EAT(s, "to "))
        r->kind = MT_PF_TLS_OUT;
    else
        return false;
    n = take_peer(s, &r->host, &r->ip, &r->port);
    if (n == 0)
        return false;
    s = mt_span_skip(s, n);
    if (!EAT(s, ": "))
        return false;
    parse_tls_tail(s, r);
    return r->protocol.len > 0;
}

/* "FROM-OR-TO H[IP]...: reason" of SSL_accept / SSL_connect errors. */
static bool
parse_peer_reason(struct mt_span s, struct mt_pf_rec *r)
{
    size_t n = take_peer(s, &r->host, &r->ip, &r->port);

    if (n == 0)
        return false;
    s = mt_span_skip(s, n);
    if (EAT(s, ": "))
        r->reason = s;
    return true;
}

/*
 * Disconnect command counters: " ehlo=2 starttls=1 ... commands=7". One pass
 * over the words finds the first " starttls=" and the first " commands=".
 */
static void
parse_counters(struct mt_span s, struct mt_pf_rec *r)
{
    struct mt_span st = MT_SPAN_NULL;
    bool have_st = false;
    unsigned long a, b;
    size_t i = 0, j;

    while (i < s.len && (!have_st || !r->counters)) {
        const char *sp = memchr(s.p + i, ' ', s.len - i);
        struct mt_span w;
        if (sp == NULL)
            break;
        i = (size_t)(sp - s.p) + 1;
        w = mt_span_skip(s, i);
        if (!have_st && HAS(w, "starttls=")) {
            have_st = true;
            st = mt_span_skip(w, 9);
        } else if (HAS(w, "commands=")) {
            r->counters = true;
        }
    }
    if (!have_st)
        return;
    s = st;
    for (i = 0; i < s.len && i < 8 && mt_is_digit((unsigned char)s.p[i]); i++)
        ;
    if (!small_num(mt_span(s.p, i), 1000000, &a))
        return;
    if (i < s.len && s.p[i] == '/') {
        for (j = i + 1; j < s.len && j - i < 8 && mt_is_digit((unsigned char)s.p[j]); j++)
            ;
        if (!small_num(mt_span(s.p + i + 1, j - i - 1), 1000000, &b))
            return;
    } else {
        b = a;
    }
    r->starttls_ok = (int)a;
    r->starttls_tried = (int)b;
}

/* Lines after "QID: ", by their first byte. */
static void
parse_queue_line(struct mt_span s, struct mt_pf_rec *r)
{
    long at;

    if (s.len == 0)
        return;
    switch (s.p[0]) {
    case 't':
        if (EAT(s, "to=") && parse_delivery(s, r))
            r->kind = MT_PF_DELIVERY;
        return;
    case 'c':
        if (EAT(s, "client=")) {
            size_t n = take_peer(s, &r->host, &r->ip, &r->port);
            if (n == 0)
                return;
            r->kind = MT_PF_CLIENT;
            at = mt_span_find(s, ", orig_queue_id=", 16);
            if (at >= 0) {
                struct mt_span q = mt_span_skip(s, (size_t)at + 16);
                size_t i = 0;
                while (i < q.len && i < 64 && is_qid_char((unsigned char)q.p[i]))
                    i++;
                r->orig_queue_id = mt_span(q.p, i);
            }
        }
        return;
    case 'f':
        if (EAT(s, "from=") && take_angle(&s, &r->addr))
            r->kind = HAS(s, ", status=expired") ? MT_PF_EXPIRED : MT_PF_FROM;
        return;
    case 'r':
        if (mt_span_eq(s, MT_SPAN_LIT("removed"))) {
            r->kind = MT_PF_REMOVED;
        } else if (HAS(s, "reject: ")) {
            r->kind = MT_PF_REJECT;
            r->reason = s;
        }
        return;
    case 'm':
        if (EAT(s, "message-id=")) {
            r->kind = MT_PF_MESSAGE_ID;
            r->addr = s;
        } else if (HAS(s, "milter-reject: ")) {
            r->kind = MT_PF_REJECT;
            r->reason = s;
        }
        return;
    case 'u':
        if (EAT(s, "uid=")) {
            at = mt_span_find(s, " from=", 6);
            if (at < 0)
                return;
            s = mt_span_skip(s, (size_t)at + 6);
            if (take_angle(&s, &r->addr))
                r->kind = MT_PF_PICKUP;
        }
        return;
    case 'T':
        if (HAS(s, "TLS is required, but ")) {
            r->kind = MT_PF_TLS_REQUIRED;
            r->reason = s;
        }
        return;
    default:
        return;
    }
}

/*
 * The last component of a program name ("smtpd" of "postfix/submission/smtpd").
 * Daemon names are short, so the last eight bytes are looked at as one word
 * first: the highest '/' byte of it is the separator.
 */
static struct mt_span
daemon_of(struct mt_span program)
{
    size_t n = program.len;

    if (n >= 8) {
        uint64_t w, x;
        memcpy(&w, program.p + n - 8, 8);
        x = w ^ 0x2f2f2f2f2f2f2f2fULL; /* bytes equal to '/' become zero */
        /* high bit set in each zero byte; no carry crosses a byte, so every bit is exact */
        x = ~(((x & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) | x | 0x7f7f7f7f7f7f7f7fULL);
        if (x != 0) {
            size_t at = n - 8 + (size_t)(63 - __builtin_clzll(x)) / 8;
            return mt_span_skip(program, at + 1);
        }
        n -= 8;
    }
    while (n > 0 && program.p[n - 1] != '/')
        n--;
    return mt_span_skip(program, n);
}

/* Classifies one message part. */
void
mt_postfix_parse(struct mt_span program, struct mt_span msg, struct mt_pf_rec *r)
{
    struct mt_span s = msg;
    size_t n;

    memset(r, 0, sizeof(*r));
    r->bits = -1;
    r->starttls_ok = r->starttls_tried = -1;
    r->daemon = daemon_of(program);
    if (s.len == 0)
        return;
    if (take_qid(&s, &r->queue_id)) {
        parse_queue_line(s, r);
        return;
    }
    r->queue_id = MT_SPAN_NULL;
    switch (s.p[0]) {
    case 'A':
    case 'U':
    case 'T':
    case 'V':
        if (!parse_tls_line(s, r)) {
            struct mt_span k = r->daemon;
            memset(r, 0, sizeof(*r));
            r->daemon = k;
            r->bits = -1;
            r->starttls_ok = r->starttls_tried = -1;
        }
        return;
    case 'c':
        if (EAT(s, "connect from ")) {
            if (take_peer(s, &r->host, &r->ip, &r->port) > 0)
                r->kind = MT_PF_CONNECT;
        }
        return;
    case 'd':
        if (EAT(s, "disconnect from ")) {
            n = take_peer(s, &r->host, &r->ip, &r->port);
            if (n > 0) {
                r->kind = MT_PF_DISCONNECT;
                parse_counters(mt_span_skip(s, n), r);
            }
        }
        return;
    case 'l':
    case 't':
        if (EAT(s, "lost connection after ") || EAT(s, "timeout after ") ||
            EAT(s, "too many errors after ")) {
            long at = mt_span_find(s, " from ", 6);
            if (at < 0)
                return;
            r->reason = mt_span(s.p, (size_t)at);
            if (take_peer(mt_span_skip(s, (size_t)at + 6), &r->host, &r->ip, &r->port) > 0)
                r->kind = MT_PF_LOST;
        }
        return;
    case 'S':
        if (EAT(s, "SSL_accept error from ")) {
            if (parse_peer_reason(s, r))
                r->kind = MT_PF_SSL_ACCEPT_ERROR;
        } else if (EAT(s, "SSL_connect error to ")) {
            if (parse_peer_reason(s, r))
                r->kind = MT_PF_SSL_CONNECT_ERROR;
        }
        return;
    case 'w':
        if (EAT(s, "warning: TLS library problem: ")) {
            r->kind = MT_PF_TLS_WARNING;
            r->reason = s;
        }
        return;
    case 'C':
        if (EAT(s, "CONNECT to ")) {
            if (take_peer(s, &r->host, &r->ip, &r->port) > 0)
                r->kind = MT_PF_PROXY_CONNECT;
        }
        return;
    case 'D':
        if (EAT(s, "DISCONNECT ")) {
            if (take_peer(s, &r->host, &r->ip, &r->port) > 0)
                r->kind = MT_PF_PROXY_DISCONNECT;
        }
        return;
    default:
        return;
    }
}

/* Postfix programs: "postfix/..." or "postfix-NAME/..." (multi-instance). */
bool
mt_postfix_is_program(struct mt_span program)
{
    return HAS(program, "postfix/") || HAS(program, "postfix-") ||
           (program.len > 0 && find_byte(program, '/') > 0 && !HAS(program, "exim"));
}

/* Copies a span into a fixed field if it fits, else leaves it empty. */
static void
copy_name(char *dst, size_t dstsz, struct mt_span s)
{
    if (!mt_span_copy(s, dst, dstsz))
        dst[0] = '\0';
}

/* TLS facts of a TLS line. */
void
mt_postfix_tls(const struct mt_pf_rec *r, struct mt_tls *t)
{
    mt_tls_init(t);
    t->used = MT_TRI_YES;
    if (r->protocol.len > 0)
        mt_tls_set_protocol(t, r->protocol.p, r->protocol.len);
    if (r->cipher.len > 0)
        mt_tls_set_cipher(t, r->cipher.p, r->cipher.len);
    t->bits = r->bits;
    t->trust = r->trust;
    if (r->kex.len > 0)
        copy_name(t->kex_group, sizeof(t->kex_group), r->kex);
    if (r->sig.len > 0)
        copy_name(t->signature, sizeof(t->signature), r->sig);
}
