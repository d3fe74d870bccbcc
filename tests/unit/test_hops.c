/*
 * test_hops.c - header blocks of real messages (tests/golden/received/chains)
 * as hop chains, and which hop is trusted for a given set of our names:
 * list-manager re-injection (xen-devel), amavisd-new re-injection from
 * loopback (osuosl.org), LMTP delivery and a loopback submission hop
 * (lfdr.de, subspace.kernel.org).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hops.h"
#include "mt_test.h"

static struct mt_hops h;

/* Reads a test file (NUL-terminated); exits on error. */
static char *
slurp(const char *name, size_t *len)
{
    char path[1024];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/tests/golden/received/chains/%s", MT_SRCDIR, name);
    f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) == NULL) {
        perror(path);
        exit(99);
    }
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(99);
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Parses buf with the given names (NULL-terminated list, or NULL for none). */
static enum mt_status
chain(const char *buf, size_t len, const char *const *names)
{
    struct mt_names m = { names, 0 };
    struct mt_error err;

    while (names != NULL && names[m.n] != NULL)
        m.n++;
    return mt_hops_parse(buf, len, names ? &m : NULL, &h, &err);
}

/* The by host of the trusted hop, or "" when none. */
static const char *
trusted_by(void)
{
    static char b[256];

    if (h.trusted < 0 || !mt_span_copy(h.hop[h.trusted].by_host, b, sizeof(b)))
        return "";
    return b;
}

/* A list manager's re-injection hop has no address and no SMTP keyword. */
static void
test_xen(void)
{
    size_t len;
    char *buf = slurp("xen-devel-2025-03-25.hdr", &len);
    static const char *const lfdr[] = { "mail.lfdr.de", NULL };
    static const char *const lists[] = { "lists.xenproject.org", NULL };
    static const char *const halon[] = { "se1-gles-flk1.inumbo.com", NULL };
    static const char *const gmail[] = { "smtp.gmail.com", NULL };
    static const char *const nobody[] = { "mx.example.org", NULL };

    CHECK(chain(buf, len, lfdr) == MT_OK);
    CHECK_INT(h.n, 9);
    CHECK_INT(h.n_bad, 0);
    CHECK(mt_span_ieq(h.message_id, "<20250325180005.275552-1-andrew.cooper3@citrix.com>"));
    CHECK_INT(h.trusted, 0);
    CHECK(h.verified);
    CHECK_INT(h.hop[0].tls.used, MT_TRI_YES);
    /* topmost first: the order of the header */
    CHECK(mt_span_ieq(h.hop[1].from_host, "list"));
    CHECK(mt_span_ieq(h.hop[8].by_host, "smtp.gmail.com"));
    CHECK_INT(h.hop[8].time, 1742925607);

    /* as the list server: skip the mailman re-injection and the loopback hop */
    CHECK(chain(buf, len, lists) == MT_OK);
    CHECK_INT(h.trusted, 5);
    CHECK(h.verified);
    CHECK(mt_span_ieq(h.hop[5].from_ip, "94.247.172.50"));
    CHECK_INT(h.hop[5].tls.used, MT_TRI_NO);

    /* as the Halon filter in front of it: TLS from Google */
    CHECK(chain(buf, len, halon) == MT_OK);
    CHECK_INT(h.trusted, 6);
    CHECK(mt_span_ieq(h.hop[6].from_ip, "2a00:1450:4864:20::436"));
    CHECK_INT(h.hop[6].tls.used, MT_TRI_YES);

    /* the submission hop at Gmail */
    CHECK(chain(buf, len, gmail) == MT_OK);
    CHECK_INT(h.trusted, 8);
    CHECK(h.hop[8].authenticated);
    CHECK_STR(h.hop[8].tls.protocol_raw, "TLS1_3");

    /* names that match no hop, and no names: the topmost hop with a from clause */
    CHECK(chain(buf, len, nobody) == MT_OK);
    CHECK_INT(h.trusted, 0);
    CHECK(!h.verified);
    CHECK(chain(buf, len, NULL) == MT_OK);
    CHECK_INT(h.trusted, 0);
    CHECK(!h.verified);
    free(buf);
}

