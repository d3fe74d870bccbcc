/*
 * gen-postfix-log - realistic Postfix logs of any size, with ground truth.
 *
 *   gen-postfix-log [-s SIZE[k|M|G]] [-n SESSIONS] [-r SEED] [-t TRUTH] [-C CONNS] [-o LOG]
 *
 * Writes a syslog-format Postfix log (to LOG or stdout) of about SIZE bytes
 * (default 1M), or of SESSIONS inbound SMTP sessions with -n, and - with -t - one
 * line per record the correlator must produce to TRUTH:
 *   in   QUEUEID  SENDER-DOMAIN  FIRST-RECIPIENT-DOMAIN  TLS  received
 *   out  QUEUEID  SENDER-DOMAIN  RECIPIENT-DOMAIN        TLS  sent|deferred|bounced
 * (tab-separated; TLS is "PROTOCOL:CIPHER", "plaintext" or "unknown"; out
 * records carry the ORIGINAL queue id of a content-filter copy), and - with
 * -C - one line per SMTP connection over the network to CONNS:
 *   in|out  tls|plaintext|failed_tls  PROTOCOL:CIPHER|-
 * (inbound sessions from other hosts; outbound connections made, not the
 * cached ones that conn_use reuses; none on loopback or to LMTP). Neither
 * file changes the log: the same seed writes the same log with or without.
 *
 * The log has what real ones have: interleaved sessions on reused smtpd
 * pids, several messages per session, inbound TLS 1.3/1.2/1.0 and
 * plaintext, failed inbound handshakes, outbound deliveries with and
 * without TLS through reused smtp pids and cached connections (conn_use),
 * content-filter re-injection (sometimes delivered before the line that
 * maps it), LMTP hand-offs to a mailbox server, deferrals with later
 * retries, bounces, failed outbound STARTTLS, and noise (postscreen,
 * anvil, warnings, NOQUEUE rejects). TLS logging is on (loglevel 1).
 *
 * Lines are produced in time order through a heap of scheduled lines, so
 * memory is bounded by the messages in flight, not by SIZE.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define START 1740787200 /* 2025-03-01T00:00:00Z */
#define NPIDS 40

struct line {
    int64_t t;
    uint64_t seq;
    char *text;
};

static struct line *heap;
static size_t nheap, capheap;
static uint64_t seqno, rng = 0x9E3779B97F4A7C15ULL;
static FILE *out, *truth, *conns;
static uint64_t written;

/* xorshift64. */
static uint64_t
rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* 0 <= x < n. */
static unsigned
pick(unsigned n)
{
    return (unsigned)(rnd() % n);
}

