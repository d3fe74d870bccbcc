/*
 * opensmtpd.h - one OpenSMTPD log message part (program "smtpd"), classified.
 *
 * OpenSMTPD 6.4 and later ("<session> <subsystem> <event> key=value ..."):
 *   "SID smtp connected address=IP host=NAME", "SID smtp tls
 *   ciphers=TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256", "SID smtp message
 *   msgid=ID size=N nrcpt=N proto=ESMTP", "SID smtp envelope evpid=EVP
 *   from=<A> to=<B>", "SID smtp disconnected reason=R", "SID mta connecting
 *   address=smtp://IP:PORT host=NAME", "SID mta tls ciphers=...", "SID mta
 *   delivery evpid=EVP from=<A> to=<B> rcpt=<-> source="IP" relay="IP
 *   (NAME)" delay=T result="Ok|TempFail|PermFail" stat="...", "SID mta
 *   disconnected ...", "SID mda delivery ..." (local), "SID mta error
 *   reason=IO Error: Connection refused" and "SID mta error reason=TLS
 *   required but not supported by remote host" (reason: the rest of the
 *   line), "SID mta server-cert-check result="failure"|"success"" (6.8),
 *   "smtp-out: Error on session SID: opportunistic TLS failed, downgrading
 *   to plain" (then "SID mta connecting address=smtp+notls://..." again:
 *   any scheme "NAME://" is read).
 * OpenSMTPD 5.x ("smtp-in:", "relay:", "delivery:" lines):
 *   "smtp-in: New session SID from host NAME [IP]", "smtp-in: Started TLS on
 *   session SID: version=V, cipher=C, bits=N", "smtp-in: Accepted message
 *   ID on session SID: from=<A>, to=<B>, size=N, ndest=N, proto=ESMTP",
 *   "smtp-in: Closing session SID", "smtp-in: Received disconnect from
 *   session SID", "smtp-out: Started TLS on session SID: ...", "relay: Ok
 *   for EVP: session=SID, from=<A>, to=<B>, ..., relay=IP (NAME), ...",
 *   "delivery: Ok for EVP: ..." (local).
 * A message id is the first 8 hex digits of an envelope id.
 *
 * Pure: spans into the message, no allocation, bounded scans; anything else
 * is MT_OS_OTHER. Reference: OpenSMTPD's smtpd/smtp_session.c and
 * mta_session.c logging calls (6.x), and the poolp.org notes on the 6.4
 * log format.
 */
#ifndef MT_OPENSMTPD_H
#define MT_OPENSMTPD_H

#include <stdbool.h>

#include "event.h"
#include "tls.h"
#include "util/span.h"

enum mt_os_kind {
    MT_OS_OTHER = 0,
    MT_OS_CONNECTED,    /* inbound session starts */
    MT_OS_CONNECTING,   /* outbound session starts */
    MT_OS_TLS,          /* TLS established (in or out) */
    MT_OS_MESSAGE,      /* inbound message accepted (5.x: with from/to) */
    MT_OS_ENVELOPE,     /* inbound envelope: from/to */
    MT_OS_DISCONNECTED, /* session ends (in or out) */
    MT_OS_DELIVERY,     /* outbound delivery attempt */
    MT_OS_LOCAL,        /* local (mda) delivery */
    MT_OS_ERROR,        /* outbound session error before or instead of a delivery */
    MT_OS_CERT,         /* outbound: the server's certificate was checked */
};

struct mt_os_rec {
    enum mt_os_kind kind;
    bool out; /* mta / smtp-out / relay: rather than smtp / smtp-in */
    struct mt_span session;
    struct mt_span msgid;    /* 8 hex digits */
    struct mt_span from, to; /* without <> */
    struct mt_span ip, host, port;
    struct mt_span protocol, cipher; /* TLS */
    int bits;
    enum mt_msg_status status; /* delivery */
    struct mt_span reason;     /* disconnected reason=, delivery stat=, error text */
    bool verified;             /* MT_OS_CERT: result="success" */
};

/* Classifies one message part; never fails. */
void mt_opensmtpd_parse(struct mt_span msg, struct mt_os_rec *r);

/* Fills t from a MT_OS_TLS record. */
void mt_opensmtpd_tls(const struct mt_os_rec *r, struct mt_tls *t);

#endif
