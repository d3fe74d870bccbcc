/* status.c - status names and the error record. */
#include "util/status.h"

#include <stdio.h>
#include <string.h>

/* Returns the English name of a status. */
const char *
mt_status_str(enum mt_status st)
{
    switch (st) {
    case MT_OK:
        return "success";
    case MT_NOTFOUND:
        return "not found";
    case MT_EPARSE:
        return "parse error";
    case MT_ELIMIT:
        return "limit exceeded";
    case MT_ENOMEM:
        return "out of memory";
    case MT_ETEMP:
        return "temporary failure";
    case MT_ECONFIG:
        return "configuration error";
    case MT_EIO:
        return "input/output error";
    }
    return "unknown status";
}

/* Resets an error record to "no error". */
void
mt_error_clear(struct mt_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof(*err));
}

/* Fills status and message; returns st for tail calls. */
enum mt_status
mt_error_set(struct mt_error *err, enum mt_status st, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return st;
    err->status = st;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return st;
}

/* Records where the error was found. */
void
mt_error_at(struct mt_error *err, const char *file, unsigned long line, unsigned col)
{
    if (err == NULL)
        return;
    err->file = file;
    err->line = line;
    err->col = col;
}
