/*
 * fuzz_mbox.c - the mbox splitter (lib/mbox.c) on arbitrary bytes.
 *
 * The first byte picks the mode and a piece size; the rest is the stream.
 * The stream is split once as a whole and once fed in pieces, the way the
 * reader feeds it: both must give the same events (the splitter's result
 * may not depend on how the bytes arrive), every header must lie inside the
 * stream, and the iterator must end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mbox.h"

struct sig {
    uint64_t hash;
    size_t events;
};

/* Mixes v into the signature. */
static void
mix(struct sig *s, uint64_t v)
{
    s->hash = (s->hash ^ v) * 0x100000001b3ULL;
}

/* Splits data in pieces of chunk bytes (0: all at once) and signs the events. */
static void
run(const uint8_t *data, size_t len, size_t chunk, enum mt_mbox_mode mode, struct sig *s)
{
    char *buf = malloc(len + 1);
    size_t have = 0, fed = 0, consumed, base = 0, steps = 0;
    struct mt_mbox m;
    struct mt_mbox_msg msg;
    bool eof = false;

    s->hash = 0xcbf29ce484222325ULL;
    s->events = 0;
    if (buf == NULL)
        return;
    mt_mbox_init(&m, mode);
    for (;;) {
        enum mt_mbox_event ev = mt_mbox_next(&m, buf, have, eof, &consumed, &msg);
        if (consumed > have)
            abort();
        if (ev == MT_MBOX_MESSAGE) {
            size_t off = (size_t)(msg.header - buf);
            if (msg.header < buf || off + msg.header_len > have ||
                msg.header_len > MT_MBOX_HEADER_MAX)
                abort();
            mix(s, 1);
            mix(s, msg.index);
            mix(s, base + off);
            mix(s, msg.header_len);
            mix(s, msg.offset);
            s->events++;
        } else if (ev == MT_MBOX_ERROR) {
            mix(s, 2);
            mix(s, msg.index);
            mix(s, (uint64_t)msg.err.status);
            mix(s, msg.err.msg[0] != '\0' ? (unsigned char)msg.err.msg[5] : 0);
            s->events++;
        }
        memmove(buf, buf + consumed, have - consumed);
        have -= consumed;
        base += consumed;
        if (ev == MT_MBOX_END)
            break;
        if (ev == MT_MBOX_NEED) {
            size_t n = chunk ? chunk : len;
            if (eof)
                abort(); /* asked for more after the end */
            if (n > len - fed)
                n = len - fed;
            memcpy(buf + have, data + fed, n);
            have += n;
            fed += n;
            eof = fed == len;
        }
        if (++steps > 4 * len + 100)
            abort(); /* no progress */
    }
    if (base + have != len && !(mode == MT_MBOX_SINGLE || !m.is_mbox))
        abort(); /* an mbox is read to its end */
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sig whole, pieces;
    enum mt_mbox_mode mode;
    size_t chunk;

    if (size < 1)
        return 0;
    mode = (data[0] & 0x80) ? MT_MBOX_SINGLE : MT_MBOX_AUTO;
    chunk = (size_t)(data[0] & 0x3f) + 1;
    run(data + 1, size - 1, 0, mode, &whole);
    run(data + 1, size - 1, chunk, mode, &pieces);
    if (whole.hash != pieces.hash || whole.events != pieces.events)
        abort();
    return 0;
}
