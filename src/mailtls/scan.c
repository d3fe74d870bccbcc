/*
 * scan.c - `mailtls scan`: the TLS of every Received: hop of messages in
 * files, mboxes, Maildirs and standard input, as a table, JSON lines or a
 * summary. See mailtls(1).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "config.h"
#include "hops.h"
#include "progress.h"
#include "reader.h"
#include "scan.h"

#define NAMES_MAX 1024

struct scan {
    bool json, summary;
    size_t top;
    const char *names_v[NAMES_MAX];
    struct mt_names names;
    struct mt_hops *hops;
    unsigned hops_flags; /* the table and the summary need only the trusted hop */
    struct mt_scan_table *table;
    struct mt_summary *sum;
    struct mt_text scratch;
    struct mt_progress progress;
    int rc;                /* worst exit status of the inputs so far */
    uint64_t bad_fields;   /* Received: fields the parser did not understand */
    uint64_t bad_messages; /* messages with such fields */
};

/* Prints the usage of `mailtls scan`. */
static void
usage(FILE *f)
{
    fputs("usage: mailtls scan [-c FILE] [--json] [--summary [--top N]] [--my-hostname NAME]...\n"
          "                    [FILE | DIR | -]...\n"
          "Shows the TLS of every Received: hop of messages (files, mbox, Maildir, stdin).\n"
          "  -c, --config FILE       read FILE instead of the default configuration\n"
          "  -j, --json              one JSON object per message per line\n"
          "  -s, --summary           counts per verdict, protocol, cipher and sending domain\n"
          "  -t, --top N             rows per summary table (default 20, 0: all)\n"
          "  -m, --my-hostname NAME  our MTA's host name (repeatable; replaces my_hostnames)\n"
          "  -h, --help              this text\n"
          "Without FILE, reads standard input. mailtls(1) has the details.\n",
          f);
}

/* The rank of an exit status among input failures (higher wins). */
static int
rank(int rc)
{
    return rc == EX_NOINPUT ? 3 : rc == EX_IOERR ? 2 : rc == EX_DATAERR ? 1 : 0;
}

/* Keeps the worse of the current status and rc. */
static void
fail(struct scan *s, int rc)
{
    if (rank(rc) > rank(s->rc))
        s->rc = rc;
}

