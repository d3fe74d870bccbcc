/*
 * test_store.c - the contract every store backend must pass.
 *
 * Usage: test_store URI-PREFIX. The suite appends a fresh name to the
 * prefix for every store it opens ("sqlite:/var/tmp/x/" + "t1.db"), so the
 * same program tests another backend when given its URI prefix. Run by
 * meson against SQLite in a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mt_test.h"
#include "store.h"

static const char *prefix;
static int serial;

/* Opens a fresh store. */
static struct mt_store *
fresh(void)
{
    char uri[4096];
    struct mt_store *s = NULL;
    struct mt_error err;

    snprintf(uri, sizeof(uri), "%st%d.db", prefix, ++serial);
    if (mt_store_open(uri, NULL, &s, &err) != MT_OK) {
        fprintf(stderr, "open %s: %s\n", uri, err.msg);
        exit(99);
    }
    return s;
}

/* An observation of domain from ip with a verdict at time t. */
static struct mt_observation
obs(const char *domain, const char *ip, enum mt_verdict v, int64_t t)
{
    struct mt_observation o;

    memset(&o, 0, sizeof(o));
    o.time = t;
    snprintf(o.domain, sizeof(o.domain), "%s", domain);
    snprintf(o.sender_hash, sizeof(o.sender_hash), "%064d", 7);
    snprintf(o.client_ip, sizeof(o.client_ip), "%s", ip);
    snprintf(o.client_helo, sizeof(o.client_helo), "mx.%s", domain);
    snprintf(o.queue_id, sizeof(o.queue_id), "Q%lld", (long long)t);
    o.verdict = v;
    o.used = v == MT_VERDICT_PLAINTEXT ? MT_TRI_NO : MT_TRI_YES;
    snprintf(o.protocol, sizeof(o.protocol), "%s",
             v == MT_VERDICT_OK           ? "TLSv1.3"
             : v == MT_VERDICT_DEPRECATED ? "TLSv1.0"
                                          : "");
    snprintf(o.cipher, sizeof(o.cipher), "%s", v == MT_VERDICT_OK ? "TLS_AES_256_GCM_SHA384" : "");
    o.bits = v == MT_VERDICT_PLAINTEXT ? -1 : 256;
    o.pfs = MT_TRI_UNKNOWN;
    snprintf(o.decision, sizeof(o.decision), "not-triggered");
    return o;
}

struct collect {
    int n;
    char names[16][300];
    long long total;
};

/* Collects domain names in iteration order. */
static int
collect_domain(const struct mt_domain_row *d, void *arg)
{
    struct collect *c = arg;

    if (c->n < 16)
        snprintf(c->names[c->n], sizeof(c->names[0]), "%s", d->domain);
    c->n++;
    return 0;
}

/* Counts observations. */
static int
count_obs(const struct mt_observation *o, void *arg)
{
    struct collect *c = arg;

    if (c->n < 16)
        snprintf(c->names[c->n], sizeof(c->names[0]), "%s", o->queue_id);
    c->n++;
    return 0;
}

/* Counts notices. */
static int
count_notice(const struct mt_notice_row *n, void *arg)
{
    struct collect *c = arg;

    if (c->n < 16)
        snprintf(c->names[c->n], sizeof(c->names[0]), "%s:%s", n->kind, n->status);
    c->n++;
    return 0;
}

/* Counts suppressions. */
static int
count_supp(const struct mt_suppression *x, void *arg)
{
    struct collect *c = arg;

    if (c->n < 16)
        snprintf(c->names[c->n], sizeof(c->names[0]), "%s", x->key);
    c->n++;
    return 0;
}

