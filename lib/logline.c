/* logline.c - one syslog or Exim mainlog line into time, host, program, pid, message. */
#include "logline.h"

#include <string.h>

#include "util/date.h"
#include "util/simd.h"
#include "util/span.h"

#define DAY         86400
#define HALF_YEAR   (183 * (int64_t)DAY)
#define PROGRAM_MAX 128
#define HOST_MAX    255

/* Clock with a reference time and no stamp seen yet. */
void
mt_logclock_init(struct mt_logclock *clk, int64_t ref, long utc_offset)
{
    memset(clk, 0, sizeof(*clk));
    clk->ref = ref;
    clk->utc_offset = utc_offset;
}

/* The civil year of a UTC time. */
static int64_t
year_of(int64_t t)
{
    int64_t y;
    unsigned m, d;

    mt_civil_from_days(t >= 0 ? t / DAY : (t - DAY + 1) / DAY, &y, &m, &d);
    return y;
}

/* Parses exactly n digits at p; -1 when any is not a digit. */
static long
digits(const char *p, size_t n)
{
    long v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!mt_is_digit((unsigned char)p[i]))
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/*
 * Month number 1-12 of a three-letter English abbreviation, 0 if none. The
 * sums of the three letters of the twelve names differ (268 "Dec" to 307
 * "Nov"), so the sum picks the one candidate to compare with.
 */
static unsigned
month_of(const char *p)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    static const unsigned char by_sum[40] = {
        [268 - 268] = 12, [269 - 268] = 2, [281 - 268] = 1,  [285 - 268] = 8,
        [288 - 268] = 3,  [291 - 268] = 4, [294 - 268] = 10, [295 - 268] = 5,
        [296 - 268] = 9,  [299 - 268] = 7, [301 - 268] = 6,  [307 - 268] = 11,
    };
    unsigned sum = (unsigned)(unsigned char)p[0] + (unsigned char)p[1] + (unsigned char)p[2];
    unsigned m;

    if (sum < 268 || sum > 307)
        return 0;
    m = by_sum[sum - 268];
    return m != 0 && memcmp(names + 3 * (m - 1), p, 3) == 0 ? m : 0;
}

/* Days in a month, February counted with 29 (the year may not be known yet). */
static bool
valid_date(unsigned month, unsigned day)
{
    static const unsigned char mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return month >= 1 && month <= 12 && day >= 1 && day <= mdays[month - 1];
}

/* "HH:MM:SS" at p (8 bytes available) into seconds of day, -1 if malformed. */
static long
clock_time(const char *p)
{
    long h = digits(p, 2), m = digits(p + 3, 2), s = digits(p + 6, 2);

    if (h < 0 || m < 0 || s < 0 || p[2] != ':' || p[5] != ':' || h > 23 || m > 59 || s > 60)
        return -1;
    return h * 3600 + m * 60 + s;
}

/* Records a stamp as the clock's last time. */
static void
clock_see(struct mt_logclock *clk, int64_t t)
{
    if (!clk->has_last || t > clk->last - HALF_YEAR) {
        clk->last = t;
        clk->has_last = true;
    }
}

/* True when infer_year() would move t a year back: more than a day past the reference. */
static bool
past_ref(const struct mt_logclock *clk, int64_t t)
{
    return clk->ref > 0 && t > clk->ref + DAY;
}

/* Infers the year of a month/day/time and returns the UTC time. */
static int64_t
infer_year(const struct mt_logclock *clk, unsigned month, unsigned day, long secs)
{
    int64_t base = clk->has_last ? clk->last : clk->ref;
    int64_t year = year_of(base + clk->utc_offset);
    int64_t t = 0;
    int i;

    for (i = 0; i < 3; i++) {
        t = mt_days_from_civil(year, month, day) * DAY + secs - clk->utc_offset;
        if (clk->has_last) {
            if (t < clk->last - HALF_YEAR)
                year++;
            else if (t > clk->last + HALF_YEAR)
                year--;
            else
                break;
        } else {
            if (t > clk->ref + DAY)
                year--;
            else
                break;
        }
    }
    /* No line is written after the file was: a stamp the half-year rule puts
     * more than a day past the reference belongs to the year before (logs
     * concatenated from several years must not end up in the future). */
    if (clk->has_last && past_ref(clk, t))
        t = mt_days_from_civil(year - 1, month, day) * DAY + secs - clk->utc_offset;
    return t;
}

