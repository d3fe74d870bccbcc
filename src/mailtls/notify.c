/* notify.c - placeholder until the command lands. */
#include <sysexits.h>

#include "cli.h"

/* Not available yet. */
int
mt_cmd_notify(struct mt_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    mt_warn("notify: not available in this build yet");
    return EX_UNAVAILABLE;
}
