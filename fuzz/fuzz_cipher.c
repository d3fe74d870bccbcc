/*
 * fuzz_cipher.c - cipher name lookup, protocol parsing, the TLS setters,
 * verdict and reasons on arbitrary bytes.
 *
 * Input: a protocol name, a newline, a cipher name (without a newline the
 * whole input is tried as both). Besides crashes and hangs it checks the
 * contracts: lookups return table entries whose own names find them again,
 * hints and fixed strings are terminated, protocol ranges are ordered, the
 * verdict and reasons are in range and the formatted reasons have the length
 * returned and fit the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts when a fixed string is not terminated. */
static void
terminated(const char *s, size_t sz)
{
    if (memchr(s, '\0', sz) == NULL)
        abort();
}

/* Looks a name up for every protocol and checks what comes back. */
static void
check_lookup(const char *p, size_t n)
{
    struct mt_cipher_hint h;
    const struct mt_cipher *c, *again;
    int proto;

    for (proto = MT_PROTO_NONE; proto <= MT_PROTO_TLS13; proto++) {
        c = mt_cipher_lookup_proto(p, n, (enum mt_proto)proto, &h);
        terminated(h.kex_group, sizeof(h.kex_group));
        terminated(h.signature, sizeof(h.signature));
        if (c == NULL) {
            if (h.kex_group[0] != '\0' || h.signature[0] != '\0' || h.proto != MT_PROTO_NONE)
                abort();
            continue;
        }
        if (c < mt_cipher_at(0) || c > mt_cipher_at(mt_cipher_count() - 1))
            abort();
        /* the IANA name of what was found finds a suite of that name */
        again = mt_cipher_lookup(c->iana, strlen(c->iana), NULL);
        if (again == NULL || strcmp(again->iana, c->iana) != 0)
            abort();
        if (mt_cipher_by_code(c->code) == NULL)
            abort();
    }
}

/* Checks a hop's facts, verdict and reasons. */
static void
check_hop(const struct mt_tls *t)
{
    char small[24], big[1024];
    unsigned reasons;
    enum mt_verdict v;
    size_t n;

    terminated(t->cipher_raw, sizeof(t->cipher_raw));
    terminated(t->protocol_raw, sizeof(t->protocol_raw));
    terminated(t->kex_group, sizeof(t->kex_group));
    terminated(t->signature, sizeof(t->signature));
    if (t->proto_min > t->proto_max || t->proto_max > MT_PROTO_TLS13 ||
        (t->proto_min == MT_PROTO_NONE) != (t->proto_max == MT_PROTO_NONE))
        abort();
    v = mt_tls_verdict(t, &reasons);
    if ((unsigned)v >= MT_VERDICT_COUNT || reasons >= (1u << MT_REASON_COUNT))
        abort();
    if (v == MT_VERDICT_OK &&
        (reasons & ~(unsigned)(MT_REASON_ANONYMOUS | MT_REASON_UNKNOWN_CIPHER)) != 0)
        abort();
    if ((unsigned)mt_tls_pfs(t) > MT_TRI_YES)
        abort();
    n = mt_tls_reasons_format(t, reasons, big, sizeof(big));
    if (n != strlen(big) || n >= sizeof(big) || ((reasons != 0) != (n != 0)))
        abort();
    n = mt_tls_reasons_format(t, reasons, small, sizeof(small));
    if (n != strlen(small) || n >= sizeof(small))
        abort();
    if (mt_verdict_str(v) == NULL)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nl = memchr(p, '\n', size);
    const char *proto = p, *cipher = p;
    size_t plen = size, clen = size;
    enum mt_proto lo, hi;
    struct mt_tls t;

    if (nl != NULL) {
        plen = (size_t)(nl - p);
        cipher = nl + 1;
        clen = size - plen - 1;
    }

    check_lookup(p, size);
    if (nl != NULL)
        check_lookup(cipher, clen);
    if (mt_proto_parse(proto, plen, &lo, &hi) &&
        (lo == MT_PROTO_NONE || lo > hi || hi > MT_PROTO_TLS13))
        abort();

    /* protocol, then cipher; and the other way round */
    mt_tls_init(&t);
    mt_tls_set_protocol(&t, proto, plen);
    mt_tls_set_cipher(&t, cipher, clen);
    check_hop(&t);
    mt_tls_refine(&t);
    check_hop(&t);

    mt_tls_init(&t);
    mt_tls_set_cipher(&t, cipher, clen);
    mt_tls_set_protocol(&t, proto, plen);
    check_hop(&t);

    mt_tls_set_plaintext(&t);
    if (mt_tls_verdict(&t, NULL) != MT_VERDICT_PLAINTEXT)
        abort();
    return 0;
}