/* amavisd-new re-injection from loopback between two Postfix hops. */
static void
test_amavis(void)
{
    size_t len;
    char *buf = slurp("bridge-2023-01-25.hdr", &len);
    static const char *const smtp3[] = { "smtp3.osuosl.org", NULL };
    static const char *const smtp2[] = { "SMTP2.OSUOSL.ORG.", NULL };
    static const char *const domain[] = { ".osuosl.org", NULL };

    CHECK(chain(buf, len, smtp3) == MT_OK);
    CHECK_INT(h.n, 9);
    CHECK_INT(h.trusted, 8);
    CHECK(h.verified);
    CHECK_STR(trusted_by(), "smtp3.osuosl.org");
    CHECK(mt_span_ieq(h.hop[8].from_ip, "185.70.43.24"));
    CHECK_INT(h.hop[8].tls.used, MT_TRI_YES);
    /* the hop above it came from loopback */
    CHECK(mt_span_ieq(h.hop[6].from_ip, "127.0.0.1"));

    /* name matching ignores case and a trailing dot */
    CHECK(chain(buf, len, smtp2) == MT_OK);
    CHECK_INT(h.trusted, 3);
    CHECK(mt_span_ieq(h.hop[3].from_rdns, "lf-lists.osuosl.org"));

    /* a whole domain: hops between our own hosts are internal, the outside is Proton */
    CHECK(chain(buf, len, domain) == MT_OK);
    CHECK_INT(h.trusted, 8);
    CHECK(h.verified);
    free(buf);
}

/* LMTP delivery on top, a loopback hop further down. */
static void
test_lmtp(void)
{
    size_t len;
    char *buf = slurp("linux-scsi-2026-05-25.hdr", &len);
    static const char *const lfdr[] = { "lfdr", "mail.lfdr.de", NULL };
    static const char *const subspace[] = { "smtp.subspace.kernel.org", NULL };
    static const char *const asr[] = { "exch02.asrmicro.com", NULL };

    CHECK(chain(buf, len, lfdr) == MT_OK);
    CHECK_INT(h.n, 8);
    CHECK_INT(h.trusted, 1);
    CHECK(h.verified);
    CHECK(mt_span_ieq(h.hop[1].from_ip, "2600:3c0a:e001:db::12fc:5321"));

    CHECK(chain(buf, len, subspace) == MT_OK);
    CHECK_INT(h.trusted, 4);
    CHECK_STR(h.hop[4].tls.cipher_raw, "ECDHE-RSA-AES256-GCM-SHA384");
    CHECK_INT(h.hop[4].tls.trust, MT_TRUST_ANONYMOUS);

    /* an Exchange mailbox server's own mapi hop from ::1 is internal: none left */
    CHECK(chain(buf, len, asr) == MT_OK);
    CHECK_INT(h.trusted, 0);
    CHECK(!h.verified);
    free(buf);
}

/* A forged HELO of our own name does not make the sender internal. */
static void
test_forged_helo(void)
{
    static const char msg[] =
        "Received: from mx.example.net (mail.attacker.example [192.0.2.66])\n"
        "\tby mx.example.net (Postfix) with ESMTP id 4A1B2C3D4E\n"
        "\tfor <u@example.net>; Tue,  3 Jun 2025 10:18:35 +0200 (CEST)\n"
        "Received: from trusted.example (trusted.example [198.51.100.1])\n"
        "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
        "\tby mx.example.net (Postfix) with ESMTPS id 1;\n"
        "\tTue,  3 Jun 2025 10:18:30 +0200 (CEST)\n"
        "\n";
    static const char *const mine[] = { "mx.example.net", NULL };

    CHECK(chain(msg, sizeof(msg) - 1, mine) == MT_OK);
    CHECK_INT(h.n, 2);
    CHECK_INT(h.trusted, 0);
    CHECK_INT(h.hop[0].tls.used, MT_TRI_NO);
}

