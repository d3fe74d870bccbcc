/*
 * received_tls.h - the TLS comments MTAs write into Received: fields.
 *
 * Internal to received.c (not an interface for other modules). One call
 * looks at the text inside one comment (without its outer parentheses) and,
 * when it is a TLS comment of a known shape, records what it says in *tls
 * with mt_tls_set_protocol()/mt_tls_set_cipher(), the key bits as written
 * in *bits_raw (a span into the comment) and tls->bits as real key bits:
 *
 *   Postfix     "using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)
 *                key-exchange X25519 server-signature RSA-PSS (2048 bits)
 *                server-digest SHA256" (kex_group "X25519", signature
 *                "RSA-PSS (2048 bits)": the receiving server's signature);
 *                Kerio "(256 bits)"; "using TLS: TLSv1.2, AES256-SHA";
 *                Mimecast "Using TLS"
 *   client certificate (Postfix): "Client CN ..., Issuer ... (verified OK)"
 *                -> trust trusted, "(not verified)" -> untrusted,
 *                "No client certificate requested" / "Client did not present
 *                a certificate" -> anonymous (the client is the peer of the
 *                server writing the field; Postfix does not check client
 *                certificate names, so never "verified")
 *   Exim        "TLSv1:AES256-SHA:256", "TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256";
 *                a last field of 1-32 is a GnuTLS byte count (old Exim with
 *                GnuTLS wrote key bytes): tls->bits = count * 8
 *   OpenSMTPD   "TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO" (YES -> trusted)
 *   Exim 4.93+  "TLS1.3" alone (the cipher follows as "tls NAME" outside)
 *   key=value   Sendmail/Proofpoint/Gmail "version=TLSv1.2 cipher=X bits=256
 *                verify=NOT", Microsoft "version=TLS1_2, cipher=X", Haraka
 *                "cipher=X"; verify=OK -> trusted, FAIL -> untrusted,
 *                NO/NOT -> anonymous
 *   Microsoft   "TLS"; Google "Google Transport Security"
 *   Courier     "AUTH: LOGIN u, TLS: TLSv1/SSLv3,256bits,AES256-SHA" (or "SSL:")
 *   Cellopoint  "... with TLSv1.2 ECDHE-RSA-AES256-SHA384 256/256", "... with TLS"
 *   qmail       "DHE-RSA-AES256-SHA encrypted"
 *
 * Pure, bounded by the comment's length.
 */
#ifndef MT_RECEIVED_TLS_H
#define MT_RECEIVED_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "tls.h"
#include "util/span.h"

enum mt_rtls {
    MT_RTLS_NONE = 0,   /* not a TLS comment */
    MT_RTLS_FACTS,      /* TLS facts recorded */
    MT_RTLS_TRUST,      /* only the client certificate trust recorded */
    MT_RTLS_PROTO_ONLY, /* a bare protocol (Exim 4.93+: "tls CIPHER" follows) */
};

/* ASCII case-insensitive equality of a span with n bytes of s. */
static inline bool
rx_ieq(struct mt_span a, const char *s, size_t n)
{
    size_t i;

    if (a.len != n)
        return false;
    for (i = 0; i < n; i++)
        if (mt_to_lower((unsigned char)a.p[i]) != mt_to_lower((unsigned char)s[i]))
            return false;
    return true;
}

/* True when a starts (rx_istarts) or ends (rx_iends) with n bytes of s, case ignored. */
static inline bool
rx_istarts(struct mt_span a, const char *s, size_t n)
{
    return a.len >= n && rx_ieq(mt_span(a.p, n), s, n);
}
static inline bool
rx_iends(struct mt_span a, const char *s, size_t n)
{
    return a.len >= n && rx_ieq(mt_span(a.p + a.len - n, n), s, n);
}

/* The same with a string literal, whose length is known at compile time. */
#define RX_IEQ(a, lit)     rx_ieq((a), "" lit, sizeof(lit) - 1)
#define RX_ISTARTS(a, lit) rx_istarts((a), "" lit, sizeof(lit) - 1)
#define RX_IENDS(a, lit)   rx_iends((a), "" lit, sizeof(lit) - 1)
#define RX_STARTS(a, lit)  ((a).len >= sizeof(lit) - 1 && memcmp((a).p, lit, sizeof(lit) - 1) == 0)

/* Reads one comment's inner text (see above). */
enum mt_rtls mt_received_tls_comment(struct mt_span c, struct mt_tls *tls,
                                     struct mt_span *bits_raw);

/* Records key bits written as "256/256", "256", "128bits" into tls->bits. */
void mt_received_tls_bits(struct mt_tls *tls, struct mt_span raw, bool bytes);

#endif
