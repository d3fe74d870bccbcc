/* date.c - mail and MTA dates to seconds since the epoch (see date.h). */
#include "util/date.h"

#include "util/span.h"

/* A read position in a bounded buffer. */
struct cur {
    const char *p;
    size_t len;
    size_t i;
};

/* The parts of a date before they are turned into seconds. */
struct parts {
    int64_t year;
    unsigned mon, day, hour, min, sec;
    long offset; /* seconds east of UTC */
};

#define COMMENT_DEPTH_MAX 8

/* Days from 1970-01-01 to y-m-d: years counted from March, in 400-year eras. */
int64_t
mt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    if (m <= 2)
        y--;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;                                   /* 0..399 */
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 /* days before the month */
          + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
    return era * 146097 + doe - 719468;          /* 719468 = days 0000-03-01..1970-01-01 */
}

/* The inverse of mt_days_from_civil() (H. Hinnant's algorithm, restated). */
void
mt_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;                                      /* 0..146096 */
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365, from March 1 */
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Days in a month of the Gregorian calendar. */
unsigned
mt_days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

/* Current byte, or 0 at the end. */
static int
peek(const struct cur *c)
{
    return c->i < c->len ? (unsigned char)c->p[c->i] : 0;
}

/* Skips white space only. */
static void
skip_ws(struct cur *c)
{
    while (c->i < c->len && mt_is_space((unsigned char)c->p[c->i]))
        c->i++;
}

/* Skips one comment at the cursor (nested, with quoted pairs); false if unclosed. */
static bool
skip_comment(struct cur *c)
{
    size_t j = c->i;
    int depth = 0;

    while (j < c->len) {
        char ch = c->p[j];
        if (ch == '\\') {
            j += 2;
            continue;
        }
        if (ch == '(') {
            if (++depth > COMMENT_DEPTH_MAX)
                return false;
        } else if (ch == ')') {
            if (--depth == 0) {
                c->i = j + 1;
                return true;
            }
        }
        j++;
    }
    return false;
}

/* Skips white space and comments (CFWS of RFC 5322 section 3.2.2). */
static void
skip_cfws(struct cur *c)
{
    for (;;) {
        skip_ws(c);
        if (peek(c) != '(' || !skip_comment(c))
            return;
    }
}

/* Reads up to maxd digits; *nd gets how many were read. */
static unsigned long
read_num(struct cur *c, unsigned maxd, unsigned *nd)
{
    unsigned long v = 0;
    unsigned n = 0;

    while (n < maxd && mt_is_digit(peek(c))) {
        v = v * 10 + (unsigned long)(peek(c) - '0');
        c->i++;
        n++;
    }
    *nd = n;
    return v;
}

/* Reads a run of letters (at most 16). */
static struct mt_span
read_word(struct cur *c)
{
    size_t s = c->i;

    while (c->i < c->len && c->i - s < 16 && mt_is_alpha(peek(c)))
        c->i++;
    return mt_span(c->p + s, c->i - s);
}

/* True when w is the name (3 letters or full, any case) of names[k] for some k. */
static int
name_index(struct mt_span w, const char *const *names, int n)
{
    int k;
    size_t j;

    if (w.len < 3)
        return -1;
    for (k = 0; k < n; k++) {
        const char *s = names[k];
        for (j = 0; j < w.len && s[j] != '\0'; j++)
            if (mt_to_lower((unsigned char)w.p[j]) != s[j])
                break;
        if (j == w.len && (j == 3 || s[j] == '\0'))
            return k;
    }
    return -1;
}

/* Month 1-12 from an English name or abbreviation, 0 when not a month. */
static unsigned
month_of(struct mt_span w)
{
    static const char *const names[] = { "january",   "february", "march",    "april",
                                         "may",       "june",     "july",     "august",
                                         "september", "october",  "november", "december" };

    return (unsigned)(name_index(w, names, 12) + 1);
}

