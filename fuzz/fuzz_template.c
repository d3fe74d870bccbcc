/*
 * fuzz_template.c - template expansion and notice formatting on arbitrary
 * bytes (the template an admin may write). Whatever the template, a notice
 * that formats must keep its header block intact: the body cannot add a
 * header, every line is at most 78 bytes, and the first empty line comes
 * right after Content-Transfer-Encoding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notice.h"

static char body[MT_NOTICE_MAX + 1];
static char msg[MT_NOTICE_MAX * 4];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct mt_template_var vars[] = {
        { "domain", "sender.example" },
        { "helo", "evil\r\nBcc: victim@example.net" },
        { "empty", NULL },
        { "long", "https://guides.example/a/very/long/path/that/goes/on/and/on/for/ever/and/"
                  "ever/and/still/goes/on" },
    };
    struct mt_notice n;
    size_t blen = 0, mlen = 0, i, col = 0;
    const char *hdr_end, *cte;

    if (mt_template_expand((const char *)data, size, vars, 4, body, sizeof(body), &blen, NULL) !=
        MT_OK)
        return 0;
    if (blen >= sizeof(body) || body[blen] != '\0')
        abort();
    memset(&n, 0, sizeof(n));
    n.from = "postmaster@example.org";
    n.to = "alice@sender.example";
    n.date = 1751371200;
    n.message_id = "<x.1@mx.example.org>";
    n.body = body;
    n.body_len = blen;
    if (mt_notice_format(&n, msg, sizeof(msg), &mlen, NULL) != MT_OK)
        return 0;
    if (mlen != strlen(msg))
        abort();
    for (i = 0; i < mlen; i++) {
        if (msg[i] == '\n') {
            col = 0;
            continue;
        }
        if (msg[i] == '\r' || msg[i] == '\0' || ++col > 78)
            abort();
    }
    hdr_end = strstr(msg, "\n\n");
    cte = strstr(msg, "\nContent-Transfer-Encoding: ");
    if (hdr_end == NULL || cte == NULL || strchr(cte + 1, '\n') != hdr_end)
        abort();
    return 0;
}