/*
 * Parses an RFC 3164 stamp at s; returns its length or 0. The stamp of the
 * previous line, or its date, is reused while the clock's last time is still
 * that line's and the reference has not changed: infer_year() would then pick
 * the same year again (unless the result lies past the reference, where it
 * moves a year back: such stamps are always worked out in full).
 */
static size_t
parse_3164(struct mt_logclock *clk, const char *s, size_t len, int64_t *t)
{
    unsigned month, day;
    size_t i = 4, dlen;
    long secs;
    bool memo = clk->memo_len > 0 && clk->has_last && clk->last == clk->memo_t &&
                clk->memo_offset == clk->utc_offset && clk->memo_ref == clk->ref;

    if (memo && len >= clk->memo_len && mt_bytes_eq(s, clk->memo, clk->memo_len) &&
        !past_ref(clk, clk->memo_t)) {
        *t = clk->memo_t;
        return clk->memo_len;
    }
    if (len < 15 || s[3] != ' ')
        return 0;
    month = month_of(s);
    if (month == 0)
        return 0;
    if (s[i] == ' ')
        i++;
    if (!mt_is_digit((unsigned char)s[i]))
        return 0;
    day = (unsigned)(s[i++] - '0');
    if (i < len && mt_is_digit((unsigned char)s[i]))
        day = day * 10 + (unsigned)(s[i++] - '0');
    if (i + 9 > len || s[i] != ' ')
        return 0;
    dlen = i;
    secs = clock_time(s + i + 1);
    if (secs < 0 || !valid_date(month, day))
        return 0;
    i += 9;
    if (memo && dlen == clk->memo_dlen && memcmp(s, clk->memo, dlen) == 0 &&
        !past_ref(clk, clk->memo_midnight + secs))
        *t = clk->memo_midnight + secs;
    else
        *t = infer_year(clk, month, day, secs);
    memcpy(clk->memo, s, i);
    clk->memo_len = (unsigned char)i;
    clk->memo_dlen = (unsigned char)dlen;
    clk->memo_t = *t;
    clk->memo_midnight = *t - secs;
    clk->memo_offset = clk->utc_offset;
    clk->memo_ref = clk->ref;
    return i;
}

/* Parses "YYYY-MM-DD" + sep + "HH:MM:SS" at s; 0 when not there. The date is memoised. */
static size_t
parse_iso_base(struct mt_logclock *clk, const char *s, size_t len, char sep, int64_t *days,
               long *secs)
{
    long y, mo, d;

    if (len < 19 || s[4] != '-' || s[7] != '-' || s[10] != sep)
        return 0;
    *secs = clock_time(s + 11);
    if (*secs < 0)
        return 0;
    if (clk->iso_valid && memcmp(s, clk->iso_date, 10) == 0) {
        *days = clk->iso_days;
        return 19;
    }
    y = digits(s, 4);
    mo = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 0 || mo < 0 || d < 0 || !valid_date((unsigned)mo, (unsigned)d))
        return 0;
    *days = mt_days_from_civil(y, (unsigned)mo, (unsigned)d);
    memcpy(clk->iso_date, s, 10);
    clk->iso_days = *days;
    clk->iso_valid = true;
    return 19;
}

