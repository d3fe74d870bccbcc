/*
 * report.c - `mailtls report`: TLS statistics from MTA logs.
 *
 *   mailtls report [-c FILE] [--events|--json|--csv|--prometheus|--html FILE]
 *                  [--since T] [--until T] [--my-hostname NAME]... [--top N] LOG...
 *
 * Reads each LOG in the order given ("-" is stdin; gzip data, as logrotate
 * writes it, is recognised by its magic bytes and inflated on the fly), feeds
 * every line to one correlator (so a message that spans rotated files is one
 * message), filters the records by time and by our own host names, and
 * either prints each message as a JSON line (--events) or adds the records to
 * struct mt_stats and prints it with one writer (report.h).
 *
 * Lines that are not log lines are counted; the first MAX_WARNINGS are named
 * on stderr as FILE:LINE, then one summary. Exit status (sysexits): 0 done;
 * 64 bad usage; 66 a LOG could not be opened (the others are still read);
 * 65 corrupt gzip data or no line at all understood; 74 output could not be
 * written; 70 out of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cli.h"
#include "correlate.h"
#include "report.h"
#include "stats.h"
#include "util/span.h"
#include "util/when.h"

#define MAX_WARNINGS  10
#define READ_CHUNK    (1u << 20)
#define LINE_MAX_LEN  MT_LOGLINE_MAX
#define MAX_HOSTNAMES 64

/*
 * Progress on stderr: the file and how much of it was read, redrawn when the
 * percentage changes (or every 64 MiB when the size is not known).
 */
struct progress {
    bool on;
    const char *name;
    uint64_t size, shown;
};

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
    enum mt_status st;   /* first failure inside the sink (ENOMEM) */
    bool write_failed;   /* --events output failed */
    uint64_t understood; /* lines that parsed */
    uint64_t warnings;
    struct progress progress;
};

/* Starts the progress line of a file. */
static void
progress_start(struct progress *p, const char *name, uint64_t size)
{
    p->name = name;
    p->size = size;
    p->shown = UINT64_MAX;
}

/* Redraws the progress line when it changed. */
static void
progress_update(struct progress *p, uint64_t done)
{
    uint64_t mark = p->size > 0 ? done * 100 / p->size : done >> 26;

    if (mark == p->shown)
        return;
    p->shown = mark;
    if (p->size > 0)
        fprintf(stderr, "\rmailtls: reading %s: %3llu%% of %llu MB", p->name,
                (unsigned long long)mark, (unsigned long long)(p->size >> 20));
    else
        fprintf(stderr, "\rmailtls: reading %s: %llu MB", p->name,
                (unsigned long long)(done >> 20));
}

/* Clears the progress line. */
static void
progress_done(void)
{
    fputs("\r\033[K", stderr);
}

/* Usage text. */
static void
usage(FILE *f)
{
    fputs("usage: mailtls report [-c FILE] [--events | --json | --csv | --prometheus |\n"
          "                      --html FILE] [--since T] [--until T]\n"
          "                      [--my-hostname NAME]... [--top N] LOG...\n"
          "  LOG         a Postfix, Exim, Sendmail or OpenSMTPD log; gzip is read as is;\n"
          "              '-' is standard input; several are read in the order given\n"
          "  --events    one JSON object per message and delivery attempt\n"
          "  --json      the aggregates as one JSON document\n"
          "  --csv       the per-domain table as CSV\n"
          "  --prometheus  metrics for node_exporter's textfile collector\n"
          "  --html FILE   a self-contained page with charts\n"
          "  --since T, --until T  only records in [since, until): a date\n"
          "              (2024-10-23, 2024-10-23T12:00, UTC) or an age (7d, 12h)\n"
          "  --my-hostname NAME    a host of ours: traffic with it is not counted\n"
          "  --top N     rows per domain table (default 20)\n",
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
    if (r->warnings++ < MAX_WARNINGS) {
        struct mt_error e = *err;
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
 * Reads one open file descriptor to the end, inflating gzip members as they
 * come. Returns EX_OK, EX_IOERR (read error) or EX_DATAERR (corrupt gzip).
 */
static int
read_fd(struct report *r, int fd, const char *name, uint64_t size)
{
    unsigned char *in = malloc(READ_CHUNK);
    unsigned char *out = malloc(READ_CHUNK);
    struct splitter sp = { malloc(LINE_MAX_LEN + 1), 0, false, 0 };
    z_stream z;
    bool gz = false, first = true, zinit = false;
    uint64_t done = 0;
    int rc = EX_OK;

    memset(&z, 0, sizeof(z));
    if (in == NULL || out == NULL || sp.buf == NULL) {
        rc = EX_OSERR;
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, in, READ_CHUNK);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            mt_warn("report: %s: %s", name, strerror(errno));
            rc = EX_IOERR;
            break;
        }
        if (n == 0)
            break;
        done += (uint64_t)n;
        if (r->progress.on)
            progress_update(&r->progress, done);
        if (first) {
            first = false;
            gz = n >= 2 && in[0] == 0x1f && in[1] == 0x8b;
            if (gz) {
                if (inflateInit2(&z, 15 + 16) != Z_OK) {
                    rc = EX_OSERR;
                    break;
                }
                zinit = true;
            }
        }
        if (!gz) {
            split(r, &sp, name, (const char *)in, (size_t)n);
            continue;
        }
        z.next_in = in;
        z.avail_in = (uInt)n;
        while (z.avail_in > 0) {
            int zr;
            z.next_out = out;
            z.avail_out = READ_CHUNK;
            zr = inflate(&z, Z_NO_FLUSH);
            if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
                mt_warn("report: %s: corrupt gzip data near byte %llu: %s", name,
                        (unsigned long long)(done - z.avail_in), z.msg ? z.msg : "inflate error");
                rc = EX_DATAERR;
                goto end;
            }
            split(r, &sp, name, (const char *)out, READ_CHUNK - z.avail_out);
            if (zr == Z_STREAM_END) {
                /* Another gzip member may follow (concatenated files). */
                if (inflateReset(&z) != Z_OK) {
                    rc = EX_DATAERR;
                    goto end;
                }
            } else if (zr == Z_BUF_ERROR && z.avail_in > 0 && z.avail_out > 0) {
                break;
            }
        }
    }
end:
    if (gz && rc == EX_OK && z.total_in > 0) {
        /* Mid-member at end of input: truncated file. */
        mt_warn("report: %s: gzip data ends early (truncated file)", name);
        rc = EX_DATAERR;
    }
    split_end(r, &sp, name);
    (void)size;
out:
    if (zinit)
        inflateEnd(&z);
    free(in);
    free(out);
    free(sp.buf);
    return rc;
}

