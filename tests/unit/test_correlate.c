/* test_correlate.c - correlation rules on small hand-written Postfix logs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "mt_test.h"

#define MAXREC 4096

struct got {
    struct mt_event ev[MAXREC];
    size_t nev;
    struct mt_conn conn[MAXREC];
    size_t nconn;
};

/* Sink callbacks: keep copies. */
static void
on_msg(void *arg, const struct mt_event *ev)
{
    struct got *g = arg;

    if (g->nev < MAXREC)
        g->ev[g->nev++] = *ev;
}
static void
on_conn(void *arg, const struct mt_conn *c)
{
    struct got *g = arg;

    if (g->nconn < MAXREC)
        g->conn[g->nconn++] = *c;
}

/* Runs the lines of a NUL-separated text through a fresh correlator. */
static void
run(const struct mt_correlate_opts *o, const char *text, struct got *g)
{
    struct mt_sink sink = { on_msg, on_conn, g };
    struct mt_correlate *c;
    const char *p = text;

    memset(g, 0, sizeof(*g));
    if (mt_correlate_new(o, &sink, 1767225600, 0, &c) != MT_OK)
        abort();
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        CHECK_INT(mt_correlate_line(c, p, n, NULL), MT_OK);
        p += n + (nl != NULL);
    }
    mt_correlate_finish(c);
    mt_correlate_free(c);
}

/* The record of direction dir for queue id qid (and recipient domain rdom if given). */
static const struct mt_event *
find(const struct got *g, enum mt_direction dir, const char *qid, const char *rdom)
{
    size_t i;

    for (i = 0; i < g->nev; i++)
        if (g->ev[i].dir == dir && strcmp(g->ev[i].queue_id, qid) == 0 &&
            (rdom == NULL || strcmp(g->ev[i].recipient_domain, rdom) == 0))
            return &g->ev[i];
    return NULL;
}

static struct got g;

#define TLS13 "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"

/* Pid reuse and several messages per session. */
static void
test_sessions(void)
{
    const struct mt_event *e;

    run(NULL,
        "Nov  1 10:00:00 mx postfix/smtpd[100]: connect from a.example[192.0.2.1]\n"
        "Nov  1 10:00:00 mx postfix/smtpd[100]: Anonymous TLS connection established from "
        "a.example[192.0.2.1]: " TLS13 "\n"
        "Nov  1 10:00:01 mx postfix/smtpd[100]: AAAA1: client=a.example[192.0.2.1]\n"
        "Nov  1 10:00:01 mx postfix/qmgr[9]: AAAA1: from=<x@a.example>, size=1, nrcpt=1 (queue "
        "active)\n"
        "Nov  1 10:00:02 mx postfix/smtpd[100]: AAAA2: client=a.example[192.0.2.1]\n"
        "Nov  1 10:00:02 mx postfix/qmgr[9]: AAAA2: from=<y@a.example>, size=1, nrcpt=1 (queue "
        "active)\n"
        "Nov  1 10:00:03 mx postfix/smtpd[100]: disconnect from a.example[192.0.2.1] ehlo=2 "
        "starttls=1 mail=2 rcpt=2 data=2 quit=1 commands=10\n"
        /* same pid, new session, plaintext */
        "Nov  1 10:00:04 mx postfix/smtpd[100]: connect from b.example[192.0.2.2]\n"
        "Nov  1 10:00:05 mx postfix/smtpd[100]: BBBB1: client=b.example[192.0.2.2]\n"
        "Nov  1 10:00:05 mx postfix/qmgr[9]: BBBB1: from=<>, size=1, nrcpt=1 (queue active)\n"
        "Nov  1 10:00:06 mx postfix/smtpd[100]: disconnect from b.example[192.0.2.2] ehlo=1 mail=1 "
        "rcpt=1 data=1 quit=1 commands=5\n"
        "Nov  1 10:00:07 mx postfix/qmgr[9]: AAAA1: removed\n"
        "Nov  1 10:00:07 mx postfix/qmgr[9]: AAAA2: removed\n"
        "Nov  1 10:00:07 mx postfix/qmgr[9]: BBBB1: removed\n",
        &g);
    e = find(&g, MT_DIR_IN, "AAAA1", NULL);
    CHECK(e != NULL && e->tls.used == MT_TRI_YES && e->tls.proto_min == MT_PROTO_TLS13);
    CHECK(e != NULL && strcmp(e->sender_domain, "a.example") == 0);
    e = find(&g, MT_DIR_IN, "AAAA2", NULL);
    CHECK(e != NULL && e->tls.used == MT_TRI_YES);
    CHECK(e != NULL && strcmp(e->sender, "y@a.example") == 0);
    e = find(&g, MT_DIR_IN, "BBBB1", NULL);
    CHECK(e != NULL && e->tls.used == MT_TRI_NO);
    CHECK(e != NULL && strcmp(e->peer_ip, "192.0.2.2") == 0 && e->sender[0] == '\0');
    CHECK(e != NULL && !(e->flags & MT_EVENT_INCOMPLETE));
    CHECK_INT(g.nconn, 2);
    CHECK(g.nconn == 2 && g.conn[0].outcome == MT_CONN_TLS &&
          g.conn[1].outcome == MT_CONN_PLAINTEXT);
}