/* Orders heap entries by time, then scheduling order. */
static int
before(const struct line *a, const struct line *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* Schedules one log line at time t. */
static void
sched(int64_t t, const char *fmt, ...)
{
    va_list ap;
    char buf[2048];
    size_t i;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (nheap == capheap) {
        capheap = capheap ? capheap * 2 : 4096;
        heap = realloc(heap, capheap * sizeof(*heap));
        if (heap == NULL)
            exit(70);
    }
    i = nheap++;
    heap[i].t = t;
    heap[i].seq = seqno++;
    heap[i].text = strdup(buf);
    while (i > 0 && before(&heap[i], &heap[(i - 1) / 2])) {
        struct line tmp = heap[i];
        heap[i] = heap[(i - 1) / 2];
        heap[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
}

/* Writes out every line scheduled before time t. */
static void
flush_until(int64_t t)
{
    static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    while (nheap > 0 && heap[0].t < t) {
        struct line top = heap[0];
        size_t i = 0;
        time_t tt = (time_t)top.t;
        struct tm tm;
        int n;

        heap[0] = heap[--nheap];
        for (;;) {
            size_t l = 2 * i + 1, r = l + 1, m = i;
            if (l < nheap && before(&heap[l], &heap[m]))
                m = l;
            if (r < nheap && before(&heap[r], &heap[m]))
                m = r;
            if (m == i)
                break;
            struct line tmp = heap[i];
            heap[i] = heap[m];
            heap[m] = tmp;
            i = m;
        }
        gmtime_r(&tt, &tm);
        n = fprintf(out, "%s %2d %02d:%02d:%02d mx1 %s\n", mon[tm.tm_mon], tm.tm_mday, tm.tm_hour,
                    tm.tm_min, tm.tm_sec, top.text);
        if (n > 0)
            written += (uint64_t)n;
        free(top.text);
    }
}

/* A fresh queue id (hex, as Postfix's short ids). */
static void
new_qid(char *buf)
{
    static uint64_t counter = 0x1A2B3C;
    counter += 1 + pick(5);
    snprintf(buf, 16, "%" PRIX64 "%X", counter, 0x10 + pick(0xEF));
}

/* Inbound TLS profiles (the client's choice). */
static const struct {
    const char *proto, *cipher, *tail;
} in_tls[] = {
    { NULL, NULL, NULL },
    { "TLSv1.3", "TLS_AES_256_GCM_SHA384",
      " key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256" },
    { "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "" },
    { "TLSv1.2", "AES256-GCM-SHA384", "" },
    { "TLSv1", "ECDHE-RSA-AES256-SHA", "" },
};

/* Remote destinations: MX, address, TLS profile (index into in_tls; 0 = no STARTTLS). */
static const struct {
    const char *domain, *mx, *ip;
    int tls; /* -1: STARTTLS offered but the handshake fails */
} dest[] = {
    { "gmail.example", "mx.gmail.example", "198.51.100.10", 1 },
    { "corp.example", "mail.corp.example", "198.51.100.20", 2 },
    { "old.example", "smtp.old.example", "198.51.100.30", 4 },
    { "plain.example", "mx.plain.example", "198.51.100.40", 0 },
    { "static.example", "mx.static.example", "198.51.100.50", 3 },
    { "broken.example", "mx.broken.example", "198.51.100.60", -1 },
};
#define NDEST (sizeof(dest) / sizeof(dest[0]))

static const char *senders[] = { "alice.example", "bob.example",  "news.example",
                                 "shop.example",  "bank.example", "list.example" };

static int64_t smtpd_busy[NPIDS], smtp_busy[NPIDS];
static int64_t endp_last[NDEST]; /* last connection made to the destination */

/* The TLS of a profile as the truth writes it. */
static void
tls_str(int prof, char *buf, size_t n)
{
    if (prof <= 0)
        snprintf(buf, n, "plaintext");
    else
        snprintf(buf, n, "%s:%s", in_tls[prof].proto, in_tls[prof].cipher);
}

/* A free pid of a pool at time t, busy until `until`. */
static int
take_pid(int64_t *busy, int base, int64_t t, int64_t until)
{
    int i, k = (int)pick(NPIDS);

    for (i = 0; i < NPIDS; i++) {
        int j = (k + i) % NPIDS;
        if (busy[j] <= t) {
            busy[j] = until;
            return base + j;
        }
    }
    return base + NPIDS + (int)pick(1000); /* pool exhausted: a new process */
}

/*
 * One remote delivery attempt of qid (reported as orig) to d at time t.
 * Returns 1 when the message is done for this recipient.
 */
static int
deliver(int64_t t, const char *qid, const char *orig, const char *sdom, const char *rcpt,
        unsigned d, int retry)
{
    char tls[96];
    int pid = take_pid(smtp_busy, 20000, t, t + 2);
    /* Reuse only a connection made at least two seconds before (in log order). */
    int reuse = dest[d].tls >= 0 && endp_last[d] > 0 && endp_last[d] + 2 <= t &&
                t - endp_last[d] < 600 && pick(4) == 0;

    if (dest[d].tls < 0) {
        sched(t, "postfix/smtp[%d]: SSL_connect error to %s[%s]:25: -1", pid, dest[d].mx,
              dest[d].ip);
        sched(t,
              "postfix/smtp[%d]: warning: TLS library problem: error:0A000102:SSL "
              "routines::unsupported protocol:../ssl/statem/statem_clnt.c:1032:",
              pid);
        sched(t,
              "postfix/smtp[%d]: %s: to=<%s@%s>, relay=%s[%s]:25, delay=1, "
              "delays=0/0/1/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)",
              pid, qid, rcpt, dest[d].domain, dest[d].mx, dest[d].ip);
        fprintf(truth, "out\t%s\t%s\t%s\tunknown\tdeferred\n", orig, sdom, dest[d].domain);
        fprintf(conns, "out\tfailed_tls\t-\n");
        return retry >= 1; /* give up after one retry: stays deferred */
    }
    tls_str(dest[d].tls, tls, sizeof(tls));
    if (!reuse)
        fprintf(conns, "out\t%s\t%s\n", dest[d].tls > 0 ? "tls" : "plaintext",
                dest[d].tls > 0 ? tls : "-");
    if (!reuse && dest[d].tls > 0)
        sched(t,
              "postfix/smtp[%d]: Trusted TLS connection established to %s[%s]:25: %s with "
              "cipher %s (256/256 bits)%s",
              pid, dest[d].mx, dest[d].ip, in_tls[dest[d].tls].proto, in_tls[dest[d].tls].cipher,
              in_tls[dest[d].tls].tail);
    if (!reuse && retry == 0 && t > endp_last[d])
        endp_last[d] = t;
    if (retry == 0 && pick(8) == 0) {
        sched(t,
              "postfix/smtp[%d]: %s: to=<%s@%s>, relay=%s[%s]:25,%s delay=1, "
              "delays=0/0/0/1, dsn=4.7.1, status=deferred (host %s[%s] said: 450 4.7.1 "
              "greylisted (in reply to RCPT TO command))",
              pid, qid, rcpt, dest[d].domain, dest[d].mx, dest[d].ip, reuse ? " conn_use=2," : "",
              dest[d].mx, dest[d].ip);
        fprintf(truth, "out\t%s\t%s\t%s\t%s\tdeferred\n", orig, sdom, dest[d].domain, tls);
        return 0;
    }
    if (pick(30) == 0) {
        sched(t,
              "postfix/smtp[%d]: %s: to=<%s@%s>, relay=%s[%s]:25,%s delay=1, "
              "delays=0/0/0/1, dsn=5.1.1, status=bounced (host %s[%s] said: 550 5.1.1 no "
              "such user (in reply to RCPT TO command))",
              pid, qid, rcpt, dest[d].domain, dest[d].mx, dest[d].ip, reuse ? " conn_use=2," : "",
              dest[d].mx, dest[d].ip);
        fprintf(truth, "out\t%s\t%s\t%s\t%s\tbounced\n", orig, sdom, dest[d].domain, tls);
        return 1;
    }
    sched(t,
          "postfix/smtp[%d]: %s: to=<%s@%s>, relay=%s[%s]:25,%s delay=1.2, "
          "delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %X)",
          pid, qid, rcpt, dest[d].domain, dest[d].mx, dest[d].ip, reuse ? " conn_use=2," : "",
          (unsigned)rnd());
    fprintf(truth, "out\t%s\t%s\t%s\t%s\tsent\n", orig, sdom, dest[d].domain, tls);
    return 1;
}

/* The deliveries of one queued message (qid; reported as orig) from time t; returns removal time.
 */
static int64_t
deliveries(int64_t t, const char *qid, const char *orig, const char *sender, const char *sdom,
           unsigned nrcpt, const unsigned *dests, int local_first)
{
    unsigned i;
    int64_t done = t;

    sched(t, "postfix/qmgr[900]: %s: from=<%s>, size=%u, nrcpt=%u (queue active)", qid, sender,
          1000 + pick(50000), nrcpt + (local_first ? 1 : 0));
    t++;
    if (local_first) {
        sched(t,
              "postfix/lmtp[%d]: %s: to=<user%u@mx1.example>, relay=mx1[private/dovecot-lmtp], "
              "delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)",
              30000 + (int)pick(NPIDS), qid, pick(100));
        t++;
    }
    for (i = 0; i < nrcpt; i++) {
        int64_t tt = t + i;
        int retry = 0;
        while (!deliver(tt, qid, orig, sdom, "rcpt", dests[i], retry)) {
            tt += 600 + pick(1800);
            retry++;
            sched(tt - 1, "postfix/qmgr[900]: %s: from=<%s>, size=1234, nrcpt=%u (queue active)",
                  qid, sender, nrcpt);
        }
        if (tt > done)
            done = tt;
        if (dest[dests[i]].tls < 0)
            return -1; /* left in the queue */
    }
    return done + 1;
}

/* One inbound message in an smtpd session at time t. */
static void
message(int64_t t, int pid, int prof, const char *client, const char *ip)
{
    char qid[16], tls[96];
    const char *sdom = senders[pick(sizeof(senders) / sizeof(senders[0]))];
    char sender[64];
    unsigned dests[2], nrcpt = 1 + (pick(3) == 0), i;
    int filter = pick(5) == 0, local_first = !filter && pick(6) == 0;
    int64_t removed;

    (void)ip;
    new_qid(qid);
    snprintf(sender, sizeof(sender), "user%u@%s", pick(50), sdom);
    tls_str(prof, tls, sizeof(tls));
    for (i = 0; i < nrcpt; i++)
        dests[i] = pick(NDEST);
    if (nrcpt == 2 && dests[1] == dests[0])
        nrcpt = 1;
    sched(t, "postfix/smtpd[%d]: %s: client=%s[%s]", pid, qid, client, ip);
    sched(t, "postfix/cleanup[800]: %s: message-id=<%X@%s>", qid, (unsigned)rnd(), sdom);
    /* The first recipient domain the correlator sees is the first delivery line's. */
    fprintf(truth, "in\t%s\t%s\t%s\t%s\treceived\n", qid, sdom,
            local_first ? "mx1.example" : dest[dests[0]].domain, tls);
    if (!filter) {
        removed = deliveries(t + 1, qid, qid, sender, sdom, nrcpt, dests, local_first);
        if (removed > 0)
            sched(removed, "postfix/qmgr[900]: %s: removed", qid);
        return;
    } else {
        /* Content filter on 127.0.0.1:10024, re-injected through 127.0.0.1:10025. */
        char copy[16];
        int rpid = 40000 + (int)pick(NPIDS), fpid = 45000 + (int)pick(NPIDS);
        int early = pick(3) == 0;
        int64_t tf = t + 2;

        new_qid(copy);
        sched(t + 1, "postfix/qmgr[900]: %s: from=<%s>, size=2000, nrcpt=%u (queue active)", qid,
              sender, nrcpt);
        sched(tf, "postfix/smtpd[%d]: connect from localhost[127.0.0.1]", rpid);
        sched(tf, "postfix/smtpd[%d]: %s: client=localhost[127.0.0.1]", rpid, copy);
        sched(tf, "postfix/cleanup[800]: %s: message-id=<%X@%s>", copy, (unsigned)rnd(), sdom);
        sched(tf,
              "postfix/smtpd[%d]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 "
              "rcpt=%u data=1 quit=1 commands=%u",
              rpid, nrcpt, 4 + nrcpt);
        /* The copy may be delivered before the original's line that maps it. */
        removed = deliveries(early ? tf : tf + 2, copy, qid, sender, sdom, nrcpt, dests, 0);
        for (i = 0; i < nrcpt; i++)
            sched(tf + 1,
                  "postfix/smtp[%d]: %s: to=<rcpt@%s>, relay=127.0.0.1[127.0.0.1]:10024, "
                  "delay=2, delays=0/0/0/2, dsn=2.0.0, status=sent (250 2.0.0 from "
                  "MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as %s)",
                  fpid, qid, dest[dests[i]].domain, copy);
        sched(tf + 1, "postfix/qmgr[900]: %s: removed", qid);
        if (removed > 0)
            sched(removed, "postfix/qmgr[900]: %s: removed", copy);
    }
}

/* One inbound SMTP session at time t. */
static void
session(int64_t t)
{
    unsigned prof = pick(sizeof(in_tls) / sizeof(in_tls[0])), n = 1 + pick(3), i, kind = pick(20);
    char client[64], ip[32], tls[96];
    int pid = take_pid(smtpd_busy, 10000, t, t + 10);

    snprintf(client, sizeof(client), "mail%u.sender%u.example", pick(9), pick(200));
    snprintf(ip, sizeof(ip), "203.0.%u.%u", pick(250), 1 + pick(250));
    if (pick(2) == 0) {
        sched(t, "postfix/postscreen[700]: CONNECT from [%s]:%u to [192.0.2.1]:25", ip,
              1024 + pick(60000));
        sched(t, "postfix/postscreen[700]: PASS OLD [%s]:%u", ip, 1024 + pick(60000));
    }
    sched(t, "postfix/smtpd[%d]: connect from %s[%s]", pid, client, ip);
    tls_str((int)prof, tls, sizeof(tls));
    fprintf(conns, "in\t%s\t%s\n",
            kind == 0                ? "failed_tls"
            : kind == 1 || prof == 0 ? "plaintext"
                                     : "tls",
            kind > 1 && prof > 0 ? tls : "-");
    if (kind == 0) { /* failed handshake */
        sched(t, "postfix/smtpd[%d]: SSL_accept error from %s[%s]: -1", pid, client, ip);
        sched(t,
              "postfix/smtpd[%d]: warning: TLS library problem: error:0A0000C1:SSL "
              "routines::no shared cipher:../ssl/statem/statem_srvr.c:1749:",
              pid);
        sched(t, "postfix/smtpd[%d]: lost connection after STARTTLS from %s[%s]", pid, client, ip);
        sched(t, "postfix/smtpd[%d]: disconnect from %s[%s] ehlo=1 starttls=0/1 commands=1/2", pid,
              client, ip);
        return;
    }
    if (kind == 1) { /* rejected */
        sched(t + 1,
              "postfix/smtpd[%d]: NOQUEUE: reject: RCPT from %s[%s]: 554 5.7.1 <x@mx1>: "
              "Relay access denied; from=<a@b> to=<x@y> proto=ESMTP helo=<%s>",
              pid, client, ip, client);
        sched(t + 2,
              "postfix/smtpd[%d]: disconnect from %s[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 "
              "commands=3/4",
              pid, client, ip);
        return;
    }
    if (prof > 0)
        sched(t,
              "postfix/smtpd[%d]: Anonymous TLS connection established from %s[%s]: %s with "
              "cipher %s (256/256 bits)%s",
              pid, client, ip, in_tls[prof].proto, in_tls[prof].cipher, in_tls[prof].tail);
    for (i = 0; i < n; i++)
        message(t + 1 + i, pid, (int)prof, client, ip);
    sched(t + 2 + n,
          "postfix/smtpd[%d]: disconnect from %s[%s] ehlo=%d%s mail=%u rcpt=%u data=%u "
          "quit=1 commands=%u",
          pid, client, ip, prof ? 2 : 1, prof ? " starttls=1" : "", n, n, n, 3 + 3 * n);
}

/* Parses a size with an optional k/M/G suffix. */
static uint64_t
parse_size(const char *s)
{
    char *end;
    uint64_t v = strtoull(s, &end, 10);

    if (*end == 'k' || *end == 'K')
        v <<= 10;
    else if (*end == 'M')
        v <<= 20;
    else if (*end == 'G')
        v <<= 30;
    return v;
}

int
main(int argc, char **argv)
{
    uint64_t size = 1 << 20, nmsg = UINT64_MAX, sessions = 0;
    const char *outpath = NULL, *truthpath = NULL, *connspath = NULL;
    int64_t t = START;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            size = parse_size(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            nmsg = strtoull(argv[++i], NULL, 10), size = UINT64_MAX;
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            rng = strtoull(argv[++i], NULL, 10) * 2 + 1;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            outpath = argv[++i];
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
            truthpath = argv[++i];
        else if (strcmp(argv[i], "-C") == 0 && i + 1 < argc)
            connspath = argv[++i];
        else {
            fprintf(stderr, "usage: gen-postfix-log [-s SIZE] [-n SESSIONS] [-r SEED] "
                            "[-t TRUTH] [-C CONNS] [-o LOG]\n");
            return 64;
        }
    }
    out = outpath ? fopen(outpath, "w") : stdout;
    truth = fopen(truthpath ? truthpath : "/dev/null", "w");
    conns = fopen(connspath ? connspath : "/dev/null", "w");
    if (out == NULL || truth == NULL || conns == NULL) {
        perror(out == NULL ? outpath : truth == NULL ? truthpath : connspath);
        return 73;
    }
    while (written < size && sessions < nmsg) {
        session(t);
        sessions++;
        if (sessions % 500 == 0)
            sched(t, "postfix/anvil[600]: statistics: max connection rate 3/60s for "
                     "(smtp:203.0.113.7) at Mar  1 00:00:00");
        if (pick(40) == 0)
            sched(t,
                  "postfix/smtpd[%d]: warning: hostname mail%u.example does not resolve to "
                  "address 203.0.113.%u",
                  10000 + (int)pick(NPIDS), pick(99), pick(250));
        t += pick(3);
        flush_until(t - 5);
    }
    flush_until(INT64_MAX);
    free(heap);
    if (fclose(out) != 0 || fclose(truth) != 0 || fclose(conns) != 0) {
        perror("gen-postfix-log");
        return 74;
    }
    return 0;
}
