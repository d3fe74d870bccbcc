/*
 * hashmap.h - a bounded open-addressing map from 64-bit keys to 32-bit
 * values.
 *
 * Made for tables whose size is bounded up front (the log correlator's
 * sessions and queued messages): mt_hashmap_init() sets the most entries
 * the map takes. The slot array starts small and doubles whenever it would
 * be more than half full, up to twice that limit, so a map that holds a few
 * entries stays a few cache lines (lookups in a large, mostly empty array
 * miss the cache every time); it never shrinks. Linear probing with
 * backward-shift deletion, so there are no tombstones and a lookup stays
 * short however many insertions and deletions came before. The slot array
 * is at least twice the entry limit (load factor <= 0.5).
 *
 * Keys are hashes (see mt_hash64()); key 0 is reserved as "empty" and must
 * not be stored - mt_hash64() never returns it. Callers that cannot live
 * with a 2^-64 chance of two different strings sharing a key must compare
 * the strings themselves.
 *
 * Errors: MT_ENOMEM from init, and from put when the array cannot grow;
 * MT_ELIMIT from put when max entries are stored already.
 */
#ifndef MT_UTIL_HASHMAP_H
#define MT_UTIL_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* A key and its value side by side: a lookup touches one cache line. */
struct mt_hashslot {
    uint64_t key; /* 0 = empty slot */
    uint32_t val;
};

struct mt_hashmap {
    struct mt_hashslot *slots;
    size_t mask;      /* slots - 1 */
    size_t count;     /* entries stored */
    size_t max;       /* entry limit */
    size_t max_slots; /* the slot array's final size (a power of two >= 2 * max) */
};

/* Allocates a map for at most max entries (max >= 1). */
enum mt_status mt_hashmap_init(struct mt_hashmap *m, size_t max);

/* Frees the map's memory; safe on a zeroed or already freed map. */
void mt_hashmap_done(struct mt_hashmap *m);

/* Removes every entry. */
void mt_hashmap_clear(struct mt_hashmap *m);

/* Finds key; true and *val set when present. */
bool mt_hashmap_get(const struct mt_hashmap *m, uint64_t key, uint32_t *val);

/*
 * Inserts or replaces key -> val. MT_ELIMIT when full and key is new,
 * MT_ENOMEM when the slot array cannot grow.
 */
enum mt_status mt_hashmap_put(struct mt_hashmap *m, uint64_t key, uint32_t val);

/* Removes key; true when it was present. */
bool mt_hashmap_del(struct mt_hashmap *m, uint64_t key);

/*
 * A 64-bit hash of len bytes, continuing from seed (pass 0 to start, or a
 * previous result to hash several parts as one key). Never returns 0.
 */
uint64_t mt_hash64(const void *p, size_t len, uint64_t seed);

#endif
