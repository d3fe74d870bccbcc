/* correlate.c - the correlator's tables, eviction, record emission and dispatch. */
#include "correlate_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "postfix.h"

#define SWEEP_EVERY 60 /* seconds of log time between idle sweep ticks */

/* The items stay small: that is what keeps the tables in cache (correlate_int.h). */
_Static_assert(sizeof(struct mt_csess) <= 256, "session items must stay compact");
_Static_assert(sizeof(struct mt_cmsg) <= 256, "message items must stay compact");

/* String fields of sessions: ceilings as the fixed arrays had them, offsets in ext. */
const struct mt_cstr_kind mt_cstr_sess = {
    6,
    { MT_EV_HOST_MAX, MT_EV_HOST_MAX, MT_EV_IP_MAX, 8, MT_EV_ID_MAX, MT_EV_REASON_MAX },
    { 0, MT_EV_HOST_MAX, 2 * MT_EV_HOST_MAX, 2 * MT_EV_HOST_MAX + MT_EV_IP_MAX,
      2 * MT_EV_HOST_MAX + MT_EV_IP_MAX + 8, 2 * MT_EV_HOST_MAX + MT_EV_IP_MAX + 8 + MT_EV_ID_MAX },
    2 * MT_EV_HOST_MAX + MT_EV_IP_MAX + 8 + MT_EV_ID_MAX + MT_EV_REASON_MAX,
};

/* String fields of messages. */
const struct mt_cstr_kind mt_cstr_msg = {
    7,
    { MT_EV_HOST_MAX, MT_EV_ID_MAX, MT_EV_ID_MAX, MT_EV_ADDR_MAX, MT_EV_HOST_MAX, MT_EV_IP_MAX,
      MT_EV_HOST_MAX },
    { 0, MT_EV_HOST_MAX, MT_EV_HOST_MAX + MT_EV_ID_MAX, MT_EV_HOST_MAX + 2 * MT_EV_ID_MAX,
      MT_EV_HOST_MAX + 2 * MT_EV_ID_MAX + MT_EV_ADDR_MAX,
      2 * MT_EV_HOST_MAX + 2 * MT_EV_ID_MAX + MT_EV_ADDR_MAX,
      2 * MT_EV_HOST_MAX + 2 * MT_EV_ID_MAX + MT_EV_ADDR_MAX + MT_EV_IP_MAX },
    3 * MT_EV_HOST_MAX + 2 * MT_EV_ID_MAX + MT_EV_ADDR_MAX + MT_EV_IP_MAX,
};

/* A field as a C string. */
const char *
mt_cstr_get(const struct mt_cstr *cs, const struct mt_cstr_kind *k, unsigned f)
{
    if (cs->ext != NULL)
        return cs->ext + k->off[f];
    return cs->at[f] ? cs->buf + cs->at[f] - 1 : "";
}

/* Moves the packed fields into one allocation of the full sizes; false when out of memory. */
static bool
cstr_widen(struct mt_cstr *cs, const struct mt_cstr_kind *k)
{
    char *ext = malloc(k->total);
    unsigned g;

    if (ext == NULL)
        return false;
    for (g = 0; g < k->n; g++) {
        const char *v = cs->at[g] ? cs->buf + cs->at[g] - 1 : "";
        size_t n = strlen(v);
        memcpy(ext + k->off[g], v, n + 1);
    }
    cs->ext = ext;
    return true;
}

/* Sets a field (cut as mt_correlate_copy() cuts). */
void
mt_cstr_set(struct mt_cstr *cs, const struct mt_cstr_kind *k, unsigned f, struct mt_span s,
            unsigned *flags)
{
    size_t n = s.len, cap = k->cap[f];
    char *dst;

    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
            n--;
        if (flags != NULL)
            *flags |= MT_EVENT_TRUNCATED;
    }
    if (cs->ext == NULL) {
        if (n == 0) {
            cs->at[f] = 0;
            return;
        }
        if (cs->at[f] && strlen(cs->buf + cs->at[f] - 1) >= n) {
            dst = cs->buf + cs->at[f] - 1; /* fits where the old value was */
        } else if ((size_t)cs->used + n + 1 <= MT_CSTR_BUF) {
            cs->at[f] = (uint8_t)(cs->used + 1);
            dst = cs->buf + cs->used;
            cs->used = (uint8_t)(cs->used + n + 1);
        } else if (cstr_widen(cs, k)) {
            dst = cs->ext + k->off[f];
        } else {
            cs->at[f] = 0; /* out of memory: the field stays empty, marked as cut */
            if (flags != NULL)
                *flags |= MT_EVENT_TRUNCATED;
            return;
        }
    } else {
        dst = cs->ext + k->off[f];
    }
    if (n > 0)
        memcpy(dst, s.p, n);
    dst[n] = '\0';
}

/* Every field "". */
void
mt_cstr_clear(struct mt_cstr *cs)
{
    free(cs->ext);
    cs->ext = NULL;
    memset(cs->at, 0, sizeof(cs->at));
    cs->used = 0;
}

