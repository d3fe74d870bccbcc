/*
 * gen-postfix-log - realistic Postfix logs of any size, with ground truth.
 *
 *   gen-postfix-log [-s SIZE[k|M|G]] [-n EVENTS] [-r SEED] [-t TRUTH] [-C CONNS] [-o LOG]
 *
 * Writes a syslog-format Postfix log (to LOG or stdout) of about SIZE bytes
 * (default 1M), or of EVENTS client arrivals with -n (connections to port
 * 25, to the submission port and local submissions), and - with -t - one
 * line per record the correlator must produce to TRUTH:
 *   in   QUEUEID  SENDER-DOMAIN  FIRST-RECIPIENT-DOMAIN  TLS  received
 *   out  QUEUEID  SENDER-DOMAIN  RECIPIENT-DOMAIN        TLS  sent|deferred|bounced|expired
 * (tab-separated; TLS is "PROTOCOL:CIPHER", "plaintext" or "unknown"; out
 * records carry the ORIGINAL queue id of a content-filter copy), and - with
 * -C - one line per SMTP connection over the network to CONNS:
 *   in|out  tls|plaintext|failed_tls  PROTOCOL:CIPHER|-
 * (inbound sessions from other hosts; outbound connections made, not the
 * cached ones that conn_use reuses; none on loopback or to LMTP). Neither
 * file changes the log: the same seed writes the same log with or without.
 *
 * The site is an organisation's mail server: the MX for a few domains of
 * its own (delivered to a mailbox server over LMTP), the submission server
 * of its users (SASL on port 587, delivered to the world), a content filter
 * on loopback for part of the inbound mail. What the log holds, and on what
 * the numbers rest (doc/performance.md, "The generated logs", says more):
 *
 *   - Domains and addresses are heavy-tailed: 20 000 outside domains drawn
 *     by a Zipf law (exponent 1; the biggest are the big mailbox providers),
 *     local parts from a Zipf law over 60 000 names, a fifth of inbound
 *     mail from bulk senders with per-message bounce addresses (VERP), and
 *     5 000 users of our own; destination domains share MX hosts as they
 *     do in the world (Google and Microsoft host a large part, the rest is
 *     spread over 2 000 hosters). Distributions of e-mail traffic follow
 *     power laws (Shah and Noble, "A study of e-mail patterns", Software:
 *     Practice and Experience 2007).
 *   - 60 000 client hosts, drawn by a Zipf law (a few big senders make most
 *     of the connections), each with its own name, address and TLS habit.
 *   - TLS: about nine in ten inbound and outbound connections use TLS
 *     (TLS 1.3 most, TLS 1.2 the rest, a trace of TLS 1.0), the rest is
 *     plaintext, and about one in a hundred inbound handshakes fails.
 *     Google's transparency report measured 50 % of inbound and 65 % of
 *     outbound Gmail traffic encrypted in 2014 and 61 % inbound in 2015,
 *     rising every year since; the shares here continue that trend.
 *   - Message sizes from a measured cumulative distribution (23.5 % under
 *     2 KiB, half under 4 KiB, 98.5 % under 1 MiB: a 2002 measurement
 *     republished by J. Buchner, "Modelling realistic email traffic - email
 *     size distribution", 2009), scaled by two for today's HTML mail;
 *     message-ids in the forms big providers and common software write.
 *   - Outcomes: about 3 % of delivery attempts are deferred (greylisting,
 *     rate limits, timeouts) and succeed on a retry minutes later, about
 *     1 % bounce (unknown user), each with a non-delivery notice to the
 *     sender; one destination in a few hundred fails every TLS handshake,
 *     so its mail is retried with Postfix's backoff (5 minutes doubling to
 *     4000 s) until it expires after 5 days (maximal_queue_lifetime).
 *   - Noise at the rates an MX on the Internet sees: postscreen for every
 *     port 25 connection (PASS OLD for known clients, PASS NEW, a third
 *     rejected by DNSBL rank or pregreet, with dnsblog lines), a third of
 *     the remaining sessions without a message (unknown recipients, relay
 *     attempts, lost connections; the logreporters example report counts
 *     32 % of messages rejected and 42 % of connections lost), SASL
 *     password guessing on the submission port, hostname warnings,
 *     opendkim lines, amavis and dovecot lines, anvil and scache
 *     statistics every few minutes, pickup lines for local mail (cron),
 *     bounce notices. Traffic follows the hours of an office day.
 *
 * Lines are produced in time order through a heap of scheduled lines; a
 * truth record travels with the line that makes it, so lines scheduled
 * after the end of the log (retries) and their records are dropped
 * together. Memory is bounded by the messages in flight, not by SIZE.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define START 1740787200 /* 2025-03-01T00:00:00Z, a Saturday: the office day starts Monday */
#define NPIDS 60

#define NDOM       20000 /* outside domains */
#define NBIG       16    /* of which the big providers */
#define NMX        2000  /* MX hosts of the outside world */
#define NLOCALPART 60000
#define NUSERS     5000 /* our users */
#define NCLIENTS   60000
#define TAIL_KEEP  3600 /* seconds of retries kept after the last arrival */

struct line {
    int64_t t;
    uint64_t seq;
    char *text;
    char *truth; /* truth records this line makes, or NULL */
    char *conn;  /* connection records this line makes, or NULL */
};

static struct line *heap;
static size_t nheap, capheap;
static uint64_t seqno, rng = 0x9E3779B97F4A7C15ULL;
static FILE *out, *truth, *conns;
static uint64_t written;
static int64_t log_end = INT64_MAX; /* lines after this are dropped */

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

/* Uniform in [0, 1). */
static double
unif(void)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

/* True with probability p. */
static int
chance(double p)
{
    return unif() < p;
}

