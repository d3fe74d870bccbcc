/*
 * received.c - one Received: header field (see received.h).
 *
 * One left-to-right pass over the field. A small lexer yields words,
 * comments (nested, quoted strings inside kept whole), and ";". Clause
 * keywords (from, by, via, with, id, for; any case) take the next word as
 * their value; comments go to the TLS recogniser (received_tls.c) and, after
 * "from", to the address reader. Everything else is skipped, except a date
 * found where a clause keyword would be (SendGrid writes no ";").
 */
#include "received.h"

#include <string.h>

#include "received_tls.h"
#include "util/date.h"
#include "util/ipaddr.h"

#define WITH_WORDS_MAX 16  /* "IBM ESMTP SMTP Gateway: Authorized Use Only! ..." */
#define BRACKET_MAX    128 /* "[XMail 1.20 ESMTP Server]", "[IPv6:...]:port" */
#define QUOTE_MAX      256 /* a quoted string taken whole */
#define FROM_WORDS_MAX 32  /* words of one comment after "from" */

/* Byte classes of the lexer: one table look-up per byte in the hot loops. */
#define LX_SPACE   0x01 /* SP HT CR LF */
#define LX_STOP    0x02 /* ends a word: '(' ';' */
#define LX_INWORD  0x04 /* handled inside a word: '[' '"' */
#define LX_COMMENT 0x08 /* matters inside a comment: '(' ')' '\\' '"' */
static const unsigned char lx[256] = {
    ['\t'] = LX_SPACE,
    ['\n'] = LX_SPACE,
    ['\r'] = LX_SPACE,
    [' '] = LX_SPACE,
    ['('] = LX_STOP | LX_COMMENT,
    [')'] = LX_COMMENT,
    [';'] = LX_STOP,
    ['['] = LX_INWORD,
    ['"'] = LX_INWORD | LX_COMMENT,
    ['\\'] = LX_COMMENT,
};

enum tk {
    TK_END,
    TK_WORD,
    TK_COMMENT,
    TK_SEMI,
};

struct tok {
    enum tk kind;
    size_t s, e; /* [s, e): comments include their parentheses */
};

enum clause {
    CL_NONE = 0,
    CL_FROM,
    CL_BY,
    CL_VIA,
    CL_WITH,
    CL_ID,
    CL_FOR,
    CL_OTHER,
};

struct parser {
    const char *p;
    size_t len;
    size_t i;             /* next byte */
    size_t no_quote_from; /* no closing '"' at or after this offset */
    struct mt_received *r;
    enum clause clause; /* the clause the lexer is in */
    bool any;           /* a clause keyword or a date was found */
    bool by_seen;
    bool tls_seen;      /* a TLS comment or phrase, apart from the keyword */
    bool proto_pending; /* Exim 4.93+ "(TLS1.3)" waits for "tls CIPHER" */
    size_t last_semi;   /* offset after the last ";" whose date did not parse, or 0 */
};

/* Offset after the '"' closing the one at j, or 0 when there is none. */
static size_t
quote_end(struct parser *ps, size_t j)
{
    size_t k;

    if (j >= ps->no_quote_from)
        return 0;
    for (k = j + 1; k < ps->len; k++) {
        if (ps->p[k] == '\\')
            k++;
        else if (ps->p[k] == '"')
            return k + 1;
    }
    ps->no_quote_from = j; /* no unescaped '"' after j: none can close later */
    return 0;
}

/* Offset after the ')' matching the '(' at j (the end when unclosed). */
static size_t
comment_end(struct parser *ps, size_t j)
{
    size_t depth = 0, q;

    while (j < ps->len) {
        char c = ps->p[j];
        if (!(lx[(unsigned char)c] & LX_COMMENT)) {
            j++;
            continue;
        }
        if (c == '\\') {
            j += 2;
            continue;
        }
        if (c == '"' && (q = quote_end(ps, j)) != 0) {
            j = q;
            continue;
        }
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0)
                return j + 1;
        }
        j++;
    }
    return ps->len;
}