/* The key of TLS facts: every field hashed. */
static uint64_t
tls_hash(const struct mt_tls *t)
{
    uint64_t w[4];

    w[0] = (uint64_t)t->used | (uint64_t)t->proto_min << 8 | (uint64_t)t->proto_max << 16 |
           (uint64_t)t->trust << 24;
    w[1] = (uint64_t)(int64_t)t->bits;
    w[2] = (uint64_t)(uintptr_t)t->cipher;
    w[3] = 0;
    uint64_t h = mt_hash64(w, sizeof(w), 0x544c53464143545ULL);
    h = mt_hash64(t->cipher_raw, strlen(t->cipher_raw), h);
    h = mt_hash64(t->protocol_raw, strlen(t->protocol_raw), h);
    h = mt_hash64(t->kex_group, strlen(t->kex_group), h);
    return mt_hash64(t->signature, strlen(t->signature), h);
}

/* True when a and b are the same facts. */
static bool
tls_same(const struct mt_tls *a, const struct mt_tls *b)
{
    return a->used == b->used && a->proto_min == b->proto_min && a->proto_max == b->proto_max &&
           a->cipher == b->cipher && a->bits == b->bits && a->trust == b->trust &&
           strcmp(a->cipher_raw, b->cipher_raw) == 0 &&
           strcmp(a->protocol_raw, b->protocol_raw) == 0 &&
           strcmp(a->kex_group, b->kex_group) == 0 && strcmp(a->signature, b->signature) == 0;
}

/* Creates the interned-TLS table for at most max entries (the fixed three included). */
static enum mt_status
tlstab_init(struct mt_tlstab *tt, size_t max)
{
    enum mt_status st;

    memset(tt, 0, sizeof(*tt));
    tt->max = max + MT_CTLS_FIXED;
    st = mt_hashmap_init(&tt->map, tt->max);
    if (st != MT_OK)
        return st;
    /* calloc: the pages of entries never handed out are never touched. */
    tt->e = calloc(tt->max, sizeof(*tt->e));
    tt->free_list = malloc(tt->max * sizeof(*tt->free_list));
    if (tt->e == NULL || tt->free_list == NULL)
        return MT_ENOMEM;
    mt_tls_init(&tt->e[MT_CTLS_UNKNOWN].tls);
    mt_tls_set_plaintext(&tt->e[MT_CTLS_PLAIN].tls);
    mt_tls_init(&tt->e[MT_CTLS_YES].tls);
    tt->e[MT_CTLS_YES].tls.used = MT_TRI_YES;
    tt->n = MT_CTLS_FIXED;
    return MT_OK;
}

/* Frees the table. */
static void
tlstab_done(struct mt_tlstab *tt)
{
    mt_hashmap_done(&tt->map);
    free(tt->e);
    free(tt->free_list);
    memset(tt, 0, sizeof(*tt));
}

/* The interned facts of an id. */
const struct mt_tls *
mt_ctls_get(const struct mt_correlate *c, uint32_t id)
{
    return &c->tlstab.e[id].tls;
}

/* One reference less; the entry is freed at none. */
static void
ctls_unref(struct mt_correlate *c, uint32_t id)
{
    struct mt_tlstab *tt = &c->tlstab;
    struct mt_tlsent *e;

    if (id < MT_CTLS_FIXED)
        return;
    e = &tt->e[id];
    if (--e->refs > 0)
        return;
    mt_hashmap_del(&tt->map, e->key);
    tt->free_list[tt->nfree++] = id;
}

/* The id of facts t with one more reference (a new entry when they are new). */
static uint32_t
ctls_ref(struct mt_correlate *c, const struct mt_tls *t)
{
    struct mt_tlstab *tt = &c->tlstab;
    uint64_t key;
    uint32_t id;

    if (t->used == MT_TRI_UNKNOWN && tls_same(t, &tt->e[MT_CTLS_UNKNOWN].tls))
        return MT_CTLS_UNKNOWN;
    if (t->used == MT_TRI_NO && tls_same(t, &tt->e[MT_CTLS_PLAIN].tls))
        return MT_CTLS_PLAIN;
    if (t->used == MT_TRI_YES && t->cipher == NULL && tls_same(t, &tt->e[MT_CTLS_YES].tls))
        return MT_CTLS_YES;
    /* Equal hashes of different facts (2^-64) take the next key. */
    for (key = tls_hash(t); mt_hashmap_get(&tt->map, key, &id); key = key + 1 ? key + 1 : 1) {
        if (tls_same(&tt->e[id].tls, t)) {
            tt->e[id].refs++;
            return id;
        }
    }
    if (tt->nfree > 0)
        id = tt->free_list[--tt->nfree];
    else if (tt->n < tt->max)
        id = (uint32_t)tt->n++;
    else
        return MT_CTLS_UNKNOWN; /* cannot happen: one entry per item at most */
    if (mt_hashmap_put(&tt->map, key, id) != MT_OK) {
        tt->free_list[tt->nfree++] = id;
        return MT_CTLS_UNKNOWN;
    }
    tt->e[id].tls = *t;
    tt->e[id].key = key;
    tt->e[id].refs = 1;
    return id;
}

/* *slot = facts t. */
void
mt_ctls_set(struct mt_correlate *c, uint32_t *slot, const struct mt_tls *t)
{
    uint32_t id = t != NULL ? ctls_ref(c, t) : MT_CTLS_UNKNOWN;

    ctls_unref(c, *slot);
    *slot = id;
}

/* *slot = id. */
void
mt_ctls_copy(struct mt_correlate *c, uint32_t *slot, uint32_t id)
{
    if (id >= MT_CTLS_FIXED)
        c->tlstab.e[id].refs++;
    ctls_unref(c, *slot);
    *slot = id;
}
#define SWEEP_SLICES 32 /* ticks per full pass over a table */

