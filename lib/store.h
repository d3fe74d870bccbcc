/*
 * store.h - what mailtls remembers: observations, per-domain and per-host
 * history, notices, notification slots and suppressions.
 *
 * Callers speak domain verbs (record an observation, read a domain's
 * history, claim a notification slot, purge) to a struct mt_store, which
 * is a table of function pointers and an opaque handle. The backend is
 * chosen by the scheme of the `database` URI: "sqlite:/path/file.db" is
 * store_sqlite.c (WAL, busy timeout, forward-only migrations numbered by
 * PRAGMA user_version). A PostgreSQL backend ("postgresql://...") can be
 * added as another struct mt_store_ops without touching callers; the
 * contract every backend must pass is tests/store/.
 *
 * The store is the one place in lib/ that does I/O (DESIGN.md lists
 * store_sqlite in lib/); nothing else here logs or exits.
 *
 * Privacy: addresses never reach the store in clear. Callers pass
 * HMAC-SHA-256 hex digests (util/hmac.h) for senders, notice recipients and
 * suppressed addresses; domains, host addresses and TLS facts are stored as
 * they are.
 *
 * Semantics every backend implements:
 *   record      one observation per message, and in the same transaction
 *               the domain's and the sending host's aggregates: first/last
 *               seen, counts by verdict, last time with TLS (used = yes),
 *               last time in plaintext, best and latest verdict/protocol/
 *               cipher. The result tells whether this plaintext message
 *               follows TLS from the same domain or host (a downgrade), and
 *               when TLS was last seen. An empty domain (null sender)
 *               updates only the host.
 *   claim       atomically: if the slot key was claimed less than interval
 *               seconds ago, MT_CLAIM_INTERVAL; else if the counter's
 *               claims of the UTC day reached daily_limit (>= 0),
 *               MT_CLAIM_DAILY_LIMIT; else the slot is taken, the counter
 *               incremented and the notice row recorded (status "claimed"),
 *               MT_CLAIM_GRANTED. Concurrent claims of one key: exactly one
 *               wins.
 *   purge       drops observations and notices older than `before`, domains
 *               and hosts last seen before it, slots last claimed before it,
 *               and day counters older than a day before it. Suppressions
 *               stay until unsuppressed.
 *
 * Errors: MT_ETEMP when the database is busy, locked, read-only, missing
 * or unreachable (try again later: pipe mode exits 75); MT_ECONFIG for a
 * bad URI or a database written by a newer mailtls; MT_NOTFOUND for a
 * domain or suppression that is not there; MT_EIO otherwise. Every error
 * fills err with the database's message.
 *
 * Strings in rows are NUL-terminated copies; rows handed to callbacks are
 * valid during the call only. A callback returning non-zero stops the
 * iteration (the call still returns MT_OK).
 */
#ifndef MT_STORE_H
#define MT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "tls.h"
#include "util/status.h"

#define MT_ST_DOMAIN_MAX 256
#define MT_ST_IP_MAX     64
#define MT_ST_HELO_MAX   256
#define MT_ST_ID_MAX     64
#define MT_ST_HASH_MAX   65
#define MT_ST_PROTO_MAX  16
#define MT_ST_CIPHER_MAX 96
#define MT_ST_WORD_MAX   32
#define MT_ST_TEXT_MAX   256

/* One message as `mailtls notify` saw it. */
struct mt_observation {
    int64_t time;
    char domain[MT_ST_DOMAIN_MAX];    /* sender's domain, lower case; "" for <> */
    char sender_hash[MT_ST_HASH_MAX]; /* HMAC of the sender; "" for <> */
    char client_ip[MT_ST_IP_MAX];     /* sending host */
    char client_helo[MT_ST_HELO_MAX]; /* its HELO name, or "" */
    char queue_id[MT_ST_ID_MAX];      /* our queue id, or "" */
    enum mt_verdict verdict;          /* of the trusted hop */
    unsigned reasons;                 /* enum mt_reason bits */
    enum mt_tri used;                 /* TLS used */
    char protocol[MT_ST_PROTO_MAX];   /* "TLSv1.2", or "" */
    char cipher[MT_ST_CIPHER_MAX];    /* IANA name (or as written), or "" */
    int bits;                         /* -1 unknown */
    enum mt_tri pfs;                  /* forward secrecy */
    bool spf_pass;                    /* our SPF pass for the domain */
    char decision[MT_ST_WORD_MAX];    /* mt_policy_str() of the decision */
    /* Since schema version 3 (older rows: "" and MT_TRUST_UNKNOWN): */
    char client_name[MT_ST_HELO_MAX];       /* its reverse-DNS name as our hop gives it */
    char our_host[MT_ST_HELO_MAX];          /* our host that wrote the hop */
    char protocol_raw[MT_TLS_NAME_MAX];     /* the protocol as written ("TLSv1/SSLv3") */
    char cipher_raw[MT_TLS_CIPHER_RAW_MAX]; /* the cipher as written */
    enum mt_trust trust;                    /* the client certificate's trust */
    char kex_group[MT_TLS_NAME_MAX];        /* key exchange group, or "" */
    char signature[MT_TLS_NAME_MAX];        /* signature, or "" */
};

