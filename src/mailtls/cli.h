/*
 * cli.h - what every mailtls command shares: the program context, the
 * command entry points, diagnostics on stderr and the exit-status mapping.
 *
 * Each command lives in its own file and is called by main() with the
 * arguments after the command name (argv[0] is the command name) and a
 * context whose clock, environment and terminal facts main() filled in, so
 * nothing below main() calls time(), getenv() or isatty() itself.
 * A command returns a sysexits(3) code.
 *
 * Every command accepts "-c FILE" (--config FILE) among its own options as
 * well as before the command name, and loads the configuration with
 * mt_ctx_load_config() (config.c), which prints its own errors.
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/status.h"

struct mt_ctx {
    const char *progname;      /* "mailtls" */
    const char *config_path;   /* -c FILE, or the default */
    bool config_explicit;      /* -c was given: a missing file is an error */
    int64_t now;               /* seconds since the epoch, read once in main() */
    bool stdout_tty;           /* stdout is a terminal (tables, colour) */
    bool stderr_tty;           /* stderr is a terminal (progress display) */
    bool no_color;             /* NO_COLOR set in the environment */
    const char *tz;            /* TZ from the environment, or NULL */
    int64_t (*clock_ms)(void); /* monotonic milliseconds (progress display, deadlines) */
    const char *mail_config;   /* MAIL_CONFIG from the environment (Postfix), or NULL */
};

struct mt_config;

/*
 * Initialises cfg with the defaults (install-dependent ones from
 * mt_build.h) and reads ctx->config_path over them. A missing file is fine
 * when the path is the default one, an error when -c or MAILTLS_CONFIG named
 * it. Returns EX_OK with cfg to be released by mt_config_done(), or, after
 * printing "mailtls: FILE:LINE: message", EX_CONFIG (EX_OSERR when out of
 * memory) with cfg already released.
 */
int mt_ctx_load_config(struct mt_ctx *ctx, struct mt_config *cfg);

/* Records a -c FILE given after the command name (explicit: must exist). */
void mt_ctx_set_config(struct mt_ctx *ctx, const char *path);

/* Commands: argv[0] is the command name. Each returns a sysexits code. */
int mt_cmd_scan(struct mt_ctx *ctx, int argc, char **argv);
int mt_cmd_report(struct mt_ctx *ctx, int argc, char **argv);
int mt_cmd_notify(struct mt_ctx *ctx, int argc, char **argv);
int mt_cmd_db(struct mt_ctx *ctx, int argc, char **argv);
int mt_cmd_config(struct mt_ctx *ctx, int argc, char **argv);

/* "mailtls: <message>" on stderr. */
void mt_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Prints an error record on stderr as "mailtls: FILE:LINE: message" (the
 * location parts only when set), with prefix (e.g. "scan") when non-NULL.
 */
void mt_warn_error(const char *prefix, const struct mt_error *err);

/* Maps a library status to a sysexits(3) code (MT_ETEMP -> EX_TEMPFAIL). */
int mt_status_sysexit(enum mt_status st);

#endif
