/*
 * report.c - `mailtls report`: TLS statistics from MTA logs.
 *
 *   mailtls report [-c FILE] [--events|--json|--csv|--prometheus|--html FILE]
 *                  [--since T] [--until T] [--my-hostname NAME]... [--top N] LOG...
 *   mailtls report --db [-c FILE] [format and filter options as above]
 *
 * Reads each LOG in the order given ("-" is stdin; gzip data, as logrotate
 * writes it, is recognised by its magic bytes and inflated on the fly), feeds
 * every line to one correlator (so a message that spans rotated files is one
 * message), filters the records by time and by our own host names, and
 * either prints each message as a JSON line (--events) or adds the records to
 * struct mt_stats and prints it with one writer (report.h). With --db the
 * messages come from the store `mailtls notify` fills instead (report_db.c),
 * through the same filters and writers.
 *
 * Lines that are not log lines are counted; the first MAX_WARNINGS are named
 * on stderr as FILE:LINE, then one summary. Exit status (sysexits): 0 done;
 * 64 bad usage; 66 a LOG could not be opened (the others are still read);
 * 65 corrupt gzip data or no line at all understood; 74 output could not be
 * written; 70 out of memory.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "correlate.h"
#include "input.h"
#include "progress.h"
#include "report.h"
#include "stats.h"
#include "util/span.h"
#include "util/when.h"

#define MAX_WARNINGS  10
#define READ_CHUNK    (1u << 20)
#define LINE_MAX_LEN  MT_LOGLINE_MAX
#define MAX_HOSTNAMES 64

enum format { FMT_TEXT, FMT_EVENTS, FMT_JSON, FMT_CSV, FMT_PROM, FMT_HTML };

struct report {
    struct mt_ctx *ctx;
    enum format fmt;
    const char *html_path;
    int64_t since, until;
    const char *hostnames[MAX_HOSTNAMES];
    int nhostnames;
    struct mt_stats stats;
    struct mt_correlate *corr;
    struct mt_report_info info;
    bool from_db;        /* --db: read the store, not logs */
    bool bare;           /* --bare: lines without prefix are message parts */
    bool saw_unprefixed; /* a line without time stamp and program was refused */
    char dbname[4096];   /* the store's URI, for info.database */
    enum mt_status st;   /* first failure inside the sink (ENOMEM) */
    bool write_failed;   /* --events output failed */
    uint64_t understood; /* lines that parsed */
    uint64_t warnings;
    struct mt_progress progress;
    uint64_t done; /* bytes of the files before the current one, for progress */
};

/* Usage text. */
static void
usage(FILE *f)
{
    fputs("usage: mailtls report [-c FILE] [--events | --json | --csv | --prometheus |\n"
          "                      --html FILE] [--since T] [--until T]\n"
          "                      [--my-hostname NAME]... [--top N] [--bare] LOG... | --db\n"
          "  LOG         a Postfix, Exim, Sendmail or OpenSMTPD log; gzip is read as is;\n"
          "              '-' is standard input; several are read in the order given\n"
          "  --db        the messages mailtls notify recorded in the store (the\n"
          "              configuration's database) instead of logs\n"
          "  --events    one JSON object per message and delivery attempt\n"
          "  --json      the aggregates as one JSON document\n"
          "  --csv       the per-domain table as CSV\n"
          "  --prometheus  metrics for node_exporter's textfile collector\n"
          "  --html FILE   a self-contained page with charts\n"
          "  --since T, --until T  only records in [since, until): a date\n"
          "              (2024-10-23, 2024-10-23T12:00, UTC) or an age (7d, 12h)\n"
          "  --my-hostname NAME    a host of ours: traffic with it is not counted\n"
          "  --top N     rows per domain table (default 20)\n"
          "  --bare      also read lines without time stamp and program (message\n"
          "              parts, as in excerpts or journalctl -o cat)\n",
          f);
}

