/* test_stats.c - aggregates from events and connections, and their merge. */
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util/strmap.h"
#include "mt_test.h"

#define DAY 86400
#define T0  1729641600 /* 2024-10-23T00:00:00Z */

/* A message event. proto NULL = plaintext; "" = TLS without details. */
static struct mt_event
msg(enum mt_direction dir, const char *domain, int64_t t, const char *proto, const char *cipher)
{
    struct mt_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.time = t;
    ev.dir = dir;
    ev.mta = MT_MTA_POSTFIX;
    ev.status = dir == MT_DIR_IN ? MT_MSG_RECEIVED : MT_MSG_SENT;
    strcpy(ev.host, "mx1");
    strcpy(dir == MT_DIR_IN ? ev.sender_domain : ev.recipient_domain, domain);
    mt_tls_init(&ev.tls);
    if (proto == NULL) {
        mt_tls_set_plaintext(&ev.tls);
    } else {
        ev.tls.used = MT_TRI_YES;
        if (proto[0] != '\0')
            mt_tls_set_protocol(&ev.tls, proto, strlen(proto));
        if (cipher != NULL)
            mt_tls_set_cipher(&ev.tls, cipher, strlen(cipher));
    }
    return ev;
}

/* A connection record. */
static struct mt_conn
conn(enum mt_direction dir, enum mt_conn_outcome o, const char *ip, int64_t t, const char *proto)
{
    struct mt_conn c;

    memset(&c, 0, sizeof(c));
    c.time = t;
    c.dir = dir;
    c.outcome = o;
    strcpy(c.peer_ip, ip);
    strcpy(c.peer_host, "peer.example");
    mt_tls_init(&c.tls);
    if (o == MT_CONN_TLS) {
        mt_tls_set_protocol(&c.tls, proto, strlen(proto));
        mt_tls_set_cipher(&c.tls, "ECDHE-RSA-AES256-GCM-SHA384", 27);
    } else {
        mt_tls_set_plaintext(&c.tls);
        if (o == MT_CONN_FAILED_TLS)
            strcpy(c.reason, "handshake failure");
    }
    return c;
}

