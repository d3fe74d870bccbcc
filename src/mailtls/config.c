/*
 * config.c - loading the configuration file for every command, and the
 * `mailtls config` command that prints settings like postconf(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "mt_build.h"

#define CONFIG_FILE_MAX (1024 * 1024) /* a configuration file larger than this is a mistake */
#define VALUE_MAX       (64 * 1024)

/* Records a -c FILE given among a command's options. */
void
mt_ctx_set_config(struct mt_ctx *ctx, const char *path)
{
    ctx->config_path = path;
    ctx->config_explicit = true;
}

/* Reads the whole file at path into a new buffer; errno set on failure. */
static char *
slurp(const char *path, size_t *len)
{
    struct stat st;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    for (;;) {
        ssize_t r;
        if (n == cap) {
            char *nb;
            if (cap >= CONFIG_FILE_MAX) {
                free(buf);
                close(fd);
                errno = EFBIG;
                return NULL;
            }
            cap = cap ? cap * 2 : 8192;
            nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                close(fd);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    *len = n;
    return buf != NULL ? buf : malloc(1);
}

/* Defaults, then the file. */
int
mt_ctx_load_config(struct mt_ctx *ctx, struct mt_config *cfg)
{
    struct mt_error err;
    enum mt_status st;
    char *buf;
    size_t len = 0;

    if (mt_config_init(cfg) != MT_OK) {
        mt_warn("out of memory");
        return EX_OSERR;
    }
    st = mt_config_default(cfg, "template_dir", MT_DATADIR "/templates", &err);
    if (st != MT_OK) {
        mt_warn_error(NULL, &err);
        mt_config_done(cfg);
        return mt_status_sysexit(st);
    }
    buf = slurp(ctx->config_path, &len);
    if (buf == NULL) {
        if (errno == ENOENT && !ctx->config_explicit)
            return EX_OK; /* no file: the defaults */
        mt_warn("%s: cannot read the configuration: %s", ctx->config_path,
                errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
        mt_config_done(cfg);
        return errno == ENOMEM ? EX_OSERR : EX_CONFIG;
    }
    st = mt_config_parse(cfg, buf, len, ctx->config_path, &err);
    free(buf);
    if (st != MT_OK) {
        mt_warn_error(NULL, &err);
        mt_config_done(cfg);
        return mt_status_sysexit(st);
    }
    return EX_OK;
}

/* Prints the `mailtls config` usage. */
static void
usage(FILE *f)
{
    fputs("usage: mailtls config [-c FILE] [-d | -n] [-v] [NAME...]\n"
          "Prints settings as \"name = value\" lines (see mailtls.conf(5)).\n"
          "  -c, --config FILE  read FILE instead of the default configuration\n"
          "  -d, --defaults     print the defaults, ignoring the file\n"
          "  -n, --non-default  print only the settings the file sets\n"
          "  -v, --verbose      describe each setting in a comment line above it\n"
          "  -h, --help         this text\n",
          f);
}

/* Index of the setting called name, or -1. */
static long
index_of(const struct mt_config *cfg, const char *name)
{
    char value[8];
    const char *n;
    size_t i;
    enum mt_status st;

    for (i = 0; (st = mt_config_entry(cfg, i, &n, value, sizeof(value), NULL)) != MT_NOTFOUND; i++)
        if (strcmp(n, name) == 0)
            return (long)i;
    return -1;
}

/* Prints entry i, unless only_set and the file did not set it. */
static int
print_entry(const struct mt_config *cfg, size_t i, bool only_set, bool verbose, char *value)
{
    const char *name;
    bool is_set;

    if (mt_config_entry(cfg, i, &name, value, VALUE_MAX, &is_set) != MT_OK) {
        mt_warn("config: value of %s too long to print", name);
        return EX_SOFTWARE;
    }
    if (only_set && !is_set)
        return EX_OK;
    if (verbose)
        printf("# %s\n", mt_config_describe(i));
    printf("%s =%s%s\n", name, value[0] != '\0' ? " " : "", value);
    return EX_OK;
}

/* `mailtls config [-c FILE] [-d | -n] [-v] [NAME...]`. */
int
mt_cmd_config(struct mt_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "defaults", no_argument, NULL, 'd' },
        { "non-default", no_argument, NULL, 'n' },  { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    struct mt_config cfg;
    bool defaults = false, only_set = false, verbose = false;
    char *value = NULL;
    int c, rc = EX_OK, i;

    while ((c = getopt_long(argc, argv, "c:dnvh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            mt_ctx_set_config(ctx, optarg);
            break;
        case 'd':
            defaults = true;
            break;
        case 'n':
            only_set = true;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage(stdout);
            return EX_OK;
        default:
            usage(stderr);
            return EX_USAGE;
        }
    }
    if (defaults && only_set) {
        mt_warn("config: -d and -n exclude each other");
        return EX_USAGE;
    }
    if (defaults) {
        struct mt_error err;
        if (mt_config_init(&cfg) != MT_OK) {
            mt_warn("out of memory");
            return EX_OSERR;
        }
        if (mt_config_default(&cfg, "template_dir", MT_DATADIR "/templates", &err) != MT_OK) {
            mt_warn_error(NULL, &err);
            mt_config_done(&cfg);
            return EX_SOFTWARE;
        }
    } else if ((rc = mt_ctx_load_config(ctx, &cfg)) != EX_OK) {
        return rc;
    }
    for (i = optind; i < argc; i++) {
        if (index_of(&cfg, argv[i]) < 0) {
            mt_warn("config: unknown setting '%s' (mailtls.conf(5) lists them)", argv[i]);
            rc = EX_USAGE;
            goto out;
        }
    }
    value = malloc(VALUE_MAX);
    if (value == NULL) {
        mt_warn("out of memory");
        rc = EX_OSERR;
        goto out;
    }
    if (optind < argc) {
        for (i = optind; i < argc && rc == EX_OK; i++)
            rc = print_entry(&cfg, (size_t)index_of(&cfg, argv[i]), only_set, verbose, value);
    } else {
        size_t k;
        for (k = 0; mt_config_describe(k) != NULL && rc == EX_OK; k++)
            rc = print_entry(&cfg, k, only_set, verbose, value);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        mt_warn("config: write error on standard output");
        rc = EX_IOERR;
    }
out:
    free(value);
    mt_config_done(&cfg);
    return rc;
}