/* Offset after the ']' closing the '[' at j within BRACKET_MAX bytes of one line, or 0. */
static size_t
bracket_end(const struct parser *ps, size_t j)
{
    size_t k;

    for (k = j + 1; k < ps->len && k - j < BRACKET_MAX; k++) {
        char c = ps->p[k];
        if (c == ']')
            return k + 1;
        if (c == '[' || c == ';' || c == '\n' || c == '\r')
            return 0;
    }
    return 0;
}

/* Reads the next token. */
static void
next(struct parser *ps, struct tok *t)
{
    size_t j;

    while (ps->i < ps->len && (lx[(unsigned char)ps->p[ps->i]] & LX_SPACE))
        ps->i++;
    t->s = ps->i;
    if (ps->i >= ps->len) {
        t->kind = TK_END;
        t->e = ps->i;
        return;
    }
    switch (ps->p[ps->i]) {
    case ';':
        t->kind = TK_SEMI;
        t->e = ++ps->i;
        return;
    case '(':
        t->kind = TK_COMMENT;
        t->e = ps->i = comment_end(ps, ps->i);
        return;
    default:
        break;
    }
    t->kind = TK_WORD;
    j = ps->i;
    while (j < ps->len) {
        char c = ps->p[j];
        unsigned char cls = lx[(unsigned char)c];
        size_t k;
        if (cls == 0) {
            j++;
            continue;
        }
        if (cls & (LX_SPACE | LX_STOP))
            break;
        if (c == '[' && (k = bracket_end(ps, j)) != 0) {
            j = k;
            continue;
        }
        if (c == '"' && (k = quote_end(ps, j)) != 0 && k - j <= QUOTE_MAX) {
            j = k;
            continue;
        }
        j++;
    }
    t->e = ps->i = j;
}

/* The bytes of a token. */
static struct mt_span
tspan(const struct parser *ps, const struct tok *t)
{
    return mt_span(ps->p + t->s, t->e - t->s);
}

/* The clause a keyword starts, or CL_NONE. */
static enum clause
keyword(struct mt_span w)
{
    switch (w.len) {
    case 2:
        if (RX_IEQ(w, "by"))
            return CL_BY;
        if (RX_IEQ(w, "id"))
            return CL_ID;
        break;
    case 3:
        if (RX_IEQ(w, "via"))
            return CL_VIA;
        if (RX_IEQ(w, "for"))
            return CL_FOR;
        break;
    case 4:
        if (RX_IEQ(w, "from"))
            return CL_FROM;
        if (RX_IEQ(w, "with"))
            return CL_WITH;
        break;
    default:
        break;
    }
    return CL_NONE;
}

/* Reads the next word as a clause value; false (nothing consumed) when none. */
static bool
value(struct parser *ps, struct mt_span *out)
{
    size_t save = ps->i;
    struct tok t;

    next(ps, &t);
    if (t.kind != TK_WORD || keyword(tspan(ps, &t)) != CL_NONE) {
        ps->i = save;
        return false;
    }
    *out = tspan(ps, &t);
    return true;
}

/* True when a word could begin a date (a day or month name, or digits). */
static bool
date_like(struct mt_span w)
{
    if (w.len == 0)
        return false;
    if (mt_is_digit((unsigned char)w.p[0]))
        return true;
    return w.len >= 3 && mt_is_alpha((unsigned char)w.p[0]) && mt_is_alpha((unsigned char)w.p[1]) &&
           mt_is_alpha((unsigned char)w.p[2]) && (w.len == 3 || w.p[3] == ',' || w.len >= 6);
}

/* Takes a date starting at offset at, if one parses there. */
static bool
date_at(struct parser *ps, size_t at)
{
    int64_t t;
    size_t used;

    while (at < ps->len && mt_is_space((unsigned char)ps->p[at]))
        at++;
    if (mt_date_parse(ps->p + at, ps->len - at, &t, &used) != MT_OK)
        return false;
    ps->r->date = mt_span(ps->p + at, used);
    ps->r->time = t;
    ps->i = at + used;
    ps->any = true;
    return true;
}

