/*
 * test_tls.c - TLS facts of a hop: protocol names, setters, verdicts, reasons.
 *
 * The protocol/cipher pairs are taken from real log lines and Received
 * headers (the mailtls corpus: Postfix, Exim with OpenSSL and GnuTLS,
 * Sendmail, OpenSMTPD, Exchange); the comment on each names its source.
 */
#include <string.h>

#include "cipher.h"
#include "mt_test.h"
#include "tls.h"

/* Parses p and checks the range. */
static void
check_proto(const char *p, bool ok, enum mt_proto lo, enum mt_proto hi)
{
    enum mt_proto a = MT_PROTO_NONE, b = MT_PROTO_NONE;
    bool got = mt_proto_parse(p, strlen(p), &a, &b);

    mt_test_checks++;
    if (got != ok || (ok && (a != lo || b != hi))) {
        mt_test_failures++;
        fprintf(stderr, "%s:%d: \"%s\": got %d %d..%d, want %d %d..%d\n", __FILE__, __LINE__, p,
                got, a, b, ok, lo, hi);
    }
}

/* Every protocol spelling seen in logs and headers. */
static void
test_proto_parse(void)
{
    check_proto("TLSv1", true, MT_PROTO_TLS10, MT_PROTO_TLS10);
    check_proto("TLSv1.0", true, MT_PROTO_TLS10, MT_PROTO_TLS10);
    check_proto("TLSv1.1", true, MT_PROTO_TLS11, MT_PROTO_TLS11);
    check_proto("TLSv1.2", true, MT_PROTO_TLS12, MT_PROTO_TLS12);
    check_proto("TLSv1.3", true, MT_PROTO_TLS13, MT_PROTO_TLS13);
    check_proto("tlsv1.3", true, MT_PROTO_TLS13, MT_PROTO_TLS13);
    check_proto("TLS1_2", true, MT_PROTO_TLS12, MT_PROTO_TLS12);       /* Exchange */
    check_proto("TLS1_3", true, MT_PROTO_TLS13, MT_PROTO_TLS13);       /* Exchange */
    check_proto("TLS1.2", true, MT_PROTO_TLS12, MT_PROTO_TLS12);       /* Exim GnuTLS */
    check_proto("TLS1.0", true, MT_PROTO_TLS10, MT_PROTO_TLS10);       /* Exim GnuTLS */
    check_proto("TLS-1.0", true, MT_PROTO_TLS10, MT_PROTO_TLS10);      /* Exim, GnuTLS 1.x */
    check_proto("TLS1", true, MT_PROTO_TLS10, MT_PROTO_TLS10);         /* Received header */
    check_proto("TLS 1.3", true, MT_PROTO_TLS13, MT_PROTO_TLS13);      /* prose */
    check_proto("TLS12", true, MT_PROTO_TLS12, MT_PROTO_TLS12);        /* .NET */
    check_proto(" TLSv1.2 ", true, MT_PROTO_TLS12, MT_PROTO_TLS12);    /* stray space */
    check_proto("TLS1.3-X.509", true, MT_PROTO_TLS13, MT_PROTO_TLS13); /* Exim GnuTLS RPK */
    check_proto("TLS1.2-X.509-RAWPK", true, MT_PROTO_TLS12, MT_PROTO_TLS12);
    check_proto("TLS1.3-X.509:", false, 0, 0);
    check_proto("TLS1.3-foo", false, 0, 0);
    check_proto("SSLv3", true, MT_PROTO_SSL3, MT_PROTO_SSL3);
    check_proto("SSLv2", true, MT_PROTO_SSL2, MT_PROTO_SSL2);
    check_proto("SSL3.0", true, MT_PROTO_SSL3, MT_PROTO_SSL3);
    check_proto("TLSv1/SSLv3", true, MT_PROTO_SSL3, MT_PROTO_TLS12); /* Sendmail */
    check_proto("tlsv1/sslv3", true, MT_PROTO_SSL3, MT_PROTO_TLS12);
    check_proto("SSLv3/TLSv1", true, MT_PROTO_SSL3, MT_PROTO_TLS12);
    check_proto("", false, 0, 0);
    check_proto("TLS", false, 0, 0);
    check_proto("TLSv", false, 0, 0);
    check_proto("TLSv1.", false, 0, 0);
    check_proto("TLSv1.4", false, 0, 0);
    check_proto("TLSv2", false, 0, 0);
    check_proto("TLS14", false, 0, 0);
    check_proto("TLS123", false, 0, 0);
    check_proto("SSLv4", false, 0, 0);
    check_proto("SSLv3.1", false, 0, 0);
    check_proto("TLSv1.2x", false, 0, 0);
    check_proto("DTLSv1.2", false, 0, 0);
    check_proto("OTHER", false, 0, 0);
}