/* Defaults; see correlate.h. */
void
mt_correlate_opts_init(struct mt_correlate_opts *o)
{
    o->max_sessions = 16384;
    o->max_messages = 65536;
    o->max_endpoints = 4096;
    o->session_idle = 3600;
    o->message_idle = 2 * 86400;
    o->reinject_wait = 60;
    o->assume_tls_logged = false;
}

static struct mt_citem *item_at(struct mt_ctab *t, size_t i);

/* Allocates one table. */
static enum mt_status
tab_init(struct mt_ctab *t, size_t item_size, size_t max, int64_t idle)
{
    enum mt_status st;
    size_t i;

    memset(t, 0, sizeof(*t));
    if (max == 0 || max > (1u << 26))
        return MT_ELIMIT;
    st = mt_hashmap_init(&t->map, max);
    if (st != MT_OK)
        return st;
    t->items = calloc(max, item_size);
    t->heads = calloc(max, sizeof(*t->heads));
    t->free_list = malloc(max * sizeof(*t->free_list));
    if (t->items == NULL || t->heads == NULL || t->free_list == NULL)
        return MT_ENOMEM;
    /* Lowest index on top, so untouched pages stay untouched. */
    for (i = 0; i < max; i++)
        t->free_list[i] = (uint32_t)(max - 1 - i);
    t->nfree = max;
    t->item_size = item_size;
    t->max = max;
    t->idle = idle > 0 ? idle : 1;
    return MT_OK;
}

/* Frees one table. */
static void
tab_done(struct mt_ctab *t)
{
    mt_hashmap_done(&t->map);
    free(t->items);
    free(t->heads);
    free(t->free_list);
    memset(t, 0, sizeof(*t));
}

/* Creates a correlator. */
enum mt_status
mt_correlate_new(const struct mt_correlate_opts *opts, const struct mt_sink *sink, int64_t ref_time,
                 long utc_offset, struct mt_correlate **out)
{
    struct mt_correlate *c;
    enum mt_status st;

    *out = NULL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return MT_ENOMEM;
    if (opts != NULL)
        c->opts = *opts;
    else
        mt_correlate_opts_init(&c->opts);
    if (sink != NULL)
        c->sink = *sink;
    mt_logclock_init(&c->clock, ref_time, utc_offset);
    st = tab_init(&c->tab[MT_TAB_SESS], sizeof(struct mt_csess), c->opts.max_sessions,
                  c->opts.session_idle);
    if (st == MT_OK)
        st = tab_init(&c->tab[MT_TAB_MSG], sizeof(struct mt_cmsg), c->opts.max_messages,
                      c->opts.message_idle);
    if (st == MT_OK)
        st = tab_init(&c->tab[MT_TAB_ENDP], sizeof(struct mt_cendp), c->opts.max_endpoints,
                      c->opts.session_idle);
    if (st == MT_OK)
        st = tlstab_init(&c->tlstab, c->opts.max_sessions + c->opts.max_messages +
                                         c->opts.max_endpoints + MT_TLSMEMO_N);
    if (st == MT_OK) {
        c->pend = calloc(MT_CORRELATE_PENDING, sizeof(*c->pend));
        if (c->pend == NULL)
            st = MT_ENOMEM;
    }
    if (st != MT_OK) {
        mt_correlate_free(c);
        return st;
    }
    *out = c;
    return MT_OK;
}

/* Frees everything. */
void
mt_correlate_free(struct mt_correlate *c)
{
    int i;

    if (c == NULL)
        return;
    for (i = 0; i < MT_TAB_COUNT; i++) {
        struct mt_ctab *t = &c->tab[i];
        size_t k;
        /* String allocations of items still held (a correlator freed without finish). */
        for (k = 0; i != MT_TAB_ENDP && t->items != NULL && k < t->hiwater; k++) {
            struct mt_cstr *cs = i == MT_TAB_SESS ? &((struct mt_csess *)item_at(t, k))->str
                                                  : &((struct mt_cmsg *)item_at(t, k))->str;
            free(cs->ext);
            cs->ext = NULL;
        }
        tab_done(t);
    }
    tlstab_done(&c->tlstab);
    free(c->pend);
    free(c);
}

/* The clock of mt_correlate_line(). */
struct mt_logclock *
mt_correlate_clock(struct mt_correlate *c)
{
    return &c->clock;
}

/* Counters. */
const struct mt_correlate_stats *
mt_correlate_get_stats(const struct mt_correlate *c)
{
    return &c->stats;
}

/*
 * Hashes the parts one after the other; mt_hash64() mixes in each part's
 * length, so ("ab","c") and ("a","bc") differ.
 */
uint64_t
mt_correlate_key(const struct mt_span *parts, size_t n)
{
    uint64_t h = 0;
    size_t i;

    for (i = 0; i < n; i++)
        h = mt_correlate_key_on(h, parts[i]);
    return h;
}

/* One more part on top of a key. */
uint64_t
mt_correlate_key_on(uint64_t seed, struct mt_span s)
{
    return mt_hash64(s.p ? s.p : "", s.len, seed);
}

/* A number mixed into a key (the finaliser of splitmix64 over both). */
uint64_t
mt_correlate_key_num(uint64_t seed, uint64_t v)
{
    uint64_t k = seed ^ (v * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL);

    k ^= k >> 30;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27;
    k *= 0x94d049bb133111ebULL;
    k ^= k >> 31;
    return k ? k : 1;
}

