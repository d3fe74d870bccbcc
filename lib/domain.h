/*
 * domain.h - the registrable-looking domain of a host name.
 *
 * mt_domain_registrable() reduces a host name to the part an organisation
 * registers, for grouping statistics by sending domain:
 * "mail-ed1-f44.google.com" -> "google.com", "mx.bbc.co.uk" -> "bbc.co.uk".
 * The rule: the last two labels, or the last three when the last two are
 * one of a built-in list of common two-level public suffixes (co.uk,
 * com.au, co.jp, com.br, ... see domain.c). It is a heuristic, not the
 * Public Suffix List: "foo.github.io" gives "github.io".
 *
 * A trailing dot is ignored. IP addresses (IPv4 dotted quads, anything with
 * ':' or '[') and names without a dot give an empty span; so do "unknown"
 * and empty input. The result is a suffix of the input (same case).
 *
 * Pure, no allocation.
 */
#ifndef MT_DOMAIN_H
#define MT_DOMAIN_H

#include "util/span.h"

/* The registrable-looking domain of host (see above), or an empty span. */
struct mt_span mt_domain_registrable(struct mt_span host);

#endif
