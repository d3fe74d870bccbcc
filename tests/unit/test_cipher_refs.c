/*
 * test_cipher_refs.c - the cipher table against independent references.
 *
 *   test_cipher_refs MAPPING GNUTLS-CLI OPENSSL
 *
 * MAPPING is testssl.sh's cipher-mapping.txt (Debian: /etc/testssl/); every
 * line's code point, OpenSSL name and IANA name must agree with the table in
 * both directions (name -> suite -> code and code -> suite -> name), and its
 * version, export, key exchange, authentication, cipher and MAC columns with
 * the attributes derived from the IANA name. `GNUTLS-CLI -l` lists GnuTLS's
 * suites with code points: each name, with and without its "TLS_" prefix,
 * must find the suite of that code, whose GnuTLS name it must be.
 * `OPENSSL ciphers -V` lists the suites Debian's OpenSSL still knows, which
 * must agree the same way.
 *
 * Every disagreement is printed with the reference, its line and both
 * values. The references are installed by `make check` (tools/deps.sh), so a
 * missing one is a failure, not a skip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "mt_test.h"

#define LINE_MAX_ 1024

/* Prints a disagreement and counts it. */
#define MISMATCH(...)                                                                              \
    do {                                                                                           \
        mt_test_failures++;                                                                        \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
    } while (0)

/* A name-to-value pair for the testssl.sh attribute columns. */
struct pair {
    const char *name;
    int value;
};

/* The value of name in a table ending with { NULL, -1 }, or -1. */
static int
value_of(const struct pair *t, const char *name)
{
    for (; t->name != NULL; t++)
        if (strcmp(t->name, name) == 0)
            return t->value;
    return -1;
}

/* testssl.sh (OpenSSL) key exchange names; "ECDH" and "DH" are ephemeral. */
static const struct pair kx_names[] = {
    { "ECDH", MT_KX_ECDHE },     { "DH", MT_KX_DHE },
    { "DH/DSS", MT_KX_DH },      { "DH/RSA", MT_KX_DH },
    { "ECDH/RSA", MT_KX_ECDH },  { "ECDH/ECDSA", MT_KX_ECDH },
    { "RSA", MT_KX_RSA },        { "PSK", MT_KX_PSK },
    { "DHEPSK", MT_KX_DHE_PSK }, { "ECDHEPSK", MT_KX_ECDHE_PSK },
    { "RSAPSK", MT_KX_RSA_PSK }, { "KRB5", MT_KX_KRB5 },
    { "SRP", MT_KX_SRP },        { "GOST", MT_KX_GOST },
    { "any", MT_KX_ANY },        { "None", MT_KX_NULL },
    { "CECPQ1", MT_KX_ECDHE },   { NULL, -1 },
};

/* Authentication; "DH" and "ECDH" (the certificate's static key) are not compared. */
static const struct pair auth_names[] = {
    { "RSA", MT_AUTH_RSA },     { "DSS", MT_AUTH_DSS }, { "ECDSA", MT_AUTH_ECDSA },
    { "None", MT_AUTH_NULL },   { "PSK", MT_AUTH_PSK }, { "KRB5", MT_AUTH_KRB5 },
    { "SRP", MT_AUTH_SRP },     { "any", MT_AUTH_ANY }, { "GOST94", MT_AUTH_GOST },
    { "GOST01", MT_AUTH_GOST }, { NULL, -1 },
};

/* Bulk cipher and mode, packed as enc * 16 + mode. */
#define EM(e, m) ((e)*16 + (m))
static const struct pair enc_names[] = {
    { "AESGCM", -2 }, /* size decides, see enc_of() */
    { "AES", -2 },
    { "AESCCM", -2 },
    { "AESCCM8", -2 },
    { "Camellia", -2 },
    { "CamelliaGCM", -2 },
    { "ARIA", -2 },
    { "ARIAGCM", -2 },
    { "ChaCha20", EM(MT_ENC_CHACHA20, MT_MODE_POLY1305) },
    { "3DES", EM(MT_ENC_3DES, MT_MODE_CBC) },
    { "DES", EM(MT_ENC_DES, MT_MODE_CBC) },
    { "RC4", EM(MT_ENC_RC4, MT_MODE_NONE) },
    { "RC2", EM(MT_ENC_RC2, MT_MODE_CBC) },
    { "IDEA", EM(MT_ENC_IDEA, MT_MODE_CBC) },
    { "SEED", EM(MT_ENC_SEED, MT_MODE_CBC) },
    { "GOST", EM(MT_ENC_GOST, MT_MODE_OTHER) },
    { "None", EM(MT_ENC_NULL, MT_MODE_NONE) },
    { NULL, -1 },
};

