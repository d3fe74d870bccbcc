/* test_config.c - the configuration table, parser, errors and formatting. */
#include <stdlib.h>

#include "config.h"
#include "tls.h"
#include "mt_test.h"

/* Parses text into a fresh configuration; returns the status, err filled. */
static enum mt_status
parse(struct mt_config *cfg, const char *text, struct mt_error *err)
{
    CHECK_INT(mt_config_init(cfg), MT_OK);
    return mt_config_parse(cfg, text, strlen(text), "test.conf", err);
}

/* The formatted value of setting name (static buffer). */
static const char *
value_of(const struct mt_config *cfg, const char *name, bool *is_set)
{
    static char buf[1024];
    const char *n;
    size_t i;

    for (i = 0; mt_config_entry(cfg, i, &n, buf, sizeof(buf), is_set) == MT_OK; i++)
        if (strcmp(n, name) == 0)
            return buf;
    return NULL;
}

/* Expects text to fail with MT_ECONFIG at line, with msg containing want. */
static void
expect_error(const char *text, unsigned long line, const char *want)
{
    struct mt_config cfg;
    struct mt_error err;
    enum mt_status st = parse(&cfg, text, &err);

    CHECK_INT(st, MT_ECONFIG);
    CHECK_INT(err.status, MT_ECONFIG);
    CHECK_STR(err.file, "test.conf");
    CHECK_INT(err.line, line);
    if (strstr(err.msg, want) == NULL) {
        fprintf(stderr, "error for %s: got \"%s\", want \"%s\"\n", text, err.msg, want);
        CHECK(0);
    }
    mt_config_done(&cfg);
}

/* Every default, as `mailtls config` prints them. */
static void
test_defaults(void)
{
    struct mt_config cfg;
    bool set = true;

    CHECK_INT(mt_config_init(&cfg), MT_OK);
    CHECK_STR(cfg.database, "sqlite:/var/lib/mailtls/mailtls.db");
    CHECK_INT(cfg.my_hostnames.n, 0);
    CHECK_INT(cfg.my_domains.n, 0);
    CHECK_STR(cfg.authserv_id, "");
    CHECK(!cfg.notify);
    CHECK_INT(cfg.notify_triggers, (1u << MT_VERDICT_PLAINTEXT) | (1u << MT_VERDICT_INSECURE) |
                                       (1u << MT_VERDICT_DEPRECATED));
    CHECK(cfg.notify_sender);
    CHECK(cfg.notify_postmaster);
    CHECK_INT(cfg.notify_interval, 30 * 86400);
    CHECK_INT(cfg.notify_daily_limit, 100);
    CHECK_STR(cfg.notice_from, "");
    CHECK_STR(cfg.sendmail_path, "/usr/sbin/sendmail");
    CHECK_STR(cfg.hmac_key_file, "/var/lib/mailtls/hmac.key");
    CHECK_STR(cfg.admin_address, "");
    CHECK_INT(cfg.retention, 400 * 86400);
    CHECK_INT(cfg.notify_deadline, 10);
    CHECK_INT(cfg.notify_header_limit, 256 * 1024);
    CHECK_INT(cfg.guide_urls.n, 2);
    CHECK_STR(cfg.guide_urls.v[0], "https://www.postfix.org/TLS_README.html");
    CHECK_STR(value_of(&cfg, "notify_interval", &set), "30d");
    CHECK(!set);
    CHECK_STR(value_of(&cfg, "notify_triggers", NULL), "plaintext, insecure, deprecated");
    CHECK_STR(value_of(&cfg, "notify_header_limit", NULL), "256k");
    CHECK_STR(value_of(&cfg, "retention", NULL), "400d");
    CHECK_STR(value_of(&cfg, "notify", NULL), "no");
    CHECK_STR(value_of(&cfg, "my_hostnames", NULL), "");
    mt_config_done(&cfg);
    mt_config_done(&cfg); /* twice is harmless */
    mt_config_done(NULL);
}

