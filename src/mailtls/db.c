/*
 * db.c - `mailtls db`: query and maintain the store that `mailtls notify`
 * fills (lib/store.h). Subcommands: domains, show, notices, suppress,
 * unsuppress, suppressions, purge, export. Tables for people, --json for
 * programs (json-c does the escaping). mailtls(1), section "db", is the
 * user's contract.
 */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "address.h"
#include "cli.h"
#include "config.h"
#include "notify_io.h"
#include "store.h"
#include "tls.h"
#include "util/hmac.h"

struct db {
    struct mt_ctx *ctx;
    struct mt_config cfg;
    struct mt_store *store;
    bool json;
    int rows;
};

/* Prints the usage of db. */
static void
usage(FILE *f)
{
    fputs("usage: mailtls db [-c FILE] domains [--json] "
          "[--sort=messages|plaintext|last_seen|domain]\n"
          "                                   [--verdict VERDICT]\n"
          "       mailtls db [-c FILE] show DOMAIN [--json]\n"
          "       mailtls db [-c FILE] notices [DOMAIN] [--json]\n"
          "       mailtls db [-c FILE] suppress DOMAIN|ADDRESS\n"
          "       mailtls db [-c FILE] unsuppress DOMAIN|ADDRESS\n"
          "       mailtls db [-c FILE] suppressions [--json]\n"
          "       mailtls db [-c FILE] purge\n"
          "       mailtls db [-c FILE] export --json\n"
          "See mailtls(1), section DB.\n",
          f);
}