/* Item i of table t. */
static struct mt_citem *
item_at(struct mt_ctab *t, size_t i)
{
    return (struct mt_citem *)(t->items + i * t->item_size);
}

/* Looks up by key. */
void *
mt_correlate_find(struct mt_correlate *c, enum mt_ctab_id id, uint64_t key)
{
    struct mt_ctab *t = &c->tab[id];
    uint32_t i;

    if (!mt_hashmap_get(&t->map, key, &i))
        return NULL;
    return item_at(t, i);
}

/* Frees an item's slot. */
void
mt_correlate_del(struct mt_correlate *c, enum mt_ctab_id id, void *item)
{
    struct mt_ctab *t = &c->tab[id];
    struct mt_citem *h = item;

    if (h->key == 0)
        return;
    if (id == MT_TAB_SESS)
        mt_correlate_clear_sess(c, (struct mt_csess *)h);
    else if (id == MT_TAB_MSG)
        mt_correlate_clear_msg(c, (struct mt_cmsg *)h);
    else
        ctls_unref(c, ((struct mt_cendp *)h)->tls);
    mt_hashmap_del(&t->map, h->key);
    h->key = 0;
    t->heads[h->idx].key = 0;
    t->free_list[t->nfree++] = h->idx;
    t->used--;
}

/* Flushes what in items [from, to) of table id has been idle since before cutoff. */
static size_t
sweep_range(struct mt_correlate *c, enum mt_ctab_id id, int64_t cutoff, bool evicting, size_t from,
            size_t to)
{
    struct mt_ctab *t = &c->tab[id];
    size_t i, n = 0;
    unsigned fl = MT_EVENT_INCOMPLETE;

    for (i = from; i < to && i < t->hiwater; i++) {
        const struct mt_chead *d = &t->heads[i];
        struct mt_citem *h;
        if (d->key == 0)
            continue;
        if (id == MT_TAB_MSG && d->wait <= c->now && !evicting) {
            mt_correlate_finish_msg(c, (struct mt_cmsg *)item_at(t, i), 0);
            n++;
            continue;
        }
        if (d->last >= cutoff || (evicting && d->key == t->pin))
            continue;
        h = item_at(t, i);
        if (evicting)
            c->stats.evicted++;
        if (id == MT_TAB_MSG)
            mt_correlate_finish_msg(c, (struct mt_cmsg *)h, fl);
        else if (id == MT_TAB_SESS)
            mt_correlate_end_sess(c, (struct mt_csess *)h, fl);
        else
            mt_correlate_del(c, id, h);
        n++;
    }
    return n;
}

/* Flushes what in table id has been idle since before cutoff; returns how many. */
static size_t
sweep(struct mt_correlate *c, enum mt_ctab_id id, int64_t cutoff, bool evicting)
{
    return sweep_range(c, id, cutoff, evicting, 0, c->tab[id].hiwater);
}

/* Makes room in a full table: shorter and shorter idle limits. */
static void
make_room(struct mt_correlate *c, enum mt_ctab_id id)
{
    struct mt_ctab *t = &c->tab[id];
    size_t want = t->max - t->max / 16;
    int64_t idle = t->idle;

    if (want >= t->max)
        want = t->max - 1;
    while (t->used > want) {
        idle /= 2;
        sweep(c, id, idle > 0 ? c->now - idle : c->now + 1, true);
        if (idle == 0)
            break;
    }
}

/* New zeroed item under key. */
void *
mt_correlate_add(struct mt_correlate *c, enum mt_ctab_id id, uint64_t key)
{
    struct mt_ctab *t = &c->tab[id];
    struct mt_citem *h;
    uint32_t i;
    size_t *peak;

    if (t->nfree == 0)
        make_room(c, id);
    if (t->nfree == 0)
        return NULL; /* cannot happen: make_room empties the table at worst */
    i = t->free_list[--t->nfree];
    h = item_at(t, i);
    /* A freed item was cleared when it was deleted (never used: zeroed by calloc). */
    if (id == MT_TAB_MSG)
        ((struct mt_cmsg *)h)->gen++; /* held-back records must not match a new tenant */
    else if (id == MT_TAB_ENDP)
        memset(h, 0, t->item_size);
    if (mt_hashmap_put(&t->map, key, i) != MT_OK) {
        t->free_list[t->nfree++] = i;
        return NULL;
    }
    h->key = key;
    h->idx = i;
    t->heads[i].key = key;
    t->heads[i].last = c->now;
    t->heads[i].wait = INT64_MAX;
    t->used++;
    if (i + 1 > t->hiwater)
        t->hiwater = i + 1;
    peak = id == MT_TAB_SESS  ? &c->stats.peak_sessions
           : id == MT_TAB_MSG ? &c->stats.peak_messages
                              : &c->stats.peak_endpoints;
    if (t->used > *peak)
        *peak = t->used;
    return h;
}

/* Activity on an item now (its head). */
static void
t_touch(struct mt_correlate *c, enum mt_ctab_id id, const void *item)
{
    c->tab[id].heads[((const struct mt_citem *)item)->idx].last = c->now;
}

/* Find or create. */
void *
mt_correlate_get(struct mt_correlate *c, enum mt_ctab_id id, uint64_t key, bool *created)
{
    struct mt_citem *h = mt_correlate_find(c, id, key);

    *created = false;
    if (h == NULL) {
        h = mt_correlate_add(c, id, key);
        *created = h != NULL;
    }
    if (h != NULL)
        t_touch(c, id, h);
    return h;
}