/* Syntax: comments, blank lines, continuations, spacing, CR LF. */
static void
test_syntax(void)
{
    struct mt_config cfg;
    struct mt_error err;
    bool set = false;
    const char *text = "# mailtls.conf\n"
                       "\n"
                       "my_hostnames = mx1.example.org,mx2.example.org\n"
                       "    .relay.example.org\n"
                       "  # an indented comment does not continue the value\n"
                       "\tmx3.example.org\r\n"
                       "notify=yes\n"
                       "authserv_id   =   mx.example.org   \n"
                       "notice_from = tls-notices@example.org";

    CHECK_INT(parse(&cfg, text, &err), MT_OK);
    CHECK_INT(cfg.my_hostnames.n, 4);
    CHECK_STR(cfg.my_hostnames.v[0], "mx1.example.org");
    CHECK_STR(cfg.my_hostnames.v[2], ".relay.example.org");
    CHECK_STR(cfg.my_hostnames.v[3], "mx3.example.org");
    CHECK(cfg.notify);
    CHECK_STR(cfg.authserv_id, "mx.example.org");
    CHECK_STR(cfg.notice_from, "tls-notices@example.org");
    CHECK_STR(value_of(&cfg, "my_hostnames", &set),
              "mx1.example.org, mx2.example.org, .relay.example.org, mx3.example.org");
    CHECK(set);
    CHECK_STR(value_of(&cfg, "database", &set), "sqlite:/var/lib/mailtls/mailtls.db");
    CHECK(!set);
    mt_config_done(&cfg);

    /* An empty file and a file of comments change nothing. */
    CHECK_INT(parse(&cfg, "", &err), MT_OK);
    mt_config_done(&cfg);
    CHECK_INT(parse(&cfg, "# only\n   \n#x = y\n", &err), MT_OK);
    CHECK(!cfg.notify);
    mt_config_done(&cfg);

    /* An empty value empties a list. */
    CHECK_INT(parse(&cfg, "guide_urls =\n", &err), MT_OK);
    CHECK_INT(cfg.guide_urls.n, 0);
    mt_config_done(&cfg);
}

/* Every type with good values. */
static void
test_types(void)
{
    struct mt_config cfg;
    struct mt_error err;

    CHECK_INT(parse(&cfg,
                    "database = sqlite:/tmp/x.db\n"
                    "notify_sender = NO\n"
                    "notify_postmaster = Yes\n"
                    "notify_interval = 2w\n"
                    "retention = 36h\n"
                    "notify_deadline = 90\n"
                    "notify_daily_limit = 0\n"
                    "notify_header_limit = 1m\n"
                    "notify_triggers = plaintext legacy\n"
                    "template_dir = /srv/templates\n"
                    "guide_urls = http://a.example/x, https://b.example/y?z=1\n"
                    "my_domains = example.org example.net\n"
                    "admin_address = postmaster@example.org\n",
                    &err),
              MT_OK);
    CHECK_STR(cfg.database, "sqlite:/tmp/x.db");
    CHECK(!cfg.notify_sender);
    CHECK(cfg.notify_postmaster);
    CHECK_INT(cfg.notify_interval, 14 * 86400);
    CHECK_INT(cfg.retention, 36 * 3600);
    CHECK_INT(cfg.notify_deadline, 90);
    CHECK_INT(cfg.notify_daily_limit, 0);
    CHECK_INT(cfg.notify_header_limit, 1024 * 1024);
    CHECK_INT(cfg.notify_triggers, (1u << MT_VERDICT_PLAINTEXT) | (1u << MT_VERDICT_LEGACY));
    CHECK_STR(cfg.template_dir, "/srv/templates");
    CHECK_INT(cfg.guide_urls.n, 2);
    CHECK_STR(cfg.guide_urls.v[1], "https://b.example/y?z=1");
    CHECK_INT(cfg.my_domains.n, 2);
    CHECK_STR(cfg.admin_address, "postmaster@example.org");
    /* Formatting: the largest exact unit. */
    CHECK_STR(value_of(&cfg, "notify_interval", NULL), "2w");
    CHECK_STR(value_of(&cfg, "retention", NULL), "36h");
    CHECK_STR(value_of(&cfg, "notify_deadline", NULL), "90s");
    CHECK_STR(value_of(&cfg, "notify_header_limit", NULL), "1m");
    CHECK_STR(value_of(&cfg, "notify_triggers", NULL), "plaintext, legacy");
    CHECK_STR(value_of(&cfg, "notify_sender", NULL), "no");
    CHECK_STR(value_of(&cfg, "notify_daily_limit", NULL), "0");
    mt_config_done(&cfg);

    CHECK_INT(parse(&cfg, "notify_header_limit = 1500\nnotify_interval = 61\n", &err), MT_OK);
    CHECK_STR(value_of(&cfg, "notify_header_limit", NULL), "1500");
    CHECK_STR(value_of(&cfg, "notify_interval", NULL), "61s");
    mt_config_done(&cfg);
    CHECK_INT(parse(&cfg, "notify_triggers =\n", &err), MT_OK);
    CHECK_INT(cfg.notify_triggers, 0);
    CHECK_STR(value_of(&cfg, "notify_triggers", NULL), "");
    mt_config_done(&cfg);
}