/* MACs; "M1" (an SSLv2 oddity, MD5 based) is not compared. */
static const struct pair mac_names[] = {
    { "AEAD", MT_MAC_AEAD },
    { "SHA1", MT_MAC_SHA1 },
    { "SHA256", MT_MAC_SHA256 },
    { "SHA384", MT_MAC_SHA384 },
    { "MD5", MT_MAC_MD5 },
    { "GOST89IMIT", MT_MAC_GOST },
    { "GOST94", MT_MAC_GOST },
    { "GOSTR3411", MT_MAC_GOST },
    { "STREEBOG256", MT_MAC_GOST },
    { "Null", MT_MAC_NULL },
    { NULL, -1 },
};

/* enc * 16 + mode of a testssl.sh Enc= value such as "AESGCM(256)", or -1. */
static int
enc_of(const char *name, unsigned bits, bool export)
{
    int v = value_of(enc_names, name);
    bool big = bits == 256;

    if (v != -2) {
        if (v == EM(MT_ENC_DES, MT_MODE_CBC) && export && bits == 40)
            return EM(MT_ENC_DES40, MT_MODE_CBC);
        return v;
    }
    if (strcmp(name, "AES") == 0)
        return EM(big ? MT_ENC_AES256 : MT_ENC_AES128, MT_MODE_CBC);
    if (strcmp(name, "AESGCM") == 0)
        return EM(big ? MT_ENC_AES256 : MT_ENC_AES128, MT_MODE_GCM);
    if (strcmp(name, "AESCCM") == 0)
        return EM(big ? MT_ENC_AES256 : MT_ENC_AES128, MT_MODE_CCM);
    if (strcmp(name, "AESCCM8") == 0)
        return EM(big ? MT_ENC_AES256 : MT_ENC_AES128, MT_MODE_CCM8);
    if (strcmp(name, "Camellia") == 0)
        return EM(big ? MT_ENC_CAMELLIA256 : MT_ENC_CAMELLIA128, MT_MODE_CBC);
    if (strcmp(name, "CamelliaGCM") == 0)
        return EM(big ? MT_ENC_CAMELLIA256 : MT_ENC_CAMELLIA128, MT_MODE_GCM);
    if (strcmp(name, "ARIA") == 0)
        return EM(big ? MT_ENC_ARIA256 : MT_ENC_ARIA128, MT_MODE_CBC);
    return EM(big ? MT_ENC_ARIA256 : MT_ENC_ARIA128, MT_MODE_GCM);
}

/* The value after "Key=" in a column, or "" when the column is something else. */
static const char *
column(const char *col, const char *key)
{
    size_t n = strlen(key);

    return strncmp(col, key, n) == 0 ? col + n : "";
}

/* The SSLv2 suite of a 3-byte code point (mt_cipher_by_code prefers TLS for 0). */
static const struct mt_cipher *
ssl2_by_code(uint32_t code)
{
    size_t i;

    for (i = 0; i < mt_cipher_count(); i++) {
        const struct mt_cipher *c = mt_cipher_at(i);
        if ((c->flags & MT_CIPHER_SSL2) && c->code == code)
            return c;
    }
    return NULL;
}

/* Parses "0xC0,0x30" or "0x07,0x00,0xC0"; *width gets 2 or 3 bytes. */
static bool
parse_code(const char *s, uint32_t *code, int *width)
{
    unsigned b[3];
    int n = sscanf(s, "0x%2x,0x%2x,0x%2x", &b[0], &b[1], &b[2]);

    if (n == 3) {
        *code = (b[0] << 16) | (b[1] << 8) | b[2];
        *width = 3;
        return true;
    }
    if (n == 2) {
        *code = (b[0] << 8) | b[1];
        *width = 2;
        return true;
    }
    return false;
}