/* Without TLS lines in the log, the counters decide; unknown stays unknown. */
static void
test_no_evidence(void)
{
    const struct mt_event *e;

    run(NULL,
        "Nov  1 10:00:00 mx postfix/smtpd[100]: connect from a.example[192.0.2.1]\n"
        "Nov  1 10:00:01 mx postfix/smtpd[100]: AAAA1: client=a.example[192.0.2.1]\n"
        "Nov  1 10:00:01 mx postfix/qmgr[9]: AAAA1: removed\n"
        "Nov  1 10:00:03 mx postfix/smtpd[100]: disconnect from a.example[192.0.2.1] ehlo=2 "
        "starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7\n"
        "Nov  1 10:00:04 mx postfix/smtp[200]: CCCC1: to=<r@c.example>, "
        "relay=c.example[192.0.2.3]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\n"
        "Nov  1 10:00:05 mx postfix/smtpd[101]: connect from d.example[192.0.2.4]\n"
        "Nov  1 10:00:06 mx postfix/smtpd[101]: DDDD1: client=d.example[192.0.2.4]\n",
        &g);
    e = find(&g, MT_DIR_IN, "AAAA1", NULL);
    CHECK(e != NULL && e->tls.used == MT_TRI_YES && e->tls.protocol_raw[0] == '\0');
    e = find(&g, MT_DIR_OUT, "CCCC1", NULL);
    CHECK(e != NULL && e->tls.used == MT_TRI_UNKNOWN);
    e = find(&g, MT_DIR_IN, "DDDD1", NULL);
    CHECK(e != NULL && e->tls.used == MT_TRI_UNKNOWN && (e->flags & MT_EVENT_INCOMPLETE));
    CHECK_INT(g.nconn, 1); /* the open session of pid 101 has no known outcome */
}

