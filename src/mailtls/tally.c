/* tally.c - counts per key (see tally.h). */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"

#define OTHER "(other)"

/* Counts one message. */
enum mt_status
mt_tally_add(struct mt_tally *t, struct mt_span key, enum mt_verdict v)
{
    struct mt_tally_count *c = NULL;
    enum mt_status st;

    if (t->map == NULL && (t->map = mt_strmap_new(sizeof(*c), MT_TALLY_MAX + 1)) == NULL)
        return MT_ENOMEM;
    c = mt_strmap_get(t->map, key.p, key.len);
    if (c == NULL) {
        if (mt_strmap_count(t->map) >= MT_TALLY_MAX || key.len > MT_STRMAP_KEY_MAX)
            key = MT_SPAN_LIT(OTHER);
        st = mt_strmap_upsert(t->map, key.p, key.len, (void **)&c, NULL);
        if (st != MT_OK)
            return st;
    }
    c->n++;
    if ((unsigned)v < MT_VERDICT_COUNT)
        c->verdict[v]++;
    return MT_OK;
}

/* Most messages first, then by key. */
static int
cmp_rows(const void *a, const void *b)
{
    const struct mt_tally_row *x = a, *y = b;

    if (x->count->n != y->count->n)
        return x->count->n > y->count->n ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The rows sorted. */
size_t
mt_tally_sorted(const struct mt_tally *t, struct mt_tally_row **rows)
{
    struct mt_tally_row *v;
    size_t it = 0, n = 0, total = t->map != NULL ? mt_strmap_count(t->map) : 0;
    const struct mt_tally_count *c;
    const char *key;
    size_t klen;

    *rows = NULL;
    if (total == 0 || (v = malloc(total * sizeof(*v))) == NULL)
        return 0;
    while (n < total && (c = mt_strmap_next(t->map, &it, &key, &klen)) != NULL) {
        v[n].key = key;
        v[n].key_len = klen;
        v[n].count = c;
        n++;
    }
    qsort(v, n, sizeof(*v), cmp_rows);
    *rows = v;
    return n;
}

/* Frees. */
void
mt_tally_free(struct mt_tally *t)
{
    mt_strmap_free(t->map);
    t->map = NULL;
}