/* Activity on an item now. */
void
mt_correlate_touch(struct mt_correlate *c, enum mt_ctab_id id, const void *item)
{
    t_touch(c, id, item);
}

/* Log time of an item's last activity. */
int64_t
mt_correlate_last(const struct mt_correlate *c, enum mt_ctab_id id, const void *item)
{
    return c->tab[id].heads[((const struct mt_citem *)item)->idx].last;
}

/* A removed message waiting for its copy. */
void
mt_correlate_set_wait(struct mt_correlate *c, struct mt_cmsg *m, int64_t until)
{
    m->flags |= MT_M_WAIT;
    m->t_wait = until;
    c->tab[MT_TAB_MSG].heads[m->h.idx].wait = until;
}

/* A session item as new (see correlate_int.h). */
void
mt_correlate_clear_sess(struct mt_correlate *c, struct mt_csess *s)
{
    struct mt_citem h = s->h;

    ctls_unref(c, s->tls);
    mt_cstr_clear(&s->str);
    memset(s, 0, offsetof(struct mt_csess, str)); /* the scalars before the strings */
    s->h = h;
}

/* A message item as new, its generation kept (see correlate_int.h). */
void
mt_correlate_clear_msg(struct mt_correlate *c, struct mt_cmsg *m)
{
    struct mt_citem h = m->h;
    uint32_t gen = m->gen;

    ctls_unref(c, m->tls);
    mt_cstr_clear(&m->str);
    memset(m, 0, offsetof(struct mt_cmsg, str)); /* the scalars before the strings */
    m->h = h;
    m->gen = gen;
}

/* Find or create a message, with its identity on creation. */
struct mt_cmsg *
mt_correlate_msg_get(struct mt_correlate *c, const struct mt_logline *l, uint64_t key,
                     enum mt_mta mta, struct mt_span id)
{
    bool created;
    struct mt_cmsg *m = mt_correlate_get(c, MT_TAB_MSG, key, &created);

    if (m != NULL && created) {
        m->mta = mta;
        m->t_recv = l->time;
        CS_SET(m, host, l->host, &m->evflags);
        CS_SET(m, qid, id, &m->evflags);
    }
    return m;
}

/* Copies with a cut at a UTF-8 character boundary. */
void
mt_correlate_copy(char *dst, size_t dstsz, struct mt_span s, unsigned *flags)
{
    size_t n = s.len;

    if (dstsz == 0)
        return;
    if (n >= dstsz) {
        n = dstsz - 1;
        while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
            n--;
        if (flags != NULL)
            *flags |= MT_EVENT_TRUNCATED;
    }
    if (n > 0)
        memcpy(dst, s.p, n);
    dst[n] = '\0';
}

/*
 * Copies the string of a field into a field of the same size: its bytes and
 * the NUL only, not the whole array (records are filled in place, and most
 * of every field is unused).
 */