/* True when host is one of ours (ASCII case ignored). */
static bool
is_ours(const struct report *r, const char *host)
{
    int i;

    if (host[0] == '\0')
        return false;
    for (i = 0; i < r->nhostnames; i++)
        if (mt_span_ieq(mt_span_cstr(host), r->hostnames[i]))
            return true;
    return false;
}

/* True when a record at time t is inside --since/--until. */
static bool
in_period(const struct report *r, int64_t t)
{
    if (r->since == INT64_MIN && r->until == INT64_MAX)
        return true;
    return t != 0 && t >= r->since && t < r->until;
}

/* Sink: one message event. */
static void
on_message(void *arg, const struct mt_event *ev)
{
    struct report *r = arg;
    enum mt_status st;

    if (!in_period(r, ev->time) || is_ours(r, ev->peer_host))
        return;
    if (r->fmt == FMT_EVENTS) {
        if (mt_report_event_json(stdout, ev) != 0)
            r->write_failed = true;
        return;
    }
    st = mt_stats_add_event(&r->stats, ev);
    if (st != MT_OK && r->st == MT_OK)
        r->st = st;
}

/* Sink: one connection record. */
static void
on_connection(void *arg, const struct mt_conn *c)
{
    struct report *r = arg;
    enum mt_status st;

    if (r->fmt == FMT_EVENTS || !in_period(r, c->time) || is_ours(r, c->peer_host))
        return;
    st = mt_stats_add_conn(&r->stats, c);
    if (st != MT_OK && r->st == MT_OK)
        r->st = st;
}

/* Counts a line that is not a log line and names it while warnings last. */
static void
bad_line(struct report *r, const char *name, uint64_t lineno, const struct mt_error *err)
{
    r->info.bad_lines++;
    if (strncmp(err->msg, "not a log line", 14) == 0)
        r->saw_unprefixed = true;
    if (r->warnings++ < MAX_WARNINGS) {
        struct mt_error e = *err;
        mt_progress_clear(&r->progress);
        mt_error_at(&e, name, (unsigned long)lineno, 0);
        mt_warn_error("report", &e);
    }
}

/* Feeds one line (without its newline). */
static void
feed_line(struct report *r, const char *name, uint64_t lineno, const char *p, size_t len)
{
    struct mt_error err;
    enum mt_status st;

    r->info.lines++;
    if (len > 0 && p[len - 1] == '\r')
        len--;
    if (len == 0)
        return;
    err.msg[0] = '\0'; /* filled on failure; clearing all of it per line costs */
    st = mt_correlate_line(r->corr, p, len, &err);
    if (st == MT_OK)
        r->understood++;
    else
        bad_line(r, name, lineno, &err);
}

/* Splits a stream into lines; keeps the partial last line between calls. */
struct splitter {
    char *buf;     /* holds a partial line between chunks */
    size_t len;    /* bytes in buf */
    bool skipping; /* inside an overlong line: drop until newline */
    uint64_t lineno;
};

/* Feeds the complete lines of data[0..n); keeps the rest. */
static void
split(struct report *r, struct splitter *sp, const char *name, const char *data, size_t n)
{
    const char *p = data, *end = data + n;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t chunk = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
        if (sp->skipping) {
            if (nl == NULL)
                return;
            sp->skipping = false;
            p = nl + 1;
            continue;
        }
        if (sp->len + chunk > LINE_MAX_LEN) {
            struct mt_error err;
            mt_error_clear(&err);
            mt_error_set(&err, MT_ELIMIT, "line longer than %u bytes, skipped",
                         (unsigned)LINE_MAX_LEN);
            sp->lineno++;
            r->info.lines++;
            bad_line(r, name, sp->lineno, &err);
            sp->len = 0;
            if (nl == NULL) {
                sp->skipping = true;
                return;
            }
            p = nl + 1;
            continue;
        }
        if (nl == NULL) {
            memcpy(sp->buf + sp->len, p, chunk);
            sp->len += chunk;
            return;
        }
        sp->lineno++;
        if (sp->len == 0) {
            feed_line(r, name, sp->lineno, p, chunk);
        } else {
            memcpy(sp->buf + sp->len, p, chunk);
            feed_line(r, name, sp->lineno, sp->buf, sp->len + chunk);
            sp->len = 0;
        }
        p = nl + 1;
    }
}

