/*
 * main.c - the mailtls program: global options and command dispatch.
 *
 * The only place that reads the clock, the environment and terminal state;
 * everything is passed down in struct mt_ctx.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mt_build.h"

struct command {
    const char *name;
    int (*run)(struct mt_ctx *, int, char **);
    const char *summary;
};

static const struct command commands[] = {
    { "scan", mt_cmd_scan, "show the TLS of every Received: hop of messages" },
    { "report", mt_cmd_report, "TLS statistics from MTA logs" },
    { "notify", mt_cmd_notify, "record a message's TLS and notify its sender (pipe(8))" },
    { "db", mt_cmd_db, "query and maintain the store" },
    { "config", mt_cmd_config, "print the effective configuration" },
};

/* Monotonic clock in milliseconds, handed to commands through the context. */
static int64_t
monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Prints the top-level usage to f. */
static void
usage(FILE *f)
{
    size_t i;

    fputs("usage: mailtls [-c FILE] COMMAND [ARGS...]\n"
          "       mailtls --help | --version\n\ncommands:\n",
          f);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'mailtls COMMAND --help' describes a command; mailtls(1) has the details.\n", f);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    struct mt_ctx ctx;
    const char *env;
    size_t i;
    int c;

    memset(&ctx, 0, sizeof(ctx));
    ctx.progname = "mailtls";
    ctx.config_path = MT_SYSCONFDIR "/mailtls/mailtls.conf";
    env = getenv("MAILTLS_CONFIG");
    if (env != NULL && env[0] != '\0') {
        ctx.config_path = env;
        ctx.config_explicit = true;
    }
    ctx.now = (int64_t)time(NULL);
    ctx.clock_ms = monotonic_ms;
    ctx.stdout_tty = isatty(STDOUT_FILENO) == 1;
    ctx.stderr_tty = isatty(STDERR_FILENO) == 1;
    env = getenv("NO_COLOR");
    ctx.no_color = env != NULL && env[0] != '\0';
    ctx.tz = getenv("TZ");
    ctx.mail_config = getenv("MAIL_CONFIG");

    /* "+" stops at the command name: its options are its own. */
    while ((c = getopt_long(argc, argv, "+c:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            ctx.config_path = optarg;
            ctx.config_explicit = true;
            break;
        case 'h':
            usage(stdout);
            return EX_OK;
        case 'V':
            printf("mailtls %s\n", MT_VERSION);
            return EX_OK;
        default:
            usage(stderr);
            return EX_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EX_USAGE;
    }
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[optind], commands[i].name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 1; /* reset getopt for the command */
            return commands[i].run(&ctx, sub_argc, sub_argv);
        }
    }
    mt_warn("unknown command '%s' (try 'mailtls --help')", argv[optind]);
    return EX_USAGE;
}