/* Checks the suite of one mapping line against its columns. */
static void
check_mapping_line(const char *file, unsigned long line, char **f, int nf)
{
    uint32_t code;
    int width, want;
    const struct mt_cipher *c, *by;
    const char *ossl = f[2], *iana = f[3], *ver = f[4];
    char encname[32];
    unsigned bits = 0;
    bool export = nf > 9 && strcmp(f[9], "export") == 0;

    if (!parse_code(f[0], &code, &width)) {
        MISMATCH("%s:%lu: cannot read code point %s", file, line, f[0]);
        return;
    }
    c = width == 3 ? ssl2_by_code(code) : mt_cipher_by_code(code);
    mt_test_checks++;
    if (c == NULL) {
        MISMATCH("%s:%lu: %s (%s, %s): no suite with this code point", file, line, f[0], ossl,
                 iana);
        return;
    }

    /* code -> suite -> names */
    mt_test_checks += 2;
    if (strcmp(iana, "-") != 0 && strcmp(c->iana, iana) != 0)
        MISMATCH("%s:%lu: %s: IANA name: table %s, testssl.sh %s", file, line, f[0], c->iana, iana);
    if (strcmp(ossl, "-") != 0 && (c->openssl == NULL || strcmp(c->openssl, ossl) != 0))
        MISMATCH("%s:%lu: %s: OpenSSL name: table %s, testssl.sh %s", file, line, f[0],
                 c->openssl ? c->openssl : "(none)", ossl);

    /* name -> suite -> code; shared names go to the TLS suite or the lower code */
    if (strcmp(ossl, "-") != 0) {
        by = mt_cipher_lookup(ossl, strlen(ossl), NULL);
        mt_test_checks++;
        if (by == NULL)
            MISMATCH("%s:%lu: OpenSSL name %s not found", file, line, ossl);
        else if (by != c && !((c->flags & MT_CIPHER_SSL2) && !(by->flags & MT_CIPHER_SSL2) &&
                              by->openssl != NULL && strcmp(by->openssl, ossl) == 0))
            MISMATCH("%s:%lu: OpenSSL name %s finds 0x%X, testssl.sh says %s", file, line, ossl,
                     (unsigned)by->code, f[0]);
    }
    if (strcmp(iana, "-") != 0) {
        by = mt_cipher_lookup(iana, strlen(iana), NULL);
        mt_test_checks++;
        if (by == NULL)
            MISMATCH("%s:%lu: IANA name %s not found", file, line, iana);
        else if (by != c && !(strcmp(by->iana, iana) == 0 && by->code < c->code))
            MISMATCH("%s:%lu: IANA name %s finds 0x%X, testssl.sh says %s", file, line, iana,
                     (unsigned)by->code, f[0]);
    }

    /* version and export columns */
    mt_test_checks += 4;
    if ((strcmp(ver, "TLSv1.3") == 0) != ((c->flags & MT_CIPHER_TLS13) != 0))
        MISMATCH("%s:%lu: %s %s: version %s, table TLS 1.3 flag %d", file, line, f[0], c->iana, ver,
                 (c->flags & MT_CIPHER_TLS13) != 0);
    if ((strcmp(ver, "TLSv1.2") == 0) != ((c->flags & MT_CIPHER_TLS12) != 0))
        MISMATCH("%s:%lu: %s %s: version %s, table TLS 1.2-only flag %d", file, line, f[0], c->iana,
                 ver, (c->flags & MT_CIPHER_TLS12) != 0);
    if ((strcmp(ver, "SSLv2") == 0) != ((c->flags & MT_CIPHER_SSL2) != 0))
        MISMATCH("%s:%lu: %s %s: version %s, table SSLv2 flag %d", file, line, f[0], c->iana, ver,
                 (c->flags & MT_CIPHER_SSL2) != 0);
    if (export != ((c->flags & MT_CIPHER_EXPORT) != 0))
        MISMATCH("%s:%lu: %s %s: export %d, table %d", file, line, f[0], c->iana, export,
                 (c->flags & MT_CIPHER_EXPORT) != 0);

    /* Kx=, Au=, Enc=, Mac= */
    if (nf > 5) {
        char kx[32];
        snprintf(kx, sizeof(kx), "%s", column(f[5], "Kx="));
        kx[strcspn(kx, "(")] = '\0';
        want = value_of(kx_names, kx);
        mt_test_checks++;
        if (want < 0 || (enum mt_kx)want != c->kx)
            MISMATCH("%s:%lu: %s %s: key exchange %s, table %s", file, line, f[0], c->iana, f[5],
                     mt_kx_str(c->kx));
    }
    if (nf > 6) {
        const char *au = column(f[6], "Au=");
        want = value_of(auth_names, au);
        mt_test_checks++;
        if (strcmp(au, "DH") != 0 && strcmp(au, "ECDH") != 0 &&
            (want < 0 || (enum mt_auth)want != c->auth))
            MISMATCH("%s:%lu: %s %s: authentication %s, table %s", file, line, f[0], c->iana, f[6],
                     mt_auth_str(c->auth));
    }
    if (nf > 7) {
        snprintf(encname, sizeof(encname), "%s", column(f[7], "Enc="));
        if (strchr(encname, '(') != NULL) {
            bits = (unsigned)strtoul(strchr(encname, '(') + 1, NULL, 10);
            encname[strcspn(encname, "(")] = '\0';
        }
        want = enc_of(encname, bits, export);
        mt_test_checks += 2;
        /* the column has no mode: SSLv2's DES-CFB-M1 is DES in CFB mode */
        if (want == EM(MT_ENC_DES, MT_MODE_CBC) && bits == 64)
            want = EM(MT_ENC_DES, MT_MODE_OTHER);
        if (want != EM((int)c->enc, (int)c->mode))
            MISMATCH("%s:%lu: %s %s: cipher %s, table %s %s", file, line, f[0], c->iana, f[7],
                     mt_enc_str(c->enc), mt_mode_str(c->mode));
        /* strength: 3DES keys have 168 bits for 112 of strength; the
         * SSLv2 DES-CFB key is counted with its parity bits */
        if (bits != 0 && bits != c->bits && !(c->enc == MT_ENC_3DES && bits == 168) &&
            !(c->enc == MT_ENC_DES && bits == 64))
            MISMATCH("%s:%lu: %s %s: bits %u, table %u", file, line, f[0], c->iana, bits,
                     (unsigned)c->bits);
    }
    if (nf > 8) {
        const char *mac = column(f[8], "Mac=");
        want = value_of(mac_names, mac);
        mt_test_checks++;
        if (strcmp(mac, "M1") != 0 && (want < 0 || (enum mt_mac)want != c->mac))
            MISMATCH("%s:%lu: %s %s: MAC %s, table %s", file, line, f[0], c->iana, f[8],
                     mt_mac_str(c->mac));
    }
}

