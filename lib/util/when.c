/* when.c - command-line dates and relative times. */
#include "util/when.h"

#include "util/span.h"

/* Days since the epoch of a civil date. */
int64_t
mt_when_days(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads exactly n digits at s[*i]; false when they are not there. */
static bool
digits(const char *s, size_t len, size_t *i, unsigned n, unsigned *out)
{
    unsigned v = 0, k;

    if (*i + n > len)
        return false;
    for (k = 0; k < n; k++) {
        if (!mt_is_digit((unsigned char)s[*i + k]))
            return false;
        v = v * 10 + (unsigned)(s[*i + k] - '0');
    }
    *i += n;
    *out = v;
    return true;
}

/* Days in a month. */
static unsigned
month_days(unsigned y, unsigned m)
{
    static const unsigned char md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : md[m - 1];
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS]][Z]". */
static enum mt_status
parse_date(const char *s, size_t len, int64_t *out, struct mt_error *err)
{
    unsigned y, mo, d, h = 0, mi = 0, se = 0;
    size_t i = 0;

    if (!digits(s, len, &i, 4, &y) || i >= len || s[i++] != '-' || !digits(s, len, &i, 2, &mo) ||
        i >= len || s[i++] != '-' || !digits(s, len, &i, 2, &d))
        goto bad;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
        return mt_error_set(err, MT_EPARSE, "'%.*s': no such date", (int)len, s);
    if (i < len && (s[i] == 'T' || s[i] == ' ')) {
        i++;
        if (!digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' || !digits(s, len, &i, 2, &mi))
            goto bad;
        if (i < len && s[i] == ':') {
            i++;
            if (!digits(s, len, &i, 2, &se))
                goto bad;
        }
        if (h > 23 || mi > 59 || se > 60)
            return mt_error_set(err, MT_EPARSE, "'%.*s': no such time", (int)len, s);
    }
    if (i < len && s[i] == 'Z')
        i++;
    if (i != len)
        goto bad;
    *out = mt_when_days(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se;
    return MT_OK;
bad:
    return mt_error_set(err, MT_EPARSE,
                        "'%.*s': expected a date (2024-10-23, 2024-10-23T12:00) or an age "
                        "(7d, 12h)",
                        (int)len, s);
}

/* Parses an absolute date or an age before now. */
enum mt_status
mt_when_parse(const char *s, size_t len, int64_t now, int64_t *out, struct mt_error *err)
{
    struct mt_span sp = mt_span_trim(mt_span(s, len));
    size_t n = 0;
    unsigned long v;
    int64_t unit = 1;

    while (n < sp.len && mt_is_digit((unsigned char)sp.p[n]))
        n++;
    if (n == 4 && n < sp.len && sp.p[n] == '-')
        return parse_date(sp.p, sp.len, out, err);
    if (n == 0 || n > 9 || sp.len > n + 1)
        return parse_date(sp.p, sp.len, out, err); /* for its message */
    if (sp.len == n + 1) {
        switch (sp.p[n]) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        case 'w':
            unit = 7 * 86400;
            break;
        default:
            return parse_date(sp.p, sp.len, out, err);
        }
    }
    if (!mt_span_to_ulong(mt_span(sp.p, n), 999999999UL, &v))
        return parse_date(sp.p, sp.len, out, err);
    *out = now - (int64_t)v * unit;
    return MT_OK;
}