/* The address inside "[...]" (IPv6: prefix, ":port", "(...)" removed), or empty. */
static struct mt_span
bracket_ip(struct mt_span w)
{
    const char *o = memchr(w.p, '[', w.len);
    const char *c;
    struct mt_span a;
    size_t dots = 0, k, cut = 0;

    if (o == NULL || (c = memchr(o, ']', w.len - (size_t)(o - w.p))) == NULL)
        return MT_SPAN_NULL;
    a = mt_span_trim(mt_span(o + 1, (size_t)(c - o - 1)));
    if (a.len >= 2 && a.p[0] == '(' && a.p[a.len - 1] == ')')
        a = mt_span(a.p + 1, a.len - 2);
    if (RX_ISTARTS(a, "IPv6:"))
        a = mt_span(a.p + 5, a.len - 5);
    /* Exim 3 "[10.0.8.6.13219]": address and port joined by a dot */
    for (k = 0; k < a.len; k++) {
        if (a.p[k] == '.' && ++dots == 4)
            cut = k;
        if (a.p[k] == ':')
            break;
    }
    if (k == a.len && dots == 4)
        a.len = cut;
    return mt_ipaddr_valid(a) ? a : MT_SPAN_NULL;
}

/* Keeps the first valid address seen after "from". */
static void
take_ip(struct parser *ps, struct mt_span a)
{
    if (ps->r->from_ip.len == 0 && a.len > 0)
        ps->r->from_ip = a;
}

/* s without one leading and one trailing '"' and trailing ',' or ';'. */
static struct mt_span
unquote(struct mt_span s)
{
    while (s.len > 0 && (s.p[s.len - 1] == ',' || s.p[s.len - 1] == ';'))
        s.len--;
    if (s.len > 0 && s.p[0] == '"')
        s = mt_span(s.p + 1, s.len - 1);
    if (s.len > 0 && s.p[s.len - 1] == '"')
        s.len--;
    return s;
}

/* Next white-space separated word of a comment; false at its end. */
static bool
cword(struct mt_span c, size_t *i, struct mt_span *out)
{
    size_t s;

    while (*i < c.len && mt_is_space((unsigned char)c.p[*i]))
        (*i)++;
    if (*i >= c.len)
        return false;
    s = *i;
    while (*i < c.len && !mt_is_space((unsigned char)c.p[*i]))
        (*i)++;
    *out = mt_span(c.p + s, *i - s);
    return true;
}

/*
 * A comment after "from": "(rdns [ip])", "([ip]:port helo=name)",
 * "(HELO name) (ip)", "([ip]:port "EHLO name" rhost-flags...)", "(ip)",
 * "(ident@ip)", "(name)" (Exim 3: the HELO name).
 */
static void
from_comment(struct parser *ps, struct mt_span c)
{
    struct mt_received *r = ps->r;
    struct mt_span w, name = MT_SPAN_NULL;
    size_t i = 0, n;
    const char *at;

    for (n = 0; n < FROM_WORDS_MAX && cword(c, &i, &w); n++) {
        struct mt_span u = unquote(w);
        if (RX_ISTARTS(u, "helo=")) {
            if (r->from_helo.len == 0 && u.len > 5)
                r->from_helo = unquote(mt_span(u.p + 5, u.len - 5));
        } else if (RX_IEQ(u, "account")) {
            /* CommuniGate Pro "(account user@example.org [ip] verified)" */
            r->authenticated = true;
            (void)cword(c, &i, &w);
        } else if (RX_IEQ(u, "HELO") || RX_IEQ(u, "EHLO")) {
            size_t save = i;
            if (cword(c, &i, &w) && w.p[0] != '(' && r->from_helo.len == 0 && unquote(w).len > 0)
                r->from_helo = unquote(w);
            else
                i = save;
        } else if (u.len > 0 && u.p[0] == '[') {
            take_ip(ps, bracket_ip(u));
            if (name.len > 0 && r->from_rdns.len == 0)
                r->from_rdns = name;
        } else if (mt_ipaddr_valid(u)) {
            take_ip(ps, u);
            if (n == 0)
                name = u;
        } else if ((at = memchr(u.p, '@', u.len)) != NULL) {
            struct mt_span a = mt_span(at + 1, u.len - (size_t)(at + 1 - u.p));
            if (mt_ipaddr_valid(a))
                take_ip(ps, a);
        } else if (n == 0) {
            name = u;
        }
    }
    /* "(helene.cats.ms)": a lone host name is the HELO name (Exim 3) */
    if (n == 1 && name.len > 0 && r->from_helo.len == 0 && memchr(name.p, '.', name.len) &&
        !mt_ipaddr_valid(name))
        r->from_helo = name;
}