/* A hop from a protocol and a cipher as written (either may be NULL). */
static struct mt_tls
hop(const char *proto, const char *cipher)
{
    struct mt_tls t;

    mt_tls_init(&t);
    if (proto != NULL)
        mt_tls_set_protocol(&t, proto, strlen(proto));
    if (cipher != NULL)
        mt_tls_set_cipher(&t, cipher, strlen(cipher));
    return t;
}

/* Checks the verdict and the reasons, as English, of a hop. */
#define CHECK_VERDICT(t, want_v, want_reasons)                                                     \
    do {                                                                                           \
        unsigned r_;                                                                               \
        char buf_[512];                                                                            \
        enum mt_verdict v_ = mt_tls_verdict(&(t), &r_);                                            \
        mt_tls_reasons_format(&(t), r_, buf_, sizeof(buf_));                                       \
        CHECK_STR(mt_verdict_str(v_), mt_verdict_str(want_v));                                     \
        CHECK_STR(buf_, want_reasons);                                                             \
    } while (0)

/* Verdicts and reasons for real protocol/cipher pairs. */
static void
test_verdicts(void)
{
    struct mt_tls t;

    /* Postfix 3.4+, TLS 1.3 */
    t = hop("TLSv1.3", "TLS_AES_256_GCM_SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    /* Postfix, TLS 1.2 AEAD with ECDHE */
    t = hop("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    t = hop("TLSv1.2", "DHE-RSA-AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    /* OpenSMTPD "ciphers=TLSv1.2:ECDHE-RSA-CHACHA20-POLY1305:256" */
    t = hop("TLSv1.2", "ECDHE-RSA-CHACHA20-POLY1305");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    /* OpenSMTPD "TLSv1.2:ECDHE-RSA-AES256-SHA384:256" */
    t = hop("TLSv1.2", "ECDHE-RSA-AES256-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_LEGACY, "CBC mode with HMAC-SHA384, not AEAD");
    /* Received: "TLSv1.2 with cipher AES256-GCM-SHA384" */
    t = hop("TLSv1.2", "AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.2 without forward secrecy: static RSA key exchange");
    t = hop("TLSv1.2", "AES128-SHA256");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.2 without forward secrecy: static RSA key exchange; "
                  "CBC mode with HMAC-SHA256, not AEAD");
    /* Postfix "TLSv1 with cipher AES128-SHA" */
    t = hop("TLSv1", "AES128-SHA");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.0 is deprecated (RFC 8996); "
                  "TLS 1.0 without forward secrecy: static RSA key exchange; "
                  "CBC mode with HMAC-SHA1, not AEAD");
    /* Postfix "TLSv1 with cipher DHE-RSA-AES256-SHA" */
    t = hop("TLSv1", "DHE-RSA-AES256-SHA");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.0 is deprecated (RFC 8996); CBC mode with HMAC-SHA1, not AEAD");
    /* Exim "X=TLS1.0:RSA_AES_256_CBC_SHA1:32" (GnuTLS, bits as bytes) */
    t = hop("TLS1.0", "RSA_AES_256_CBC_SHA1");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.0 is deprecated (RFC 8996); "
                  "TLS 1.0 without forward secrecy: static RSA key exchange; "
                  "CBC mode with HMAC-SHA1, not AEAD");
    /* Exim, GnuTLS 1.x: "(TLS-1.0:DHE_RSA_3DES_EDE_CBC_SHA:24)" */
    t = hop("TLS-1.0", "DHE_RSA_3DES_EDE_CBC_SHA");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.0 is deprecated (RFC 8996); 3DES is deprecated (64-bit blocks, "
                  "Sweet32); CBC mode with HMAC-SHA1, not AEAD");
    /* Exim "X=TLS1.2:DHE_RSA_AES_128_CBC_SHA1:128" */
    t = hop("TLS1.2", "DHE_RSA_AES_128_CBC_SHA1");
    CHECK_VERDICT(t, MT_VERDICT_LEGACY, "CBC mode with HMAC-SHA1, not AEAD");
    /* Exim "X=TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256" */
    t = hop("TLS1.2", "ECDHE_RSA_AES_256_GCM_SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    /* Exim 4.93+ GnuTLS "X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256" */
    t = hop("TLS1.3", "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    /* Exim with OpenSSL "X=TLSv1:AES128-SHA:128" */
    t = hop("TLSv1", "AES128-SHA");
    CHECK(mt_tls_verdict(&t, NULL) == MT_VERDICT_DEPRECATED);
    /* OpenSMTPD "version=TLSv1.2, cipher=EDH-RSA-DES-CBC3-SHA, bits=112" */
    t = hop("TLSv1.2", "EDH-RSA-DES-CBC3-SHA");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "3DES is deprecated (64-bit blocks, Sweet32); CBC mode with HMAC-SHA1, not AEAD");
    /* Sendmail "version=TLSv1/SSLv3, cipher=RC4-SHA" */
    t = hop("TLSv1/SSLv3", "RC4-SHA");
    CHECK_VERDICT(t, MT_VERDICT_INSECURE,
                  "RC4 is broken (RFC 7465); no forward secrecy: static RSA key exchange; "
                  "protocol logged only as a range (SSLv3 to TLS 1.2)");
    /* Received (sendmail): "version=TLSv1/SSLv3 cipher=RC4-MD5 bits=128" */
    t = hop("TLSv1/SSLv3", "RC4-MD5");
    CHECK_VERDICT(t, MT_VERDICT_INSECURE,
                  "RC4 is broken (RFC 7465); no forward secrecy: static RSA key exchange; "
                  "MD5 MAC is deprecated; protocol logged only as a range (SSLv3 to TLS 1.2)");
    /* Sendmail "version=TLSv1/SSLv3, cipher=ECDHE-RSA-RC4-SHA" */
    t = hop("TLSv1/SSLv3", "ECDHE-RSA-RC4-SHA");
    CHECK_VERDICT(t, MT_VERDICT_INSECURE,
                  "RC4 is broken (RFC 7465); protocol logged only as a range (SSLv3 to TLS 1.2)");
    /* Sendmail "version=TLSv1/SSLv3, cipher=DHE-RSA-AES256-SHA": at least legacy */
    t = hop("TLSv1/SSLv3", "DHE-RSA-AES256-SHA");
    CHECK_VERDICT(t, MT_VERDICT_LEGACY,
                  "CBC mode with HMAC-SHA1, not AEAD; "
                  "protocol logged only as a range (SSLv3 to TLS 1.2)");
    /* Sendmail "version=TLSv1/SSLv3, cipher=AES128-SHA" */
    t = hop("TLSv1/SSLv3", "AES128-SHA");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "no forward secrecy: static RSA key exchange; CBC mode with HMAC-SHA1, not "
                  "AEAD; protocol logged only as a range (SSLv3 to TLS 1.2)");
    /* Sendmail "version=TLSv1/SSLv3, cipher=ECDHE-RSA-AES256-GCM-SHA384": AEAD pins 1.2 */
    t = hop("TLSv1/SSLv3", "ECDHE-RSA-AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    CHECK_INT(t.proto_min, MT_PROTO_TLS12);
    CHECK_INT(t.proto_max, MT_PROTO_TLS12);
    /* Received (Gmail, sendmail): "version=TLSv1/SSLv3 cipher=OTHER" */
    t = hop("TLSv1/SSLv3", "OTHER");
    CHECK_VERDICT(t, MT_VERDICT_UNKNOWN,
                  "cipher name not recognised; protocol logged only as a range (SSLv3 to TLS 1.2)");
    CHECK(t.cipher == NULL);
    CHECK_STR(t.cipher_raw, "OTHER");
    /* Postfix "TLSv1.2 with cipher AECDH-AES256-SHA": anonymous, ephemeral */
    t = hop("TLSv1.2", "AECDH-AES256-SHA");
    CHECK_VERDICT(t, MT_VERDICT_LEGACY,
                  "CBC mode with HMAC-SHA1, not AEAD; anonymous key exchange: the server is "
                  "not authenticated (forward secrecy holds)");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_YES);
    t = hop("TLSv1.2", "ADH-AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK,
                  "anonymous key exchange: the server is not authenticated "
                  "(forward secrecy holds)");
    /* Postfix "TLSv1.1 with cipher AECDH-AES256-SHA" */
    t = hop("TLSv1.1", "AECDH-AES256-SHA");
    CHECK(mt_tls_verdict(&t, NULL) == MT_VERDICT_DEPRECATED);
    /* Exchange "(version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384)" */
    t = hop("TLS1_2", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384");
    CHECK_VERDICT(t, MT_VERDICT_LEGACY, "CBC mode with HMAC-SHA384, not AEAD");
    CHECK_STR(t.kex_group, "secp384r1");
    t = hop("TLS1_2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    /* Received: "TLS1.3 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": the protocol decides */
    t = hop("TLS1.3", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    CHECK_INT(t.proto_min, MT_PROTO_TLS13);
    /* Exim with GnuTLS before 4.93 logs a TLS 1.2 name for TLS 1.3 */
    t = hop("TLS1.3", "ECDHE_RSA_AES_256_GCM_SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    t = hop("TLS1.3", "RSA_AES_256_GCM_SHA384"); /* cannot be static RSA in TLS 1.3 */
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_YES);

    /* SSL and the broken ciphers */
    t = hop("SSLv3", "RC4-SHA");
    CHECK_VERDICT(t, MT_VERDICT_INSECURE,
                  "SSLv3 is broken (RFC 7568); RC4 is broken (RFC 7465); "
                  "SSLv3 without forward secrecy: static RSA key exchange");
    t = hop("SSLv2", "DES-CBC3-MD5");
    CHECK(mt_tls_verdict(&t, NULL) == MT_VERDICT_INSECURE);
    t = hop("TLSv1.2", "EXP-RC4-MD5");
    CHECK_VERDICT(t, MT_VERDICT_INSECURE,
                  "export-grade cipher suite (40-bit key); RC4 is broken (RFC 7465); "
                  "TLS 1.2 without forward secrecy: static RSA key exchange; "
                  "MD5 MAC is deprecated");
    t = hop("TLSv1.2", "NULL-SHA256");
    CHECK_VERDICT(t, MT_VERDICT_INSECURE,
                  "no encryption: NULL cipher; TLS 1.2 without forward secrecy: "
                  "static RSA key exchange");
    t = hop("TLSv1", "DES-CBC-SHA");
    CHECK_VERDICT(t, MT_VERDICT_INSECURE,
                  "TLS 1.0 is deprecated (RFC 8996); DES is broken (56-bit key); "
                  "TLS 1.0 without forward secrecy: static RSA key exchange; "
                  "CBC mode with HMAC-SHA1, not AEAD");
    t = hop("TLSv1", "EXP-RC2-CBC-MD5");
    CHECK(mt_tls_verdict(&t, NULL) == MT_VERDICT_INSECURE);
    t = hop("TLSv1.2", "IDEA-CBC-SHA");
    CHECK(mt_tls_verdict(&t, NULL) == MT_VERDICT_DEPRECATED);
    t = hop("TLSv1.2", "ECDH-RSA-AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.2 without forward secrecy: static ECDH key exchange");
    t = hop("TLSv1.2", "DH-RSA-AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.2 without forward secrecy: static DH key exchange");
    t = hop("TLSv1.2", "PSK-AES256-GCM-SHA384");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "TLS 1.2 without forward secrecy: pre-shared key (PSK) key exchange");
    t = hop("TLSv1.3", "TLS_SHA256_SHA256"); /* RFC 9150: no encryption */
    CHECK_VERDICT(t, MT_VERDICT_INSECURE, "no encryption: NULL cipher");
}

/* What is missing makes the verdict a lower bound or "unknown". */
static void
test_missing(void)
{
    struct mt_tls t;

    /* nothing known */
    mt_tls_init(&t);
    CHECK_VERDICT(t, MT_VERDICT_UNKNOWN, "");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_UNKNOWN);
    /* TLS used (ESMTPS), nothing else */
    mt_tls_init(&t);
    t.used = MT_TRI_YES;
    CHECK_VERDICT(t, MT_VERDICT_UNKNOWN, "protocol and cipher not known");
    /* known protocol, unknown cipher */
    t = hop("TLSv1.2", NULL);
    CHECK_VERDICT(t, MT_VERDICT_UNKNOWN, "cipher not known");
    t = hop("TLSv1.3", NULL);
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_YES);
    t = hop("TLSv1", NULL);
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED, "TLS 1.0 is deprecated (RFC 8996); cipher not known");
    t = hop("TLSv1.2", "SOMETHING-NEW");
    CHECK_VERDICT(t, MT_VERDICT_UNKNOWN, "cipher name not recognised");
    t = hop("TLSv1.3", "SOMETHING-NEW");
    CHECK_VERDICT(t, MT_VERDICT_OK, "cipher name not recognised");
    /* known cipher, unknown protocol */
    t = hop(NULL, "ECDHE-RSA-AES256-GCM-SHA384"); /* TLS 1.2-only suite */
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    CHECK_INT(t.proto_min, MT_PROTO_NONE); /* not invented */
    t = hop(NULL, "TLS_AES_256_GCM_SHA384");
    CHECK_VERDICT(t, MT_VERDICT_OK, "");
    CHECK_INT(t.proto_min, MT_PROTO_TLS13);
    t = hop(NULL, "DHE-RSA-AES256-SHA");
    CHECK_VERDICT(t, MT_VERDICT_LEGACY, "CBC mode with HMAC-SHA1, not AEAD; protocol not known");
    t = hop(NULL, "AES128-SHA");
    CHECK_VERDICT(t, MT_VERDICT_DEPRECATED,
                  "no forward secrecy: static RSA key exchange; CBC mode with HMAC-SHA1, not "
                  "AEAD; protocol not known");
    /* an unknown protocol name */
    t = hop("QUIC", "ECDHE-RSA-AES256-SHA");
    CHECK_VERDICT(t, MT_VERDICT_LEGACY, "CBC mode with HMAC-SHA1, not AEAD; protocol not known");
    CHECK_STR(t.protocol_raw, "QUIC");
    /* plaintext */
    mt_tls_set_plaintext(&t);
    CHECK_VERDICT(t, MT_VERDICT_PLAINTEXT, "no TLS: the hop was not encrypted");
    CHECK_INT(t.used, MT_TRI_NO);
}

