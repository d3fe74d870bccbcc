/* test_hashmap.c - the bounded map against a plain array model. */
#include <stdint.h>
#include <stdlib.h>

#include "mt_test.h"
#include "util/hashmap.h"

#define N 1000

/* A deterministic xorshift generator. */
static uint64_t
next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int
main(void)
{
    struct mt_hashmap m;
    static uint64_t keys[N];
    static int present[N];
    static uint32_t vals[N];
    uint64_t seed = 88172645463325252ULL;
    size_t i, count = 0;
    int round, bad = 0;

    CHECK_INT(mt_hashmap_init(&m, N / 2), MT_OK);
    /* It starts small and grows as entries come (the model below fills it). */
    CHECK_INT(m.mask + 1, 64);
    CHECK_INT(m.max_slots, 1024);
    for (i = 0; i < N; i++)
        keys[i] = mt_hash64(&i, sizeof(i), 0);
    /* Keys that collide in the low bits exercise probing and backward shift. */
    for (i = 0; i < 16; i++)
        keys[i] = (uint64_t)(i + 1) << 40;
    for (round = 0; round < 200000; round++) {
        size_t k = next(&seed) % N;
        uint32_t v;
        if (next(&seed) % 3 == 0) {
            bool was = present[k];
            if (mt_hashmap_del(&m, keys[k]) != was)
                bad++;
            if (was)
                count--;
            present[k] = 0;
        } else {
            enum mt_status st = mt_hashmap_put(&m, keys[k], (uint32_t)round);
            if (present[k] || count < N / 2) {
                if (st != MT_OK)
                    bad++;
                if (!present[k])
                    count++;
                present[k] = 1;
                vals[k] = (uint32_t)round;
            } else if (st != MT_ELIMIT) {
                bad++;
            }
        }
        if (round % 997 == 0) {
            for (i = 0; i < N; i++) {
                bool got = mt_hashmap_get(&m, keys[i], &v);
                if (got != (present[i] != 0) || (got && v != vals[i]))
                    bad++;
            }
            if (m.count != count)
                bad++;
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(m.mask + 1, m.max_slots);
    CHECK(mt_hash64("", 0, 0) != 0);
    mt_hashmap_clear(&m);
    CHECK_INT(m.count, 0);
    CHECK(!mt_hashmap_get(&m, keys[1], &vals[0]));
    mt_hashmap_done(&m);
    mt_hashmap_done(&m);
    return mt_test_done();
}