/* Every error names the file and the line. */
static void
test_errors(void)
{
    expect_error("frobnicate = 1\n", 1, "unknown setting 'frobnicate'");
    expect_error("notify = yes\n\nnotify = no\n", 3, "'notify' is set twice (first on line 1)");
    expect_error("notify yes\n", 1, "expected 'name = value'");
    expect_error("= yes\n", 1, "expected 'name = value'");
    expect_error("  my_hostnames = a\n", 1, "continuation line");
    expect_error("notify = maybe\n", 1, "expected yes or no");
    expect_error("notify =\n", 1, "expected yes or no");
    expect_error("\nnotify_interval = 30x\n", 2, "bad time '30x'");
    expect_error("notify_interval = d\n", 1, "bad time");
    expect_error("notify_interval = -1d\n", 1, "bad time");
    expect_error("notify_interval = 99999999999999999999w\n", 1, "bad time");
    expect_error("notify_deadline = 0\n", 1, "bad time");
    expect_error("retention = 1h\n", 1, "bad time");
    expect_error("notify_daily_limit = 1k\n", 1, "bad number");
    expect_error("notify_daily_limit = -5\n", 1, "bad number");
    expect_error("notify_header_limit = 10\n", 1, "bad size");
    expect_error("notify_header_limit = 1t\n", 1, "bad size");
    expect_error("notify_triggers = plaintext, ok\n", 1, "'ok' is not one of");
    expect_error("notify_triggers = bogus\n", 1, "'bogus' is not one of");
    expect_error("my_hostnames = mx.example.org # our MX\n", 1, "starts a comment only");
    expect_error("my_domains = exa mple!.org\n", 1, "is not a host or domain name");
    expect_error("my_hostnames = .\n", 1, "is not a host or domain name");
    expect_error("guide_urls = ftp://x.example/\n", 1, "is not a http:// or https:// URL");
    expect_error("guide_urls = https://\n", 1, "URL");
    expect_error("sendmail_path = sendmail\n", 1, "not an absolute path");
    expect_error("sendmail_path =\n", 1, "must not be empty");
    expect_error("database =   \n", 1, "must not be empty");
    expect_error("notice_from = Notices <n@example.org>\n", 1, "not a plain address");
    expect_error("notice_from = -oi@example.org\n", 1, "not a plain address");
    expect_error("admin_address = nobody\n", 1, "not a plain address");
    expect_error("admin_address = a@b@c\n", 1, "not a plain address");
    expect_error("authserv_id = two words\n", 1, "not a single word");
    expect_error("notify = yes\nnotify_sender = no\n\tmore\n", 2, "expected yes or no");
    {
        static const char nul[] = "notify = no\nnotify_sender = y\0es\n";
        struct mt_config cfg;
        struct mt_error err;
        CHECK_INT(mt_config_init(&cfg), MT_OK);
        CHECK_INT(mt_config_parse(&cfg, nul, sizeof(nul) - 1, "test.conf", &err), MT_ECONFIG);
        CHECK_INT(err.line, 2);
        CHECK(strstr(err.msg, "NUL") != NULL);
        mt_config_done(&cfg);
    }
    {
        /* A logical line over the ceiling. */
        size_t n = 100000, i;
        char *big = malloc(n + 32);
        struct mt_config cfg;
        struct mt_error err;
        CHECK(big != NULL);
        strcpy(big, "my_domains = a\n");
        for (i = strlen(big); i < n; i += 12)
            memcpy(big + i, " bbbbbbbbbb\n", 12);
        big[i] = '\0';
        CHECK_INT(mt_config_init(&cfg), MT_OK);
        CHECK_INT(mt_config_parse(&cfg, big, strlen(big), "test.conf", &err), MT_ECONFIG);
        CHECK_INT(err.line, 1);
        CHECK(strstr(err.msg, "longer than") != NULL);
        mt_config_done(&cfg);
        /* A list over its ceiling of entries. */
        strcpy(big, "my_domains = a\n");
        for (i = strlen(big); i < 4000; i += 3)
            memcpy(big + i, " b\n", 3);
        big[i] = '\0';
        CHECK_INT(mt_config_init(&cfg), MT_OK);
        CHECK_INT(mt_config_parse(&cfg, big, strlen(big), "test.conf", &err), MT_ECONFIG);
        CHECK_INT(err.line, 1);
        CHECK(strstr(err.msg, "more than 1024 entries") != NULL);
        mt_config_done(&cfg);
        free(big);
    }
}

