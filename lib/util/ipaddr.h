/*
 * ipaddr.h - textual IPv4 and IPv6 addresses, checked without libc.
 *
 * mt_ipaddr_v4() accepts dotted quads ("192.0.2.1": four decimal parts of
 * 0-255, no leading sign, at most three digits each). mt_ipaddr_v6()
 * accepts RFC 4291 section 2.2 text: up to eight groups of 1-4 hex digits,
 * one "::", and an IPv4 tail ("::ffff:192.0.2.1"); no zone id ("%eth0").
 * mt_ipaddr_loopback() is true for 127.0.0.0/8, ::1 and ::ffff:127.x.
 * Case of hex digits is ignored. Pure, no allocation; the input is a span.
 */
#ifndef MT_UTIL_IPADDR_H
#define MT_UTIL_IPADDR_H

#include <stdbool.h>

#include "util/span.h"

/* True for a dotted-quad IPv4 address. */
bool mt_ipaddr_v4(struct mt_span s);

/* True for an IPv6 address in RFC 4291 text form. */
bool mt_ipaddr_v6(struct mt_span s);

/* True for either. */
bool mt_ipaddr_valid(struct mt_span s);

/* True for a loopback address (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104). */
bool mt_ipaddr_loopback(struct mt_span s);

#endif