/* True for the comments that say the client authenticated. */
static bool
auth_comment(struct mt_span c)
{
    return RX_ISTARTS(c, "authenticated") || RX_ISTARTS(c, "auth=") ||
           RX_ISTARTS(c, "User authenticated") || RX_STARTS(c, "AUTH: ") ||
           (memchr(c.p, ':', c.len) != NULL && mt_span_find(c, " AUTH: ", 7) >= 0);
}

/* A top-level comment: TLS facts, authentication, or the sender's addresses. */
static void
on_comment(struct parser *ps, const struct tok *t)
{
    struct mt_span c = tspan(ps, t);
    enum mt_rtls k;

    c = mt_span(c.p + 1, c.len - 1);
    if (c.len > 0 && c.p[c.len - 1] == ')')
        c.len--;
    c = mt_span_trim(c);
    if (auth_comment(c))
        ps->r->authenticated = true;
    k = mt_received_tls_comment(c, &ps->r->tls, &ps->r->tls_bits);
    if (k == MT_RTLS_FACTS || k == MT_RTLS_PROTO_ONLY)
        ps->tls_seen = true;
    if (k == MT_RTLS_PROTO_ONLY)
        ps->proto_pending = true;
    if (k != MT_RTLS_NONE || ps->r->authenticated)
        return;
    if (ps->clause == CL_FROM && !ps->by_seen && !RX_ISTARTS(c, "envelope-from"))
        from_comment(ps, c);
}

/*
 * The with clause: one keyword, or several words up to the next clause,
 * comment or date ("Microsoft SMTP Server", "Microsoft SMTPSVC(7.5.7601.23143)",
 * "[XMail 1.20 ESMTP Server]"), or qmail's "(CIPHER encrypted) SMTP".
 */
static void
read_with(struct parser *ps)
{
    size_t save = ps->i, s, e, n;
    struct tok t;
    bool stop;

    next(ps, &t);
    if (t.kind == TK_COMMENT) {
        on_comment(ps, &t);
        (void)value(ps, &ps->r->with);
        return;
    }
    if (t.kind != TK_WORD || keyword(tspan(ps, &t)) != CL_NONE) {
        ps->i = save;
        return;
    }
    s = t.s;
    e = t.e;
    for (n = 0; n < WITH_WORDS_MAX; n++) {
        struct mt_span w;
        if (ps->i < ps->len && ps->p[ps->i] == '(') { /* "SMTPSVC(5.0.2195.6713)" */
            e = ps->i = comment_end(ps, ps->i);
            continue;
        }
        save = ps->i;
        next(ps, &t);
        w = tspan(ps, &t);
        stop = t.kind != TK_WORD || keyword(w) != CL_NONE || RX_IEQ(w, "tls");
        if (!stop && ps->r->time < 0 && date_like(w) && date_at(ps, t.s))
            break; /* a date without ";" ends the clause */
        if (stop) {
            ps->i = save;
            break;
        }
        e = t.e;
    }
    ps->r->with = mt_span(ps->p + s, e - s);
}