/* The test data, in two halves as two MX hosts would see it. */
static void
feed(struct mt_stats *s, int half)
{
    struct mt_event e;
    struct mt_conn c;

    if (half == 0) {
        e = msg(MT_DIR_IN, "Example.ORG.", T0 + 10, "TLSv1.3", "TLS_AES_256_GCM_SHA384");
        CHECK_INT(mt_stats_add_event(s, &e), MT_OK);
        e = msg(MT_DIR_IN, "example.org", T0 + DAY + 5, NULL, NULL);
        CHECK_INT(mt_stats_add_event(s, &e), MT_OK);
        e = msg(MT_DIR_IN, "", T0 + 20, "TLSv1", "AES128-SHA");
        CHECK_INT(mt_stats_add_event(s, &e), MT_OK);
        e = msg(MT_DIR_OUT, "gmail.com", T0 + 30, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384");
        e.tls.trust = MT_TRUST_VERIFIED;
        CHECK_INT(mt_stats_add_event(s, &e), MT_OK);
        c = conn(MT_DIR_IN, MT_CONN_FAILED_TLS, "192.0.2.1", T0 + 40, NULL);
        CHECK_INT(mt_stats_add_conn(s, &c), MT_OK);
        c = conn(MT_DIR_IN, MT_CONN_PLAINTEXT, "192.0.2.1", T0 + 41, NULL);
        CHECK_INT(mt_stats_add_conn(s, &c), MT_OK);
        c = conn(MT_DIR_IN, MT_CONN_PLAINTEXT, "192.0.2.9", T0 + 41, NULL);
        CHECK_INT(mt_stats_add_conn(s, &c), MT_OK);
    } else {
        e = msg(MT_DIR_IN, "example.org", T0 + DAY + 50, "TLSv1.2", "");
        CHECK_INT(mt_stats_add_event(s, &e), MT_OK);
        e = msg(MT_DIR_OUT, "gmail.com", T0 + DAY + 60, NULL, NULL);
        e.status = MT_MSG_DEFERRED;
        CHECK_INT(mt_stats_add_event(s, &e), MT_OK);
        e = msg(MT_DIR_OUT, "plain.example", T0 + DAY + 70, NULL, NULL);
        CHECK_INT(mt_stats_add_event(s, &e), MT_OK);
        c = conn(MT_DIR_OUT, MT_CONN_TLS, "198.51.100.7", T0 + DAY, "TLSv1.2");
        CHECK_INT(mt_stats_add_conn(s, &c), MT_OK);
        c = conn(MT_DIR_OUT, MT_CONN_TLS, "198.51.100.7", T0 + DAY, "TLSv1.3");
        CHECK_INT(mt_stats_add_conn(s, &c), MT_OK);
        c = conn(MT_DIR_IN, MT_CONN_FAILED_TLS, "192.0.2.1", T0 + DAY, NULL);
        strcpy(c.reason, "no shared cipher");
        CHECK_INT(mt_stats_add_conn(s, &c), MT_OK);
    }
}

/* Finds a row by key in a listed table; NULL when absent. */
static const void *
row(const struct mt_stats *s, enum mt_stats_table t, enum mt_direction d, const char *key)
{
    struct mt_stats_row *rows;
    size_t n, i;
    const void *v = NULL;

    CHECK_INT(mt_stats_list(s, t, d, &rows, &n), MT_OK);
    for (i = 0; i < n; i++)
        if (strcmp(rows[i].key, key) == 0)
            v = rows[i].val;
    free(rows);
    return v;
}

/* What one stats object over all the data must say. */
static void
check_all(const struct mt_stats *s)
{
    const struct mt_stats_counts *in = &s->dir[MT_DIR_IN].total, *out = &s->dir[MT_DIR_OUT].total;
    const struct mt_stats_counts *org, *gmail;
    const struct mt_stats_day *d1, *d2;
    const struct mt_stats_peer *p;
    struct mt_stats_row *rows;
    size_t n;

    CHECK_INT(s->events, 7);
    CHECK_INT(s->connections, 6);
    CHECK_INT(s->overflow, 0);
    CHECK_INT(s->first, T0 + 10);
    CHECK_INT(s->last, T0 + DAY + 70);
    CHECK_INT(in->messages, 4);
    CHECK_INT(in->tls[MT_TRI_YES], 3);
    CHECK_INT(in->tls[MT_TRI_NO], 1);
    CHECK_INT(in->proto[MT_PROTO_TLS13], 1);
    CHECK_INT(in->proto[MT_PROTO_TLS10], 1);
    CHECK_INT(in->proto[MT_PROTO_TLS12], 1);
    CHECK_INT(in->verdict[MT_VERDICT_PLAINTEXT], 1);
    CHECK_INT(in->verdict[MT_VERDICT_DEPRECATED], 1);
    CHECK_INT(in->pfs[MT_TRI_YES] + in->pfs[MT_TRI_NO] + in->pfs[MT_TRI_UNKNOWN], 3);
    CHECK_INT(in->status[MT_MSG_RECEIVED], 4);
    CHECK_INT(out->messages, 3);
    CHECK_INT(out->status[MT_MSG_SENT], 2);
    CHECK_INT(out->status[MT_MSG_DEFERRED], 1);
    CHECK_INT(out->trust[MT_TRUST_VERIFIED], 1);

    /* Domains fold case and the trailing dot; TLS then plaintext = suspect. */
    org = row(s, MT_STATS_DOMAINS, MT_DIR_IN, "example.org");
    CHECK(org != NULL);
    if (org != NULL) {
        CHECK_INT(org->messages, 3);
        CHECK_INT(org->tls[MT_TRI_YES], 2);
        CHECK_INT(org->tls[MT_TRI_NO], 1);
        CHECK_INT(org->first_tls, T0 + 10);
        CHECK_INT(org->last_tls, T0 + DAY + 50);
        CHECK_INT(org->first_plain, T0 + DAY + 5);
        CHECK(mt_stats_is_downgrade(org));
    }
    CHECK(row(s, MT_STATS_DOMAINS, MT_DIR_IN, "Example.ORG.") == NULL);
    CHECK(row(s, MT_STATS_DOMAINS, MT_DIR_IN, "") != NULL); /* null sender */
    gmail = row(s, MT_STATS_DOMAINS, MT_DIR_OUT, "gmail.com");
    CHECK(gmail != NULL && mt_stats_is_downgrade(gmail));
    CHECK(!mt_stats_is_downgrade(row(s, MT_STATS_DOMAINS, MT_DIR_OUT, "plain.example")));

    /* Sorted by messages, heaviest first. */
    CHECK_INT(mt_stats_list(s, MT_STATS_DOMAINS, MT_DIR_IN, &rows, &n), MT_OK);
    CHECK_INT(n, 2);
    if (n == 2)
        CHECK_STR(rows[0].key, "example.org");
    free(rows);

    /* Days in date order. */
    CHECK_INT(mt_stats_list(s, MT_STATS_DAYS, MT_DIR_IN, &rows, &n), MT_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(rows[0].key, "2024-10-23");
        CHECK_STR(rows[1].key, "2024-10-24");
        d1 = rows[0].val;
        d2 = rows[1].val;
        CHECK_INT(d1->messages[MT_DIR_IN], 2);
        CHECK_INT(d1->tls[MT_DIR_IN], 2);
        CHECK_INT(d1->messages[MT_DIR_OUT], 1);
        CHECK_INT(d2->messages[MT_DIR_IN], 2);
        CHECK_INT(d2->plain[MT_DIR_IN], 1);
        CHECK_INT(d2->plain[MT_DIR_OUT], 2);
    }
    free(rows);

    /* Connections. */
    CHECK_INT(s->dir[MT_DIR_IN].conns.outcome[MT_CONN_FAILED_TLS], 2);
    CHECK_INT(s->dir[MT_DIR_IN].conns.outcome[MT_CONN_PLAINTEXT], 2);
    CHECK_INT(s->dir[MT_DIR_OUT].conns.outcome[MT_CONN_TLS], 2);
    CHECK_INT(s->dir[MT_DIR_OUT].conns.proto[MT_PROTO_TLS12], 1);
    CHECK_INT(s->dir[MT_DIR_OUT].conns.proto[MT_PROTO_TLS13], 1);
    CHECK_INT(mt_stats_list(s, MT_STATS_CONN_CIPHERS, MT_DIR_OUT, &rows, &n), MT_OK);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_INT(((const struct mt_stats_cipher *)rows[0].val)->count, 2);
    free(rows);

    /* A failed handshake, then plaintext from the same IP. */
    p = row(s, MT_STATS_PEERS, MT_DIR_IN, "192.0.2.1");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_INT(p->failed, 2);
        CHECK_INT(p->first_failed, T0 + 40);
        CHECK_INT(p->last_failed, T0 + DAY);
        CHECK_INT(p->plain_after, 1);
        CHECK_STR(p->reason, "no shared cipher");
    }
    CHECK(row(s, MT_STATS_PEERS, MT_DIR_IN, "192.0.2.9") == NULL);
}

