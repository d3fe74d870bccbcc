/* hashmap.c - bounded open-addressing map, u64 -> u32. */
#include "util/hashmap.h"

#include <stdlib.h>
#include <string.h>

/* Spreads a key over the slots (the finaliser of splitmix64). */
static size_t
slot_of(const struct mt_hashmap *m, uint64_t k)
{
    k ^= k >> 30;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27;
    k *= 0x94d049bb133111ebULL;
    k ^= k >> 31;
    return (size_t)k & m->mask;
}

#define FIRST_SLOTS 64 /* the slot array's size until more entries come */

/* Allocates a small slot array; it doubles as entries come, up to max at load factor <= 0.5. */
enum mt_status
mt_hashmap_init(struct mt_hashmap *m, size_t max)
{
    size_t slots = 16;

    memset(m, 0, sizeof(*m));
    if (max == 0 || max > (SIZE_MAX / 4) / sizeof(uint64_t))
        return MT_ELIMIT;
    while (slots < 2 * max)
        slots *= 2;
    m->max_slots = slots;
    if (slots > FIRST_SLOTS)
        slots = FIRST_SLOTS;
    m->slots = calloc(slots, sizeof(*m->slots));
    if (m->slots == NULL) {
        mt_hashmap_done(m);
        return MT_ENOMEM;
    }
    m->mask = slots - 1;
    m->max = max;
    return MT_OK;
}

/* Moves every entry into a slot array twice the size. */
static enum mt_status
grow(struct mt_hashmap *m)
{
    size_t n = 2 * (m->mask + 1), i, j;
    struct mt_hashslot *old = m->slots, *slots = calloc(n, sizeof(*slots));

    if (slots == NULL)
        return MT_ENOMEM;
    m->slots = slots;
    m->mask = n - 1;
    for (i = 0; i < n / 2; i++) {
        if (old[i].key == 0)
            continue;
        for (j = slot_of(m, old[i].key); slots[j].key != 0; j = (j + 1) & m->mask)
            ;
        slots[j] = old[i];
    }
    free(old);
    return MT_OK;
}

/* Frees the slots. */
void
mt_hashmap_done(struct mt_hashmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof(*m));
}

/* Empties the map. */
void
mt_hashmap_clear(struct mt_hashmap *m)
{
    if (m->slots != NULL)
        memset(m->slots, 0, (m->mask + 1) * sizeof(*m->slots));
    m->count = 0;
}

/* Looks a key up. */
bool
mt_hashmap_get(const struct mt_hashmap *m, uint64_t key, uint32_t *val)
{
    size_t i;

    if (m->slots == NULL || key == 0)
        return false;
    for (i = slot_of(m, key);; i = (i + 1) & m->mask) {
        if (m->slots[i].key == key) {
            *val = m->slots[i].val;
            return true;
        }
        if (m->slots[i].key == 0)
            return false;
    }
}

/* Inserts or replaces. */
enum mt_status
mt_hashmap_put(struct mt_hashmap *m, uint64_t key, uint32_t val)
{
    size_t i;

    if (m->slots == NULL || key == 0)
        return MT_ELIMIT;
    for (i = slot_of(m, key);; i = (i + 1) & m->mask) {
        if (m->slots[i].key == key) {
            m->slots[i].val = val;
            return MT_OK;
        }
        if (m->slots[i].key == 0)
            break;
    }
    if (m->count >= m->max)
        return MT_ELIMIT;
    if (2 * (m->count + 1) > m->mask + 1 && m->mask + 1 < m->max_slots) {
        enum mt_status st = grow(m);
        if (st != MT_OK)
            return st;
        for (i = slot_of(m, key); m->slots[i].key != 0; i = (i + 1) & m->mask)
            ;
    }
    m->slots[i].key = key;
    m->slots[i].val = val;
    m->count++;
    return MT_OK;
}

/* Deletes with backward shift so probe chains stay unbroken. */
bool
mt_hashmap_del(struct mt_hashmap *m, uint64_t key)
{
    size_t i, j, home;

    if (m->slots == NULL || key == 0)
        return false;
    for (i = slot_of(m, key);; i = (i + 1) & m->mask) {
        if (m->slots[i].key == key)
            break;
        if (m->slots[i].key == 0)
            return false;
    }
    for (j = (i + 1) & m->mask; m->slots[j].key != 0; j = (j + 1) & m->mask) {
        home = slot_of(m, m->slots[j].key);
        /* Move j into the hole at i unless its home lies cyclically in (i, j]. */
        if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = 0;
    m->count--;
    return true;
}

/* Eight bytes at p (any alignment). */
static uint64_t
load64(const unsigned char *p)
{
    uint64_t w;

    memcpy(&w, p, 8);
    return w;
}

/* Four bytes at p (any alignment). */
static uint64_t
load32(const unsigned char *p)
{
    uint32_t w;

    memcpy(&w, p, 4);
    return w;
}

/*
 * Eight bytes at a time, multiply-xorshift mixing; 0 is mapped away (it marks
 * empty slots). The last partial block is read with fixed-size loads that
 * may overlap bytes already mixed (the last eight of the input; for inputs
 * under eight bytes the first and last four, or three single bytes), never
 * with a copy of variable length: that stalls the load that follows it.
 */
uint64_t
mt_hash64(const void *p, size_t len, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = (seed ? seed : 0xcbf29ce484222325ULL) ^ (len * 0x9E3779B97F4A7C15ULL);
    uint64_t w;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        h = (h ^ load64(s + i)) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (i < len) {
        if (len >= 8)
            w = load64(s + len - 8);
        else if (len >= 4)
            w = load32(s) | load32(s + len - 4) << 32;
        else
            w = (uint64_t)s[0] | (uint64_t)s[len / 2] << 8 | (uint64_t)s[len - 1] << 16;
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
    }
    return h ? h : 1;
}
