/* test_mbox.c - splitting mboxes and one-message streams into header blocks. */
#include <stdlib.h>

#include "mbox.h"
#include "mt_test.h"

#define OUT_MAX 4096

/*
 * Runs the iterator over text fed in pieces of chunk bytes (0: all at once)
 * the way the reader does, and writes one line per event into out:
 * "M<index>[m] <header>" (header newlines shown as '|') or
 * "E<index> <status> <message>".
 */
static void
run(const char *text, size_t len, size_t chunk, enum mt_mbox_mode mode, char *out)
{
    size_t cap = MT_MBOX_WINDOW + (chunk ? chunk : len) + 1;
    char *buf = malloc(cap);
    size_t have = 0, fed = 0, consumed, o = 0, i;
    struct mt_mbox m;
    struct mt_mbox_msg msg;
    bool eof = false;
    int guard = 0;

    out[0] = '\0';
    mt_mbox_init(&m, mode);
    for (;;) {
        enum mt_mbox_event ev = mt_mbox_next(&m, buf, have, eof, &consumed, &msg);
        if (ev == MT_MBOX_MESSAGE) {
            o += (size_t)snprintf(out + o, OUT_MAX - o, "M%zu%s ", msg.index,
                                  msg.in_mbox ? "m" : "");
            for (i = 0; i < msg.header_len && o + 2 < OUT_MAX; i++)
                out[o++] = msg.header[i] == '\n' ? '|' : msg.header[i];
            out[o++] = '\n';
            out[o] = '\0';
        } else if (ev == MT_MBOX_ERROR) {
            o += (size_t)snprintf(out + o, OUT_MAX - o, "E%zu %d %s\n", msg.index,
                                  (int)msg.err.status, msg.err.msg);
        }
        CHECK(consumed <= have);
        memmove(buf, buf + consumed, have - consumed);
        have -= consumed;
        if (ev == MT_MBOX_END)
            break;
        if (ev == MT_MBOX_NEED) {
            size_t n = chunk ? chunk : len;
            if (n > len - fed)
                n = len - fed;
            CHECK(!eof);
            if (eof)
                break;
            CHECK(have + n <= cap);
            memcpy(buf + have, text + fed, n);
            have += n;
            fed += n;
            eof = fed == len;
        }
        if (++guard > 10000000) {
            CHECK(!"no progress");
            break;
        }
    }
    free(buf);
}

/* Checks that every chunking gives the expected events. */
static void
expect(const char *text, size_t len, enum mt_mbox_mode mode, const char *want)
{
    static const size_t chunks[] = { 0, 1, 2, 3, 5, 6, 7, 13, 64, 1000 };
    char got[OUT_MAX];
    size_t k;

    for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        run(text, len, chunks[k], mode, got);
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "chunk %zu: got:\n%s\nwant:\n%s\n", chunks[k], got, want);
            CHECK(0);
            return;
        }
    }
    CHECK(1);
}

#define EXPECT(text, mode, want) expect(text, sizeof(text) - 1, mode, want)

