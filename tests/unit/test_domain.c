/* test_domain.c - registrable-looking domains of host names. */
#include "domain.h"
#include "mt_test.h"

/* The domain of host as a string (static buffer). */
static const char *
dom(const char *host)
{
    static char buf[256];
    struct mt_span d = mt_domain_registrable(mt_span_cstr(host));

    CHECK(mt_span_copy(d, buf, sizeof(buf)));
    return buf;
}

int
main(void)
{
    CHECK_STR(dom("mail-ed1-f44.google.com"), "google.com");
    CHECK_STR(dom("google.com"), "google.com");
    CHECK_STR(dom("a.b.c.example.org."), "example.org");
    CHECK_STR(dom("mx.bbc.co.uk"), "bbc.co.uk");
    CHECK_STR(dom("bbc.co.uk"), "bbc.co.uk");
    CHECK_STR(dom("MX1.Example.CO.UK"), "Example.CO.UK");
    CHECK_STR(dom("mail.uni.edu.au"), "uni.edu.au");
    CHECK_STR(dom("co.uk"), "");
    CHECK_STR(dom("localhost"), "");
    CHECK_STR(dom("unknown"), "");
    CHECK_STR(dom(""), "");
    CHECK_STR(dom("."), "");
    CHECK_STR(dom("192.0.2.1"), "");
    CHECK_STR(dom("2001:db8::1"), "");
    CHECK_STR(dom("[192.0.2.1]"), "");
    CHECK_STR(dom("a..example.org"), "");
    CHECK_STR(dom(".example.org"), "");
    CHECK_STR(dom("mx01.mail.icloud.com"), "icloud.com");
    CHECK_STR(dom("foo.github.io"), "github.io");
    return mt_test_done();
}
