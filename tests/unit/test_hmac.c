/*
 * test_hmac.c - HMAC-SHA-256: the RFC 4231 test cases, and every message
 * length from 0 to 299 bytes and key length from 1 to 200 bytes (across the
 * padding and block boundaries) folded into one digest each, whose expected
 * values come from Python's hmac module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt_test.h"
#include "util/hmac.h"

/* HMAC of a NUL-terminated message. */
static const char *
mac(const unsigned char *key, size_t keylen, const char *msg, char out[MT_HMAC_HEX_LEN + 1])
{
    if (!mt_hmac_sha256_hex(key, keylen, msg, strlen(msg), out))
        return "(failed)";
    return out;
}

int
main(void)
{
    unsigned char k[256], msg[300], d[50];
    char out[MT_HMAC_HEX_LEN + 1];
    char *acc = malloc(300 * MT_HMAC_HEX_LEN + 1);
    size_t i, n;

    if (acc == NULL)
        return 99;
    /* RFC 4231, 4.2 to 4.8 (4.6 is a truncated output and is left out). */
    memset(k, 0x0b, 20);
    CHECK_STR(mac(k, 20, "Hi There", out),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK_STR(mac((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", out),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(k, 0xaa, 20);
    memset(d, 0xdd, 50);
    CHECK(mt_hmac_sha256_hex(k, 20, d, 50, out));
    CHECK_STR(out, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    for (i = 0; i < 25; i++)
        k[i] = (unsigned char)(i + 1);
    memset(d, 0xcd, 50);
    CHECK(mt_hmac_sha256_hex(k, 25, d, 50, out));
    CHECK_STR(out, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    memset(k, 0xaa, 131);
    CHECK_STR(mac(k, 131, "Test Using Larger Than Block-Size Key - Hash Key First", out),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK_STR(mac(k, 131,
                  "This is a test using a larger than block-size key and a larger than "
                  "block-size data. The key needs to be hashed before being used by the HMAC "
                  "algorithm.",
                  out),
              "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");

    /* Message lengths 0..299 with a 32-byte key. */
    for (i = 0; i < 32; i++)
        k[i] = (unsigned char)(i * 3 + 1);
    for (i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)(i * 7 + 3);
    for (n = 0; n < 300; n++) {
        CHECK(mt_hmac_sha256_hex(k, 32, msg, n, acc + n * MT_HMAC_HEX_LEN));
    }
    CHECK(mt_hmac_sha256_hex(k, 32, acc, 300 * MT_HMAC_HEX_LEN, out));
    CHECK_STR(out, "e2c07c986196ec65980d503edcd5d70fca7713bcfd8ffa35b23281e7927041b3");

    /* Key lengths 1..200 over one address. */
    for (n = 1; n <= 200; n++) {
        unsigned char kk[200];
        for (i = 0; i < n; i++)
            kk[i] = (unsigned char)(i * 5 + 2);
        CHECK(
            mt_hmac_sha256_hex(kk, n, "alice@sender.example", 20, acc + (n - 1) * MT_HMAC_HEX_LEN));
    }
    CHECK(mt_hmac_sha256_hex(k, 32, acc, 200 * MT_HMAC_HEX_LEN, out));
    CHECK_STR(out, "191ada9a0dbb23fe29fefd517617c02a3dc38f5ebca2bf481dd38f45c6bc9e06");

    /* Refused: no key, an oversized key, data missing. */
    CHECK(!mt_hmac_sha256_hex(k, 0, "x", 1, out));
    CHECK(!mt_hmac_sha256_hex(k, 1025, "x", 1, out));
    CHECK(!mt_hmac_sha256_hex(k, 32, NULL, 1, out));
    CHECK(mt_hmac_sha256_hex(k, 32, NULL, 0, out));
    free(acc);
    return mt_test_done();
}
