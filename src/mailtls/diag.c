/* diag.c - diagnostics on stderr and the status-to-sysexits table. */
#include "cli.h"

#include <stdarg.h>
#include <sysexits.h>

/* Prints "mailtls: " and the message on stderr. */
void
mt_warn(const char *fmt, ...)
{
    va_list ap;

    fputs("mailtls: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Prints an error record with its location. */
void
mt_warn_error(const char *prefix, const struct mt_error *err)
{
    fputs("mailtls: ", stderr);
    if (prefix != NULL)
        fprintf(stderr, "%s: ", prefix);
    if (err->file != NULL) {
        fputs(err->file, stderr);
        if (err->line > 0)
            fprintf(stderr, ":%lu", err->line);
        if (err->col > 0)
            fprintf(stderr, ":%u", err->col);
        fputs(": ", stderr);
    }
    fputs(err->msg[0] != '\0' ? err->msg : mt_status_str(err->status), stderr);
    fputc('\n', stderr);
}

/* The one table from library status to sysexits(3). */
int
mt_status_sysexit(enum mt_status st)
{
    switch (st) {
    case MT_OK:
        return EX_OK;
    case MT_NOTFOUND:
        return EX_NOINPUT;
    case MT_EPARSE:
        return EX_DATAERR;
    case MT_ELIMIT:
        return EX_DATAERR;
    case MT_ENOMEM:
        return EX_OSERR;
    case MT_ETEMP:
        return EX_TEMPFAIL;
    case MT_ECONFIG:
        return EX_CONFIG;
    case MT_EIO:
        return EX_IOERR;
    }
    return EX_SOFTWARE;
}
