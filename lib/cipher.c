/* cipher.c - cipher suites: lookup by any spelling or code, attribute names. */
#include "cipher.h"

#include <string.h>

#include "cipher_table.h"

/* Longest spelling looked up; no suite name comes close. */
#define KEY_MAX 96
/* Most "__"-separated parts in an Exim GnuTLS session description. */
#define PARTS_MAX 4

/* A part of a normalised key: offset and length. */
struct part {
    size_t off, len;
};

/* True when k (n bytes) starts with the NUL-terminated s. */
static bool
starts(const char *k, size_t n, const char *s)
{
    size_t sn = strlen(s);

    return n >= sn && memcmp(k, s, sn) == 0;
}

/* True when the part equals s. */
static bool
part_is(const char *k, struct part p, const char *s)
{
    return strlen(s) == p.len && memcmp(k + p.off, s, p.len) == 0;
}

/* 32-bit FNV-1a of k (n bytes), as tools/gen-cipher-table computes it. */
static uint32_t
fnv1a(const char *k, size_t n)
{
    uint32_t h = 0x811C9DC5u;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 0x01000193u;
    return h;
}

/* The suite whose normalised spelling is exactly k (hash table, O(1)). */
static const struct mt_cipher *
find_key(const char *k, size_t n)
{
    size_t mask = mt_cipher_slots_len - 1, i = fnv1a(k, n) & mask;

    while (mt_cipher_slots[i] != 0) {
        const struct mt_cipher_key *e = &mt_cipher_keys[mt_cipher_slots[i] - 1];
        if (e->len == n && memcmp(e->key, k, n) == 0)
            return &mt_cipher_table[e->suite];
        i = (i + 1) & mask;
    }
    return NULL;
}

/*
 * The suite of a whole spelling: exactly as normalised, else with the
 * prefix GnuTLS uses in its lists ("TLS_") in place of its macro prefix
 * ("GNUTLS_"), of Java's "SSL_", or of none (Exim before 4.93 logs
 * gnutls_cipher_suite_get_name(), which drops it).
 */
static const struct mt_cipher *
find_spelling(const char *k, size_t n)
{
    char buf[KEY_MAX + 4];
    const struct mt_cipher *c = find_key(k, n);
    size_t skip;

    if (c != NULL)
        return c;
    if (starts(k, n, "GNUTLS_"))
        skip = 7;
    else if (starts(k, n, "SSL_") && !starts(k, n, "SSL_CK_"))
        skip = 4;
    else if (!starts(k, n, "TLS_"))
        skip = 0;
    else
        return NULL;
    memcpy(buf, "TLS_", 4);
    memcpy(buf + 4, k + skip, n - skip);
    return find_key(buf, n - skip + 4);
}

/* Copies src (n bytes) into a hint field, optionally lower case and with "_" as "-". */
static void
hint_copy(char *dst, const char *src, size_t n, bool lower, bool dashes)
{
    size_t i;

    if (n >= MT_TLS_NAME_MAX)
        n = MT_TLS_NAME_MAX - 1;
    for (i = 0; i < n; i++) {
        int ch = (unsigned char)src[i];
        if (dashes && ch == '_')
            ch = '-';
        dst[i] = (char)(lower ? mt_to_lower(ch) : ch);
    }
    dst[n] = '\0';
}

/* Records a key-exchange group as GnuTLS names it: X25519 as is, others lower case. */
static void
hint_group(struct mt_cipher_hint *hint, const char *g, size_t n)
{
    if (hint != NULL && n > 0)
        hint_copy(hint->kex_group, g, n, !(n > 0 && g[0] == 'X'), false);
}

/* Key exchange of a GnuTLS session description, longest prefix first. */
struct kx_form {
    const char *name;   /* as the description spells it (normalised) */
    const char *gnutls; /* in GnuTLS suite names; NULL: from the signature */
    bool tls13;         /* possible in TLS 1.3 */
};
static const struct kx_form kx_forms[] = {
    { "ECDHE_PSK", "ECDHE_PSK", true },
    { "DHE_PSK", "DHE_PSK", true },
    { "RSA_PSK", "RSA_PSK", false },
    { "ECDHE_RSA", "ECDHE_RSA", false },
    { "ECDHE_ECDSA", "ECDHE_ECDSA", false },
    { "DHE_RSA", "DHE_RSA", false },
    { "DHE_DSS", "DHE_DSS", false },
    { "ANON_ECDH", "ECDH_ANON", false },
    { "ANON_DH", "DH_ANON", false },
    { "SRP_RSA", "SRP_SHA_RSA", false },
    { "SRP_DSS", "SRP_SHA_DSS", false },
    { "ECDHE", NULL, true },
    { "DHE", NULL, true },
    { "RSA", "RSA", false },
    { "PSK", "PSK", true },
    { "SRP", "SRP_SHA", false },
};