/* Splits a line into whitespace-separated fields; returns their number. */
static int
split(char *s, char **f, int max)
{
    int n = 0;
    char *save = NULL, *tok;

    for (tok = strtok_r(s, " \t\r\n", &save); tok != NULL && n < max;
         tok = strtok_r(NULL, " \t\r\n", &save))
        f[n++] = tok;
    return n;
}

/* Checks every line of testssl.sh's cipher-mapping.txt; returns the lines read. */
static unsigned long
check_mapping(const char *path)
{
    FILE *fp = fopen(path, "r");
    char buf[LINE_MAX_];
    unsigned long line = 0, used = 0;

    if (fp == NULL) {
        perror(path);
        MISMATCH("%s: testssl.sh's mapping is missing (tools/deps.sh check installs it)", path);
        return 0;
    }
    while (fgets(buf, sizeof(buf), fp) != NULL) {
        char *f[16];
        int nf;

        line++;
        nf = split(buf, f, 16);
        if (nf < 5 || f[0][0] == '#')
            continue;
        check_mapping_line(path, line, f, nf);
        used++;
    }
    fclose(fp);
    return used;
}

/* Checks `gnutls-cli -l`: names with code points; returns the suites read. */
static unsigned long
check_gnutls(const char *prog)
{
    char cmd[512], buf[LINE_MAX_];
    FILE *p;
    unsigned long line = 0, used = 0;

    snprintf(cmd, sizeof(cmd), "%s -l 2>/dev/null", prog);
    p = popen(cmd, "r");
    if (p == NULL) {
        MISMATCH("cannot run %s", cmd);
        return 0;
    }
    while (fgets(buf, sizeof(buf), p) != NULL) {
        char name[128];
        unsigned b0, b1;
        const struct mt_cipher *c, *bare;
        uint32_t code;

        line++;
        if (sscanf(buf, "%127s 0x%2x, 0x%2x", name, &b0, &b1) != 3 || strncmp(name, "TLS_", 4) != 0)
            continue;
        used++;
        code = (b0 << 8) | b1;
        c = mt_cipher_lookup(name, strlen(name), NULL);
        bare = mt_cipher_lookup(name + 4, strlen(name) - 4, NULL);
        mt_test_checks += 4;
        if (c == NULL || c->code != code)
            MISMATCH("gnutls-cli -l line %lu: %s is 0x%04X, table finds %s", line, name,
                     (unsigned)code, c ? c->iana : "nothing");
        if (bare == NULL || bare->code != code)
            MISMATCH("gnutls-cli -l line %lu: %s (as Exim logs it) is 0x%04X, table finds %s", line,
                     name + 4, (unsigned)code, bare ? bare->iana : "nothing");
        c = mt_cipher_by_code(code);
        if (c == NULL || c->gnutls == NULL || strcmp(c->gnutls, name) != 0)
            MISMATCH("gnutls-cli -l line %lu: 0x%04X is %s, table has GnuTLS name %s", line,
                     (unsigned)code, name, c && c->gnutls ? c->gnutls : "(none)");
        if ((strstr(buf, "TLS1.3") != NULL) != (c != NULL && (c->flags & MT_CIPHER_TLS13)))
            MISMATCH("gnutls-cli -l line %lu: %s: TLS 1.3 disagrees", line, name);
    }
    if (pclose(p) != 0)
        MISMATCH("%s failed (tools/deps.sh check installs gnutls-bin)", cmd);
    return used;
}