/* Setters: raw spellings, hints, order independence. */
static void
test_setters(void)
{
    struct mt_tls t, u;
    char longname[200];

    mt_tls_init(&t);
    CHECK_INT(t.used, MT_TRI_UNKNOWN);
    CHECK_INT(t.bits, -1);
    CHECK_INT(t.trust, MT_TRUST_UNKNOWN);
    CHECK(t.cipher == NULL);

    CHECK(mt_tls_set_protocol(&t, "TLSv1.2", 7));
    CHECK_INT(t.used, MT_TRI_YES);
    CHECK_STR(t.protocol_raw, "TLSv1.2");
    CHECK(mt_tls_proto_exact(&t));
    CHECK(!mt_tls_set_protocol(&t, "bogus", 5));
    CHECK_STR(t.protocol_raw, "bogus");
    CHECK_INT(t.proto_min, MT_PROTO_TLS12); /* kept */

    /* Exim GnuTLS: group and signature from the cipher spelling */
    t = hop("TLS1.3", "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM");
    CHECK(t.cipher != NULL && t.cipher->code == 0x1302);
    CHECK_STR(t.kex_group, "secp256r1");
    CHECK_STR(t.signature, "RSA-PSS-RSAE-SHA256");
    CHECK_STR(t.cipher_raw, "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM");
    /* a group the source logged is not overwritten */
    mt_tls_init(&t);
    memcpy(t.kex_group, "X448", 5);
    mt_tls_set_cipher(&t, "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM", 46);
    CHECK_STR(t.kex_group, "X448");

    /* the same description as TLS 1.2, in either order */
    t = hop("TLS1.2", "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM");
    CHECK(t.cipher != NULL && t.cipher->code == 0xC030);
    CHECK_INT(t.proto_min, MT_PROTO_TLS12);
    mt_tls_init(&u);
    mt_tls_set_cipher(&u, "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM", 49);
    CHECK(u.cipher != NULL && u.cipher->code == 0x1302);
    CHECK_INT(u.proto_min, MT_PROTO_TLS13);
    mt_tls_set_protocol(&u, "TLS1.2", 6);
    CHECK(u.cipher != NULL && u.cipher->code == 0xC030);
    CHECK_INT(u.proto_min, MT_PROTO_TLS12);
    CHECK_INT(u.proto_max, MT_PROTO_TLS12);

    /* a TLS 1.3 suite name pins the protocol, whatever was logged */
    t = hop("TLSv1.2", "TLS_AES_128_GCM_SHA256");
    CHECK_INT(t.proto_min, MT_PROTO_TLS13);
    /* an AEAD suite narrows Sendmail's range, in either order */
    mt_tls_init(&u);
    mt_tls_set_cipher(&u, "DHE-RSA-AES256-GCM-SHA384", 25);
    mt_tls_set_protocol(&u, "TLSv1/SSLv3", 11);
    CHECK_INT(u.proto_min, MT_PROTO_TLS12);
    CHECK_INT(u.proto_max, MT_PROTO_TLS12);
    /* a CBC suite does not */
    t = hop("TLSv1/SSLv3", "DHE-RSA-AES256-SHA");
    CHECK_INT(t.proto_min, MT_PROTO_SSL3);
    CHECK_INT(t.proto_max, MT_PROTO_TLS12);
    CHECK(!mt_tls_proto_exact(&t));
    mt_tls_refine(&t); /* idempotent */
    CHECK_INT(t.proto_min, MT_PROTO_SSL3);

    /* an unknown cipher replaces a known one, keeping the raw spelling */
    t = hop("TLSv1.2", "AES128-SHA");
    CHECK(!mt_tls_set_cipher(&t, "OTHER", 5));
    CHECK(t.cipher == NULL);
    CHECK_STR(t.cipher_raw, "OTHER");
    /* a spelling too long for cipher_raw is not kept, but still looked up */
    memset(longname, 'A', sizeof(longname));
    mt_tls_init(&t);
    CHECK(!mt_tls_set_cipher(&t, longname, sizeof(longname)));
    CHECK_STR(t.cipher_raw, "");
    CHECK_INT(t.used, MT_TRI_YES);

    /* all a log line gives at once (OpenSMTPD, Sendmail), over older facts */
    t = hop("TLSv1", "AES128-SHA");
    t.trust = MT_TRUST_VERIFIED;
    mt_tls_set_used(&t, mt_span_cstr("TLSv1/SSLv3"), mt_span_cstr("DHE-RSA-AES256-GCM-SHA384"),
                    256);
    CHECK_INT(t.used, MT_TRI_YES);
    CHECK_INT(t.proto_min, MT_PROTO_TLS12);
    CHECK_STR(t.protocol_raw, "TLSv1/SSLv3");
    CHECK(t.cipher != NULL && t.cipher->code == 0x009F);
    CHECK_INT(t.bits, 256);
    CHECK_INT(t.trust, MT_TRUST_UNKNOWN);
    /* nothing known but that TLS was used */
    mt_tls_set_used(&t, MT_SPAN_NULL, MT_SPAN_NULL, -1);
    CHECK_INT(t.used, MT_TRI_YES);
    CHECK_INT(t.proto_min, MT_PROTO_NONE);
    CHECK(t.cipher == NULL);
    CHECK_STR(t.protocol_raw, "");
    CHECK_INT(t.bits, -1);
}