/* Feeds a last line without a newline. */
static void
split_end(struct report *r, struct splitter *sp, const char *name)
{
    if (sp->len > 0 && !sp->skipping) {
        sp->lineno++;
        feed_line(r, name, sp->lineno, sp->buf, sp->len);
    }
    sp->len = 0;
    sp->skipping = false;
}

/*
 * Reads one LOG argument to the end through input.h (gzip data inflated,
 * concatenated members too), in blocks of READ_CHUNK. Returns EX_OK,
 * EX_NOINPUT (cannot open), EX_IOERR (read error) or EX_DATAERR (corrupt
 * or truncated gzip data).
 */
static int
read_log(struct report *r, const char *path, char *block, char *linebuf)
{
    struct mt_input in;
    struct mt_error err;
    struct splitter sp = { linebuf, 0, false, 0 };
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    struct mt_logclock *clk = mt_correlate_clock(r->corr);
    enum mt_status st;
    size_t got;
    int rc = EX_OK;

    st = mt_input_open(&in, path, &err);
    if (st != MT_OK) {
        mt_progress_clear(&r->progress);
        mt_warn_error("report", &err);
        return mt_status_sysexit(st);
    }
    /* A rotated file's mtime is the best guess for its year. */
    if (in.mtime != 0 && !clk->has_last)
        clk->ref = in.mtime;
    for (;;) {
        st = mt_input_read(&in, block, READ_CHUNK, &got, &err);
        if (st != MT_OK) {
            mt_progress_clear(&r->progress);
            mt_warn_error("report", &err);
            rc = st == MT_EPARSE ? EX_DATAERR : mt_status_sysexit(st);
            break;
        }
        if (got == 0)
            break;
        split(r, &sp, name, block, got);
        mt_progress_update(&r->progress, r->done + mt_input_offset(&in));
    }
    split_end(r, &sp, name);
    r->done += in.size;
    mt_input_close(&in);
    return rc;
}

/* Seconds east of UTC of local time now (for syslog stamps without a zone). */
static long
local_offset(int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;

    if (localtime_r(&t, &tm) == NULL)
        return 0;
    return tm.tm_gmtoff;
}

/* Writes the aggregates in the chosen format. */
static int
write_report(struct report *r)
{
    FILE *f = stdout;
    int rc;

    if (r->fmt == FMT_HTML) {
        f = fopen(r->html_path, "w");
        if (f == NULL) {
            mt_warn("report: %s: %s", r->html_path, strerror(errno));
            return EX_CANTCREAT;
        }
    }
    switch (r->fmt) {
    case FMT_JSON:
        rc = mt_report_json(f, &r->stats, &r->info);
        break;
    case FMT_CSV:
        rc = mt_report_csv(f, &r->stats, &r->info);
        break;
    case FMT_PROM:
        rc = mt_report_prom(f, &r->stats, &r->info);
        break;
    case FMT_HTML:
        rc = mt_report_html(f, &r->stats, &r->info);
        break;
    default:
        rc = mt_report_text(f, &r->stats, &r->info);
        break;
    }
    if (fflush(f) != 0 || ferror(f))
        rc = -1;
    if (f != stdout && fclose(f) != 0)
        rc = -1;
    if (rc != 0) {
        mt_warn("report: %s: write error", f == stdout ? "standard output" : r->html_path);
        return EX_IOERR;
    }
    return EX_OK;
}

