/*
 * date.h - the dates mail headers and MTAs write, as seconds since the epoch.
 *
 * mt_date_parse() reads one date at the start of a buffer and returns it as
 * seconds since 1970-01-01 00:00:00 UTC. Accepted shapes:
 *   RFC 5322 section 3.3    "Tue, 3 Jul 2018 14:40:19 +0200 (CEST)"
 *   obsolete forms (4.3)    no day of week, "Tue,  3" double space, 2- and
 *                           3-digit years (00-49 -> 20xx, 50-999 -> +1900),
 *                           seconds missing, named zones UT/GMT/EST/EDT/CST/
 *                           CDT/MST/MDT/PST/PDT and one-letter military zones
 *                           (taken as -0000, as section 4.3 advises), comments
 *                           and folding between the parts
 *   fractional seconds      "20:03:53.641 +0000" (SendGrid)
 *   Go time.Time.String()   "2017-03-19 13:12:06.122185511 +0000 UTC m=+0.1"
 *   ISO 8601 / RFC 3339     "2019-03-13T12:05:38Z", "...+02:00"
 *   asctime(3)              "Tue Jul  3 14:40:19 2018" (zone optional)
 *   IMAP/Exim style         "19-Mar-2017 13:12:06 +0000"
 * A numeric offset wins over any zone name; a zone name in a comment after it
 * ("(CEST)", "(GMT-8)") is consumed and ignored. A few common zone names
 * written without an offset (UTC, Z, CET, CEST, BST, EET, EEST, WET, WEST, MSK,
 * JST, KST, HKT, SGT, AEST, AEDT) are known; any other name, and a missing
 * zone, count as UTC.
 *
 * The calendar is computed here (proleptic Gregorian, no timegm()/mktime(),
 * no locale): pure functions, no allocation, at most MT_DATE_SCAN_MAX bytes
 * examined.
 */
#ifndef MT_UTIL_DATE_H
#define MT_UTIL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define MT_DATE_SCAN_MAX 256

/* Days from 1970-01-01 to y-m-d (month 1-12, day 1-31; no range check). */
int64_t mt_days_from_civil(int64_t y, unsigned m, unsigned d);

/* The civil date (month 1-12, day 1-31) of a day count since 1970-01-01. */
void mt_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Days in month m (1-12) of year y; 0 for a month out of range. */
unsigned mt_days_in_month(int64_t y, unsigned m);

/*
 * Parses the date at the start of p[0..len) (leading white space and
 * comments are skipped). On success returns MT_OK, stores the time in *t
 * and, when used is non-NULL, the number of bytes the date took (including a
 * zone comment that follows it, excluding trailing white space). Returns
 * MT_EPARSE when no date of a known shape starts there or a part is out of
 * range (month 13, 31 April, 25:00, offset +2400); *t is then untouched.
 */
enum mt_status mt_date_parse(const char *p, size_t len, int64_t *t, size_t *used);

#endif
