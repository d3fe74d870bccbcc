/* test_header.c - header fields of a message: folding, line ends, the end of the block. */
#include <stdlib.h>
#include <string.h>

#include "header.h"
#include "mt_test.h"

static char sb[512];

/* A span as a C string (folding kept). */
static const char *
S(struct mt_span s)
{
    if (!mt_span_copy(s, sb, sizeof(sb)))
        return "(too long)";
    return sb;
}

/* Folded fields, CR LF and LF, the empty line, and what follows it. */
static void
test_fields(void)
{
    static const char msg[] = "Return-Path: <a@b.example>\r\n"
                              "Received: from x.example (x.example [192.0.2.1])\r\n"
                              "\tby y.example (Postfix) with ESMTPS id 1\r\n"
                              " ; Tue,  3 Jun 2025 10:18:35 +0200\r\n"
                              "Subject:no space\n"
                              "X-Empty:\n"
                              "received :obsolete space before the colon\n"
                              "\r\n"
                              "Body-Looks-Like: a header\n";
    struct mt_header_iter it;
    struct mt_field f;
    struct mt_error err;

    mt_header_iter_init(&it, msg, sizeof(msg) - 1);
    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK(mt_field_is(&f, "return-path"));
    CHECK_STR(S(f.value), " <a@b.example>");
    CHECK_INT(f.line, 1);
    CHECK_INT(f.offset, 0);

    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK(mt_field_is(&f, "Received"));
    CHECK_STR(S(f.value), " from x.example (x.example [192.0.2.1])\r\n"
                          "\tby y.example (Postfix) with ESMTPS id 1\r\n"
                          " ; Tue,  3 Jun 2025 10:18:35 +0200");
    CHECK_INT(f.line, 2);
    CHECK_INT(f.offset, 28);

    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK(mt_field_is(&f, "Subject"));
    CHECK_STR(S(f.value), "no space");
    CHECK_INT(f.line, 5);

    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK(mt_field_is(&f, "X-Empty"));
    CHECK_INT(f.value.len, 0);

    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK_STR(S(f.name), "received");
    CHECK(mt_field_is(&f, "Received"));
    CHECK_STR(S(f.value), "obsolete space before the colon");
    CHECK_INT(f.line, 7);

    CHECK(mt_header_next(&it, &f, &err) == MT_NOTFOUND);
    CHECK(it.done);
    CHECK(mt_header_next(&it, &f, &err) == MT_NOTFOUND);
}

/* Lines that are not fields are reported with their line and skipped. */
static void
test_bad_lines(void)
{
    static const char msg[] = "From someone@example.org Tue Jun  3 10:18:35 2025\n"
                              " stray continuation\n"
                              ": no name\n"
                              "Subject: ok\n"
                              "last: no newline";
    struct mt_header_iter it;
    struct mt_field f;
    struct mt_error err;

    mt_header_iter_init(&it, msg, sizeof(msg) - 1);
    CHECK(mt_header_next(&it, &f, &err) == MT_EPARSE);
    CHECK_INT(err.line, 1);
    CHECK(strstr(err.msg, "line 1") != NULL);
    CHECK(mt_header_next(&it, &f, &err) == MT_EPARSE);
    CHECK_INT(err.line, 2);
    CHECK(mt_header_next(&it, &f, NULL) == MT_EPARSE);
    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK(mt_field_is(&f, "Subject"));
    CHECK_INT(f.line, 4);
    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK_STR(S(f.value), " no newline");
    CHECK(mt_header_next(&it, &f, &err) == MT_NOTFOUND);
}

/* An overlong field is MT_ELIMIT and skipped; the next field is still read. */
static void
test_limit(void)
{
    size_t n = MT_HEADER_FIELD_MAX + 100, k;
    char *buf = malloc(n + 64);
    struct mt_header_iter it;
    struct mt_field f;
    struct mt_error err;

    CHECK(buf != NULL);
    if (buf == NULL)
        return;
    memcpy(buf, "Received: x", 11);
    for (k = 11; k < n; k++)
        buf[k] = (k % 70 == 0) ? '\n' : (k % 70 == 1 ? ' ' : 'a');
    memcpy(buf + n, "\nSubject: after\n\n", 17);
    mt_header_iter_init(&it, buf, n + 17);
    CHECK(mt_header_next(&it, &f, &err) == MT_ELIMIT);
    CHECK(mt_field_is(&f, "Received"));
    CHECK_INT(err.line, 1);
    CHECK(mt_header_next(&it, &f, &err) == MT_OK);
    CHECK(mt_field_is(&f, "Subject"));
    CHECK(mt_header_next(&it, &f, &err) == MT_NOTFOUND);
    free(buf);
}

/* The length of the header block. */
static void
test_block_len(void)
{
    bool complete = false;

    CHECK_INT(mt_header_block_len("A: b\n\nbody", 10, &complete), 6);
    CHECK(complete);
    CHECK_INT(mt_header_block_len("A: b\r\n c\r\n\r\nbody", 16, &complete), 12);
    CHECK(complete);
    CHECK_INT(mt_header_block_len("\nbody", 5, &complete), 1);
    CHECK(complete);
    CHECK_INT(mt_header_block_len("A: b\nC: d\n", 10, &complete), 10);
    CHECK(!complete);
    CHECK_INT(mt_header_block_len("A: b", 4, &complete), 4);
    CHECK(!complete);
    CHECK_INT(mt_header_block_len(NULL, 0, &complete), 0);
    CHECK(!complete);
}

int
main(void)
{
    test_fields();
    test_bad_lines();
    test_limit();
    test_block_len();
    return mt_test_done();
}