/* Bulk cipher of a description (GnuTLS cipher names, "-" as "_"). */
struct bulk_form {
    const char *name;   /* as the description spells it */
    const char *gnutls; /* in GnuTLS suite names */
    const char *prf;    /* AEAD: hash suffix of the suite name; NULL: needs a MAC */
    uint16_t tls13;     /* the TLS 1.3 suite with this cipher, or 0 */
};
static const struct bulk_form bulk_forms[] = {
    { "AES_128_GCM", "AES_128_GCM", "_SHA256", 0x1301 },
    { "AES_256_GCM", "AES_256_GCM", "_SHA384", 0x1302 },
    { "CHACHA20_POLY1305", "CHACHA20_POLY1305", "", 0x1303 },
    { "AES_128_CCM", "AES_128_CCM", "", 0x1304 },
    { "AES_128_CCM_8", "AES_128_CCM_8", "", 0x1305 },
    { "AES_256_CCM", "AES_256_CCM", "", 0 },
    { "AES_256_CCM_8", "AES_256_CCM_8", "", 0 },
    { "CAMELLIA_128_GCM", "CAMELLIA_128_GCM", "_SHA256", 0 },
    { "CAMELLIA_256_GCM", "CAMELLIA_256_GCM", "_SHA384", 0 },
    { "AES_128_CBC", "AES_128_CBC", NULL, 0 },
    { "AES_256_CBC", "AES_256_CBC", NULL, 0 },
    { "CAMELLIA_128_CBC", "CAMELLIA_128_CBC", NULL, 0 },
    { "CAMELLIA_256_CBC", "CAMELLIA_256_CBC", NULL, 0 },
    { "3DES_CBC", "3DES_EDE_CBC", NULL, 0 },
    { "ARCFOUR_128", "ARCFOUR_128", NULL, 0 },
    { "NULL", "NULL", NULL, 0 },
};

/* MACs of a description that is not AEAD. */
static const char *const mac_forms[] = { "SHA1", "SHA256", "SHA384", "MD5" };

/* Appends s to buf (capacity cap) at *n; false when it does not fit. */
static bool
append(char *buf, size_t cap, size_t *n, const char *s)
{
    size_t sn = strlen(s);

    if (sn > cap - *n)
        return false;
    memcpy(buf + *n, s, sn);
    *n += sn;
    return true;
}

/*
 * Resolves an Exim (4.93+) GnuTLS session description: the parts of
 * gnutls_session_get_desc() without the protocol, "-" written "_" and
 * ")-(" written "__" - key exchange and group, then the signature (absent
 * for RSA and PSK key exchange), the bulk cipher, and the MAC unless AEAD:
 * "ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM" (TLS 1.3),
 * "ECDHE_SECP256R1__RSA_SHA256__AES_128_CBC__SHA1" (TLS 1.2). GnuTLS before
 * 3.6 wrote the authentication into the key exchange ("ECDHE_RSA_SECP256R1").
 * k is the normalised key, orig the same bytes as written.
 */
static const struct mt_cipher *
find_description(const char *k, const char *orig, size_t n, enum mt_proto proto,
                 struct mt_cipher_hint *hint)
{
    struct part parts[PARTS_MAX];
    size_t np = 0, i, start = 0, nb;
    const struct kx_form *kx = NULL;
    const struct bulk_form *bulk = NULL;
    const char *mac = NULL, *auth = NULL;
    struct part sig = { 0, 0 }, group = { 0, 0 };
    bool tls12_sig = false;
    char buf[KEY_MAX];
    const struct mt_cipher *c;

    for (i = 0; i + 1 < n; i++) {
        if (k[i] == '_' && k[i + 1] == '_') {
            if (np == PARTS_MAX - 1 || i == start)
                return NULL;
            parts[np].off = start;
            parts[np++].len = i - start;
            start = i + 2;
            i++;
        }
    }
    if (start >= n)
        return NULL;
    parts[np].off = start;
    parts[np++].len = n - start;
    if (np < 2)
        return NULL;

