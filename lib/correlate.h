/*
 * correlate.h - MTA log lines in, message and connection records out.
 *
 * The correlator is the stateful part of log reading: it is fed parsed lines
 * (logline.h) in log order, works out which MTA wrote each (Postfix by a
 * program name with a '/', Exim by its mainlog form or "exim"/"exim4",
 * Sendmail by "sendmail"/"sm-mta"/"sm-msp-queue", OpenSMTPD by "smtpd";
 * a file may mix them), and emits struct mt_event and struct mt_conn
 * (event.h) through the caller's struct mt_sink as soon as each is complete.
 *
 * Postfix rules (the others follow the same ideas, see the MTA files):
 *   - A TLS line belongs to the session of the same process: logging host +
 *     program + pid. "connect from" starts a new session (pids are reused),
 *     "disconnect from" ends it and emits its connection record.
 *   - A message queued in a session ("QID: client=") gets that session's TLS:
 *     TLS when an "established" line came first, plaintext when the session
 *     was seen from its "connect" without one (STARTTLS must come before
 *     MAIL FROM), unknown when the log started inside the session.
 *     Several messages per session all get it.
 *   - The sender comes from qmgr "from=". The inbound record is emitted when
 *     the message leaves the queue (qmgr "removed"); its recipient domain is
 *     that of the first delivery line.
 *   - Content filters: a message handed to a local relay whose reply says
 *     "queued as NEWID" (or re-injected with "orig_queue_id=") is one
 *     message. NEWID is an internal copy: no inbound record, and its
 *     deliveries are reported under the original queue id. Deliveries of a
 *     copy that is suspected (queued from a loopback client) but not yet
 *     known as one are held back (up to MT_CORRELATE_PENDING records) until
 *     the original's delivery line says so, or the copy is removed and
 *     reinject_wait seconds of log time pass without it.
 *   - Local hand-offs are not outbound deliveries: lmtp, local, virtual,
 *     pipe, error, discard; relays on loopback or UNIX sockets
 *     ("private/dovecot-lmtp"); bare names ("relay=local").
 *   - An outbound delivery gets the TLS of the connection it used: the
 *     "established to HOST[IP]:PORT" line of the same smtp process for the
 *     same peer (a delivery line of the same process, peer and message more
 *     than a minute after the last is a retry over a new connection), or -
 *     when conn_use > 1 - the TLS that connection had when it
 *     was made, remembered per logging host + IP + port (smtp's own lines or
 *     tlsproxy's). A delivery over a new connection without a TLS line is
 *     plaintext when TLS logging is evident (below), else unknown; failures
 *     ("SSL_connect error", "Cannot start TLS", "TLS is required, but ...")
 *     give a failed_tls connection record and unknown TLS. relay=none (no
 *     connection) gives unknown TLS and no connection record.
 *   - TLS logging: Postfix logs TLS sessions only with smtpd_tls_loglevel /
 *     smtp_tls_loglevel >= 1 (the default is 0), so a missing TLS line means
 *     plaintext only once the same logging host has logged a TLS session in
 *     that direction (or opts.assume_tls_logged is set). Until then inbound
 *     messages take their TLS from the session's disconnect counters
 *     (Postfix >= 3.0: "starttls=1" or none; up to MT_SESS_MSGS messages
 *     per session), and outbound ones stay unknown. A session whose outcome
 *     stays unknown gets no connection record.
 *   - A TLS connection that Postfix logs twice (tlsproxy, then smtp) is one
 *     connection record; "connection reused" and conn_use > 1 are none.
 *
 * Memory is bounded and does not grow with the log: three fixed tables -
 * sessions (max_sessions), queued messages (max_messages), outbound
 * connections remembered for reuse (max_endpoints) - allocated by
 * mt_correlate_new(), plus a fixed ring of held-back deliveries. Items are
 * compact (a session 224 bytes, a message 200, an endpoint 32): their
 * strings are packed into 128 bytes, and an item whose strings do not fit
 * gets one allocation of the full field sizes (808 bytes for a session,
 * 1280 for a message: the ceilings of struct mt_event's fields), freed
 * with the item; TLS facts are interned in a table with reference counts
 * that holds at most one entry per item (in practice a few dozen).
 * Eviction rule: sessions and remembered connections idle for more than
 * session_idle seconds of log time, and messages idle for more than
 * message_idle, are flushed (found by a sweep that covers every table
 * within 32 minutes of log time, a slice a minute): a session emits its
 * connection record, a message its inbound record (if it was received over
 * SMTP) and held-back deliveries, each marked MT_EVENT_INCOMPLETE. When a
 * table is full, the same is done with ever shorter idle limits until a
 * sixteenth of it is free. Log time is the latest stamp seen, so a log that
 * starts in the middle (lines for messages whose start is not in it) is
 * handled: what was not seen stays unknown. mt_correlate_finish() flushes
 * everything left the same way.
 *
 * Records are emitted from within mt_correlate_feed()/finish(); the sink
 * must not call back into the correlator. Not thread-safe; one correlator
 * per stream. No I/O, no globals.
 */
