/*
 * span.h - borrowed byte ranges and ASCII character classes.
 *
 * A span is a pointer and a length into someone else's buffer. It never owns
 * its bytes, is never NUL-terminated by contract, and lives exactly as long as
 * the buffer it points into. All helpers here are pure and bounded by the
 * lengths they are given; none reads past p + len.
 *
 * Character classes are our own ASCII tables, not <ctype.h>, so results do not
 * depend on the locale and bytes >= 0x80 are never letters or spaces.
 */
#ifndef MT_UTIL_SPAN_H
#define MT_UTIL_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct mt_span {
    const char *p;
    size_t len;
};

#define MT_SPAN_NULL ((struct mt_span){ NULL, 0 })
/* A span over a string literal. */
#define MT_SPAN_LIT(s) ((struct mt_span){ (s), sizeof(s) - 1 })

/* ASCII classes. */
static inline bool
mt_is_digit(int c)
{
    return c >= '0' && c <= '9';
}
static inline bool
mt_is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool
mt_is_alnum(int c)
{
    return mt_is_alpha(c) || mt_is_digit(c);
}
static inline bool
mt_is_xdigit(int c)
{
    return mt_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/* Space, tab, CR, LF (the whitespace of folded mail headers and log lines). */
static inline bool
mt_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
static inline int
mt_to_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}
static inline int
mt_to_upper(int c)
{
    return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

/* Makes a span. */
static inline struct mt_span
mt_span(const char *p, size_t len)
{
    struct mt_span s = { p, len };
    return s;
}

/* Span over a NUL-terminated string (s may be NULL: empty span). */
struct mt_span mt_span_cstr(const char *s);

/* True when a and b hold the same bytes. */
bool mt_span_eq(struct mt_span a, struct mt_span b);
/* True when a starts with the n bytes of s, ASCII case ignored. */
bool mt_span_iprefix(struct mt_span a, const char *s, size_t n);

/*
 * The comparisons with C strings below are inline so that the length of a
 * string literal is known at compile time (parsers call them per token).
 */

/* True when a equals the string s, ASCII case ignored. */
static inline bool
mt_span_ieq(struct mt_span a, const char *s)
{
    size_t n = strlen(s);

    return a.len == n && mt_span_iprefix(a, s, n);
}
/* True when a starts with the string s, ASCII case ignored. */
static inline bool
mt_span_istarts(struct mt_span a, const char *s)
{
    return mt_span_iprefix(a, s, strlen(s));
}
/* True when a starts with the string s (exact). */
static inline bool
mt_span_starts(struct mt_span a, const char *s)
{
    size_t n = strlen(s);

    return a.len >= n && memcmp(a.p, s, n) == 0;
}
/* True when a ends with the string s, ASCII case ignored. */
static inline bool
mt_span_iends(struct mt_span a, const char *s)
{
    size_t n = strlen(s);

    return a.len >= n && mt_span_iprefix(mt_span(a.p + a.len - n, n), s, n);
}

/*
 * True when the n bytes (n >= 1) at a and b are equal. Up to 16 bytes (a
 * time stamp, most host names) without a call: two overlapping words, or
 * three bytes for n <= 3.
 */
static inline bool
mt_bytes_eq(const char *a, const char *b, size_t n)
{
    uint64_t a0, a1, b0, b1;
    uint32_t c0, c1, d0, d1;

    if (n > 16)
        return memcmp(a, b, n) == 0;
    if (n >= 8) {
        memcpy(&a0, a, 8);
        memcpy(&b0, b, 8);
        memcpy(&a1, a + n - 8, 8);
        memcpy(&b1, b + n - 8, 8);
        return a0 == b0 && a1 == b1;
    }
    if (n >= 4) {
        memcpy(&c0, a, 4);
        memcpy(&d0, b, 4);
        memcpy(&c1, a + n - 4, 4);
        memcpy(&d1, b + n - 4, 4);
        return c0 == d0 && c1 == d1;
    }
    return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

/* a without its first n bytes (n <= a.len). */
static inline struct mt_span
mt_span_skip(struct mt_span a, size_t n)
{
    return mt_span(a.p + n, a.len - n);
}
/* True when *a starts with the string lit, which is then consumed (exact). */
static inline bool
mt_span_eat(struct mt_span *a, const char *lit)
{
    size_t n = strlen(lit);

    if (a->len < n || memcmp(a->p, lit, n) != 0)
        return false;
    *a = mt_span_skip(*a, n);
    return true;
}

/* a without one pair of enclosing angle brackets ("<user@example.org>"), else a. */
static inline struct mt_span
mt_span_unangle(struct mt_span a)
{
    if (a.len >= 2 && a.p[0] == '<' && a.p[a.len - 1] == '>')
        return mt_span(a.p + 1, a.len - 2);
    return a;
}

/* a without leading and trailing mt_is_space() bytes. */
struct mt_span mt_span_trim(struct mt_span a);

/*
 * Offset of the first occurrence of needle (nlen bytes) in a, or -1.
 * mt_span_ifind ignores ASCII case.
 */
long mt_span_find(struct mt_span a, const char *needle, size_t nlen);
long mt_span_ifind(struct mt_span a, const char *needle, size_t nlen);

/*
 * Parses an unsigned decimal number occupying all of a. Fails (false) on an
 * empty span, a non-digit, or a value above max; *out is untouched on failure.
 */
bool mt_span_to_ulong(struct mt_span a, unsigned long max, unsigned long *out);

/*
 * Copies a into dst (size dstsz) with a terminating NUL. Returns false, and
 * writes nothing, when a does not fit - never truncates.
 */
bool mt_span_copy(struct mt_span a, char *dst, size_t dstsz);

/*
 * Like mt_span_copy, but collapses every run of mt_is_space() bytes (header
 * folding) into one space and trims both ends.
 */
bool mt_span_copy_collapse(struct mt_span a, char *dst, size_t dstsz);

#endif
