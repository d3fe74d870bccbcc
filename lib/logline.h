/*
 * logline.h - one MTA log line split into time, host, program, pid, message.
 *
 * Recognised forms (the first that matches wins):
 *   MT_LOGLINE_SYSLOG   RFC 3164 "Nov  8 05:26:24 host prog[pid]: msg" (day
 *                       padded with a space, with a zero, or not at all; an
 *                       optional "<PRI>" in front; journalctl's default
 *                       "short" output has the same shape). The year is
 *                       not written: it is inferred (see below).
 *   MT_LOGLINE_RFC3339  "2024-09-07T01:34:11.123456+02:00 host prog[pid]: msg"
 *                       (rsyslog's default on Debian 12; also "Z", "+0200" as
 *                       journalctl -o short-iso writes, and no zone at all).
 *   MT_LOGLINE_EXIM     Exim's own mainlog, no syslog prefix:
 *                       "2024-09-07 01:34:11 [+0100 ][[pid] ]msg". The
 *                       program is "exim", the host empty.
 *   MT_LOGLINE_NOSTAMP  "prog[pid]: msg" without time or host, as published
 *                       logs with the prefix trimmed show. The time is the
 *                       last one seen (time_known is false).
 *   MT_LOGLINE_BARE     anything else, only when the clock allows bare lines
 *                       (allow_bare): the whole line is the message, program
 *                       and host empty, pid -1, time as for NOSTAMP.
 * The host may be missing in a syslog line ("Nov 8 05:26:24 prog[pid]: msg").
 * The pid is -1 when the line has none ("prog: msg").
 *
 * Time: seconds since the epoch, UTC. Stamps without a zone (RFC 3164, Exim
 * without log_timezone) are read as local time at clk->utc_offset seconds
 * east of UTC, which the caller supplies. The year of an RFC 3164 stamp is
 * inferred from the clock: from the last time seen when there is one (the
 * year that puts the line within half a year of it, so a log running from
 * December into January moves to the next year, and a few lines out of
 * order do not), else from the reference time (the latest year that does
 * not put the line more than a day after the reference, e.g. the file's
 * modification time). In both cases a line is never put more than a day
 * after the reference. Every parsed stamp becomes the clock's last time.
 *
 * Results are spans into the caller's buffer (program may point to a static
 * literal), valid as long as the buffer. No allocation; the only state is
 * the caller-owned clock. A trailing "\n" or "\r\n" is ignored.
 *
 * Errors: MT_EPARSE when the line has none of the forms (or a stamp that is
 * not a date, e.g. "Nov 31" or "25:00:00"), MT_ELIMIT when it is longer
 * than MT_LOGLINE_MAX. The error message says why; the caller adds file and
 * line (mt_error_at). The output is still filled as a BARE line on error,
 * so a caller may look at the text.
 */
#ifndef MT_LOGLINE_H
#define MT_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"
#include "util/status.h"

#define MT_LOGLINE_MAX 65536

enum mt_logline_form {
    MT_LOGLINE_BARE = 0,
    MT_LOGLINE_SYSLOG,
    MT_LOGLINE_RFC3339,
    MT_LOGLINE_EXIM,
    MT_LOGLINE_NOSTAMP,
};

struct mt_logline {
    enum mt_logline_form form;
    int64_t time;    /* UTC seconds */
    bool time_known; /* false: time is the clock's last time (or 0) */
    struct mt_span host;
    struct mt_span program; /* "postfix/submission/smtpd", "exim", "sm-mta" */
    long pid;               /* -1 when absent */
    struct mt_span msg;     /* the text after "prog[pid]: " */
};

/*
 * Caller-owned state of the year inference; see above. The memo fields are
 * the parser's own (mt_logclock_init clears them): consecutive lines mostly
 * share a stamp or at least a date, so the last RFC 3164 stamp and its time
 * are kept and reused while last still equals that time, and the day count
 * of the last "YYYY-MM-DD" is kept for RFC 3339 and Exim stamps.
 */
struct mt_logclock {
    int64_t ref;     /* reference time, UTC seconds (e.g. now, file mtime) */
    int64_t last;    /* last stamp seen; meaningful when has_last */
    bool has_last;   /* false until the first stamped line */
    long utc_offset; /* seconds east of UTC for stamps without a zone */
    bool allow_bare; /* accept lines without any prefix as MT_LOGLINE_BARE */
    /* memo of the last RFC 3164 stamp */
    int64_t memo_t;          /* its time */
    int64_t memo_midnight;   /* its time minus its seconds of the day */
    long memo_offset;        /* utc_offset it was read with */
    int64_t memo_ref;        /* ref it was read with */
    unsigned char memo_len;  /* its length; 0 = no memo */
    unsigned char memo_dlen; /* length of its "Mmm dd" part */
    char memo[16];
    /* memo of the last ISO date */
    char iso_date[10];
    bool iso_valid;
    int64_t iso_days;
};

/* Sets up a clock with reference time ref and no last time. */
void mt_logclock_init(struct mt_logclock *clk, int64_t ref, long utc_offset);

/*
 * Parses one line (len bytes, no NUL needed) into *out, updating clk.
 * Returns MT_OK, MT_EPARSE or MT_ELIMIT (err filled when non-NULL).
 */
enum mt_status mt_logline_parse(struct mt_logclock *clk, const char *buf, size_t len,
                                struct mt_logline *out, struct mt_error *err);

#endif