#ifndef MT_CORRELATE_H
#define MT_CORRELATE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "logline.h"
#include "util/status.h"

#define MT_CORRELATE_PENDING 1024

struct mt_correlate_opts {
    size_t max_sessions;    /* default 16384 */
    size_t max_messages;    /* default 65536 */
    size_t max_endpoints;   /* default 4096 */
    int64_t session_idle;   /* seconds of log time; default 3600 */
    int64_t message_idle;   /* default 2 days (Postfix retries a deferred message sooner) */
    int64_t reinject_wait;  /* default 60 */
    bool assume_tls_logged; /* default false: see "TLS logging" above */
};

struct mt_correlate_stats {
    uint64_t lines;        /* lines fed */
    uint64_t mta_lines[5]; /* lines by enum mt_mta they were attributed to */
    uint64_t used;         /* lines that changed state or gave a record */
    uint64_t messages;     /* inbound records emitted */
    uint64_t deliveries;   /* outbound records emitted */
    uint64_t connections;  /* connection records emitted */
    uint64_t incomplete;   /* records flushed before their end was seen */
    uint64_t evicted;      /* of those, flushed because a table was full */
    size_t peak_sessions, peak_messages, peak_endpoints;
};

struct mt_correlate;

/* Fills opts with the defaults above. */
void mt_correlate_opts_init(struct mt_correlate_opts *opts);

/*
 * Creates a correlator that emits into *sink (copied). opts may be NULL for
 * the defaults. The clock (mt_correlate_clock) starts with reference time
 * ref_time and UTC offset utc_offset. MT_ENOMEM, or MT_ELIMIT for a zero or
 * absurd table size.
 */
enum mt_status mt_correlate_new(const struct mt_correlate_opts *opts, const struct mt_sink *sink,
                                int64_t ref_time, long utc_offset, struct mt_correlate **out);

/* Frees c without flushing (call mt_correlate_finish() first); NULL is a no-op. */
void mt_correlate_free(struct mt_correlate *c);

/* The clock used by mt_correlate_line(), for the caller to adjust per file. */
struct mt_logclock *mt_correlate_clock(struct mt_correlate *c);

/* Feeds one parsed line (any form, any MTA; unknown lines are counted only). */
void mt_correlate_feed(struct mt_correlate *c, const struct mt_logline *line);

/*
 * Parses one raw line with the correlator's clock and feeds it. Returns the
 * status of mt_logline_parse(); a line that does not parse is not fed.
 */
enum mt_status mt_correlate_line(struct mt_correlate *c, const char *buf, size_t len,
                                 struct mt_error *err);

/* Flushes every open session and message (end of input). */
void mt_correlate_finish(struct mt_correlate *c);

/* Counters so far. */
const struct mt_correlate_stats *mt_correlate_get_stats(const struct mt_correlate *c);

#endif
