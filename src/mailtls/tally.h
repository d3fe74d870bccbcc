/*
 * tally.h - counting messages per key (a domain, a cipher name), with a
 * count per verdict, on top of util/strmap.
 *
 * Bounded: after MT_TALLY_MAX distinct keys, new keys are counted under
 * "(other)" - the listing says so instead of the table growing without end.
 */
#ifndef MT_TALLY_H
#define MT_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "tls.h"
#include "util/span.h"
#include "util/status.h"

#define MT_TALLY_MAX (1u << 20)

struct mt_tally_count {
    uint64_t n;
    uint64_t verdict[MT_VERDICT_COUNT];
};

struct mt_tally_row {
    const char *key; /* NUL-terminated, owned by the tally */
    size_t key_len;
    const struct mt_tally_count *count;
};

struct mt_tally {
    struct mt_strmap *map; /* created by the first add */
};

/* Counts one message with verdict v under key. MT_ENOMEM when allocation fails. */
enum mt_status mt_tally_add(struct mt_tally *t, struct mt_span key, enum mt_verdict v);

/*
 * The rows in a new array (free() it), most messages first, then by key.
 * Returns the count; 0 with *rows NULL when empty or out of memory.
 */
size_t mt_tally_sorted(const struct mt_tally *t, struct mt_tally_row **rows);

/* Frees the table; t is then empty. */
void mt_tally_free(struct mt_tally *t);

#endif