/* Parses a zone "Z", "+HH:MM", "+HHMM" at s; returns its length (0: none). */
static size_t
parse_zone(const char *s, size_t len, long *off)
{
    long h, m;
    size_t n;

    *off = 0;
    if (len >= 1 && s[0] == 'Z')
        return 1;
    if (len < 5 || (s[0] != '+' && s[0] != '-'))
        return 0;
    h = digits(s + 1, 2);
    if (len >= 6 && s[3] == ':') {
        m = digits(s + 4, 2);
        n = 6;
    } else {
        m = digits(s + 3, 2);
        n = 5;
    }
    if (h < 0 || m < 0 || h > 23 || m > 59)
        return 0;
    *off = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
    return n;
}

/* Parses an RFC 3339 stamp; returns its length or 0. */
static size_t
parse_3339(struct mt_logclock *clk, const char *s, size_t len, int64_t *t)
{
    int64_t days;
    long secs, off;
    size_t i, z;

    i = parse_iso_base(clk, s, len, 'T', &days, &secs);
    if (i == 0)
        return 0;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        i++;
        while (i < len && mt_is_digit((unsigned char)s[i]))
            i++;
    }
    z = parse_zone(s + i, len - i, &off);
    if (z == 0)
        off = clk->utc_offset;
    i += z;
    if (i < len && s[i] != ' ')
        return 0;
    *t = days * DAY + secs - off;
    return i;
}

/* The bytes of a program name ("postfix/submission/smtpd", "sm-mta"): letters, digits, "/-_.@". */
#define PROG_ROW(c0)                                                                               \
    [(c0)] = 1, [(c0) + 1] = 1, [(c0) + 2] = 1, [(c0) + 3] = 1, [(c0) + 4] = 1, [(c0) + 5] = 1,    \
    [(c0) + 6] = 1, [(c0) + 7] = 1
static const unsigned char prog_char[256] = {
    ['-'] = 1,     ['.'] = 1,     ['/'] = 1,     PROG_ROW('0'), ['8'] = 1, ['9'] = 1,
    PROG_ROW('@'), PROG_ROW('H'), PROG_ROW('P'), ['X'] = 1,     ['Y'] = 1, ['Z'] = 1,
    ['_'] = 1,     PROG_ROW('a'), PROG_ROW('i'), PROG_ROW('q'), ['y'] = 1, ['z'] = 1,
};

/* Length of the run of program-name bytes at s (at most lim), 16 at a time with SSE2. */
static size_t
prog_run(const char *s, size_t lim)
{
    size_t i = 0;

#if MT_HAVE_SSE2
    for (; i + 16 <= lim; i += 16) {
        __m128i v = mt_simd_load(s + i);
        unsigned ok = mt_simd_alpha(v) | mt_simd_in_range(v, '-', '9') | /* - . / 0-9 */
                      mt_simd_eq(v, '_') | mt_simd_eq(v, '@');
        if (ok != 0xFFFFu)
            return i + (unsigned)__builtin_ctz(~ok);
    }
#endif
    while (i < lim && prog_char[(unsigned char)s[i]])
        i++;
    return i;
}

/* The first space in s[0..len), or NULL: host names are short, so one SSE2 step first. */
static const char *
find_space(const char *s, size_t len)
{
#if MT_HAVE_SSE2
    if (len >= 16) {
        __m128i v = mt_simd_load(s);
        unsigned bits = mt_simd_eq(v, ' ');
        if (bits != 0)
            return s + __builtin_ctz(bits);
    }
#endif
    return memchr(s, ' ', len);
}

/*
 * The decimal number of up to 10 digits at s[0..len): its value in *v, its
 * length returned. Eight digits at a time where eight bytes can be read (a
 * pid has seven at most): a digit mask of the word, then the digits before
 * the first other byte combined by three multiplications.
 */
