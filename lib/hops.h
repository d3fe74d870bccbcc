/*
 * hops.h - a message's Received: headers as a hop chain, and which hop we
 * can trust.
 *
 * mt_hops_parse() reads a message's header block (see header.h), parses
 * every Received: field (received.h) into a chain, topmost (newest) first,
 * and notes the Message-ID. Every hop below the one our own server wrote was
 * written by someone else and may be forged; only our own hop is evidence.
 *
 * The trusted hop, given our host names (config my_hostnames): the topmost
 * hop whose "by" is one of our names and whose sender is outside - skipping
 * our internal hops: content-filter re-injection from loopback
 * (127.0.0.0/8, ::1, "localhost"), hops from one of our own names, and
 * LMTP/local delivery hops. Then trusted is its index and verified is true.
 * (The sender's name is the reverse-DNS name when the hop gives one - a HELO
 * name is the client's choice; a hop with no address and no SMTP keyword, such
 * as a list manager's re-injection, is internal too. doc/received.md has the
 * details.)
 * Without names (or when no hop matches them) the topmost hop that has a
 * "from" clause is reported as trusted with verified false. A chain with no
 * hop at all has trusted -1.
 *
 * Name matching ignores ASCII case and a trailing dot; a name starting with
 * "." matches every subdomain ("'.example.net' matches 'mx1.example.net'").
 *
 * Limits: at most MT_HOPS_MAX hops are kept (more is MT_ELIMIT with the chain
 * so far filled in); fields that fail to parse are counted in n_bad and left
 * out of the chain, and the first such error is reported in err with
 * MT_OK returned (one bad header does not spoil the message).
 *
 * Pure: spans point into the caller's buffer.
 */
#ifndef MT_HOPS_H
#define MT_HOPS_H

#include <stdbool.h>
#include <stddef.h>

#include "received.h"
#include "util/span.h"
#include "util/status.h"

#define MT_HOPS_MAX 64

/* Our own host names: borrowed array of NUL-terminated strings. */
struct mt_names {
    const char *const *v;
    size_t n;
};

struct mt_hops {
    size_t n;                            /* hops in the chain */
    struct mt_received hop[MT_HOPS_MAX]; /* topmost first */
    size_t n_bad;                        /* Received: fields that did not parse */
    int trusted;                         /* index of the trusted hop, or -1 */
    bool verified;                       /* trusted was chosen by our names */
    struct mt_span message_id;           /* Message-ID value, trimmed, or empty */
};

/* Builds the chain from a header block (see above). */
enum mt_status mt_hops_parse(const char *buf, size_t len, const struct mt_names *mine,
                             struct mt_hops *out, struct mt_error *err);

/*
 * mt_hops_parse() for callers that need less, which is faster on long
 * headers (mailtls scan's table and summary, notify):
 *   MT_HOPS_UNTIL_TRUSTED  stop parsing Received: fields once the trusted
 *                          hop is known (a hop by one of our names whose
 *                          sender is outside; without names, the first hop
 *                          with a "from" clause): the chain then ends at the
 *                          trusted hop and n_bad counts only the fields
 *                          before it. When no hop matches our names, every
 *                          field is read and the result is mt_hops_parse()'s.
 *   MT_HOPS_NO_MESSAGE_ID  do not look for the Message-ID (it stays empty);
 *                          with MT_HOPS_UNTIL_TRUSTED, reading ends at the
 *                          trusted hop.
 * trusted and verified are always what mt_hops_parse() would give.
 */
#define MT_HOPS_UNTIL_TRUSTED 0x01u
#define MT_HOPS_NO_MESSAGE_ID 0x02u
enum mt_status mt_hops_parse_flags(const char *buf, size_t len, const struct mt_names *mine,
                                   unsigned flags, struct mt_hops *out, struct mt_error *err);

/* True when host (a span) is one of names (see the matching rules above). */
bool mt_names_match(const struct mt_names *names, struct mt_span host);

#endif
