/* test_notice.c - templates, the notice message, its headers and line lengths. */
#include "notice.h"
#include "mt_test.h"

static char out[MT_NOTICE_MAX + 4096];

/* Longest line of s (bytes, without the LF). */
static size_t
longest_line(const char *s)
{
    size_t best = 0, cur = 0;

    for (; *s != '\0'; s++) {
        if (*s == '\n') {
            if (cur > best)
                best = cur;
            cur = 0;
        } else
            cur++;
    }
    return cur > best ? cur : best;
}

/* The header block of a formatted notice (up to the empty line). */
static size_t
header_len(const char *s)
{
    const char *e = strstr(s, "\n\n");
    return e != NULL ? (size_t)(e - s) + 1 : 0;
}

/* Formats a notice with body; returns the status. */
static enum mt_status
fmt(const char *from, const char *to, const char *body, size_t *len)
{
    struct mt_notice n;

    memset(&n, 0, sizeof(n));
    n.from = from;
    n.to = to;
    n.date = 1751371200; /* 2025-07-01 12:00:00 UTC, a Tuesday */
    n.message_id = "<mailtls.1751371200.1234@mx.example.org>";
    n.body = body;
    n.body_len = strlen(body);
    return mt_notice_format(&n, out, sizeof(out), len, NULL);
}

