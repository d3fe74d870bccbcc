/*
 * progress.h - a one-line progress display on stderr for long reads.
 *
 * "mailtls: scan: 412 MiB of 1.0 GiB (40%), 830 MiB/s", redrawn at most four
 * times a second, shown only when stderr is a terminal and the work has run
 * for a second already (short runs print nothing), and erased by
 * mt_progress_done(). Callers report bytes done as often as they like:
 * between redraws an update costs a comparison. Before printing anything
 * else on stderr, call mt_progress_clear() so the line does not mix in.
 */
#ifndef MT_PROGRESS_H
#define MT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

struct mt_progress {
    bool on;                   /* display allowed */
    bool shown;                /* a line is on the screen */
    const char *what;          /* "scan" */
    int64_t (*clock_ms)(void); /* from the context */
    int64_t start_ms, last_ms;
    uint64_t total;      /* bytes expected; 0 when unknown */
    uint64_t next_check; /* read the clock again at this many bytes */
};

/*
 * Starts a display for what (borrowed), expecting total bytes (0: unknown).
 * It stays off unless stderr is a terminal and, when other_tty_output is
 * true (results go to the same terminal as they come), never.
 */
void mt_progress_init(struct mt_progress *p, const struct mt_ctx *ctx, const char *what,
                      uint64_t total, bool other_tty_output);

/* Reports done bytes; redraws when due. */
void mt_progress_update(struct mt_progress *p, uint64_t done);

/* Erases the line (it comes back at the next due update). */
void mt_progress_clear(struct mt_progress *p);

/* Erases the line for good. */
void mt_progress_done(struct mt_progress *p);

#endif