/* Aggregates, best/latest facts and downgrade detection. */
static void
test_record(void)
{
    struct mt_store *s = fresh();
    struct mt_observation o;
    struct mt_record_result r;
    struct mt_domain_row d;
    struct mt_host_row hr;
    struct mt_error err;
    struct collect c;

    o = obs("sender.example", "192.0.2.1", MT_VERDICT_DEPRECATED, 1000);
    CHECK(mt_store_record(s, &o, &r, &err) == MT_OK);
    CHECK(r.new_domain && r.new_host && !r.domain_downgrade);
    o = obs("sender.example", "192.0.2.1", MT_VERDICT_OK, 2000);
    CHECK(mt_store_record(s, &o, &r, &err) == MT_OK);
    CHECK(!r.new_domain && !r.new_host);
    CHECK_INT(r.domain_last_tls, 1000);
    o = obs("sender.example", "192.0.2.1", MT_VERDICT_PLAINTEXT, 3000);
    CHECK(mt_store_record(s, &o, &r, &err) == MT_OK);
    CHECK(r.domain_downgrade && r.host_downgrade);
    CHECK_INT(r.domain_last_tls, 2000);
    CHECK_INT(r.host_last_tls, 2000);
    /* A new host of a known domain: domain downgrade only. */
    o = obs("sender.example", "192.0.2.2", MT_VERDICT_PLAINTEXT, 3500);
    CHECK(mt_store_record(s, &o, &r, &err) == MT_OK);
    CHECK(r.domain_downgrade && !r.host_downgrade && r.new_host);
    /* Plaintext from a domain never seen with TLS is not a downgrade. */
    o = obs("plain.example", "198.51.100.7", MT_VERDICT_PLAINTEXT, 4000);
    CHECK(mt_store_record(s, &o, &r, &err) == MT_OK);
    CHECK(!r.domain_downgrade && !r.host_downgrade);
    /* Null sender: host only. */
    o = obs("", "198.51.100.7", MT_VERDICT_OK, 4500);
    CHECK(mt_store_record(s, &o, &r, &err) == MT_OK);
    CHECK(mt_store_domain_get(s, "", &d, &err) == MT_NOTFOUND);

    CHECK(mt_store_domain_get(s, "sender.example", &d, &err) == MT_OK);
    CHECK_STR(d.domain, "sender.example");
    CHECK_INT(d.messages, 4);
    CHECK_INT(d.first_seen, 1000);
    CHECK_INT(d.last_seen, 3500);
    CHECK_INT(d.last_tls, 2000);
    CHECK_INT(d.last_plaintext, 3500);
    CHECK_INT(d.by_verdict[MT_VERDICT_DEPRECATED], 1);
    CHECK_INT(d.by_verdict[MT_VERDICT_OK], 1);
    CHECK_INT(d.by_verdict[MT_VERDICT_PLAINTEXT], 2);
    CHECK_INT(d.best_verdict, MT_VERDICT_OK);
    CHECK_STR(d.best_protocol, "TLSv1.3");
    CHECK_STR(d.best_cipher, "TLS_AES_256_GCM_SHA384");
    CHECK_INT(d.latest_verdict, MT_VERDICT_PLAINTEXT);
    CHECK_STR(d.latest_protocol, "");
    CHECK_INT(d.notices, 0);
    CHECK(mt_store_domain_get(s, "nosuch.example", &d, &err) == MT_NOTFOUND);

    CHECK(mt_store_host_get(s, "192.0.2.1", &hr, &err) == MT_OK);
    CHECK_INT(hr.messages, 3);
    CHECK_INT(hr.last_tls, 2000);
    CHECK_INT(hr.best_verdict, MT_VERDICT_OK);
    CHECK_STR(hr.domain, "sender.example");
    CHECK_STR(hr.best_protocol, "TLSv1.3");
    CHECK_STR(hr.best_cipher, "TLS_AES_256_GCM_SHA384");
    CHECK_INT(hr.latest_verdict, MT_VERDICT_PLAINTEXT);
    CHECK_STR(hr.latest_protocol, "");
    CHECK(mt_store_host_get(s, "198.51.100.7", &hr, &err) == MT_OK);
    CHECK_INT(hr.messages, 2);
    CHECK(mt_store_host_get(s, "203.0.113.1", &hr, &err) == MT_NOTFOUND);

    /* Iteration orders and filters. */
    {
        struct mt_domain_query q = { MT_SORT_MESSAGES, -1 };
        memset(&c, 0, sizeof(c));
        CHECK(mt_store_domains_each(s, &q, collect_domain, &c, &err) == MT_OK);
        CHECK_INT(c.n, 2);
        CHECK_STR(c.names[0], "sender.example");
        q.sort = MT_SORT_DOMAIN;
        memset(&c, 0, sizeof(c));
        CHECK(mt_store_domains_each(s, &q, collect_domain, &c, &err) == MT_OK);
        CHECK_STR(c.names[0], "plain.example");
        q.sort = MT_SORT_LAST_SEEN;
        memset(&c, 0, sizeof(c));
        CHECK(mt_store_domains_each(s, &q, collect_domain, &c, &err) == MT_OK);
        CHECK_STR(c.names[0], "plain.example");
        q.sort = MT_SORT_PLAINTEXT;
        memset(&c, 0, sizeof(c));
        CHECK(mt_store_domains_each(s, &q, collect_domain, &c, &err) == MT_OK);
        CHECK_STR(c.names[0], "sender.example");
        q.verdict = MT_VERDICT_DEPRECATED;
        memset(&c, 0, sizeof(c));
        CHECK(mt_store_domains_each(s, &q, collect_domain, &c, &err) == MT_OK);
        CHECK_INT(c.n, 1);
        CHECK_STR(c.names[0], "sender.example");
    }
    memset(&c, 0, sizeof(c));
    CHECK(mt_store_observations_each(s, 0, INT64_MAX, count_obs, &c, &err) == MT_OK);
    CHECK_INT(c.n, 6);
    CHECK_STR(c.names[0], "Q1000");
    memset(&c, 0, sizeof(c));
    CHECK(mt_store_observations_each(s, 2000, 3500, count_obs, &c, &err) == MT_OK);
    CHECK_INT(c.n, 2);
    mt_store_close(s);
}

