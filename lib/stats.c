/* stats.c - mergeable TLS aggregates over events and connections. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "util/date.h"
#include "util/span.h"
#include "util/strmap.h"

/* Lower-cases a domain into dst without a trailing dot; returns its length. */
static size_t
norm_domain(const char *src, char *dst, size_t dstsz)
{
    size_t n = 0;

    /* One pass: copy lower-cased up to the end or dstsz - 1 bytes. */
    while (n < dstsz - 1 && src[n] != '\0') {
        dst[n] = (char)mt_to_lower((unsigned char)src[n]);
        n++;
    }
    if (src[n] == '\0' && n > 0 && src[n - 1] == '.')
        n--; /* the trailing dot of a name that fitted */
    dst[n] = '\0';
    return n;
}

/* "YYYY-MM-DD" of a UTC time. */
void
mt_stats_day_str(int64_t t, char dst[11])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
    unsigned m, d, i;
    unsigned long yy;

    mt_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0;
    yy = (unsigned long)y;
    for (i = 0; i < 4; i++) {
        dst[3 - i] = (char)('0' + yy % 10);
        yy /= 10;
    }
    dst[4] = '-';
    dst[5] = (char)('0' + m / 10);
    dst[6] = (char)('0' + m % 10);
    dst[7] = '-';
    dst[8] = (char)('0' + d / 10);
    dst[9] = (char)('0' + d % 10);
    dst[10] = '\0';
}

/* Creates the tables. */
enum mt_status
mt_stats_init(struct mt_stats *s, size_t max_keys)
{
    int d;

    memset(s, 0, sizeof(*s));
    s->max_keys = max_keys > 0 ? max_keys : MT_STATS_MAX_KEYS;
    for (d = 0; d < 2; d++) {
        struct mt_stats_dir *sd = &s->dir[d];
        sd->domains = mt_strmap_new(sizeof(struct mt_stats_counts), s->max_keys);
        sd->ciphers = mt_strmap_new(sizeof(struct mt_stats_cipher), s->max_keys);
        sd->conn_ciphers = mt_strmap_new(sizeof(struct mt_stats_cipher), s->max_keys);
        sd->peers = mt_strmap_new(sizeof(struct mt_stats_peer), s->max_keys);
        if (!sd->domains || !sd->ciphers || !sd->conn_ciphers || !sd->peers)
            goto fail;
    }
    s->days = mt_strmap_new(sizeof(struct mt_stats_day), s->max_keys);
    if (s->days == NULL)
        goto fail;
    return MT_OK;
fail:
    mt_stats_done(s);
    return MT_ENOMEM;
}

/* Frees the tables. */
void
mt_stats_done(struct mt_stats *s)
{
    int d;

    if (s == NULL)
        return;
    for (d = 0; d < 2; d++) {
        mt_strmap_free(s->dir[d].domains);
        mt_strmap_free(s->dir[d].ciphers);
        mt_strmap_free(s->dir[d].conn_ciphers);
        mt_strmap_free(s->dir[d].peers);
    }
    mt_strmap_free(s->days);
    memset(s, 0, sizeof(*s));
}

/* Widens [*lo, *hi] (0 = unset) to include t. */
static void
span_time(int64_t *lo, int64_t *hi, int64_t t)
{
    if (t == 0)
        return;
    if (*lo == 0 || t < *lo)
        *lo = t;
    if (*hi == 0 || t > *hi)
        *hi = t;
}

/* Merges the time range [lo2, hi2] into [*lo, *hi]. */
static void
merge_range(int64_t *lo, int64_t *hi, int64_t lo2, int64_t hi2)
{
    span_time(lo, hi, lo2);
    span_time(lo, hi, hi2);
}

/* Index of the exact protocol of t (0 when vague or unknown). */
static unsigned
proto_index(const struct mt_tls *t)
{
    return mt_tls_proto_exact(t) && (unsigned)t->proto_max < MT_STATS_PROTO_N
               ? (unsigned)t->proto_max
               : 0;
}

