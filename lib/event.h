/*
 * event.h - what the log correlator produces and the statistics consume.
 *
 * Two kinds of record come out of an MTA log (see correlate.h):
 *
 *   struct mt_event  one per inbound message (under its original queue id;
 *                    a content filter's re-injected copy is not a second
 *                    message) and one per outbound delivery attempt of a
 *                    recipient (sent, deferred, bounced, expired). Local
 *                    hand-offs (loopback relays, private/..., relay=local,
 *                    LMTP to the mailbox server) are not outbound events.
 *   struct mt_conn   one per SMTP connection, in or out, with its outcome:
 *                    TLS established, plaintext, or a failed TLS attempt.
 *                    A connection that Postfix logs twice through tlsproxy
 *                    is one record; a reused connection is not a new one.
 *
 * Both are fixed-size and self-contained (copied out of the log lines), so
 * consumers may keep them. Strings are NUL-terminated, "" when unknown;
 * values that do not fit are cut at a character boundary and marked by
 * MT_EVENT_TRUNCATED in flags - never silently.
 *
 * The JSON form of struct mt_event is the public contract of
 * `mailtls report --events` (DESIGN.md, "Machine-readable output").
 */
#ifndef MT_EVENT_H
#define MT_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "tls.h"

enum mt_direction {
    MT_DIR_IN = 0,
    MT_DIR_OUT,
};

enum mt_mta {
    MT_MTA_UNKNOWN = 0,
    MT_MTA_POSTFIX,
    MT_MTA_EXIM,
    MT_MTA_SENDMAIL,
    MT_MTA_OPENSMTPD,
};

/* Message status: in = received; out = the delivery attempt's outcome. */
enum mt_msg_status {
    MT_MSG_RECEIVED = 0,
    MT_MSG_SENT,
    MT_MSG_DEFERRED,
    MT_MSG_BOUNCED,
    MT_MSG_EXPIRED,
};

/* Connection outcome. */
enum mt_conn_outcome {
    MT_CONN_TLS = 0,    /* TLS established */
    MT_CONN_PLAINTEXT,  /* no STARTTLS on this connection */
    MT_CONN_FAILED_TLS, /* STARTTLS attempted and failed */
};

#define MT_EVENT_TRUNCATED  0x01
#define MT_EVENT_INCOMPLETE 0x02 /* flushed before its end was seen (eviction, end of input) */

#define MT_EV_HOST_MAX   256
#define MT_EV_IP_MAX     64
#define MT_EV_ID_MAX     64
#define MT_EV_ADDR_MAX   320
#define MT_EV_REASON_MAX 160

struct mt_event {
    int64_t time; /* seconds since the epoch, UTC */
    enum mt_direction dir;
    enum mt_mta mta;
    enum mt_msg_status status;
    char host[MT_EV_HOST_MAX];      /* the logging host (syslog host name) */
    char queue_id[MT_EV_ID_MAX];    /* original queue id */
    char peer_host[MT_EV_HOST_MAX]; /* in: client name; out: relay name */
    char peer_ip[MT_EV_IP_MAX];
    char sender[MT_EV_ADDR_MAX]; /* envelope sender, "" for <> */
    char sender_domain[MT_EV_HOST_MAX];
    char recipient_domain[MT_EV_HOST_MAX]; /* out: this recipient's; in: first recipient's */
    unsigned flags;
    struct mt_tls tls; /* of the connection the message came or went over */
};

struct mt_conn {
    int64_t time;
    enum mt_direction dir;
    enum mt_mta mta;
    enum mt_conn_outcome outcome;
    char host[MT_EV_HOST_MAX];
    char peer_host[MT_EV_HOST_MAX];
    char peer_ip[MT_EV_IP_MAX];
    char reason[MT_EV_REASON_MAX]; /* why TLS failed, as logged, or "" */
    unsigned flags;
    struct mt_tls tls; /* established TLS (outcome TLS), else used = no/unknown */
};

/* Where the correlator delivers records. Either callback may be NULL. */
struct mt_sink {
    void (*message)(void *arg, const struct mt_event *ev);
    void (*connection)(void *arg, const struct mt_conn *c);
    void *arg;
};

const char *mt_direction_str(enum mt_direction d); /* "in", "out" */
const char *mt_mta_str(enum mt_mta m);             /* "postfix", "exim", ... */
const char *mt_msg_status_str(enum mt_msg_status s);
const char *mt_conn_outcome_str(enum mt_conn_outcome o); /* "tls", "plaintext", "failed_tls" */

#endif