/* Keeps the last observation iterated over. */
static int
keep_obs(const struct mt_observation *o, void *arg)
{
    *(struct mt_observation *)arg = *o;
    return 0;
}

/*
 * Every fact of an observation comes back, and the report's event made of
 * it has the verdict the TLS facts had when they were recorded - also for a
 * protocol range (Sendmail's "TLSv1/SSLv3"), which only the spelling as
 * written keeps.
 */
static void
test_observation_event(void)
{
    static const struct {
        const char *proto, *cipher;
    } cases[] = {
        { "TLSv1/SSLv3", "DHE-RSA-AES256-SHA" },
        { "TLSv1/SSLv3", "ECDHE-RSA-AES256-GCM-SHA384" },
        { "TLSv1.2", "ECDHE-RSA-AES128-SHA256" },
        { "TLSv1", "AES256-SHA" },
        { "TLSv1.3", "TLS_AES_256_GCM_SHA384" },
        { "", "ECDHE_RSA_AES_256_GCM_SHA384" },
        { "TLSv1.2", "" },
        { "", "NO-SUCH-CIPHER" },
    };
    struct mt_store *s = fresh();
    struct mt_observation o, back;
    struct mt_record_result rr;
    struct mt_error err;
    struct mt_event ev;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mt_tls t;
        unsigned reasons = 0;
        mt_tls_init(&t);
        if (cases[i].proto[0] != '\0')
            mt_tls_set_protocol(&t, cases[i].proto, strlen(cases[i].proto));
        if (cases[i].cipher[0] != '\0')
            mt_tls_set_cipher(&t, cases[i].cipher, strlen(cases[i].cipher));
        t.used = MT_TRI_YES;
        t.bits = 256;
        t.trust = MT_TRUST_ANONYMOUS;
        snprintf(t.kex_group, sizeof(t.kex_group), "X25519");
        snprintf(t.signature, sizeof(t.signature), "RSA-PSS (2048 bits)");
        o = obs("sender.example", "192.0.2.44", MT_VERDICT_OK, 5000 + (int64_t)i);
        o.verdict = mt_tls_verdict(&t, &reasons);
        o.reasons = reasons;
        o.protocol[0] = o.cipher[0] = '\0';
        if (mt_tls_proto_exact(&t))
            snprintf(o.protocol, sizeof(o.protocol), "%s", mt_proto_str(t.proto_max));
        snprintf(o.cipher, sizeof(o.cipher), "%s", cases[i].cipher);
        snprintf(o.protocol_raw, sizeof(o.protocol_raw), "%s", t.protocol_raw);
        snprintf(o.cipher_raw, sizeof(o.cipher_raw), "%s", t.cipher_raw);
        snprintf(o.kex_group, sizeof(o.kex_group), "%s", t.kex_group);
        snprintf(o.signature, sizeof(o.signature), "%s", t.signature);
        snprintf(o.client_name, sizeof(o.client_name), "mail.sender.example");
        snprintf(o.our_host, sizeof(o.our_host), "mx.example.org");
        o.trust = MT_TRUST_ANONYMOUS;
        CHECK(mt_store_record(s, &o, &rr, &err) == MT_OK);
        memset(&back, 0, sizeof(back));
        CHECK(mt_store_observations_each(s, o.time, o.time + 1, keep_obs, &back, &err) == MT_OK);
        CHECK_INT(back.time, o.time);
        CHECK_STR(back.domain, o.domain);
        CHECK_STR(back.sender_hash, o.sender_hash);
        CHECK_STR(back.client_ip, o.client_ip);
        CHECK_STR(back.client_helo, o.client_helo);
        CHECK_STR(back.queue_id, o.queue_id);
        CHECK_INT(back.verdict, o.verdict);
        CHECK_INT(back.reasons, o.reasons);
        CHECK_INT(back.used, o.used);
        CHECK_STR(back.protocol, o.protocol);
        CHECK_STR(back.cipher, o.cipher);
        CHECK_INT(back.bits, o.bits);
        CHECK_INT(back.pfs, o.pfs);
        CHECK_INT(back.spf_pass, o.spf_pass);
        CHECK_STR(back.decision, o.decision);
        CHECK_STR(back.client_name, o.client_name);
        CHECK_STR(back.our_host, o.our_host);
        CHECK_STR(back.protocol_raw, o.protocol_raw);
        CHECK_STR(back.cipher_raw, o.cipher_raw);
        CHECK_INT(back.trust, o.trust);
        CHECK_STR(back.kex_group, o.kex_group);
        CHECK_STR(back.signature, o.signature);
        mt_store_observation_event(&back, &ev);
        CHECK_INT(ev.time, o.time);
        CHECK_INT(ev.dir, MT_DIR_IN);
        CHECK_INT(ev.status, MT_MSG_RECEIVED);
        CHECK_STR(ev.host, "mx.example.org");
        CHECK_STR(ev.peer_host, "mail.sender.example");
        CHECK_STR(ev.peer_ip, "192.0.2.44");
        CHECK_STR(ev.queue_id, o.queue_id);
        CHECK_STR(ev.sender, "");
        CHECK_STR(ev.sender_domain, "sender.example");
        CHECK_INT(ev.tls.used, MT_TRI_YES);
        CHECK_INT(ev.tls.proto_min, t.proto_min);
        CHECK_INT(ev.tls.proto_max, t.proto_max);
        CHECK(ev.tls.cipher == t.cipher);
        CHECK_STR(ev.tls.cipher_raw, t.cipher_raw);
        CHECK_INT(ev.tls.trust, MT_TRUST_ANONYMOUS);
        CHECK_STR(ev.tls.signature, "RSA-PSS (2048 bits)");
        CHECK_INT(mt_tls_verdict(&ev.tls, NULL), o.verdict);
        CHECK_INT(mt_tls_pfs(&ev.tls), mt_tls_pfs(&t));
    }
    /* Plaintext, unknown, and a row without the raw spellings (as recorded
       before schema version 3): the normalised names are used. */
    o = obs("plain.example", "192.0.2.45", MT_VERDICT_PLAINTEXT, 6000);
    mt_store_observation_event(&o, &ev);
    CHECK_INT(ev.tls.used, MT_TRI_NO);
    CHECK_INT(mt_tls_verdict(&ev.tls, NULL), MT_VERDICT_PLAINTEXT);
    o.used = MT_TRI_UNKNOWN;
    mt_store_observation_event(&o, &ev);
    CHECK_INT(mt_tls_verdict(&ev.tls, NULL), MT_VERDICT_UNKNOWN);
    o = obs("old.example", "192.0.2.46", MT_VERDICT_OK, 6001);
    mt_store_observation_event(&o, &ev);
    CHECK_INT(ev.tls.proto_max, MT_PROTO_TLS13);
    CHECK(ev.tls.cipher != NULL);
    CHECK_INT(mt_tls_verdict(&ev.tls, NULL), MT_VERDICT_OK);
    CHECK_STR(ev.peer_host, "");
    mt_store_close(s);
}

