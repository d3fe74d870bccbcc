/*
 * fuzz_received.c - Received: parsing, header iteration and hop chains on
 * arbitrary bytes. Besides crashes and hangs it checks that every span the
 * parsers return lies inside the input and that the TLS strings are
 * terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "header.h"
#include "hops.h"
#include "received.h"

static struct mt_hops hops; /* large: kept off the stack */

/* Aborts unless s is empty or inside [p, p + n). */
static void
inside(struct mt_span s, const uint8_t *p, size_t n)
{
    const char *b = (const char *)p;

    if (s.len == 0)
        return;
    if (s.p < b || s.p + s.len > b + n || s.len > n)
        abort();
}

/* Aborts when a fixed string of the TLS facts is not terminated. */
static void
terminated(const char *s, size_t sz)
{
    if (memchr(s, '\0', sz) == NULL)
        abort();
}

/* Checks one parsed field against the input. */
static void
check_received(const struct mt_received *r, const uint8_t *p, size_t n)
{
    inside(r->from_host, p, n);
    inside(r->from_helo, p, n);
    inside(r->from_rdns, p, n);
    inside(r->from_ip, p, n);
    inside(r->by_host, p, n);
    inside(r->with, p, n);
    inside(r->id, p, n);
    inside(r->for_addr, p, n);
    inside(r->date, p, n);
    inside(r->tls_bits, p, n);
    terminated(r->tls.cipher_raw, sizeof(r->tls.cipher_raw));
    terminated(r->tls.protocol_raw, sizeof(r->tls.protocol_raw));
    terminated(r->tls.kex_group, sizeof(r->tls.kex_group));
    terminated(r->tls.signature, sizeof(r->tls.signature));
    if (r->tls.used == MT_TRI_NO && (r->tls.cipher_raw[0] || r->tls.protocol_raw[0]))
        abort(); /* plaintext with TLS details would be a contradiction */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "mail.lfdr.de", ".example.net", "localhost" };
    struct mt_names mine = { names, 3 };
    struct mt_received r;
    struct mt_header_iter it;
    struct mt_field f;
    struct mt_error err;
    enum mt_status st;
    size_t i, fields = 0;
    bool complete;

    /* one field value */
    (void)mt_received_parse((const char *)data, size, &r, &err);
    check_received(&r, data, size);

    /* the header block, field by field */
    mt_header_iter_init(&it, (const char *)data, size);
    while ((st = mt_header_next(&it, &f, &err)) != MT_NOTFOUND) {
        if (++fields > size + 1)
            abort(); /* every call must make progress */
        inside(f.name, data, size);
        inside(f.value, data, size);
        if (st == MT_OK && mt_field_is(&f, "Received")) {
            (void)mt_received_parse(f.value.p, f.value.len, &r, NULL);
            check_received(&r, data, size);
        }
    }
    if (mt_header_block_len((const char *)data, size, &complete) > size)
        abort();

    /* the hop chain, with and without our names */
    for (i = 0; i < 2; i++) {
        st = mt_hops_parse((const char *)data, size, i ? &mine : NULL, &hops, &err);
        if (hops.n > MT_HOPS_MAX || hops.trusted >= (int)hops.n || hops.trusted < -1)
            abort();
        if (hops.verified && hops.trusted < 0)
            abort();
        inside(hops.message_id, data, size);
        for (size_t k = 0; k < hops.n; k++)
            check_received(&hops.hop[k], data, size);
        (void)st;
    }
    return 0;
}
