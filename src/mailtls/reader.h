/*
 * reader.h - the messages in a list of files, one header block at a time.
 *
 * The reader walks the command-line paths (walk.h), opens each file
 * (input.h: plain or gzip, "-" for standard input), splits it (lib/mbox.h:
 * an mbox or one message) and yields, in order, one item per message or per
 * problem:
 *   - a message: its header block (valid until the next call), the file
 *     name and its number in an mbox;
 *   - a problem: status and err (err.file is the file name, err.msg names
 *     the message number in an mbox), and the reader goes on with the next
 *     message or file. Statuses: MT_NOTFOUND (cannot open or list),
 *     MT_EIO (read error), MT_EPARSE (not mail, truncated, bad gzip data),
 *     MT_ELIMIT (header over MT_MBOX_HEADER_MAX).
 * Bodies are skipped without being examined line by line; a one-message
 * file is read only up to the end of its header.
 *
 * Memory: one buffer of MT_MBOX_WINDOW plus a read block, whatever the
 * input size.
 */
#ifndef MT_READER_H
#define MT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

struct mt_reader;

struct mt_reader_item {
    enum mt_status status; /* MT_OK: a message; otherwise a problem described by err */
    const char *source;    /* the file name ("-" for standard input) */
    size_t index;          /* message number in an mbox (1-based); 0: the file is one message */
    const char *header;    /* MT_OK: the header block (not NUL-terminated) */
    size_t header_len;
    struct mt_error err;
};

/*
 * Makes a reader over paths[0..n) (n = 0: standard input). NULL when out
 * of memory.
 */
struct mt_reader *mt_reader_new(char *const *paths, size_t n);

/* The next item: MT_OK with *it filled, or MT_NOTFOUND after the last one. */
enum mt_status mt_reader_next(struct mt_reader *r, struct mt_reader_item *it);

/* Bytes read so far and the total of all regular files (0: unknown), for progress. */
uint64_t mt_reader_done(const struct mt_reader *r);
uint64_t mt_reader_total(const struct mt_reader *r);

/* Frees the reader. NULL is a no-op. */
void mt_reader_free(struct mt_reader *r);

#endif
