/*
 * test_hops_flags.c - mt_hops_parse_flags() agrees with mt_hops_parse() on
 * the trusted hop of real messages, for every set of names, and reads less.
 */
#include <stdlib.h>

#include "hops.h"
#include "mt_test.h"

/* Reads a file of the source tree into a new buffer (NULL on failure). */
static char *
slurp(const char *rel, size_t *len)
{
    char path[1024];
    FILE *f;
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", MT_SRCDIR, rel);
    f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    buf = malloc(1 << 20);
    *len = buf != NULL ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    return buf;
}

/* Compares the flag variants with the full parse for one header and names. */
static void
compare(const char *file, const char *buf, size_t len, const char *const *names, size_t n)
{
    static struct mt_hops full, part;
    struct mt_names mine = { names, n };
    struct mt_error err;

    CHECK_INT(mt_hops_parse(buf, len, &mine, &full, &err), MT_OK);
    CHECK_INT(mt_hops_parse_flags(buf, len, &mine, MT_HOPS_UNTIL_TRUSTED, &part, &err), MT_OK);
    if (part.trusted != full.trusted || part.verified != full.verified) {
        fprintf(stderr, "%s (%zu names): trusted %d/%d, verified %d/%d\n", file, n, part.trusted,
                full.trusted, part.verified, full.verified);
        CHECK(0);
    }
    CHECK(part.message_id.len == full.message_id.len);
    if (full.trusted >= 0 && (full.verified || n == 0)) {
        /* It stopped at the trusted hop, and that hop is the same. */
        CHECK_INT(part.n, full.trusted + 1);
        CHECK(mt_span_eq(part.hop[part.trusted].by_host, full.hop[full.trusted].by_host));
        CHECK(mt_span_eq(part.hop[part.trusted].from_ip, full.hop[full.trusted].from_ip));
    } else {
        CHECK_INT(part.n, full.n);
    }
    CHECK_INT(mt_hops_parse_flags(buf, len, &mine, MT_HOPS_UNTIL_TRUSTED | MT_HOPS_NO_MESSAGE_ID,
                                  &part, &err),
              MT_OK);
    CHECK_INT(part.trusted, full.trusted);
    CHECK_INT(part.verified, full.verified);
    CHECK_INT(part.message_id.len, 0);
}

int
main(void)
{
    static const char *const files[] = {
        "tests/golden/received/chains/xen-devel-2025-03-25.hdr",
        "tests/golden/received/chains/linux-scsi-2026-05-25.hdr",
        "tests/golden/received/chains/bridge-2023-01-25.hdr",
        "samples/Maildir/cur/1715861098.M1P1.mail.example:2,S",
        "samples/Maildir/new/1489929132.M2P1.mail.example",
    };
    static const char *const lfdr[] = { "mail.lfdr.de", "lfdr" };
    static const char *const inner[] = { "lists.xenproject.org", "sea.lore.kernel.org" };
    static const char *const subspace[] = { ".kernel.org" };
    static const char *const none[] = { "mx.nowhere.example" };
    size_t i, len;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *buf = slurp(files[i], &len);
        CHECK(buf != NULL);
        if (buf == NULL)
            continue;
        compare(files[i], buf, len, NULL, 0);
        compare(files[i], buf, len, lfdr, 2);
        compare(files[i], buf, len, lfdr, 1);
        compare(files[i], buf, len, inner, 2);
        compare(files[i], buf, len, subspace, 1);
        compare(files[i], buf, len, none, 1);
        free(buf);
    }
    return mt_test_done();
}
