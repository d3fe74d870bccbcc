/* test_date.c - mail dates to seconds since the epoch (expected values from GNU date -u). */
#include <string.h>

#include "util/date.h"
#include "mt_test.h"

/* Parses s completely; returns the time, or -1 on failure. */
static long long
when(const char *s)
{
    int64_t t = -12345;

    if (mt_date_parse(s, strlen(s), &t, NULL) != MT_OK)
        return -1;
    return (long long)t;
}

/* Number of bytes the date at the start of s takes. */
static long long
used(const char *s)
{
    int64_t t;
    size_t u = 0;

    if (mt_date_parse(s, strlen(s), &t, &u) != MT_OK)
        return -1;
    return (long long)u;
}

int
main(void)
{
    int64_t t = 42;

    /* the calendar */
    CHECK_INT(mt_days_from_civil(1970, 1, 1), 0);
    CHECK_INT(mt_days_from_civil(2000, 2, 29) * 86400 + 12 * 3600, 951825600);
    CHECK_INT(mt_days_from_civil(2100, 3, 1) * 86400, 4107542400LL);
    CHECK_INT(mt_days_from_civil(1900, 1, 1) * 86400, -2208988800LL);
    CHECK_INT(mt_days_in_month(2000, 2), 29);
    CHECK_INT(mt_days_in_month(1900, 2), 28);
    CHECK_INT(mt_days_in_month(2024, 2), 29);
    CHECK_INT(mt_days_in_month(2023, 4), 30);
    CHECK_INT(mt_days_in_month(2023, 13), 0);

    /* RFC 5322 and the shapes real Received fields use */
    CHECK_INT(when("Tue, 30 Apr 2019 17:36:12 -0600 (MDT)"), 1556667372);
    CHECK_INT(when("6 Feb 2005 21:11:37 -0000"), 1107724297);
    CHECK_INT(when("Thu,  4 Jan 2024 07:05:28 +0100 (CET)"), 1704348328);
    CHECK_INT(when("Sat, 20 Dec 2003 03:50:23 +0000"), 1071892223);
    CHECK_INT(when("Thu, 3 Jun 2021\n 22:09:37 +0800"), 1622729377);
    CHECK_INT(when("Fri, 12\r\n Jun 2020 16:38:44 +0200"), 1591972724);
    CHECK_INT(when("Mon, 25 May 2026 09:59:30 +0800 (GMT-8)"), 1779674370);
    CHECK_INT(when("Fri, 16 May 2025 11:48:52 GMT"), 1747396132);
    CHECK_INT(when("07 May 2024 01:39:31 -0700"), 1715071171);
    CHECK_INT(when("Tue, 3 Jul 2018 14:40:19 EST"), 1530646819);
    CHECK_INT(when("Tue, 3 Jul 2018 14:40:19 PDT"), 1530654019);
    CHECK_INT(when("Tuesday, 3 July 2018 14:40:19 PDT"), 1530654019);
    CHECK_INT(when("Wed, 17 Jul 2019 09:19:48 +0100"), 1563351588);
    CHECK_INT(when("wed, 17 JUL 2019 09:19:48 +0100"), 1563351588);
    /* comments between the parts (CFWS) */
    CHECK_INT(when("Wed, (x) 17 Jul (y (z)) 2019 09:19:48 +0100"), 1563351588);
    /* 2- and 3-digit years (RFC 5322 section 4.3) */
    CHECK_INT(when("23 May 49 15:05:04 +0000"), 2505395104LL);
    CHECK_INT(when("23 May 50 15:05:04 +0000"), -618828896LL);
    CHECK_INT(when("23 May 150 15:05:04 +0000"), 2536931104LL);
    /* seconds missing, single-letter military zones count as -0000 */
    CHECK_INT(when("1 Jan 1970 00:01 Z"), 60);
    CHECK_INT(when("1 Jan 1970 00:01 A"), 60);
    /* fractional seconds (SendGrid) */
    CHECK_INT(when("Sun, 19 Mar 2017 13:12:06.079 +0000 (UTC)"), 1489929126);
    /* Go's time.Time.String(), with and without the monotonic clock */
    CHECK_INT(when("2017-03-19 13:12:06.122185511 +0000 UTC"), 1489929126);
    CHECK_INT(when("2021-09-26 20:03:53.641 +0000 UTC m=+0.123456789"), 1632686633);
    /* ISO 8601 */
    CHECK_INT(when("2020-11-06T12:20:14+05:30"), 1604645414);
    CHECK_INT(when("1999-12-31T23:59:59Z"), 946684799);
    /* asctime and date(1) */
    CHECK_INT(when("Tue Jul  3 14:40:19 2018"), 1530628819);
    CHECK_INT(when("Tue Jul  3 14:40:19 PDT 2018"), 1530654019);
    CHECK_INT(when("19-Mar-2017 13:12:06 +0000"), 1489929126);
    CHECK_INT(when("9999-12-31 23:59:59 +0000"), 253402300799LL);
    /* zone names we do not know count as UTC; "UTC-05:00" */
    CHECK_INT(when("1 Jan 1970 00:00:00 IST"), 0);
    CHECK_INT(when("1 Jan 1970 00:00:00 UTC-05:00"), 18000);

    /* what the date takes: the zone comment, not what follows */
    CHECK_INT(used("Thu, 10 Nov 2005 08:24:21 -0600 id 000000DB"), 31);
    CHECK_INT(used("Mon, 25 May 2026 09:59:30 +0800 (GMT-8)\n\t(envelope-from x@y)"), 39);
    CHECK_INT(used("2017-03-19 13:12:06.1 +0000 UTC"), 31);
    CHECK_INT(used("Thu, 10 Nov 2005 08:24:21 id 000000DB"), 25);

    /* out of range or not a date: EPARSE, *t untouched */
    CHECK(mt_date_parse("31 Apr 2020 10:00:00 +0000", 26, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("29 Feb 2023 10:00:00 +0000", 26, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("1 Foo 2020 10:00:00 +0000", 25, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("1 Jan 2020 24:00:00 +0000", 25, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("1 Jan 2020 10:60:00 +0000", 25, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("1 Jan 2020 10", 13, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("2020-13-01 10:00:00", 19, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("by mx.example.net", 17, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse("", 0, &t, NULL) == MT_EPARSE);
    CHECK(mt_date_parse(NULL, 0, &t, NULL) == MT_EPARSE);
    CHECK_INT(t, 42);
    /* a bounded view: the length given is respected */
    CHECK(mt_date_parse("1 Jan 2020 10:00:00 +0000", 8, &t, NULL) == MT_EPARSE);
    return mt_test_done();
}
