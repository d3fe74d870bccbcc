/*
 * header.h - the header block of an RFC 5322 message, field by field.
 *
 * mt_header_next() walks the fields of a header block: a field is a name, a
 * colon and a value that continues over folded lines (lines starting with
 * space or tab, RFC 5322 section 2.2.3). The value span keeps the folding as
 * written (CR LF plus white space inside); consumers that need one line
 * collapse it (mt_span_copy_collapse). Lines ending in LF or CR LF are both
 * accepted. The block ends at the first empty line or at the end of the
 * buffer. A leading mbox "From " line and a pipe(8) "Return-Path:" line are
 * ordinary input for the caller to handle: "From " has no colon-terminated
 * name and is reported as MT_EPARSE with the offset of the line.
 *
 * Limits: a field longer than MT_HEADER_FIELD_MAX bytes is MT_ELIMIT (the
 * iterator then skips past it, so the caller can go on; f->name, offset and
 * line are still set, the value is empty); the number of fields is not
 * limited here. One pass, each byte looked at a bounded number of times.
 *
 * Pure: spans point into the caller's buffer, which must outlive them.
 */
#ifndef MT_HEADER_H
#define MT_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/span.h"
#include "util/status.h"

#define MT_HEADER_FIELD_MAX (256 * 1024)

struct mt_header_iter {
    const char *buf;
    size_t len;
    size_t off;  /* next byte to read */
    bool done;   /* the empty line (or end) was reached */
    size_t line; /* 1-based line number of the next field */
};

struct mt_field {
    struct mt_span name;  /* "Received" (without the colon) */
    struct mt_span value; /* after the colon, folded as written, not trimmed */
    size_t offset;        /* offset of the field in the buffer */
    size_t line;          /* 1-based line number of the field */
};

/* Starts iterating over buf[0..len). */
void mt_header_iter_init(struct mt_header_iter *it, const char *buf, size_t len);

/*
 * Reads the next field into *f. Returns MT_OK, MT_NOTFOUND at the end of the
 * header block, MT_EPARSE for a line that is not a field (the iterator skips
 * it; err has the line), MT_ELIMIT for an overlong field (skipped).
 */
enum mt_status mt_header_next(struct mt_header_iter *it, struct mt_field *f, struct mt_error *err);

/*
 * Length of the header block at the start of buf including the empty line
 * that ends it; *complete is false when the buffer ends before an empty line.
 */
size_t mt_header_block_len(const char *buf, size_t len, bool *complete);

/* True when a field's name equals name (ASCII case ignored). */
bool mt_field_is(const struct mt_field *f, const char *name);

#endif