/* What recording an observation found. */
struct mt_record_result {
    bool new_domain, new_host;
    bool domain_downgrade, host_downgrade;  /* TLS before, plaintext now */
    int64_t domain_last_tls, host_last_tls; /* before this message; 0 never */
};

/* History of a sending domain (or, in struct mt_host_row, of a host). */
struct mt_domain_row {
    char domain[MT_ST_DOMAIN_MAX];
    int64_t first_seen, last_seen;
    int64_t last_tls, last_plaintext; /* 0: never */
    long long messages;
    long long by_verdict[MT_VERDICT_COUNT]; /* index: enum mt_verdict */
    enum mt_verdict best_verdict, latest_verdict;
    char best_protocol[MT_ST_PROTO_MAX], best_cipher[MT_ST_CIPHER_MAX];
    char latest_protocol[MT_ST_PROTO_MAX], latest_cipher[MT_ST_CIPHER_MAX];
    long long notices; /* notices claimed about this domain */
};

struct mt_host_row {
    char ip[MT_ST_IP_MAX];
    char domain[MT_ST_DOMAIN_MAX]; /* domain of the latest message */
    char helo[MT_ST_HELO_MAX];
    int64_t first_seen, last_seen, last_tls, last_plaintext;
    long long messages;
    long long by_verdict[MT_VERDICT_COUNT];
    enum mt_verdict best_verdict, latest_verdict;
    char best_protocol[MT_ST_PROTO_MAX], best_cipher[MT_ST_CIPHER_MAX];
    char latest_protocol[MT_ST_PROTO_MAX], latest_cipher[MT_ST_CIPHER_MAX];
};

/* A notice (or a report to the admin), sent or only claimed. */
struct mt_notice_row {
    long long id;
    int64_t time;
    char recipient_hash[MT_ST_HASH_MAX];
    char kind[MT_ST_WORD_MAX]; /* "sender", "postmaster", "admin" */
    char domain[MT_ST_DOMAIN_MAX];
    enum mt_verdict verdict;
    char why[MT_ST_TEXT_MAX];    /* the reasons, in English */
    char status[MT_ST_WORD_MAX]; /* "claimed", "sent", "failed", "logged" */
};

enum mt_claim_result {
    MT_CLAIM_GRANTED = 0,
    MT_CLAIM_INTERVAL,
    MT_CLAIM_DAILY_LIMIT,
};

struct mt_claim {
    const char *key;     /* slot: e.g. "notice:<hash>", "downgrade:example.org" */
    const char *counter; /* day counter the limit applies to: "notice", "dry-run", "admin" */
    int64_t now;
    int64_t interval;                   /* seconds */
    long daily_limit;                   /* < 0: none */
    const struct mt_notice_row *notice; /* recorded when granted (id, status ignored) */
};

enum mt_suppress_kind {
    MT_SUPPRESS_DOMAIN = 0,
    MT_SUPPRESS_ADDRESS, /* key is the address's HMAC */
};

struct mt_suppression {
    enum mt_suppress_kind kind;
    char key[MT_ST_DOMAIN_MAX];
    int64_t since;
};

enum mt_domain_sort {
    MT_SORT_MESSAGES = 0, /* most messages first */
    MT_SORT_PLAINTEXT,    /* most plaintext messages first */
    MT_SORT_LAST_SEEN,    /* most recent first */
    MT_SORT_DOMAIN,       /* by name */
};

struct mt_domain_query {
    enum mt_domain_sort sort;
    int verdict; /* -1: all; else only domains with messages of this verdict */
};

struct mt_purge_counts {
    long long observations, notices, domains, hosts, slots;
};

struct mt_store_options {
    int busy_timeout_ms; /* how long to wait for a lock; 0: backend default */
    bool create;         /* create the database when missing */
};

typedef int (*mt_observation_cb)(const struct mt_observation *o, void *arg);
typedef int (*mt_domain_cb)(const struct mt_domain_row *d, void *arg);
typedef int (*mt_notice_cb)(const struct mt_notice_row *n, void *arg);
typedef int (*mt_suppression_cb)(const struct mt_suppression *s, void *arg);

