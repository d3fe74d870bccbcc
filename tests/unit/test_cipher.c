/*
 * test_cipher.c - the cipher suite table and every spelling of a suite.
 *
 * Spellings come from real logs and headers (Postfix, Exim with OpenSSL and
 * GnuTLS, Sendmail, OpenSMTPD, Exchange, LibreSSL), the attributes from the
 * IANA registry. Cross-checks against testssl.sh and gnutls-cli are in
 * test_cipher_refs.c.
 */
#include <string.h>

#include "cipher.h"
#include "mt_test.h"

/* The IANA name a spelling resolves to, or "(none)". */
static const char *
iana_of(const char *name)
{
    const struct mt_cipher *c = mt_cipher_lookup(name, strlen(name), NULL);

    return c != NULL ? c->iana : "(none)";
}

/* Every spelling the lookup must know, with the suite it names. */
static void
test_spellings(void)
{
    static const struct {
        const char *spelling, *iana;
    } cases[] = {
        /* IANA (Postfix TLS 1.3, Exchange, Exim with OpenSSL 3 stdname) */
        { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384" },
        { "TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256" },
        { "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256" },
        { "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
        /* OpenSSL, current and old */
        { "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
        { "ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
        { "ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
        { "AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA" },
        { "AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA" },
        { "AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384" },
        { "DHE-RSA-AES256-SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
        { "DHE-DSS-AES256-SHA", "TLS_DHE_DSS_WITH_AES_256_CBC_SHA" },
        { "EDH-RSA-DES-CBC3-SHA", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
        { "DHE-RSA-DES-CBC3-SHA", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
        { "EDH-DSS-DES-CBC-SHA", "TLS_DHE_DSS_WITH_DES_CBC_SHA" },
        { "DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
        { "DES-CBC-SHA", "TLS_RSA_WITH_DES_CBC_SHA" },
        { "ADH-AES256-GCM-SHA384", "TLS_DH_anon_WITH_AES_256_GCM_SHA384" },
        { "AECDH-AES256-SHA", "TLS_ECDH_anon_WITH_AES_256_CBC_SHA" },
        { "EXP-RC4-MD5", "TLS_RSA_EXPORT_WITH_RC4_40_MD5" },
        { "EXP-EDH-RSA-DES-CBC-SHA", "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA" },
        { "EXP1024-RC4-SHA", "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA" },
        { "RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5" },
        { "RC4-SHA", "TLS_RSA_WITH_RC4_128_SHA" },
        { "ECDHE-RSA-RC4-SHA", "TLS_ECDHE_RSA_WITH_RC4_128_SHA" },
        { "IDEA-CBC-SHA", "TLS_RSA_WITH_IDEA_CBC_SHA" },
        { "SEED-SHA", "TLS_RSA_WITH_SEED_CBC_SHA" },
        { "CAMELLIA256-SHA", "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA" },
        { "ARIA256-GCM-SHA384", "TLS_RSA_WITH_ARIA_256_GCM_SHA384" },
        { "PSK-AES128-CBC-SHA", "TLS_PSK_WITH_AES_128_CBC_SHA" },
        { "SRP-AES-256-CBC-SHA", "TLS_SRP_SHA_WITH_AES_256_CBC_SHA" },
        { "DH-RSA-AES256-SHA", "TLS_DH_RSA_WITH_AES_256_CBC_SHA" },
        { "ECDH-ECDSA-AES128-SHA", "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA" },
        { "ECDHE-ECDSA-AES128-CCM8", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8" },
        { "ECDHE-RSA-CHACHA20-POLY1305-OLD", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD" },
        { "GOST2001-GOST89-GOST89", "TLS_GOSTR341001_WITH_28147_CNT_IMIT" },
        { "NULL-SHA256", "TLS_RSA_WITH_NULL_SHA256" },
        /* GnuTLS as gnutls-cli lists it, and as Exim before 4.93 logs it */
        { "TLS_ECDHE_RSA_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "ECDHE_RSA_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "DHE_RSA_3DES_EDE_CBC_SHA1", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
        { "RSA_AES_256_CBC_SHA1", "TLS_RSA_WITH_AES_256_CBC_SHA" },
        { "RSA_ARCFOUR_SHA1", "TLS_RSA_WITH_RC4_128_SHA" },
        { "RSA_ARCFOUR_128_SHA1", "TLS_RSA_WITH_RC4_128_SHA" },
        { "DHE_RSA_AES_256_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
        { "DHE_RSA_AES_128_CBC_SHA1", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
        { "ECDHE_RSA_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
        { "GNUTLS_RSA_ARCFOUR_MD5", "TLS_RSA_WITH_RC4_128_MD5" },
        /* GnuTLS 1.x (Exim "TLS-1.0:DHE_RSA_3DES_EDE_CBC_SHA:24") and 2.x/3.0 */
        { "DHE_RSA_3DES_EDE_CBC_SHA", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
        { "RSA_RIJNDAEL_256_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA" },
        { "ANON_DH_AES_256_CBC_SHA1", "TLS_DH_anon_WITH_AES_256_CBC_SHA" },
        { "PSK_SHA_AES_128_CBC_SHA1", "TLS_PSK_WITH_AES_128_CBC_SHA" },
        { "ECDHE_RSA_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
        { "ECDHE_ECDSA_ARCFOUR_SHA1", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA" },
        /* Exim 4.93+ with GnuTLS: kx_group__signature__cipher */
        { "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM", "TLS_AES_256_GCM_SHA384" },
        { "ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM", "TLS_AES_256_GCM_SHA384" },
        { "ECDHE_SECP256R1__ECDSA_SECP256R1_SHA256__CHACHA20_POLY1305",
          "TLS_CHACHA20_POLY1305_SHA256" },
        { "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_128_GCM", "TLS_AES_128_GCM_SHA256" },
        { "ECDHE_X25519__EdDSA_Ed25519__AES_128_CCM", "TLS_AES_128_CCM_SHA256" },
        { "DHE_FFDHE2048__RSA_PSS_RSAE_SHA256__AES_256_GCM", "TLS_AES_256_GCM_SHA384" },
        { "PSK__AES_256_GCM", "TLS_AES_256_GCM_SHA384" },
        /* ... and its TLS 1.2 sessions, which carry a TLS 1.2 signature or a MAC */
        { "ECDHE_SECP256R1__RSA_SHA256__AES_256_GCM", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "ECDHE_SECP256R1__RSA_SHA256__AES_128_CBC__SHA1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
        { "ECDHE_SECP384R1__ECDSA_SHA384__AES_256_CBC__SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
        { "DHE_FFDHE2048__RSA_SHA256__AES_128_GCM", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
        { "RSA__AES_128_CBC__SHA1", "TLS_RSA_WITH_AES_128_CBC_SHA" },
        { "RSA__AES_256_GCM", "TLS_RSA_WITH_AES_256_GCM_SHA384" },
        { "RSA__3DES_CBC__SHA1", "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
        { "RSA__ARCFOUR_128__MD5", "TLS_RSA_WITH_RC4_128_MD5" },
        { "ECDHE_RSA_SECP256R1__AES_256_GCM__AEAD", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "DHE_RSA_2048__AES_128_CBC__SHA1", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
        /* Microsoft: curve suffix */
        { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P521", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
        { "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256_P256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
        /* LibreSSL (and old BoringSSL) TLS 1.3 names */
        { "AEAD-AES256-GCM-SHA384", "TLS_AES_256_GCM_SHA384" },
        { "AEAD-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256" },
        { "AEAD-CHACHA20-POLY1305-SHA256", "TLS_CHACHA20_POLY1305_SHA256" },
        /* Java's SSL_ prefix, SSLv2 names */
        { "SSL_RSA_WITH_RC4_128_MD5", "TLS_RSA_WITH_RC4_128_MD5" },
        { "SSL_CK_RC4_128_WITH_MD5", "SSL_CK_RC4_128_WITH_MD5" },
        { "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "SSL_CK_DES_192_EDE3_CBC_WITH_MD5" },
        /* case, "-" and "_", surrounding space */
        { "ecdhe-rsa-aes256-gcm-sha384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "Tls_Aes_256_Gcm_Sha384", "TLS_AES_256_GCM_SHA384" },
        { "ECDHE_RSA_AES256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
        { "ecdhe_x25519__rsa_pss_rsae_sha256__aes_256_gcm", "TLS_AES_256_GCM_SHA384" },
        { " AES256-SHA\t", "TLS_RSA_WITH_AES_256_CBC_SHA" },
        /* names that say nothing, or are not suites */
        { "OTHER", "(none)" },
        { "", "(none)" },
        { "   ", "(none)" },
        { "TLS_", "(none)" },
        { "AES", "(none)" },
        { "ECDHE-RSA-AES256-GCM-SHA38", "(none)" },
        { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P999", "(none)" },
        { "ECDHE_X25519__AES_256_GCM__", "(none)" },
        { "__AES_256_GCM", "(none)" },
        { "ECDHE_X25519____AES_256_GCM", "(none)" },
        { "ECDHE_X25519__RSA__RSA__AES_256_GCM", "(none)" },
        { "ECDHE_SECP256R1__AES_256_CBC__SHA1", "(none)" }, /* no signature: RSA or ECDSA? */
        { "DHE_X__ECDSA_SHA256__AES_128_CBC__SHA1", "(none)" },
        { "RSA__AES_256_GCM__SHA1", "(none)" },
        { "RSA__AES_128_CBC", "(none)" },
        { "FOO__BAR__AES_256_GCM", "(none)" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = iana_of(cases[i].spelling);
        mt_test_checks++;
        if (strcmp(got, cases[i].iana) != 0) {
            mt_test_failures++;
            fprintf(stderr, "%s:%d: \"%s\" -> %s, want %s\n", __FILE__, __LINE__, cases[i].spelling,
                    got, cases[i].iana);
        }
    }
    CHECK(mt_cipher_lookup(NULL, 5, NULL) == NULL);
}

/* Names longer than any suite are not suites, and are not read past len. */
static void
test_bounds(void)
{
    char big[300];
    const char *s = "AES256-SHA-and-more";

    memset(big, 'A', sizeof(big));
    CHECK(mt_cipher_lookup(big, sizeof(big), NULL) == NULL);
    /* len cuts the name: only "AES256-SHA" is looked at */
    CHECK_STR(mt_cipher_lookup(s, 10, NULL)->iana, "TLS_RSA_WITH_AES_256_CBC_SHA");
    CHECK(mt_cipher_lookup(s, 0, NULL) == NULL);
}

/* What a spelling says beyond the suite. */
static void
test_hints(void)
{
    struct mt_cipher_hint h;
    const char *n;
    const struct mt_cipher *c;

    n = "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM";
    c = mt_cipher_lookup(n, strlen(n), &h);
    CHECK(c != NULL && c->code == 0x1302);
    CHECK_STR(h.kex_group, "X25519");
    CHECK_STR(h.signature, "RSA-PSS-RSAE-SHA256");
    CHECK_INT(h.proto, MT_PROTO_TLS13);

    n = "ECDHE_SECP256R1__ECDSA_SECP256R1_SHA256__CHACHA20_POLY1305";
    c = mt_cipher_lookup(n, strlen(n), &h);
    CHECK(c != NULL && c->code == 0x1303);
    CHECK_STR(h.kex_group, "secp256r1");
    CHECK_STR(h.signature, "ECDSA-SECP256R1-SHA256");

    n = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P384";
    c = mt_cipher_lookup(n, strlen(n), &h);
    CHECK(c != NULL && c->code == 0xC030);
    CHECK_STR(h.kex_group, "secp384r1");
    CHECK_STR(h.signature, "");
    CHECK_INT(h.proto, MT_PROTO_NONE);

    n = "ECDHE-RSA-AES256-GCM-SHA384";
    c = mt_cipher_lookup(n, strlen(n), &h);
    CHECK(c != NULL);
    CHECK_STR(h.kex_group, "");
    CHECK_INT(h.proto, MT_PROTO_NONE);

    n = "AEAD-AES256-GCM-SHA384";
    CHECK(mt_cipher_lookup(n, strlen(n), &h) != NULL);
    CHECK_INT(h.proto, MT_PROTO_TLS13);

    n = "SSL_CK_RC4_128_WITH_MD5";
    CHECK(mt_cipher_lookup(n, strlen(n), &h) != NULL);
    CHECK_INT(h.proto, MT_PROTO_SSL2);

    /* not found: the hint is cleared */
    n = "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_999_GCM";
    memset(&h, 'x', sizeof(h));
    CHECK(mt_cipher_lookup(n, strlen(n), &h) == NULL);
    CHECK_STR(h.kex_group, "");
    CHECK_STR(h.signature, "");
    CHECK_INT(h.proto, MT_PROTO_NONE);
}

/* Exim's GnuTLS descriptions name a TLS 1.2 suite when the protocol says so. */
static void
test_lookup_proto(void)
{
    const char *n = "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM";
    const char *p = "PSK__AES_128_GCM";
    const struct mt_cipher *c;

    c = mt_cipher_lookup_proto(n, strlen(n), MT_PROTO_TLS13, NULL);
    CHECK(c != NULL && c->code == 0x1302);
    c = mt_cipher_lookup_proto(n, strlen(n), MT_PROTO_NONE, NULL);
    CHECK(c != NULL && c->code == 0x1302);
    c = mt_cipher_lookup_proto(n, strlen(n), MT_PROTO_TLS12, NULL);
    CHECK(c != NULL && c->code == 0xC030);
    c = mt_cipher_lookup_proto(p, strlen(p), MT_PROTO_TLS12, NULL);
    CHECK(c != NULL && c->code == 0x00A8);
    /* plain names do not depend on the protocol */
    c = mt_cipher_lookup_proto("AES128-SHA", 10, MT_PROTO_TLS13, NULL);
    CHECK(c != NULL && c->code == 0x002F);
}

/* Attributes of suites that matter for verdicts. */
static void
test_attributes(void)
{
    const struct mt_cipher *c;

    c = mt_cipher_by_code(0xC030);
    CHECK(c != NULL);
    CHECK_STR(c->iana, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    CHECK_STR(c->openssl, "ECDHE-RSA-AES256-GCM-SHA384");
    CHECK_STR(c->gnutls, "TLS_ECDHE_RSA_AES_256_GCM_SHA384");
    CHECK_INT(c->kx, MT_KX_ECDHE);
    CHECK_INT(c->auth, MT_AUTH_RSA);
    CHECK_INT(c->enc, MT_ENC_AES256);
    CHECK_INT(c->mode, MT_MODE_GCM);
    CHECK_INT(c->mac, MT_MAC_AEAD);
    CHECK_INT(c->bits, 256);
    CHECK_INT(c->flags, MT_CIPHER_PFS | MT_CIPHER_AEAD | MT_CIPHER_TLS12);

    c = mt_cipher_by_code(0x0004);
    CHECK(c != NULL && c->kx == MT_KX_RSA && c->enc == MT_ENC_RC4 && c->mode == MT_MODE_NONE &&
          c->mac == MT_MAC_MD5 && c->bits == 128 && c->flags == 0);

    c = mt_cipher_by_code(0x000A);
    CHECK(c != NULL && c->enc == MT_ENC_3DES && c->mode == MT_MODE_CBC && c->mac == MT_MAC_SHA1 &&
          c->bits == 112);

    c = mt_cipher_by_code(0x00A7); /* ADH-AES256-GCM-SHA384 */
    CHECK(c != NULL && c->kx == MT_KX_DHE && c->auth == MT_AUTH_NULL);
    CHECK(c != NULL &&
          c->flags == (MT_CIPHER_PFS | MT_CIPHER_ANON | MT_CIPHER_AEAD | MT_CIPHER_TLS12));

    c = mt_cipher_by_code(0x0003);
    CHECK(c != NULL && (c->flags & MT_CIPHER_EXPORT) && c->bits == 40);

    c = mt_cipher_by_code(0x1301);
    CHECK(c != NULL && c->kx == MT_KX_ANY && c->auth == MT_AUTH_ANY && c->enc == MT_ENC_AES128);
    CHECK(c != NULL && c->flags == (MT_CIPHER_PFS | MT_CIPHER_AEAD | MT_CIPHER_TLS13) &&
          c->openssl != NULL);

    c = mt_cipher_by_code(0xC0B4); /* TLS_SHA256_SHA256: integrity only */
    CHECK(c != NULL && c->enc == MT_ENC_NULL && c->mac == MT_MAC_SHA256 &&
          (c->flags & MT_CIPHER_TLS13));

    c = mt_cipher_by_code(0x008C); /* PSK with SHA-1 in TLS 1.0+ */
    CHECK(c != NULL && c->kx == MT_KX_PSK && !(c->flags & MT_CIPHER_PFS));
    c = mt_cipher_by_code(0x00AE); /* PSK with SHA-256: TLS 1.0 allowed (RFC 5487) */
    CHECK(c != NULL && !(c->flags & MT_CIPHER_TLS12));
    c = mt_cipher_by_code(0x003D); /* AES256-SHA256: TLS 1.2 only */
    CHECK(c != NULL && (c->flags & MT_CIPHER_TLS12));

    c = mt_cipher_by_code(0x010080);
    CHECK(c != NULL && (c->flags & MT_CIPHER_SSL2));
    CHECK_STR(c != NULL ? c->iana : NULL, "SSL_CK_RC4_128_WITH_MD5");
    c = mt_cipher_by_code(0); /* shared by TLS_NULL_WITH_NULL_NULL and SSLv2 0x000000 */
    CHECK_STR(c != NULL ? c->iana : NULL, "TLS_NULL_WITH_NULL_NULL");
    CHECK(mt_cipher_by_code(0x5600) == NULL); /* TLS_FALLBACK_SCSV is no suite */
    CHECK(mt_cipher_by_code(0x00FF) == NULL);
    CHECK(mt_cipher_by_code(0xABCD) == NULL);
    CHECK(mt_cipher_by_code(0xFFFFFFFF) == NULL);
}

/* Every suite: sorted, attributes consistent, every own name finds it. */
static void
test_table(void)
{
    static const uint32_t registry_edges[] = { 0x0000, 0x0046, 0x0067, 0x00C5, 0x00C7,
                                               0x1301, 0x1307, 0xC001, 0xC0B5, 0xC100,
                                               0xC106, 0xCCA8, 0xCCAE, 0xD001, 0xD005 };
    size_t i, n = mt_cipher_count();
    uint32_t prev = 0;

    /* 350 registry suites (SCSVs aside) and 41 from cipher-names.tsv */
    CHECK_INT(n, 391);
    for (i = 0; i < sizeof(registry_edges) / sizeof(registry_edges[0]); i++)
        CHECK(mt_cipher_by_code(registry_edges[i]) != NULL);
    CHECK(mt_cipher_at(n) == NULL);
    for (i = 0; i < n; i++) {
        const struct mt_cipher *c = mt_cipher_at(i), *f;
        bool aead = c->mode == MT_MODE_GCM || c->mode == MT_MODE_CCM || c->mode == MT_MODE_CCM8 ||
                    c->mode == MT_MODE_POLY1305;

        CHECK(i == 0 || c->code >= prev);
        prev = c->code;
        /* attributes agree with each other */
        CHECK(c->kx != MT_KX_UNKNOWN || strstr(c->iana, "ECCPWD") != NULL);
        CHECK(c->enc != MT_ENC_UNKNOWN || strstr(c->iana, "AEGIS") != NULL);
        CHECK(!aead || (c->flags & MT_CIPHER_AEAD));
        CHECK(!(c->flags & MT_CIPHER_AEAD) == (c->mac != MT_MAC_AEAD));
        CHECK((c->enc == MT_ENC_NULL) == (c->bits == 0));
        CHECK(!(c->flags & MT_CIPHER_EXPORT) || c->bits <= 56);
        CHECK(!(c->flags & MT_CIPHER_TLS13) || c->kx == MT_KX_ANY);
        CHECK(!((c->flags & MT_CIPHER_TLS13) && (c->flags & MT_CIPHER_TLS12)));
        CHECK(!(c->flags & MT_CIPHER_ANON) || (c->flags & MT_CIPHER_PFS));
        CHECK(((c->flags & MT_CIPHER_SSL2) != 0) ==
              (c->code > 0xFFFF || strncmp(c->iana, "SSL_CK_", 7) == 0));
        /* by code (the SSLv2 0x000000 aside) */
        f = mt_cipher_by_code(c->code);
        CHECK(f == c || (c->code == 0 && (c->flags & MT_CIPHER_SSL2)));
        /* by name: the suite, or for a name shared with SSLv2 or a second
         * Netscape FIPS code point, the TLS suite or the first */
        f = mt_cipher_lookup(c->iana, strlen(c->iana), NULL);
        CHECK(f == c || (f != NULL && strcmp(f->iana, c->iana) == 0 && f->code < c->code));
        if (c->openssl != NULL) {
            f = mt_cipher_lookup(c->openssl, strlen(c->openssl), NULL);
            CHECK(f == c || (f != NULL && (c->flags & MT_CIPHER_SSL2) &&
                             !(f->flags & MT_CIPHER_SSL2) && strcmp(f->openssl, c->openssl) == 0));
        }
        if (c->gnutls != NULL) {
            f = mt_cipher_lookup(c->gnutls, strlen(c->gnutls), NULL);
            CHECK(f == c);
            /* as Exim logs it: without "TLS_" */
            f = mt_cipher_lookup(c->gnutls + 4, strlen(c->gnutls) - 4, NULL);
            CHECK(f == c);
        }
    }
}

/* Attribute names. */
static void
test_names(void)
{
    CHECK_STR(mt_kx_str(MT_KX_ECDHE), "ECDHE");
    CHECK_STR(mt_kx_str(MT_KX_DHE_PSK), "DHE-PSK");
    CHECK_STR(mt_kx_str(MT_KX_ANY), "any");
    CHECK_STR(mt_kx_str((enum mt_kx)99), "unknown");
    CHECK_STR(mt_auth_str(MT_AUTH_RSA), "RSA");
    CHECK_STR(mt_auth_str(MT_AUTH_NULL), "anon");
    CHECK_STR(mt_enc_str(MT_ENC_AES256), "AES256");
    CHECK_STR(mt_enc_str(MT_ENC_3DES), "3DES");
    CHECK_STR(mt_enc_str(MT_ENC_GOST), "GOST");
    CHECK_STR(mt_enc_str((enum mt_enc) - 1), "unknown");
    CHECK_STR(mt_mode_str(MT_MODE_GCM), "GCM");
    CHECK_STR(mt_mode_str(MT_MODE_NONE), "none");
    CHECK_STR(mt_mode_str(MT_MODE_OTHER), "other");
    CHECK_STR(mt_mac_str(MT_MAC_SHA384), "SHA384");
    CHECK_STR(mt_mac_str(MT_MAC_SM3), "SM3");
    CHECK_STR(mt_mac_str((enum mt_mac)42), "unknown");
}

int
main(void)
{
    test_spellings();
    test_bounds();
    test_hints();
    test_lookup_proto();
    test_attributes();
    test_table();
    test_names();
    return mt_test_done();
}