/* The key a cipher is counted under: IANA name, else the raw spelling. */
static const char *
cipher_key(const struct mt_tls *t)
{
    if (t->cipher != NULL && t->cipher->iana != NULL)
        return t->cipher->iana;
    return t->cipher_raw;
}

/* Adds one message's TLS facts to counters. */
static void
count_message(struct mt_stats_counts *c, const struct mt_event *ev, enum mt_verdict v,
              enum mt_tri pfs)
{
    const struct mt_tls *t = &ev->tls;
    unsigned used = (unsigned)t->used < MT_STATS_TRI_N ? (unsigned)t->used : 0;

    c->messages++;
    c->tls[used]++;
    c->verdict[(unsigned)v < MT_VERDICT_COUNT ? (unsigned)v : 0]++;
    if ((unsigned)ev->status < MT_STATS_STATUS_N)
        c->status[ev->status]++;
    if (t->used == MT_TRI_YES) {
        c->proto[proto_index(t)]++;
        c->pfs[(unsigned)pfs < MT_STATS_TRI_N ? (unsigned)pfs : 0]++;
        c->trust[(unsigned)t->trust < MT_STATS_TRUST_N ? (unsigned)t->trust : 0]++;
        span_time(&c->first_tls, &c->last_tls, ev->time);
    } else if (t->used == MT_TRI_NO) {
        span_time(&c->first_plain, &c->last_plain, ev->time);
    }
}

/*
 * Counts a cipher in a cipher table; MT_ELIMIT when the table is full.
 * *rowp (when non-NULL) gets the row counted.
 */
static enum mt_status
count_cipher(struct mt_strmap *m, const struct mt_tls *t, enum mt_verdict v, enum mt_tri pfs,
             struct mt_stats_cipher **rowp)
{
    const char *k = cipher_key(t);
    struct mt_stats_cipher *row;
    bool created;
    enum mt_status st;

    st = mt_strmap_upsert(m, k, strlen(k), (void **)&row, &created);
    if (st != MT_OK)
        return st;
    if (created) {
        row->pfs = pfs;
        row->verdict = v;
        row->known = t->cipher != NULL;
    }
    row->count++;
    if (rowp != NULL)
        *rowp = row;
    return MT_OK;
}

/*
 * The cached row of a known cipher suite in table k (0 messages, 1
 * connections) of sd, or NULL: logs repeat a few suites, so most lookups
 * are a few pointer comparisons.
 */
static struct mt_stats_cipher *
cached_cipher(struct mt_stats_dir *sd, int k, const struct mt_cipher *c)
{
    unsigned i;

    if (c == NULL)
        return NULL;
    for (i = 0; i < MT_STATS_CIPHER_CACHE; i++)
        if (sd->cipher_key[k][i] == c)
            return sd->cipher_row[k][i];
    return NULL;
}

/* count_cipher() through the cache of table k (0 messages, 1 connections). */
static enum mt_status
count_cipher_cached(struct mt_stats_dir *sd, int k, const struct mt_tls *t, enum mt_verdict v,
                    enum mt_tri pfs)
{
    struct mt_stats_cipher *row = cached_cipher(sd, k, t->cipher);
    enum mt_status st;
    unsigned i;

    if (row != NULL) {
        row->count++;
        return MT_OK;
    }
    st = count_cipher(k == 0 ? sd->ciphers : sd->conn_ciphers, t, v, pfs, &row);
    if (st == MT_OK && row != NULL && t->cipher != NULL) {
        i = sd->cipher_next[k]++ % MT_STATS_CIPHER_CACHE;
        sd->cipher_key[k][i] = t->cipher;
        sd->cipher_row[k][i] = row;
    }
    return st;
}

/* Turns MT_ELIMIT into an overflow count; passes other statuses on. */
static enum mt_status
absorb(enum mt_status st, bool *overflowed)
{
    if (st == MT_ELIMIT) {
        *overflowed = true;
        return MT_OK;
    }
    return st;
}