/* Forward secrecy. */
static void
test_pfs(void)
{
    struct mt_tls t;

    t = hop("TLSv1.2", "ECDHE-RSA-AES256-SHA");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_YES);
    t = hop("TLSv1.2", "AES256-SHA");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_NO);
    t = hop("TLSv1.2", "ECDH-ECDSA-AES128-SHA");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_NO);
    t = hop("TLSv1.2", "KRB5-DES-CBC3-SHA");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_NO);
    t = hop("TLSv1.2", "RSA-PSK-AES256-GCM-SHA384");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_NO);
    t = hop("TLSv1.2", "DHE-PSK-AES256-GCM-SHA384");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_YES);
    t = hop("TLSv1.2", "SRP-AES-256-CBC-SHA");
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_UNKNOWN);
    t = hop("TLSv1.3", NULL);
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_YES);
    t = hop("TLSv1.2", NULL);
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_UNKNOWN);
    mt_tls_set_plaintext(&t);
    CHECK_INT(mt_tls_pfs(&t), MT_TRI_UNKNOWN);
}

/* Reasons as English: separators, buffer limits. */
static void
test_reasons_format(void)
{
    struct mt_tls t = hop("TLSv1", "RC4-MD5");
    unsigned r;
    char buf[64];
    size_t n;

    CHECK(mt_tls_verdict(&t, &r) == MT_VERDICT_INSECURE);
    CHECK(r == (MT_REASON_OLD_TLS | MT_REASON_BROKEN_CIPHER | MT_REASON_NO_PFS | MT_REASON_MD5));
    n = mt_tls_reasons_format(&t, r, buf, sizeof(buf));
    /* "TLS 1.0 is deprecated (RFC 8996)" (32) + "; " + "RC4 is broken (RFC 7465)" (24) fit;
     * the long NO_PFS phrase does not and is left out whole; "MD5 MAC..." does not fit either */
    CHECK_STR(buf, "TLS 1.0 is deprecated (RFC 8996); RC4 is broken (RFC 7465)");
    CHECK_INT(n, strlen(buf));
    n = mt_tls_reasons_format(&t, r, buf, 10);
    CHECK_STR(buf, "");
    CHECK_INT(n, 0);
    buf[0] = 'x';
    CHECK_INT(mt_tls_reasons_format(&t, r, buf, 0), 0);
    CHECK(buf[0] == 'x');
    n = mt_tls_reasons_format(&t, 0, buf, sizeof(buf));
    CHECK_STR(buf, "");
    CHECK_INT(n, 0);
    /* a phrase that fits exactly, with its NUL */
    n = mt_tls_reasons_format(&t, MT_REASON_MD5, buf, strlen("MD5 MAC is deprecated") + 1);
    CHECK_STR(buf, "MD5 MAC is deprecated");
    n = mt_tls_reasons_format(&t, MT_REASON_MD5, buf, strlen("MD5 MAC is deprecated"));
    CHECK_STR(buf, "");
    /* unknown bits are ignored */
    n = mt_tls_reasons_format(&t, 1u << 30, buf, sizeof(buf));
    CHECK_INT(n, 0);
}