/* Checks `openssl ciphers -V`: code points with OpenSSL names; returns the suites read. */
static unsigned long
check_openssl(const char *prog)
{
    char cmd[512], buf[LINE_MAX_];
    FILE *p;
    unsigned long line = 0, used = 0;

    snprintf(cmd, sizeof(cmd), "%s ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' 2>/dev/null", prog);
    p = popen(cmd, "r");
    if (p == NULL) {
        MISMATCH("cannot run %s", cmd);
        return 0;
    }
    while (fgets(buf, sizeof(buf), p) != NULL) {
        char name[128];
        unsigned b0, b1;
        const struct mt_cipher *c;
        uint32_t code;

        line++;
        if (sscanf(buf, " 0x%2x,0x%2x - %127s", &b0, &b1, name) != 3)
            continue;
        used++;
        code = (b0 << 8) | b1;
        c = mt_cipher_by_code(code);
        mt_test_checks += 2;
        if (c == NULL || c->openssl == NULL || strcmp(c->openssl, name) != 0)
            MISMATCH("openssl ciphers line %lu: 0x%04X is %s, table has %s", line, (unsigned)code,
                     name, c && c->openssl ? c->openssl : "(none)");
        c = mt_cipher_lookup(name, strlen(name), NULL);
        if (c == NULL || c->code != code)
            MISMATCH("openssl ciphers line %lu: %s is 0x%04X, table finds %s", line, name,
                     (unsigned)code, c ? c->iana : "nothing");
    }
    if (pclose(p) != 0)
        MISMATCH("%s failed", cmd);
    return used;
}

int
main(int argc, char **argv)
{
    unsigned long n;

    if (argc != 4) {
        fprintf(stderr, "usage: %s CIPHER-MAPPING GNUTLS-CLI OPENSSL\n", argv[0]);
        return 99;
    }
    /* A reference that yields (almost) nothing would make this test vacuous. */
    n = check_mapping(argv[1]);
    fprintf(stderr, "testssl.sh mapping: %lu suites\n", n);
    CHECK(n >= 300);
    n = check_gnutls(argv[2]);
    fprintf(stderr, "gnutls-cli -l: %lu suites\n", n);
    CHECK(n >= 150);
    n = check_openssl(argv[3]);
    fprintf(stderr, "openssl ciphers -V: %lu suites\n", n);
    CHECK(n >= 60);
    return mt_test_done();
}
