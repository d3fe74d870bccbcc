/*
 * exim.h - one Exim main log message part, classified.
 *
 * The message part is what follows the time stamp (and "[pid]") of a
 * mainlog line, or the "exim[pid]: " of a syslog line (logline.h):
 *   "ID <= SENDER H=host (helo) [ip]:port P=esmtps X=... CV=yes DN="..." S=n"
 *   "ID => ADDR [<orig>] R=router T=transport H=host [ip]* X=... CV=... C="...""
 *   "ID -> ADDR ..." (another address of the same delivery), "ID ** ADDR ..."
 *   (failed), "ID == ADDR ... defer (...)", "ID *> ADDR" (not delivered, -N),
 *   "ID Completed", "[ID ]H=host [ip] TLS error on connection (op): ..." and
 *   "TLS error on connection from host [ip] (op): ..." (no id); an op of
 *   recv/send/SSL_read/SSL_write is an error on an established session,
 *   not a failed handshake (Exim 4.96 logs "(recv): Error in the pull
 *   function" after handing a TLS connection on to the next message);
 *   "ID TLS session: (op): why: delivering unencrypted to H=host [ip] (not
 *   in hosts_require_tls)" (4.93+; older "TLS session failure: delivering
 *   unencrypted to host [ip] ..."): a failed outbound handshake that Exim
 *   follows with a new connection in clear; "ID H=host [ip]: a TLS session
 *   is required, but ..." (hosts_require_tls).
 * Fields end at a value with a trailing ':' ("CV=no: SMTP error from
 * remote mail server ..."): the rest is the reason. "defer (errno) H=host
 * [ip]: why" names the host after the errno; "defer (-1): first-pass only
 * routing ..." (queue_smtp_domains, -odqs) is no delivery attempt.
 * Message ids are the 4.97+ form "1smkL5-00000000e65-24eQ" or the older
 * "1iGHiT-00007b-Na". X= in every spelling: OpenSSL
 * "TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256", GnuTLS
 * "TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256", 4.93+ GnuTLS TLS 1.3
 * "TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256". A "*" right
 * after "]" of H= marks a delivery over a connection that was kept open from
 * an earlier one. C="..." may hold backslash escapes such as a literal \n.
 *
 * Pure: spans into the message, no allocation, bounded scans; malformed or
 * unknown lines are MT_EX_OTHER. mt_exim_tls() fills struct mt_tls from X=
 * and CV=. Format reference: the Exim specification, chapter "Log files"
 * (log_selector, "Reducing or increasing what is logged").
 */
#ifndef MT_EXIM_H
#define MT_EXIM_H

#include <stdbool.h>

#include "tls.h"
#include "util/span.h"

enum mt_ex_kind {
    MT_EX_OTHER = 0,
    MT_EX_ARRIVAL,    /* <= */
    MT_EX_DELIVERY,   /* => */
    MT_EX_ADDITIONAL, /* -> (same delivery as the => before it) */
    MT_EX_FAILED,     /* ** */
    MT_EX_DEFER,      /* == */
    MT_EX_COMPLETED,  /* Completed */
    MT_EX_TLS_ERROR,  /* TLS error on connection (with or without an id) */
};

struct mt_ex_rec {
    enum mt_ex_kind kind;
    struct mt_span id;                /* message id, "" when none */
    struct mt_span addr;              /* sender (<=) or recipient address */
    struct mt_span host, ip, port;    /* H= */
    bool reused;                      /* "]*": a continued connection */
    bool inbound;                     /* TLS error: "from" (inbound) rather than outbound */
    bool established;                 /* TLS error on an established session, not a handshake */
    bool first_pass;                  /* defer (-1): routed only, delivery left to a queue run */
    struct mt_span proto;             /* P= */
    struct mt_span router, transport; /* R=, T= */
    struct mt_span x;                 /* X= as written */
    struct mt_span cv;                /* CV= */
    struct mt_span reason;            /* TLS error text, defer/failure text */
};

/* Classifies one message part; never fails. */
void mt_exim_parse(struct mt_span msg, struct mt_ex_rec *r);

/*
 * Fills t from X= and CV= of a record: protocol, cipher, bits, trust
 * (CV=yes: verified, CV=dane: verified, CV=no: untrusted). Sets used = yes
 * when X= is there; leaves t unknown otherwise.
 */
void mt_exim_tls(const struct mt_ex_rec *r, struct mt_tls *t);

#endif
