/*
 * mt_test.h - the minimal harness of the C unit tests.
 *
 * CHECK(cond) records a failure with file and line and goes on (CHECK_STR,
 * CHECK_INT and CHECK_SPAN compare and print both values); a test
 * program ends with `return mt_test_done();`, which prints a summary and
 * returns 0 when every check passed, 1 otherwise (meson's test protocol;
 * 77 = skipped is returned by tests themselves, with the reason on stderr).
 */
#ifndef MT_TEST_H
#define MT_TEST_H

#include <stdio.h>
#include <string.h>

static int mt_test_checks, mt_test_failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        mt_test_checks++;                                                                          \
        if (!(cond)) {                                                                             \
            mt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        mt_test_checks++;                                                                          \
        if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) {                           \
            mt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,      \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                       \
        }                                                                                          \
    } while (0)

#define CHECK_INT(got, want)                                                                       \
    do {                                                                                           \
        long long g_ = (long long)(got), w_ = (long long)(want);                                   \
        mt_test_checks++;                                                                          \
        if (g_ != w_) {                                                                            \
            mt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
        }                                                                                          \
    } while (0)

/* For files that include util/span.h: the span got holds exactly the string want. */
#define CHECK_SPAN(got, want)                                                                      \
    do {                                                                                           \
        struct mt_span g_ = (got);                                                                 \
        const char *w_ = (want);                                                                   \
        mt_test_checks++;                                                                          \
        if (g_.len != strlen(w_) || (g_.len > 0 && memcmp(g_.p, w_, g_.len) != 0)) {               \
            mt_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s: got \"%.*s\", want \"%s\"\n", __FILE__, __LINE__, #got,    \
                    (int)g_.len, g_.len > 0 ? g_.p : "", w_);                                      \
        }                                                                                          \
    } while (0)

static inline int
mt_test_done(void)
{
    fprintf(stderr, "%d checks, %d failed\n", mt_test_checks, mt_test_failures);
    return mt_test_failures == 0 ? 0 : 1;
}

#endif