/* Every row of every table of a equals b's. */
static void
check_equal(const struct mt_stats *a, const struct mt_stats *b)
{
    static const size_t sizes[] = { sizeof(struct mt_stats_counts), sizeof(struct mt_stats_cipher),
                                    sizeof(struct mt_stats_cipher), sizeof(struct mt_stats_peer),
                                    sizeof(struct mt_stats_day) };
    int t, d;

    CHECK(memcmp(&a->dir[0].total, &b->dir[0].total, sizeof(a->dir[0].total)) == 0);
    CHECK(memcmp(&a->dir[1].total, &b->dir[1].total, sizeof(a->dir[1].total)) == 0);
    CHECK(memcmp(&a->dir[0].conns, &b->dir[0].conns, sizeof(a->dir[0].conns)) == 0);
    CHECK(memcmp(&a->dir[1].conns, &b->dir[1].conns, sizeof(a->dir[1].conns)) == 0);
    for (t = MT_STATS_DOMAINS; t <= MT_STATS_DAYS; t++) {
        for (d = 0; d < 2; d++) {
            struct mt_stats_row *ra, *rb;
            size_t na, nb, i;
            CHECK_INT(mt_stats_list(a, (enum mt_stats_table)t, (enum mt_direction)d, &ra, &na),
                      MT_OK);
            CHECK_INT(mt_stats_list(b, (enum mt_stats_table)t, (enum mt_direction)d, &rb, &nb),
                      MT_OK);
            CHECK_INT(na, nb);
            for (i = 0; i < na && i < nb; i++) {
                CHECK_STR(ra[i].key, rb[i].key);
                CHECK(memcmp(ra[i].val, rb[i].val, sizes[t]) == 0);
            }
            free(ra);
            free(rb);
        }
    }
}

