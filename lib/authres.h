/*
 * authres.h - one Authentication-Results header field (RFC 8601), parsed.
 *
 * mt_authres_parse() takes the value of one Authentication-Results field
 * (what follows the colon, folded as in the message) and returns the
 * authserv-id, the optional version, and each result: method (with its
 * optional "/version" dropped), result, the reason and the properties
 * ("smtp.mailfrom=user@example.com" is ptype "smtp", property "mailfrom",
 * value "user@example.com"). Comments (nested, with quoted pairs) and
 * folding white space are skipped wherever RFC 8601 section 2.2 allows CFWS.
 * Quoted strings are returned without their quotes (quoted pairs kept as
 * written). "none" (no-result) gives zero results.
 *
 * A result that cannot be parsed is skipped up to the next ";" outside
 * comments and quotes and counted in n_bad; it never turns into a result.
 * That matters: a verifier we do not know must not spoil the SPF result of
 * the one we do, and nothing malformed may read as "pass".
 *
 * mt_authres_spf_pass() answers the question mailtls notify asks: does this
 * field say spf=pass with smtp.mailfrom naming the envelope sender's domain
 * (the value's part after its last "@", or all of it when there is none,
 * compared ignoring case and a trailing dot)? Whether the field is ours
 * (authserv-id, position in the message) is the caller's decision.
 *
 * Limits: MT_AUTHRES_RESULTS results and MT_AUTHRES_PROPS properties per
 * result; more is MT_ELIMIT with what was parsed so far filled in. A value
 * longer than MT_AUTHRES_MAX is MT_ELIMIT. MT_EPARSE when there is no
 * authserv-id or nothing after it that RFC 8601 allows.
 *
 * Pure: spans point into the caller's buffer. Bounded loops, no allocation.
 */
#ifndef MT_AUTHRES_H
#define MT_AUTHRES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/span.h"
#include "util/status.h"

#define MT_AUTHRES_MAX     (64 * 1024)
#define MT_AUTHRES_RESULTS 16
#define MT_AUTHRES_PROPS   8

struct mt_authres_prop {
    struct mt_span ptype;    /* "smtp", "header", "body", "policy" */
    struct mt_span property; /* "mailfrom", "d", ... */
    struct mt_span value;    /* without quotes */
};

struct mt_authres_result {
    struct mt_span method; /* "spf", "dkim", ... */
    struct mt_span result; /* "pass", "fail", ... */
    struct mt_span reason; /* reason= value, or empty */
    size_t n_prop;
    struct mt_authres_prop prop[MT_AUTHRES_PROPS];
};

struct mt_authres {
    struct mt_span authserv_id; /* without quotes */
    unsigned long version;      /* 1 when not given */
    size_t n;                   /* results */
    size_t n_bad;               /* results skipped as malformed */
    struct mt_authres_result res[MT_AUTHRES_RESULTS];
};

/* Parses one field value (see above). */
enum mt_status mt_authres_parse(const char *buf, size_t len, struct mt_authres *out,
                                struct mt_error *err);

/* True when ar has spf=pass with smtp.mailfrom in domain (see above). */
bool mt_authres_spf_pass(const struct mt_authres *ar, struct mt_span domain);

#endif
