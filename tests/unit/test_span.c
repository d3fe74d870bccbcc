/* test_span.c - spans and ASCII classes. */
#include "util/span.h"
#include "mt_test.h"

int
main(void)
{
    char buf[16];
    unsigned long v = 7;
    struct mt_span s = mt_span_cstr("  Hello World \r\n");

    CHECK(mt_span_ieq(mt_span_trim(s), "hello world"));
    CHECK(mt_span_istarts(mt_span_trim(s), "HELLO"));
    CHECK(!mt_span_starts(mt_span_trim(s), "HELLO"));
    CHECK(mt_span_iends(mt_span_trim(s), "WORLD"));
    CHECK_INT(mt_span_find(s, "World", 5), 8);
    CHECK_INT(mt_span_find(s, "world", 5), -1);
    CHECK_INT(mt_span_ifind(s, "world", 5), 8);
    CHECK_INT(mt_span_find(mt_span_cstr("aab"), "ab", 2), 1);
    CHECK(mt_span_to_ulong(mt_span_cstr("4294967295"), 4294967295UL, &v));
    CHECK_INT(v, 4294967295LL);
    CHECK(!mt_span_to_ulong(mt_span_cstr("4294967296"), 4294967295UL, &v));
    CHECK(!mt_span_to_ulong(mt_span_cstr(""), 10, &v));
    CHECK(!mt_span_to_ulong(mt_span_cstr("1a"), 10, &v));
    CHECK(mt_span_copy(mt_span_cstr("abc"), buf, 4));
    CHECK_STR(buf, "abc");
    CHECK(!mt_span_copy(mt_span_cstr("abcd"), buf, 4));
    CHECK(mt_span_copy_collapse(mt_span_cstr(" a\r\n\t b  c "), buf, sizeof(buf)));
    CHECK_STR(buf, "a b c");
    CHECK(!mt_span_copy_collapse(mt_span_cstr("aaaaaaaaaaaaaaaaaaaa"), buf, sizeof(buf)));
    CHECK(mt_span_eq(mt_span_unangle(mt_span_cstr("<a@b.example>")), mt_span_cstr("a@b.example")));
    CHECK(mt_span_eq(mt_span_unangle(mt_span_cstr("<>")), mt_span_cstr("")));
    CHECK(mt_span_eq(mt_span_unangle(mt_span_cstr("<a")), mt_span_cstr("<a")));
    CHECK(mt_span_eq(mt_span_unangle(mt_span_cstr(">")), mt_span_cstr(">")));
    CHECK(!mt_is_alpha(0xe9));
    CHECK(!mt_is_space(0xa0));
    return mt_test_done();
}
