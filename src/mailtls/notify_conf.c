/* notify_conf.c - loads the configuration file for notify and db. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "mt_build.h"
#include "notify_io.h"

#define CONFIG_MAX (1024 * 1024)

/* Reads the configuration named by ctx over the defaults (see notify_io.h). */
enum mt_status
mt_notify_load_config(const struct mt_ctx *ctx, struct mt_config *cfg, struct mt_error *err)
{
    FILE *f;
    char *buf;
    size_t len;
    enum mt_status st;

    st = mt_config_init(cfg);
    if (st == MT_OK)
        st = mt_config_default(cfg, "template_dir", MT_DATADIR "/templates", err);
    if (st != MT_OK)
        return st;
    f = fopen(ctx->config_path, "r");
    if (f == NULL) {
        if (errno == ENOENT && !ctx->config_explicit)
            return MT_OK; /* no file: the defaults */
        return mt_error_set(err, MT_ECONFIG, "%s: %s", ctx->config_path, strerror(errno));
    }
    buf = malloc(CONFIG_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        return mt_error_set(err, MT_ENOMEM, "out of memory");
    }
    len = fread(buf, 1, CONFIG_MAX + 1, f);
    if (ferror(f) || len > CONFIG_MAX) {
        fclose(f);
        free(buf);
        return mt_error_set(err, MT_ECONFIG, "%s: unreadable or larger than %d bytes",
                            ctx->config_path, CONFIG_MAX);
    }
    fclose(f);
    st = mt_config_parse(cfg, buf, len, ctx->config_path, err);
    free(buf);
    return st;
}
