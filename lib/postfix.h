/*
 * postfix.h - the message part of one Postfix log line, classified.
 *
 * mt_postfix_parse() takes the program name and the message of a line that
 * logline.h split (program "postfix/smtpd", "postfix/submission/smtpd",
 * "postfix-out/smtp", ...; the daemon is its last component) and says what
 * the line reports, with spans into the message. It knows the lines that
 * matter for TLS statistics from Postfix 2.x to 3.10:
 *
 *   smtpd       connect from / disconnect from (with the 3.x command
 *               counters, "starttls=1" or "starttls=0/1"), lost connection
 *               / timeout after X from, "[TRUST ]TLS connection established
 *               from H[IP]: PROTO with cipher C (A/B bits)[ key-exchange G
 *               server-signature S server-digest D]" (the trust word is
 *               Anonymous, Untrusted, Trusted or Verified; before 2.5 there
 *               is none), "SSL_accept error from H[IP]: why",
 *               "QID: client=H[IP][, sasl_...][, orig_queue_id=Q]";
 *   smtp/lmtp   "[TRUST ]TLS connection established|reused to H[IP]:PORT:
 *               ..." (pre-2.5: "to H:"), "SSL_connect error to H[IP]:PORT:
 *               why", "QID: to=<A>, [orig_to=<B>, ]relay=R, [conn_use=N, ]
 *               delay=.., [delays=.., dsn=.., ]status=S (text)" with
 *               S sent|deferred|bounced|expired, and the "queued as ID"
 *               at the end of the text; "QID: TLS is required, but ..."
 *               lines without a status;
 *   tlsproxy    "CONNECT to [IP]:PORT", "DISCONNECT [IP]:PORT", and the TLS
 *               lines above (the smtp client's connection through it);
 *   qmgr        "QID: from=<A>, size=N, nrcpt=N (queue active)",
 *               "QID: from=<A>, status=expired, returned to sender",
 *               "QID: removed";
 *   cleanup     "QID: message-id=<...>", "QID: reject: ..." / "milter-reject:"
 *               (the message was not accepted), "QID: discard: ...";
 *   pickup      "QID: uid=N from=<A>";
 *   any         "warning: TLS library problem: ..." (MT_PF_TLS_WARNING),
 *               other lines (MT_PF_OTHER: postscreen, anvil, NOQUEUE, ...).
 * The kind is decided by the text; the daemon name is given back so the
 * correlator can tell smtpd from postscreen and smtp from lmtp. A line with
 * an empty program (a published message part without prefix) is classified
 * by its text alone.
 *
 * Pure: no allocation, no state, every scan bounded by the message length.
 * A line that looks like one of the above but is cut short or malformed is
 * MT_PF_OTHER (never an error: a log holds many lines we do not read).
 * mt_postfix_tls() turns the TLS fields of a record into struct mt_tls.
 * Formats: Postfix sources src/tls/tls_client.c, tls_server.c (TLS lines),
 * src/global/log_adhoc.c (delivery lines), src/smtpd/smtpd.c (counters).
 */
#ifndef MT_POSTFIX_H
#define MT_POSTFIX_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"
#include "tls.h"
#include "util/span.h"

enum mt_pf_kind {
    MT_PF_OTHER = 0,
    MT_PF_CONNECT,           /* smtpd: connect from H[IP] */
    MT_PF_DISCONNECT,        /* smtpd: disconnect from H[IP] [counters] */
    MT_PF_LOST,              /* smtpd: lost connection / timeout after WHAT from H[IP] */
    MT_PF_TLS_IN,            /* TLS connection established from H[IP] */
    MT_PF_TLS_OUT,           /* TLS connection established/reused to H[IP]:PORT */
    MT_PF_SSL_ACCEPT_ERROR,  /* SSL_accept error from H[IP]: reason */
    MT_PF_SSL_CONNECT_ERROR, /* SSL_connect error to H[IP]:PORT: reason */
    MT_PF_TLS_WARNING,       /* warning: TLS library problem: reason */
    MT_PF_CLIENT,            /* QID: client=H[IP] */
    MT_PF_FROM,              /* qmgr QID: from=<A>, size=... */
    MT_PF_EXPIRED,           /* qmgr QID: from=<A>, status=expired */
    MT_PF_PICKUP,            /* pickup QID: uid=N from=<A> */
    MT_PF_DELIVERY,          /* QID: to=<A>, relay=R, ..., status=S (text) */
    MT_PF_TLS_REQUIRED,      /* QID: TLS is required, but ... (no status) */
    MT_PF_REMOVED,           /* qmgr QID: removed */
    MT_PF_MESSAGE_ID,        /* cleanup QID: message-id=<...> */
    MT_PF_REJECT,            /* cleanup QID: reject:/milter-reject: (not queued) */
    MT_PF_PROXY_CONNECT,     /* tlsproxy: CONNECT to [IP]:PORT */
    MT_PF_PROXY_DISCONNECT,  /* tlsproxy: DISCONNECT [IP]:PORT */
};

/* Where a delivery went, from relay=. */
enum mt_pf_relay {
    MT_PF_RELAY_NONE = 0, /* relay=none: no connection was made */
    MT_PF_RELAY_INET,     /* host[ip][:port] */
    MT_PF_RELAY_UNIX,     /* host[private/...] (a UNIX-domain socket) */
    MT_PF_RELAY_NAME,     /* a bare name: local, virtual, a pipe service */
};

struct mt_pf_rec {
    enum mt_pf_kind kind;
    struct mt_span daemon;        /* last component of the program: "smtpd", "smtp" */
    struct mt_span queue_id;      /* "" when the line has none */
    struct mt_span host;          /* client (smtpd) or server (smtp, relay=) name */
    struct mt_span ip;            /* in brackets, or the UNIX socket path */
    struct mt_span port;          /* after "]:", may be empty */
    struct mt_span addr;          /* from=<A> or to=<A>, without brackets */
    struct mt_span orig_queue_id; /* client=..., orig_queue_id=Q */
    /* delivery */
    enum mt_pf_relay relay;
    unsigned conn_use; /* 0 when not logged */
    enum mt_msg_status status;
    struct mt_span status_text; /* inside the parentheses */
    struct mt_span queued_as;   /* the last "queued as ID" of the text */
    /* TLS lines */
    bool reused;         /* "connection reused to" */
    enum mt_trust trust; /* UNKNOWN in the pre-2.5 form */
    struct mt_span protocol, cipher, kex, sig;
    int bits; /* -1 when not logged */
    /* disconnect counters: -1 when not logged */
    int starttls_ok, starttls_tried;
    bool counters;         /* the line had command counters (Postfix >= 3.0) */
    struct mt_span reason; /* SSL_*error reason, "after WHAT", warning text */
};

/* Classifies one Postfix message part (see above); never fails. */
void mt_postfix_parse(struct mt_span program, struct mt_span msg, struct mt_pf_rec *rec);

/* True when program names a Postfix daemon ("postfix/...", "postfix-out/smtp"). */
bool mt_postfix_is_program(struct mt_span program);

/* Fills t from the TLS fields of a MT_PF_TLS_IN/OUT record. */
void mt_postfix_tls(const struct mt_pf_rec *rec, struct mt_tls *t);

#endif
