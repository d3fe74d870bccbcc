/*
 * when.h - points in time as people type them on a command line.
 *
 * mt_when_parse() reads the --since/--until arguments of mailtls:
 *   "2024-10-23"              midnight UTC of that day
 *   "2024-10-23T12:00"        that minute, UTC ("T" or one space; seconds
 *   "2024-10-23 12:00:30Z"    optional; a trailing "Z" is allowed)
 *   "7d", "12h", "30m", "90s", "2w"
 *                             that long before now (Postfix's time units;
 *                             a bare number is seconds)
 * All times are UTC: mailtls reports in UTC throughout.
 *
 * Pure: the caller passes the current time. Errors: MT_EPARSE with a
 * message saying what was expected (err may be NULL).
 */
#ifndef MT_UTIL_WHEN_H
#define MT_UTIL_WHEN_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* Parses s (len bytes) relative to now into *out (seconds since the epoch). */
enum mt_status mt_when_parse(const char *s, size_t len, int64_t now, int64_t *out,
                             struct mt_error *err);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t mt_when_days(int64_t year, unsigned month, unsigned day);

#endif
