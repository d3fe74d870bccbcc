/*
 * correlate_int.h - what the correlator's files share (correlate.c and one
 * correlate_MTA.c per dialect). Not a public interface: callers use
 * correlate.h.
 *
 * Three fixed tables of fixed-size items, each item starting with struct
 * mt_citem (key, last activity), found through an mt_hashmap:
 *   sessions   SMTP sessions in and out, keyed by what ties a dialect's lines
 *              together (Postfix: logging host + program + pid);
 *   messages   queued messages, keyed by logging host + queue id;
 *   endpoints  outbound connections remembered for reuse, keyed by logging
 *              host + peer IP + port.
 * Items are handed out from a free list (lowest indices first, so memory
 * that is never needed is never touched) and never move.
 */
#ifndef MT_CORRELATE_INT_H
#define MT_CORRELATE_INT_H

#include "correlate.h"
#include "util/hashmap.h"

struct mt_citem {
    uint64_t key; /* 0 = free */
    uint32_t idx; /* the item's index in its table */
};

/*
 * What sweeps look at, per item, in a dense array beside the items (so that
 * a sweep reads 24 bytes an item, not the item's kilobyte and a half): the
 * key (0 = free), the log time of the last activity, and the time a message
 * waiting for its content filter's copy is done (INT64_MAX: not waiting).
 */
struct mt_chead {
    uint64_t key;
    int64_t last;
    int64_t wait;
};

/* Session flags. */
#define MT_S_CONNECT  0x0001 /* seen from its start: no TLS line means plaintext */
#define MT_S_TLS      0x0002 /* TLS established (tls holds the facts) */
#define MT_S_FAILED   0x0004 /* a TLS handshake failed */
#define MT_S_EMITTED  0x0008 /* connection record already emitted */
#define MT_S_LOOPBACK 0x0010 /* peer on loopback */
#define MT_S_USED     0x0020 /* out: a delivery used this connection (qid says which) */
#define MT_S_PLAIN    0x0040 /* out: known plaintext connection */
#define MT_S_STARTTLS 0x0080 /* STARTTLS was seen succeeding, details unknown */
#define MT_S_NOTLS    0x0100 /* out: a new connection without a TLS line, TLS logging unproven */
#define MT_SESS_MSGS  4      /* messages per session whose TLS waits for the disconnect */

/*
 * The strings of a session or message item, compactly: packed one after the
 * other into buf while they fit (at[f] is 1 + the offset of field f, 0 for
 * ""), else - an item with long names - all of them at fixed offsets in one
 * allocation of the full field sizes (ext), freed when the item is cleared.
 * A field keeps the ceiling it had as a fixed array (MT_EV_*_MAX), so what
 * the records carry is the same. Reached through CS() and CS_SET() below.
 */
#define MT_CSTR_BUF    128
#define MT_CSTR_FIELDS 7

struct mt_cstr {
    char *ext;                  /* every field at its fixed offset, or NULL: packed */
    uint8_t at[MT_CSTR_FIELDS]; /* packed: 0 = "", else 1 + offset in buf */
    uint8_t used;               /* bytes of buf in use */
    char buf[MT_CSTR_BUF];
};

/* The fields of one kind of item: ceilings (bytes with the NUL) and offsets in ext. */
struct mt_cstr_kind {
    unsigned n;
    uint16_t cap[MT_CSTR_FIELDS];
    uint16_t off[MT_CSTR_FIELDS];
    uint16_t total;
};

extern const struct mt_cstr_kind mt_cstr_sess, mt_cstr_msg;

/* Session string fields (the names a message lacks are 255: never used). */
enum {
    MT_SF_host = 0,
    MT_SF_peer_host,
    MT_SF_peer_ip,
    MT_SF_port,
    MT_SF_qid, /* out: the message the connection carried; OpenSMTPD: msg id */
    MT_SF_reason,
    MT_SF_root = 255,
    MT_SF_sender = 255,
    MT_SF_rcpt_domain = 255,
};

/* Message string fields. */
enum {
    MT_MF_host = 0,
    MT_MF_qid,
    MT_MF_root, /* original queue id of a copy */
    MT_MF_sender,
    MT_MF_peer_host,
    MT_MF_peer_ip,
    MT_MF_rcpt_domain,
    MT_MF_port = 255,
    MT_MF_reason = 255,
};

/* Field f of item it (a session or a message), as a C string. */
const char *mt_cstr_get(const struct mt_cstr *cs, const struct mt_cstr_kind *k, unsigned f);

