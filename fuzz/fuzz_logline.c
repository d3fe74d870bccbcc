/*
 * fuzz_logline.c - every line splitter and MTA message parser on arbitrary
 * input: the data is split into lines, each line goes through
 * mt_logline_parse() and then through each dialect's parser, whatever its
 * program name says. Nothing may crash, hang or read out of bounds.
 */
#include <stdint.h>
#include <string.h>

#include "exim.h"
#include "logline.h"
#include "opensmtpd.h"
#include "postfix.h"
#include "sendmail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One line through every parser. */
static void
one_line(struct mt_logclock *clk, const char *p, size_t n)
{
    struct mt_logline l;
    struct mt_pf_rec r;
    struct mt_ex_rec ex;
    struct mt_sm_rec sm;
    struct mt_os_rec os;
    struct mt_tls t;

    (void)mt_logline_parse(clk, p, n, &l, NULL);
    mt_postfix_parse(l.program, l.msg, &r);
    if (r.kind == MT_PF_TLS_IN || r.kind == MT_PF_TLS_OUT)
        mt_postfix_tls(&r, &t);
    (void)mt_postfix_is_program(l.program);
    mt_exim_parse(l.msg, &ex);
    mt_exim_tls(&ex, &t);
    mt_sendmail_parse(l.msg, &sm);
    if (sm.kind == MT_SM_STARTTLS)
        mt_sendmail_tls(&sm, &t);
    mt_opensmtpd_parse(l.msg, &os);
    if (os.kind == MT_OS_TLS)
        mt_opensmtpd_tls(&os, &t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_logclock clk;
    const char *p = (const char *)data, *end = p + size;

    mt_logclock_init(&clk, 1767225600, 3600);
    clk.allow_bare = size > 0 && (data[0] & 1);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        one_line(&clk, p, n);
        p += n + 1;
    }
    return 0;
}
