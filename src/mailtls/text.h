/*
 * text.h - header bytes made safe to print.
 *
 * Header fields are whatever the sender wrote: folded over lines, in any
 * charset or none, with control characters. mt_text_clean() copies a span
 * into a growing buffer:
 *   - runs of white space (folding: CR, LF, tab, space) become one space,
 *     and both ends are trimmed;
 *   - bytes that are not part of a valid UTF-8 sequence become U+FFFD, so
 *     JSON output is always valid UTF-8 (RFC 8259 section 8.1);
 *   - with MT_TEXT_TERMINAL, control characters (C0, DEL, C1) become '?',
 *     so a header cannot send escape sequences to the user's terminal.
 * The result is NUL-terminated. Limit: MT_TEXT_MAX bytes of output
 * (MT_ELIMIT beyond); MT_ENOMEM when allocation fails.
 */
#ifndef MT_TEXT_H
#define MT_TEXT_H

#include <stddef.h>

#include "util/span.h"
#include "util/status.h"

#define MT_TEXT_TERMINAL 0x01
#define MT_TEXT_MAX      (4 * 1024 * 1024)

struct mt_text {
    char *p; /* NUL-terminated after mt_text_clean() */
    size_t len, cap;
};

/* Replaces t's contents with the cleaned s (see above). */
enum mt_status mt_text_clean(struct mt_text *t, struct mt_span s, unsigned flags);

/* Appends p[0..n) as it is (no cleaning); t stays NUL-terminated. */
enum mt_status mt_text_append(struct mt_text *t, const char *p, size_t n);

/* Frees the buffer. */
void mt_text_free(struct mt_text *t);

#endif