    /* Key exchange, and what follows it in the same part: the group. */
    for (i = 0; i < sizeof(kx_forms) / sizeof(kx_forms[0]); i++) {
        size_t kn = strlen(kx_forms[i].name);
        if (parts[0].len >= kn && memcmp(k + parts[0].off, kx_forms[i].name, kn) == 0 &&
            (parts[0].len == kn || k[parts[0].off + kn] == '_')) {
            kx = &kx_forms[i];
            if (parts[0].len > kn + 1) {
                group.off = parts[0].off + kn + 1;
                group.len = parts[0].len - kn - 1;
            }
            break;
        }
    }
    if (kx == NULL)
        return NULL;

    /* A trailing MAC ("AEAD" in GnuTLS before 3.6: none), then the cipher. */
    if (part_is(k, parts[np - 1], "AEAD") && --np < 2)
        return NULL;
    for (i = 0; i < sizeof(mac_forms) / sizeof(mac_forms[0]); i++)
        if (part_is(k, parts[np - 1], mac_forms[i]))
            mac = mac_forms[i];
    if (mac != NULL && --np < 2)
        return NULL;
    for (i = 0; i < sizeof(bulk_forms) / sizeof(bulk_forms[0]); i++)
        if (part_is(k, parts[np - 1], bulk_forms[i].name))
            bulk = &bulk_forms[i];
    if (bulk == NULL || (mac == NULL) != (bulk->prf != NULL) || np > 3)
        return NULL;

    /* The signature algorithm decides the authentication of (EC)DHE. */
    if (np == 3) {
        sig = parts[1];
        if (starts(k + sig.off, sig.len, "RSA"))
            auth = "RSA";
        else if (starts(k + sig.off, sig.len, "ECDSA") || starts(k + sig.off, sig.len, "EDDSA"))
            auth = "ECDSA";
        else if (starts(k + sig.off, sig.len, "DSA"))
            auth = "DSS";
        /* PKCS#1 v1.5 and hash-only ECDSA names are TLS 1.2 signatures. */
        tls12_sig =
            starts(k + sig.off, sig.len, "RSA_SHA") || starts(k + sig.off, sig.len, "RSA_MD5") ||
            starts(k + sig.off, sig.len, "ECDSA_SHA") || starts(k + sig.off, sig.len, "DSA_");
    }

    if (kx->tls13 && bulk->tls13 != 0 && mac == NULL && !tls12_sig &&
        (proto == MT_PROTO_NONE || proto >= MT_PROTO_TLS13)) {
        c = mt_cipher_by_code(bulk->tls13);
    } else {
        /* The GnuTLS name of the TLS 1.2 suite: TLS_<kx>_<cipher>_<mac>. */
        nb = 0;
        if (!append(buf, sizeof(buf), &nb, "TLS_"))
            return NULL;
        if (kx->gnutls != NULL) {
            if (!append(buf, sizeof(buf), &nb, kx->gnutls))
                return NULL;
        } else {
            if (auth == NULL || (kx->name[0] == 'D' && strcmp(auth, "ECDSA") == 0) ||
                (kx->name[0] == 'E' && strcmp(auth, "DSS") == 0))
                return NULL;
            if (!append(buf, sizeof(buf), &nb, kx->name) || !append(buf, sizeof(buf), &nb, "_") ||
                !append(buf, sizeof(buf), &nb, auth))
                return NULL;
        }
        if (!append(buf, sizeof(buf), &nb, "_") || !append(buf, sizeof(buf), &nb, bulk->gnutls))
            return NULL;
        if (mac != NULL ? !append(buf, sizeof(buf), &nb, "_") || !append(buf, sizeof(buf), &nb, mac)
                        : !append(buf, sizeof(buf), &nb, bulk->prf))
            return NULL;
        c = find_key(buf, nb);
    }
    if (c != NULL && hint != NULL) {
        hint_group(hint, k + group.off, group.len);
        if (sig.len > 0)
            hint_copy(hint->signature, orig + sig.off, sig.len, false, true);
    }
    return c;
}

/* Microsoft's curve suffixes on ECDHE suite names, and the curve. */
static const struct {
    const char *suffix, *group;
} ms_curves[] = {
    { "_P256", "secp256r1" },
    { "_P384", "secp384r1" },
    { "_P521", "secp521r1" },
};

/* Finds the suite of any spelling (see cipher.h), for a known protocol. */
const struct mt_cipher *
mt_cipher_lookup_proto(const char *name, size_t len, enum mt_proto proto,
                       struct mt_cipher_hint *hint)
{
    char k[KEY_MAX];
    const struct mt_cipher *c = NULL;
    struct mt_span s;
    size_t i;

