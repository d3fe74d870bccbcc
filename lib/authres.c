/* authres.c - Authentication-Results (RFC 8601) field parser. */
#include "authres.h"

#include <string.h>

#include "address.h"

struct cur {
    const char *p;
    size_t len, off;
};

/* True at the end of input. */
static bool
at_end(const struct cur *c)
{
    return c->off >= c->len;
}

/* The byte under the cursor, or -1 at the end. */
static int
peek(const struct cur *c)
{
    return at_end(c) ? -1 : (unsigned char)c->p[c->off];
}

/* Skips one comment (RFC 5322 section 3.2.2), nested, with quoted pairs. */
static bool
skip_comment(struct cur *c)
{
    size_t depth = 0;

    while (!at_end(c)) {
        char ch = c->p[c->off++];
        if (ch == '\\') {
            if (!at_end(c))
                c->off++;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')') {
            if (--depth == 0)
                return true;
        }
    }
    return false; /* unterminated */
}

/* Skips white space and comments; false on an unterminated comment. */
static bool
skip_cfws(struct cur *c)
{
    while (!at_end(c)) {
        int ch = peek(c);
        if (mt_is_space(ch))
            c->off++;
        else if (ch == '(') {
            if (!skip_comment(c))
                return false;
        } else
            break;
    }
    return true;
}

/* RFC 2045 token characters. */
static bool
is_token(int ch)
{
    return ch > 0x20 && ch < 0x7f && strchr("()<>@,;:\\\"/[]?=", ch) == NULL;
}

/* Characters of a pvalue outside quotes: token chars plus '@' and '/'. */
static bool
is_pvalue(int ch)
{
    return is_token(ch) || ch == '@' || ch == '/' || ch == ':' || ch == '[' || ch == ']';
}

/* Reads a quoted string; *out gets the inside. False when unterminated. */
static bool
read_quoted(struct cur *c, struct mt_span *out)
{
    size_t start;

    c->off++; /* opening quote */
    start = c->off;
    while (!at_end(c)) {
        char ch = c->p[c->off];
        if (ch == '\\') {
            c->off += 2;
            continue;
        }
        if (ch == '"') {
            *out = mt_span(c->p + start, c->off - start);
            c->off++;
            return true;
        }
        c->off++;
    }
    c->off = c->len;
    return false;
}

/* Reads a run of characters accepted by cls. */
static struct mt_span
read_run(struct cur *c, bool (*cls)(int))
{
    size_t start = c->off;

    while (!at_end(c) && cls(peek(c)))
        c->off++;
    return mt_span(c->p + start, c->off - start);
}

/* Method, result and ptype/property names: letters, digits, '-', '_'. */
static bool
is_keyword(int ch)
{
    return mt_is_alnum(ch) || ch == '-' || ch == '_';
}

/* Reads a value: quoted string or token (RFC 2045). */
static bool
read_value(struct cur *c, struct mt_span *out)
{
    if (peek(c) == '"')
        return read_quoted(c, out);
    *out = read_run(c, is_token);
    return out->len > 0;
}

/* Reads a pvalue: quoted local part with "@domain", or a plain run. */
static bool
read_pvalue(struct cur *c, struct mt_span *out)
{
    size_t start = c->off;

    if (peek(c) == '"') {
        struct mt_span q;
        if (!read_quoted(c, &q))
            return false;
        if (peek(c) != '@') {
            *out = q;
            return true;
        }
        (void)read_run(c, is_pvalue);
        *out = mt_span(c->p + start, c->off - start);
        return true;
    }
    *out = read_run(c, is_pvalue);
    return true; /* an empty pvalue is allowed by RFC 8601 */
}

/* Skips to the next ';' outside comments and quotes (or the end). */
static void
skip_to_semicolon(struct cur *c)
{
    while (!at_end(c)) {
        int ch = peek(c);
        if (ch == ';')
            return;
        if (ch == '(') {
            if (!skip_comment(c))
                return;
        } else if (ch == '"') {
            struct mt_span ignored;
            (void)read_quoted(c, &ignored);
        } else
            c->off++;
    }
}