/* Two halves merged equal the whole, in either order; merging empty is neutral. */
static void
test_merge(void)
{
    struct mt_stats all, a, b, empty;

    CHECK_INT(mt_stats_init(&all, 0), MT_OK);
    CHECK_INT(mt_stats_init(&a, 0), MT_OK);
    CHECK_INT(mt_stats_init(&b, 0), MT_OK);
    CHECK_INT(mt_stats_init(&empty, 0), MT_OK);
    feed(&all, 0);
    feed(&all, 1);
    check_all(&all);
    feed(&a, 0);
    feed(&b, 1);
    CHECK_INT(mt_stats_merge(&a, &b), MT_OK);
    check_all(&a);
    check_equal(&a, &all);
    CHECK_INT(mt_stats_merge(&a, &empty), MT_OK);
    check_equal(&a, &all);
    mt_stats_done(&a);
    mt_stats_done(&b);

    /* The other order. */
    CHECK_INT(mt_stats_init(&a, 0), MT_OK);
    CHECK_INT(mt_stats_init(&b, 0), MT_OK);
    feed(&a, 0);
    feed(&b, 1);
    CHECK_INT(mt_stats_merge(&b, &a), MT_OK);
    check_equal(&b, &all);
    /* Merging a into an empty object copies it. */
    CHECK_INT(mt_stats_merge(&empty, &all), MT_OK);
    check_equal(&empty, &all);
    mt_stats_done(&a);
    mt_stats_done(&b);
    mt_stats_done(&all);
    mt_stats_done(&empty);
    mt_stats_done(NULL);
}

/* Tables are bounded: records beyond max_keys are counted, not lost. */
static void
test_bounded(void)
{
    struct mt_stats s;
    struct mt_event e;
    char dom[32];
    int i;

    CHECK_INT(mt_stats_init(&s, 10), MT_OK);
    for (i = 0; i < 25; i++) {
        snprintf(dom, sizeof(dom), "d%d.example", i);
        e = msg(MT_DIR_OUT, dom, T0 + i, NULL, NULL);
        CHECK_INT(mt_stats_add_event(&s, &e), MT_OK);
    }
    CHECK_INT(mt_strmap_count(s.dir[MT_DIR_OUT].domains), 10);
    CHECK_INT(s.dir[MT_DIR_OUT].total.messages, 25);
    CHECK_INT(s.overflow, 15);
    mt_stats_done(&s);
}

/* UTC dates, including before the epoch and leap days. */
static void
test_days(void)
{
    char d[11];

    mt_stats_day_str(0, d);
    CHECK_STR(d, "1970-01-01");
    mt_stats_day_str(-1, d);
    CHECK_STR(d, "1969-12-31");
    mt_stats_day_str(951782400, d); /* 2000-02-29 */
    CHECK_STR(d, "2000-02-29");
    mt_stats_day_str(T0 + DAY - 1, d);
    CHECK_STR(d, "2024-10-23");
    mt_stats_day_str(4102444800LL, d);
    CHECK_STR(d, "2100-01-01");
}

int
main(void)
{
    test_merge();
    test_bounded();
    test_days();
    return mt_test_done();
}
