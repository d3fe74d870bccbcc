/*
 * config.h - the mailtls configuration: one table of settings, one struct.
 *
 * The file format is Postfix's main.cf: "name = value" lines, "#" comments on
 * lines of their own, empty lines ignored, a line starting with white space
 * continues the previous value (see postconf(5)). Lists (my_hostnames,
 * my_domains, notify_triggers, guide_urls) are separated by commas and/or
 * white space. Time values take Postfix's units: s, m, h, d, w ("30d");
 * a bare number is seconds. Booleans are yes/no.
 *
 * Every setting is described once in a table in config.c (name, type,
 * default, where it lives in struct mt_config, a one-line description used
 * by `mailtls config`). Unknown names, repeated names, and bad values are
 * MT_ECONFIG errors naming the file and line. Defaults apply to what the file
 * does not set; mt_config_is_set() tells which settings the file set (for
 * `mailtls config -n`, like `postconf -n`).
 *
 * Ownership: struct mt_config owns its strings and lists; mt_config_done()
 * frees them. No I/O here: the program reads the file and passes the bytes.
 */
#ifndef MT_CONFIG_H
#define MT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* A list of owned NUL-terminated strings. */
struct mt_strlist {
    char **v;
    size_t n;
};

struct mt_config {
    char *database;                 /* "sqlite:/var/lib/mailtls/mailtls.db" */
    struct mt_strlist my_hostnames; /* names our MTA writes in "by" */
    struct mt_strlist my_domains;   /* our mail domains (no notices to them) */
    char *authserv_id;              /* our Authentication-Results authserv-id */
    bool notify;                    /* send notices (else only log them) */
    unsigned notify_triggers;       /* bit set: 1u << enum mt_verdict */
    bool notify_sender;             /* tell the envelope sender */
    bool notify_postmaster;         /* tell postmaster@ the sender's domain */
    int64_t notify_interval;        /* seconds between notices to one address */
    long notify_daily_limit;        /* notices per day, all recipients */
    char *notice_from;              /* From: of notices */
    char *template_dir;             /* directory of notice templates */
    struct mt_strlist guide_urls;   /* links in notices */
    char *sendmail_path;            /* /usr/sbin/sendmail */
    char *hmac_key_file;            /* key for hashing stored addresses */
    char *admin_address;            /* where downgrade reports go, or NULL */
    int64_t retention;              /* seconds to keep observations */
    int64_t notify_deadline;        /* seconds mailtls notify may take */
    size_t notify_header_limit;     /* bytes of headers notify reads */
    unsigned char set[32];          /* per table entry: set by the file */
};

/* Sets every setting to its default. */
enum mt_status mt_config_init(struct mt_config *cfg);

/* Frees what cfg owns; cfg may then be re-initialised. NULL is a no-op. */
void mt_config_done(struct mt_config *cfg);

/*
 * Parses buf[0..len) as a configuration file named fname (for messages;
 * borrowed by err) over the values already in cfg.
 */
enum mt_status mt_config_parse(struct mt_config *cfg, const char *buf, size_t len,
                               const char *fname, struct mt_error *err);

/*
 * Sets one setting from a name and a value, as a "name = value" line would
 * (used for command-line overrides). err gets no location.
 */
enum mt_status mt_config_set(struct mt_config *cfg, const char *name, const char *value,
                             struct mt_error *err);

/*
 * Changes the default of one setting (before parsing), for defaults that
 * depend on where the program is installed (template_dir): like
 * mt_config_set, but the setting does not count as set by the file.
 */
enum mt_status mt_config_default(struct mt_config *cfg, const char *name, const char *value,
                                 struct mt_error *err);

/*
 * The one-line description of setting number i of the table, or NULL past
 * the end (for `mailtls config -v`).
 */
const char *mt_config_describe(size_t i);

/*
 * Formats setting number i of the table (0, 1, ... until MT_NOTFOUND):
 * *name gets its name (static), value its value as a config line would
 * write it (lists comma-separated, times in the largest exact unit), and
 * *is_set whether the file set it. MT_ELIMIT when value is too small.
 * `mailtls config` prints these lines; `-n` prints only the ones set.
 */
enum mt_status mt_config_entry(const struct mt_config *cfg, size_t i, const char **name,
                               char *value, size_t valsz, bool *is_set);

#endif
