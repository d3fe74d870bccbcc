/* test_strmap.c - the byte-string hash map: insert, lookup, remove, limits. */
#include <stdio.h>
#include <stdlib.h>

#include "util/strmap.h"
#include "mt_test.h"

/* Inserts n keys "k<i>" with value i and checks they all read back. */
static void
test_many(void)
{
    struct mt_strmap *m = mt_strmap_new(sizeof(long), 100000);
    char key[32];
    long i, *v, sum = 0;
    size_t it = 0, seen = 0, klen;
    const char *k;
    bool created;

    CHECK(m != NULL);
    for (i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof(key), "k%ld", i);
        CHECK_INT(mt_strmap_upsert(m, key, (size_t)n, (void **)&v, &created), MT_OK);
        CHECK(created);
        CHECK_INT(*v, 0);
        *v = i;
    }
    CHECK_INT(mt_strmap_count(m), 20000);
    for (i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof(key), "k%ld", i);
        v = mt_strmap_get(m, key, (size_t)n);
        CHECK(v != NULL && *v == i);
    }
    CHECK(mt_strmap_get(m, "k20000", 6) == NULL);
    /* Upserting an existing key keeps its value. */
    CHECK_INT(mt_strmap_upsert(m, "k7", 2, (void **)&v, &created), MT_OK);
    CHECK(!created);
    CHECK_INT(*v, 7);
    while ((v = mt_strmap_next(m, &it, &k, &klen)) != NULL) {
        seen++;
        sum += *v;
        CHECK(k[0] == 'k' && k[klen] == '\0');
    }
    CHECK_INT(seen, 20000);
    CHECK_INT(sum, 20000L * 19999 / 2);
    /* Remove every other key; the rest stay reachable (backward shift). */
    for (i = 0; i < 20000; i += 2) {
        int n = snprintf(key, sizeof(key), "k%ld", i);
        CHECK(mt_strmap_remove(m, key, (size_t)n));
        CHECK(!mt_strmap_remove(m, key, (size_t)n));
    }
    CHECK_INT(mt_strmap_count(m), 10000);
    for (i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof(key), "k%ld", i);
        v = mt_strmap_get(m, key, (size_t)n);
        if (i % 2 == 0)
            CHECK(v == NULL);
        else
            CHECK(v != NULL && *v == i);
    }
    mt_strmap_free(m);
}

/* The entry ceiling and the key length limit refuse, never drop silently. */
static void
test_limits(void)
{
    struct mt_strmap *m = mt_strmap_new(0, 3);
    char big[MT_STRMAP_KEY_MAX + 1];
    void *v;

    CHECK_INT(mt_strmap_upsert(m, "a", 1, NULL, NULL), MT_OK);
    CHECK_INT(mt_strmap_upsert(m, "b", 1, NULL, NULL), MT_OK);
    CHECK_INT(mt_strmap_upsert(m, "", 0, &v, NULL), MT_OK);
    CHECK(mt_strmap_get(m, "", 0) != NULL);
    CHECK_INT(mt_strmap_upsert(m, "c", 1, NULL, NULL), MT_ELIMIT);
    CHECK(mt_strmap_get(m, "c", 1) == NULL);
    CHECK_INT(mt_strmap_upsert(m, "a", 1, NULL, NULL), MT_OK); /* existing: fine */
    CHECK_INT(mt_strmap_count(m), 3);
    memset(big, 'x', sizeof(big));
    mt_strmap_remove(m, "a", 1);
    CHECK_INT(mt_strmap_upsert(m, big, sizeof(big), NULL, NULL), MT_ELIMIT);
    CHECK_INT(mt_strmap_upsert(m, big, sizeof(big) - 1, NULL, NULL), MT_OK);
    mt_strmap_free(m);
    mt_strmap_free(NULL);
}

/* Removals in a small table keep the other probe runs reachable. */
static void
test_wrap(void)
{
    struct mt_strmap *m = mt_strmap_new(sizeof(int), 1000);
    char key[8];
    int i, *v;

    for (i = 0; i < 11; i++) {
        key[0] = (char)('A' + i);
        CHECK_INT(mt_strmap_upsert(m, key, 1, (void **)&v, NULL), MT_OK);
        *v = i;
    }
    for (i = 0; i < 11; i += 3) {
        key[0] = (char)('A' + i);
        CHECK(mt_strmap_remove(m, key, 1));
    }
    for (i = 0; i < 11; i++) {
        key[0] = (char)('A' + i);
        v = mt_strmap_get(m, key, 1);
        CHECK(i % 3 == 0 ? v == NULL : (v != NULL && *v == i));
    }
    mt_strmap_free(m);
}

int
main(void)
{
    test_many();
    test_limits();
    test_wrap();
    return mt_test_done();
}
