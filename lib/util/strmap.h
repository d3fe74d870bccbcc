/*
 * strmap.h - a byte-string keyed hash map with fixed-size values.
 *
 * Keys are arbitrary bytes (no NUL needed; compared exactly, so callers that
 * want case-insensitive keys lower-case them first). Each entry holds a copy
 * of its key and a value of the size given to mt_strmap_new(), zeroed when
 * the entry is created. Value pointers stay valid until that entry is
 * removed or the map is freed (entries never move when the table grows), so
 * a caller may keep a pointer across inserts of other keys.
 *
 * Open addressing with linear probing and backward-shift deletion; the table
 * doubles at 3/4 load. The map is bounded: it holds at most max_entries
 * entries (given at creation), and an insert beyond that returns MT_ELIMIT
 * and changes nothing - never a silent drop. Keys longer than
 * MT_STRMAP_KEY_MAX bytes are refused with MT_ELIMIT too.
 *
 * Ownership: the map owns its entries and key copies; mt_strmap_free()
 * releases them (NULL is a no-op). Iteration order is unspecified; sort the
 * results when order matters. Not thread-safe. Pure: no I/O, no globals.
 */
#ifndef MT_UTIL_STRMAP_H
#define MT_UTIL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define MT_STRMAP_KEY_MAX 4096

struct mt_strmap;

/*
 * A map whose values are value_size bytes (may be 0: a set), holding at most
 * max_entries entries. NULL when out of memory.
 */
struct mt_strmap *mt_strmap_new(size_t value_size, size_t max_entries);

/* Frees the map, its entries and key copies. NULL is a no-op. */
void mt_strmap_free(struct mt_strmap *m);

/* The value stored under key, or NULL when absent. */
void *mt_strmap_get(const struct mt_strmap *m, const void *key, size_t klen);

/*
 * Finds key or inserts it with a zeroed value. *value gets the entry's value
 * (when value is non-NULL); *created (when non-NULL) tells whether the entry
 * is new. Returns MT_OK, MT_ELIMIT (map full or key too long; nothing
 * inserted) or MT_ENOMEM.
 */
enum mt_status mt_strmap_upsert(struct mt_strmap *m, const void *key, size_t klen, void **value,
                                bool *created);

/* Removes key; true when it was present. Pointers to its value become invalid. */
bool mt_strmap_remove(struct mt_strmap *m, const void *key, size_t klen);

/* Number of entries. */
size_t mt_strmap_count(const struct mt_strmap *m);

/*
 * Iterates: start with *it = 0 and call until NULL is returned. Returns the
 * next entry's value and, when non-NULL, its key and key length (the key is
 * NUL-terminated for convenience). Inserting or removing during iteration
 * invalidates the iterator.
 */
void *mt_strmap_next(const struct mt_strmap *m, size_t *it, const char **key, size_t *klen);

/* The 64-bit hash used for keys (word-wise, see mt_hash64()), exposed for tests and callers. */
uint64_t mt_strmap_hash(const void *p, size_t len);

#endif
