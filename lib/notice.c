/* notice.c - template expansion and the notice message (see notice.h). */
#include "notice.h"

#include <stdio.h>
#include <string.h>

#include "address.h"
#include "util/date.h"
#include "util/span.h"

/* A bounded output buffer: overflow is remembered, never truncated silently. */
struct out {
    char *p;
    size_t cap, len;
    bool full;
};

/* Appends n bytes. */
static void
put(struct out *o, const char *s, size_t n)
{
    if (o->full || n >= o->cap - o->len) {
        o->full = true;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/* Appends a C string. */
static void
puts_(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* Appends one value byte by byte, turning control bytes into '?'. */
static void
put_value(struct out *o, const char *v)
{
    for (; v != NULL && *v != '\0'; v++) {
        unsigned char c = (unsigned char)*v;
        char ch = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : (char)c;
        put(o, &ch, 1);
    }
}

/* Expands ${name} placeholders. */
enum mt_status
mt_template_expand(const char *tpl, size_t len, const struct mt_template_var *vars, size_t nvars,
                   char *dst, size_t dstsz, size_t *outlen, struct mt_error *err)
{
    struct out o = { dst, dstsz, 0, dstsz == 0 };
    size_t i = 0, line = 1, col = 1;

    if (dstsz > 0)
        dst[0] = '\0';
    if (len > MT_TEMPLATE_MAX)
        return mt_error_set(err, MT_ELIMIT, "template longer than %d bytes", MT_TEMPLATE_MAX);
    while (i < len) {
        char c = tpl[i];
        if (c == '\0') {
            mt_error_at(err, NULL, line, (unsigned)col);
            return mt_error_set(err, MT_EPARSE, "NUL byte in template");
        }
        if (c == '$' && i + 1 < len && tpl[i + 1] == '$') {
            put(&o, "$", 1);
            i += 2;
            col += 2;
            continue;
        }
        if (c == '$' && i + 1 < len && tpl[i + 1] == '{') {
            size_t j = i + 2, k;
            struct mt_span name;
            while (j < len && (mt_is_alnum((unsigned char)tpl[j]) || tpl[j] == '_') && j - i < 64)
                j++;
            if (j >= len || tpl[j] != '}') {
                mt_error_at(err, NULL, line, (unsigned)col);
                return mt_error_set(err, MT_EPARSE, "unterminated or malformed ${...}");
            }
            name = mt_span(tpl + i + 2, j - i - 2);
            for (k = 0; k < nvars; k++)
                if (mt_span_eq(name, mt_span_cstr(vars[k].name)))
                    break;
            if (k == nvars || name.len == 0) {
                mt_error_at(err, NULL, line, (unsigned)col);
                return mt_error_set(err, MT_EPARSE, "unknown placeholder ${%.*s}", (int)name.len,
                                    name.p);
            }
            put_value(&o, vars[k].value);
            col += j + 1 - i;
            i = j + 1;
            continue;
        }
        put(&o, &c, 1);
        if (c == '\n') {
            line++;
            col = 1;
        } else
            col++;
        i++;
    }
    if (o.full)
        return mt_error_set(err, MT_ELIMIT, "expanded template longer than %zu bytes", dstsz);
    *outlen = o.len;
    return MT_OK;
}

/* True when buf[0..len) is valid UTF-8 (no overlongs, no surrogates). */
static bool
utf8_valid(const char *buf, size_t len, bool *ascii)
{
    size_t i = 0;

    *ascii = true;
    while (i < len) {
        unsigned char c = (unsigned char)buf[i];
        size_t n, k;
        unsigned long cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        *ascii = false;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else
            return false;
        if (len - i <= n)
            return false;
        for (k = 1; k <= n; k++) {
            unsigned char d = (unsigned char)buf[i + k];
            if ((d & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (d & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += n + 1;
    }
    return true;
}

typedef void (*emit_fn)(void *arg, struct mt_span indent, struct mt_span text);

/* Splits the body into lines, wrapping long ones at spaces (see notice.h). */
static void
wrap(const char *body, size_t len, emit_fn emit, void *arg)
{
    size_t off = 0;

    while (off < len) {
        const char *nl = memchr(body + off, '\n', len - off);
        size_t end = nl != NULL ? (size_t)(nl - body) : len;
        struct mt_span line = mt_span(body + off, end - off), indent, rest;
        size_t ind = 0, width;
        bool first = true;

        while (line.len > 0 && line.p[line.len - 1] == '\r')
            line.len--;
        /* Trailing blanks go, except in the signature separator "-- ". */
        while (line.len > 0 && (line.p[line.len - 1] == ' ' || line.p[line.len - 1] == '\t') &&
               !mt_span_eq(line, MT_SPAN_LIT("-- ")))
            line.len--;
        while (ind < line.len && (line.p[ind] == ' ' || line.p[ind] == '\t'))
            ind++;
        indent = mt_span(line.p, ind);
        rest = mt_span(line.p + ind, line.len - ind);
        width = ind < MT_NOTICE_WRAP / 2 ? MT_NOTICE_WRAP - ind : MT_NOTICE_WRAP;
        if (rest.len == 0)
            emit(arg, indent, rest);
        while (rest.len > 0) {
            size_t cut, skip;
            if (rest.len <= width) {
                cut = rest.len;
            } else {
                cut = width;
                while (cut > 0 && rest.p[cut] != ' ')
                    cut--;
                if (cut == 0) { /* one long word: break after it */
                    cut = width;
                    while (cut < rest.len && rest.p[cut] != ' ')
                        cut++;
                }
            }
            skip = cut;
            while (skip < rest.len && rest.p[skip] == ' ')
                skip++;
            emit(arg, first || ind < MT_NOTICE_WRAP / 2 ? indent : MT_SPAN_NULL,
                 mt_span(rest.p, cut));
            first = false;
            rest = mt_span(rest.p + skip, rest.len - skip);
        }
        off = end + 1;
    }
}

/* Wrapping pass 1: the longest line. */
static void
measure(void *arg, struct mt_span indent, struct mt_span text)
{
    size_t *longest = arg;

    if (indent.len + text.len > *longest)
        *longest = indent.len + text.len;
}

/* Wrapping pass 2 (7bit/8bit): writes the line as it is. */
static void
emit_plain(void *arg, struct mt_span indent, struct mt_span text)
{
    struct out *o = arg;

    put(o, indent.p, indent.len);
    put(o, text.p, text.len);
    put(o, "\n", 1);
}

/* Wrapping pass 2 (quoted-printable): encodes the line with soft breaks. */
static void
emit_qp(void *arg, struct mt_span indent, struct mt_span text)
{
    static const char hex[] = "0123456789ABCDEF";
    struct out *o = arg;
    size_t col = 0, i, n = indent.len + text.len;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)(i < indent.len ? indent.p[i] : text.p[i - indent.len]);
        char enc[3];
        size_t w;
        bool last = i + 1 == n;
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
            enc[0] = (char)c;
            w = 1;
        } else {
            enc[0] = '=';
            enc[1] = hex[c >> 4];
            enc[2] = hex[c & 15];
            w = 3;
        }
        /* Keep room for the soft break '=' within 76 columns. */
        if (col + w > (last ? 76 : 75)) {
            put(o, "=\n", 2);
            col = 0;
        }
        put(o, enc, w);
        col += w;
    }
    put(o, "\n", 1);
}

/* True when buf has a control byte other than TAB, LF, or CR before LF:
   such bytes (a bare CR above all) only travel safely quoted-printable. */
static bool
has_controls(const char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\t' || c == '\n' || (c == '\r' && i + 1 < len && buf[i + 1] == '\n'))
            continue;
        if (c < 0x20 || c == 0x7f)
            return true;
    }
    return false;
}

/* Message-ID check: "<" atext/dots "@" atext/dots ">". */
static bool
msgid_ok(const char *id)
{
    size_t n = strlen(id), i, ats = 0;

    if (n < 5 || n > 200 || id[0] != '<' || id[n - 1] != '>')
        return false;
    for (i = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c == '@')
            ats++;
        else if (!mt_is_alnum(c) && strchr("!#$%&'*+-/=?^_`{|}~.", c) == NULL)
            return false;
    }
    return ats == 1 && id[1] != '@' && id[n - 2] != '@';
}

/* Subject check: printable ASCII that fits on the header line. */
static bool
subject_ok(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n > 78 - 9)
        return false;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return true;
}

/* Formats the whole notice. */
enum mt_status
mt_notice_format(const struct mt_notice *n, char *dst, size_t dstsz, size_t *outlen,
                 struct mt_error *err)
{
    struct out o = { dst, dstsz, 0, dstsz == 0 };
    const char *subject = n->subject != NULL ? n->subject : MT_NOTICE_SUBJECT;
    char date[64];
    size_t longest = 0;
    bool ascii, qp;

    if (dstsz > 0)
        dst[0] = '\0';
    if (n->from == NULL || mt_address_check(mt_span_cstr(n->from), NULL, err) != MT_OK)
        return mt_error_set(err, MT_EPARSE, "From: address refused: %s",
                            n->from == NULL ? "missing"
                            : err != NULL   ? err->msg
                                            : "invalid");
    if (n->to == NULL || mt_address_check(mt_span_cstr(n->to), NULL, err) != MT_OK)
        return mt_error_set(err, MT_EPARSE, "To: address refused: %s",
                            n->to == NULL ? "missing"
                            : err != NULL ? err->msg
                                          : "invalid");
    if (n->message_id == NULL || !msgid_ok(n->message_id))
        return mt_error_set(err, MT_EPARSE, "bad Message-ID");
    if (!subject_ok(subject))
        return mt_error_set(err, MT_EPARSE, "bad Subject");
    if (n->body_len > MT_NOTICE_MAX)
        return mt_error_set(err, MT_ELIMIT, "body longer than %d bytes", MT_NOTICE_MAX);
    if (memchr(n->body, '\0', n->body_len) != NULL || !utf8_valid(n->body, n->body_len, &ascii))
        return mt_error_set(err, MT_EPARSE, "body is not valid UTF-8 text");
    wrap(n->body, n->body_len, measure, &longest);
    qp = longest > 78 || has_controls(n->body, n->body_len);

    mt_notice_date(n->date, date, sizeof(date));
    puts_(&o, "From: ");
    puts_(&o, n->from);
    puts_(&o, "\nTo: ");
    puts_(&o, n->to);
    puts_(&o, "\nSubject: ");
    puts_(&o, subject);
    puts_(&o, "\nDate: ");
    puts_(&o, date);
    puts_(&o, "\nMessage-ID: ");
    puts_(&o, n->message_id);
    puts_(&o, "\nAuto-Submitted: auto-replied\n"
              "MIME-Version: 1.0\n"
              "Content-Type: text/plain; charset=utf-8\n"
              "Content-Transfer-Encoding: ");
    puts_(&o, qp ? "quoted-printable" : ascii ? "7bit" : "8bit");
    puts_(&o, "\n\n");
    wrap(n->body, n->body_len, qp ? emit_qp : emit_plain, &o);
    if (o.full)
        return mt_error_set(err, MT_ELIMIT, "notice longer than %zu bytes", dstsz);
    *outlen = o.len;
    return MT_OK;
}

/* RFC 5322 date in UTC. */
void
mt_notice_date(int64_t t, char *dst, size_t dstsz)
{
    static const char *const wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400, y;
    unsigned m, d;

    mt_civil_from_days(days, &y, &m, &d);
    snprintf(dst, dstsz, "%s, %02u %s %04lld %02d:%02d:%02d +0000", wd[((days % 7) + 7) % 7], d,
             mon[m - 1], (long long)y, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}