int
main(void)
{
    /* One message: header up to the empty line; a "From " line at the top is skipped. */
    EXPECT("Received: from a by b; x\nSubject: hi\n\nbody\nFrom me 10:00\n", MT_MBOX_AUTO,
           "M1 Received: from a by b; x|Subject: hi|\n");
    EXPECT("From nobody\nSubject: hi\r\n\r\nbody\n", MT_MBOX_AUTO, "M1 Subject: hi\r|\n");
    EXPECT("Subject: no body, no empty line\n", MT_MBOX_AUTO,
           "M1 Subject: no body, no empty line|\n");
    EXPECT("Subject: no newline", MT_MBOX_AUTO, "M1 Subject: no newline\n");
    /* Maildir files are single messages even when they start with a postmark. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\nSubject: x\n\nFrom b Mon Jan  1 00:00:00 2024\n",
           MT_MBOX_SINGLE, "M1 Subject: x|\n");
    /* An empty stream holds no messages. */
    EXPECT("", MT_MBOX_AUTO, "");

    /* An mbox: bodies with lines that are not From_ lines, and >From quoting. */
    EXPECT("From a@x Mon Jan  1 00:00:00 2024\n"
           "Subject: one\n"
           "\n"
           "From here on, no postmark.\n"
           ">From b Mon Jan  1 00:00:00 2024\n"
           "\n"
           "From b@y Tue Jan  2 10:11:12 2024\n"
           "Subject: two\n"
           "X: y\n"
           "\n"
           "\n"
           "From c@z Wed Jan  3 10:11:12 2024\n"
           "Subject: three\n"
           "\n"
           "last\n",
           MT_MBOX_AUTO, "M1m Subject: one|\nM2m Subject: two|X: y|\nM3m Subject: three|\n");
    /* CR LF mbox, empty bodies, a From_ line right after the header. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\r\nSubject: one\r\n\r\n"
           "From b Mon Jan  1 00:00:00 2024\r\nSubject: two\r\n"
           "From c Mon Jan  1 00:00:00 2024\r\nSubject: three\r\n\r\n",
           MT_MBOX_AUTO, "M1m Subject: one\r|\nM2m Subject: two\r|\nM3m Subject: three\r|\n");

    /* Content-Length consistent: an unquoted From_ line in the body does not split. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\n"
           "Content-Length: 35\n"
           "\n"
           "From x Mon Jan  1 00:00:00 2024\n"
           "ab\n"
           "From b Mon Jan  1 00:00:00 2024\n"
           "Subject: two\n"
           "\n",
           MT_MBOX_AUTO, "M1m Content-Length: 35|\nM2m Subject: two|\n");
    /* ... with the blank separator line after the body, and at the end of the stream. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\n"
           "content-length:  35 \n"
           "\n"
           "From x Mon Jan  1 00:00:00 2024\n"
           "ab\n"
           "\n"
           "From b Mon Jan  1 00:00:00 2024\n"
           "Content-Length: 3\n"
           "\n"
           "end",
           MT_MBOX_AUTO, "M1m content-length:  35 |\nM2m Content-Length: 3|\n");
    /* Content-Length inconsistent: From_ lines decide. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\n"
           "Content-Length: 10\n"
           "\n"
           "short\n"
           "From b Mon Jan  1 00:00:00 2024\n"
           "Subject: two\n"
           "\n",
           MT_MBOX_AUTO, "M1m Content-Length: 10|\nM2m Subject: two|\n");
    /* Two Content-Length fields: neither is trusted. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\n"
           "Content-Length: 35\n"
           "Content-Length: 35\n"
           "\n"
           "From x Mon Jan  1 00:00:00 2024\n"
           "ab\n"
           "From b Mon Jan  1 00:00:00 2024\n"
           "Subject: two\n"
           "\n",
           MT_MBOX_AUTO,
           "M1m Content-Length: 35|Content-Length: 35|\nE2 2 not a mail message: it does not "
           "start with a header field\nM3m Subject: two|\n");
    /* Content-Length past the end: truncated. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\nContent-Length: 100\n\nshort\n", MT_MBOX_AUTO,
           "M1m Content-Length: 100|\n"
           "E1 2 truncated: the stream ends before the body's Content-Length\n");

    /* Truncated last messages. */
    EXPECT("From a Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody without newline", MT_MBOX_AUTO,
           "M1m Subject: one|\nE1 2 truncated: the last line has no newline\n");
    EXPECT("From a Mon Jan  1 00:00:00 2024\nSubject: one\nReceived: from", MT_MBOX_AUTO,
           "M1m Subject: one|Received: from\n"
           "E1 2 truncated: the stream ends inside the header\n");
    EXPECT("From a Mon Jan  1 00:00:00 2024", MT_MBOX_AUTO, "E1 2 not a mail message: no header\n");

    /* Not mail: binary data, a NUL byte; the next message is still found. */
    EXPECT("\x7f\x45LF\x02\x01\x01\0\0\0binary\n", MT_MBOX_AUTO,
           "E1 2 not a mail message: it does not start with a header field\n");
    {
        static const char nul[] = "From a Mon Jan  1 00:00:00 2024\n"
                                  "Subject: x\0y\n"
                                  "\n"
                                  "From b Mon Jan  1 00:00:00 2024\n"
                                  "Subject: two\n"
                                  "\n";
        expect(nul, sizeof(nul) - 1, MT_MBOX_AUTO,
               "E1 2 not a mail message: NUL byte in the header\nM2m Subject: two|\n");
    }

    /* A header over the ceiling is skipped; the next message is found. */
    {
        size_t big = MT_MBOX_HEADER_MAX + 100, n = 0, i;
        char *t = malloc(big + 400);
        static const char head[] = "From a Mon Jan  1 00:00:00 2024\nX-Big: ";
        static const char tail[] = "\n\nbody\nFrom b Mon Jan  1 00:00:00 2024\nSubject: two\n\n";
        char got[OUT_MAX];
        memcpy(t, head, sizeof(head) - 1);
        n = sizeof(head) - 1;
        for (i = 0; i < big; i++)
            t[n++] = (i % 70 == 69) ? '\n' : (i % 70 == 0 ? ' ' : 'a');
        memcpy(t + n, tail, sizeof(tail) - 1);
        n += sizeof(tail) - 1;
        run(t, n, 0, MT_MBOX_AUTO, got);
        CHECK_STR(got, "E1 3 header longer than 1 MiB (message skipped)\nM2m Subject: two|\n");
        run(t, n, 4096, MT_MBOX_AUTO, got);
        CHECK_STR(got, "E1 3 header longer than 1 MiB (message skipped)\nM2m Subject: two|\n");
        /* One line of 1 MiB without a newline. */
        memset(t + sizeof(head) - 1, 'a', big);
        run(t, n, 65536, MT_MBOX_AUTO, got);
        CHECK_STR(got, "E1 3 header longer than 1 MiB (message skipped)\nM2m Subject: two|\n");
        /* The same as a single message. */
        run(t + 32, n - 32, 65536, MT_MBOX_AUTO, got);
        CHECK_STR(got, "E1 3 header longer than 1 MiB (message skipped)\n");
        free(t);
    }

    /*
     * The block searches at every alignment: the From_ line, the empty line
     * ending a header and a Content-Length line at each offset of 32-byte
     * vectors, with and without "\nF" decoys before them.
     */
    {
        char text[512], got[OUT_MAX];
        size_t off, n, i;
        for (off = 0; off < 80; off++) {
            n = (size_t)snprintf(text, sizeof(text),
                                 "From a Mon Jan  1 00:00:00 2024\nSubject: one\n\n");
            for (i = 0; i < off; i++)
                text[n++] = (i % 9 == 8) ? '\n' : (i % 9 == 0 && i > 0 ? 'F' : 'x');
            n += (size_t)snprintf(text + n, sizeof(text) - n,
                                  "\nFrom b Mon Jan  1 00:00:00 2024\nX-A: 1");
            for (i = 0; i < off; i++)
                text[n++] = (i % 7 == 6 && i + 1 < off) ? '\n' : (i % 7 == 0 ? 'F' : 'y');
            n += (size_t)snprintf(text + n, sizeof(text) - n,
                                  "\nContent-Length: 2\n\nab\nFrom c Mon Jan  1 00:00:00 2024\n"
                                  "Subject: three\n\n");
            run(text, n, 0, MT_MBOX_AUTO, got);
            if (strstr(got, "M1m Subject: one|") == NULL || strstr(got, "M2m X-A: 1") == NULL ||
                strstr(got, "Content-Length: 2|\nM3m Subject: three|\n") == NULL) {
                fprintf(stderr, "offset %zu:\n%s\n", off, got);
                CHECK(0);
            }
        }
    }

    /* Offsets: each message's From_ line. */
    {
        static const char two[] = "From a Mon Jan  1 00:00:00 2024\nA: 1\n\nx\n"
                                  "From b Mon Jan  1 00:00:00 2024\nB: 2\n\n";
        struct mt_mbox m;
        struct mt_mbox_msg msg;
        size_t consumed, off = 0;
        int seen = 0;
        enum mt_mbox_event ev;
        mt_mbox_init(&m, MT_MBOX_AUTO);
        while ((ev = mt_mbox_next(&m, two + off, sizeof(two) - 1 - off, true, &consumed, &msg)) !=
               MT_MBOX_END) {
            if (ev == MT_MBOX_MESSAGE) {
                CHECK_INT(msg.offset, seen == 0 ? 0 : 40);
                seen++;
            }
            off += consumed;
        }
        CHECK_INT(seen, 2);
    }
    return mt_test_done();
}