    if (hint != NULL)
        memset(hint, 0, sizeof(*hint));
    if (name == NULL)
        return NULL;
    s = mt_span_trim(mt_span(name, len));
    if (s.len == 0 || s.len > sizeof(k))
        return NULL;
    for (i = 0; i < s.len; i++) {
        int ch = (unsigned char)s.p[i];
        k[i] = (char)(ch == '-' ? '_' : mt_to_upper(ch));
    }

    /* No suite name has "__" (the generator checks): that is a description. */
    if (mt_span_find(mt_span(k, s.len), "__", 2) >= 0)
        c = find_description(k, s.p, s.len, proto, hint);
    else
        c = find_spelling(k, s.len);
    for (i = 0; c == NULL && i < sizeof(ms_curves) / sizeof(ms_curves[0]); i++) {
        size_t sn = strlen(ms_curves[i].suffix);
        if (s.len > sn && memcmp(k + s.len - sn, ms_curves[i].suffix, sn) == 0) {
            c = find_spelling(k, s.len - sn);
            if (c != NULL && hint != NULL)
                hint_copy(hint->kex_group, ms_curves[i].group, strlen(ms_curves[i].group), false,
                          false);
        }
    }
    if (c == NULL) {
        if (hint != NULL)
            memset(hint, 0, sizeof(*hint));
        return NULL;
    }
    if (hint != NULL)
        hint->proto = (c->flags & MT_CIPHER_SSL2)    ? MT_PROTO_SSL2
                      : (c->flags & MT_CIPHER_TLS13) ? MT_PROTO_TLS13
                                                     : MT_PROTO_NONE;
    return c;
}

/* Finds the suite of any spelling (see cipher.h). */
const struct mt_cipher *
mt_cipher_lookup(const char *name, size_t len, struct mt_cipher_hint *hint)
{
    return mt_cipher_lookup_proto(name, len, MT_PROTO_NONE, hint);
}

/* Finds a suite by code point (binary search; the TLS suite first). */
const struct mt_cipher *
mt_cipher_by_code(uint32_t code)
{
    size_t lo = 0, hi = mt_cipher_table_len;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mt_cipher_table[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < mt_cipher_table_len && mt_cipher_table[lo].code == code ? &mt_cipher_table[lo]
                                                                        : NULL;
}

/* Number of suites in the table. */
size_t
mt_cipher_count(void)
{
    return mt_cipher_table_len;
}

/* The i-th suite, by code point; NULL past the end. */
const struct mt_cipher *
mt_cipher_at(size_t i)
{
    return i < mt_cipher_table_len ? &mt_cipher_table[i] : NULL;
}

/* Names of an enum, "unknown" out of range. */
static const char *
name_of(const char *const *names, size_t count, unsigned v)
{
    return v < count && names[v] != NULL ? names[v] : "unknown";
}

#define NAME_OF(names, v) name_of(names, sizeof(names) / sizeof(names[0]), (unsigned)(v))

/* Key exchange names. */
const char *
mt_kx_str(enum mt_kx kx)
{
    static const char *const names[] = { "unknown", "NULL",  "RSA",  "DH",      "ECDH",
                                         "DHE",     "ECDHE", "PSK",  "DHE-PSK", "ECDHE-PSK",
                                         "RSA-PSK", "SRP",   "KRB5", "GOST",    "any" };

    return NAME_OF(names, kx);
}

/* Authentication names. */
const char *
mt_auth_str(enum mt_auth a)
{
    static const char *const names[] = { "unknown", "anon", "RSA",  "DSS",  "ECDSA",
                                         "PSK",     "SRP",  "KRB5", "GOST", "any" };

    return NAME_OF(names, a);
}

/* Bulk cipher names. */
const char *
mt_enc_str(enum mt_enc e)
{
    static const char *const names[] = {
        "unknown",     "NULL",    "RC2",     "RC4",      "DES40",  "DES",
        "3DES",        "IDEA",    "SEED",    "AES128",   "AES256", "CAMELLIA128",
        "CAMELLIA256", "ARIA128", "ARIA256", "CHACHA20", "SM4",    "GOST",
    };

    return NAME_OF(names, e);
}

/* Cipher mode names. */
const char *
mt_mode_str(enum mt_mode m)
{
    static const char *const names[] = { "none", "CBC", "GCM", "CCM", "CCM8", "POLY1305", "other" };

    return NAME_OF(names, m);
}

/* MAC names. */
const char *
mt_mac_str(enum mt_mac m)
{
    static const char *const names[] = { "unknown", "NULL", "MD5",  "SHA1", "SHA256",
                                         "SHA384",  "AEAD", "GOST", "SM3" };

    return NAME_OF(names, m);
}
