/*
 * stats.h - mergeable TLS aggregates over log events and connections.
 *
 * A struct mt_stats is fed the records the correlator produces (event.h):
 * mt_stats_add_event() for each inbound message and outbound delivery
 * attempt, mt_stats_add_conn() for each SMTP connection. It keeps only
 * counters, keyed by what a report groups by:
 *   - totals per direction (messages, TLS used yes/no/unknown, exact protocol,
 *     forward secrecy, verdict, trust, status);
 *   - the same counters per domain: inbound by sending domain (sender_domain,
 *     "" for the null sender), outbound by receiving domain
 *     (recipient_domain); domains are lower-cased, a trailing dot dropped;
 *   - messages per cipher suite (canonical IANA name; the raw spelling when
 *     the suite is not in the table; "" when TLS details are missing);
 *   - per UTC day ("YYYY-MM-DD") and direction: messages, TLS, plaintext;
 *   - connections per direction: outcome (tls/plaintext/failed_tls), TLS
 *     connections by protocol and by cipher;
 *   - failed TLS handshakes per direction and peer IP (count, first and last
 *     time, peer name, last reason), and how many plaintext connections the
 *     same IP made at or after its first failure (a STARTTLS-stripping
 *     suspect; see DESIGN.md "Watches").
 * Memory is bounded by the number of distinct keys (domains, ciphers, days,
 * failing peers), never by the number of records: each table holds at most
 * max_keys entries (mt_stats_init). A record whose key does not fit is still
 * counted in the totals and in `overflow` - counted, never silently lost.
 *
 * Mergeable: mt_stats_merge(dst, src) adds src into dst, so each MX host can
 * summarise its own logs and the summaries add up. Every counter is a sum
 * and every time a min/max, so merging is exact, with one documented limit:
 * "plaintext after a failed handshake" pairs a failure and a plaintext
 * connection seen by the same stats object (one host's log); pairs split
 * across hosts are not found by merging.
 *
 * Downgrade suspects (mt_stats_is_downgrade): a domain that used TLS in the
 * period and also had plaintext messages, in the same direction.
 *
 * Ownership: mt_stats_init() allocates the tables, mt_stats_done() frees
 * them. mt_stats_list() returns a malloc'd array of rows the caller frees
 * with free(); the rows borrow keys and values from the stats object and
 * stay valid until it is changed or freed.
 *
 * Errors: MT_ENOMEM from the add/merge/list functions (the stats object stays
 * consistent, the record may be partly counted). Pure: no I/O, no globals.
 */
#ifndef MT_STATS_H
#define MT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "tls.h"
#include "util/status.h"

#define MT_STATS_PROTO_N   7 /* enum mt_proto; index NONE = TLS, protocol not exact */
#define MT_STATS_TRI_N     3 /* enum mt_tri */
#define MT_STATS_TRUST_N   5 /* enum mt_trust */
#define MT_STATS_STATUS_N  5 /* enum mt_msg_status */
#define MT_STATS_OUTCOME_N 3 /* enum mt_conn_outcome */

/* Rows of known cipher suites remembered per direction and table (a log uses a few). */
#define MT_STATS_CIPHER_CACHE 8

/* The default ceiling of each table. */
#define MT_STATS_MAX_KEYS 1000000

/* Counters over a set of messages (a direction, a domain). */
struct mt_stats_counts {
    uint64_t messages;
    uint64_t tls[MT_STATS_TRI_N];       /* by tls.used */
    uint64_t proto[MT_STATS_PROTO_N];   /* TLS messages by exact protocol */
    uint64_t pfs[MT_STATS_TRI_N];       /* TLS messages by forward secrecy */
    uint64_t verdict[MT_VERDICT_COUNT]; /* all messages by verdict */
    uint64_t trust[MT_STATS_TRUST_N];   /* TLS messages by peer trust */
    uint64_t status[MT_STATS_STATUS_N]; /* by message status */
    int64_t first_tls, last_tls;        /* times of TLS messages; 0 = none */
    int64_t first_plain, last_plain;    /* times of plaintext messages; 0 = none */
};

/* A cipher suite's row. */
struct mt_stats_cipher {
    uint64_t count;
    enum mt_tri pfs;         /* forward secrecy of the suite */
    enum mt_verdict verdict; /* verdict of the first record seen with it */
    int known;               /* 1 when the suite is in the cipher table */
};

