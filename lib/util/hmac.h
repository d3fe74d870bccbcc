/*
 * hmac.h - HMAC-SHA-256 (RFC 2104, FIPS 180-4) as lower-case hex.
 *
 * Used to store addresses without storing them: the same address and key
 * give the same 64 hex digits, and without the key the digits say nothing.
 * Pure: the key is the caller's; no I/O, no randomness here. Keys of 1 to
 * 1024 bytes; the result is the same as any other HMAC-SHA-256 (tests: RFC
 * 4231's cases), so digests stored by earlier versions stay valid.
 */
#ifndef MT_UTIL_HMAC_H
#define MT_UTIL_HMAC_H

#include <stdbool.h>
#include <stddef.h>

#define MT_HMAC_KEY_LEN 32
#define MT_HMAC_HEX_LEN 64

/* Writes HMAC-SHA-256(key, data) as 64 hex digits and a NUL into out; false on failure. */
bool mt_hmac_sha256_hex(const unsigned char *key, size_t keylen, const void *data, size_t len,
                        char out[MT_HMAC_HEX_LEN + 1]);

#endif