/* Ends the --events stream or writes the aggregates; returns the exit status. */
static int
output(struct report *r)
{
    if (r->st != MT_OK) {
        mt_warn("report: %s", mt_status_str(r->st));
        return mt_status_sysexit(r->st);
    }
    if (r->fmt == FMT_EVENTS) {
        if (r->write_failed || fflush(stdout) != 0 || ferror(stdout)) {
            mt_warn("report: standard output: write error");
            return EX_IOERR;
        }
        return EX_OK;
    }
    return write_report(r);
}

/* --db: the store's messages through the same sink and writers. */
static int
report_db(struct report *r, const struct mt_sink *sink)
{
    int rc;

    r->info.database = r->dbname;
    r->info.no_connections = true;
    r->info.no_outbound = true;
    rc = mt_report_db_read(r->ctx, r->since, r->until, sink, r->dbname, sizeof(r->dbname));
    return rc != EX_OK ? rc : output(r);
}

/* Parses the options into r; returns EX_OK or EX_USAGE. */
static int
parse_args(struct report *r, int argc, char **argv, int *first_log)
{
    enum {
        O_EVENTS = 256,
        O_JSON,
        O_CSV,
        O_PROM,
        O_HTML,
        O_SINCE,
        O_UNTIL,
        O_HOST,
        O_TOP,
        O_DB,
        O_BARE
    };
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "events", no_argument, NULL, O_EVENTS },
        { "json", no_argument, NULL, O_JSON },
        { "csv", no_argument, NULL, O_CSV },
        { "prometheus", no_argument, NULL, O_PROM },
        { "html", required_argument, NULL, O_HTML },
        { "since", required_argument, NULL, O_SINCE },
        { "until", required_argument, NULL, O_UNTIL },
        { "my-hostname", required_argument, NULL, O_HOST },
        { "top", required_argument, NULL, O_TOP },
        { "db", no_argument, NULL, O_DB },
        { "bare", no_argument, NULL, O_BARE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, nfmt = 0;
    struct mt_error err;
    unsigned long v;

    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            r->ctx->config_path = optarg;
            r->ctx->config_explicit = true;
            break;
        case O_EVENTS:
        case O_JSON:
        case O_CSV:
        case O_PROM:
        case O_HTML:
            nfmt++;
            r->fmt = c == O_EVENTS ? FMT_EVENTS
                     : c == O_JSON ? FMT_JSON
                     : c == O_CSV  ? FMT_CSV
                     : c == O_PROM ? FMT_PROM
                                   : FMT_HTML;
            if (c == O_HTML)
                r->html_path = optarg;
            break;
        case O_SINCE:
        case O_UNTIL:
            if (mt_when_parse(optarg, strlen(optarg), r->ctx->now,
                              c == O_SINCE ? &r->since : &r->until, &err) != MT_OK) {
                mt_warn("report: --%s %s", c == O_SINCE ? "since" : "until", err.msg);
                return EX_USAGE;
            }
            break;
        case O_HOST:
            if (r->nhostnames >= MAX_HOSTNAMES) {
                mt_warn("report: at most %d --my-hostname options", MAX_HOSTNAMES);
                return EX_USAGE;
            }
            r->hostnames[r->nhostnames++] = optarg;
            break;
        case O_TOP:
            if (!mt_span_to_ulong(mt_span_cstr(optarg), 1000000, &v) || v == 0) {
                mt_warn("report: --top wants a number from 1 to 1000000");
                return EX_USAGE;
            }
            r->info.top = (int)v;
            break;
        case O_DB:
            r->from_db = true;
            break;
        case O_BARE:
            r->bare = true;
            break;
        case 'h':
            usage(stdout);
            return -1;
        default:
            usage(stderr);
            return EX_USAGE;
        }
    }
    if (nfmt > 1) {
        mt_warn("report: choose one of --events, --json, --csv, --prometheus, --html");
        return EX_USAGE;
    }
    if (r->from_db && optind < argc) {
        mt_warn("report: --db reads the store: no LOG arguments with it");
        return EX_USAGE;
    }
    if (!r->from_db && optind >= argc) {
        mt_warn("report: no LOG given ('-' reads standard input)");
        usage(stderr);
        return EX_USAGE;
    }
    if (r->since != INT64_MIN && r->until != INT64_MAX && r->since >= r->until) {
        mt_warn("report: --since must be before --until");
        return EX_USAGE;
    }
    *first_log = optind;
    return EX_OK;
}

