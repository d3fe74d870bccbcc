/*
 * cipher_table.h - the generated cipher suite table (private to cipher.c).
 *
 * tools/gen-cipher-table writes cipher_table.c into the build directory from
 * tools/data/tls-parameters-4.csv and tools/data/cipher-names.tsv. It
 * defines these read-only arrays:
 *
 *   mt_cipher_table  every suite, by code point (the TLS suite 0x0000 comes
 *                    before the SSLv2 suite 0x000000, which has the same value)
 *   mt_cipher_keys   every spelling of every suite, normalised to ASCII upper
 *                    case with "-" written as "_", in bytewise order, each with
 *                    the index of its suite in mt_cipher_table
 *   mt_cipher_slots  a hash table over the keys: slot (32-bit FNV-1a of the
 *                    key) & (mt_cipher_slots_len - 1), then the next ones
 *                    (linear probing); 1 + the key's index, 0 when empty. At
 *                    most half full, so a search ends at an empty slot soon.
 *
 * A spelling shared by several suites (OpenSSL's "RC4-MD5" is a TLS and an
 * SSLv2 suite) is listed once, for the TLS suite; the generated file lists
 * those choices in a comment. Use the functions of cipher.h, not these.
 */
#ifndef MT_CIPHER_TABLE_H
#define MT_CIPHER_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "cipher.h"

struct mt_cipher_key {
    const char *key; /* normalised spelling */
    uint16_t len;    /* strlen(key) */
    uint16_t suite;  /* index into mt_cipher_table */
};

extern const struct mt_cipher mt_cipher_table[];
extern const size_t mt_cipher_table_len;
extern const struct mt_cipher_key mt_cipher_keys[];
extern const size_t mt_cipher_keys_len;
extern const uint16_t mt_cipher_slots[];
extern const size_t mt_cipher_slots_len; /* a power of two */

#endif
