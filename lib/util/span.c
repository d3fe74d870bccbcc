/* span.c - borrowed byte ranges. */
#include "util/span.h"

#include <string.h>

/* Span over a C string, empty for NULL. */
struct mt_span
mt_span_cstr(const char *s)
{
    return s == NULL ? MT_SPAN_NULL : mt_span(s, strlen(s));
}

/* Byte equality. */
bool
mt_span_eq(struct mt_span a, struct mt_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Case-insensitive prefix test over at most a.len bytes. */
static bool
iprefix(const char *p, size_t len, const char *s, size_t slen)
{
    size_t i;

    if (slen > len)
        return false;
    for (i = 0; i < slen; i++)
        if (mt_to_lower((unsigned char)p[i]) != mt_to_lower((unsigned char)s[i]))
            return false;
    return true;
}

/* Case-insensitive prefix test with a length. */
bool
mt_span_iprefix(struct mt_span a, const char *s, size_t n)
{
    return iprefix(a.p, a.len, s, n);
}

/* Strips surrounding whitespace. */
struct mt_span
mt_span_trim(struct mt_span a)
{
    while (a.len > 0 && mt_is_space((unsigned char)a.p[0])) {
        a.p++;
        a.len--;
    }
    while (a.len > 0 && mt_is_space((unsigned char)a.p[a.len - 1]))
        a.len--;
    return a;
}

/*
 * Exact substring search. memchr() looks for one byte of the needle: the
 * first, or the second when the first is a space (" from ", " client-"),
 * as spaces are everywhere in log text and stop memchr() at every word.
 */
long
mt_span_find(struct mt_span a, const char *needle, size_t nlen)
{
    size_t i, k = nlen > 1 && needle[0] == ' ' ? 1 : 0;

    if (nlen == 0)
        return 0;
    if (nlen > a.len)
        return -1;
    for (i = 0; i + nlen <= a.len; i++) {
        const char *hit = memchr(a.p + i + k, needle[k], a.len - nlen + 1 - i);
        if (hit == NULL)
            return -1;
        i = (size_t)(hit - a.p) - k;
        if (memcmp(a.p + i, needle, nlen) == 0)
            return (long)i;
    }
    return -1;
}

/* Case-insensitive substring search; the first byte is compared before the rest. */
long
mt_span_ifind(struct mt_span a, const char *needle, size_t nlen)
{
    size_t i;
    int lo, up;

    if (nlen == 0)
        return 0;
    if (nlen > a.len)
        return -1;
    lo = mt_to_lower((unsigned char)needle[0]);
    up = mt_to_upper((unsigned char)needle[0]);
    for (i = 0; i + nlen <= a.len; i++) {
        int c = (unsigned char)a.p[i];
        if ((c == lo || c == up) && iprefix(a.p + i + 1, nlen - 1, needle + 1, nlen - 1))
            return (long)i;
    }
    return -1;
}

/* Decimal parse with an upper bound. */
bool
mt_span_to_ulong(struct mt_span a, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    size_t i;

    if (a.len == 0)
        return false;
    for (i = 0; i < a.len; i++) {
        unsigned d;
        if (!mt_is_digit((unsigned char)a.p[i]))
            return false;
        d = (unsigned)(a.p[i] - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Copy with NUL, refusing to truncate. */
bool
mt_span_copy(struct mt_span a, char *dst, size_t dstsz)
{
    if (dstsz == 0 || a.len >= dstsz)
        return false;
    if (a.len > 0)
        memcpy(dst, a.p, a.len);
    dst[a.len] = '\0';
    return true;
}

/* Copy that unfolds whitespace runs into single spaces. */
bool
mt_span_copy_collapse(struct mt_span a, char *dst, size_t dstsz)
{
    size_t i, o = 0;
    bool pending = false;

    a = mt_span_trim(a);
    if (dstsz == 0)
        return false;
    for (i = 0; i < a.len; i++) {
        unsigned char c = (unsigned char)a.p[i];
        if (mt_is_space(c)) {
            pending = true;
            continue;
        }
        if (pending) {
            if (o + 1 >= dstsz)
                return false;
            dst[o++] = ' ';
            pending = false;
        }
        if (o + 1 >= dstsz)
            return false;
        dst[o++] = (char)c;
    }
    dst[o] = '\0';
    return true;
}
