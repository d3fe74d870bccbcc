/* test_when.c - --since/--until arguments. */
#include "util/when.h"
#include "mt_test.h"

int
main(void)
{
    const int64_t now = 1729700000;
    int64_t t = 0;
    struct mt_error err;

    CHECK_INT(mt_when_parse("2024-10-23", 10, now, &t, NULL), MT_OK);
    CHECK_INT(t, 1729641600);
    CHECK_INT(mt_when_parse("2024-10-23T12:00", 16, now, &t, NULL), MT_OK);
    CHECK_INT(t, 1729641600 + 12 * 3600);
    CHECK_INT(mt_when_parse("2024-10-23 12:00:30Z", 20, now, &t, NULL), MT_OK);
    CHECK_INT(t, 1729641600 + 12 * 3600 + 30);
    CHECK_INT(mt_when_parse("2000-02-29", 10, now, &t, NULL), MT_OK);
    CHECK_INT(t, 951782400);
    CHECK_INT(mt_when_parse("1970-01-01", 10, now, &t, NULL), MT_OK);
    CHECK_INT(t, 0);
    CHECK_INT(mt_when_parse("7d", 2, now, &t, NULL), MT_OK);
    CHECK_INT(t, now - 7 * 86400);
    CHECK_INT(mt_when_parse("12h", 3, now, &t, NULL), MT_OK);
    CHECK_INT(t, now - 12 * 3600);
    CHECK_INT(mt_when_parse("2w", 2, now, &t, NULL), MT_OK);
    CHECK_INT(t, now - 14 * 86400);
    CHECK_INT(mt_when_parse("90", 2, now, &t, NULL), MT_OK);
    CHECK_INT(t, now - 90);
    /* Refused, with a message. */
    CHECK_INT(mt_when_parse("2023-02-29", 10, now, &t, &err), MT_EPARSE);
    CHECK(strstr(err.msg, "no such date") != NULL);
    CHECK_INT(mt_when_parse("2024-10-23T25:00", 16, now, &t, &err), MT_EPARSE);
    CHECK_INT(mt_when_parse("yesterday", 9, now, &t, &err), MT_EPARSE);
    CHECK(strstr(err.msg, "expected a date") != NULL);
    CHECK_INT(mt_when_parse("7y", 2, now, &t, NULL), MT_EPARSE);
    CHECK_INT(mt_when_parse("", 0, now, &t, NULL), MT_EPARSE);
    CHECK_INT(mt_when_parse("2024-10-23x", 11, now, &t, NULL), MT_EPARSE);
    CHECK_INT(mt_when_parse("24-10-23", 8, now, &t, NULL), MT_EPARSE);
    return mt_test_done();
}