/* Counts a message event. */
enum mt_status
mt_stats_add_event(struct mt_stats *s, const struct mt_event *ev)
{
    struct mt_stats_dir *sd = &s->dir[ev->dir == MT_DIR_OUT ? 1 : 0];
    const char *dom = ev->dir == MT_DIR_OUT ? ev->recipient_domain : ev->sender_domain;
    char key[MT_EV_HOST_MAX];
    struct mt_stats_counts *c;
    struct mt_stats_day *day;
    enum mt_verdict v = mt_tls_verdict(&ev->tls, NULL);
    enum mt_tri pfs = ev->tls.used == MT_TRI_YES ? mt_tls_pfs(&ev->tls) : MT_TRI_UNKNOWN;
    enum mt_status st;
    bool over = false;
    size_t n;
    int di = ev->dir == MT_DIR_OUT ? 1 : 0;

    s->events++;
    span_time(&s->first, &s->last, ev->time);
    count_message(&sd->total, ev, v, pfs);

    n = norm_domain(dom, key, sizeof(key));
    st = absorb(mt_strmap_upsert(sd->domains, key, n, (void **)&c, NULL), &over);
    if (st != MT_OK)
        return st;
    if (!over)
        count_message(c, ev, v, pfs);

    if (ev->tls.used == MT_TRI_YES) {
        st = absorb(count_cipher_cached(sd, 0, &ev->tls, v, pfs), &over);
        if (st != MT_OK)
            return st;
    }

    if (ev->time != 0) {
        int64_t dn = ev->time >= 0 ? ev->time / 86400 : -((-ev->time + 86399) / 86400);
        bool dover = false;
        day = dn == s->last_day ? s->last_day_row : NULL;
        if (day == NULL) {
            char dkey[11];
            mt_stats_day_str(ev->time, dkey);
            st = absorb(mt_strmap_upsert(s->days, dkey, 10, (void **)&day, NULL), &dover);
            if (st != MT_OK)
                return st;
            if (!dover) {
                s->last_day = dn;
                s->last_day_row = day;
            }
        }
        if (!dover) {
            day->messages[di]++;
            day->tls[di] += ev->tls.used == MT_TRI_YES;
            day->plain[di] += ev->tls.used == MT_TRI_NO;
        }
        over = over || dover;
    }
    if (over)
        s->overflow++;
    return MT_OK;
}

/* Records a failed handshake of a peer. */
static enum mt_status
count_failure(struct mt_stats_dir *sd, const struct mt_conn *c)
{
    struct mt_stats_peer *p;
    enum mt_status st;

    st = mt_strmap_upsert(sd->peers, c->peer_ip, strlen(c->peer_ip), (void **)&p, NULL);
    if (st != MT_OK)
        return st;
    p->failed++;
    span_time(&p->first_failed, &p->last_failed, c->time);
    if (c->time == 0 || c->time >= p->last_failed) {
        memcpy(p->host, c->peer_host, sizeof(p->host));
        memcpy(p->reason, c->reason, sizeof(p->reason));
    }
    return MT_OK;
}

/* Counts a connection record. */
enum mt_status
mt_stats_add_conn(struct mt_stats *s, const struct mt_conn *c)
{
    struct mt_stats_dir *sd = &s->dir[c->dir == MT_DIR_OUT ? 1 : 0];
    struct mt_stats_cipher *row;
    enum mt_status st = MT_OK;
    bool over = false;

    s->connections++;
    span_time(&s->first, &s->last, c->time);
    if ((unsigned)c->outcome < MT_STATS_OUTCOME_N)
        sd->conns.outcome[c->outcome]++;
    switch (c->outcome) {
    case MT_CONN_TLS:
        sd->conns.proto[proto_index(&c->tls)]++;
        row = cached_cipher(sd, 1, c->tls.cipher);
        if (row != NULL)
            row->count++; /* the verdict is needed for a new row only */
        else
            st = absorb(count_cipher_cached(sd, 1, &c->tls, mt_tls_verdict(&c->tls, NULL),
                                            mt_tls_pfs(&c->tls)),
                        &over);
        break;
    case MT_CONN_FAILED_TLS:
        st = absorb(count_failure(sd, c), &over);
        break;
    case MT_CONN_PLAINTEXT: {
        struct mt_stats_peer *p = mt_strmap_get(sd->peers, c->peer_ip, strlen(c->peer_ip));
        if (p != NULL && c->peer_ip[0] != '\0' && c->time >= p->first_failed) {
            p->plain_after++;
            if (c->time > p->last_plain_after)
                p->last_plain_after = c->time;
        }
        break;
    }
    }
    if (over)
        s->overflow++;
    return st;
}