static void
copy_str(char *dst, const char *src, size_t size)
{
    size_t n = strnlen(src, size - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}
#define COPY_FIELD(dst, src) copy_str(dst, src, sizeof(dst))

/* Domain part, lower-cased (cut at a character boundary when too long). */
void
mt_correlate_domain(char *dst, size_t dstsz, const char *addr, unsigned *flags)
{
    const char *at = strrchr(addr, '@');
    size_t i, n;

    if (dstsz == 0)
        return;
    if (at == NULL) {
        dst[0] = '\0';
        return;
    }
    at++;
    n = strlen(at);
    if (n >= dstsz) {
        mt_correlate_copy(dst, dstsz, mt_span(at, n), flags);
        n = strlen(dst);
    }
    /* Eight bytes a step: 0x20 added to each byte from 'A' to 'Z', no carry between bytes. */
    for (i = 0; i + 8 <= n; i += 8) {
        uint64_t w, low, upper;
        memcpy(&w, at + i, 8);
        low = w & 0x7f7f7f7f7f7f7f7fULL;
        upper = (low + 0x3f3f3f3f3f3f3f3fULL) & ~(low + 0x2525252525252525ULL) & ~w &
                0x8080808080808080ULL; /* >= 'A', not > 'Z', ASCII */
        w |= upper >> 2;
        memcpy(dst + i, &w, 8);
    }
    for (; i < n; i++)
        dst[i] = (char)mt_to_lower((unsigned char)at[i]);
    dst[n] = '\0';
}

/* Sets the recipient domain of m from an address. */
void
mt_correlate_set_rcpt(struct mt_cmsg *m, const char *addr)
{
    char dom[MT_EV_HOST_MAX];

    mt_correlate_domain(dom, sizeof(dom), addr, &m->evflags);
    CS_SET(m, rcpt_domain, mt_span_cstr(dom), &m->evflags);
}

/* Sets it unless one is known (the first recipient's). */
void
mt_correlate_first_rcpt(struct mt_cmsg *m, const char *addr)
{
    if (CS(m, rcpt_domain)[0] == '\0')
        mt_correlate_set_rcpt(m, addr);
}

/* Loopback addresses and names. */
bool
mt_correlate_is_loopback(struct mt_span ip, struct mt_span host)
{
    if (ip.len > 0) {
        switch (ip.p[0]) { /* by the first byte: most addresses are none of these */
        case '1':
            return mt_span_starts(ip, "127.");
        case ':':
            return mt_span_eq(ip, MT_SPAN_LIT("::1")) || mt_span_istarts(ip, "::ffff:127.");
        case 'i':
        case 'I':
            return mt_span_ieq(ip, "ipv6:::1");
        default:
            return false;
        }
    }
    return mt_span_ieq(host, "localhost");
}

/* Emits the connection record of a session once. */
void
mt_correlate_emit_conn(struct mt_correlate *c, struct mt_csess *s, unsigned extra)
{
    struct mt_conn *k = &c->conn;

    if (s->flags & MT_S_EMITTED)
        return;
    s->flags |= MT_S_EMITTED;
    k->reason[0] = '\0';
    if (s->flags & MT_S_TLS) {
        k->outcome = MT_CONN_TLS;
        k->tls = *mt_ctls_get(c, s->tls);
    } else if (s->flags & MT_S_STARTTLS) {
        k->outcome = MT_CONN_TLS;
        mt_tls_init(&k->tls);
        k->tls.used = MT_TRI_YES;
    } else if (s->flags & MT_S_FAILED) {
        k->outcome = MT_CONN_FAILED_TLS;
        mt_tls_init(&k->tls);
        COPY_FIELD(k->reason, CS(s, reason));
    } else if ((s->flags & MT_S_PLAIN) ||
               ((s->flags & MT_S_CONNECT) &&
                mt_correlate_has_evidence(c, CS(s, host),
                                          s->dir == MT_DIR_IN ? MT_EVID_IN : MT_EVID_OUT))) {
        k->outcome = MT_CONN_PLAINTEXT;
        mt_tls_set_plaintext(&k->tls);
    } else {
        return; /* started before the log and nothing known: no record */
    }
    k->time = s->t_first;
    k->dir = s->dir;
    k->mta = s->mta;
    COPY_FIELD(k->host, CS(s, host));
    COPY_FIELD(k->peer_host, CS(s, peer_host));
    COPY_FIELD(k->peer_ip, CS(s, peer_ip));
    k->flags = s->evflags | extra;
    c->stats.connections++;
    if (extra & MT_EVENT_INCOMPLETE)
        c->stats.incomplete++;
    if (c->sink.connection != NULL)
        c->sink.connection(c->sink.arg, k);
}

/* Slot of a logging host's evidence, or NULL. */
static struct mt_evid *
evid_find(struct mt_correlate *c, uint64_t h)
{
    size_t i;

    for (i = 0; i < MT_EVID_HOSTS; i++)
        if (c->evid[i].host == h)
            return &c->evid[i];
    return NULL;
}

/* Records that the host with hash h logs TLS sessions in a direction. */
void
mt_correlate_set_evidence_h(struct mt_correlate *c, uint64_t h, unsigned flag)
{
    struct mt_evid *e = evid_find(c, h);

    if (e == NULL)
        e = evid_find(c, 0);
    if (e == NULL) {
        e = &c->evid[c->evid_next];
        c->evid_next = (c->evid_next + 1) % MT_EVID_HOSTS;
        e->flags = 0;
    }
    e->host = h;
    e->flags |= flag;
}

/* Records that host logs TLS sessions in a direction. */
void
mt_correlate_set_evidence(struct mt_correlate *c, const char *host, unsigned flag)
{
    mt_correlate_set_evidence_h(c, mt_hash64(host, strlen(host), 0), flag);
}

/* True when the host with hash h is known to log TLS sessions in a direction. */
bool
mt_correlate_has_evidence_h(struct mt_correlate *c, uint64_t h, unsigned flag)
{
    struct mt_evid *e;

    if (c->opts.assume_tls_logged)
        return true;
    e = evid_find(c, h);
    return e != NULL && (e->flags & flag);
}

/* True when host is known to log TLS sessions in a direction. */
bool
mt_correlate_has_evidence(struct mt_correlate *c, const char *host, unsigned flag)
{
    if (c->opts.assume_tls_logged)
        return true;
    return mt_correlate_has_evidence_h(c, mt_hash64(host, strlen(host), 0), flag);
}

/* Ends a session. */
void
mt_correlate_end_sess(struct mt_correlate *c, struct mt_csess *s, unsigned extra)
{
    mt_correlate_emit_conn(c, s, extra);
    mt_correlate_del(c, MT_TAB_SESS, s);
}

/* Hands one record to the sink. */
static void
emit_event(struct mt_correlate *c, const struct mt_event *ev)
{
    if (ev->dir == MT_DIR_IN)
        c->stats.messages++;
    else
        c->stats.deliveries++;
    if (ev->flags & MT_EVENT_INCOMPLETE)
        c->stats.incomplete++;
    if (c->sink.message != NULL)
        c->sink.message(c->sink.arg, ev);
}

/* Slot index of a message item. */
static uint32_t
msg_slot(struct mt_correlate *c, const struct mt_cmsg *m)
{
    struct mt_ctab *t = &c->tab[MT_TAB_MSG];

    return (uint32_t)((size_t)((const unsigned char *)m - t->items) / t->item_size);
}

/* Drops released entries from the front of the ring. */
static void
pend_compact(struct mt_correlate *c)
{
    while (c->pend_count > 0 && !c->pend[c->pend_head].live) {
        c->pend_head = (c->pend_head + 1) % MT_CORRELATE_PENDING;
        c->pend_count--;
    }
}

/* Emits (and forgets) the held-back records of m, under root when given. */
static void
pend_release(struct mt_correlate *c, struct mt_cmsg *m, const char *root, unsigned extra)
{
    uint32_t slot = msg_slot(c, m);
    size_t i;

    for (i = 0; i < c->pend_count && m->npending > 0; i++) {
        struct mt_pending *p = &c->pend[(c->pend_head + i) % MT_CORRELATE_PENDING];
        if (!p->live || p->slot != slot || p->gen != m->gen)
            continue;
        if (root != NULL)
            mt_correlate_copy(p->ev.queue_id, sizeof(p->ev.queue_id), mt_span_cstr(root),
                              &p->ev.flags);
        p->ev.flags |= extra;
        p->live = false;
        m->npending--;
        emit_event(c, &p->ev);
    }
    m->npending = 0;
    pend_compact(c);
}

/* Holds back c->ev for m; the oldest held record goes out when the ring is full. */
static void
pend_push(struct mt_correlate *c, struct mt_cmsg *m)
{
    struct mt_pending *p;

    if (c->pend_count == MT_CORRELATE_PENDING) {
        p = &c->pend[c->pend_head];
        if (p->live) {
            struct mt_cmsg *owner = (struct mt_cmsg *)item_at(&c->tab[MT_TAB_MSG], p->slot);
            if (owner->h.key != 0 && owner->gen == p->gen && owner->npending > 0)
                owner->npending--;
            p->live = false;
            emit_event(c, &p->ev);
        }
        c->pend_head = (c->pend_head + 1) % MT_CORRELATE_PENDING;
        c->pend_count--;
    }
    p = &c->pend[(c->pend_head + c->pend_count) % MT_CORRELATE_PENDING];
    p->slot = msg_slot(c, m);
    p->gen = m->gen;
    p->live = true;
    p->ev = c->ev;
    c->pend_count++;
    m->npending++;
}

/* Starts an outbound record from a message. */
void
mt_correlate_start_out(struct mt_correlate *c, struct mt_cmsg *m, int64_t t)
{
    struct mt_event *ev = &c->ev;

    ev->time = t;
    ev->dir = MT_DIR_OUT;
    ev->mta = m->mta;
    ev->status = MT_MSG_RECEIVED;
    ev->flags = m->evflags;
    COPY_FIELD(ev->host, CS(m, host));
    COPY_FIELD(ev->queue_id, (m->flags & MT_M_COPY) ? CS(m, root) : CS(m, qid));
    ev->peer_host[0] = ev->peer_ip[0] = ev->recipient_domain[0] = '\0';
    COPY_FIELD(ev->sender, CS(m, sender));
    mt_correlate_domain(ev->sender_domain, sizeof(ev->sender_domain), CS(m, sender), &ev->flags);
    mt_tls_init(&ev->tls);
}

/* Emits c->ev now, or holds it while m may still turn out to be a copy. */
void
mt_correlate_emit_out(struct mt_correlate *c, struct mt_cmsg *m)
{
    if (m != NULL && (m->flags & MT_M_SUSPECT) && !(m->flags & MT_M_COPY))
        pend_push(c, m);
    else
        emit_event(c, &c->ev);
}

/* Marks a copy and releases its held-back records under the original id. */
void
mt_correlate_set_copy(struct mt_correlate *c, struct mt_cmsg *m, const char *root)
{
    m->flags |= MT_M_COPY;
    CS_SET(m, root, mt_span_cstr(root), &m->evflags);
    if (m->npending > 0)
        pend_release(c, m, CS(m, root), 0);
    if (m->flags & MT_M_WAIT)
        mt_correlate_finish_msg(c, m, 0);
}

/* The inbound record of a message, once. */
void
mt_correlate_emit_in(struct mt_correlate *c, struct mt_cmsg *m, unsigned extra)
{
    struct mt_event *ev = &c->ev;

    if ((m->flags & MT_M_CLIENT) && !(m->flags & (MT_M_COPY | MT_M_REJECTED | MT_M_DONE))) {
        m->flags |= MT_M_DONE;
        ev->time = m->t_recv;
        ev->dir = MT_DIR_IN;
        ev->mta = m->mta;
        ev->status = MT_MSG_RECEIVED;
        ev->flags = m->evflags | extra;
        COPY_FIELD(ev->host, CS(m, host));
        COPY_FIELD(ev->queue_id, CS(m, qid));
        COPY_FIELD(ev->peer_host, CS(m, peer_host));
        COPY_FIELD(ev->peer_ip, CS(m, peer_ip));
        COPY_FIELD(ev->sender, CS(m, sender));
        mt_correlate_domain(ev->sender_domain, sizeof(ev->sender_domain), CS(m, sender),
                            &ev->flags);
        COPY_FIELD(ev->recipient_domain, CS(m, rcpt_domain));
        ev->tls = *mt_ctls_get(c, m->tls);
        emit_event(c, ev);
    }
}

/* Final records of a message, then its slot is freed. */
void
mt_correlate_finish_msg(struct mt_correlate *c, struct mt_cmsg *m, unsigned extra)
{
    mt_correlate_emit_in(c, m, extra);
    if (m->npending > 0)
        pend_release(c, m, (m->flags & MT_M_COPY) ? CS(m, root) : NULL, extra);
    mt_correlate_del(c, MT_TAB_MSG, m);
}

/*
 * Idle sweep of a slice of every table: each tick covers 1/SWEEP_SLICES of
 * the used part (at least 256 items), so a full pass takes at most
 * SWEEP_SLICES ticks and no line pays for a scan of a whole table.
 */
static void
sweep_all(struct mt_correlate *c)
{
    int id;

    for (id = 0; id < MT_TAB_COUNT; id++) {
        struct mt_ctab *t = &c->tab[id];
        size_t n = t->hiwater / SWEEP_SLICES + 256;
        if (t->cursor >= t->hiwater)
            t->cursor = 0;
        if (n > t->hiwater - t->cursor)
            n = t->hiwater - t->cursor;
        sweep_range(c, (enum mt_ctab_id)id, c->now - t->idle, false, t->cursor, t->cursor + n);
        t->cursor += n;
    }
}

/* True when s is the n bytes of lit. */
static bool
is_name(struct mt_span s, const char *lit, size_t n)
{
    return s.len == n && memcmp(s.p, lit, n) == 0;
}
#define IS(s, lit) is_name(s, lit, sizeof(lit) - 1)

/* Which MTA wrote a line, by its form and program name (by length first). */
static enum mt_mta
detect(const struct mt_logline *l)
{
    struct mt_span p = l->program;

    if (l->form == MT_LOGLINE_EXIM)
        return MT_MTA_EXIM;
    /* Most lines of most logs: one 8-byte word compare instead of the names below. */
    if (p.len > 8) {
        uint64_t w, pf;
        memcpy(&w, p.p, 8);
        memcpy(&pf, "postfix/", 8);
        if (w == pf)
            return MT_MTA_POSTFIX;
    }
    switch (p.len) {
    case 4:
        if (IS(p, "exim"))
            return MT_MTA_EXIM;
        break;
    case 5:
        if (IS(p, "exim4"))
            return MT_MTA_EXIM;
        if (IS(p, "smtpd"))
            return MT_MTA_OPENSMTPD;
        break;
    case 6:
        if (IS(p, "sm-mta"))
            return MT_MTA_SENDMAIL;
        break;
    case 8:
        if (IS(p, "sendmail"))
            return MT_MTA_SENDMAIL;
        break;
    case 12:
        if (IS(p, "sm-msp-queue"))
            return MT_MTA_SENDMAIL;
        break;
    default:
        break;
    }
    if (mt_postfix_is_program(p))
        return MT_MTA_POSTFIX;
    return MT_MTA_UNKNOWN;
}

/* Feeds one parsed line. */
void
mt_correlate_feed(struct mt_correlate *c, const struct mt_logline *l)
{
    enum mt_mta mta;
    bool used = false;

    c->stats.lines++;
    if (l->time_known && (!c->have_now || l->time > c->now)) {
        c->now = l->time;
        if (!c->have_now) {
            c->have_now = true;
            c->next_sweep = c->now + SWEEP_EVERY;
        }
    }
    if (c->have_now && c->now >= c->next_sweep) {
        sweep_all(c);
        c->next_sweep = c->now + SWEEP_EVERY;
    }
    mta = l->program.len > 0 ? detect(l) : MT_MTA_UNKNOWN;
    switch (mta) {
    case MT_MTA_POSTFIX:
        used = mt_correlate_postfix(c, l);
        break;
    case MT_MTA_EXIM:
        used = mt_correlate_exim(c, l);
        break;
    case MT_MTA_SENDMAIL:
        used = mt_correlate_sendmail(c, l);
        break;
    case MT_MTA_OPENSMTPD:
        used = mt_correlate_opensmtpd(c, l);
        break;
    case MT_MTA_UNKNOWN:
        /* A message part without prefix: whichever dialect reads it. */
        if (l->program.len == 0) {
            if ((used = mt_correlate_postfix(c, l)))
                mta = MT_MTA_POSTFIX;
            else if ((used = mt_correlate_exim(c, l)))
                mta = MT_MTA_EXIM;
            else if ((used = mt_correlate_opensmtpd(c, l)))
                mta = MT_MTA_OPENSMTPD;
        }
        break;
    }
    c->stats.mta_lines[mta]++;
    if (used)
        c->stats.used++;
}

/* Parses with the correlator's clock, then feeds. */
enum mt_status
mt_correlate_line(struct mt_correlate *c, const char *buf, size_t len, struct mt_error *err)
{
    struct mt_logline l;
    enum mt_status st = mt_logline_parse(&c->clock, buf, len, &l, err);

    if (st == MT_OK)
        mt_correlate_feed(c, &l);
    return st;
}

/* Flushes everything: end of input. */
void
mt_correlate_finish(struct mt_correlate *c)
{
    size_t i;

    /* Copies waiting for a mapping are complete as they are. */
    for (i = 0; i < c->tab[MT_TAB_MSG].hiwater; i++) {
        struct mt_cmsg *m = (struct mt_cmsg *)item_at(&c->tab[MT_TAB_MSG], i);
        if (m->h.key != 0 && (m->flags & MT_M_WAIT))
            mt_correlate_finish_msg(c, m, 0);
    }
    sweep(c, MT_TAB_SESS, INT64_MAX, false);
    sweep(c, MT_TAB_MSG, INT64_MAX, false);
    sweep(c, MT_TAB_ENDP, INT64_MAX, false);
    while (c->pend_count > 0) {
        struct mt_pending *p = &c->pend[c->pend_head];
        if (p->live) {
            p->live = false;
            p->ev.flags |= MT_EVENT_INCOMPLETE;
            emit_event(c, &p->ev);
        }
        c->pend_head = (c->pend_head + 1) % MT_CORRELATE_PENDING;
        c->pend_count--;
    }
}
