/* test_logline.c - syslog/Exim line splitting and year inference. */
#include <stdio.h>
#include <string.h>

#include "logline.h"
#include "mt_test.h"

#define REF_2026 1767225600 /* 2026-01-01T00:00:00Z */

/* Parses a C string with clk; returns the status. */
static enum mt_status
parse(struct mt_logclock *clk, const char *s, struct mt_logline *l)
{
    return mt_logline_parse(clk, s, strlen(s), l, NULL);
}

static void
test_forms(void)
{
    struct mt_logclock clk;
    struct mt_logline l;
    struct mt_error err;

    mt_logclock_init(&clk, REF_2026, 0);
    CHECK_INT(
        parse(&clk,
              "Nov  8 05:26:24 mail1 postfix/submission/smtpd[1685]: connect from x[1.2.3.4]\n",
              &l),
        MT_OK);
    CHECK_INT(l.form, MT_LOGLINE_SYSLOG);
    CHECK_SPAN(l.host, "mail1");
    CHECK_SPAN(l.program, "postfix/submission/smtpd");
    CHECK_INT(l.pid, 1685);
    CHECK_SPAN(l.msg, "connect from x[1.2.3.4]");
    CHECK_INT(l.time, 1762579584); /* 2025-11-08T05:26:24Z: the latest year not after ref */
    CHECK(l.time_known);

    /* Single-digit day without padding, and a zero-padded one. */
    CHECK_INT(parse(&clk, "Nov 8 05:26:24 mail1 postfix/smtpd[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1762579584);
    CHECK_INT(parse(&clk, "Nov 08 05:26:24 mail1 postfix/smtpd[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1762579584);

    /* RFC 3339 with fraction and zone. */
    CHECK_INT(parse(&clk, "2024-09-07T01:34:11.123456+02:00 mx postfix-out/smtp[156]: hello", &l),
              MT_OK);
    CHECK_INT(l.form, MT_LOGLINE_RFC3339);
    CHECK_INT(l.time, 1725665651);
    CHECK_SPAN(l.program, "postfix-out/smtp");
    CHECK_SPAN(l.msg, "hello");
    CHECK_INT(parse(&clk, "2020-03-19T09:29:04Z h smtpd[1]: m", &l), MT_OK);
    CHECK_INT(l.time, 1584610144);
    CHECK_INT(parse(&clk, "2020-03-19T11:29:04+0200 h smtpd[1]: m", &l), MT_OK);
    CHECK_INT(l.time, 1584610144);

    /* Exim mainlog, with zone and pid. */
    CHECK_INT(parse(&clk, "2021-05-04 13:37:00 +0100 [1247] 1fnm7Z-00DoYa-KK <= a@b", &l), MT_OK);
    CHECK_INT(l.form, MT_LOGLINE_EXIM);
    CHECK_SPAN(l.program, "exim");
    CHECK_INT(l.pid, 1247);
    CHECK_SPAN(l.msg, "1fnm7Z-00DoYa-KK <= a@b");
    CHECK_INT(l.time, 1620131820);
    CHECK_INT(parse(&clk, "2024-09-07 01:34:11 1smkL5-00000000e65-24eQ Completed", &l), MT_OK);
    CHECK_INT(l.pid, -1);
    CHECK_SPAN(l.msg, "1smkL5-00000000e65-24eQ Completed");
    /* log_selector +millisec +pid (Exim 4.96, tests/golden/logs/exim-real-all.in). */
    CHECK_INT(
        parse(&clk, "2021-05-04 12:37:00.094 [28804] 1xXVZZ-0007VP-2G Completed QT=0.067s", &l),
        MT_OK);
    CHECK_INT(l.pid, 28804);
    CHECK_SPAN(l.msg, "1xXVZZ-0007VP-2G Completed QT=0.067s");
    CHECK_INT(l.time, 1620131820);

    /* No host; no pid; <PRI>. */
    CHECK_INT(parse(&clk, "Nov  8 05:26:24 sm-mta[42]: x", &l), MT_OK);
    CHECK_INT(l.host.len, 0);
    CHECK_SPAN(l.program, "sm-mta");
    CHECK_INT(parse(&clk, "<22>Nov  8 05:26:24 h postfix/master: stop", &l), MT_OK);
    CHECK_INT(l.pid, -1);
    CHECK_SPAN(l.program, "postfix/master");

    /* Prefix trimmed: prog[pid] only, time unknown. */
    CHECK_INT(parse(&clk, "postfix/smtp[10967]: DE8: to=<a@b>", &l), MT_OK);
    CHECK_INT(l.form, MT_LOGLINE_NOSTAMP);
    CHECK(!l.time_known);
    CHECK_SPAN(l.msg, "DE8: to=<a@b>");

    /* Errors name the problem; bare lines only when allowed. */
    mt_error_clear(&err);
    CHECK_INT(mt_logline_parse(&clk, "Nov 31 05:26:24 h p[1]: x", 25, &l, &err), MT_EPARSE);
    CHECK(strstr(err.msg, "time stamp") != NULL);
    CHECK_INT(parse(&clk, "Nov  8 25:26:24 h p[1]: x", &l), MT_EPARSE);
    CHECK_INT(parse(&clk, "Nov  8 05:26:24 h", &l), MT_EPARSE);
    CHECK_INT(parse(&clk, "ec  7 13:28:02 mail postfix/smtp[18834]: x", &l), MT_EPARSE);
    CHECK_INT(l.form, MT_LOGLINE_BARE);
    CHECK_INT(parse(&clk, "warning: TLS library problem", &l), MT_EPARSE);
    CHECK_INT(parse(&clk, "", &l), MT_EPARSE);
    clk.allow_bare = true;
    CHECK_INT(parse(&clk, "01B3A96050: Used TLS for x", &l), MT_OK);
    CHECK_INT(l.form, MT_LOGLINE_BARE);
    CHECK_SPAN(l.msg, "01B3A96050: Used TLS for x");
}

static void
test_years(void)
{
    struct mt_logclock clk;
    struct mt_logline l;

    /* A log from December into January moves to the next year. */
    mt_logclock_init(&clk, 1767225600 + 86400 * 10, 0); /* 2026-01-11 */
    CHECK_INT(parse(&clk, "Dec 31 23:59:59 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1767225599); /* 2025-12-31T23:59:59Z */
    CHECK_INT(parse(&clk, "Jan  1 00:00:01 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1767225601); /* 2026-01-01T00:00:01Z */
    /* A few lines out of order around New Year stay in the right year. */
    CHECK_INT(parse(&clk, "Dec 31 23:59:58 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1767225598);
    CHECK_INT(parse(&clk, "Jan  1 00:00:05 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1767225605);

    /* Without a last time: a stamp after the reference is last year's. */
    mt_logclock_init(&clk, 1767225600 + 86400 * 10, 0);
    CHECK_INT(parse(&clk, "Mar  1 00:00:00 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1740787200); /* 2025-03-01 */

    /* Pieces of logs from several years run on: never past the reference.
     * Oct 2025 then Jun: the half-year rule says Jun 2026, after the file
     * was written (reference 2026-01-11), so it is Jun 2025. */
    mt_logclock_init(&clk, 1767225600 + 86400 * 10, 0);
    CHECK_INT(parse(&clk, "Oct 23 21:23:27 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1761254607); /* 2025-10-23T21:23:27Z */
    CHECK_INT(parse(&clk, "Jun 12 18:24:28 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1749752668); /* 2025-06-12T18:24:28Z */

    /* The UTC offset applies to stamps without a zone. */
    mt_logclock_init(&clk, 1767225600, 3600);
    CHECK_INT(parse(&clk, "Jun  1 12:00:00 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1748779200 - 3600);
    CHECK_INT(parse(&clk, "2025-06-01 12:00:00 id Completed", &l), MT_OK);
    CHECK_INT(l.time, 1748779200 - 3600);

    /* Feb 29 is kept (the date arithmetic rolls it over in other years). */
    mt_logclock_init(&clk, 1709251200, 0); /* 2024-03-01 */
    CHECK_INT(parse(&clk, "Feb 29 10:00:00 h p[1]: x", &l), MT_OK);
    CHECK_INT(l.time, 1709200800);
}

/* Pids of every length up to the limit, with and without room to read ahead. */
static void
test_pids(void)
{
    static const char *const pids[] = { "7",        "42",        "900",       "1685",
                                        "30001",    "123456",    "4194304",   "12345678",
                                        "98765432", "123456789", "1234567890" };
    struct mt_logclock clk;
    struct mt_logline l;
    char line[128];
    size_t i;

    mt_logclock_init(&clk, REF_2026, 0);
    for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
        long want = 0;
        size_t k;
        for (k = 0; pids[i][k] != '\0'; k++)
            want = want * 10 + (pids[i][k] - '0');
        snprintf(line, sizeof(line), "Nov  8 05:26:24 h postfix/smtpd[%s]: connect from x",
                 pids[i]);
        CHECK_INT(parse(&clk, line, &l), MT_OK);
        CHECK_INT(l.pid, want);
        CHECK_SPAN(l.msg, "connect from x");
        /* The same at the very end of the buffer: nothing to read ahead. */
        snprintf(line, sizeof(line), "p[%s]:", pids[i]);
        CHECK_INT(parse(&clk, line, &l), MT_OK);
        CHECK_INT(l.pid, want);
    }
    /* Eleven digits, a letter or nothing in the brackets: not a tag. */
    CHECK_INT(parse(&clk, "Nov  8 05:26:24 h p[12345678901]: x", &l), MT_EPARSE);
    CHECK_INT(parse(&clk, "Nov  8 05:26:24 h p[12a]: x", &l), MT_EPARSE);
    CHECK_INT(parse(&clk, "Nov  8 05:26:24 h p[]: x", &l), MT_EPARSE);
    CHECK_INT(parse(&clk, "Nov  8 05:26:24 h p[1234567:]: x", &l), MT_EPARSE);
}

/*
 * The stamp memo changes no result: a clock whose memo is dropped before
 * every line gives the same times, line after line, across a year's end,
 * lines out of order, a stamp past the reference and a change of reference.
 */
static void
test_memo(void)
{
    static const char *const lines[] = {
        "Dec 31 23:59:58 h p[1]: x", "Dec 31 23:59:58 h p[1]: x", "Dec 31 23:59:59 h p[1]: x",
        "Jan  1 00:00:01 h p[1]: x", "Jan  1 00:00:01 h p[1]: x", "Dec 31 23:59:59 h p[1]: x",
        "Jan  1 00:00:02 h p[1]: x", "Jan 1 00:00:03 h p[1]: x",  "Jan  1 00:00:03 h p[1]: x",
        "Jan 11 23:59:59 h p[1]: x", "Jan 12 00:00:01 h p[1]: x", "Jan 12 00:00:01 h p[1]: x",
        "Jan 12 23:00:00 h p[1]: x", "Jan 13 01:00:00 h p[1]: x", "Jan 13 01:00:00 h p[1]: x",
        "Jun 12 18:24:28 h p[1]: x", "Jun 12 18:24:28 h p[1]: x", "Jun 12 18:24:29 h p[1]: x",
    };
    struct mt_logclock memo, plain;
    struct mt_logline a, b;
    size_t i, round;

    for (round = 0; round < 2; round++) {
        mt_logclock_init(&memo, 1767225600 + 86400 * 10, 0); /* 2026-01-11 */
        mt_logclock_init(&plain, 1767225600 + 86400 * 10, 0);
        for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
            if (round == 1 && i == 9) /* a new reference in the middle */
                memo.ref = plain.ref = 1767225600 + 86400 * 200;
            plain.memo_len = 0;
            CHECK_INT(parse(&memo, lines[i], &a), MT_OK);
            CHECK_INT(parse(&plain, lines[i], &b), MT_OK);
            CHECK_INT(a.time, b.time);
            CHECK_INT(memo.last, plain.last);
        }
    }
    /* A reference at midday: a later second of the memoised date can lie a day
     * past it (and belongs to the year before), and so can the memoised
     * stamp itself once the reference moves back. */
    {
        static const char *const noon[] = {
            "Jan 12 11:00:00 h p[1]: x", "Jan 12 11:00:00 h p[1]: x", "Jan 12 13:00:00 h p[1]: x",
            "Jan 12 13:00:00 h p[1]: x", "Jan 12 13:00:00 h p[1]: x",
        };
        mt_logclock_init(&memo, 1767225600 + 86400 * 10 + 43200, 0); /* 2026-01-11T12:00 */
        mt_logclock_init(&plain, memo.ref, 0);
        for (i = 0; i < sizeof(noon) / sizeof(noon[0]); i++) {
            if (i == 4) /* the reference moves back to 2025-12-01 */
                memo.ref = plain.ref = 1764547200;
            plain.memo_len = 0;
            CHECK_INT(parse(&memo, noon[i], &a), MT_OK);
            CHECK_INT(parse(&plain, noon[i], &b), MT_OK);
            CHECK_INT(a.time, b.time);
        }
        CHECK_INT(a.time, 1736686800); /* 2025-01-12T13:00:00Z */
    }
    /* The same stamp twice is the same time; the year turns once. */
    mt_logclock_init(&memo, 1767225600 + 86400 * 10, 0);
    CHECK_INT(parse(&memo, lines[0], &a), MT_OK);
    CHECK_INT(a.time, 1767225598);
    CHECK_INT(parse(&memo, lines[1], &a), MT_OK);
    CHECK_INT(a.time, 1767225598);
    CHECK_INT(parse(&memo, lines[4], &a), MT_OK);
    CHECK_INT(a.time, 1767225601);
    CHECK_INT(parse(&memo, lines[7], &a), MT_OK);
    CHECK_INT(a.time, 1767225603);
}

int
main(void)
{
    test_forms();
    test_years();
    test_pids();
    test_memo();
    return mt_test_done();
}