/* Parses one resinfo after its ';'; false when malformed. */
static bool
parse_resinfo(struct cur *c, struct mt_authres_result *r)
{
    memset(r, 0, sizeof(*r));
    r->method = read_run(c, is_keyword);
    if (r->method.len == 0)
        return false;
    if (!skip_cfws(c))
        return false;
    if (peek(c) == '/') { /* method version */
        c->off++;
        if (!skip_cfws(c) || read_run(c, is_keyword).len == 0 || !skip_cfws(c))
            return false;
    }
    if (peek(c) != '=')
        return false;
    c->off++;
    if (!skip_cfws(c))
        return false;
    r->result = read_run(c, is_keyword);
    if (r->result.len == 0)
        return false;
    for (;;) {
        struct mt_span word;
        if (!skip_cfws(c))
            return false;
        if (at_end(c) || peek(c) == ';')
            return true;
        word = read_run(c, is_keyword);
        if (word.len == 0)
            return false;
        if (!skip_cfws(c))
            return false;
        if (mt_span_ieq(word, "reason")) {
            if (peek(c) != '=')
                return false;
            c->off++;
            if (!skip_cfws(c) || !read_value(c, &r->reason))
                return false;
            continue;
        }
        if (peek(c) != '.')
            return false;
        c->off++;
        if (r->n_prop == MT_AUTHRES_PROPS)
            return false;
        r->prop[r->n_prop].ptype = word;
        if (!skip_cfws(c))
            return false;
        r->prop[r->n_prop].property = read_run(c, is_keyword);
        if (r->prop[r->n_prop].property.len == 0 || !skip_cfws(c) || peek(c) != '=')
            return false;
        c->off++;
        if (!skip_cfws(c) || !read_pvalue(c, &r->prop[r->n_prop].value))
            return false;
        r->n_prop++;
    }
}

/* Parses one Authentication-Results field value. */
enum mt_status
mt_authres_parse(const char *buf, size_t len, struct mt_authres *out, struct mt_error *err)
{
    struct cur c = { buf, len, 0 };

    memset(out, 0, sizeof(*out));
    out->version = 1;
    if (len > MT_AUTHRES_MAX)
        return mt_error_set(err, MT_ELIMIT, "Authentication-Results longer than %d bytes",
                            MT_AUTHRES_MAX);
    if (!skip_cfws(&c) || !read_value(&c, &out->authserv_id) || out->authserv_id.len == 0)
        return mt_error_set(err, MT_EPARSE, "Authentication-Results without an authserv-id");
    if (!skip_cfws(&c))
        return mt_error_set(err, MT_EPARSE, "unterminated comment");
    if (mt_is_digit(peek(&c))) {
        struct mt_span v = read_run(&c, is_keyword);
        if (!mt_span_to_ulong(v, 1000000, &out->version))
            return mt_error_set(err, MT_EPARSE, "bad Authentication-Results version");
        if (!skip_cfws(&c))
            return mt_error_set(err, MT_EPARSE, "unterminated comment");
    }
    if (at_end(&c))
        return mt_error_set(err, MT_EPARSE, "Authentication-Results without results");
    if (peek(&c) != ';') {
        /* RFC 5451 allowed "id none" without the semicolon. */
        if (mt_span_ieq(mt_span_trim(mt_span(c.p + c.off, c.len - c.off)), "none"))
            return MT_OK;
        return mt_error_set(err, MT_EPARSE, "expected ';' after the authserv-id");
    }
    while (!at_end(&c)) {
        size_t start;
        c.off++; /* the ';' */
        if (!skip_cfws(&c))
            break;
        if (at_end(&c))
            break;
        start = c.off;
        if (out->n == 0 && out->n_bad == 0) {
            struct mt_span w = read_run(&c, is_keyword);
            struct cur probe = c;
            if (mt_span_ieq(w, "none") && skip_cfws(&probe) && at_end(&probe))
                return MT_OK;
            c.off = start;
        }
        if (out->n == MT_AUTHRES_RESULTS)
            return mt_error_set(err, MT_ELIMIT, "more than %d results", MT_AUTHRES_RESULTS);
        if (parse_resinfo(&c, &out->res[out->n])) {
            out->n++;
        } else {
            memset(&out->res[out->n], 0, sizeof(out->res[out->n]));
            out->n_bad++;
            skip_to_semicolon(&c);
        }
    }
    return MT_OK;
}

/* Whether a result says spf=pass for the envelope domain. */
bool
mt_authres_spf_pass(const struct mt_authres *ar, struct mt_span domain)
{
    size_t i, j;

    if (domain.len == 0)
        return false;
    for (i = 0; i < ar->n; i++) {
        const struct mt_authres_result *r = &ar->res[i];
        if (!mt_span_ieq(r->method, "spf") || !mt_span_ieq(r->result, "pass"))
            continue;
        for (j = 0; j < r->n_prop; j++) {
            const struct mt_authres_prop *pr = &r->prop[j];
            struct mt_span v = pr->value, d;
            if (!mt_span_ieq(pr->ptype, "smtp") || !mt_span_ieq(pr->property, "mailfrom"))
                continue;
            d = mt_address_domain(v);
            if (d.len == 0 && v.len > 0 && mt_span_find(v, "@", 1) < 0)
                d = v; /* smtp.mailfrom=example.com */
            if (mt_domain_eq(d, domain))
                return true;
        }
    }
    return false;
}