/* Adds src counters into dst. */
static void
merge_counts(struct mt_stats_counts *d, const struct mt_stats_counts *s)
{
    size_t i;

    d->messages += s->messages;
    for (i = 0; i < MT_STATS_TRI_N; i++) {
        d->tls[i] += s->tls[i];
        d->pfs[i] += s->pfs[i];
    }
    for (i = 0; i < MT_STATS_PROTO_N; i++)
        d->proto[i] += s->proto[i];
    for (i = 0; i < MT_VERDICT_COUNT; i++)
        d->verdict[i] += s->verdict[i];
    for (i = 0; i < MT_STATS_TRUST_N; i++)
        d->trust[i] += s->trust[i];
    for (i = 0; i < MT_STATS_STATUS_N; i++)
        d->status[i] += s->status[i];
    merge_range(&d->first_tls, &d->last_tls, s->first_tls, s->last_tls);
    merge_range(&d->first_plain, &d->last_plain, s->first_plain, s->last_plain);
}

/* Merges one table into another with a per-entry merge function. */
static enum mt_status
merge_table(struct mt_stats *dst, struct mt_strmap *dm, const struct mt_strmap *sm,
            void (*fn)(void *d, const void *s, bool created))
{
    size_t it = 0, klen;
    const char *k;
    const void *sv;

    while ((sv = mt_strmap_next(sm, &it, &k, &klen)) != NULL) {
        void *dv;
        bool created;
        enum mt_status st = mt_strmap_upsert(dm, k, klen, &dv, &created);
        if (st == MT_ELIMIT) {
            dst->overflow++;
            continue;
        }
        if (st != MT_OK)
            return st;
        fn(dv, sv, created);
    }
    return MT_OK;
}

/* Per-entry merge: domain counters. */
static void
merge_domain(void *d, const void *s, bool created)
{
    (void)created;
    merge_counts(d, s);
}

/* Per-entry merge: cipher rows. */
static void
merge_cipher(void *d, const void *s, bool created)
{
    struct mt_stats_cipher *dc = d;
    const struct mt_stats_cipher *sc = s;

    if (created)
        *dc = *sc;
    else
        dc->count += sc->count;
}

/* Per-entry merge: days. */
static void
merge_day(void *d, const void *s, bool created)
{
    struct mt_stats_day *dd = d;
    const struct mt_stats_day *sd = s;
    int i;

    (void)created;
    for (i = 0; i < 2; i++) {
        dd->messages[i] += sd->messages[i];
        dd->tls[i] += sd->tls[i];
        dd->plain[i] += sd->plain[i];
    }
}

/* Per-entry merge: failing peers (the later failure's name and reason win). */
static void
merge_peer(void *d, const void *s, bool created)
{
    struct mt_stats_peer *dp = d;
    const struct mt_stats_peer *sp = s;

    if (created) {
        *dp = *sp;
        return;
    }
    if (sp->last_failed >= dp->last_failed) {
        memcpy(dp->host, sp->host, sizeof(dp->host));
        memcpy(dp->reason, sp->reason, sizeof(dp->reason));
    }
    dp->failed += sp->failed;
    merge_range(&dp->first_failed, &dp->last_failed, sp->first_failed, sp->last_failed);
    dp->plain_after += sp->plain_after;
    if (sp->last_plain_after > dp->last_plain_after)
        dp->last_plain_after = sp->last_plain_after;
}