/* Claims: interval, daily limit, notice rows. */
static void
test_claim(void)
{
    struct mt_store *s = fresh();
    struct mt_notice_row n;
    struct mt_claim cl;
    enum mt_claim_result r;
    long long id = 0;
    struct mt_error err;
    struct mt_domain_row d;
    struct collect c;
    struct mt_observation o = obs("sender.example", "192.0.2.1", MT_VERDICT_PLAINTEXT, 100);
    struct mt_record_result rr;

    CHECK(mt_store_record(s, &o, &rr, &err) == MT_OK);
    memset(&n, 0, sizeof(n));
    snprintf(n.recipient_hash, sizeof(n.recipient_hash), "%064d", 1);
    snprintf(n.kind, sizeof(n.kind), "sender");
    snprintf(n.domain, sizeof(n.domain), "sender.example");
    n.verdict = MT_VERDICT_PLAINTEXT;
    snprintf(n.why, sizeof(n.why), "no TLS");
    memset(&cl, 0, sizeof(cl));
    cl.key = "notice:aaaa";
    cl.counter = "notice";
    cl.now = 100000;
    cl.interval = 30 * 86400;
    cl.daily_limit = 2;
    cl.notice = &n;

    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_GRANTED);
    CHECK(id > 0);
    CHECK(mt_store_notice_status(s, id, "sent", &err) == MT_OK);
    /* Same key within the interval: refused, whatever the limit. */
    cl.now += 86400;
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_INTERVAL);
    /* After the interval: granted again. */
    cl.now = 100000 + 30 * 86400;
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_GRANTED);
    /* The daily limit counts claims of the UTC day, across keys. */
    cl.key = "notice:bbbb";
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_GRANTED);
    cl.key = "notice:cccc";
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_DAILY_LIMIT);
    /* Another counter has its own limit. */
    cl.counter = "dry-run";
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_GRANTED);
    /* The next day the limit resets; no limit when negative. */
    cl.counter = "notice";
    cl.key = "notice:dddd";
    cl.now += 86400;
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_GRANTED);
    cl.daily_limit = -1;
    cl.key = "notice:eeee";
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    cl.key = "notice:ffff";
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_GRANTED);
    /* Clock set back: still within the interval. */
    cl.now -= 10 * 86400;
    CHECK(mt_store_claim(s, &cl, &r, &id, &err) == MT_OK);
    CHECK_INT(r, MT_CLAIM_INTERVAL);

    memset(&c, 0, sizeof(c));
    CHECK(mt_store_notices_each(s, NULL, count_notice, &c, &err) == MT_OK);
    CHECK_INT(c.n, 7);
    memset(&c, 0, sizeof(c));
    CHECK(mt_store_notices_each(s, "other.example", count_notice, &c, &err) == MT_OK);
    CHECK_INT(c.n, 0);
    CHECK(mt_store_domain_get(s, "sender.example", &d, &err) == MT_OK);
    CHECK_INT(d.notices, 7);
    mt_store_close(s);
}