/* "2025-07-01 12:00" (UTC) or "-" for 0. */
static const char *
tstr(int64_t t, char *buf, size_t sz)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
        return "-";
    strftime(buf, sz, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

/* A JSON time: "2025-07-01T12:00:00Z", or null for 0. */
static json_object *
jtime(int64_t t)
{
    char buf[32];
    struct tm tm;
    time_t tt = (time_t)t;

    if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
        return NULL;
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_object_new_string(buf);
}

/* A JSON string, or null for "". */
static json_object *
jstr(const char *s)
{
    return s[0] != '\0' ? json_object_new_string(s) : NULL;
}

/* Prints o on one line and frees it. */
static void
jprint(json_object *o)
{
    puts(
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

/* Messages that used TLS (ok, legacy, deprecated, insecure). */
static long long
tls_count(const long long *v)
{
    return v[MT_VERDICT_OK] + v[MT_VERDICT_LEGACY] + v[MT_VERDICT_DEPRECATED] +
           v[MT_VERDICT_INSECURE];
}

/* A domain row as JSON. */
static json_object *
domain_json(const struct mt_domain_row *d)
{
    json_object *o = json_object_new_object(), *v = json_object_new_object(), *b, *l;
    int i;

    json_object_object_add(o, "domain", json_object_new_string(d->domain));
    json_object_object_add(o, "messages", json_object_new_int64(d->messages));
    json_object_object_add(o, "tls", json_object_new_int64(tls_count(d->by_verdict)));
    json_object_object_add(o, "plaintext",
                           json_object_new_int64(d->by_verdict[MT_VERDICT_PLAINTEXT]));
    for (i = 0; i < MT_VERDICT_COUNT; i++)
        json_object_object_add(v, mt_verdict_str((enum mt_verdict)i),
                               json_object_new_int64(d->by_verdict[i]));
    json_object_object_add(o, "verdicts", v);
    json_object_object_add(o, "first_seen", jtime(d->first_seen));
    json_object_object_add(o, "last_seen", jtime(d->last_seen));
    json_object_object_add(o, "last_tls", jtime(d->last_tls));
    json_object_object_add(o, "last_plaintext", jtime(d->last_plaintext));
    b = json_object_new_object();
    json_object_object_add(b, "verdict", json_object_new_string(mt_verdict_str(d->best_verdict)));
    json_object_object_add(b, "protocol", jstr(d->best_protocol));
    json_object_object_add(b, "cipher", jstr(d->best_cipher));
    json_object_object_add(o, "best", b);
    l = json_object_new_object();
    json_object_object_add(l, "verdict", json_object_new_string(mt_verdict_str(d->latest_verdict)));
    json_object_object_add(l, "protocol", jstr(d->latest_protocol));
    json_object_object_add(l, "cipher", jstr(d->latest_cipher));
    json_object_object_add(o, "latest", l);
    json_object_object_add(o, "notices", json_object_new_int64(d->notices));
    return o;
}

/* One line of the domains table. */
static int
domain_line(const struct mt_domain_row *d, void *arg)
{
    struct db *x = arg;
    char a[32], b[32];

    if (x->json) {
        jprint(domain_json(d));
        return 0;
    }
    if (x->rows++ == 0)
        printf("%-32s %8s %8s %9s %10s %-16s %-16s %s\n", "DOMAIN", "MESSAGES", "TLS", "PLAINTEXT",
               "DEPRECATED", "LAST_SEEN", "LAST_TLS", "LATEST");
    printf("%-32s %8lld %8lld %9lld %10lld %-16s %-16s %s\n", d->domain, d->messages,
           tls_count(d->by_verdict), d->by_verdict[MT_VERDICT_PLAINTEXT],
           d->by_verdict[MT_VERDICT_DEPRECATED] + d->by_verdict[MT_VERDICT_INSECURE],
           tstr(d->last_seen, a, sizeof(a)), tstr(d->last_tls, b, sizeof(b)),
           mt_verdict_str(d->latest_verdict));
    return 0;
}

/* A notice as JSON. */
static json_object *
notice_json(const struct mt_notice_row *n)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "time", jtime(n->time));
    json_object_object_add(o, "kind", json_object_new_string(n->kind));
    json_object_object_add(o, "domain", jstr(n->domain));
    json_object_object_add(o, "recipient_hmac", jstr(n->recipient_hash));
    json_object_object_add(o, "verdict", json_object_new_string(mt_verdict_str(n->verdict)));
    json_object_object_add(o, "why", jstr(n->why));
    json_object_object_add(o, "status", json_object_new_string(n->status));
    return o;
}

/* One notice. */
static int
notice_line(const struct mt_notice_row *n, void *arg)
{
    struct db *x = arg;
    char a[32];

    if (x->json) {
        jprint(notice_json(n));
        return 0;
    }
    if (x->rows++ == 0)
        printf("%-16s %-10s %-28s %-10s %-8s %s\n", "TIME", "KIND", "DOMAIN", "VERDICT", "STATUS",
               "WHY");
    printf("%-16s %-10s %-28s %-10s %-8s %s\n", tstr(n->time, a, sizeof(a)), n->kind,
           n->domain[0] ? n->domain : "-", mt_verdict_str(n->verdict), n->status, n->why);
    return 0;
}

/* A suppression as JSON; export puts its "type" first. */
static json_object *
supp_json(const struct mt_suppression *s, const char *type)
{
    json_object *o = json_object_new_object();

    if (type != NULL)
        json_object_object_add(o, "type", json_object_new_string(type));
    json_object_object_add(o, "kind", json_object_new_string(mt_suppress_kind_str(s->kind)));
    json_object_object_add(o, s->kind == MT_SUPPRESS_DOMAIN ? "domain" : "address_hmac",
                           json_object_new_string(s->key));
    json_object_object_add(o, "since", jtime(s->since));
    return o;
}

/* One suppression. */
static int
supp_line(const struct mt_suppression *s, void *arg)
{
    struct db *x = arg;
    char a[32];

    if (x->json) {
        jprint(supp_json(s, NULL));
        return 0;
    }
    if (x->rows++ == 0)
        printf("%-8s %-66s %s\n", "KIND", "DOMAIN OR ADDRESS HMAC", "SINCE");
    printf("%-8s %-66s %s\n", mt_suppress_kind_str(s->kind), s->key, tstr(s->since, a, sizeof(a)));
    return 0;
}

/* One observation as a JSON line (export). */
static int
obs_line(const struct mt_observation *ob, void *arg)
{
    json_object *o = json_object_new_object();

    (void)arg;
    json_object_object_add(o, "type", json_object_new_string("observation"));
    json_object_object_add(o, "time", jtime(ob->time));
    json_object_object_add(o, "domain", jstr(ob->domain));
    json_object_object_add(o, "sender_hmac", jstr(ob->sender_hash));
    json_object_object_add(o, "client_ip", jstr(ob->client_ip));
    json_object_object_add(o, "client_helo", jstr(ob->client_helo));
    json_object_object_add(o, "queue_id", jstr(ob->queue_id));
    json_object_object_add(o, "tls", json_object_new_string(mt_tri_str(ob->used)));
    json_object_object_add(o, "protocol", jstr(ob->protocol));
    json_object_object_add(o, "cipher", jstr(ob->cipher));
    json_object_object_add(o, "bits", ob->bits >= 0 ? json_object_new_int(ob->bits) : NULL);
    json_object_object_add(o, "pfs", json_object_new_string(mt_tri_str(ob->pfs)));
    json_object_object_add(o, "verdict", json_object_new_string(mt_verdict_str(ob->verdict)));
    json_object_object_add(o, "spf_pass", json_object_new_boolean(ob->spf_pass));
    json_object_object_add(o, "decision", jstr(ob->decision));
    json_object_object_add(o, "client_name", jstr(ob->client_name));
    json_object_object_add(o, "our_host", jstr(ob->our_host));
    json_object_object_add(o, "trust",
                           ob->trust != MT_TRUST_UNKNOWN ? jstr(mt_trust_str(ob->trust)) : NULL);
    jprint(o);
    return 0;
}

/* Export: domains and notices get a "type" too. */
static int
export_domain(const struct mt_domain_row *d, void *arg)
{
    json_object *o = domain_json(d);

    (void)arg;
    json_object_object_add(o, "type", json_object_new_string("domain"));
    jprint(o);
    return 0;
}

/* Export of one notice. */
static int
export_notice(const struct mt_notice_row *n, void *arg)
{
    json_object *o = notice_json(n);

    (void)arg;
    json_object_object_add(o, "type", json_object_new_string("notice"));
    jprint(o);
    return 0;
}

/* Export of one suppression. */
static int
export_supp(const struct mt_suppression *s, void *arg)
{
    (void)arg;
    jprint(supp_json(s, "suppression"));
    return 0;
}

/* Reports a store error and returns the exit status for it. */
static int
store_fail(const struct mt_error *err)
{
    mt_warn_error("db", err);
    return mt_status_sysexit(err->status);
}

/* Opens the store; create for commands that write before notify ever ran. */
static int
open_store(struct db *x, bool create)
{
    struct mt_store_options so = { 0, create };
    struct mt_error err;

    mt_error_clear(&err);
    if (mt_store_open(x->cfg.database, &so, &x->store, &err) != MT_OK)
        return store_fail(&err);
    return EX_OK;
}

/* Lower-cases an address and hashes it with the key (created if needed). */
static int
hash_address(struct db *x, const char *addr, bool create, char out[MT_HMAC_HEX_LEN + 1])
{
    unsigned char key[MT_HMAC_KEY_LEN];
    char lc[MT_ADDRESS_MAX + 1];
    struct mt_error err;

    mt_error_clear(&err);
    if (mt_hmac_key_load(x->cfg.hmac_key_file, create, key, &err) != MT_OK)
        return store_fail(&err);
    if (!mt_address_lower(mt_span_cstr(addr), lc, sizeof(lc)) ||
        !mt_hmac_sha256_hex(key, sizeof(key), lc, strlen(lc), out)) {
        mt_warn("db: cannot hash '%s'", addr);
        return EX_SOFTWARE;
    }
    return EX_OK;
}

/* suppress / unsuppress DOMAIN|ADDRESS. */
static int
cmd_suppress(struct db *x, const char *what, bool add)
{
    char hash[MT_HMAC_HEX_LEN + 1], lc[MT_ST_DOMAIN_MAX];
    struct mt_error err;
    enum mt_suppress_kind kind;
    const char *key;
    enum mt_status st;
    int rc;

    mt_error_clear(&err);
    if (strchr(what, '@') != NULL) {
        if (mt_address_check(mt_span_cstr(what), NULL, &err) != MT_OK) {
            mt_warn("db: '%s' is not an address mailtls would notify: %s", what, err.msg);
            return EX_DATAERR;
        }
        rc = hash_address(x, what, add, hash);
        if (rc != EX_OK)
            return rc;
        kind = MT_SUPPRESS_ADDRESS;
        key = hash;
    } else {
        if (mt_domain_check(mt_span_cstr(what), &err) != MT_OK ||
            !mt_address_lower(mt_span_cstr(what), lc, sizeof(lc))) {
            mt_warn("db: '%s' is not a domain: %s", what, err.msg);
            return EX_DATAERR;
        }
        kind = MT_SUPPRESS_DOMAIN;
        key = lc;
    }
    rc = open_store(x, add);
    if (rc != EX_OK)
        return rc;
    st = add ? mt_store_suppress(x->store, kind, key, x->ctx->now, &err)
             : mt_store_unsuppress(x->store, kind, key, &err);
    if (st == MT_NOTFOUND) {
        mt_warn("db: %s was not suppressed", what);
        return EX_NOINPUT;
    }
    if (st != MT_OK)
        return store_fail(&err);
    printf("%s %s: %s\n", add ? "suppressed" : "unsuppressed", mt_suppress_kind_str(kind), what);
    return EX_OK;
}

/* show DOMAIN. */
static int
cmd_show(struct db *x, const char *domain)
{
    struct mt_domain_row d;
    struct mt_error err;
    char lc[MT_ST_DOMAIN_MAX], a[32];
    bool sup = false;
    enum mt_status st;
    int rc = open_store(x, false), i;

    if (rc != EX_OK)
        return rc;
    if (!mt_address_lower(mt_span_cstr(domain), lc, sizeof(lc))) {
        mt_warn("db: domain name too long");
        return EX_DATAERR;
    }
    mt_error_clear(&err);
    st = mt_store_domain_get(x->store, lc, &d, &err);
    if (st == MT_NOTFOUND) {
        mt_warn("db: no messages from %s in the store", lc);
        return EX_NOINPUT;
    }
    if (st != MT_OK || mt_store_is_suppressed(x->store, lc, "", &sup, &err) != MT_OK)
        return store_fail(&err);
    if (x->json) {
        json_object *o = domain_json(&d);
        json_object_object_add(o, "suppressed", json_object_new_boolean(sup));
        jprint(o);
        return EX_OK;
    }
    printf("domain          %s\n", d.domain);
    printf("messages        %lld\n", d.messages);
    printf("tls             %lld\n", tls_count(d.by_verdict));
    printf("plaintext       %lld\n", d.by_verdict[MT_VERDICT_PLAINTEXT]);
    printf("verdicts       ");
    for (i = 0; i < MT_VERDICT_COUNT; i++)
        if (d.by_verdict[i] > 0)
            printf(" %s=%lld", mt_verdict_str((enum mt_verdict)i), d.by_verdict[i]);
    printf("\nfirst_seen      %s\n", tstr(d.first_seen, a, sizeof(a)));
    printf("last_seen       %s\n", tstr(d.last_seen, a, sizeof(a)));
    printf("last_tls        %s\n", tstr(d.last_tls, a, sizeof(a)));
    printf("last_plaintext  %s\n", tstr(d.last_plaintext, a, sizeof(a)));
    printf("best            %s %s %s\n", mt_verdict_str(d.best_verdict),
           d.best_protocol[0] ? d.best_protocol : "-", d.best_cipher[0] ? d.best_cipher : "-");
    printf("latest          %s %s %s\n", mt_verdict_str(d.latest_verdict),
           d.latest_protocol[0] ? d.latest_protocol : "-",
           d.latest_cipher[0] ? d.latest_cipher : "-");
    printf("notices         %lld\n", d.notices);
    printf("suppressed      %s\n", sup ? "yes" : "no");
    return EX_OK;
}

/* The db command. */
int
mt_cmd_db(struct mt_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "json", no_argument, NULL, 'j' },
        { "sort", required_argument, NULL, 's' },   { "verdict", required_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    struct mt_domain_query q = { MT_SORT_MESSAGES, -1 };
    struct db x;
    struct mt_error err;
    const char *sub;
    int c, rc = EX_OK;
    char **args;
    int nargs;

    memset(&x, 0, sizeof(x));
    x.ctx = ctx;
    /* optind = 0 re-initialises GNU getopt, so options may follow the subcommand. */
    optind = 0;
    while ((c = getopt_long(argc, argv, "c:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            mt_ctx_set_config(ctx, optarg);
            break;
        case 'j':
            x.json = true;
            break;
        case 's':
            if (strcmp(optarg, "messages") == 0)
                q.sort = MT_SORT_MESSAGES;
            else if (strcmp(optarg, "plaintext") == 0)
                q.sort = MT_SORT_PLAINTEXT;
            else if (strcmp(optarg, "last_seen") == 0)
                q.sort = MT_SORT_LAST_SEEN;
            else if (strcmp(optarg, "domain") == 0)
                q.sort = MT_SORT_DOMAIN;
            else {
                mt_warn("db: --sort takes messages, plaintext, last_seen or domain");
                return EX_USAGE;
            }
            break;
        case 'v': {
            enum mt_verdict v;
            if (!mt_verdict_parse(optarg, strlen(optarg), &v)) {
                mt_warn("db: unknown verdict '%s'", optarg);
                return EX_USAGE;
            }
            q.verdict = (int)v;
            break;
        }
        case 'h':
            usage(stdout);
            return EX_OK;
        default:
            usage(stderr);
            return EX_USAGE;
        }
    }
    args = argv + optind;
    nargs = argc - optind;
    if (nargs < 1) {
        usage(stderr);
        return EX_USAGE;
    }
    sub = args[0];
    mt_error_clear(&err);
    rc = mt_ctx_load_config(ctx, &x.cfg);
    if (rc != EX_OK)
        return rc;
    if (strcmp(sub, "domains") == 0 && nargs == 1) {
        rc = open_store(&x, false);
        if (rc == EX_OK && mt_store_domains_each(x.store, &q, domain_line, &x, &err) != MT_OK)
            rc = store_fail(&err);
        if (rc == EX_OK && !x.json && x.rows == 0)
            fputs("no domains in the store\n", stderr);
    } else if (strcmp(sub, "show") == 0 && nargs == 2) {
        rc = cmd_show(&x, args[1]);
    } else if (strcmp(sub, "notices") == 0 && nargs <= 2) {
        char lc[MT_ST_DOMAIN_MAX] = "";
        if (nargs == 2)
            (void)mt_address_lower(mt_span_cstr(args[1]), lc, sizeof(lc));
        rc = open_store(&x, false);
        if (rc == EX_OK &&
            mt_store_notices_each(x.store, nargs == 2 ? lc : NULL, notice_line, &x, &err) != MT_OK)
            rc = store_fail(&err);
    } else if ((strcmp(sub, "suppress") == 0 || strcmp(sub, "unsuppress") == 0) && nargs == 2) {
        rc = cmd_suppress(&x, args[1], sub[0] == 's');
    } else if (strcmp(sub, "suppressions") == 0 && nargs == 1) {
        rc = open_store(&x, false);
        if (rc == EX_OK && mt_store_suppressions_each(x.store, supp_line, &x, &err) != MT_OK)
            rc = store_fail(&err);
    } else if (strcmp(sub, "purge") == 0 && nargs == 1) {
        struct mt_purge_counts pc;
        rc = open_store(&x, false);
        if (rc == EX_OK && mt_store_purge(x.store, ctx->now - x.cfg.retention, &pc, &err) != MT_OK)
            rc = store_fail(&err);
        if (rc == EX_OK)
            printf("purged observations=%lld notices=%lld domains=%lld hosts=%lld slots=%lld\n",
                   pc.observations, pc.notices, pc.domains, pc.hosts, pc.slots);
    } else if (strcmp(sub, "export") == 0 && nargs == 1) {
        if (!x.json) {
            mt_warn("db: export writes JSON only: use 'export --json'");
            rc = EX_USAGE;
        } else {
            struct mt_domain_query all = { MT_SORT_DOMAIN, -1 };
            rc = open_store(&x, false);
            if (rc == EX_OK &&
                (mt_store_domains_each(x.store, &all, export_domain, &x, &err) != MT_OK ||
                 mt_store_notices_each(x.store, NULL, export_notice, &x, &err) != MT_OK ||
                 mt_store_suppressions_each(x.store, export_supp, &x, &err) != MT_OK ||
                 mt_store_observations_each(x.store, 0, INT64_MAX, obs_line, &x, &err) != MT_OK))
                rc = store_fail(&err);
        }
    } else {
        usage(stderr);
        rc = EX_USAGE;
    }
    mt_store_close(x.store);
    mt_config_done(&x.cfg);
    return rc;
}
