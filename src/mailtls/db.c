/* db.c - placeholder until the command lands. */
#include <sysexits.h>

#include "cli.h"

/* Not available yet. */
int
mt_cmd_db(struct mt_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    mt_warn("db: not available in this build yet");
    return EX_UNAVAILABLE;
}