/* Adds src into dst. */
enum mt_status
mt_stats_merge(struct mt_stats *dst, const struct mt_stats *src)
{
    enum mt_status st;
    int d;
    size_t i;

    for (d = 0; d < 2; d++) {
        struct mt_stats_dir *dd = &dst->dir[d];
        const struct mt_stats_dir *sd = &src->dir[d];
        merge_counts(&dd->total, &sd->total);
        for (i = 0; i < MT_STATS_OUTCOME_N; i++)
            dd->conns.outcome[i] += sd->conns.outcome[i];
        for (i = 0; i < MT_STATS_PROTO_N; i++)
            dd->conns.proto[i] += sd->conns.proto[i];
        if ((st = merge_table(dst, dd->domains, sd->domains, merge_domain)) != MT_OK ||
            (st = merge_table(dst, dd->ciphers, sd->ciphers, merge_cipher)) != MT_OK ||
            (st = merge_table(dst, dd->conn_ciphers, sd->conn_ciphers, merge_cipher)) != MT_OK ||
            (st = merge_table(dst, dd->peers, sd->peers, merge_peer)) != MT_OK)
            return st;
    }
    if ((st = merge_table(dst, dst->days, src->days, merge_day)) != MT_OK)
        return st;
    dst->events += src->events;
    dst->connections += src->connections;
    dst->overflow += src->overflow;
    merge_range(&dst->first, &dst->last, src->first, src->last);
    return MT_OK;
}

/* Sort keys of the tables. */
static uint64_t
row_weight(enum mt_stats_table t, const void *v)
{
    switch (t) {
    case MT_STATS_DOMAINS:
        return ((const struct mt_stats_counts *)v)->messages;
    case MT_STATS_CIPHERS:
    case MT_STATS_CONN_CIPHERS:
        return ((const struct mt_stats_cipher *)v)->count;
    case MT_STATS_PEERS:
        return ((const struct mt_stats_peer *)v)->failed;
    case MT_STATS_DAYS:
        return 0;
    }
    return 0;
}

struct sortrow {
    struct mt_stats_row row;
    uint64_t weight;
};

/* Heavier first, then by key. */
static int
cmp_rows(const void *a, const void *b)
{
    const struct sortrow *x = a, *y = b;

    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return strcmp(x->row.key, y->row.key);
}

/* Lists a table, sorted. */
enum mt_status
mt_stats_list(const struct mt_stats *s, enum mt_stats_table t, enum mt_direction d,
              struct mt_stats_row **rows, size_t *n)
{
    const struct mt_stats_dir *sd = &s->dir[d == MT_DIR_OUT ? 1 : 0];
    const struct mt_strmap *m = NULL;
    struct sortrow *tmp;
    size_t count, it = 0, i = 0;
    const char *k;
    const void *v;

    switch (t) {
    case MT_STATS_DOMAINS:
        m = sd->domains;
        break;
    case MT_STATS_CIPHERS:
        m = sd->ciphers;
        break;
    case MT_STATS_CONN_CIPHERS:
        m = sd->conn_ciphers;
        break;
    case MT_STATS_PEERS:
        m = sd->peers;
        break;
    case MT_STATS_DAYS:
        m = s->days;
        break;
    }
    *rows = NULL;
    *n = 0;
    if (m == NULL || (count = mt_strmap_count(m)) == 0)
        return MT_OK;
    tmp = calloc(count, sizeof(*tmp));
    if (tmp == NULL)
        return MT_ENOMEM;
    while (i < count && (v = mt_strmap_next(m, &it, &k, NULL)) != NULL) {
        tmp[i].row.key = k;
        tmp[i].row.val = v;
        tmp[i].weight = row_weight(t, v);
        i++;
    }
    qsort(tmp, i, sizeof(*tmp), cmp_rows);
    /* Copy out into the public row type. */
    *rows = malloc(i * sizeof(**rows));
    if (*rows == NULL) {
        free(tmp);
        return MT_ENOMEM;
    }
    for (count = 0; count < i; count++)
        (*rows)[count] = tmp[count].row;
    free(tmp);
    *n = i;
    return MT_OK;
}

/* TLS and plaintext in the same period. */
int
mt_stats_is_downgrade(const struct mt_stats_counts *c)
{
    return c->tls[MT_TRI_YES] > 0 && c->tls[MT_TRI_NO] > 0;
}