/* Suppressions by domain and by address hash. */
static void
test_suppress(void)
{
    struct mt_store *s = fresh();
    struct mt_error err;
    bool sup;
    struct collect c;

    CHECK(mt_store_is_suppressed(s, "sender.example", "abcd", &sup, &err) == MT_OK);
    CHECK(!sup);
    CHECK(mt_store_suppress(s, MT_SUPPRESS_DOMAIN, "sender.example", 10, &err) == MT_OK);
    CHECK(mt_store_suppress(s, MT_SUPPRESS_DOMAIN, "sender.example", 11, &err) == MT_OK);
    CHECK(mt_store_is_suppressed(s, "sender.example", "", &sup, &err) == MT_OK);
    CHECK(sup);
    CHECK(mt_store_is_suppressed(s, "other.example", "abcd", &sup, &err) == MT_OK);
    CHECK(!sup);
    CHECK(mt_store_suppress(s, MT_SUPPRESS_ADDRESS, "abcd", 12, &err) == MT_OK);
    CHECK(mt_store_is_suppressed(s, "other.example", "abcd", &sup, &err) == MT_OK);
    CHECK(sup);
    /* A domain key does not match as an address and vice versa. */
    CHECK(mt_store_is_suppressed(s, "abcd", "sender.example", &sup, &err) == MT_OK);
    CHECK(!sup);
    memset(&c, 0, sizeof(c));
    CHECK(mt_store_suppressions_each(s, count_supp, &c, &err) == MT_OK);
    CHECK_INT(c.n, 2);
    CHECK(mt_store_unsuppress(s, MT_SUPPRESS_DOMAIN, "sender.example", &err) == MT_OK);
    CHECK(mt_store_unsuppress(s, MT_SUPPRESS_DOMAIN, "sender.example", &err) == MT_NOTFOUND);
    CHECK(mt_store_is_suppressed(s, "sender.example", "", &sup, &err) == MT_OK);
    CHECK(!sup);
    mt_store_close(s);
}

