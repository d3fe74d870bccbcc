/*
 * test_authres.c - Authentication-Results parsing (RFC 8601).
 *
 * The Gmail fields are real headers of messages in public mailing-list
 * archives (linux-mm at kvack.org, 2019), as stored in public repositories;
 * the RFC 8601 ones are from its appendix B.
 */
#include "authres.h"
#include "mt_test.h"

/* Parses a C string. */
static enum mt_status
parse(const char *s, struct mt_authres *ar)
{
    return mt_authres_parse(s, strlen(s), ar, NULL);
}

/* True when span equals the C string. */
static int
is(struct mt_span s, const char *want)
{
    return mt_span_eq(s, mt_span_cstr(want));
}

int
main(void)
{
    struct mt_authres ar;

    /* Gmail, folded, comments between result and properties. */
    CHECK(parse(" mx.google.com;\n"
                "       dkim=pass header.i=@oracle.com header.s=corp-2018-07-02 "
                "header.b=lhk5qU4z;\n"
                "       spf=pass (google.com: domain of daniel.m.jordan@oracle.com designates "
                "156.151.31.86 as permitted sender) smtp.mailfrom=daniel.m.jordan@oracle.com;\n"
                "       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=oracle.com",
                &ar) == MT_OK);
    CHECK(is(ar.authserv_id, "mx.google.com"));
    CHECK_INT(ar.n, 3);
    CHECK_INT(ar.n_bad, 0);
    CHECK(is(ar.res[0].method, "dkim"));
    CHECK_INT(ar.res[0].n_prop, 3);
    CHECK(is(ar.res[0].prop[0].value, "@oracle.com"));
    CHECK(is(ar.res[1].method, "spf"));
    CHECK(is(ar.res[1].result, "pass"));
    CHECK(is(ar.res[1].prop[0].ptype, "smtp"));
    CHECK(is(ar.res[1].prop[0].property, "mailfrom"));
    CHECK(is(ar.res[1].prop[0].value, "daniel.m.jordan@oracle.com"));
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("oracle.com")));
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("Oracle.COM.")));
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("example.com")));
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("com")));

    /* Quoted smtp.mailfrom (BATV local part). */
    CHECK(parse(" mx.google.com;\n       dkim=pass header.i=@fb.com header.s=facebook "
                "header.b=N5uvdv1C;\n       spf=pass (google.com: domain of "
                "prvs=1078cbd532=songliubraving@fb.com designates 67.231.145.42 as permitted "
                "sender) smtp.mailfrom=\"prvs=1078cbd532=songliubraving@fb.com\";\n"
                "       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=fb.com",
                &ar) == MT_OK);
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("fb.com")));

    /* softfail is not pass. */
    CHECK(parse(" mx.google.com;\n       spf=softfail (google.com: domain of transitioning "
                "stepan@pex.com does not designate 209.85.220.65 as permitted sender) "
                "smtp.mailfrom=stepan@pex.com;\n       dmarc=fail (p=NONE sp=NONE dis=NONE) "
                "header.from=pex.com",
                &ar) == MT_OK);
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("pex.com")));

    /* RFC 8601 appendix B: none, version, domain-only mailfrom, reason. */
    CHECK(parse(" example.org 1; none", &ar) == MT_OK);
    CHECK(is(ar.authserv_id, "example.org"));
    CHECK_INT(ar.version, 1);
    CHECK_INT(ar.n, 0);
    CHECK(parse(" example.com; spf=pass smtp.mailfrom=example.net", &ar) == MT_OK);
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("example.net")));
    CHECK(parse(" example.com;\n  auth=pass (cram-md5) smtp.auth=sender@example.net;\n"
                "  spf=pass smtp.mailfrom=example.net",
                &ar) == MT_OK);
    CHECK_INT(ar.n, 2);
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("example.net")));
    CHECK(parse(" example.com; sender-id=fail header.from=example.com; "
                "dkim=pass (good signature) header.d=example.com reason=\"good sig\"",
                &ar) == MT_OK);
    CHECK_INT(ar.n, 2);
    CHECK(is(ar.res[1].reason, "good sig"));

    /* postfix-policyd-spf-python style (Header_Type = AR). */
    CHECK(parse(" mx.example.org; spf=pass (sender SPF authorized) "
                "smtp.mailfrom=alice@sender.example (client-ip=192.0.2.1; helo=mx.sender.example;"
                " envelope-from=alice@sender.example; receiver=<UNKNOWN>)",
                &ar) == MT_OK);
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("sender.example")));

    /* Quoted authserv-id, method version, CFWS everywhere. */
    CHECK(parse(" \"mx.example.org\" (comment (nested)) 1 ; spf/1 = pass (x) smtp . mailfrom ="
                " u@d.example",
                &ar) == MT_OK);
    CHECK(is(ar.authserv_id, "mx.example.org"));
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));

    /* A malformed result is skipped, the next one still counts... */
    CHECK(parse(" mx.example.org; x-weird==; spf=pass smtp.mailfrom=u@d.example", &ar) == MT_OK);
    CHECK_INT(ar.n_bad, 1);
    CHECK(mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));
    /* ...but nothing malformed reads as pass. */
    CHECK(parse(" mx.example.org; spf=pass smtp.mailfrom", &ar) == MT_OK);
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));
    CHECK(parse(" mx.example.org; spf=pass smtp.mailfrom=u@d.example (unterminated", &ar) == MT_OK);
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));
    CHECK(parse(" mx.example.org; spf=pass smtp.helo=d.example", &ar) == MT_OK);
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));
    CHECK(parse(" mx.example.org; spf=fail smtp.mailfrom=u@d.example", &ar) == MT_OK);
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));
    /* Look-alike domains do not match. */
    CHECK(parse(" mx.example.org; spf=pass smtp.mailfrom=u@evil-d.example", &ar) == MT_OK);
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));
    CHECK(parse(" mx.example.org; spf=pass smtp.mailfrom=u@d.example.evil", &ar) == MT_OK);
    CHECK(!mt_authres_spf_pass(&ar, MT_SPAN_LIT("d.example")));

    /* Errors. */
    CHECK(parse("", &ar) == MT_EPARSE);
    CHECK(parse("   ", &ar) == MT_EPARSE);
    CHECK(parse(" ; spf=pass", &ar) == MT_EPARSE);
    CHECK(parse(" mx.example.org", &ar) == MT_EPARSE);
    CHECK(parse(" mx.example.org spf=pass", &ar) == MT_EPARSE);
    CHECK(parse(" (unterminated", &ar) == MT_EPARSE);
    {
        char many[2048] = " mx.example.org";
        int i;
        for (i = 0; i < 20; i++)
            strcat(many, "; spf=pass smtp.mailfrom=a@b.example");
        CHECK(parse(many, &ar) == MT_ELIMIT);
        CHECK_INT(ar.n, MT_AUTHRES_RESULTS);
    }
    return mt_test_done();
}