/* Opens and reads one LOG argument. */
static int
read_log(struct report *r, const char *path)
{
    struct stat stbuf;
    int fd, rc;
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    uint64_t size = 0;

    if (strcmp(path, "-") == 0) {
        fd = STDIN_FILENO;
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            mt_warn("report: %s: %s", path, strerror(errno));
            return EX_NOINPUT;
        }
    }
    if (fstat(fd, &stbuf) == 0) {
        struct mt_logclock *clk = mt_correlate_clock(r->corr);
        if (S_ISDIR(stbuf.st_mode)) {
            mt_warn("report: %s: is a directory", path);
            if (fd != STDIN_FILENO)
                close(fd);
            return EX_NOINPUT;
        }
        if (S_ISREG(stbuf.st_mode)) {
            size = (uint64_t)stbuf.st_size;
            /* A rotated file's mtime is the best guess for its year. */
            if (!clk->has_last)
                clk->ref = (int64_t)stbuf.st_mtime;
        }
    }
    if (r->progress.on)
        progress_start(&r->progress, name, size);
    rc = read_fd(r, fd, name, size);
    if (r->progress.on)
        progress_done();
    if (fd != STDIN_FILENO)
        close(fd);
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

/* Parses the options into r; returns EX_OK or EX_USAGE. */
static int
parse_args(struct report *r, int argc, char **argv, int *first_log)
{
    enum { O_EVENTS = 256, O_JSON, O_CSV, O_PROM, O_HTML, O_SINCE, O_UNTIL, O_HOST, O_TOP };
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
    if (optind >= argc) {
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
    bool big = false;

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
    if (mt_correlate_new(NULL, &sink, ctx->now, local_offset(ctx->now), &r.corr) != MT_OK) {
        mt_warn("report: out of memory");
        mt_stats_done(&r.stats);
        return EX_OSERR;
    }
    /* Progress only on a terminal and for input worth waiting for. */
    for (i = first; i < argc && ctx->stderr_tty; i++) {
        struct stat st;
        if (strcmp(argv[i], "-") == 0 || (stat(argv[i], &st) == 0 && st.st_size > (16 << 20)))
            big = true;
    }
    r.progress.on = big;

    for (i = first; i < argc; i++) {
        rc = read_log(&r, argv[i]);
        if (rc != EX_OK && status == EX_OK)
            status = rc;
        if (r.st != MT_OK || r.write_failed)
            break;
    }
    mt_correlate_finish(r.corr);
    if (r.warnings > MAX_WARNINGS)
        mt_warn("report: %llu more lines not understood (%llu in all)",
                (unsigned long long)(r.warnings - MAX_WARNINGS),
                (unsigned long long)r.info.bad_lines);

    if (r.st != MT_OK) {
        mt_warn("report: %s", mt_status_str(r.st));
        status = mt_status_sysexit(r.st);
    } else if (r.fmt == FMT_EVENTS) {
        if (r.write_failed || fflush(stdout) != 0 || ferror(stdout)) {
            mt_warn("report: standard output: write error");
            status = EX_IOERR;
        }
    } else {
        rc = write_report(&r);
        if (rc != EX_OK)
            status = rc;
    }
    if (status == EX_OK && r.info.lines > 0 && r.understood == 0) {
        mt_warn("report: no line of the input was understood as a log line");
        status = EX_DATAERR;
    }
    mt_correlate_free(r.corr);
    mt_stats_done(&r.stats);
    return status;
}