/* "mailtls: scan: FILE[: message N]: ..." on stderr, clear of the progress line. */
static void
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    warn_at(struct scan *s, const char *source, size_t index, const char *fmt, ...)
{
    va_list ap;

    mt_progress_clear(&s->progress);
    fprintf(stderr, "mailtls: scan: %s: ", source);
    if (index > 0)
        fprintf(stderr, "message %zu: ", index);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Scans one message's header block; false on an output failure (fatal). */
static bool
scan_message(struct scan *s, const struct mt_reader_item *it, enum mt_status *out_st)
{
    struct mt_error err;
    struct mt_scan_msg msg;
    enum mt_status st;

    mt_error_clear(&err);
    st = mt_hops_parse_flags(it->header, it->header_len, &s->names, s->hops_flags, s->hops, &err);
    if (st == MT_ELIMIT) {
        warn_at(s, it->source, it->index, "more than %d Received: fields; only the first %d shown",
                MT_HOPS_MAX, MT_HOPS_MAX);
        fail(s, EX_DATAERR);
    } else if (st != MT_OK) {
        warn_at(s, it->source, it->index, "%s", err.msg[0] != '\0' ? err.msg : mt_status_str(st));
        fail(s, mt_status_sysexit(st));
        *out_st = MT_OK;
        return true;
    }
    if (s->hops->n_bad > 0) {
        s->bad_fields += s->hops->n_bad;
        s->bad_messages++;
    }
    msg.source = it->source;
    msg.index = it->index;
    msg.hops = s->hops;
    if (s->summary)
        st = mt_summary_add(s->sum, &msg);
    else if (s->json)
        st = mt_scan_json(stdout, &msg, &s->scratch);
    else
        st = mt_scan_table_add(s->table, &msg);
    *out_st = st;
    return st == MT_OK;
}

/* Reads every item of the reader. Returns EX_OK or a fatal exit status. */
static int
scan_all(struct scan *s, struct mt_reader *r)
{
    struct mt_reader_item it;
    enum mt_status st = MT_OK;

    while (mt_reader_next(r, &it) == MT_OK) {
        if (s->progress.on)
            mt_progress_update(&s->progress, mt_reader_done(r));
        if (it.status != MT_OK) {
            mt_progress_clear(&s->progress);
            mt_warn_error("scan", &it.err);
            fail(s, mt_status_sysexit(it.status));
            if (it.status == MT_ENOMEM)
                return EX_OSERR;
            continue;
        }
        if (!scan_message(s, &it, &st))
            break;
    }
    if (st == MT_OK && s->table != NULL)
        st = mt_scan_table_finish(s->table);
    if (st == MT_OK && s->summary)
        st = mt_summary_print(s->sum, stdout, s->json, s->top);
    if (st == MT_OK && fflush(stdout) != 0)
        st = MT_EIO;
    mt_progress_done(&s->progress);
    if (st == MT_EIO) {
        mt_warn("scan: write error on standard output");
        return EX_IOERR;
    }
    if (st != MT_OK) {
        mt_warn("scan: %s", mt_status_str(st));
        return mt_status_sysexit(st);
    }
    return EX_OK;
}

/* Parses the options into s; returns -1 to go on, else an exit status. */
static int
options(struct mt_ctx *ctx, struct scan *s, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "json", no_argument, NULL, 'j' },
        { "summary", no_argument, NULL, 's' },
        { "top", required_argument, NULL, 't' },
        { "my-hostname", required_argument, NULL, 'm' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    unsigned long top;
    int c;

    while ((c = getopt_long(argc, argv, "c:jst:m:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            mt_ctx_set_config(ctx, optarg);
            break;
        case 'j':
            s->json = true;
            break;
        case 's':
            s->summary = true;
            break;
        case 't':
            if (!mt_span_to_ulong(mt_span_cstr(optarg), 1000000000UL, &top)) {
                mt_warn("scan: --top wants a number, not '%s'", optarg);
                return EX_USAGE;
            }
            s->top = top;
            break;
        case 'm':
            if (s->names.n == NAMES_MAX) {
                mt_warn("scan: more than %d --my-hostname options", NAMES_MAX);
                return EX_USAGE;
            }
            s->names_v[s->names.n++] = optarg;
            break;
        case 'h':
            usage(stdout);
            return EX_OK;
        default:
            usage(stderr);
            return EX_USAGE;
        }
    }
    return -1;
}

/* `mailtls scan`. */
int
mt_cmd_scan(struct mt_ctx *ctx, int argc, char **argv)
{
    struct scan *s = calloc(1, sizeof(*s));
    struct mt_config cfg;
    struct mt_reader *r = NULL;
    bool have_cfg = false;
    int rc;

    if (s == NULL) {
        mt_warn("out of memory");
        return EX_OSERR;
    }
    s->top = 20;
    s->names.v = s->names_v;
    rc = options(ctx, s, argc, argv);
    if (rc >= 0)
        goto out;
    rc = mt_ctx_load_config(ctx, &cfg);
    if (rc != EX_OK)
        goto out;
    have_cfg = true;
    if (s->names.n == 0) {
        s->names.v = (const char *const *)cfg.my_hostnames.v;
        s->names.n = cfg.my_hostnames.n;
    }
    if (s->names.n == 0)
        mt_warn("scan: my_hostnames is not set: the trusted hops are guesses (not verified)");
    if (s->summary)
        s->hops_flags = MT_HOPS_UNTIL_TRUSTED | MT_HOPS_NO_MESSAGE_ID;
    else if (!s->json)
        s->hops_flags = MT_HOPS_UNTIL_TRUSTED;
    s->hops = malloc(sizeof(*s->hops));
    r = mt_reader_new(argv + optind, (size_t)(argc - optind));
    if (!s->summary && !s->json)
        s->table = mt_scan_table_new(stdout);
    if (s->summary)
        s->sum = mt_summary_new();
    if (s->hops == NULL || r == NULL || (s->summary ? s->sum == NULL : !s->json && !s->table)) {
        mt_warn("out of memory");
        rc = EX_OSERR;
        goto out;
    }
    mt_progress_init(&s->progress, ctx, "scan", mt_reader_total(r), !s->summary);
    rc = scan_all(s, r);
    if (s->bad_fields > 0)
        mt_warn("scan: %llu Received: fields in %llu messages were not understood and are left "
                "out of the hop chains",
                (unsigned long long)s->bad_fields, (unsigned long long)s->bad_messages);
    if (rc == EX_OK)
        rc = s->rc;
out:
    mt_reader_free(r);
    mt_scan_table_free(s->table);
    mt_summary_free(s->sum);
    mt_text_free(&s->scratch);
    free(s->hops);
    free(s);
    if (have_cfg)
        mt_config_done(&cfg);
    return rc;
}