/* A clause keyword and its value. */
static void
on_keyword(struct parser *ps, enum clause k)
{
    struct mt_received *r = ps->r;
    struct mt_span v;
    bool first = !ps->any;

    ps->any = true;
    ps->clause = k;
    switch (k) {
    case CL_FROM:
        /* Only a leading "from" is the sender; IBM's "from <addr>" later is not. */
        if (first) {
            (void)value(ps, &r->from_host);
        } else {
            (void)value(ps, &v);
            ps->clause = CL_OTHER;
        }
        break;
    case CL_BY:
        ps->by_seen = true;
        if (r->by_host.len == 0)
            (void)value(ps, &r->by_host);
        break;
    case CL_WITH:
        if (r->with.len == 0) {
            read_with(ps);
        } else if (value(ps, &v) && (RX_IEQ(v, "STARTTLS") || RX_IEQ(v, "TLS"))) {
            ps->tls_seen = true; /* Mimecast "with ESMTP with STARTTLS" */
            r->tls.used = MT_TRI_YES;
        }
        break;
    case CL_ID:
        if (r->id.len == 0)
            (void)value(ps, &r->id);
        else
            (void)value(ps, &v);
        break;
    case CL_FOR:
        if (r->for_addr.len == 0 && value(ps, &v))
            r->for_addr = mt_span_unangle(v);
        break;
    case CL_VIA:
    case CL_NONE:
    case CL_OTHER:
        (void)value(ps, &v);
        break;
    }
}

/* A word outside any clause value. */
static void
on_word(struct parser *ps, const struct tok *t)
{
    struct mt_span w = tspan(ps, t), v;
    enum clause k = keyword(w);
    size_t save;

    if (k != CL_NONE) {
        on_keyword(ps, k);
        return;
    }
    if (ps->proto_pending && RX_IEQ(w, "tls")) { /* Exim 4.93+ "(TLS1.3) tls NAME" */
        ps->proto_pending = false;
        if (value(ps, &v))
            mt_tls_set_cipher(&ps->r->tls, v.p, v.len);
        return;
    }
    if (RX_IEQ(w, "over")) { /* Hotmail "over TLS secured channel" */
        save = ps->i;
        if (value(ps, &v) && RX_IEQ(v, "TLS")) {
            ps->tls_seen = true;
            ps->r->tls.used = MT_TRI_YES;
        } else {
            ps->i = save;
        }
        return;
    }
    if (ps->clause == CL_FROM && !ps->by_seen && w.p[0] == '[') { /* "[10.0.8.6.13219]" */
        take_ip(ps, bracket_ip(w));
        return;
    }
    if (ps->r->time < 0 && ps->any && date_like(w))
        (void)date_at(ps, t->s);
}

/* The registered and the common non-standard with keywords (RFC 3848, RFC 6531). */
static const struct {
    const char *name;
    unsigned char len;
    unsigned char tls; /* enum mt_tri */
    bool auth;
} with_kw[] = {
    { "SMTP", 4, MT_TRI_NO, false },        { "ESMTP", 5, MT_TRI_NO, false },
    { "ESMTPA", 6, MT_TRI_NO, true },       { "ESMTPS", 6, MT_TRI_YES, false },
    { "ESMTPSA", 7, MT_TRI_YES, true },     { "LMTP", 4, MT_TRI_NO, false },
    { "LMTPA", 5, MT_TRI_NO, true },        { "LMTPS", 5, MT_TRI_YES, false },
    { "LMTPSA", 6, MT_TRI_YES, true },      { "UTF8SMTP", 8, MT_TRI_NO, false },
    { "UTF8SMTPA", 9, MT_TRI_NO, true },    { "UTF8SMTPS", 9, MT_TRI_YES, false },
    { "UTF8SMTPSA", 10, MT_TRI_YES, true }, { "UTF8LMTP", 8, MT_TRI_NO, false },
    { "UTF8LMTPA", 9, MT_TRI_NO, true },    { "UTF8LMTPS", 9, MT_TRI_YES, false },
    { "UTF8LMTPSA", 10, MT_TRI_YES, true }, { "SMTPS", 5, MT_TRI_YES, false },
    { "SMTPSA", 6, MT_TRI_YES, true },      { "HTTPS", 5, MT_TRI_YES, false },
};

