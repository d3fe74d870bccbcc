/*
 * address.h - envelope addresses that are safe to put in a header and argv.
 *
 * mt_address_check() decides whether an envelope sender may receive a
 * notice: the address is written into a To: header and passed as one
 * argument to sendmail(1), so anything that could change the meaning of
 * either is refused rather than escaped. Accepted: dot-atom local part
 * (RFC 5322 section 3.4.1, without quoted strings or comments) "@" a host
 * name of letters, digits and hyphens in dot-separated labels, with at least
 * two labels. Refused (MT_EPARSE, err says why): empty, longer than
 * MT_ADDRESS_MAX (RFC 5321 section 4.5.3.1: 254 in practice), a local part
 * over 64 or a domain over 253 bytes, CR, LF, NUL or any other control
 * byte, space, bytes >= 0x80 (SMTPUTF8 addresses get no notice), a
 * leading '-' (it would read as an option), no '@' or more than one, "<",
 * ">", quotes, backslash, parentheses, commas, semicolons, domain literals.
 *
 * mt_address_domain() returns the part after the last '@' of any span (no
 * validation); mt_domain_check() validates a bare domain by the same rules.
 * mt_address_lower() copies an address in lower case (the form that is
 * hashed and compared).
 *
 * Pure, bounded, no allocation.
 */
#ifndef MT_ADDRESS_H
#define MT_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/span.h"
#include "util/status.h"

#define MT_ADDRESS_MAX 254
#define MT_LOCAL_MAX   64
#define MT_DOMAIN_MAX  253

/* Validates an address for use in headers and argv; *domain (when non-NULL) gets its domain. */
enum mt_status mt_address_check(struct mt_span addr, struct mt_span *domain, struct mt_error *err);

/* Validates a bare domain name (letters, digits, hyphens, at least two labels). */
enum mt_status mt_domain_check(struct mt_span domain, struct mt_error *err);

/* The bytes after the last '@' of addr, or an empty span when there is none. */
struct mt_span mt_address_domain(struct mt_span addr);

/* The bytes before the last '@' of addr, or all of addr when there is none. */
struct mt_span mt_address_local(struct mt_span addr);

/* True when two domains are equal ignoring ASCII case and one trailing dot. */
bool mt_domain_eq(struct mt_span a, struct mt_span b);

/*
 * Copies addr into dst (size dstsz) in ASCII lower case with a NUL; false
 * (nothing written) when it does not fit.
 */
bool mt_address_lower(struct mt_span addr, char *dst, size_t dstsz);

#endif