/* The report command. */
int
mt_cmd_report(struct mt_ctx *ctx, int argc, char **argv)
{
    struct report r;
    struct mt_sink sink;
    int first = 0, i, rc, status = EX_OK;
    char *block = NULL, *linebuf = NULL;
    uint64_t total = 0;

    memset(&r, 0, sizeof(r));
    r.ctx = ctx;
    r.since = INT64_MIN;
    r.until = INT64_MAX;
    r.info.since = INT64_MIN;
    r.info.until = INT64_MAX;
    rc = parse_args(&r, argc, argv, &first);
    if (rc != EX_OK)
        return rc < 0 ? EX_OK : rc;
    r.info.since = r.since;
    r.info.until = r.until;
    r.info.now = ctx->now;
    r.info.files = (const char *const *)(argv + first);
    r.info.nfiles = argc - first;
    r.info.color = ctx->stdout_tty && !ctx->no_color && r.fmt == FMT_TEXT;

    if (mt_stats_init(&r.stats, 0) != MT_OK) {
        mt_warn("report: out of memory");
        return EX_OSERR;
    }
    sink.message = on_message;
    sink.connection = on_connection;
    sink.arg = &r;
    if (r.from_db) {
        status = report_db(&r, &sink);
        mt_stats_done(&r.stats);
        return status;
    }
    if (mt_correlate_new(NULL, &sink, ctx->now, local_offset(ctx->now), &r.corr) != MT_OK) {
        mt_warn("report: out of memory");
        mt_stats_done(&r.stats);
        return EX_OSERR;
    }
    mt_correlate_clock(r.corr)->allow_bare = r.bare;
    block = malloc(READ_CHUNK);
    linebuf = malloc(LINE_MAX_LEN + 1);
    if (block == NULL || linebuf == NULL) {
        mt_warn("report: out of memory");
        status = EX_OSERR;
        goto out;
    }
    /* The total for the progress line: the regular files' sizes. */
    for (i = first; i < argc; i++) {
        struct stat st;
        if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
    }
    mt_progress_init(&r.progress, ctx, "report", total, r.fmt == FMT_EVENTS);

    for (i = first; i < argc; i++) {
        rc = read_log(&r, argv[i], block, linebuf);
        if (rc != EX_OK && status == EX_OK)
            status = rc;
        if (r.st != MT_OK || r.write_failed)
            break;
    }
    mt_progress_done(&r.progress);
    mt_correlate_finish(r.corr);
    if (r.warnings > MAX_WARNINGS)
        mt_warn("report: %llu more lines not understood (%llu in all)",
                (unsigned long long)(r.warnings - MAX_WARNINGS),
                (unsigned long long)r.info.bad_lines);
    if (r.saw_unprefixed)
        mt_warn("report: lines without time stamp and program (message parts) are read "
                "with --bare");

    rc = output(&r);
    if (rc != EX_OK)
        status = rc;
    /* With --bare every line parses: what counts is whether an MTA's parser read one. */
    if (r.bare)
        r.understood = mt_correlate_get_stats(r.corr)->used;
    if (status == EX_OK && r.info.lines > 0 && r.understood == 0) {
        mt_warn("report: no line of the input was understood as a log line");
        status = EX_DATAERR;
    }
out:
    free(block);
    free(linebuf);
    mt_correlate_free(r.corr);
    mt_stats_done(&r.stats);
    return status;
}