/* A failed parse keeps the earlier value of the setting in error. */
static void
test_error_keeps_value(void)
{
    struct mt_config cfg;
    struct mt_error err;

    CHECK_INT(parse(&cfg, "my_hostnames = a.example\nmy_domains = ok.example bad!\n", &err),
              MT_ECONFIG);
    CHECK_INT(cfg.my_hostnames.n, 1);
    CHECK_INT(cfg.my_domains.n, 0);
    mt_config_done(&cfg);
}

/* mt_config_set, mt_config_default, describe, entry limits. */
static void
test_api(void)
{
    struct mt_config cfg;
    struct mt_error err;
    char small[4];
    const char *name;
    bool set = true;
    size_t i;

    CHECK_INT(mt_config_init(&cfg), MT_OK);
    CHECK_INT(mt_config_default(&cfg, "template_dir", "/opt/mailtls/templates", &err), MT_OK);
    CHECK_STR(value_of(&cfg, "template_dir", &set), "/opt/mailtls/templates");
    CHECK(!set);
    CHECK_INT(mt_config_default(&cfg, "nonesuch", "1", &err), MT_ECONFIG);
    CHECK_INT(mt_config_set(&cfg, "notify", "yes", &err), MT_OK);
    CHECK(cfg.notify);
    CHECK_STR(value_of(&cfg, "notify", &set), "yes");
    CHECK(set);
    CHECK_INT(mt_config_set(&cfg, "notify", "perhaps", &err), MT_ECONFIG);
    CHECK_INT(err.line, 0);
    CHECK(err.file == NULL);
    CHECK(cfg.notify);
    CHECK_INT(mt_config_set(&cfg, "nonesuch", "1", &err), MT_ECONFIG);
    CHECK(strstr(err.msg, "unknown setting 'nonesuch'") != NULL);
    /* A file may set what the command line set before: repeats count per file. */
    CHECK_INT(mt_config_parse(&cfg, "notify = no\n", 12, "x.conf", &err), MT_OK);
    CHECK(!cfg.notify);

    CHECK_INT(mt_config_entry(&cfg, 0, &name, small, sizeof(small), NULL), MT_ELIMIT);
    CHECK_STR(small, "");
    for (i = 0; mt_config_describe(i) != NULL; i++)
        CHECK(strlen(mt_config_describe(i)) > 10);
    CHECK_INT(i, 19);
    CHECK_INT(mt_config_entry(&cfg, i, &name, small, sizeof(small), NULL), MT_NOTFOUND);
    mt_config_done(&cfg);
}

/* Every setting of the table is documented in mailtls.conf(5). */
static void
test_manual(void)
{
    static char page[65536];
    FILE *f = fopen(MT_SRCDIR "/man/mailtls.conf.5", "r");
    struct mt_config cfg;
    char value[1024], want[128];
    const char *name;
    size_t n, i;

    CHECK(f != NULL);
    if (f == NULL)
        return;
    n = fread(page, 1, sizeof(page) - 1, f);
    fclose(f);
    page[n] = '\0';
    CHECK_INT(mt_config_init(&cfg), MT_OK);
    for (i = 0; mt_config_entry(&cfg, i, &name, value, sizeof(value), NULL) == MT_OK; i++) {
        const char *at, *eol;
        snprintf(want, sizeof(want), ".It Cm %s No (default:", name);
        at = strstr(page, want);
        if (at == NULL) {
            fprintf(stderr, "mailtls.conf.5 does not document %s\n", name);
            CHECK(0);
            continue;
        }
        /* The default on that line is the one in the table. */
        eol = strchr(at, '\n');
        if (strcmp(name, "template_dir") != 0) {
            const char *v = value[0] != '\0' ? value : "empty";
            const char *hit = strstr(at, v);
            if (hit == NULL || hit > eol) {
                fprintf(stderr, "mailtls.conf.5: %s default is not '%s'\n", name, v);
                CHECK(0);
            }
        }
    }
    CHECK_INT(i, 19);
    mt_config_done(&cfg);
}

int
main(void)
{
    test_defaults();
    test_syntax();
    test_types();
    test_errors();
    test_error_keeps_value();
    test_api();
    test_manual();
    return mt_test_done();
}
