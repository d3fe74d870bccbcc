/* progress.c - the progress line on stderr (see progress.h). */
#include "progress.h"

#include <stdio.h>

#define CHECK_BYTES (4u << 20) /* read the clock at most every 4 MiB */
#define DELAY_MS    1000       /* nothing for runs shorter than this */
#define REDRAW_MS   250

/* Starts the display. */
void
mt_progress_init(struct mt_progress *p, const struct mt_ctx *ctx, const char *what, uint64_t total,
                 bool other_tty_output)
{
    p->on = ctx->stderr_tty && ctx->clock_ms != NULL && !(other_tty_output && ctx->stdout_tty);
    p->shown = false;
    p->what = what;
    p->clock_ms = ctx->clock_ms;
    p->start_ms = p->on ? p->clock_ms() : 0;
    p->last_ms = p->start_ms;
    p->total = total;
    p->next_check = CHECK_BYTES;
}

/* Writes n bytes as "812 KiB", "412 MiB", "1.0 GiB". */
static void
human(char *dst, size_t dstsz, double n)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    size_t u = 0;

    while (n >= 1024 && u < 4) {
        n /= 1024;
        u++;
    }
    snprintf(dst, dstsz, n < 10 && u > 0 ? "%.1f %s" : "%.0f %s", n, units[u]);
}

/* Redraws when due. */
void
mt_progress_update(struct mt_progress *p, uint64_t done)
{
    char a[32], b[32], rate[32];
    int64_t now;

    if (!p->on || done < p->next_check)
        return;
    p->next_check = done + CHECK_BYTES;
    now = p->clock_ms();
    if (now - p->start_ms < DELAY_MS || now - p->last_ms < REDRAW_MS)
        return;
    p->last_ms = now;
    human(a, sizeof(a), (double)done);
    human(rate, sizeof(rate), (double)done * 1000.0 / (double)(now - p->start_ms));
    if (p->total > 0 && done <= p->total) {
        human(b, sizeof(b), (double)p->total);
        fprintf(stderr, "\r\033[Kmailtls: %s: %s of %s (%.0f%%), %s/s", p->what, a, b,
                100.0 * (double)done / (double)p->total, rate);
    } else {
        fprintf(stderr, "\r\033[Kmailtls: %s: %s, %s/s", p->what, a, rate);
    }
    fflush(stderr);
    p->shown = true;
}

/* Erases the line. */
void
mt_progress_clear(struct mt_progress *p)
{
    if (!p->shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->shown = false;
    p->last_ms = 0; /* redraw at the next check */
}

/* Erases the line for good. */
void
mt_progress_done(struct mt_progress *p)
{
    mt_progress_clear(p);
    p->on = false;
}
