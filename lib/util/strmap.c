/* strmap.c - byte-string keyed hash map, linear probing, stable values. */
#include "util/strmap.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "util/hashmap.h"

/* One entry: header, then the value (max-aligned), then the key and a NUL. */
struct entry {
    uint64_t hash;
    size_t klen;
    alignas(max_align_t) unsigned char data[];
};

struct slot {
    uint64_t hash;
    struct entry *e; /* NULL: empty */
};

struct mt_strmap {
    struct slot *slots;
    size_t cap; /* power of two */
    size_t count;
    size_t value_size;
    size_t value_space; /* value_size rounded up to the alignment */
    size_t max_entries;
};

#define INITIAL_CAP 16

/* mt_hash64() (eight bytes a step), with the high bits mixed down: the index uses the low bits. */
uint64_t
mt_strmap_hash(const void *p, size_t len)
{
    uint64_t h = mt_hash64(p, len, 0);

    return h ^ (h >> 32);
}

/* Creates an empty map. */
struct mt_strmap *
mt_strmap_new(size_t value_size, size_t max_entries)
{
    struct mt_strmap *m = calloc(1, sizeof(*m));
    size_t al = alignof(max_align_t);

    if (m == NULL)
        return NULL;
    m->slots = calloc(INITIAL_CAP, sizeof(*m->slots));
    if (m->slots == NULL) {
        free(m);
        return NULL;
    }
    m->cap = INITIAL_CAP;
    m->value_size = value_size;
    m->value_space = (value_size + al - 1) / al * al;
    m->max_entries = max_entries;
    return m;
}

/* Frees everything. */
void
mt_strmap_free(struct mt_strmap *m)
{
    size_t i;

    if (m == NULL)
        return;
    for (i = 0; i < m->cap; i++)
        free(m->slots[i].e);
    free(m->slots);
    free(m);
}

/* The key bytes of an entry. */
static const char *
entry_key(const struct mt_strmap *m, const struct entry *e)
{
    return (const char *)e->data + m->value_space;
}

/* Slot index of key, or of the empty slot where it would go. */
static size_t
find_slot(const struct mt_strmap *m, uint64_t h, const void *key, size_t klen)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;

    for (;;) {
        const struct slot *s = &m->slots[i];
        if (s->e == NULL)
            return i;
        if (s->hash == h && s->e->klen == klen && memcmp(entry_key(m, s->e), key, klen) == 0)
            return i;
        i = (i + 1) & mask;
    }
}

/* Looks key up. */
void *
mt_strmap_get(const struct mt_strmap *m, const void *key, size_t klen)
{
    size_t i = find_slot(m, mt_strmap_hash(key, klen), key, klen);

    return m->slots[i].e != NULL ? m->slots[i].e->data : NULL;
}

/* Doubles the table. */
static enum mt_status
grow(struct mt_strmap *m)
{
    size_t ncap = m->cap * 2, i;
    struct slot *ns;

    if (ncap < m->cap || ncap > SIZE_MAX / sizeof(*ns))
        return MT_ENOMEM;
    ns = calloc(ncap, sizeof(*ns));
    if (ns == NULL)
        return MT_ENOMEM;
    for (i = 0; i < m->cap; i++) {
        size_t j;
        if (m->slots[i].e == NULL)
            continue;
        j = (size_t)m->slots[i].hash & (ncap - 1);
        while (ns[j].e != NULL)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return MT_OK;
}

/* Finds or inserts key. */
enum mt_status
mt_strmap_upsert(struct mt_strmap *m, const void *key, size_t klen, void **value, bool *created)
{
    uint64_t h;
    size_t i;
    struct entry *e;

    if (created != NULL)
        *created = false;
    if (klen > MT_STRMAP_KEY_MAX)
        return MT_ELIMIT;
    h = mt_strmap_hash(key, klen);
    i = find_slot(m, h, key, klen);
    if (m->slots[i].e != NULL) {
        if (value != NULL)
            *value = m->slots[i].e->data;
        return MT_OK;
    }
    if (m->count >= m->max_entries)
        return MT_ELIMIT;
    if ((m->count + 1) * 4 > m->cap * 3) {
        enum mt_status st = grow(m);
        if (st != MT_OK)
            return st;
        i = find_slot(m, h, key, klen);
    }
    e = malloc(sizeof(*e) + m->value_space + klen + 1);
    if (e == NULL)
        return MT_ENOMEM;
    e->hash = h;
    e->klen = klen;
    memset(e->data, 0, m->value_space);
    if (klen > 0)
        memcpy(e->data + m->value_space, key, klen);
    e->data[m->value_space + klen] = '\0';
    m->slots[i].hash = h;
    m->slots[i].e = e;
    m->count++;
    if (value != NULL)
        *value = e->data;
    if (created != NULL)
        *created = true;
    return MT_OK;
}

/* Removes key, shifting later entries of the probe run back into the hole. */
bool
mt_strmap_remove(struct mt_strmap *m, const void *key, size_t klen)
{
    size_t mask = m->cap - 1, i, j;

    i = find_slot(m, mt_strmap_hash(key, klen), key, klen);
    if (m->slots[i].e == NULL)
        return false;
    free(m->slots[i].e);
    m->slots[i].e = NULL;
    m->count--;
    j = i;
    for (;;) {
        size_t home;
        j = (j + 1) & mask;
        if (m->slots[j].e == NULL)
            break;
        home = (size_t)m->slots[j].hash & mask;
        /* Move j into the hole at i unless its home lies cyclically in (i, j]. */
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            m->slots[i] = m->slots[j];
            m->slots[j].e = NULL;
            i = j;
        }
    }
    return true;
}

/* Entry count. */
size_t
mt_strmap_count(const struct mt_strmap *m)
{
    return m->count;
}

/* Next entry in slot order. */
void *
mt_strmap_next(const struct mt_strmap *m, size_t *it, const char **key, size_t *klen)
{
    while (*it < m->cap) {
        const struct entry *e = m->slots[(*it)++].e;
        if (e == NULL)
            continue;
        if (key != NULL)
            *key = entry_key(m, e);
        if (klen != NULL)
            *klen = e->klen;
        return (void *)e->data;
    }
    return NULL;
}