/* True for an English day-of-week name or abbreviation. */
static bool
is_dow(struct mt_span w)
{
    static const char *const names[] = { "monday", "tuesday",  "wednesday", "thursday",
                                         "friday", "saturday", "sunday" };

    return name_index(w, names, 7) >= 0;
}

/* Offset in minutes of a zone name; false when not a known name. */
static bool
zone_name(struct mt_span w, long *minutes)
{
    static const struct {
        const char *name;
        int minutes;
    } zones[] = {
        { "UT", 0 },     { "UTC", 0 },    { "GMT", 0 },    { "Z", 0 },      { "EST", -300 },
        { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
        { "PST", -480 }, { "PDT", -420 }, { "CET", 60 },   { "CEST", 120 }, { "BST", 60 },
        { "EET", 120 },  { "EEST", 180 }, { "WET", 0 },    { "WEST", 60 },  { "MSK", 180 },
        { "JST", 540 },  { "KST", 540 },  { "HKT", 480 },  { "SGT", 480 },  { "AEST", 600 },
        { "AEDT", 660 },
    };
    size_t k;

    for (k = 0; k < sizeof(zones) / sizeof(zones[0]); k++) {
        if (mt_span_ieq(w, zones[k].name)) {
            *minutes = zones[k].minutes;
            return true;
        }
    }
    return false;
}

/*
 * True for a zone name we do not know but RFC 5322 section 4.3 lets through:
 * a military letter or 3-5 capitals ("IST"); treated as UTC.
 */
static bool
unknown_zone(struct mt_span w)
{
    size_t j;

    if (w.len != 1 && (w.len < 3 || w.len > 5))
        return false;
    for (j = 0; j < w.len; j++)
        if (w.p[j] < 'A' || w.p[j] > 'Z')
            return false;
    return true;
}

/* Reads "hh:mm[:ss[.frac]]" (CFWS allowed around the colons, obs-time). */
static bool
read_time(struct cur *c, struct parts *d)
{
    unsigned nd;

    d->hour = (unsigned)read_num(c, 2, &nd);
    if (nd == 0)
        return false;
    skip_cfws(c);
    if (peek(c) != ':')
        return false;
    c->i++;
    skip_cfws(c);
    d->min = (unsigned)read_num(c, 2, &nd);
    if (nd != 2)
        return false;
    d->sec = 0;
    if (peek(c) == ':' || (c->i + 1 < c->len && mt_is_space(peek(c)) && c->p[c->i + 1] == ':')) {
        skip_ws(c);
        c->i++;
        skip_ws(c);
        d->sec = (unsigned)read_num(c, 2, &nd);
        if (nd != 2)
            return false;
        if (peek(c) == '.' || peek(c) == ',') {
            size_t s = ++c->i;
            while (mt_is_digit(peek(c)))
                c->i++;
            if (c->i == s)
                return false;
        }
    }
    return d->hour <= 23 && d->min <= 59 && d->sec <= 60;
}

/* Reads "+hhmm", "+hh:mm" or "+hh"; false (cursor unchanged) when not there. */
static bool
read_offset(struct cur *c, long *seconds)
{
    size_t save = c->i;
    int sign = peek(c) == '-' ? -1 : 1;
    unsigned nd, hh, mm = 0;

    if (peek(c) != '+' && peek(c) != '-')
        return false;
    c->i++;
    hh = (unsigned)read_num(c, 2, &nd);
    if (nd != 2)
        goto fail;
    if (peek(c) == ':')
        c->i++;
    if (mt_is_digit(peek(c))) {
        mm = (unsigned)read_num(c, 2, &nd);
        if (nd != 2 || mt_is_digit(peek(c)))
            goto fail;
    }
    if (hh > 23 || mm > 59)
        goto fail;
    *seconds = sign * (long)(hh * 3600 + mm * 60);
    return true;
fail:
    c->i = save;
    return false;
}

/* True when the comment at the cursor looks like a zone name: "(CEST)", "(GMT-8)". */
static bool
zone_comment(struct cur *c)
{
    size_t j;

    if (peek(c) != '(')
        return false;
    for (j = c->i + 1; j < c->len && j - c->i <= 40; j++) {
        int ch = (unsigned char)c->p[j];
        if (ch == ')') {
            c->i = j + 1;
            return true;
        }
        if (!mt_is_alnum(ch) && ch != ' ' && ch != '+' && ch != '-' && ch != ':' && ch != '.' &&
            ch != '_' && ch != '/')
            return false;
    }
    return false;
}

/*
 * Reads the zone after the time: an offset, a name, or nothing (UTC); then a
 * zone name or zone comment that repeats it, and Go's "m=+0.1" clock reading.
 * *end is moved past what belongs to the date.
 */
static bool
read_zone(struct cur *c, struct parts *d, size_t *end)
{
    long minutes;
    size_t save;
    struct mt_span w;

    d->offset = 0;
    *end = c->i;
    skip_ws(c);
    if (read_offset(c, &d->offset)) {
        *end = c->i;
    } else if (mt_is_alpha(peek(c))) {
        save = c->i;
        w = read_word(c);
        if (zone_name(w, &minutes))
            d->offset = minutes * 60;
        else if (!unknown_zone(w))
            w.len = 0;
        /* "GMT+1", "UTC-05:00" */
        if (w.len > 0 && (peek(c) == '+' || peek(c) == '-'))
            (void)read_offset(c, &d->offset);
        if (w.len == 0 || mt_is_alnum(peek(c))) {
            c->i = save; /* not a zone: leave it to the caller */
            d->offset = 0;
            return true;
        }
        *end = c->i;
    }
    /* A name or comment repeating the zone, then Go's monotonic clock. */
    save = c->i;
    skip_ws(c);
    if (mt_is_alpha(peek(c))) {
        w = read_word(c);
        if (!mt_is_alnum(peek(c)) && zone_name(w, &minutes))
            *end = c->i;
        else
            c->i = save;
    }
    save = c->i;
    skip_ws(c);
    if (c->i + 2 < c->len && c->p[c->i] == 'm' && c->p[c->i + 1] == '=' &&
        (c->p[c->i + 2] == '+' || c->p[c->i + 2] == '-')) {
        c->i += 3;
        while (mt_is_digit(peek(c)) || peek(c) == '.')
            c->i++;
        *end = c->i;
    } else {
        c->i = save;
    }
    save = c->i;
    skip_ws(c);
    if (zone_comment(c))
        *end = c->i;
    else
        c->i = save;
    return true;
}

/* Year from 2, 3 or 4 digits (RFC 5322 section 4.3). */
static bool
fix_year(unsigned long y, unsigned nd, int64_t *out)
{
    if (nd == 4)
        *out = (int64_t)y;
    else if (nd == 2)
        *out = (int64_t)(y < 50 ? 2000 + y : 1900 + y);
    else if (nd == 3)
        *out = (int64_t)(1900 + y);
    else
        return false;
    return *out >= 1000;
}

/* "day month year time zone" (RFC 5322), day already read. */
static bool
rfc_rest(struct cur *c, struct parts *d, size_t *end)
{
    unsigned long y;
    unsigned nd;

    skip_cfws(c);
    if (peek(c) == '-')
        c->i++; /* "19-Mar-2017" */
    d->mon = month_of(read_word(c));
    if (d->mon == 0)
        return false;
    if (peek(c) == '-')
        c->i++;
    skip_cfws(c);
    y = read_num(c, 4, &nd);
    if (mt_is_digit(peek(c)) || !fix_year(y, nd, &d->year))
        return false;
    skip_cfws(c);
    if (!read_time(c, d))
        return false;
    return read_zone(c, d, end);
}

/* "month day time year [zone]" (asctime), month already read. */
static bool
asctime_rest(struct cur *c, struct parts *d, size_t *end)
{
    unsigned long y;
    unsigned nd;
    size_t save;

    skip_ws(c);
    d->day = (unsigned)read_num(c, 2, &nd);
    if (nd == 0)
        return false;
    skip_ws(c);
    if (!read_time(c, d))
        return false;
    skip_ws(c);
    save = c->i;
    y = read_num(c, 4, &nd);
    if (nd == 4 && !mt_is_digit(peek(c))) {
        d->year = (int64_t)y;
        return read_zone(c, d, end);
    }
    /* "Tue Jul 3 14:40:19 CEST 2018" (date(1)) */
    c->i = save;
    if (!read_zone(c, d, end))
        return false;
    c->i = *end;
    skip_ws(c);
    y = read_num(c, 4, &nd);
    if (nd != 4 || mt_is_digit(peek(c)))
        return false;
    d->year = (int64_t)y;
    *end = c->i;
    return true;
}

/* "yyyy-mm-dd[T ]hh:mm:ss[.frac][zone]" (ISO 8601, Go), year already read. */
static bool
iso_rest(struct cur *c, struct parts *d, size_t *end)
{
    unsigned nd;

    if (peek(c) != '-')
        return false;
    c->i++;
    d->mon = (unsigned)read_num(c, 2, &nd);
    if (nd != 2 || peek(c) != '-')
        return false;
    c->i++;
    d->day = (unsigned)read_num(c, 2, &nd);
    if (nd != 2)
        return false;
    if (peek(c) == 'T' || peek(c) == 't')
        c->i++;
    else if (peek(c) == ' ' || peek(c) == '\t')
        skip_ws(c);
    else
        return false;
    if (!read_time(c, d))
        return false;
    return read_zone(c, d, end);
}

/* Parses a date at the start of p (see date.h). */
enum mt_status
mt_date_parse(const char *p, size_t len, int64_t *t, size_t *used)
{
    struct cur c = { p, len < MT_DATE_SCAN_MAX ? len : MT_DATE_SCAN_MAX, 0 };
    struct parts d = { 0, 0, 0, 0, 0, 0, 0 };
    size_t end = 0;
    unsigned long n;
    unsigned nd;
    bool ok = false;

    if (p == NULL)
        return MT_EPARSE;
    skip_cfws(&c);
    if (mt_is_alpha(peek(&c))) {
        struct mt_span w = read_word(&c);
        if (is_dow(w)) {
            if (peek(&c) == ',')
                c.i++;
            skip_cfws(&c);
            if (mt_is_digit(peek(&c))) {
                d.day = (unsigned)read_num(&c, 2, &nd);
                ok = !mt_is_digit(peek(&c)) && rfc_rest(&c, &d, &end);
            } else if ((d.mon = month_of(read_word(&c))) != 0) {
                ok = asctime_rest(&c, &d, &end);
            }
        } else if ((d.mon = month_of(w)) != 0) {
            ok = asctime_rest(&c, &d, &end);
        }
    } else if (mt_is_digit(peek(&c))) {
        n = read_num(&c, 4, &nd);
        if (nd == 4)
            ok = !mt_is_digit(peek(&c)) && (d.year = (int64_t)n, iso_rest(&c, &d, &end));
        else if (nd <= 2)
            ok = (d.day = (unsigned)n, rfc_rest(&c, &d, &end));
    }
    if (!ok || d.mon < 1 || d.mon > 12 || d.day < 1 || d.day > mt_days_in_month(d.year, d.mon) ||
        d.year < 1000 || d.year > 9999)
        return MT_EPARSE;
    *t = mt_days_from_civil(d.year, d.mon, d.day) * 86400 + (int64_t)d.hour * 3600 +
         (int64_t)d.min * 60 + (int64_t)d.sec - d.offset;
    if (used != NULL)
        *used = end;
    return MT_OK;
}