/* A backend. Every function gets the handle its open returned. */
struct mt_store_ops {
    const char *scheme; /* "sqlite" */
    enum mt_status (*open)(const char *location, const struct mt_store_options *opt, void **h,
                           struct mt_error *err);
    void (*close)(void *h);
    enum mt_status (*migrate)(void *h, struct mt_error *err);
    enum mt_status (*record)(void *h, const struct mt_observation *o, struct mt_record_result *res,
                             struct mt_error *err);
    enum mt_status (*domain_get)(void *h, const char *domain, struct mt_domain_row *out,
                                 struct mt_error *err);
    enum mt_status (*domains_each)(void *h, const struct mt_domain_query *q, mt_domain_cb cb,
                                   void *arg, struct mt_error *err);
    enum mt_status (*host_get)(void *h, const char *ip, struct mt_host_row *out,
                               struct mt_error *err);
    enum mt_status (*observations_each)(void *h, int64_t since, int64_t until, mt_observation_cb cb,
                                        void *arg, struct mt_error *err);
    enum mt_status (*claim)(void *h, const struct mt_claim *c, enum mt_claim_result *res,
                            long long *notice_id, struct mt_error *err);
    enum mt_status (*notice_status)(void *h, long long id, const char *status,
                                    struct mt_error *err);
    enum mt_status (*notices_each)(void *h, const char *domain, mt_notice_cb cb, void *arg,
                                   struct mt_error *err);
    enum mt_status (*suppress)(void *h, enum mt_suppress_kind kind, const char *key, int64_t now,
                               struct mt_error *err);
    enum mt_status (*unsuppress)(void *h, enum mt_suppress_kind kind, const char *key,
                                 struct mt_error *err);
    enum mt_status (*is_suppressed)(void *h, const char *domain, const char *addr_hash, bool *out,
                                    struct mt_error *err);
    enum mt_status (*suppressions_each)(void *h, mt_suppression_cb cb, void *arg,
                                        struct mt_error *err);
    enum mt_status (*purge)(void *h, int64_t before, struct mt_purge_counts *out,
                            struct mt_error *err);
};

struct mt_store {
    const struct mt_store_ops *ops;
    void *h;
};

/* The SQLite backend (store_sqlite.c). */
extern const struct mt_store_ops mt_store_sqlite_ops;

/*
 * Opens the store named by uri ("sqlite:/var/lib/mailtls/mailtls.db") and
 * brings its schema up to date. *out is owned by the caller: mt_store_close().
 */
enum mt_status mt_store_open(const char *uri, const struct mt_store_options *opt,
                             struct mt_store **out, struct mt_error *err);

/* Closes and frees; NULL is a no-op. */
void mt_store_close(struct mt_store *s);

/* The verbs: thin wrappers over the backend (see above for their meaning). */
enum mt_status mt_store_record(struct mt_store *s, const struct mt_observation *o,
                               struct mt_record_result *res, struct mt_error *err);
enum mt_status mt_store_domain_get(struct mt_store *s, const char *domain,
                                   struct mt_domain_row *out, struct mt_error *err);
enum mt_status mt_store_domains_each(struct mt_store *s, const struct mt_domain_query *q,
                                     mt_domain_cb cb, void *arg, struct mt_error *err);
enum mt_status mt_store_host_get(struct mt_store *s, const char *ip, struct mt_host_row *out,
                                 struct mt_error *err);
enum mt_status mt_store_observations_each(struct mt_store *s, int64_t since, int64_t until,
                                          mt_observation_cb cb, void *arg, struct mt_error *err);
enum mt_status mt_store_claim(struct mt_store *s, const struct mt_claim *c,
                              enum mt_claim_result *res, long long *notice_id,
                              struct mt_error *err);
enum mt_status mt_store_notice_status(struct mt_store *s, long long id, const char *status,
                                      struct mt_error *err);
enum mt_status mt_store_notices_each(struct mt_store *s, const char *domain, mt_notice_cb cb,
                                     void *arg, struct mt_error *err);
enum mt_status mt_store_suppress(struct mt_store *s, enum mt_suppress_kind kind, const char *key,
                                 int64_t now, struct mt_error *err);
enum mt_status mt_store_unsuppress(struct mt_store *s, enum mt_suppress_kind kind, const char *key,
                                   struct mt_error *err);
enum mt_status mt_store_is_suppressed(struct mt_store *s, const char *domain, const char *addr_hash,
                                      bool *out, struct mt_error *err);
enum mt_status mt_store_suppressions_each(struct mt_store *s, mt_suppression_cb cb, void *arg,
                                          struct mt_error *err);
enum mt_status mt_store_purge(struct mt_store *s, int64_t before, struct mt_purge_counts *out,
                              struct mt_error *err);

/*
 * The message an observation describes, as the log reader would have given
 * it (`mailtls report --db`): an inbound, received struct mt_event with the
 * time, our host, queue id, peer name and address, sender domain and the TLS
 * facts rebuilt from the stored spellings (protocol and cipher as written
 * when stored, else the normalised names), so that mt_tls_verdict() gives
 * the verdict notify recorded. The sender stays "" (the store has only its
 * HMAC), as do the MTA and the recipient domain, which the store does not
 * know. Pure; never fails.
 */
void mt_store_observation_event(const struct mt_observation *o, struct mt_event *ev);

/* Names for rows and JSON: "domain"/"address"; "granted"/"interval"/"daily-limit". */
const char *mt_suppress_kind_str(enum mt_suppress_kind k);
const char *mt_claim_result_str(enum mt_claim_result r);

#endif
