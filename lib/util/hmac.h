/*
 * hmac.h - HMAC-SHA-256 (RFC 2104) as lower-case hex, by libcrypto.
 *
 * Used to store addresses without storing them: the same address and key
 * give the same 64 hex digits, and without the key the digits say nothing.
 * No I/O, no randomness here: the key is the caller's (1 to 1024 bytes).
 * The computation is OpenSSL's HMAC() with SHA-256; a program that wants
 * OpenSSL not to read openssl.cnf calls OPENSSL_init_crypto() with
 * OPENSSL_INIT_NO_LOAD_CONFIG before the first use (mailtls does, when it
 * loads the key). Tests: RFC 4231's cases.
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