/* Index of a with keyword in with_kw, or -1. */
static int
with_find(struct mt_span w)
{
    size_t k;

    if (w.len < 4 || w.len > 10)
        return -1;
    for (k = 0; k < sizeof(with_kw) / sizeof(with_kw[0]); k++)
        if (w.len == with_kw[k].len && rx_ieq(w, with_kw[k].name, w.len))
            return (int)k;
    return -1;
}

/* Offset of IronPort's "/TLS/" in a with keyword, or -1. */
static long
with_slash_tls(struct mt_span w)
{
    if (w.len < 6 || memchr(w.p, '/', w.len) == NULL)
        return -1;
    return mt_span_ifind(w, "/TLS/", 5);
}

/* Classifies a with keyword (see received.h). */
enum mt_tri
mt_received_with_tls(struct mt_span w)
{
    int k;

    w = mt_span_trim(w);
    k = with_find(w);
    if (k >= 0)
        return (enum mt_tri)with_kw[k].tls;
    /* IronPort "ESMTP/TLS/AES256-GCM-SHA384" */
    if (with_slash_tls(w) > 0)
        return MT_TRI_YES;
    return MT_TRI_UNKNOWN;
}

/* Fills in what follows from the clauses once all are read. */
static void
finish(struct parser *ps)
{
    struct mt_received *r = ps->r;
    enum mt_tri wt = mt_received_with_tls(r->with);
    long at;
    int k;

    if (r->from_ip.len == 0 && r->from_host.len > 0) {
        if (r->from_host.p[0] == '[')
            take_ip(ps, bracket_ip(r->from_host));
        else if (mt_ipaddr_valid(r->from_host))
            take_ip(ps, r->from_host);
    }
    if (r->date.len == 0 && ps->last_semi > 0)
        r->date = mt_span_trim(mt_span(ps->p + ps->last_semi, ps->len - ps->last_semi));
    k = with_find(r->with);
    if (k >= 0 && with_kw[k].auth)
        r->authenticated = true;
    at = with_slash_tls(r->with);
    if (at > 0 && r->tls.cipher_raw[0] == '\0' && r->with.len > (size_t)at + 5)
        mt_tls_set_cipher(&r->tls, r->with.p + at + 5, r->with.len - (size_t)at - 5);
    if (ps->tls_seen || r->tls.used == MT_TRI_YES || wt == MT_TRI_YES)
        r->tls.used = MT_TRI_YES;
    else if (wt == MT_TRI_NO)
        mt_tls_set_plaintext(&r->tls);
}

/* Parses one Received: field value (see received.h). */
enum mt_status
mt_received_parse(const char *buf, size_t len, struct mt_received *out, struct mt_error *err)
{
    struct parser ps;
    struct tok t;
    struct mt_span head;

    memset(out, 0, sizeof(*out));
    out->time = -1;
    mt_tls_init(&out->tls);
    if (len > MT_RECEIVED_MAX)
        return mt_error_set(err, MT_ELIMIT, "Received field longer than %d bytes", MT_RECEIVED_MAX);
    if (buf == NULL)
        len = 0;
    memset(&ps, 0, sizeof(ps));
    ps.p = buf;
    ps.len = len;
    ps.no_quote_from = len;
    ps.r = out;
    /* An optional leading "Received:" */
    head = mt_span_trim(mt_span(buf, len));
    if (RX_ISTARTS(head, "Received")) {
        size_t k = (size_t)(head.p - buf) + 8;
        while (k < len && (buf[k] == ' ' || buf[k] == '\t'))
            k++;
        if (k < len && buf[k] == ':')
            ps.i = k + 1;
    }
    for (;;) {
        next(&ps, &t);
        if (t.kind == TK_END)
            break;
        if (t.kind == TK_COMMENT) {
            on_comment(&ps, &t);
        } else if (t.kind == TK_SEMI) {
            if (out->time < 0 && !date_at(&ps, ps.i))
                ps.last_semi = ps.i;
            ps.clause = CL_OTHER;
        } else {
            on_word(&ps, &t);
        }
    }
    finish(&ps);
    if (!ps.any)
        return mt_error_set(err, MT_EPARSE,
                            "not a Received field: no from, by, with, id, "
                            "for or date clause");
    return MT_OK;
}