/* One UTC day. */
struct mt_stats_day {
    uint64_t messages[2]; /* by enum mt_direction */
    uint64_t tls[2];      /* used = yes */
    uint64_t plain[2];    /* used = no */
};

/* A peer whose TLS handshake failed. */
struct mt_stats_peer {
    uint64_t failed;                   /* failed handshakes */
    int64_t first_failed, last_failed; /* times */
    uint64_t plain_after;              /* plaintext connections at/after first failure */
    int64_t last_plain_after;          /* time of the last of those; 0 = none */
    char host[MT_EV_HOST_MAX];         /* peer name of the last failure */
    char reason[MT_EV_REASON_MAX];     /* reason of the last failure */
};

/* Connections of one direction. */
struct mt_stats_conns {
    uint64_t outcome[MT_STATS_OUTCOME_N];
    uint64_t proto[MT_STATS_PROTO_N]; /* TLS connections by exact protocol */
};

struct mt_strmap;

struct mt_stats_dir {
    struct mt_stats_counts total;
    struct mt_stats_conns conns;
    struct mt_strmap *domains;      /* domain -> struct mt_stats_counts */
    struct mt_strmap *ciphers;      /* cipher -> struct mt_stats_cipher (messages) */
    struct mt_strmap *conn_ciphers; /* cipher -> struct mt_stats_cipher (connections) */
    struct mt_strmap *peers;        /* peer IP -> struct mt_stats_peer */
    /*
     * Lookup caches: the rows of the last known cipher suites counted, for
     * messages and connections (rows never move; MT_STATS_CIPHER_CACHE each,
     * replaced in turn).
     */
    const struct mt_cipher *cipher_key[2][MT_STATS_CIPHER_CACHE];
    struct mt_stats_cipher *cipher_row[2][MT_STATS_CIPHER_CACHE];
    unsigned cipher_next[2];
};

struct mt_stats {
    struct mt_stats_dir dir[2];   /* by enum mt_direction */
    struct mt_strmap *days;       /* "YYYY-MM-DD" -> struct mt_stats_day */
    uint64_t events, connections; /* records added */
    uint64_t overflow;            /* records whose key did not fit a table */
    int64_t first, last;          /* time range of all records; 0 = none */
    size_t max_keys;
    /* Lookup cache: the row of the day last counted (rows never move). */
    int64_t last_day;
    struct mt_stats_day *last_day_row;
};

/* The tables mt_stats_list() can list, and how each is sorted. */
enum mt_stats_table {
    MT_STATS_DOMAINS,      /* struct mt_stats_counts; messages desc, then name */
    MT_STATS_CIPHERS,      /* struct mt_stats_cipher; count desc, then name */
    MT_STATS_CONN_CIPHERS, /* struct mt_stats_cipher; count desc, then name */
    MT_STATS_PEERS,        /* struct mt_stats_peer; failed desc, then IP */
    MT_STATS_DAYS,         /* struct mt_stats_day; by date (dir ignored) */
};

struct mt_stats_row {
    const char *key; /* NUL-terminated, borrowed */
    const void *val; /* the table's value type, borrowed */
};

/* Empty aggregates whose tables hold at most max_keys entries each (0: default). */
enum mt_status mt_stats_init(struct mt_stats *s, size_t max_keys);

/* Frees the tables; NULL is a no-op. */
void mt_stats_done(struct mt_stats *s);

/* Counts one message event. */
enum mt_status mt_stats_add_event(struct mt_stats *s, const struct mt_event *ev);

/* Counts one connection record. */
enum mt_status mt_stats_add_conn(struct mt_stats *s, const struct mt_conn *c);

/* Adds src into dst (dst's max_keys applies). */
enum mt_status mt_stats_merge(struct mt_stats *dst, const struct mt_stats *src);

/*
 * The rows of a table of direction d, sorted as described at enum
 * mt_stats_table. *rows is malloc'd (NULL when *n is 0); free() it.
 */
enum mt_status mt_stats_list(const struct mt_stats *s, enum mt_stats_table t, enum mt_direction d,
                             struct mt_stats_row **rows, size_t *n);

/* True when the counters show TLS and plaintext messages (a downgrade suspect). */
int mt_stats_is_downgrade(const struct mt_stats_counts *c);

/* Writes the UTC date of t as "YYYY-MM-DD" into dst (at least 11 bytes). */
void mt_stats_day_str(int64_t t, char dst[11]);

#endif
