/*
 * received.h - one Received: header field, parsed.
 *
 * mt_received_parse() takes the value of one Received: field (what follows
 * "Received:", folded as in the message; a leading "Received:" name is also
 * accepted) and finds the clauses of RFC 5321 section 4.4 and RFC 5322
 * section 3.6.7 - from, by, via, with, id, for, and the date after the last
 * ";" - in the many shapes MTAs actually write: comments nested in any
 * order, TLS comments before or after "by", dates without ";", ids after the
 * date. It extracts the TLS facts the hop claims:
 *   - the with keyword (RFC 3848 ESMTPS/ESMTPSA/LMTPS, RFC 6531 UTF8SMTPS...,
 *     and non-standard ones such as SMTPS or HTTPS);
 *   - Postfix "(using TLSv1.3 with cipher X (256/256 bits) key-exchange ...
 *     server-signature ... client-signature ...)" and client certificate
 *     comments "(Client CN ..., Issuer ... (verified OK))";
 *   - Exim "(TLSv1:AES256-SHA:256)", "(TLS1.2:ECDHE_RSA_..:256)",
 *     "(TLS1.3) tls TLS_AES_256_GCM_SHA384" and GnuTLS byte counts;
 *   - Sendmail/Gmail/Proofpoint "(version=TLS1_2 cipher=... bits=128/128)";
 *   - Microsoft "(version=TLS1_2, cipher=TLS_..._P384)" and "(TLS)";
 *   - qmail "with (CIPHER encrypted) SMTP", Courier "TLS: TLSv1/SSLv3,256bits,X",
 *     IronPort "ESMTP/TLS/CIPHER", Mimecast, Haraka, Kerio, and others (see
 *     tests/golden/received).
 * A plain registered keyword (SMTP, ESMTP, ESMTPA, LMTP) without any TLS
 * comment gives used = no; a missing or unregistered keyword gives unknown.
 *
 * Pure: every span points into the caller's buffer, the TLS facts are copied
 * into the fixed-size struct mt_tls. No allocation, bounded loops.
 * Errors: MT_EPARSE when the value is not a Received field at all (empty, or
 * no recognisable clause); MT_ELIMIT when longer than MT_RECEIVED_MAX.
 */
#ifndef MT_RECEIVED_H
#define MT_RECEIVED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tls.h"
#include "util/span.h"
#include "util/status.h"

#define MT_RECEIVED_MAX (64 * 1024)

struct mt_received {
    struct mt_span from_host; /* first word after "from", as written */
    struct mt_span from_helo; /* HELO/EHLO name when given apart from from_host */
    struct mt_span from_rdns; /* reverse-DNS name from the comment, when given */
    struct mt_span from_ip;   /* address without brackets or "IPv6:" prefix */
    struct mt_span by_host;   /* first word after "by" */
    struct mt_span with;      /* the with keyword as written (qmail: "SMTP") */
    struct mt_span id;        /* the id clause */
    struct mt_span for_addr;  /* the for clause, without angle brackets */
    struct mt_span date;      /* the date after ";" (or where it was found) */
    int64_t time;             /* date as seconds since the epoch (UTC), or -1 */
    struct mt_span tls_bits;  /* key bits as written ("256/256", "256", Exim GnuTLS "32") */
    bool authenticated; /* ESMTPA/ESMTPSA, "(authenticated ...)", "(Authenticated sender: ..)" */
    struct mt_tls tls;  /* the TLS facts this hop claims */
};

/* Parses one Received: field value (see above). */
enum mt_status mt_received_parse(const char *buf, size_t len, struct mt_received *out,
                                 struct mt_error *err);

/*
 * Classifies a with keyword: MT_TRI_YES for a TLS keyword (ESMTPS, ESMTPSA,
 * LMTPS, UTF8SMTPS, ... SMTPS, HTTPS), MT_TRI_NO for a plain registered one
 * (SMTP, ESMTP, ESMTPA, LMTP, LMTPA, UTF8SMTP, ...), MT_TRI_UNKNOWN otherwise.
 */
enum mt_tri mt_received_with_tls(struct mt_span with);

#endif
