/*
 * report_db.c - the input of `mailtls report --db`: the messages `mailtls
 * notify` recorded in the store, handed to the report's sink as inbound
 * events (report.h, store.h mt_store_observation_event()).
 *
 * The store is opened as `mailtls db` opens it: never created (a report
 * must not make an empty store appear), but brought up to the current
 * schema, so that a store of an older mailtls is read like a new one.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "config.h"
#include "report.h"
#include "store.h"

/* Passes one observation on as a message event. */
static int
on_observation(const struct mt_observation *o, void *arg)
{
    const struct mt_sink *sink = arg;
    struct mt_event ev;

    mt_store_observation_event(o, &ev);
    sink->message(sink->arg, &ev);
    return 0;
}

/* Reads the store's observations in [since, until) into sink (see report.h). */
int
mt_report_db_read(struct mt_ctx *ctx, int64_t since, int64_t until, const struct mt_sink *sink,
                  char *dbname, size_t dbnamesz)
{
    struct mt_store_options so = { 0, false };
    struct mt_config cfg;
    struct mt_store *store = NULL;
    struct mt_error err;
    struct mt_sink to = *sink;
    int rc;

    rc = mt_ctx_load_config(ctx, &cfg);
    if (rc != EX_OK)
        return rc;
    snprintf(dbname, dbnamesz, "%s", cfg.database != NULL ? cfg.database : "");
    mt_error_clear(&err);
    if (mt_store_open(cfg.database, &so, &store, &err) != MT_OK ||
        mt_store_observations_each(store, since, until, on_observation, &to, &err) != MT_OK) {
        mt_warn_error("report", &err);
        rc = mt_status_sysexit(err.status);
    }
    mt_store_close(store);
    mt_config_done(&cfg);
    return rc;
}
