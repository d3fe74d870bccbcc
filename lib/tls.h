/*
 * tls.h - the TLS facts of one SMTP hop, and their verdict.
 *
 * Every source mailtls reads - a log line, a Received: header, a milter
 * macro - is reduced to one struct mt_tls. The struct is self-contained
 * (fixed-size, no pointers into the input except the static cipher table), so
 * it can be copied by assignment and kept after the input is gone.
 *
 * What a source does not say stays unknown: `used` is MT_TRI_UNKNOWN,
 * protocols are MT_PROTO_NONE, bits is -1, trust is MT_TRUST_UNKNOWN,
 * strings are empty.
 *
 * The verdict (DESIGN.md, "The TLS model") is computed per axis - protocol,
 * cipher, key exchange, MAC - and the worst axis wins:
 *   plaintext   the hop was not encrypted;
 *   insecure    SSLv2/SSLv3, NULL, EXPORT, DES, RC4, RC2;
 *   deprecated  TLS 1.0/1.1, 3DES, IDEA, no forward secrecy, MD5 MAC;
 *   legacy      TLS 1.2 CBC with HMAC;
 *   ok          TLS 1.2 AEAD with (EC)DHE, any TLS 1.3;
 *   unknown     TLS is evident but the details needed are missing.
 * mt_tls_verdict() also returns the reasons, as a bit set that
 * mt_tls_reason_str() turns into English.
 *
 * Pure functions, no allocation, no globals.
 */
#ifndef MT_TLS_H
#define MT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

struct mt_cipher; /* cipher.h */

enum mt_tri {
    MT_TRI_UNKNOWN = 0,
    MT_TRI_NO,
    MT_TRI_YES,
};

/* Protocol versions in increasing order; NONE means "not known". */
enum mt_proto {
    MT_PROTO_NONE = 0,
    MT_PROTO_SSL2,
    MT_PROTO_SSL3,
    MT_PROTO_TLS10,
    MT_PROTO_TLS11,
    MT_PROTO_TLS12,
    MT_PROTO_TLS13,
};

/* Certificate trust of the peer, as Postfix and Exim (CV=) report it. */
enum mt_trust {
    MT_TRUST_UNKNOWN = 0,
    MT_TRUST_ANONYMOUS, /* no certificate (Postfix "Anonymous") */
    MT_TRUST_UNTRUSTED, /* certificate not verified */
    MT_TRUST_TRUSTED,   /* chain verified, name not checked */
    MT_TRUST_VERIFIED,  /* chain and name verified (or DANE) */
};

/* Verdicts, best to worst; UNKNOWN sorts first and is not "better" than ok. */
enum mt_verdict {
    MT_VERDICT_UNKNOWN = 0,
    MT_VERDICT_OK,
    MT_VERDICT_LEGACY,
    MT_VERDICT_DEPRECATED,
    MT_VERDICT_INSECURE,
    MT_VERDICT_PLAINTEXT,
};
#define MT_VERDICT_COUNT 6

/* Reasons behind a verdict (bit set). Each has an English phrase. */
enum mt_reason {
    MT_REASON_PLAINTEXT = 1u << 0,       /* no TLS */
    MT_REASON_SSL = 1u << 1,             /* SSLv2 or SSLv3 */
    MT_REASON_OLD_TLS = 1u << 2,         /* TLS 1.0 or 1.1 */
    MT_REASON_NULL_CIPHER = 1u << 3,     /* no encryption */
    MT_REASON_EXPORT = 1u << 4,          /* export-grade */
    MT_REASON_BROKEN_CIPHER = 1u << 5,   /* DES, RC4, RC2 */
    MT_REASON_WEAK_CIPHER = 1u << 6,     /* 3DES, IDEA */
    MT_REASON_NO_PFS = 1u << 7,          /* static RSA/DH/ECDH, PSK, KRB5 */
    MT_REASON_MD5 = 1u << 8,             /* MD5 MAC */
    MT_REASON_CBC = 1u << 9,             /* CBC mode with HMAC */
    MT_REASON_ANONYMOUS = 1u << 10,      /* anonymous key exchange (note only) */
    MT_REASON_NO_DETAILS = 1u << 11,     /* TLS evident, protocol/cipher unknown */
    MT_REASON_UNKNOWN_CIPHER = 1u << 12, /* cipher name not in our table */
    MT_REASON_VAGUE_PROTOCOL = 1u << 13, /* protocol given as a range */
};
#define MT_REASON_COUNT 14