/* Sets field f, cut at a UTF-8 boundary to its ceiling (*flags |= MT_EVENT_TRUNCATED). */
void mt_cstr_set(struct mt_cstr *cs, const struct mt_cstr_kind *k, unsigned f, struct mt_span s,
                 unsigned *flags);

/* Every field "" again; frees ext. */
void mt_cstr_clear(struct mt_cstr *cs);

#define MT_CKIND(it)                                                                               \
    _Generic((it), struct mt_csess *: &mt_cstr_sess, const struct mt_csess *: &mt_cstr_sess,       \
             struct mt_cmsg *: &mt_cstr_msg, const struct mt_cmsg *: &mt_cstr_msg)
#define MT_CFIELD(it, f)                                                                           \
    _Generic((it), struct mt_csess *: MT_SF_##f, const struct mt_csess *: MT_SF_##f,               \
             struct mt_cmsg *: MT_MF_##f, const struct mt_cmsg *: MT_MF_##f)
#define CS(it, f) mt_cstr_get(&(it)->str, MT_CKIND(it), (unsigned)MT_CFIELD(it, f))
#define CS_SET(it, f, span, fl)                                                                    \
    mt_cstr_set(&(it)->str, MT_CKIND(it), (unsigned)MT_CFIELD(it, f), span, fl)

/*
 * TLS facts of items are interned: an item holds a 32-bit id into a table
 * of distinct struct mt_tls values with reference counts (a log repeats a
 * few). Ids 0-2 are fixed: unknown (mt_tls_init), plaintext, and TLS
 * without details. The table holds at most one entry per item plus the
 * memo's, so it is never full.
 */
#define MT_CTLS_UNKNOWN 0u
#define MT_CTLS_PLAIN   1u
#define MT_CTLS_YES     2u
#define MT_CTLS_FIXED   3u

struct mt_tlsent {
    struct mt_tls tls;
    uint64_t key;
    uint32_t refs;
};

struct mt_tlstab {
    struct mt_tlsent *e;
    uint32_t *free_list;
    size_t n, max, nfree; /* entries handed out (high water), limit, freed */
    struct mt_hashmap map;
};

/* An SMTP session (new fields: clear them in mt_correlate_clear_sess()). */
struct mt_csess {
    struct mt_citem h;
    int64_t t_first;
    uint32_t flags;
    unsigned evflags; /* MT_EVENT_TRUNCATED of the copies below */
    enum mt_direction dir;
    enum mt_mta mta;
    uint32_t tls; /* interned TLS facts */
    unsigned nmsgs;
    uint64_t msgs[MT_SESS_MSGS]; /* keys of messages with MT_M_TLSPEND */
    struct mt_cstr str;          /* host, peer_host, peer_ip, port, qid, reason */
};

/* Message flags. */
#define MT_M_CLIENT   0x0001 /* received over SMTP: gets an inbound record */
#define MT_M_SUSPECT  0x0002 /* queued from loopback: maybe a filter's copy */
#define MT_M_COPY     0x0004 /* a content filter's copy of root */
#define MT_M_WAIT     0x0008 /* removed; waiting reinject_wait for a mapping */
#define MT_M_OUTBOUND 0x0010 /* had an outbound delivery attempt */
#define MT_M_REJECTED 0x0020 /* not accepted after all (cleanup reject) */
#define MT_M_FROM     0x0040 /* sender known */
#define MT_M_TLSPEND  0x0080 /* TLS unknown until the session's disconnect counters */
#define MT_M_DONE     0x0100 /* inbound record already emitted */

/* A queued message (new fields: clear them in mt_correlate_clear_msg()). */
struct mt_cmsg {
    struct mt_citem h;
    uint32_t gen; /* bumped on every reuse of the slot (held-back records point here) */
    uint32_t flags;
    uint32_t npending; /* held-back outbound records */
    unsigned evflags;
    enum mt_mta mta;
    uint32_t tls; /* interned TLS facts */
    int64_t t_recv, t_wait;
    struct mt_cstr str; /* host, qid, root, sender, peer_host, peer_ip, rcpt_domain */
};

/* Endpoint flags. */
#define MT_E_TLS     0x01 /* the connection had TLS (else plaintext) */
#define MT_E_PROXIED 0x02 /* made by tlsproxy; smtp's own line for it is a duplicate */

struct mt_cendp {
    struct mt_citem h;
    int64_t t_made;
    uint32_t flags;
    uint32_t tls; /* interned TLS facts */
};

enum mt_ctab_id { MT_TAB_SESS = 0, MT_TAB_MSG, MT_TAB_ENDP, MT_TAB_COUNT };

struct mt_ctab {
    struct mt_hashmap map;
    unsigned char *items;
    struct mt_chead *heads; /* one per item */
    size_t item_size, max, used, hiwater;
    uint32_t *free_list;
    size_t nfree;
    int64_t idle;
    uint64_t pin;  /* key of an item a handler holds: never flushed to make room */
    size_t cursor; /* where the next idle sweep tick starts */
};

/* Evidence that a logging host logs TLS (Postfix smtpd/smtp_tls_loglevel >= 1). */
#define MT_EVID_IN    0x01
#define MT_EVID_OUT   0x02
#define MT_EVID_HOSTS 64

struct mt_evid {
    uint64_t host; /* hash of the logging host; 0 = free */
    unsigned flags;
};

/* Longest logging host name whose hash is remembered from line to line. */
#define MT_HOSTMEMO_LEN 64

/*
 * The TLS facts of the last distinct TLS descriptions ("TLSv1.3 with cipher
 * ... bits)..." and the trust word): a log repeats a few, and turning one
 * into struct mt_tls (protocol and cipher lookups) costs more than the rest
 * of the line.
 */
#define MT_TLSMEMO_N   8
#define MT_TLSMEMO_LEN 192

struct mt_tlsmemo {
    size_t len; /* 0 = unused */
    int trust;
    char text[MT_TLSMEMO_LEN];
    uint32_t tls; /* interned, one reference held by the memo */
};

struct mt_pending {
    uint32_t slot, gen;
    bool live;
    struct mt_event ev;
};

struct mt_correlate {
    struct mt_correlate_opts opts;
    struct mt_sink sink;
    struct mt_logclock clock;
    struct mt_correlate_stats stats;
    struct mt_ctab tab[MT_TAB_COUNT];
    int64_t now;        /* latest log time seen */
    int64_t next_sweep; /* log time of the next idle sweep */
    bool have_now;
    struct mt_pending *pend; /* ring of MT_CORRELATE_PENDING */
    size_t pend_head, pend_count;
    struct mt_evid evid[MT_EVID_HOSTS];
    size_t evid_next;   /* slot replaced when all are taken */
    uint64_t line_host; /* mt_hash64() of the host of the line being handled */
    uint64_t line_sess; /* its Postfix session key; 0 until worked out */
    /* the last logging host and its hash: a log mostly has one */
    char memo_host[MT_HOSTMEMO_LEN];
    size_t memo_host_len; /* 0: none */
    uint64_t memo_host_h;
    struct mt_tlstab tlstab;
    struct mt_tlsmemo tlsmemo[MT_TLSMEMO_N];
    unsigned tlsmemo_next; /* entry replaced next */
    struct mt_event ev;    /* scratch record */
    struct mt_conn conn;
};

/* Key of a list of spans, hashed as one (each part's length is mixed in). */
uint64_t mt_correlate_key(const struct mt_span *parts, size_t n);

/* Key of a span hashed on top of a seed (a previous key or hash). */
uint64_t mt_correlate_key_on(uint64_t seed, struct mt_span s);

/* Key of a number (a pid) mixed into a seed; never 0. */
uint64_t mt_correlate_key_num(uint64_t seed, uint64_t v);

/* Finds an item by key, NULL when absent. */
void *mt_correlate_find(struct mt_correlate *c, enum mt_ctab_id t, uint64_t key);

/* Creates a zeroed item (flushing old ones when the table is full). */
void *mt_correlate_add(struct mt_correlate *c, enum mt_ctab_id t, uint64_t key);

/* Finds or creates; *created tells which. */
void *mt_correlate_get(struct mt_correlate *c, enum mt_ctab_id t, uint64_t key, bool *created);

/*
 * Finds or creates the message of key; a new one gets its identity from the
 * line: mta, receive time, logging host and id.
 */
struct mt_cmsg *mt_correlate_msg_get(struct mt_correlate *c, const struct mt_logline *l,
                                     uint64_t key, enum mt_mta mta, struct mt_span id);

/*
 * Clears a session or message item as new: scalars 0, every string "", TLS
 * unknown; its string allocation and TLS reference are released. The key,
 * last time and generation are kept. A new field of struct mt_csess or
 * mt_cmsg must be cleared here. An item on the stack starts zeroed
 * (memset) and is cleared the same way when done with.
 */
void mt_correlate_clear_sess(struct mt_correlate *c, struct mt_csess *s);
void mt_correlate_clear_msg(struct mt_correlate *c, struct mt_cmsg *m);

/* The interned TLS facts of id. */
const struct mt_tls *mt_ctls_get(const struct mt_correlate *c, uint32_t id);

/* *slot = the id of t (NULL: unknown), releasing what *slot held. */
void mt_ctls_set(struct mt_correlate *c, uint32_t *slot, const struct mt_tls *t);

/* *slot = id (one more reference), releasing what *slot held. */
void mt_ctls_copy(struct mt_correlate *c, uint32_t *slot, uint32_t id);

/* Records activity on an item now (log time), and the last time recorded. */
void mt_correlate_touch(struct mt_correlate *c, enum mt_ctab_id t, const void *item);
int64_t mt_correlate_last(const struct mt_correlate *c, enum mt_ctab_id t, const void *item);

/* Marks m as removed and waiting until log time `until` for its content filter's copy. */
void mt_correlate_set_wait(struct mt_correlate *c, struct mt_cmsg *m, int64_t until);

/* Removes an item without emitting anything. */
void mt_correlate_del(struct mt_correlate *c, enum mt_ctab_id t, void *item);

/* Emits the connection record of s (once) with the outcome its flags imply. */
void mt_correlate_emit_conn(struct mt_correlate *c, struct mt_csess *s, unsigned extra_flags);

/* Emits (or holds back, for a suspected copy) one outbound record built in c->ev. */
void mt_correlate_emit_out(struct mt_correlate *c, struct mt_cmsg *m);

/* Emits the inbound record of m if it has one, its held-back records, and frees m. */
void mt_correlate_finish_msg(struct mt_correlate *c, struct mt_cmsg *m, unsigned extra_flags);

/* Emits the inbound record of m now (once), keeping m for its deliveries. */
void mt_correlate_emit_in(struct mt_correlate *c, struct mt_cmsg *m, unsigned extra_flags);

/* Marks m as a copy of root and releases its held-back records under root. */
void mt_correlate_set_copy(struct mt_correlate *c, struct mt_cmsg *m, const char *root);

/* Ends a session: emits its connection record and frees it. */
void mt_correlate_end_sess(struct mt_correlate *c, struct mt_csess *s, unsigned extra_flags);

/* Copies a span into a fixed field, cutting at a UTF-8 boundary; sets *flags on cut. */
void mt_correlate_copy(char *dst, size_t dstsz, struct mt_span s, unsigned *flags);

/* The lower-cased domain of an address (after the last '@') into dst. */
void mt_correlate_domain(char *dst, size_t dstsz, const char *addr, unsigned *flags);

/* The recipient domain of m from an address; first_rcpt only when m has none yet. */
void mt_correlate_set_rcpt(struct mt_cmsg *m, const char *addr);
void mt_correlate_first_rcpt(struct mt_cmsg *m, const char *addr);

/* True for loopback addresses (127/8, ::1, ::ffff:127.x) and "localhost". */
bool mt_correlate_is_loopback(struct mt_span ip, struct mt_span host);

/* Starts c->ev as an outbound record from m (time, host, qid, sender) for line time t. */
void mt_correlate_start_out(struct mt_correlate *c, struct mt_cmsg *m, int64_t t);

/*
 * TLS-logging evidence of a logging host for a direction (MT_EVID_IN/OUT):
 * has_evidence is true once set_evidence was called for it, or always with
 * opts.assume_tls_logged.
 */
void mt_correlate_set_evidence(struct mt_correlate *c, const char *host, unsigned flag);
bool mt_correlate_has_evidence(struct mt_correlate *c, const char *host, unsigned flag);
/* The same with the host given by its mt_hash64() (seed 0), e.g. c->line_host. */
void mt_correlate_set_evidence_h(struct mt_correlate *c, uint64_t host_hash, unsigned flag);
bool mt_correlate_has_evidence_h(struct mt_correlate *c, uint64_t host_hash, unsigned flag);

/* Per-dialect line handlers; each returns true when the line was used. */
bool mt_correlate_postfix(struct mt_correlate *c, const struct mt_logline *l);
bool mt_correlate_exim(struct mt_correlate *c, const struct mt_logline *l);
bool mt_correlate_sendmail(struct mt_correlate *c, const struct mt_logline *l);
bool mt_correlate_opensmtpd(struct mt_correlate *c, const struct mt_logline *l);

#endif
