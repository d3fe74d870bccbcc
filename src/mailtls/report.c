/* report.c - placeholder until the command lands. */
#include <sysexits.h>

#include "cli.h"

/* Not available yet. */
int
mt_cmd_report(struct mt_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    mt_warn("report: not available in this build yet");
    return EX_UNAVAILABLE;
}