/* Purge drops old rows and keeps suppressions. */
static void
test_purge(void)
{
    struct mt_store *s = fresh();
    struct mt_error err;
    struct mt_purge_counts pc;
    struct mt_record_result rr;
    struct mt_observation o;
    struct mt_domain_row d;
    struct mt_claim cl;
    enum mt_claim_result r;
    struct collect c;
    bool sup;

    o = obs("old.example", "192.0.2.1", MT_VERDICT_OK, 1000);
    CHECK(mt_store_record(s, &o, &rr, &err) == MT_OK);
    o = obs("new.example", "192.0.2.2", MT_VERDICT_OK, 5000);
    CHECK(mt_store_record(s, &o, &rr, &err) == MT_OK);
    memset(&cl, 0, sizeof(cl));
    cl.key = "notice:old";
    cl.counter = "notice";
    cl.now = 1000;
    cl.interval = 100;
    cl.daily_limit = -1;
    CHECK(mt_store_claim(s, &cl, &r, NULL, &err) == MT_OK);
    CHECK(mt_store_suppress(s, MT_SUPPRESS_DOMAIN, "old.example", 1000, &err) == MT_OK);
    CHECK(mt_store_purge(s, 3000, &pc, &err) == MT_OK);
    CHECK_INT(pc.observations, 1);
    CHECK_INT(pc.domains, 1);
    CHECK_INT(pc.hosts, 1);
    CHECK_INT(pc.slots, 1);
    CHECK(mt_store_domain_get(s, "old.example", &d, &err) == MT_NOTFOUND);
    CHECK(mt_store_domain_get(s, "new.example", &d, &err) == MT_OK);
    memset(&c, 0, sizeof(c));
    CHECK(mt_store_observations_each(s, 0, INT64_MAX, count_obs, &c, &err) == MT_OK);
    CHECK_INT(c.n, 1);
    CHECK(mt_store_is_suppressed(s, "old.example", "", &sup, &err) == MT_OK);
    CHECK(sup);
    mt_store_close(s);
}

/* Concurrent claims of one key from many processes: exactly one wins. */
static void
test_concurrent_claims(void)
{
    struct mt_store *s = fresh();
    char uri[4096];
    int i, granted = 0, failed = 0;
    pid_t pids[24];

    snprintf(uri, sizeof(uri), "%st%d.db", prefix, serial);
    mt_store_close(s);
    for (i = 0; i < 24; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            struct mt_store *cs;
            struct mt_claim cl;
            enum mt_claim_result r;
            struct mt_error err;
            struct mt_observation o = obs("race.example", "192.0.2.9", MT_VERDICT_PLAINTEXT, i);
            struct mt_record_result rr;
            if (mt_store_open(uri, NULL, &cs, &err) != MT_OK ||
                mt_store_record(cs, &o, &rr, &err) != MT_OK)
                _exit(3);
            memset(&cl, 0, sizeof(cl));
            cl.key = "notice:race";
            cl.counter = "notice";
            cl.now = 1000000;
            cl.interval = 86400;
            cl.daily_limit = 100;
            if (mt_store_claim(cs, &cl, &r, NULL, &err) != MT_OK)
                _exit(3);
            mt_store_close(cs);
            _exit(r == MT_CLAIM_GRANTED ? 0 : 1);
        }
    }
    for (i = 0; i < 24; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            granted++;
        else if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
            failed++;
    }
    CHECK_INT(granted, 1);
    CHECK_INT(failed, 0);
    {
        struct mt_domain_row d;
        struct mt_error err;
        CHECK(mt_store_open(uri, NULL, &s, &err) == MT_OK);
        CHECK(mt_store_domain_get(s, "race.example", &d, &err) == MT_OK);
        CHECK_INT(d.messages, 24);
        mt_store_close(s);
    }
}