/* A fixed hash of a number (the world does not depend on the seed). */
static uint64_t
hash(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A Zipf law over n items (exponent s): the cumulative weights. */
struct zipf {
    double *cdf;
    unsigned n;
};

/* Builds a Zipf law. */
static void
zipf_init(struct zipf *z, unsigned n, double s)
{
    double sum = 0;
    unsigned i;

    z->n = n;
    z->cdf = malloc(n * sizeof(double));
    if (z->cdf == NULL)
        exit(70);
    for (i = 0; i < n; i++) {
        sum += 1.0 / pow((double)(i + 1), s);
        z->cdf[i] = sum;
    }
    for (i = 0; i < n; i++)
        z->cdf[i] /= sum;
}

/* Draws from a Zipf law: 0 is the most frequent item. */
static unsigned
zipf_draw(const struct zipf *z)
{
    double u = unif();
    unsigned lo = 0, hi = z->n - 1;

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (z->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Orders heap entries by time, then scheduling order. */
static int
before(const struct line *a, const struct line *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* Schedules one log line at time t with the truth and connection records it makes. */
static void
vsched(int64_t t, const char *tr, const char *cn, const char *fmt, va_list ap)
{
    char buf[2048];
    size_t i;

    vsnprintf(buf, sizeof(buf), fmt, ap);
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
    heap[i].truth = tr ? strdup(tr) : NULL;
    heap[i].conn = cn ? strdup(cn) : NULL;
    while (i > 0 && before(&heap[i], &heap[(i - 1) / 2])) {
        struct line tmp = heap[i];
        heap[i] = heap[(i - 1) / 2];
        heap[(i - 1) / 2] = tmp;
        i = (i - 1) / 2;
    }
}

/* Schedules one log line at time t. */
static void
sched(int64_t t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsched(t, NULL, NULL, fmt, ap);
    va_end(ap);
}

/* Schedules a line that makes records (truth tr and connection cn, either NULL). */
static void
sched_rec(int64_t t, const char *tr, const char *cn, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsched(t, tr, cn, fmt, ap);
    va_end(ap);
}

/* Writes out every line scheduled before time t (and drops those after log_end). */
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
        if (top.t <= log_end) {
            gmtime_r(&tt, &tm);
            n = fprintf(out, "%s %2d %02d:%02d:%02d mx1 %s\n", mon[tm.tm_mon], tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec, top.text);
            if (n > 0)
                written += (uint64_t)n;
            if (top.truth)
                fputs(top.truth, truth);
            if (top.conn)
                fputs(top.conn, conns);
        }
        free(top.text);
        free(top.truth);
        free(top.conn);
    }
}

/* ---- the world: names, hosts, TLS habits ---- */

static const char *const syl[] = {
    "ka", "lo", "mi",  "ne",  "ra",  "to",  "vi",  "su",  "be",  "do",  "fa",  "gu",  "hi", "jo",
    "ku", "la", "ma",  "no",  "pe",  "ri",  "sa",  "te",  "va",  "xo",  "ze",  "an",  "el", "or",
    "us", "in", "bar", "con", "dex", "fin", "gal", "har", "mon", "net", "pro", "tec",
};
#define NSYL (sizeof(syl) / sizeof(syl[0]))

/* Top-level domains and their weights (per mille), roughly as in mail traffic. */
static const struct {
    const char *tld;
    unsigned w;
} tlds[] = {
    { "com", 480 }, { "net", 80 }, { "org", 70 }, { "de", 80 },     { "co.uk", 40 }, { "fr", 30 },
    { "nl", 30 },   { "it", 20 },  { "es", 20 },  { "com.br", 20 }, { "jp", 20 },    { "ru", 20 },
    { "pl", 20 },   { "io", 20 },  { "ch", 15 },  { "se", 15 },     { "info", 10 },  { "edu", 10 },
};

/* The big mailbox providers: most mail comes from and goes to them. */
static const char *const big[NBIG] = {
    "gmail.com",      "outlook.com", "hotmail.com", "yahoo.com",      "icloud.com",  "gmx.de",
    "web.de",         "aol.com",     "proton.me",   "yandex.ru",      "t-online.de", "orange.fr",
    "googlemail.com", "live.com",    "mail.ru",     "protonmail.com",
};

/* Our own domains. */
static const char *const ours[] = { "example.org", "example.net", "corp.example.org",
                                    "lists.example.org" };
#define NOURS (sizeof(ours) / sizeof(ours[0]))

/* A first octet of a public IPv4 address (no private, loopback or link-local ranges). */
static unsigned
octet1(uint64_t h)
{
    unsigned o = 2 + (unsigned)(h % 220);

    return o == 10 || o == 100 || o == 127 || o == 169 || o == 172 || o == 192 ? o + 1 : o;
}

/* A word of 2-4 syllables from a hash. */
static void
word(uint64_t h, char *buf, size_t n)
{
    unsigned k = 2 + (unsigned)(h % 3), i;
    size_t len = 0;

    h /= 3;
    buf[0] = '\0';
    for (i = 0; i < k && len + 4 < n; i++) {
        len += (size_t)snprintf(buf + len, n - len, "%s", syl[h % NSYL]);
        h /= NSYL;
    }
}

/* TLS profiles, as Postfix logs them. */
struct tlsprof {
    const char *proto, *cipher, *bits, *tail;
};
static const struct tlsprof profs[] = {
    { NULL, NULL, NULL, NULL }, /* 0: plaintext */
    { "TLSv1.3", "TLS_AES_256_GCM_SHA384", "256/256",
      " key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256" },
    { "TLSv1.3", "TLS_AES_128_GCM_SHA256", "128/128",
      " key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256" },
    { "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", "256/256",
      " key-exchange X25519 server-signature RSA-PSS (4096 bits) server-digest SHA256" },
    { "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "256/256", "" },
    { "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", "128/128", "" },
    { "TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384", "256/256", "" },
    { "TLSv1.2", "ECDHE-RSA-AES256-SHA384", "256/256", "" },
    { "TLSv1.2", "AES256-GCM-SHA384", "256/256", "" },
    { "TLSv1", "ECDHE-RSA-AES256-SHA", "256/256", "" },
    { "TLSv1", "AES256-SHA", "256/256", "" },
};
#define P_PLAIN 0
#define P_FAIL  (-1) /* STARTTLS offered, the handshake always fails */

/* A TLS profile by the shares of the world (u uniform in [0, 1)). */
static int
draw_prof(double u, double plain, double fail)
{
    static const double w[] = { 0, 0.40, 0.14, 0.06, 0.20, 0.08, 0.04, 0.03, 0.03, 0.015, 0.005 };
    double acc = 0;
    unsigned i;

    if (u < fail)
        return P_FAIL;
    u -= fail;
    if (u < plain)
        return P_PLAIN;
    u = (u - plain) / (1.0 - plain - fail);
    for (i = 1; i < sizeof(w) / sizeof(w[0]); i++) {
        acc += w[i];
        if (u < acc)
            return (int)i;
    }
    return 1;
}

struct mx {
    char name[96], ip[48];
    int prof;
    const char *trust;
    int64_t last_made; /* last new connection (for conn_use) */
};

struct client {
    char name[96], ip[48];
    int prof;
};

static char (*domains)[48];
static unsigned *dom_mx;
static struct mx *mxs;
static char (*localparts)[96];
static struct client *clients;
static struct zipf z_dom, z_local, z_user, z_client, z_hoster;

/* Builds the world (the same for every seed). */
static void
world_init(void)
{
    unsigned i;

    domains = calloc(NDOM, sizeof(*domains));
    dom_mx = calloc(NDOM, sizeof(*dom_mx));
    mxs = calloc(NMX, sizeof(*mxs));
    localparts = calloc(NLOCALPART, sizeof(*localparts));
    clients = calloc(NCLIENTS, sizeof(*clients));
    if (!domains || !dom_mx || !mxs || !localparts || !clients)
        exit(70);
    zipf_init(&z_dom, NDOM, 1.0);
    zipf_init(&z_local, NLOCALPART, 1.0);
    zipf_init(&z_user, NUSERS, 0.8);
    zipf_init(&z_client, NCLIENTS, 1.0);
    zipf_init(&z_hoster, NMX - 10, 0.9);
    for (i = 0; i < NDOM; i++) {
        uint64_t h = hash(i);
        char w[40];
        unsigned k, acc = 0, r = (unsigned)(hash(h) % 1000);
        if (i < NBIG) {
            snprintf(domains[i], sizeof(domains[i]), "%s", big[i]);
            continue;
        }
        word(h, w, sizeof(w));
        for (k = 0; k < sizeof(tlds) / sizeof(tlds[0]) - 1; k++) {
            acc += tlds[k].w;
            if (r < acc)
                break;
        }
        /* The index keeps names unique. */
        snprintf(domains[i], sizeof(domains[i]), "%s%s%u.%s", w, i % 3 ? "" : "-", i % 997,
                 tlds[k].tld);
    }
    /* MX 0-4: Google, 5-9: Microsoft, the rest: hosters and own servers. */
    for (i = 0; i < NMX; i++) {
        uint64_t h = hash(i ^ 0x4D58ULL);
        struct mx *m = &mxs[i];
        if (i < 5) {
            snprintf(m->name, sizeof(m->name), "%saspmx.l.google.com",
                     i == 0 ? "" : (const char *[]){ "", "alt1.", "alt2.", "alt3.", "alt4." }[i]);
            snprintf(m->ip, sizeof(m->ip), "142.250.%u.%u", 150 + i, 26 + (unsigned)(h % 200));
            m->prof = 1;
            m->trust = "Verified";
        } else if (i < 10) {
            snprintf(m->name, sizeof(m->name), "mx%u.mail.protection.outlook.com", i - 4);
            snprintf(m->ip, sizeof(m->ip), "52.101.%u.%u", 40 + i, 10 + (unsigned)(h % 200));
            m->prof = 4;
            m->trust = "Trusted";
        } else {
            char w[40];
            word(h, w, sizeof(w));
            snprintf(m->name, sizeof(m->name), "mx%u.%s-mail%u.%s", 1 + (unsigned)(h % 3), w, i,
                     (h >> 20) % 4 ? "com" : "net");
            if ((h >> 8) % 8 == 0)
                snprintf(m->ip, sizeof(m->ip), "2a01:4f8:%x:%x::%x", (unsigned)(h >> 24) & 0xfff,
                         (unsigned)(h >> 36) & 0xffff, 2 + i);
            else
                snprintf(m->ip, sizeof(m->ip), "%u.%u.%u.%u", octet1(h >> 24),
                         (unsigned)((h >> 32) % 256), (unsigned)((h >> 40) % 256),
                         1 + (unsigned)((h >> 48) % 254));
            m->prof = draw_prof((double)(hash(h) % 1000000) / 1e6, 0.07, 0.004);
            m->trust = (h >> 52) % 3 == 0   ? "Untrusted"
                       : (h >> 52) % 3 == 1 ? "Trusted"
                                            : "Verified";
        }
    }
    /* Domains: the big ones on their own MX, the rest hosted. */
    {
        uint64_t save = rng;
        rng = 0x51ED2701ULL;
        for (i = 0; i < NDOM; i++) {
            double u = unif();
            if (i == 0 || i == 12) /* gmail.com, googlemail.com */
                dom_mx[i] = 0;
            else if (i == 1 || i == 2 || i == 13) /* outlook, hotmail, live */
                dom_mx[i] = 5 + i % 5;
            else if (i < NBIG)
                dom_mx[i] = 10 + i; /* own MX */
            else if (u < 0.30)
                dom_mx[i] = pick(5);
            else if (u < 0.55)
                dom_mx[i] = 5 + pick(5);
            else
                dom_mx[i] = 10 + zipf_draw(&z_hoster);
        }
        rng = save;
    }
    for (i = 0; i < NLOCALPART; i++) {
        uint64_t h = hash(i ^ 0x4C50ULL);
        char w[40], w2[40];
        word(h, w, sizeof(w));
        word(h >> 17, w2, sizeof(w2));
        switch (h % 5) {
        case 0:
            snprintf(localparts[i], sizeof(localparts[i]), "%s.%s", w, w2);
            break;
        case 1:
            snprintf(localparts[i], sizeof(localparts[i]), "%s%u", w, (unsigned)(h >> 40) % 100);
            break;
        case 2:
            snprintf(localparts[i], sizeof(localparts[i]), "%c%s", w2[0], w);
            break;
        default:
            snprintf(localparts[i], sizeof(localparts[i]), "%s", w);
            break;
        }
    }
    for (i = 0; i < NCLIENTS; i++) {
        uint64_t h = hash(i ^ 0x434CULL);
        struct client *c = &clients[i];
        unsigned a = (unsigned)(h >> 8) % 256, b = (unsigned)(h >> 16) % 256;
        unsigned d = (unsigned)(h >> 24) % 254 + 1, k = (unsigned)(h % 10);
        if (i < 40) { /* the big senders' outbound farms */
            snprintf(c->name, sizeof(c->name), "mail-%s%u-f%u.google.com",
                     (const char *[]){ "yw", "pl", "ej", "lf" }[i % 4], 1 + i % 3, 40 + i);
            snprintf(c->ip, sizeof(c->ip), "209.85.%u.%u", 128 + i, 40 + d % 200);
            c->prof = 1;
        } else if (i < 80) {
            snprintf(c->name, sizeof(c->name), "mail-%s%u.outbound.protection.outlook.com",
                     (const char *[]){ "db8eur05", "am7eur03", "vi1eur04" }[i % 3], i);
            snprintf(c->ip, sizeof(c->ip), "40.107.%u.%u", i, d);
            c->prof = 4;
        } else {
            char w[40];
            word(h >> 13, w, sizeof(w));
            if (k == 0)
                snprintf(c->name, sizeof(c->name), "unknown");
            else if (k < 3)
                snprintf(c->name, sizeof(c->name), "%u-%u-%u-%u.dyn.%s-isp%u.net", d, b, a, i % 90,
                         w, i % 300);
            else
                snprintf(c->name, sizeof(c->name), "%s%u.%s", k < 6 ? "mail" : "smtp-out",
                         1 + (unsigned)(h >> 40) % 20, domains[NBIG + (h >> 44) % (NDOM - NBIG)]);
            if ((h >> 50) % 10 == 0)
                snprintf(c->ip, sizeof(c->ip), "2001:db8:%x:%x::%x", (unsigned)(h >> 30) & 0xffff,
                         i, d);
            else
                snprintf(c->ip, sizeof(c->ip), "%u.%u.%u.%u", octet1(h >> 32), a, b, d);
            c->prof = draw_prof((double)(hash(h ^ 7) % 1000000) / 1e6, 0.09, 0.008);
        }
    }
}

/* ---- names of the moment ---- */

/* A fresh queue id (hex, as Postfix's short ids). */
static void
new_qid(char *buf)
{
    static uint64_t counter = 0x1A2B3C;
    counter += 1 + pick(5);
    snprintf(buf, 16, "%" PRIX64 "%X", counter, 0x10 + pick(0xEF));
}

/* An outside sender: address into buf, its domain index into *dom. */
static void
outside_sender(char *buf, size_t n, unsigned *dom)
{
    unsigned d = zipf_draw(&z_dom);

    *dom = d;
    if (chance(0.2)) /* bulk mail: a bounce address per message (VERP) */
        snprintf(buf, n, "bounce-%u-%08x=%s@%s", pick(90000), (unsigned)rnd(),
                 localparts[zipf_draw(&z_local)], domains[d]);
    else
        snprintf(buf, n, "%s@%s", localparts[zipf_draw(&z_local)], domains[d]);
}

/* One of our users: address into buf, domain index (into ours) into *dom. */
static void
our_user(char *buf, size_t n, unsigned *dom)
{
    unsigned u = zipf_draw(&z_user);

    *dom = (unsigned)(hash(u) % 10 < 7 ? 0 : 1 + hash(u) % (NOURS - 1));
    snprintf(buf, n, "%s@%s", localparts[(u * 7919u) % NLOCALPART], ours[*dom]);
}

/* A message-id in one of the forms the big providers and common software write. */
static void
message_id(char *buf, size_t n, const char *dom, int64_t t)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_-";
    char r[48];
    unsigned i;

    for (i = 0; i < 40; i++)
        r[i] = b64[pick(64)];
    r[40] = '\0';
    switch (pick(6)) {
    case 0:
        snprintf(buf, n, "CA%s@mail.gmail.com", r);
        break;
    case 1:
        snprintf(buf, n, "%.30s@%.20s.eurprd0%u.prod.outlook.com", r, r + 12, 1 + pick(8));
        break;
    case 2:
        snprintf(buf, n, "%08x-%04x-%04x-%04x-%012" PRIx64 "@%s", (unsigned)rnd(), pick(0x10000),
                 pick(0x10000), pick(0x10000), (uint64_t)(rnd() & 0xffffffffffffULL), dom);
        break;
    case 3:
        snprintf(buf, n, "%" PRId64 ".%u.%u@%s", t * 1000 + pick(1000), pick(100000), pick(1000000),
                 dom);
        break;
    case 4:
        snprintf(buf, n, "%.16s.%u@list.%s", r, pick(10000000), dom);
        break;
    default:
        snprintf(buf, n, "20250301%06u.%.12s@%s", pick(1000000), r + 3, dom);
        break;
    }
}

/* A message size: the measured distribution over powers of two, times two. */
static unsigned
msg_size(void)
{
    static const double cdf[] = { 0.2353, 0.4917, 0.676,  0.7958, 0.8536, 0.9047,
                                  0.933,  0.9574, 0.9724, 0.9849, 0.9996, 1.0 };
    double u = unif();
    unsigned i = 0;

    while (i < 11 && cdf[i] <= u)
        i++;
    if (i == 0)
        return 2 * (900 + pick(1148));
    /* Log-uniform inside the bucket [2^(10+i), 2^(11+i)). */
    return (unsigned)(2.0 * pow(2.0, 10.0 + i + (u - cdf[i - 1]) / (cdf[i] - cdf[i - 1])));
}

/* ---- processes ---- */

static int64_t smtpd_busy[NPIDS], sub_busy[NPIDS], smtp_busy[NPIDS], lmtp_busy[NPIDS];
static int out_tls_seen; /* an outbound TLS line was logged (TLS logging evident) */
static int first_ok;     /* the first delivery of the log: sent over TLS, no surprises */

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

/* The TLS of a profile as the truth writes it. */
static void
tls_str(int prof, char *buf, size_t n)
{
    if (prof <= 0)
        snprintf(buf, n, "plaintext");
    else
        snprintf(buf, n, "%s:%s", profs[prof].proto, profs[prof].cipher);
}

/* A message in the queue, for the truth of its inbound record. */
struct msg {
    char qid[16];       /* the queue id the lines use */
    const char *orig;   /* the original queue id (records are reported under it) */
    const char *sender; /* envelope sender */
    const char *sdom;   /* its domain, as the truth writes it */
    int64_t first_t;    /* the first delivery line, by (time, order) */
    uint64_t first_seq;
    char first_dom[64]; /* its recipient domain */
};

/* Notes a delivery line at (t, the next sequence number) for the first-recipient rule. */
static void
note_delivery(struct msg *m, int64_t t, const char *dom)
{
    if (m->first_dom[0] == '\0' || t < m->first_t || (t == m->first_t && seqno < m->first_seq)) {
        m->first_t = t;
        m->first_seq = seqno;
        snprintf(m->first_dom, sizeof(m->first_dom), "%s", dom);
    }
}

/* One recipient. */
struct rcpt {
    char addr[96];
    const char *dom;
    unsigned didx; /* outside: domain index */
    unsigned mx;   /* outside: MX index */
    int local;
};

/* A local non-delivery notice to sender (our user) of a bounced or expired message. */
static void
bounce_notice(int64_t t, const char *qid, const char *sender)
{
    char nq[16], mid[128];
    int bpid = 3000 + (int)pick(20);

    new_qid(nq);
    message_id(mid, sizeof(mid), "mx1.example.org", t);
    sched(t, "postfix/bounce[%d]: %s: sender non-delivery notification: %s", bpid, qid, nq);
    sched(t, "postfix/cleanup[%d]: %s: message-id=<%s>", 800 + (int)pick(8), nq, mid);
    sched(t, "postfix/qmgr[900]: %s: from=<>, size=%u, nrcpt=1 (queue active)", nq,
          3000 + pick(4000));
    sched(t + 1,
          "postfix/lmtp[%d]: %s: to=<%s>, relay=mail.example.org[private/dovecot-lmtp], "
          "delay=0.05, delays=0.01/0.01/0/0.03, dsn=2.0.0, status=sent (250 2.0.0 <%s> "
          "%08x Saved)",
          30000 + (int)pick(NPIDS), nq, sender, sender, (unsigned)rnd());
    sched(t + 1, "postfix/qmgr[900]: %s: removed", nq);
}

/*
 * One remote delivery attempt of the recipients r[0..n) (one domain, one MX)
 * of message m at time t, retry number `retry`. Returns the number of
 * recipients still to deliver (0 when done), and sets *bounced when a
 * recipient bounced.
 */
static unsigned
deliver_remote(int64_t t, struct msg *m, struct rcpt *r, unsigned n, int retry, int *bounced)
{
    struct mx *x = &mxs[r[0].mx];
    char tls[96], tr[512], cn[128], conn_use[24] = "";
    int pid = take_pid(smtp_busy, 20000, t, t + 2), prof = x->prof;
    unsigned i, left = 0;
    double u = first_ok ? 0.5 : unif();
    /* Reuse only a connection made at least two seconds before (in log order). */
    int reuse = prof >= 0 && x->last_made > 0 && x->last_made + 2 <= t && t - x->last_made < 300 &&
                chance(0.3);

    if (prof < 0) {
        sched_rec(t, NULL, "out\tfailed_tls\t-\n",
                  "postfix/smtp[%d]: SSL_connect error to %s[%s]:25: -1", pid, x->name, x->ip);
        sched(t,
              "postfix/smtp[%d]: warning: TLS library problem: error:0A000102:SSL "
              "routines::unsupported protocol:../ssl/statem/statem_clnt.c:1032:",
              pid);
        for (i = 0; i < n; i++) {
            snprintf(tr, sizeof(tr), "out\t%s\t%s\t%s\tunknown\tdeferred\n", m->orig, m->sdom,
                     r[i].dom);
            note_delivery(m, t, r[i].dom);
            sched_rec(t, tr, NULL,
                      "postfix/smtp[%d]: %s: to=<%s>, relay=%s[%s]:25, delay=%u, "
                      "delays=0.1/0/0.9/0, dsn=4.7.5, status=deferred (Cannot start TLS: "
                      "handshake failure)",
                      pid, m->qid, r[i].addr, x->name, x->ip, 1 + retry * 300);
        }
        return n;
    }
    if (u < 0.008) { /* no connection: timeout */
        for (i = 0; i < n; i++) {
            snprintf(tr, sizeof(tr), "out\t%s\t%s\t%s\tunknown\tdeferred\n", m->orig, m->sdom,
                     r[i].dom);
            note_delivery(m, t, r[i].dom);
            sched_rec(t, tr, NULL,
                      "postfix/smtp[%d]: %s: to=<%s>, relay=none, delay=30, delays=0/0/30/0, "
                      "dsn=4.4.1, status=deferred (connect to %s[%s]:25: Connection timed out)",
                      pid, m->qid, r[i].addr, x->name, x->ip);
        }
        return n;
    }
    tls_str(prof, tls, sizeof(tls));
    if (prof == P_PLAIN && !out_tls_seen)
        snprintf(tls, sizeof(tls), "unknown"); /* TLS logging not yet evident */
    if (reuse) {
        snprintf(conn_use, sizeof(conn_use), " conn_use=%u,", 2 + pick(5));
    } else {
        cn[0] = '\0';
        if (prof > 0 || out_tls_seen)
            snprintf(cn, sizeof(cn), "out\t%s\t%s\n", prof > 0 ? "tls" : "plaintext",
                     prof > 0 ? tls : "-");
        if (prof > 0) {
            sched_rec(t, NULL, cn,
                      "postfix/smtp[%d]: %s TLS connection established to %s[%s]:25: %s with "
                      "cipher %s (%s bits)%s",
                      pid, x->trust, x->name, x->ip, profs[prof].proto, profs[prof].cipher,
                      profs[prof].bits, profs[prof].tail);
            out_tls_seen = 1;
        }
        if (t > x->last_made)
            x->last_made = t;
    }
    for (i = 0; i < n; i++) {
        const char *cnr =
            (!reuse && prof == P_PLAIN && i == 0 && out_tls_seen) ? "out\tplaintext\t-\n" : NULL;
        note_delivery(m, t, r[i].dom);
        if (u < 0.02 && retry < 3) { /* greylisting or a rate limit: retried later */
            snprintf(tr, sizeof(tr), "out\t%s\t%s\t%s\t%s\tdeferred\n", m->orig, m->sdom, r[i].dom,
                     tls);
            sched_rec(t, tr, cnr,
                      "postfix/smtp[%d]: %s: to=<%s>, relay=%s[%s]:25,%s delay=%u, "
                      "delays=0.1/0/0.4/0.2, dsn=4.7.1, status=deferred (host %s[%s] said: 450 "
                      "4.7.1 <%s>: Recipient address rejected: Greylisted, see "
                      "https://postgrey.example/ (in reply to RCPT TO command))",
                      pid, m->qid, r[i].addr, x->name, x->ip, conn_use, 1 + retry * 400, x->name,
                      x->ip, r[i].addr);
            r[left++] = r[i];
        } else if (u < 0.03 && retry < 3) {
            snprintf(tr, sizeof(tr), "out\t%s\t%s\t%s\t%s\tdeferred\n", m->orig, m->sdom, r[i].dom,
                     tls);
            sched_rec(t, tr, cnr,
                      "postfix/smtp[%d]: %s: to=<%s>, relay=%s[%s]:25,%s delay=%u, "
                      "delays=0.1/0/0.3/0.3, dsn=4.7.0, status=deferred (host %s[%s] said: 421 "
                      "4.7.0 Try again later, closing connection. (in reply to MAIL FROM "
                      "command))",
                      pid, m->qid, r[i].addr, x->name, x->ip, conn_use, 1 + retry * 400, x->name,
                      x->ip);
            r[left++] = r[i];
        } else if (chance(0.01) && !first_ok) {
            snprintf(tr, sizeof(tr), "out\t%s\t%s\t%s\t%s\tbounced\n", m->orig, m->sdom, r[i].dom,
                     tls);
            sched_rec(t, tr, cnr,
                      "postfix/smtp[%d]: %s: to=<%s>, relay=%s[%s]:25,%s delay=1.1, "
                      "delays=0.1/0/0.5/0.5, dsn=5.1.1, status=bounced (host %s[%s] said: 550 "
                      "5.1.1 <%s>: Recipient address rejected: User unknown (in reply to RCPT TO "
                      "command))",
                      pid, m->qid, r[i].addr, x->name, x->ip, conn_use, x->name, x->ip, r[i].addr);
            *bounced = 1;
        } else {
            snprintf(tr, sizeof(tr), "out\t%s\t%s\t%s\t%s\tsent\n", m->orig, m->sdom, r[i].dom,
                     tls);
            sched_rec(t, tr, cnr,
                      "postfix/smtp[%d]: %s: to=<%s>, relay=%s[%s]:25,%s delay=%.2f, "
                      "delays=0.1/0.02/%.2f/%.2f, dsn=2.0.0, status=sent (250 2.0.0 OK  %u "
                      "%08x - gsmtp)",
                      pid, m->qid, r[i].addr, x->name, x->ip, conn_use, 0.5 + unif() * 3,
                      0.1 + unif(), 0.2 + unif(), (unsigned)(t & 0xfffffff), (unsigned)rnd());
        }
    }
    return left;
}

/* One local delivery (LMTP to the mailbox server) of message m to r at time t. */
static void
deliver_local(int64_t t, struct msg *m, const struct rcpt *r, const char *mid)
{
    int pid = take_pid(lmtp_busy, 30000, t, t + 1);

    note_delivery(m, t, r->dom);
    sched(t,
          "postfix/lmtp[%d]: %s: to=<%s>, relay=mail.example.org[private/dovecot-lmtp], "
          "delay=%.2f, delays=0.1/0.01/0.01/0.05, dsn=2.0.0, status=sent (250 2.0.0 <%s> "
          "%08x%04x Saved)",
          pid, m->qid, r->addr, 0.2 + unif(), r->addr, (unsigned)rnd(), pick(0x10000));
    sched(t, "dovecot: lmtp(%s)<%u><%08x%04x>: msgid=<%s>: saved mail to INBOX", r->addr,
          40000 + pick(20000), (unsigned)rnd(), pick(0x10000), mid);
}

/*
 * The deliveries of queued message m to rc[0..n) from time t: local ones
 * over LMTP, outside ones grouped by domain over one connection each, with
 * retries. Returns the time the message leaves the queue, or -1 when it
 * expires (the expiry is logged here).
 */
static int64_t
deliveries(int64_t t, struct msg *m, struct rcpt *rc, unsigned n, const char *mid, unsigned size,
           int our_sender)
{
    unsigned i, j;
    int64_t done = t + 1, arrival = t;
    int bounced = 0, expired = 0;

    sched(t, "postfix/qmgr[900]: %s: from=<%s>, size=%u, nrcpt=%u (queue active)", m->qid,
          m->sender, size, n);
    t++;
    for (i = 0; i < n; i++)
        if (rc[i].local)
            deliver_local(t, m, &rc[i], mid);
    /* Outside recipients: one connection per domain, all at once. */
    for (i = 0; i < n; i++) {
        struct rcpt grp[8];
        unsigned g = 0, left;
        int retry = 0;
        int64_t tt = t, backoff = 300;
        if (rc[i].local || rc[i].dom == NULL)
            continue;
        for (j = i; j < n && g < 8; j++)
            if (!rc[j].local && rc[j].dom != NULL && strcmp(rc[j].dom, rc[i].dom) == 0) {
                grp[g++] = rc[j];
                if (j != i)
                    rc[j].dom = NULL; /* taken */
            }
        left = deliver_remote(tt, m, grp, g, retry, &bounced);
        while (left > 0) {
            tt += backoff + pick((unsigned)backoff / 2);
            if (backoff < 4000)
                backoff = backoff * 2 > 4000 ? 4000 : backoff * 2;
            retry++;
            if (tt - arrival > 5 * 86400) {
                expired = 1;
                break;
            }
            sched(tt - 1, "postfix/qmgr[900]: %s: from=<%s>, size=%u, nrcpt=%u (queue active)",
                  m->qid, m->sender, size, n);
            left = deliver_remote(tt, m, grp, left, retry, &bounced);
        }
        if (tt > done)
            done = tt;
    }
    if (expired) {
        char tr[256];
        done += 1;
        snprintf(tr, sizeof(tr), "out\t%s\t%s\t%s\tunknown\texpired\n", m->orig, m->sdom,
                 m->first_dom);
        sched_rec(done, tr, NULL,
                  "postfix/qmgr[900]: %s: from=<%s>, status=expired, returned to sender", m->qid,
                  m->sender);
        if (our_sender)
            bounce_notice(done, m->qid, m->sender);
        return done + 1;
    }
    if (bounced && our_sender)
        bounce_notice(done, m->qid, m->sender);
    return done + 1;
}

/* ---- arrivals ---- */

/* The inbound truth record of m, received over TLS profile prof. */
static void
truth_in(const struct msg *m, int prof, const char *line_tls_unknown)
{
    char tls[96];

    tls_str(prof, tls, sizeof(tls));
    if (line_tls_unknown)
        snprintf(tls, sizeof(tls), "%s", line_tls_unknown);
    fprintf(truth, "in\t%s\t%s\t%s\t%s\treceived\n", m->qid, m->sdom, m->first_dom, tls);
}

/* Inbound message from an outside client over smtpd session pid at time t. */
static void
inbound_message(int64_t t, int pid, int prof, const struct client *c)
{
    struct msg m;
    struct rcpt rc[6];
    char sender[160], mid[160], sdom[64];
    unsigned n = 1, i, sd, size = msg_size();
    int filter = chance(0.3), forward;

    memset(&m, 0, sizeof(m));
    new_qid(m.qid);
    m.orig = m.qid;
    if (chance(0.03)) {
        snprintf(sender, sizeof(sender), "%s", ""); /* null sender: a bounce from outside */
        sdom[0] = '\0';
        sd = 0;
    } else {
        outside_sender(sender, sizeof(sender), &sd);
        snprintf(sdom, sizeof(sdom), "%s", domains[sd]);
    }
    m.sender = sender;
    m.sdom = sdom;
    if (chance(0.15))
        n = 2 + pick(4);
    for (i = 0; i < n; i++) {
        unsigned d;
        our_user(rc[i].addr, sizeof(rc[i].addr), &d);
        rc[i].dom = ours[d];
        rc[i].local = 1;
    }
    /* Some users forward their mail to a mailbox elsewhere (a .forward or an alias). */
    forward = chance(0.04);
    if (forward) {
        unsigned d = zipf_draw(&z_dom);
        snprintf(rc[0].addr, sizeof(rc[0].addr), "%s@%s", localparts[zipf_draw(&z_local)],
                 domains[d]);
        rc[0].dom = domains[d];
        rc[0].mx = dom_mx[d];
        rc[0].local = 0;
    }
    message_id(mid, sizeof(mid), sdom[0] ? sdom : "mailer.example", t);
    sched(t, "postfix/smtpd[%d]: %s: client=%s[%s]", pid, m.qid, c->name, c->ip);
    sched(t, "postfix/cleanup[%d]: %s: message-id=<%s>", 800 + (int)pick(8), m.qid, mid);
    if (chance(0.01)) { /* spam, rejected by the milter at end of data */
        sched(t,
              "postfix/cleanup[%d]: %s: milter-reject: END-OF-MESSAGE from %s[%s]: 5.7.1 Spam "
              "message rejected; from=<%s> to=<%s> proto=ESMTP helo=<%s>",
              800 + (int)pick(8), m.qid, c->name, c->ip, sender, rc[0].addr, c->name);
        return;
    }
    if (sdom[0] != '\0' && chance(0.6))
        sched(t, "opendkim[%d]: %s: %s", 600 + (int)pick(4), m.qid,
              chance(0.9) ? "DKIM verification successful" : "no signature data");
    if (!filter) {
        int64_t removed = deliveries(t + 1, &m, rc, n, mid, size, 0);
        sched(removed, "postfix/qmgr[900]: %s: removed", m.qid);
    } else {
        /* Content filter on 127.0.0.1:10024, re-injected through 127.0.0.1:10025. */
        struct msg cp;
        int rpid = 40000 + (int)pick(NPIDS), fpid = 45000 + (int)pick(NPIDS);
        int early = pick(3) == 0;
        int64_t tf = t + 2, removed;

        memset(&cp, 0, sizeof(cp));
        new_qid(cp.qid);
        cp.orig = m.qid;
        cp.sender = sender;
        cp.sdom = sdom;
        sched(t + 1, "postfix/qmgr[900]: %s: from=<%s>, size=%u, nrcpt=%u (queue active)", m.qid,
              sender, size, n);
        sched(tf, "postfix/smtpd[%d]: connect from localhost[127.0.0.1]", rpid);
        sched(tf, "postfix/smtpd[%d]: %s: client=localhost[127.0.0.1]", rpid, cp.qid);
        sched(tf, "postfix/cleanup[%d]: %s: message-id=<%s>", 800 + (int)pick(8), cp.qid, mid);
        sched(tf,
              "postfix/smtpd[%d]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 "
              "rcpt=%u data=1 quit=1 commands=%u",
              rpid, n, 4 + n);
        sched(tf + 1,
              "amavis[%d]: (%05d-%02d) Passed CLEAN {RelayedInbound}, [%s]:%u [%s] <%s> -> <%s>, "
              "Queue-ID: %s, Message-ID: <%s>, mail_id: %.12s, Hits: %.3f, size: %u, "
              "queued_as: %s, %u ms",
              2000 + (int)pick(4), 10000 + (int)pick(50000), 1 + (int)pick(30), c->ip,
              1024 + pick(60000), c->ip, sender, rc[0].addr, m.qid, mid, mid, unif() * 4 - 1, size,
              cp.qid, 200 + pick(3000));
        /* The copy may be delivered before the original's line that maps it. */
        removed = deliveries(early ? tf : tf + 2, &cp, rc, n, mid, size + 600, 0);
        for (i = 0; i < n; i++) {
            note_delivery(&m, tf + 1, rc[i].dom);
            sched(tf + 1,
                  "postfix/smtp[%d]: %s: to=<%s>, relay=127.0.0.1[127.0.0.1]:10024, "
                  "delay=2, delays=0/0/0/2, dsn=2.0.0, status=sent (250 2.0.0 from "
                  "MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as %s)",
                  fpid, m.qid, rc[i].addr, cp.qid);
        }
        sched(tf + 1, "postfix/qmgr[900]: %s: removed", m.qid);
        sched(removed, "postfix/qmgr[900]: %s: removed", cp.qid);
    }
    truth_in(&m, prof, NULL);
}

/* One connection to port 25 at time t. */
static void
port25(int64_t t)
{
    const struct client *c = &clients[zipf_draw(&z_client)];
    unsigned port = 1024 + pick(64000), i, n;
    int pid, prof = c->prof;
    double u = unif();
    char tls[96], cn[128];

    sched(t, "postfix/postscreen[700]: CONNECT from [%s]:%u to [192.0.2.25]:25", c->ip, port);
    if (u < 0.22) { /* a bot: blocked by DNSBL score */
        const char *list = (const char *[]){ "zen.spamhaus.org", "bl.spamcop.net",
                                             "b.barracudacentral.org" }[pick(3)];
        sched(t, "postfix/dnsblog[%d]: addr %s listed by domain %s as 127.0.0.%u",
              710 + (int)pick(4), c->ip, list, 2 + pick(10));
        sched(t + 1, "postfix/postscreen[700]: DNSBL rank %u for [%s]:%u", 3 + pick(4), c->ip,
              port);
        sched(t + 2,
              "postfix/postscreen[700]: NOQUEUE: reject: RCPT from [%s]:%u: 550 5.7.1 Service "
              "unavailable; client [%s] blocked using %s; from=<%s@%s>, to=<%s@%s>, proto=ESMTP, "
              "helo=<%s>",
              c->ip, port, c->ip, list, localparts[zipf_draw(&z_local)], domains[zipf_draw(&z_dom)],
              localparts[zipf_draw(&z_local)], ours[pick(NOURS)], c->name);
        sched(t + 2, "postfix/postscreen[700]: DISCONNECT [%s]:%u", c->ip, port);
        return;
    }
    if (u < 0.30) { /* a bot that talks first */
        sched(t, "postfix/postscreen[700]: PREGREET %u after 0.%02u from [%s]:%u: EHLO %s\\r\\n",
              11 + pick(20), pick(100), c->ip, port, c->name);
        sched(t + 1, "postfix/postscreen[700]: DISCONNECT [%s]:%u", c->ip, port);
        return;
    }
    if (chance(0.85))
        sched(t, "postfix/postscreen[700]: PASS OLD [%s]:%u", c->ip, port);
    else
        sched(t, "postfix/postscreen[700]: PASS NEW [%s]:%u", c->ip, port);
    pid = take_pid(smtpd_busy, 10000, t, t + 12);
    sched(t, "postfix/smtpd[%d]: connect from %s[%s]", pid, c->name, c->ip);
    if (strcmp(c->name, "unknown") == 0 && chance(0.5))
        sched(t,
              "postfix/smtpd[%d]: warning: hostname %u-%u.example.net does not resolve to "
              "address %s: Name or service not known",
              pid, pick(250), pick(250), c->ip);
    if (prof < 0) { /* failed handshake */
        sched_rec(t, NULL, "in\tfailed_tls\t-\n",
                  "postfix/smtpd[%d]: SSL_accept error from %s[%s]: -1", pid, c->name, c->ip);
        sched(t,
              "postfix/smtpd[%d]: warning: TLS library problem: error:0A0000C1:SSL "
              "routines::no shared cipher:../ssl/statem/statem_srvr.c:1749:",
              pid);
        sched(t, "postfix/smtpd[%d]: lost connection after STARTTLS from %s[%s]", pid, c->name,
              c->ip);
        sched(t, "postfix/smtpd[%d]: disconnect from %s[%s] ehlo=1 starttls=0/1 commands=1/2", pid,
              c->name, c->ip);
        return;
    }
    tls_str(prof, tls, sizeof(tls));
    snprintf(cn, sizeof(cn), "in\t%s\t%s\n", prof > 0 ? "tls" : "plaintext", prof > 0 ? tls : "-");
    u = unif();
    if (u < 0.08) { /* gone after EHLO, before STARTTLS */
        sched(t + 1, "postfix/smtpd[%d]: lost connection after EHLO from %s[%s]", pid, c->name,
              c->ip);
        sched_rec(t + 1, NULL, "in\tplaintext\t-\n",
                  "postfix/smtpd[%d]: disconnect from %s[%s] ehlo=1 commands=1", pid, c->name,
                  c->ip);
        return;
    }
    if (prof > 0)
        sched(t,
              "postfix/smtpd[%d]: Anonymous TLS connection established from %s[%s]: %s with "
              "cipher %s (%s bits)%s",
              pid, c->name, c->ip, profs[prof].proto, profs[prof].cipher, profs[prof].bits,
              profs[prof].tail);
    if (u < 0.33) { /* rejected recipient: unknown user or relay attempt */
        int relay = chance(0.3);
        sched(t + 1,
              "postfix/smtpd[%d]: NOQUEUE: reject: RCPT from %s[%s]: %s; from=<%s@%s> "
              "to=<%s@%s> proto=ESMTP helo=<%s>",
              pid, c->name, c->ip,
              relay ? "454 4.7.1 <x@y>: Relay access denied"
                    : "550 5.1.1 <user@example.org>: Recipient address rejected: User unknown in "
                      "virtual mailbox table",
              localparts[zipf_draw(&z_local)], domains[zipf_draw(&z_dom)],
              localparts[zipf_draw(&z_local)], relay ? domains[zipf_draw(&z_dom)] : ours[0],
              c->name);
        sched_rec(t + 2, NULL, cn,
                  "postfix/smtpd[%d]: disconnect from %s[%s] ehlo=%d%s mail=1 rcpt=0/1 quit=1 "
                  "commands=%d/%d",
                  pid, c->name, c->ip, prof ? 2 : 1, prof ? " starttls=1" : "", prof ? 5 : 3,
                  prof ? 6 : 4);
        return;
    }
    n = chance(0.85) ? 1 : 2 + pick(3);
    for (i = 0; i < n; i++)
        inbound_message(t + 1 + i, pid, prof, c);
    sched_rec(t + 2 + n, NULL, cn,
              "postfix/smtpd[%d]: disconnect from %s[%s] ehlo=%d%s mail=%u rcpt=%u data=%u "
              "quit=1 commands=%u",
              pid, c->name, c->ip, prof ? 2 : 1, prof ? " starttls=1" : "", n, n, n,
              (prof ? 3 : 2) + 3 * n);
}

/* A connection to the submission port at time t: a user sends mail, or a bot guesses passwords. */
static void
submission(int64_t t, int first)
{
    struct msg m;
    struct rcpt rc[6];
    char sender[160], mid[160], tls[96], cn[128], host[96], ip[48];
    unsigned n, i, sd, size;
    int pid = take_pid(sub_busy, 15000, t, t + 8);
    int prof = chance(0.85) ? 1 + (int)pick(2) : 4;
    int64_t removed;
    uint64_t h = rnd();

    if (!first && chance(0.25)) { /* a password guesser */
        snprintf(host, sizeof(host), "unknown");
        snprintf(ip, sizeof(ip), "%u.%u.%u.%u", octet1(rnd()), pick(256), pick(256), 1 + pick(254));
        tls_str(prof, tls, sizeof(tls));
        snprintf(cn, sizeof(cn), "in\ttls\t%s\n", tls);
        sched(t, "postfix/submission/smtpd[%d]: connect from %s[%s]", pid, host, ip);
        sched(t,
              "postfix/submission/smtpd[%d]: Anonymous TLS connection established from %s[%s]: "
              "%s with cipher %s (%s bits)%s",
              pid, host, ip, profs[prof].proto, profs[prof].cipher, profs[prof].bits,
              profs[prof].tail);
        sched(t + 2,
              "postfix/submission/smtpd[%d]: warning: %s[%s]: SASL LOGIN authentication failed: "
              "UGFzc3dvcmQ6",
              pid, host, ip);
        sched(t + 2, "postfix/submission/smtpd[%d]: lost connection after AUTH from %s[%s]", pid,
              host, ip);
        sched_rec(t + 2, NULL, cn,
                  "postfix/submission/smtpd[%d]: disconnect from %s[%s] ehlo=2 starttls=1 "
                  "auth=0/1 commands=3/4",
                  pid, host, ip);
        return;
    }
    memset(&m, 0, sizeof(m));
    new_qid(m.qid);
    m.orig = m.qid;
    our_user(sender, sizeof(sender), &sd);
    m.sender = sender;
    m.sdom = ours[sd];
    snprintf(host, sizeof(host), "%u-%u-%u-%u.dyn.isp%u.example.net", (unsigned)(h >> 8) % 256,
             (unsigned)(h >> 16) % 256, (unsigned)(h >> 24) % 256, (unsigned)(h >> 32) % 256,
             (unsigned)(h >> 40) % 40);
    snprintf(ip, sizeof(ip), "%u.%u.%u.%u", octet1(h >> 24), (unsigned)(h >> 16) % 256,
             (unsigned)(h >> 8) % 256, 80 + (unsigned)(h >> 48) % 150);
    n = chance(0.7) ? 1 : 2 + pick(4);
    if (first)
        n = 1;
    for (i = 0; i < n; i++) {
        if (!first && chance(0.25)) {
            unsigned d;
            our_user(rc[i].addr, sizeof(rc[i].addr), &d);
            rc[i].dom = ours[d];
            rc[i].local = 1;
        } else {
            /* Several recipients are often at one domain (colleagues at a customer). */
            unsigned d =
                i > 0 && !rc[i - 1].local && chance(0.3) ? rc[i - 1].didx : zipf_draw(&z_dom);
            if (first)
                d = 0; /* gmail.com over TLS: TLS logging is evident from the start */
            snprintf(rc[i].addr, sizeof(rc[i].addr), "%s@%s", localparts[zipf_draw(&z_local)],
                     domains[d]);
            rc[i].dom = domains[d];
            rc[i].didx = d;
            rc[i].mx = dom_mx[d];
            rc[i].local = 0;
        }
    }
    size = msg_size();
    tls_str(prof, tls, sizeof(tls));
    snprintf(cn, sizeof(cn), "in\ttls\t%s\n", tls);
    message_id(mid, sizeof(mid), m.sdom, t);
    sched(t, "postfix/submission/smtpd[%d]: connect from %s[%s]", pid, host, ip);
    sched(t,
          "postfix/submission/smtpd[%d]: Anonymous TLS connection established from %s[%s]: %s "
          "with cipher %s (%s bits)%s",
          pid, host, ip, profs[prof].proto, profs[prof].cipher, profs[prof].bits, profs[prof].tail);
    sched(t + 1,
          "postfix/submission/smtpd[%d]: %s: client=%s[%s], sasl_method=PLAIN, "
          "sasl_username=%s",
          pid, m.qid, host, ip, sender);
    sched(t + 1, "postfix/cleanup[%d]: %s: message-id=<%s>", 800 + (int)pick(8), m.qid, mid);
    sched(t + 1, "opendkim[%d]: %s: DKIM-Signature field added (s=mail, d=%s)", 600 + (int)pick(4),
          m.qid, m.sdom);
    sched_rec(t + 2, NULL, cn,
              "postfix/submission/smtpd[%d]: disconnect from %s[%s] ehlo=2 starttls=1 auth=1 "
              "mail=1 rcpt=%u data=1 quit=1 commands=%u",
              pid, host, ip, n, 7 + n);
    removed = deliveries(t + 2, &m, rc, n, mid, size, 1);
    sched(removed, "postfix/qmgr[900]: %s: removed", m.qid);
    truth_in(&m, prof, NULL);
}

/* Local mail (cron, logwatch): pickup, delivered to a mailbox here. */
static void
local_mail(int64_t t)
{
    char qid[16], mid[128];
    const char *who = (const char *[]){ "root", "logwatch", "www-data", "backup" }[pick(4)];

    new_qid(qid);
    message_id(mid, sizeof(mid), "mx1.example.org", t);
    sched(t, "postfix/pickup[%d]: %s: uid=%u from=<%s>", 500 + (int)pick(3), qid,
          strcmp(who, "root") == 0 ? 0 : 33 + pick(1000), who);
    sched(t, "postfix/cleanup[%d]: %s: message-id=<%s>", 800 + (int)pick(8), qid, mid);
    sched(t + 1,
          "postfix/qmgr[900]: %s: from=<%s@mx1.example.org>, size=%u, nrcpt=1 (queue "
          "active)",
          qid, who, 600 + pick(20000));
    sched(t + 1,
          "postfix/local[%d]: %s: to=<root@mx1.example.org>, orig_to=<%s>, relay=local, "
          "delay=0.02, delays=0.01/0/0/0.01, dsn=2.0.0, status=sent (delivered to mailbox)",
          2500 + (int)pick(5), qid, who);
    sched(t + 1, "postfix/qmgr[900]: %s: removed", qid);
}

/* Relative traffic by hour of the day (UTC), weekdays; weekends carry half. */
static double
hour_weight(int64_t t)
{
    static const double w[24] = { 0.25, 0.2, 0.2,  0.2,  0.25, 0.35, 0.55, 0.8,
                                  1.0,  1.1, 1.1,  1.05, 0.95, 1.0,  1.05, 1.0,
                                  0.9,  0.8, 0.65, 0.55, 0.5,  0.45, 0.35, 0.3 };
    int64_t day = (t / 86400 + 4) % 7; /* 0 = Sunday (1970-01-01 was a Thursday) */

    return w[(t / 3600) % 24] * (day == 0 || day == 6 ? 0.5 : 1.0);
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
    uint64_t size = 1 << 20, nev = UINT64_MAX, events = 0;
    const char *outpath = NULL, *truthpath = NULL, *connspath = NULL;
    int64_t t = START, next_anvil = START + 600, next_scache = START + 300;
    double frac = 0;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            size = parse_size(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            nev = strtoull(argv[++i], NULL, 10), size = UINT64_MAX;
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            rng = strtoull(argv[++i], NULL, 10) * 2 + 1;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            outpath = argv[++i];
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
            truthpath = argv[++i];
        else if (strcmp(argv[i], "-C") == 0 && i + 1 < argc)
            connspath = argv[++i];
        else {
            fprintf(stderr, "usage: gen-postfix-log [-s SIZE] [-n EVENTS] [-r SEED] "
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
    world_init();
    first_ok = 1;
    submission(t, 1); /* the first outbound delivery is over TLS */
    first_ok = 0;
    t += 3;
    while (written < size && events < nev) {
        double u = unif();
        if (u < 0.80)
            port25(t);
        else if (u < 0.985)
            submission(t, 0);
        else
            local_mail(t);
        events++;
        if (t >= next_anvil) {
            sched(t,
                  "postfix/anvil[600]: statistics: max connection rate %u/60s for (smtp:%s) at "
                  "Mar  1 00:00:00",
                  2 + pick(8), clients[zipf_draw(&z_client)].ip);
            sched(t,
                  "postfix/anvil[600]: statistics: max connection count %u for (smtp:%s) at "
                  "Mar  1 00:00:00",
                  1 + pick(4), clients[zipf_draw(&z_client)].ip);
            sched(t, "postfix/anvil[600]: statistics: max cache size %u at Mar  1 00:00:00",
                  5 + pick(60));
            next_anvil = t + 600;
        }
        if (t >= next_scache) {
            sched(t, "postfix/scache[610]: statistics: start interval Mar  1 00:00:00");
            sched(t, "postfix/scache[610]: statistics: domain lookup hits=%u miss=%u success=%u%%",
                  pick(40), 1 + pick(40), pick(100));
            sched(t, "postfix/scache[610]: statistics: address lookup hits=%u miss=%u success=%u%%",
                  pick(40), 1 + pick(40), pick(100));
            sched(t,
                  "postfix/scache[610]: statistics: max simultaneous domains=%u addresses=%u "
                  "connection=%u",
                  1 + pick(5), 1 + pick(6), 1 + pick(8));
            next_scache = t + 300;
        }
        /* Arrivals: about 1.3 a second at the busiest hour, fewer at night and at weekends. */
        frac += -log(1.0 - unif()) / (1.3 * hour_weight(t));
        t += (int64_t)frac;
        frac -= (double)(int64_t)frac;
        flush_until(t - 5);
    }
    log_end = t + TAIL_KEEP;
    flush_until(INT64_MAX);
    free(heap);
    if (fclose(out) != 0 || fclose(truth) != 0 || fclose(conns) != 0) {
        perror("gen-postfix-log");
        return 74;
    }
    return 0;
}
