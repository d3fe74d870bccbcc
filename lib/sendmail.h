/*
 * sendmail.h - one Sendmail log message part, classified.
 *
 * Programs "sendmail", "sm-mta", "sm-msp-queue" (logline.h gives the message
 * after "prog[pid]: "). Lines read:
 *   "[QID: ]STARTTLS=server|client, relay=HOST [IP], version=V, verify=X,
 *    cipher=C, bits=N/M" (8.16+ puts the queue id in front);
 *   "QID: from=<A>, size=N, class=0, nrcpts=N, msgid=<..>, proto=ESMTP,
 *    daemon=MTA, relay=HOST [IP]" (relay=user@localhost for local mail);
 *   "QID: to=<A>, [ctladdr=.., ]delay=.., xdelay=.., mailer=M, pri=N,
 *    relay=HOST. [IP], dsn=X.Y.Z, stat=TEXT";
 *   "ruleset=tls_server|tls_client, arg1=.., relay=HOST, reject=403 4.7.0
 *    TLS handshake failed." (tls_server: our client checked a server);
 *   "STARTTLS=server|client: ... error ...", "STARTTLS: ... error ..." and
 *   (8.15+) "STARTTLS=server, error: accept failed=-1, reason=no shared
 *   cipher, SSL_error=1, errno=0, retry=-1, relay=HOST [IP]" (the client
 *   form "STARTTLS=client, error: connect failed=-1, reason=..." names no
 *   relay: the "ruleset=tls_server ... relay=" line that follows does).
 * "to=<a>,<b>" lists every recipient of one delivery; mt_sendmail_next_rcpt()
 * walks that list.
 * relay= may be "HOST [IP]", "HOST. [IP]", "[IP] [IP]", "HOST" (client
 * STARTTLS lines name no IP), "HOST [IPv6:...]" and "... (may be forged)".
 * Sendmail's "TLSv1/SSLv3" means the range SSLv3..TLS 1.2 (tls.h).
 *
 * Pure: spans into the message, no allocation, bounded scans; unknown or
 * malformed lines are MT_SM_OTHER. Reference: sendmail's op.me, "Log
 * Level", and the STARTTLS section of cf/README.
 */
#ifndef MT_SENDMAIL_H
#define MT_SENDMAIL_H

#include <stdbool.h>

#include "event.h"
#include "tls.h"
#include "util/span.h"

enum mt_sm_kind {
    MT_SM_OTHER = 0,
    MT_SM_STARTTLS,  /* STARTTLS=server|client, ... */
    MT_SM_TLS_ERROR, /* a STARTTLS error or tls_server/tls_client reject */
    MT_SM_FROM,      /* QID: from= */
    MT_SM_TO,        /* QID: to= */
};

struct mt_sm_rec {
    enum mt_sm_kind kind;
    bool server; /* STARTTLS=server / tls_client ruleset: inbound */
    struct mt_span queue_id;
    struct mt_span addr;     /* from= or the first address of to=, without <> */
    struct mt_span rcpts;    /* to=: the whole list, as written */
    struct mt_span host, ip; /* relay= (host without the trailing dot) */
    struct mt_span mailer;   /* to=: mailer= */
    struct mt_span dsn;      /* to=: dsn= */
    struct mt_span version, verify, cipher;
    int bits;                  /* -1 when not logged */
    enum mt_msg_status status; /* to=: from dsn= (or stat=) */
    struct mt_span reason;     /* error text, stat= text */
};

/* Classifies one message part; never fails. */
void mt_sendmail_parse(struct mt_span msg, struct mt_sm_rec *r);

/*
 * The next address of a to= list ("<a>,<b>" or "a,b") after *pos (start at
 * 0), without its angle brackets; false when there is none left.
 */
bool mt_sendmail_next_rcpt(struct mt_span list, size_t *pos, struct mt_span *addr);

/*
 * Fills t from a STARTTLS record: verify=OK trusted, FAIL untrusted, NO (no
 * certificate) anonymous, NOT (none asked for) unknown.
 */
void mt_sendmail_tls(const struct mt_sm_rec *r, struct mt_tls *t);

#endif