/* URIs and errors. */
static void
test_open_errors(void)
{
    struct mt_store *s;
    struct mt_error err;
    struct mt_store_options noc = { 0, false };

    CHECK(mt_store_open("nosuch:/x", NULL, &s, &err) == MT_ECONFIG);
    CHECK(s == NULL);
    CHECK(mt_store_open("/var/lib/x.db", NULL, &s, &err) == MT_ECONFIG);
    CHECK(mt_store_open("sqlite:", NULL, &s, &err) == MT_ECONFIG);
    CHECK(mt_store_open("sqlite:/nonexistent-dir/x/y.db", NULL, &s, &err) == MT_ETEMP);
    CHECK(strstr(err.msg, "/nonexistent-dir/x/y.db") != NULL);
    CHECK(mt_store_open("sqlite:/nonexistent-dir/y.db", &noc, &s, &err) == MT_NOTFOUND);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_store URI-PREFIX\n");
        return 99;
    }
    prefix = argv[1];
    if (strncmp(prefix, "sqlite:", 7) == 0) {
        /* Private directory for the SQLite files. */
        static char dir[] = "/var/tmp/mailtls-test-XXXXXX";
        static char buf[256];
        if (mkdtemp(dir) == NULL) {
            perror("mkdtemp");
            return 99;
        }
        snprintf(buf, sizeof(buf), "sqlite:%s/", dir);
        prefix = buf;
    }
    test_open_errors();
    test_record();
    test_observation_event();
    test_claim();
    test_suppress();
    test_purge();
    test_concurrent_claims();
    if (strncmp(prefix, "sqlite:", 7) == 0) {
        /* The files are not readable by everyone. */
        struct stat st;
        char path[300], cmd[400];
        snprintf(path, sizeof(path), "%st1.db", prefix + 7);
        CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
        /* Forward migration: a version-1 database (no host protocol and
           cipher columns, no observation columns of version 3) is brought
           up to date on open, data kept; old observations read with the
           new facts empty, new ones keep them. */
        {
            sqlite3 *db;
            struct mt_store *s;
            struct mt_error err;
            struct mt_host_row hr;
            struct mt_record_result rr;
            struct mt_observation o = obs("sender.example", "192.0.2.1", MT_VERDICT_OK, 9000);
            char uri[400];
            int v = -1;
            sqlite3_stmt *q;
            CHECK(sqlite3_open(path, &db) == SQLITE_OK);
            CHECK(sqlite3_exec(db,
                               "ALTER TABLE hosts DROP COLUMN best_protocol;"
                               "ALTER TABLE hosts DROP COLUMN best_cipher;"
                               "ALTER TABLE hosts DROP COLUMN latest_protocol;"
                               "ALTER TABLE hosts DROP COLUMN latest_cipher;"
                               "ALTER TABLE observations DROP COLUMN client_name;"
                               "ALTER TABLE observations DROP COLUMN our_host;"
                               "ALTER TABLE observations DROP COLUMN protocol_raw;"
                               "ALTER TABLE observations DROP COLUMN cipher_raw;"
                               "ALTER TABLE observations DROP COLUMN trust;"
                               "ALTER TABLE observations DROP COLUMN kex_group;"
                               "ALTER TABLE observations DROP COLUMN signature;"
                               "PRAGMA user_version = 1",
                               NULL, NULL, NULL) == SQLITE_OK);
            sqlite3_close(db);
            snprintf(uri, sizeof(uri), "sqlite:%s", path);
            CHECK(mt_store_open(uri, NULL, &s, &err) == MT_OK);
            if (s != NULL) {
                CHECK(mt_store_host_get(s, "192.0.2.1", &hr, &err) == MT_OK);
                CHECK_INT(hr.messages, 3);
                struct mt_observation first, last;
                memset(&first, 0x55, sizeof(first));
                CHECK(mt_store_observations_each(s, 1000, 1001, keep_obs, &first, &err) == MT_OK);
                CHECK_STR(first.queue_id, "Q1000");
                CHECK_STR(first.client_name, "");
                CHECK_STR(first.protocol_raw, "");
                CHECK_INT(first.trust, MT_TRUST_UNKNOWN);
                snprintf(o.client_name, sizeof(o.client_name), "mail.sender.example");
                snprintf(o.cipher_raw, sizeof(o.cipher_raw), "TLS_AES_256_GCM_SHA384");
                o.trust = MT_TRUST_VERIFIED;
                CHECK(mt_store_record(s, &o, &rr, &err) == MT_OK);
                CHECK(mt_store_host_get(s, "192.0.2.1", &hr, &err) == MT_OK);
                CHECK_STR(hr.latest_protocol, "TLSv1.3");
                CHECK(mt_store_observations_each(s, 9000, 9001, keep_obs, &last, &err) == MT_OK);
                CHECK_STR(last.client_name, "mail.sender.example");
                CHECK_STR(last.cipher_raw, "TLS_AES_256_GCM_SHA384");
                CHECK_INT(last.trust, MT_TRUST_VERIFIED);
                mt_store_close(s);
            }
            CHECK(sqlite3_open(path, &db) == SQLITE_OK);
            CHECK(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK);
            if (sqlite3_step(q) == SQLITE_ROW)
                v = sqlite3_column_int(q, 0);
            sqlite3_finalize(q);
            sqlite3_close(db);
            CHECK_INT(v, 3);
        }
        /* One short-lived connection per message, as `mailtls notify` runs:
           the WAL stays small (a new connection reads all of it), and no
           observation is lost to the checkpoints. */
        {
            struct mt_store *s;
            struct mt_error err;
            struct mt_record_result rr;
            struct collect c;
            char uri[400], wal[400];
            int i, ok = 0;
            off_t biggest = 0;
            snprintf(uri, sizeof(uri), "%swal.db", prefix);
            snprintf(wal, sizeof(wal), "%swal.db-wal", prefix + 7);
            for (i = 0; i < 600; i++) {
                struct mt_observation o =
                    obs(i % 3 ? "a.example" : "b.example", "192.0.2.9",
                        i % 5 ? MT_VERDICT_OK : MT_VERDICT_PLAINTEXT, 1000 + i);
                if (mt_store_open(uri, NULL, &s, &err) != MT_OK)
                    break;
                ok += mt_store_record(s, &o, &rr, &err) == MT_OK;
                mt_store_close(s);
                if (stat(wal, &st) == 0 && st.st_size > biggest)
                    biggest = st.st_size;
            }
            CHECK_INT(ok, 600);
            CHECK(biggest > 0);
            CHECK(biggest < 2 * 1024 * 1024);
            memset(&c, 0, sizeof(c));
            CHECK(mt_store_open(uri, NULL, &s, &err) == MT_OK);
            if (s != NULL) {
                CHECK(mt_store_observations_each(s, 0, INT64_MAX, count_obs, &c, &err) == MT_OK);
                mt_store_close(s);
            }
            CHECK_INT(c.n, 600);
        }
        /* A database written by a newer mailtls is refused, not altered. */
        {
            sqlite3 *db;
            struct mt_store *s;
            struct mt_error err;
            char uri[400];
            CHECK(sqlite3_open(path, &db) == SQLITE_OK);
            CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
            sqlite3_close(db);
            snprintf(uri, sizeof(uri), "sqlite:%s", path);
            CHECK(mt_store_open(uri, NULL, &s, &err) == MT_ECONFIG);
            CHECK(strstr(err.msg, "newer") != NULL);
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%.*s'", (int)strlen(prefix + 7) - 1, prefix + 7);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", prefix + 7);
    }
    return mt_test_done();
}