/* Names and their parsing. */
static void
test_names(void)
{
    enum mt_verdict v;
    int i;

    for (i = 0; i < MT_VERDICT_COUNT; i++) {
        const char *s = mt_verdict_str((enum mt_verdict)i);
        CHECK(mt_verdict_parse(s, strlen(s), &v) && v == (enum mt_verdict)i);
    }
    CHECK(mt_verdict_parse("Insecure", 8, &v) && v == MT_VERDICT_INSECURE);
    CHECK(!mt_verdict_parse("bad", 3, &v));
    CHECK_STR(mt_verdict_str((enum mt_verdict)17), "unknown");
    CHECK_STR(mt_proto_str(MT_PROTO_TLS12), "TLSv1.2");
    CHECK_STR(mt_proto_str(MT_PROTO_TLS10), "TLSv1");
    CHECK(mt_proto_str(MT_PROTO_NONE) == NULL);
    CHECK_STR(mt_trust_str(MT_TRUST_VERIFIED), "verified");
    CHECK(mt_trust_str(MT_TRUST_UNKNOWN) == NULL);
    CHECK_STR(mt_tri_str(MT_TRI_YES), "yes");
    CHECK_STR(mt_tri_str(MT_TRI_NO), "no");
    CHECK_STR(mt_tri_str(MT_TRI_UNKNOWN), "unknown");
}

int
main(void)
{
    test_proto_parse();
    test_verdicts();
    test_missing();
    test_setters();
    test_pfs();
    test_reasons_format();
    test_names();
    return mt_test_done();
}
