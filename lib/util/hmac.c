/* hmac.c - HMAC-SHA-256 as hex, computed by OpenSSL's libcrypto. */
#include "util/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

/* HMAC-SHA-256(key, data) as 64 lower-case hex digits. */
bool
mt_hmac_sha256_hex(const unsigned char *key, size_t keylen, const void *data, size_t len,
                   char out[MT_HMAC_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    static const unsigned char empty[1] = { 0 };
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;

    if (keylen == 0 || keylen > 1024 || (data == NULL && len > 0))
        return false;
    if (HMAC(EVP_sha256(), key, (int)keylen, len > 0 ? data : empty, len, md, &mdlen) == NULL ||
        mdlen * 2 != MT_HMAC_HEX_LEN)
        return false;
    for (i = 0; i < mdlen; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[MT_HMAC_HEX_LEN] = '\0';
    return true;
}
