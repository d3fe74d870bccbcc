/* test_address.c - which addresses may go into a header and an argv. */
#include "address.h"
#include "mt_test.h"

/* True when s passes mt_address_check. */
static int
ok(const char *s)
{
    return mt_address_check(mt_span_cstr(s), NULL, NULL) == MT_OK;
}

int
main(void)
{
    static const char *good[] = {
        "user@example.org",   "first.last@mail.example.co.uk",         "user+tag@example.org",
        "o'brien@example.ie", "prvs=1078cbd532=songliubraving@fb.com", "x@a-b.example",
        "UPPER@EXAMPLE.ORG",
    };
    static const char *bad[] = {
        "",
        "userexample.org",
        "-oQ/tmp/x@example.org",
        "-f@example.org",
        "a@b@example.org",
        "user@example.org\r\nBcc: victim@example.net",
        "user@example.org\nX: y",
        "user\r@example.org",
        "us\ter@example.org",
        "user@localhost",
        "user@[192.0.2.1]",
        "\"quoted\"@example.org",
        "Name <user@example.org>",
        "user@example.org, other@example.net",
        "user;x@example.org",
        "user@-example.org",
        "user@example-.org",
        "user@example..org",
        ".user@example.org",
        "user.@example.org",
        "us..er@example.org",
        "user@example.org.",
        "us er@example.org",
        "user@exa_mple.org",
        "\xc3\xa9t\xc3\xa9@example.org",
        "user@\xc3\xa9xample.org",
        "(comment)user@example.org",
        "user@",
        "@example.org",
    };
    char big[400];
    struct mt_span d;
    struct mt_error err;
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        if (!ok(good[i]))
            fprintf(stderr, "refused: %s\n", good[i]);
        CHECK(ok(good[i]));
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (ok(bad[i]))
            fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK(!ok(bad[i]));
    }
    /* NUL inside the span. */
    CHECK(mt_address_check(mt_span("a\0b@example.org", 15), NULL, NULL) == MT_EPARSE);

    /* Length limits: local part 64, whole 254. */
    memset(big, 'a', 64);
    strcpy(big + 64, "@example.org");
    CHECK(ok(big));
    memset(big, 'a', 65);
    strcpy(big + 65, "@example.org");
    CHECK(!ok(big));
    memset(big, 'a', sizeof(big));
    memcpy(big, "a@", 2);
    for (i = 2; i < 300; i += 10)
        big[i + 9] = '.';
    big[300] = '\0';
    big[299] = 'x';
    CHECK(!ok(big));

    mt_error_clear(&err);
    CHECK(mt_address_check(mt_span_cstr("-x@example.org"), NULL, &err) == MT_EPARSE);
    CHECK(strstr(err.msg, "'-'") != NULL);

    CHECK(mt_address_check(mt_span_cstr("u@Example.ORG"), &d, NULL) == MT_OK);
    CHECK(mt_span_eq(d, MT_SPAN_LIT("Example.ORG")));
    CHECK(mt_span_eq(mt_address_domain(mt_span_cstr("a@b@c.d")), MT_SPAN_LIT("c.d")));
    CHECK(mt_address_domain(mt_span_cstr("nodomain")).len == 0);
    CHECK(mt_span_eq(mt_address_local(mt_span_cstr("a+b@c.d")), MT_SPAN_LIT("a+b")));
    CHECK(mt_domain_eq(MT_SPAN_LIT("Example.ORG."), MT_SPAN_LIT("example.org")));
    CHECK(!mt_domain_eq(MT_SPAN_LIT("example.org"), MT_SPAN_LIT("example.org.uk")));
    CHECK(mt_domain_check(MT_SPAN_LIT("mail.example.org"), NULL) == MT_OK);
    CHECK(mt_domain_check(MT_SPAN_LIT("example"), NULL) == MT_EPARSE);
    {
        char low[64];
        CHECK(mt_address_lower(MT_SPAN_LIT("User@Example.ORG"), low, sizeof(low)));
        CHECK_STR(low, "user@example.org");
        CHECK(!mt_address_lower(MT_SPAN_LIT("User@Example.ORG"), low, 5));
    }
    return mt_test_done();
}