static size_t
digit_run(const char *s, size_t len, long *v)
{
    size_t n = 0;
    long val = 0;

    if (len >= 8) {
        uint64_t w, x, bad;
        memcpy(&w, s, 8);
        x = w - 0x3030303030303030ULL; /* each byte minus '0' (bytes below '0' borrow) */
        /* high bit set in a byte that is not a digit: below '0' or above '9' */
        bad = (w - 0x3030303030303030ULL) | (w + 0x4646464646464646ULL);
        bad &= 0x8080808080808080ULL;
        n = bad ? (size_t)__builtin_ctzll(bad) / 8 : 8;
        if (n > 0) {
            x <<= 8 * (8 - n); /* the n digits to the top, zeros (leading) below */
            x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
            x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
            x = (x * 10000 + (x >> 32)) & 0xFFFFFFFFULL;
            val = (long)x;
        }
        if (n < 8) {
            *v = val;
            return n;
        }
    }
    while (n < len && n < 10 && mt_is_digit((unsigned char)s[n]))
        val = val * 10 + (s[n++] - '0');
    *v = val;
    return n;
}

/*
 * Parses "prog[pid]: " or "prog: " at s. With need_pid, only the bracketed
 * form is accepted. Returns the length consumed up to the message, or 0.
 */
static inline size_t
parse_tag(const char *s, size_t len, bool need_pid, struct mt_span *prog, long *pid)
{
    size_t i, j, lim = len < PROGRAM_MAX ? len : PROGRAM_MAX;
    long v = 0;

    i = prog_run(s, lim);
    if (i == 0 || i >= len)
        return 0;
    *prog = mt_span(s, i);
    *pid = -1;
    if (s[i] == '[') {
        j = i + 1 + digit_run(s + i + 1, len - i - 1, &v);
        if (j == i + 1 || j >= len || s[j] != ']')
            return 0;
        *pid = v;
        i = j + 1;
    } else if (need_pid) {
        return 0;
    }
    if (i >= len || s[i] != ':')
        return 0;
    i++;
    if (i < len && s[i] == ' ')
        i++;
    return i;
}

/* After a stamp: "[host ]prog[pid]: msg". Returns false when malformed. */
static inline bool
parse_after_stamp(const char *s, size_t len, struct mt_logline *out)
{
    const char *sp;
    size_t hlen, n;

    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    sp = find_space(s, len);
    hlen = sp ? (size_t)(sp - s) : len;
    /* No host: the first token is already "prog[pid]:". */
    if (hlen > 0 && s[hlen - 1] == ':') {
        n = parse_tag(s, len, false, &out->program, &out->pid);
        if (n > 0) {
            out->msg = mt_span(s + n, len - n);
            return true;
        }
    }
    if (sp == NULL || hlen == 0 || hlen > HOST_MAX)
        return false;
    out->host = mt_span(s, hlen);
    s += hlen + 1;
    len -= hlen + 1;
    n = parse_tag(s, len, false, &out->program, &out->pid);
    if (n == 0)
        return false;
    out->msg = mt_span(s + n, len - n);
    return true;
}

/* Exim mainlog: after "YYYY-MM-DD HH:MM:SS", optional zone and [pid]. */
static void
parse_exim_rest(const char *s, size_t len, struct mt_logline *out)
{
    size_t i = 0, j;
    long v = 0;

    if (i < len && s[i] == ' ')
        i++;
    if (i + 1 < len && s[i] == '[') {
        j = i + 1;
        while (j < len && j - i <= 10 && mt_is_digit((unsigned char)s[j]))
            v = v * 10 + (s[j++] - '0');
        if (j > i + 1 && j < len && s[j] == ']') {
            out->pid = v;
            i = j + 1;
            if (i < len && s[i] == ' ')
                i++;
        }
    }
    out->msg = mt_span(s + i, len - i);
}

/* Resets *out to a bare line over s and records the error. */
static enum mt_status
bare_error(struct mt_logline *out, const char *s, size_t len, struct mt_error *err, const char *why)
{
    out->form = MT_LOGLINE_BARE;
    out->host = out->program = MT_SPAN_NULL;
    out->pid = -1;
    out->msg = mt_span(s, len);
    return mt_error_set(err, MT_EPARSE, "%s", why);
}

