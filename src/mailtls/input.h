/*
 * input.h - one input file, read in large blocks, gzip or not.
 *
 * mt_input_open() opens a path, or standard input for "-", and reads it
 * through zlib, which decompresses gzip data (found by its magic bytes, not
 * by the file name; concatenated members too) and passes anything else
 * through unchanged. Reads of 256 KiB or more go straight into the caller's
 * buffer for uncompressed data, so plain files cost one copy.
 *
 * Errors fill err with the file name and a message: MT_NOTFOUND when the
 * file cannot be opened (missing, unreadable, a directory), MT_EIO for a
 * read error, MT_EPARSE for corrupt or truncated gzip data.
 */
#ifndef MT_INPUT_H
#define MT_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "util/status.h"

struct mt_input {
    const char *name; /* as given (borrowed): "-" is standard input */
    gzFile gz;
    uint64_t size;  /* size of a regular file, 0 when unknown (a pipe) */
    int64_t mtime;  /* modification time of a regular file, 0 when unknown */
    uint64_t nread; /* bytes returned so far (uncompressed) */
};

/* Opens path ("-": standard input). name is borrowed by in and err. */
enum mt_status mt_input_open(struct mt_input *in, const char *path, struct mt_error *err);

/*
 * Reads up to n bytes into buf: *got bytes, 0 at the end. Returns MT_OK or
 * an error (see above).
 */
enum mt_status mt_input_read(struct mt_input *in, char *buf, size_t n, size_t *got,
                             struct mt_error *err);

/* Bytes of the file consumed so far (compressed bytes for gzip), for progress. */
uint64_t mt_input_offset(const struct mt_input *in);

/* Closes the input (standard input too: it was duplicated). */
void mt_input_close(struct mt_input *in);

#endif
