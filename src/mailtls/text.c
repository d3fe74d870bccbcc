/* text.c - cleaning header bytes for output (see text.h). */
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes plus a NUL. */
static enum mt_status
reserve(struct mt_text *t, size_t n)
{
    size_t need = t->len + n + 1, ncap;
    char *np;

    if (need <= t->cap)
        return MT_OK;
    if (need > MT_TEXT_MAX + 1)
        return MT_ELIMIT;
    ncap = t->cap ? t->cap : 256;
    while (ncap < need)
        ncap *= 2;
    np = realloc(t->p, ncap);
    if (np == NULL)
        return MT_ENOMEM;
    t->p = np;
    t->cap = ncap;
    return MT_OK;
}

/* Length of the valid UTF-8 sequence at p[0..n), or 0 when invalid (RFC 3629). */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len, i;
    unsigned char lo = 0x80, hi = 0xbf;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    /* Second-byte ranges exclude overlongs, surrogates and code points past U+10FFFF. */
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

/* Cleans s into t. */
enum mt_status
mt_text_clean(struct mt_text *t, struct mt_span s, unsigned flags)
{
    const unsigned char *p;
    size_t i = 0, n;
    bool space = false;
    enum mt_status st;

    t->len = 0;
    if ((st = reserve(t, 0)) != MT_OK)
        return st;
    s = mt_span_trim(s);
    p = (const unsigned char *)s.p;
    while (i < s.len) {
        if (mt_is_space(p[i])) {
            space = true;
            i++;
            continue;
        }
        if (space) {
            if ((st = reserve(t, 1)) != MT_OK)
                return st;
            t->p[t->len++] = ' ';
            space = false;
        }
        n = utf8_len(p + i, s.len - i);
        if (n == 0) {
            if ((st = reserve(t, 3)) != MT_OK)
                return st;
            memcpy(t->p + t->len, "\xef\xbf\xbd", 3); /* U+FFFD */
            t->len += 3;
            i++;
            continue;
        }
        if ((flags & MT_TEXT_TERMINAL) &&
            (p[i] < 0x20 || p[i] == 0x7f || (p[i] == 0xc2 && p[i + 1] < 0xa0))) {
            if ((st = reserve(t, 1)) != MT_OK)
                return st;
            t->p[t->len++] = '?';
            i += n;
            continue;
        }
        if ((st = reserve(t, n)) != MT_OK)
            return st;
        memcpy(t->p + t->len, p + i, n);
        t->len += n;
        i += n;
    }
    t->p[t->len] = '\0';
    return MT_OK;
}

/* Appends raw bytes. */
enum mt_status
mt_text_append(struct mt_text *t, const char *p, size_t n)
{
    enum mt_status st = reserve(t, n);

    if (st != MT_OK)
        return st;
    memcpy(t->p + t->len, p, n);
    t->len += n;
    t->p[t->len] = '\0';
    return MT_OK;
}

/* Frees the buffer. */
void
mt_text_free(struct mt_text *t)
{
    free(t->p);
    t->p = NULL;
    t->len = t->cap = 0;
}