/* Parses one line; see logline.h. */
enum mt_status
mt_logline_parse(struct mt_logclock *clk, const char *buf, size_t len, struct mt_logline *out,
                 struct mt_error *err)
{
    const char *s = buf;
    int64_t t = 0, days;
    long secs, off;
    size_t n, z;

    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    /* A crash leaves NUL padding in front of the next line. */
    while (len > 0 && *s == '\0') {
        s++;
        len--;
    }
    memset(out, 0, sizeof(*out));
    out->pid = -1;
    out->form = MT_LOGLINE_BARE;
    out->msg = mt_span(s, len);
    out->time = clk->has_last ? clk->last : 0;
    if (len > MT_LOGLINE_MAX)
        return mt_error_set(err, MT_ELIMIT, "line longer than %d bytes", MT_LOGLINE_MAX);
    /* An optional "<PRI>" as syslog sends it over the wire. */
    if (len > 2 && s[0] == '<') {
        for (n = 1; n < len && n < 5 && mt_is_digit((unsigned char)s[n]); n++)
            ;
        if (n > 1 && n < len && s[n] == '>') {
            s += n + 1;
            len -= n + 1;
        }
    }
    /* The memoised stamp's month is a month: most lines skip month_of(). */
    if (len >= 15 && mt_is_alpha((unsigned char)s[0]) && s[3] == ' ' &&
        ((clk->memo_len > 0 && memcmp(s, clk->memo, 3) == 0) || month_of(s) != 0)) {
        n = parse_3164(clk, s, len, &t);
        if (n == 0)
            return bare_error(out, s, len, err, "malformed syslog time stamp");
        if (!parse_after_stamp(s + n, len - n, out))
            return bare_error(out, s, len, err, "no program name after the time stamp");
        out->form = MT_LOGLINE_SYSLOG;
    } else if (len >= 19 && mt_is_digit((unsigned char)s[0]) && s[4] == '-' && s[10] == 'T') {
        n = parse_3339(clk, s, len, &t);
        if (n == 0)
            return bare_error(out, s, len, err, "malformed RFC 3339 time stamp");
        if (!parse_after_stamp(s + n, len - n, out))
            return bare_error(out, s, len, err, "no program name after the time stamp");
        out->form = MT_LOGLINE_RFC3339;
    } else if (len >= 19 && mt_is_digit((unsigned char)s[0]) && s[4] == '-' && s[10] == ' ') {
        n = parse_iso_base(clk, s, len, ' ', &days, &secs);
        if (n == 0)
            return bare_error(out, s, len, err, "malformed Exim time stamp");
        /* log_selector +millisec: "HH:MM:SS.mmm". */
        if (n + 1 < len && s[n] == '.' && mt_is_digit((unsigned char)s[n + 1]))
            for (n++; n < len && mt_is_digit((unsigned char)s[n]); n++)
                ;
        off = clk->utc_offset;
        if (n + 1 < len && s[n] == ' ') {
            z = parse_zone(s + n + 1, len - n - 1, &off);
            if (z == 0 || s[n + 1] == 'Z')
                off = clk->utc_offset;
            else
                n += 1 + z;
        }
        t = days * DAY + secs - off;
        out->program = MT_SPAN_LIT("exim");
        parse_exim_rest(s + n, len - n, out);
        out->form = MT_LOGLINE_EXIM;
    } else {
        n = parse_tag(s, len, true, &out->program, &out->pid);
        if (n > 0) {
            out->form = MT_LOGLINE_NOSTAMP;
            out->msg = mt_span(s + n, len - n);
            return MT_OK;
        }
        out->program = MT_SPAN_NULL;
        if (clk->allow_bare)
            return MT_OK;
        return mt_error_set(err, MT_EPARSE, "not a log line (no time stamp or program)");
    }
    out->time = t;
    out->time_known = true;
    clock_see(clk, t);
    return MT_OK;
}
