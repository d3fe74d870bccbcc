/*
 * status.h - result codes and the caller-owned error record.
 *
 * Every library function that can fail returns an enum mt_status and, when the
 * caller passes a non-NULL struct mt_error, fills it with a one-line message
 * and, where known, the file, line and column the problem was found at.
 * The library never logs, exits or aborts; the program decides what a status
 * means (see mt_status_sysexit() in the CLI for the mapping to sysexits(3)).
 *
 * Distinguish the failures callers act on differently:
 *   MT_NOTFOUND  the thing asked for does not exist (not an error by itself);
 *   MT_EPARSE    the input is malformed;
 *   MT_ELIMIT    a ceiling was hit (field too long, table full) - never a
 *                silent truncation;
 *   MT_ENOMEM    allocation failed;
 *   MT_ETEMP     try again later (database busy, lock held);
 *   MT_ECONFIG   the configuration is wrong;
 *   MT_EIO       an operating-system call failed.
 */
#ifndef MT_UTIL_STATUS_H
#define MT_UTIL_STATUS_H

#include <stdarg.h>
#include <stddef.h>

enum mt_status {
    MT_OK = 0,
    MT_NOTFOUND,
    MT_EPARSE,
    MT_ELIMIT,
    MT_ENOMEM,
    MT_ETEMP,
    MT_ECONFIG,
    MT_EIO,
};

#define MT_ERROR_MSG_MAX 256

/* Caller-owned error detail. file is borrowed: it must outlive the record. */
struct mt_error {
    enum mt_status status;
    char msg[MT_ERROR_MSG_MAX];
    const char *file;   /* NULL when not about a file */
    unsigned long line; /* 1-based; 0 when unknown */
    unsigned col;       /* 1-based; 0 when unknown */
};

/* The short English name of a status ("parse error", "limit exceeded", ...). */
const char *mt_status_str(enum mt_status st);

/* Clears err (when non-NULL). */
void mt_error_clear(struct mt_error *err);

/*
 * Records st and a printf-style message in err (when non-NULL) and returns st,
 * so that callers can write `return mt_error_set(err, MT_EPARSE, "...")`.
 * file/line/col are left as they were; set them with mt_error_at().
 */
enum mt_status mt_error_set(struct mt_error *err, enum mt_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Sets the location of err (when non-NULL); file is borrowed. */
void mt_error_at(struct mt_error *err, const char *file, unsigned long line, unsigned col);

#endif