/* Iteration details: mbox From line, bad fields, the limit, empty input. */
static void
test_limits(void)
{
    static const char mbox[] = "From MAILER-DAEMON Tue Jun  3 10:18:35 2025\n"
                               "Received: by a.example with SMTP; 1 Jan 2020 00:00:00 +0000\n"
                               "Received: nonsense\n"
                               "Message-ID:   <x@y>  \n"
                               "\n"
                               "Received: from body.example by a.example with ESMTP;\n";
    static const char *const mine[] = { "a.example", NULL };
    struct mt_names names = { mine, 1 };
    struct mt_error err;
    char *big, *p;
    size_t k;

    CHECK(chain(mbox, sizeof(mbox) - 1, mine) == MT_OK);
    CHECK_INT(h.n, 1); /* the body is not read */
    CHECK_INT(h.n_bad, 1);
    CHECK(mt_span_ieq(h.message_id, "<x@y>"));
    CHECK_INT(h.trusted, -1); /* no hop has a from clause */
    CHECK(mt_hops_parse(mbox, sizeof(mbox) - 1, &names, &h, &err) == MT_OK);
    CHECK_INT(err.status, MT_EPARSE);
    CHECK_INT(err.line, 3);

    CHECK(chain("", 0, NULL) == MT_OK);
    CHECK_INT(h.n, 0);
    CHECK_INT(h.trusted, -1);
    CHECK(chain(NULL, 0, NULL) == MT_OK);
    CHECK_INT(h.n, 0);

    /* more than MT_HOPS_MAX hops: the chain so far, and MT_ELIMIT */
    big = malloc(100 * (MT_HOPS_MAX + 2));
    CHECK(big != NULL);
    if (big == NULL)
        return;
    p = big;
    for (k = 0; k < MT_HOPS_MAX + 1; k++)
        p += sprintf(p, "Received: from h%zu.example ([192.0.2.1]) by x.example with ESMTP;\n", k);
    p += sprintf(p, "Message-ID: <after@example>\n\n");
    CHECK(chain(big, (size_t)(p - big), NULL) == MT_ELIMIT);
    CHECK_INT(h.n, MT_HOPS_MAX);
    CHECK(mt_span_ieq(h.message_id, "<after@example>"));
    CHECK_INT(h.trusted, 0);
    CHECK(mt_span_ieq(h.hop[MT_HOPS_MAX - 1].from_host, "h63.example"));
    free(big);
}

/* Name matching rules. */
static void
test_names(void)
{
    static const char *const v[] = { "mx1.Example.net.", ".example.org", "" };
    struct mt_names n = { v, 3 };

    CHECK(mt_names_match(&n, mt_span_cstr("mx1.example.net")));
    CHECK(mt_names_match(&n, mt_span_cstr("MX1.EXAMPLE.NET.")));
    CHECK(!mt_names_match(&n, mt_span_cstr("mx2.example.net")));
    CHECK(!mt_names_match(&n, mt_span_cstr("x.mx1.example.net")));
    CHECK(mt_names_match(&n, mt_span_cstr("a.b.example.org")));
    CHECK(!mt_names_match(&n, mt_span_cstr("example.org")));
    CHECK(!mt_names_match(&n, mt_span_cstr("badexample.org")));
    CHECK(!mt_names_match(&n, mt_span_cstr("")));
    CHECK(!mt_names_match(NULL, mt_span_cstr("mx1.example.net")));
}

int
main(void)
{
    test_xen();
    test_amavis();
    test_lmtp();
    test_forged_helo();
    test_limits();
    test_names();
    return mt_test_done();
}