/* A content filter's copy is reported under the original id, even when it is delivered first. */
static void
test_reinjection(void)
{
    const struct mt_event *e;
    size_t i, in = 0;

    run(NULL,
        "Nov  1 10:00:00 mx postfix/smtpd[100]: connect from a.example[192.0.2.1]\n"
        "Nov  1 10:00:00 mx postfix/smtpd[100]: Anonymous TLS connection established from "
        "a.example[192.0.2.1]: " TLS13 "\n"
        "Nov  1 10:00:01 mx postfix/smtpd[100]: ORIG1: client=a.example[192.0.2.1]\n"
        "Nov  1 10:00:01 mx postfix/qmgr[9]: ORIG1: from=<x@a.example>, size=1, nrcpt=2 (queue "
        "active)\n"
        "Nov  1 10:00:02 mx postfix/smtpd[100]: disconnect from a.example[192.0.2.1] ehlo=2 "
        "starttls=1 mail=1 rcpt=2 data=1 quit=1 commands=8\n"
        "Nov  1 10:00:02 mx postfix/smtpd[300]: connect from localhost[127.0.0.1]\n"
        "Nov  1 10:00:02 mx postfix/smtpd[300]: C0FFEE1: client=localhost[127.0.0.1]\n"
        "Nov  1 10:00:02 mx postfix/qmgr[9]: C0FFEE1: from=<x@a.example>, size=1, nrcpt=2 (queue "
        "active)\n"
        "Nov  1 10:00:02 mx postfix/smtpd[300]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 "
        "rcpt=2 data=1 quit=1 commands=6\n"
        /* the copy's delivery comes before the line that maps it */
        "Nov  1 10:00:03 mx postfix/smtp[200]: Trusted TLS connection established to "
        "mx.b.example[192.0.2.9]:25: " TLS13 "\n"
        "Nov  1 10:00:03 mx postfix/smtp[200]: C0FFEE1: to=<r@b.example>, "
        "relay=mx.b.example[192.0.2.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 "
        "ok)\n"
        "Nov  1 10:00:03 mx postfix/lmtp[201]: C0FFEE1: to=<u@local.example>, "
        "relay=mail[private/dovecot-lmtp], delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 "
        "Saved)\n"
        "Nov  1 10:00:03 mx postfix/qmgr[9]: C0FFEE1: removed\n"
        "Nov  1 10:00:04 mx postfix/smtp[202]: ORIG1: to=<r@b.example>, "
        "relay=127.0.0.1[127.0.0.1]:10024, delay=3, delays=0/0/0/3, dsn=2.0.0, status=sent (250 "
        "2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as C0FFEE1)\n"
        "Nov  1 10:00:04 mx postfix/smtp[202]: ORIG1: to=<u@local.example>, "
        "relay=127.0.0.1[127.0.0.1]:10024, delay=3, delays=0/0/0/3, dsn=2.0.0, status=sent (250 "
        "2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as C0FFEE1)\n"
        "Nov  1 10:00:04 mx postfix/qmgr[9]: ORIG1: removed\n"
        /* XFORWARD style with orig_queue_id */
        "Nov  1 10:01:00 mx postfix/smtpd[301]: C0FFEE2: client=a.example[192.0.2.1], "
        "orig_queue_id=ORIG1, orig_client=a.example[192.0.2.1]\n"
        "Nov  1 10:01:01 mx postfix/smtp[200]: C0FFEE2: to=<z@b.example>, "
        "relay=mx.b.example[192.0.2.9]:25, conn_use=2, delay=1, delays=0/0/0/1, dsn=2.0.0, "
        "status=sent (250 ok)\n"
        "Nov  1 10:01:01 mx postfix/qmgr[9]: C0FFEE2: removed\n",
        &g);
    for (i = 0; i < g.nev; i++)
        if (g.ev[i].dir == MT_DIR_IN)
            in++;
    CHECK_INT(in, 1);
    e = find(&g, MT_DIR_IN, "ORIG1", NULL);
    CHECK(e != NULL && e->tls.used == MT_TRI_YES && strcmp(e->recipient_domain, "b.example") == 0);
    CHECK(find(&g, MT_DIR_IN, "C0FFEE1", NULL) == NULL);
    CHECK(find(&g, MT_DIR_OUT, "C0FFEE1", NULL) == NULL);
    e = find(&g, MT_DIR_OUT, "ORIG1", "b.example");
    CHECK(e != NULL && e->tls.used == MT_TRI_YES && e->tls.trust == MT_TRUST_TRUSTED);
    CHECK(e != NULL && strcmp(e->sender, "x@a.example") == 0);
    CHECK(find(&g, MT_DIR_OUT, "ORIG1", "local.example") == NULL);
    /* the XFORWARD copy, delivered over the cached connection */
    CHECK(find(&g, MT_DIR_IN, "C0FFEE2", NULL) == NULL);
    CHECK_INT(g.nev, 3);
    CHECK(g.nev == 3 && strcmp(g.ev[2].queue_id, "ORIG1") == 0 && g.ev[2].tls.used == MT_TRI_YES);
    /* no connection records for loopback sessions */
    for (i = 0; i < g.nconn; i++)
        CHECK(strcmp(g.conn[i].peer_ip, "127.0.0.1") != 0);
}