int
main(void)
{
    struct mt_template_var vars[] = {
        { "domain", "sender.example" },
        { "helo", "evil\r\nBcc: x@y\x01" },
        { "empty", NULL },
    };
    char buf[1024], date[64];
    size_t len;
    struct mt_error err;
    const char *names[] = { "plaintext", "insecure", "deprecated", "legacy", "downgrade" };
    size_t i;

    /* Template expansion. */
    CHECK(mt_template_expand("mail from ${domain}.", 20, vars, 3, buf, sizeof(buf), &len, NULL) ==
          MT_OK);
    CHECK_STR(buf, "mail from sender.example.");
    CHECK_INT(len, strlen(buf));
    CHECK(mt_template_expand("$$5 and $x and ${empty}!", 24, vars, 3, buf, sizeof(buf), &len,
                             NULL) == MT_OK);
    CHECK_STR(buf, "$5 and $x and !");
    /* Control bytes in values become '?' (LF stays: lists of guides span lines). */
    CHECK(mt_template_expand("helo ${helo}", 12, vars, 3, buf, sizeof(buf), &len, NULL) == MT_OK);
    CHECK_STR(buf, "helo evil?\nBcc: x@y?");
    mt_error_clear(&err);
    CHECK(mt_template_expand("a\nb ${nosuch}", 13, vars, 3, buf, sizeof(buf), &len, &err) ==
          MT_EPARSE);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.col, 3);
    CHECK(strstr(err.msg, "nosuch") != NULL);
    CHECK(mt_template_expand("${domain", 8, vars, 3, buf, sizeof(buf), &len, NULL) == MT_EPARSE);
    CHECK(mt_template_expand("${}", 3, vars, 3, buf, sizeof(buf), &len, NULL) == MT_EPARSE);
    CHECK(mt_template_expand("${do main}", 10, vars, 3, buf, sizeof(buf), &len, NULL) == MT_EPARSE);
    CHECK(mt_template_expand("${domain}${domain}", 18, vars, 3, buf, 20, &len, NULL) == MT_ELIMIT);

    /* The date. */
    mt_notice_date(1751371200, date, sizeof(date));
    CHECK_STR(date, "Tue, 01 Jul 2025 12:00:00 +0000");
    mt_notice_date(0, date, sizeof(date));
    CHECK_STR(date, "Thu, 01 Jan 1970 00:00:00 +0000");
    mt_notice_date(951782400, date, sizeof(date)); /* leap day */
    CHECK_STR(date, "Tue, 29 Feb 2000 00:00:00 +0000");

    /* A short ASCII notice: every header, 7bit. */
    CHECK(fmt("postmaster@example.org", "alice@sender.example", "Hello.\n", &len) == MT_OK);
    CHECK(strncmp(out, "From: postmaster@example.org\nTo: alice@sender.example\n", 54) == 0);
    CHECK(strstr(out, "\nSubject: " MT_NOTICE_SUBJECT "\n") != NULL);
    CHECK(strstr(out, "\nDate: Tue, 01 Jul 2025 12:00:00 +0000\n") != NULL);
    CHECK(strstr(out, "\nMessage-ID: <mailtls.1751371200.1234@mx.example.org>\n") != NULL);
    CHECK(strstr(out, "\nAuto-Submitted: auto-replied\n") != NULL);
    CHECK(strstr(out, "\nMIME-Version: 1.0\n") != NULL);
    CHECK(strstr(out, "\nContent-Type: text/plain; charset=utf-8\n") != NULL);
    CHECK(strstr(out, "\nContent-Transfer-Encoding: 7bit\n\nHello.\n") != NULL);
    CHECK_INT(len, strlen(out));

    /* UTF-8 body: 8bit; long lines wrapped at words, indentation kept. */
    CHECK(fmt("postmaster@example.org", "alice@sender.example",
              "Grüße! This line is long enough that it has to be wrapped somewhere before the "
              "seventy-eighth column, and then once more for good measure, yes.\n"
              "    an indented line that is also much too long to stay on one line in a "
              "notice body\n",
              &len) == MT_OK);
    CHECK(strstr(out, "Content-Transfer-Encoding: 8bit") != NULL);
    CHECK(longest_line(out) <= 78);
    CHECK(strstr(out, "\n    notice body\n") != NULL);

    /* A word longer than 78 (a URL): quoted-printable, every line <= 76. */
    CHECK(fmt("postmaster@example.org", "alice@sender.example",
              "See https://guides.example/a/very/long/path/that/goes/on/and/on/for/ever/and/ever"
              "/index.html?x=1&y=2 for details.\nÄ\n",
              &len) == MT_OK);
    CHECK(strstr(out, "Content-Transfer-Encoding: quoted-printable") != NULL);
    CHECK(longest_line(out + header_len(out)) <= 76);
    CHECK(strstr(out, "x=3D1") != NULL);
    CHECK(strstr(out, "=C3=84") != NULL);

    /* A bare CR in the body (found by fuzzing) is never sent raw. */
    CHECK(fmt("postmaster@example.org", "alice@sender.example", "a\rb: c\r\nd\n", &len) == MT_OK);
    CHECK(strstr(out, "Content-Transfer-Encoding: quoted-printable") != NULL);
    CHECK(strstr(out, "a=0Db: c\nd\n") != NULL);
    CHECK(fmt("postmaster@example.org", "alice@sender.example", "crlf\r\nlines\r\n", &len) ==
          MT_OK);
    CHECK(strstr(out, "Content-Transfer-Encoding: 7bit\n\ncrlf\nlines\n") != NULL);

    /* Header injection through addresses is refused, nothing written. */
    CHECK(fmt("postmaster@example.org", "alice@sender.example\nBcc: v@x.example", "x\n", &len) ==
          MT_EPARSE);
    CHECK_STR(out, "");
    CHECK(fmt("postmaster@example.org", "alice@sender.example\r", "x\n", &len) == MT_EPARSE);
    CHECK(fmt("postmaster@example.org", "-t@sender.example", "x\n", &len) == MT_EPARSE);
    CHECK(fmt("Postmaster <postmaster@example.org>", "a@sender.example", "x\n", &len) == MT_EPARSE);
    CHECK(fmt("postmaster@example.org", NULL, "x\n", &len) == MT_EPARSE);
    /* Invalid UTF-8 and NUL in the body. */
    CHECK(fmt("postmaster@example.org", "a@sender.example", "bad \xc3\x28 utf8\n", &len) ==
          MT_EPARSE);
    CHECK(fmt("postmaster@example.org", "a@sender.example", "overlong \xc0\xaf\n", &len) ==
          MT_EPARSE);
    {
        struct mt_notice n;
        memset(&n, 0, sizeof(n));
        n.from = "postmaster@example.org";
        n.to = "a@sender.example";
        n.message_id = "<x@y>";
        n.body = "a\0b";
        n.body_len = 3;
        CHECK(mt_notice_format(&n, out, sizeof(out), &len, NULL) == MT_EPARSE);
        n.body_len = 1;
        n.message_id = "<x\n@y>";
        CHECK(mt_notice_format(&n, out, sizeof(out), &len, NULL) == MT_EPARSE);
        n.message_id = "<x@y>";
        n.subject = "Injected\nBcc: x@y";
        CHECK(mt_notice_format(&n, out, sizeof(out), &len, NULL) == MT_EPARSE);
        n.subject = NULL;
        CHECK(mt_notice_format(&n, out, 100, &len, NULL) == MT_ELIMIT);
    }

    /* Every built-in template expands with the variables notify provides. */
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        static const struct mt_template_var all[] = {
            { "recipient", "alice@sender.example" },
            { "sender", "alice@sender.example" },
            { "domain", "sender.example" },
            { "date", "Tue, 01 Jul 2025 12:00:00 +0000" },
            { "client_ip", "192.0.2.10" },
            { "client_name", "mx.sender.example" },
            { "client_helo", "mx.sender.example" },
            { "our_host", "mx.example.org" },
            { "protocol", "TLSv1.0" },
            { "cipher", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
            { "verdict", "deprecated" },
            { "reasons", "TLS 1.0 or 1.1" },
            { "guides", "  https://guides.example/tls" },
            { "contact", "postmaster@example.org" },
            { "interval", "30 days" },
            { "scope", "domain" },
            { "last_tls", "Mon, 30 Jun 2025 12:00:00 +0000" },
            { "queue_id", "4ABC123" },
        };
        const char *t = mt_notice_builtin(names[i]);
        static char body[MT_NOTICE_MAX];
        CHECK(t != NULL);
        if (t == NULL)
            continue;
        CHECK(mt_template_expand(t, strlen(t), all, sizeof(all) / sizeof(all[0]), body,
                                 sizeof(body), &len, NULL) == MT_OK);
        CHECK(fmt("postmaster@example.org", "alice@sender.example", body, &len) == MT_OK);
        CHECK(longest_line(out) <= 78);
        CHECK(strstr(out, "sender.example") != NULL);
    }
    CHECK(mt_notice_builtin("nosuch") == NULL);
    return mt_test_done();
}
