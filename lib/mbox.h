/*
 * mbox.h - finding the header block of every message in a byte stream: an
 * mbox file, or a file that is one message.
 *
 * Only headers matter to mailtls, so the splitter is built to skip bodies
 * fast: it searches big blocks for "\nFrom " (no per-line work in bodies)
 * and hands each header block to the caller as a span into the caller's
 * buffer.
 *
 * Formats. A stream that starts with a From_ line ("postmark") is an mbox:
 * mboxo and mboxrd (the two differ only in how bodies quote ">From ", which
 * does not matter for headers), and mboxcl/mboxcl2 (a Content-Length:
 * header gives the body length, so unquoted "From " lines in bodies do not
 * split messages). A From_ line is a line starting with "From " whose first
 * MT_MBOX_POSTMARK_MAX bytes contain a time ("D:DD", as in
 * "From MAILER-DAEMON Fri Jul  8 12:08:34 2011"); a body line such as "From
 * here on..." is not one. Content-Length is honoured when it is consistent:
 * the body it announces is at most MT_MBOX_CL_MAX bytes and is followed by a
 * From_ line (or one empty line and a From_ line) or the end of the stream;
 * otherwise From_ lines decide. Any other stream (and every stream in
 * MT_MBOX_SINGLE mode) is one message; a leading "From " line there is
 * skipped. See mbox(5) and RFC 4155.
 *
 * The header block is everything up to the first empty line (LF or CR LF),
 * or up to a From_ line (a message without a body), or up to the end of the
 * stream. It must start with a header field ("Name:") and contain no NUL
 * byte, else the message is reported as not a mail message and skipped.
 *
 * Errors are events, never the end: the iterator reports them and goes on
 * with the next message.
 *   - a header block longer than MT_MBOX_HEADER_MAX: MT_ELIMIT, skipped;
 *   - not a mail message (binary data, no field at the start): MT_EPARSE;
 *   - an mbox that ends inside a header, without a final newline, or
 *     before the body its Content-Length announced: MT_EPARSE "truncated"
 *     (after the MESSAGE event of that message when its header is there).
 * An empty stream holds no messages.
 *
 * Use (streaming): the caller keeps a buffer of at least MT_MBOX_WINDOW
 * bytes and calls mt_mbox_next() with the unconsumed bytes and whether the
 * stream has ended. Every call sets *consumed: the caller drops that many
 * bytes from the front before the next call (after using the header of a
 * MESSAGE event, which points into buf). MT_MBOX_NEED asks for more bytes
 * (or eof = true); the iterator never asks for more while the caller holds
 * MT_MBOX_WINDOW bytes. The result depends only on the bytes, never on how
 * they were split into calls (the fuzzer checks this).
 *
 * Pure: no I/O, no allocation; spans point into the caller's buffer.
 */
#ifndef MT_MBOX_H
#define MT_MBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define MT_MBOX_HEADER_MAX   (1024 * 1024)     /* longest header block */
#define MT_MBOX_POSTMARK_MAX 1024              /* bytes of a From_ line examined */
#define MT_MBOX_CL_MAX       (8 * 1024 * 1024) /* longest body Content-Length may skip */
#define MT_MBOX_WINDOW       (MT_MBOX_CL_MAX + 2 * MT_MBOX_POSTMARK_MAX + 64)

enum mt_mbox_mode {
    MT_MBOX_AUTO,   /* an mbox when the stream starts with a From_ line, else one message */
    MT_MBOX_SINGLE, /* one message (a Maildir file) */
};

enum mt_mbox_event {
    MT_MBOX_NEED,    /* drop *consumed bytes, call again with more bytes or eof */
    MT_MBOX_MESSAGE, /* msg->header is a message's header block */
    MT_MBOX_ERROR,   /* msg->err describes a problem with message msg->index */
    MT_MBOX_END,     /* the stream is done */
};

struct mt_mbox {
    enum mt_mbox_mode mode;
    int state;
    bool is_mbox;            /* the stream is an mbox */
    size_t index;            /* number of the current message (1-based) */
    size_t pos;              /* where to resume scanning in the unconsumed bytes */
    uint64_t offset;         /* stream offset of the first unconsumed byte */
    uint64_t msg_off;        /* stream offset of the current message */
    int64_t cl;              /* the current message's Content-Length, or -1 */
    unsigned cl_seen;        /* Content-Length fields in the current header */
    bool cl_short;           /* Content-Length went past the end of the stream */
    int last;                /* the last byte consumed, or -1 */
    struct mt_error pending; /* an error to report after a MESSAGE event */
};

struct mt_mbox_msg {
    size_t index;       /* message number, 1-based */
    bool in_mbox;       /* the stream is an mbox (name messages "file:index") */
    uint64_t offset;    /* stream offset of the message (its From_ line in an mbox) */
    const char *header; /* MESSAGE: the header block, without the empty line */
    size_t header_len;
    struct mt_error err; /* ERROR: status MT_EPARSE or MT_ELIMIT and a message */
};

/* Starts iterating over a new stream. */
void mt_mbox_init(struct mt_mbox *m, enum mt_mbox_mode mode);

/* The next event (see above); *consumed is always set. */
enum mt_mbox_event mt_mbox_next(struct mt_mbox *m, const char *buf, size_t len, bool eof,
                                size_t *consumed, struct mt_mbox_msg *msg);

#endif