/* Memory is bounded: more open messages than the table holds are flushed, not lost. */
static void
test_eviction(void)
{
    struct mt_correlate_opts o;
    static char text[400 * 1000];
    size_t n = 0, i, in = 0;

    mt_correlate_opts_init(&o);
    o.max_messages = 64;
    o.max_sessions = 16;
    for (i = 0; i < 1000; i++)
        n += (size_t)snprintf(
            text + n, sizeof(text) - n,
            "Nov  1 10:%02zu:%02zu mx postfix/smtpd[%zu]: connect from a[192.0.2.1]\n"
            "Nov  1 10:%02zu:%02zu mx postfix/smtpd[%zu]: Q%05zuA: client=a[192.0.2.1]\n",
            i / 60 % 60, i % 60, 1000 + i % 50, i / 60 % 60, i % 60, 1000 + i % 50, i);
    run(&o, text, &g);
    for (i = 0; i < g.nev; i++)
        if (g.ev[i].dir == MT_DIR_IN)
            in++;
    CHECK_INT(in, 1000);
    CHECK_INT(g.nconn, 0); /* no outcome known for any of them */

    /* Idle sessions are flushed after session_idle of log time. */
    run(NULL,
        "Nov  1 10:00:00 mx postfix/smtpd[100]: connect from a.example[192.0.2.1]\n"
        "Nov  1 10:00:00 mx postfix/smtpd[100]: Anonymous TLS connection established from "
        "a.example[192.0.2.1]: " TLS13 "\n"
        "Nov  1 12:00:00 mx postfix/anvil[5]: statistics: max connection rate 1/60s\n",
        &g);
    CHECK_INT(g.nconn, 1);
    CHECK(g.nconn == 1 && (g.conn[0].flags & MT_EVENT_INCOMPLETE));
}

/* conn_use > 1 takes the TLS of the connection when it was made, by another process too. */
static void
test_reuse(void)
{
    const struct mt_event *e;

    run(NULL,
        "Nov  1 10:00:00 mx postfix/tlsproxy[50]: CONNECT to [192.0.2.9]:25\n"
        "Nov  1 10:00:00 mx postfix/tlsproxy[50]: Verified TLS connection established to "
        "mx.b.example[192.0.2.9]:25: " TLS13 "\n"
        "Nov  1 10:00:00 mx postfix/smtp[200]: Verified TLS connection established to "
        "mx.b.example[192.0.2.9]:25: " TLS13 "\n"
        "Nov  1 10:00:01 mx postfix/smtp[200]: RRRR1: to=<r@b.example>, "
        "relay=mx.b.example[192.0.2.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 "
        "ok)\n"
        "Nov  1 10:00:02 mx postfix/smtp[201]: RRRR2: to=<r@b.example>, "
        "relay=mx.b.example[192.0.2.9]:25, conn_use=2, delay=1, delays=0/0/0/1, dsn=2.0.0, "
        "status=sent (250 ok)\n"
        "Nov  1 10:00:03 mx postfix/smtp[202]: RRRR3: to=<r@b.example>, "
        "relay=mx.c.example[192.0.2.10]:25, conn_use=3, delay=1, delays=0/0/0/1, dsn=2.0.0, "
        "status=sent (250 ok)\n",
        &g);
    CHECK_INT(g.nconn, 1);
    e = find(&g, MT_DIR_OUT, "RRRR1", NULL);
    CHECK(e != NULL && e->tls.trust == MT_TRUST_VERIFIED);
    e = find(&g, MT_DIR_OUT, "RRRR2", NULL);
    CHECK(e != NULL && e->tls.trust == MT_TRUST_VERIFIED && e->tls.proto_min == MT_PROTO_TLS13);
    e = find(&g, MT_DIR_OUT, "RRRR3", NULL); /* made before the log began */
    CHECK(e != NULL && e->tls.used == MT_TRI_UNKNOWN);
}

int
main(void)
{
    test_sessions();
    test_no_evidence();
    test_reinjection();
    test_eviction();
    test_reuse();
    return mt_test_done();
}