#define MT_TLS_CIPHER_RAW_MAX 96
#define MT_TLS_NAME_MAX       48

struct mt_tls {
    enum mt_tri used;
    /* Protocol range: equal when exact; both NONE when unknown. */
    enum mt_proto proto_min, proto_max;
    const struct mt_cipher *cipher;         /* entry of the static table, or NULL */
    char cipher_raw[MT_TLS_CIPHER_RAW_MAX]; /* the spelling as written, or "" */
    char protocol_raw[MT_TLS_NAME_MAX];     /* the protocol as written, or "" */
    int bits;                               /* symmetric key bits; -1 unknown */
    enum mt_trust trust;
    char kex_group[MT_TLS_NAME_MAX]; /* "X25519", "secp384r1", ... or "" */
    char signature[MT_TLS_NAME_MAX]; /* "RSA-PSS", "ECDSA (P-256)", ... or "" */
};

/* Sets every fact to unknown. */
void mt_tls_init(struct mt_tls *t);

/* Marks t as a plaintext hop (used = no, everything else unknown). */
void mt_tls_set_plaintext(struct mt_tls *t);

/*
 * Marks t as a TLS hop (used = yes) with the protocol and cipher as a log
 * line wrote them (each through the setter below; an empty span leaves it
 * unknown) and bits (-1: unknown); everything else unknown.
 */
void mt_tls_set_used(struct mt_tls *t, struct mt_span protocol, struct mt_span cipher, int bits);

/*
 * Records a protocol as written (e.g. "TLSv1.2", "TLS1_2", "TLSv1/SSLv3"):
 * sets protocol_raw and the range via mt_proto_parse(). Returns false when
 * the name is not recognised (protocol_raw is still kept when it fits).
 * Sets used = yes.
 */
bool mt_tls_set_protocol(struct mt_tls *t, const char *p, size_t len);

/*
 * Records a cipher as written in any spelling (see cipher.h): sets
 * cipher_raw, looks the name up, and applies what the name implies
 * (TLS 1.3 suites pin the protocol; AEAD/SHA-256/384 suites narrow a vague
 * range to TLS 1.2; Exim's GnuTLS TLS 1.3 spelling also gives the group and
 * signature). Returns false when the name is unknown (cipher stays NULL).
 * Sets used = yes.
 */
bool mt_tls_set_cipher(struct mt_tls *t, const char *p, size_t len);

/* Narrows the protocol range using what the cipher implies; idempotent. */
void mt_tls_refine(struct mt_tls *t);

/* True when the protocol is known exactly. */
bool mt_tls_proto_exact(const struct mt_tls *t);

/*
 * Forward secrecy: yes for TLS 1.3 and (EC)DHE suites, no for static
 * RSA/DH/ECDH, PSK and KRB5 suites, unknown otherwise.
 */
enum mt_tri mt_tls_pfs(const struct mt_tls *t);

/* The verdict, worst axis wins; *reasons (when non-NULL) gets the reason bits. */
enum mt_verdict mt_tls_verdict(const struct mt_tls *t, unsigned *reasons);

/*
 * Writes the reasons as English phrases separated by "; " into dst
 * ("TLS 1.0 or 1.1; no forward secrecy: static RSA key exchange").
 * Returns the length written (always NUL-terminated when dstsz > 0; a phrase
 * that does not fit is left out whole).
 */
size_t mt_tls_reasons_format(const struct mt_tls *t, unsigned reasons, char *dst, size_t dstsz);

/* Names: "plaintext", "insecure", ...; "TLSv1.2", ...; "anonymous", ...; "yes"/"no"/"unknown". */
const char *mt_verdict_str(enum mt_verdict v);
const char *mt_proto_str(enum mt_proto p);
const char *mt_trust_str(enum mt_trust t);
const char *mt_tri_str(enum mt_tri t);

/* Parses a verdict name back (for config and filters); false when unknown. */
bool mt_verdict_parse(const char *p, size_t len, enum mt_verdict *out);

/*
 * Parses a protocol name in any spelling seen in the wild - "SSLv3",
 * "TLSv1", "TLSv1.2", "TLS1_2", "TLS1.2", "TLS-1.0", "tlsv1.3", "TLS 1.3" -
 * into a range. "TLSv1/SSLv3" (Sendmail, old Gmail) is the range SSLv3 to
 * TLS 1.2. Returns false when not recognised.
 */
bool mt_proto_parse(const char *p, size_t len, enum mt_proto *min, enum mt_proto *max);

#endif
