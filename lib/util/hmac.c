/*
 * hmac.c - HMAC-SHA-256 hex digests: SHA-256 after FIPS 180-4, HMAC after
 * RFC 2104. Written here rather than taken from libcrypto: `mailtls notify`
 * hashes one or two addresses per message, and loading and initialising
 * libcrypto cost more than the whole rest of a run (doc/performance.md).
 */
#include "util/hmac.h"

#include <stdint.h>
#include <string.h>

#define SHA256_BLOCK 64
#define SHA256_LEN   32

struct sha256 {
    uint32_t h[8];
    uint64_t bytes; /* message length so far */
    unsigned char buf[SHA256_BLOCK];
    size_t nbuf;
};

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Rotates x right by n bits (0 < n < 32). */
static uint32_t
ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

/* Processes one 64-byte block. */
static void
sha256_block(struct sha256 *c, const unsigned char *p)
{
    uint32_t w[64], a, b, d, e, f, g, h, cc, t1, t2;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    a = c->h[0];
    b = c->h[1];
    cc = c->h[2];
    d = c->h[3];
    e = c->h[4];
    f = c->h[5];
    g = c->h[6];
    h = c->h[7];
    for (i = 0; i < 64; i++) {
        t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + k256[i] + w[i];
        t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

/* Starts a digest (the initial hash value of FIPS 180-4, 5.3.3). */
static void
sha256_init(struct sha256 *c)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

    memcpy(c->h, iv, sizeof(iv));
    c->bytes = 0;
    c->nbuf = 0;
}

/* Adds len bytes of data. */
static void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
    const unsigned char *p = data;

    c->bytes += len;
    if (c->nbuf > 0) {
        size_t take = SHA256_BLOCK - c->nbuf < len ? SHA256_BLOCK - c->nbuf : len;
        memcpy(c->buf + c->nbuf, p, take);
        c->nbuf += take;
        p += take;
        len -= take;
        if (c->nbuf < SHA256_BLOCK)
            return;
        sha256_block(c, c->buf);
        c->nbuf = 0;
    }
    for (; len >= SHA256_BLOCK; p += SHA256_BLOCK, len -= SHA256_BLOCK)
        sha256_block(c, p);
    memcpy(c->buf, p, len);
    c->nbuf = len;
}

/* Pads, and writes the 32-byte digest. */
static void
sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN])
{
    uint64_t bits = c->bytes * 8;
    unsigned i;

    c->buf[c->nbuf++] = 0x80;
    if (c->nbuf > SHA256_BLOCK - 8) {
        memset(c->buf + c->nbuf, 0, SHA256_BLOCK - c->nbuf);
        sha256_block(c, c->buf);
        c->nbuf = 0;
    }
    memset(c->buf + c->nbuf, 0, SHA256_BLOCK - 8 - c->nbuf);
    for (i = 0; i < 8; i++)
        c->buf[SHA256_BLOCK - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha256_block(c, c->buf);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

/* HMAC-SHA-256 as hex (RFC 2104: H(K ^ opad, H(K ^ ipad, data))). */
bool
mt_hmac_sha256_hex(const unsigned char *key, size_t keylen, const void *data, size_t len,
                   char out[MT_HMAC_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char k[SHA256_BLOCK], pad[SHA256_BLOCK], md[SHA256_LEN];
    struct sha256 c;
    unsigned i;

    if (keylen == 0 || keylen > 1024 || (data == NULL && len > 0))
        return false;
    memset(k, 0, sizeof(k));
    if (keylen > SHA256_BLOCK) {
        sha256_init(&c);
        sha256_update(&c, key, keylen);
        sha256_final(&c, k);
    } else {
        memcpy(k, key, keylen);
    }
    for (i = 0; i < SHA256_BLOCK; i++)
        pad[i] = k[i] ^ 0x36;
    sha256_init(&c);
    sha256_update(&c, pad, sizeof(pad));
    if (len > 0)
        sha256_update(&c, data, len);
    sha256_final(&c, md);
    for (i = 0; i < SHA256_BLOCK; i++)
        pad[i] = k[i] ^ 0x5c;
    sha256_init(&c);
    sha256_update(&c, pad, sizeof(pad));
    sha256_update(&c, md, sizeof(md));
    sha256_final(&c, md);
    for (i = 0; i < SHA256_LEN; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[MT_HMAC_HEX_LEN] = '\0';
    return true;
}
