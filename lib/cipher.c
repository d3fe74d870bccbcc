/* cipher.c - cipher suite lookup (the table is not generated yet). */
#include "cipher.h"

/* Finds a suite by any spelling; no table yet, so nothing is found. */
const struct mt_cipher *
mt_cipher_lookup(const char *name, size_t len, struct mt_cipher_hint *hint)
{
    (void)name;
    (void)len;
    (void)hint;
    return NULL;
}
