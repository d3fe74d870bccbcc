/* config.c - the settings table and the main.cf-style parser (see config.h). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"
#include "util/span.h"

/* Value types; each has one parser and one formatter below. */
enum type {
    T_STR,      /* any text (non-empty when F_NONEMPTY) */
    T_PATH,     /* an absolute path */
    T_ADDR,     /* empty, or one plain address local@domain */
    T_TOKEN,    /* empty, or one word without white space */
    T_HOSTS,    /* list of host or domain names (".example.net" allowed) */
    T_URLS,     /* list of http(s) URLs */
    T_BOOL,     /* yes / no */
    T_TIME,     /* number with unit s, m, h, d, w -> seconds (int64_t) */
    T_LONG,     /* a number (long) */
    T_SIZE,     /* bytes, with k, m, g (x1024) -> size_t */
    T_VERDICTS, /* list of verdict names -> bit set (unsigned) */
};

#define F_NONEMPTY 0x01

struct setting {
    const char *name;
    enum type type;
    unsigned flags;
    const char *def; /* the default, written as in the file */
    size_t off;      /* offset of the field in struct mt_config */
    int64_t min, max;
    const char *desc;
};

#define OFF(f) offsetof(struct mt_config, f)
#define DAY    86400LL

/* The one table of settings: mailtls.conf(5) documents each (a test checks). */
static const struct setting table[] = {
    { "database", T_STR, F_NONEMPTY, "sqlite:/var/lib/mailtls/mailtls.db", OFF(database), 0, 0,
      "where observations are stored (sqlite:PATH)" },
    { "my_hostnames", T_HOSTS, 0, "", OFF(my_hostnames), 0, 0,
      "names our MTA writes after \"by\" in Received: (\".domain\" matches subdomains)" },
    { "my_domains", T_HOSTS, 0, "", OFF(my_domains), 0, 0, "our own mail domains: never notified" },
    { "authserv_id", T_TOKEN, 0, "", OFF(authserv_id), 0, 0,
      "authserv-id of the Authentication-Results headers our server adds" },
    { "notify", T_BOOL, 0, "no", OFF(notify), 0, 0,
      "send notices (no: only log what would be sent)" },
    { "notify_triggers", T_VERDICTS, 0, "plaintext, insecure, deprecated", OFF(notify_triggers), 0,
      0, "verdicts of the trusted hop that cause a notice" },
    { "notify_sender", T_BOOL, 0, "yes", OFF(notify_sender), 0, 0,
      "send the notice to the envelope sender" },
    { "notify_postmaster", T_BOOL, 0, "yes", OFF(notify_postmaster), 0, 0,
      "send the notice to postmaster@ the sender's domain" },
    { "notify_interval", T_TIME, 0, "30d", OFF(notify_interval), 0, 3650 * DAY,
      "at most one notice per address in this time" },
    { "notify_daily_limit", T_LONG, 0, "100", OFF(notify_daily_limit), 0, 1000000000,
      "at most this many notices per day in all" },
    { "notice_from", T_ADDR, 0, "", OFF(notice_from), 0, 0,
      "From: address of notices (empty: postmaster@ the first my_hostnames entry)" },
    { "template_dir", T_PATH, F_NONEMPTY, "/usr/local/share/mailtls/templates", OFF(template_dir),
      0, 0, "directory of the notice templates" },
    { "guide_urls", T_URLS, 0,
      "https://www.postfix.org/TLS_README.html, https://ssl-config.mozilla.org/", OFF(guide_urls),
      0, 0, "links to TLS configuration guides quoted in notices" },
    { "sendmail_path", T_PATH, F_NONEMPTY, "/usr/sbin/sendmail", OFF(sendmail_path), 0, 0,
      "the sendmail(1) program that sends notices" },
    { "hmac_key_file", T_PATH, F_NONEMPTY, "/var/lib/mailtls/hmac.key", OFF(hmac_key_file), 0, 0,
      "key (mode 0600) for hashing the sender addresses that are stored" },
    { "admin_address", T_ADDR, 0, "", OFF(admin_address), 0, 0,
      "where downgrade reports go (empty: only logged)" },
    { "retention", T_TIME, 0, "400d", OFF(retention), DAY, 36500 * DAY,
      "observations older than this are purged" },
    { "notify_deadline", T_TIME, 0, "10s", OFF(notify_deadline), 1, 3600,
      "mailtls notify gives up (and exits 0) after this time" },
    { "notify_header_limit", T_SIZE, 0, "256k", OFF(notify_header_limit), 1024, 64 * 1024 * 1024,
      "bytes of message header mailtls notify reads at most" },
};

#define N_SETTINGS     (sizeof(table) / sizeof(table[0]))
#define LIST_MAX       1024  /* elements of one list */
#define LINE_MAX_BYTES 65536 /* one logical line, continuations included */
#define NAME_MAX_BYTES 64    /* a setting name */
#define ITEM_MAX       2048  /* one list element (URLs) */
#define HOST_MAX       253   /* RFC 1035 */

_Static_assert(N_SETTINGS <= sizeof(((struct mt_config *)0)->set), "set[] too small");

/* The table entry named name[0..len), or NULL. */
static const struct setting *
find(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < N_SETTINGS; i++)
        if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0)
            return &table[i];
    return NULL;
}

/* Address of a setting's field in cfg. */
static void *
field(struct mt_config *cfg, const struct setting *s)
{
    return (char *)cfg + s->off;
}

/* Frees the strings of a list and empties it. */
static void
list_free(struct mt_strlist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* A NUL-terminated copy of p[0..len), or NULL when out of memory. */
static char *
dup_span(const char *p, size_t len)
{
    char *s = malloc(len + 1);

    if (s != NULL) {
        if (len > 0)
            memcpy(s, p, len);
        s[len] = '\0';
    }
    return s;
}

/* A list separator: comma or white space (config.h). */
static bool
is_sep(int c)
{
    return c == ',' || mt_is_space(c);
}

/* True for a host or domain name as our lists take them. */
static bool
valid_host(struct mt_span h)
{
    size_t i = 0;

    if (h.len == 0 || h.len > HOST_MAX + 1)
        return false;
    if (h.p[0] == '.')
        i = 1; /* ".example.net": every subdomain */
    if (i == h.len)
        return false;
    for (; i < h.len; i++) {
        int c = (unsigned char)h.p[i];
        if (!mt_is_alnum(c) && c != '-' && c != '.' && c != '_')
            return false;
    }
    return true;
}

/* True for an http or https URL without white space or controls. */
static bool
valid_url(struct mt_span u)
{
    size_t i, pre;

    if (mt_span_istarts(u, "https://"))
        pre = 8;
    else if (mt_span_istarts(u, "http://"))
        pre = 7;
    else
        return false;
    if (u.len == pre)
        return false;
    for (i = 0; i < u.len; i++)
        if ((unsigned char)u.p[i] <= ' ' || (unsigned char)u.p[i] == 0x7f)
            return false;
    return true;
}

/* True for a plain addr-spec local@domain that is safe in a header and an argv. */
static bool
valid_addr(struct mt_span a)
{
    static const char specials[] = "()<>[]:;@\\,\"";
    size_t i, at = 0;
    bool seen = false;

    if (a.len == 0 || a.p[0] == '-' || a.p[0] == '@')
        return false;
    for (i = 0; i < a.len; i++) {
        int c = (unsigned char)a.p[i];
        if (c == '@' && !seen) {
            seen = true;
            at = i;
            continue;
        }
        if (c <= ' ' || c >= 0x7f || strchr(specials, c) != NULL)
            return false;
    }
    return seen && valid_host(mt_span(a.p + at + 1, a.len - at - 1)) && a.p[at + 1] != '.';
}

/* Parses an unsigned number with an optional one-letter unit from units/mult. */
static bool
parse_scaled(struct mt_span v, const char *units, const int64_t *mult, int64_t max, int64_t *out)
{
    unsigned long n;
    int64_t m = 1;
    const char *u;

    if (v.len == 0)
        return false;
    if (!mt_is_digit((unsigned char)v.p[v.len - 1])) {
        u = strchr(units, mt_to_lower((unsigned char)v.p[v.len - 1]));
        if (u == NULL || *u == '\0')
            return false;
        m = mult[u - units];
        v.len--;
    }
    if (v.len > 18 || !mt_span_to_ulong(v, ULONG_MAX, &n))
        return false;
    if ((int64_t)n > max / m)
        return false;
    *out = (int64_t)n * m;
    return true;
}

/* Splits a list value and checks each element; fills out (owned). */
static enum mt_status
parse_list(const struct setting *s, struct mt_span v, struct mt_strlist *out, struct mt_error *err)
{
    size_t i = 0;

    out->v = NULL;
    out->n = 0;
    while (i < v.len) {
        size_t start;
        struct mt_span item;
        char **nv;

        while (i < v.len && is_sep((unsigned char)v.p[i]))
            i++;
        if (i == v.len)
            break;
        start = i;
        while (i < v.len && !is_sep((unsigned char)v.p[i]))
            i++;
        item = mt_span(v.p + start, i - start);
        if (s->type == T_HOSTS ? !valid_host(item) : (item.len > ITEM_MAX || !valid_url(item))) {
            mt_error_set(err, MT_ECONFIG, "%s: '%.*s' is not a %s%s", s->name,
                         (int)(item.len > 80 ? 80 : item.len), item.p,
                         s->type == T_HOSTS ? "host or domain name" : "http:// or https:// URL",
                         item.len > 0 && item.p[0] == '#'
                             ? " ('#' starts a comment only at the start of a line)"
                             : "");
            goto fail;
        }
        if (out->n == LIST_MAX) {
            mt_error_set(err, MT_ECONFIG, "%s: more than %d entries", s->name, LIST_MAX);
            goto fail;
        }
        nv = realloc(out->v, (out->n + 1) * sizeof(*nv));
        if (nv == NULL)
            goto nomem;
        out->v = nv;
        out->v[out->n] = dup_span(item.p, item.len);
        if (out->v[out->n] == NULL)
            goto nomem;
        out->n++;
    }
    return MT_OK;
nomem:
    mt_error_set(err, MT_ENOMEM, "out of memory");
fail:
    list_free(out);
    return err != NULL ? err->status : MT_ECONFIG;
}

/* Parses a verdict list into a bit set. */
static enum mt_status
parse_verdicts(const struct setting *s, struct mt_span v, unsigned *out, struct mt_error *err)
{
    size_t i = 0;
    unsigned bits = 0;

    while (i < v.len) {
        size_t start;
        enum mt_verdict vd;

        while (i < v.len && is_sep((unsigned char)v.p[i]))
            i++;
        if (i == v.len)
            break;
        start = i;
        while (i < v.len && !is_sep((unsigned char)v.p[i]))
            i++;
        if (!mt_verdict_parse(v.p + start, i - start, &vd) || vd == MT_VERDICT_OK ||
            vd == MT_VERDICT_UNKNOWN)
            return mt_error_set(err, MT_ECONFIG,
                                "%s: '%.*s' is not one of plaintext, insecure, deprecated, legacy",
                                s->name, (int)((i - start) > 40 ? 40 : i - start), v.p + start);
        bits |= 1u << vd;
    }
    *out = bits;
    return MT_OK;
}

/* Parses value v (trimmed) for setting s and stores it in cfg, replacing the old value. */
static enum mt_status
set_value(struct mt_config *cfg, const struct setting *s, struct mt_span v, struct mt_error *err)
{
    static const int64_t time_mult[] = { 1, 60, 3600, DAY, 7 * DAY };
    static const int64_t size_mult[] = { 1024, 1024 * 1024, 1024 * 1024 * 1024 };
    void *f = field(cfg, s);
    int64_t n;
    size_t i;

    v = mt_span_trim(v);
    for (i = 0; i < v.len; i++)
        if (v.p[i] == '\0')
            return mt_error_set(err, MT_ECONFIG, "%s: NUL byte in the value", s->name);
    switch (s->type) {
    case T_STR:
    case T_PATH:
    case T_ADDR:
    case T_TOKEN: {
        char *copy;
        if ((s->flags & F_NONEMPTY) && v.len == 0)
            return mt_error_set(err, MT_ECONFIG, "%s: must not be empty", s->name);
        if (s->type == T_PATH && v.len > 0 && v.p[0] != '/')
            return mt_error_set(err, MT_ECONFIG, "%s: '%.*s' is not an absolute path", s->name,
                                (int)(v.len > 80 ? 80 : v.len), v.p);
        if (s->type == T_ADDR && v.len > 0 && (v.len > 254 || !valid_addr(v)))
            return mt_error_set(err, MT_ECONFIG, "%s: '%.*s' is not a plain address local@domain",
                                s->name, (int)(v.len > 80 ? 80 : v.len), v.p);
        if (s->type == T_TOKEN) {
            for (i = 0; i < v.len; i++) {
                int c = (unsigned char)v.p[i];
                if (c <= ' ' || c >= 0x7f || c == ';' || c == '"' || c == '(' || c == ')')
                    return mt_error_set(err, MT_ECONFIG, "%s: '%.*s' is not a single word", s->name,
                                        (int)(v.len > 80 ? 80 : v.len), v.p);
            }
        }
        copy = dup_span(v.p, v.len);
        if (copy == NULL)
            return mt_error_set(err, MT_ENOMEM, "out of memory");
        free(*(char **)f);
        *(char **)f = copy;
        return MT_OK;
    }
    case T_HOSTS:
    case T_URLS: {
        struct mt_strlist l;
        enum mt_status st = parse_list(s, v, &l, err);
        if (st != MT_OK)
            return st;
        list_free(f);
        *(struct mt_strlist *)f = l;
        return MT_OK;
    }
    case T_BOOL:
        if (mt_span_ieq(v, "yes"))
            *(bool *)f = true;
        else if (mt_span_ieq(v, "no"))
            *(bool *)f = false;
        else
            return mt_error_set(err, MT_ECONFIG, "%s: expected yes or no, not '%.*s'", s->name,
                                (int)(v.len > 40 ? 40 : v.len), v.p);
        return MT_OK;
    case T_TIME:
        if (!parse_scaled(v, "smhdw", time_mult, INT64_MAX, &n) || n < s->min || n > s->max)
            return mt_error_set(err, MT_ECONFIG,
                                "%s: bad time '%.*s' (a number with an optional unit s, m, h, d "
                                "or w, from %llds to %llds)",
                                s->name, (int)(v.len > 40 ? 40 : v.len), v.p, (long long)s->min,
                                (long long)s->max);
        *(int64_t *)f = n;
        return MT_OK;
    case T_LONG:
        if (!parse_scaled(v, "", NULL, INT64_MAX, &n) || n < s->min || n > s->max)
            return mt_error_set(err, MT_ECONFIG, "%s: bad number '%.*s' (from %lld to %lld)",
                                s->name, (int)(v.len > 40 ? 40 : v.len), v.p, (long long)s->min,
                                (long long)s->max);
        *(long *)f = (long)n;
        return MT_OK;
    case T_SIZE:
        if (!parse_scaled(v, "kmg", size_mult, INT64_MAX, &n) || n < s->min || n > s->max)
            return mt_error_set(err, MT_ECONFIG,
                                "%s: bad size '%.*s' (bytes with an optional unit k, m or g, "
                                "from %lld to %lld bytes)",
                                s->name, (int)(v.len > 40 ? 40 : v.len), v.p, (long long)s->min,
                                (long long)s->max);
        *(size_t *)f = (size_t)n;
        return MT_OK;
    case T_VERDICTS:
        return parse_verdicts(s, v, f, err);
    }
    return mt_error_set(err, MT_ECONFIG, "%s: unhandled type", s->name);
}

/* Sets every setting to its default from the table. */
enum mt_status
mt_config_init(struct mt_config *cfg)
{
    size_t i;
    enum mt_status st;

    memset(cfg, 0, sizeof(*cfg));
    for (i = 0; i < N_SETTINGS; i++) {
        st = set_value(cfg, &table[i], mt_span_cstr(table[i].def), NULL);
        if (st != MT_OK) {
            mt_config_done(cfg);
            return st;
        }
    }
    return MT_OK;
}

/* Frees every owned string and list. */
void
mt_config_done(struct mt_config *cfg)
{
    size_t i;

    if (cfg == NULL)
        return;
    for (i = 0; i < N_SETTINGS; i++) {
        void *f = field(cfg, &table[i]);
        switch (table[i].type) {
        case T_STR:
        case T_PATH:
        case T_ADDR:
        case T_TOKEN:
            free(*(char **)f);
            *(char **)f = NULL;
            break;
        case T_HOSTS:
        case T_URLS:
            list_free(f);
            break;
        default:
            break;
        }
    }
}

/* Appends p[0..len) to the growing logical line; false at the ceiling or without memory. */
static bool
line_append(char **buf, size_t *len, size_t *cap, const char *p, size_t n)
{
    if (*len + n + 1 > LINE_MAX_BYTES)
        return false;
    if (*len + n + 1 > *cap) {
        size_t ncap = *cap ? *cap : 256;
        char *nb;
        while (ncap < *len + n + 1)
            ncap *= 2;
        nb = realloc(*buf, ncap);
        if (nb == NULL)
            return false;
        *buf = nb;
        *cap = ncap;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
    return true;
}

/* Handles one logical line "name = value" that started on line lineno. */
static enum mt_status
apply_line(struct mt_config *cfg, const char *p, size_t len, unsigned long lineno,
           unsigned long *first_seen, struct mt_error *err)
{
    size_t i = 0, nlen;
    const struct setting *s;
    enum mt_status st;

    while (i < len && (mt_is_alnum((unsigned char)p[i]) || p[i] == '_'))
        i++;
    nlen = i;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (nlen == 0 || i == len || p[i] != '=')
        return mt_error_set(err, MT_ECONFIG, "expected 'name = value', not '%.*s'",
                            (int)(len > 60 ? 60 : len), p);
    if (nlen > NAME_MAX_BYTES || (s = find(p, nlen)) == NULL)
        return mt_error_set(err, MT_ECONFIG, "unknown setting '%.*s'", (int)(nlen > 60 ? 60 : nlen),
                            p);
    if (first_seen[s - table] != 0)
        return mt_error_set(err, MT_ECONFIG, "'%s' is set twice (first on line %lu)", s->name,
                            first_seen[s - table]);
    first_seen[s - table] = lineno;
    st = set_value(cfg, s, mt_span(p + i + 1, len - i - 1), err);
    if (st == MT_OK)
        cfg->set[s - table] = 1;
    return st;
}

/* Parses a whole file (see config.h for the syntax). */
enum mt_status
mt_config_parse(struct mt_config *cfg, const char *buf, size_t len, const char *fname,
                struct mt_error *err)
{
    unsigned long first_seen[N_SETTINGS];
    unsigned long lineno = 0, start_line = 0;
    char *lbuf = NULL;
    size_t llen = 0, lcap = 0, off = 0;
    bool have = false;
    enum mt_status st = MT_OK;

    memset(first_seen, 0, sizeof(first_seen));
    mt_error_clear(err);
    while (off < len || have) {
        const char *line = buf + off, *nl;
        size_t n = 0, i = 0;
        bool eof = off >= len;

        if (!eof) {
            nl = memchr(line, '\n', len - off);
            n = nl != NULL ? (size_t)(nl - line) : len - off;
            off += n + (nl != NULL);
            lineno++;
            if (n > 0 && line[n - 1] == '\r')
                n--;
            if (memchr(line, '\0', n) != NULL) {
                st = mt_error_set(err, MT_ECONFIG, "NUL byte in the file");
                mt_error_at(err, fname, lineno, 0);
                goto out;
            }
            while (i < n && (line[i] == ' ' || line[i] == '\t'))
                i++;
            /* Blank lines and lines whose first non-blank is '#' are ignored. */
            if (i == n || line[i] == '#')
                continue;
            if (i > 0) { /* continuation of the logical line */
                if (!have) {
                    st = mt_error_set(err, MT_ECONFIG,
                                      "continuation line (starting with white space) without "
                                      "a setting before it");
                    mt_error_at(err, fname, lineno, 0);
                    goto out;
                }
                if (!line_append(&lbuf, &llen, &lcap, " ", 1) ||
                    !line_append(&lbuf, &llen, &lcap, line + i, n - i)) {
                    st = mt_error_set(err, MT_ECONFIG, "setting longer than %d bytes",
                                      LINE_MAX_BYTES);
                    mt_error_at(err, fname, start_line, 0);
                    goto out;
                }
                continue;
            }
        }
        /* A new logical line (or the end): finish the one before. */
        if (have) {
            st = apply_line(cfg, lbuf, llen, start_line, first_seen, err);
            if (st != MT_OK) {
                mt_error_at(err, fname, start_line, 0);
                goto out;
            }
            have = false;
            llen = 0;
        }
        if (eof)
            break;
        have = true;
        start_line = lineno;
        if (!line_append(&lbuf, &llen, &lcap, line, n)) {
            st = mt_error_set(err, MT_ECONFIG, "setting longer than %d bytes", LINE_MAX_BYTES);
            mt_error_at(err, fname, lineno, 0);
            goto out;
        }
    }
out:
    free(lbuf);
    return st;
}

/* Sets one setting by name (command-line override). */
enum mt_status
mt_config_set(struct mt_config *cfg, const char *name, const char *value, struct mt_error *err)
{
    const struct setting *s = find(name, strlen(name));
    enum mt_status st;

    mt_error_clear(err);
    if (s == NULL)
        return mt_error_set(err, MT_ECONFIG, "unknown setting '%s'", name);
    st = set_value(cfg, s, mt_span_cstr(value), err);
    if (st == MT_OK)
        cfg->set[s - table] = 1;
    return st;
}

/* Changes a default (not marked as set). */
enum mt_status
mt_config_default(struct mt_config *cfg, const char *name, const char *value, struct mt_error *err)
{
    const struct setting *s = find(name, strlen(name));

    mt_error_clear(err);
    if (s == NULL)
        return mt_error_set(err, MT_ECONFIG, "unknown setting '%s'", name);
    return set_value(cfg, s, mt_span_cstr(value), err);
}

/* The description of entry i. */
const char *
mt_config_describe(size_t i)
{
    return i < N_SETTINGS ? table[i].desc : NULL;
}

/* Appends s to dst at *pos; false when it does not fit (with its NUL). */
static bool
put(char *dst, size_t dstsz, size_t *pos, const char *s)
{
    size_t n = strlen(s);

    if (*pos + n + 1 > dstsz)
        return false;
    memcpy(dst + *pos, s, n + 1);
    *pos += n;
    return true;
}

/* Writes n with the largest unit of units/mult that divides it exactly (else bare). */
static bool
put_scaled(char *dst, size_t dstsz, size_t *pos, int64_t n, const char *units, const int64_t *mult,
           size_t nunits)
{
    char num[32];
    char unit[2] = { 0, 0 };
    size_t k = nunits;

    while (k-- > 0) {
        if (n != 0 && n % mult[k] == 0) {
            n /= mult[k];
            unit[0] = units[k];
            break;
        }
    }
    snprintf(num, sizeof(num), "%lld%s", (long long)n, unit);
    return put(dst, dstsz, pos, num);
}

/* Formats entry i (see config.h). */
enum mt_status
mt_config_entry(const struct mt_config *cfg, size_t i, const char **name, char *value, size_t valsz,
                bool *is_set)
{
    static const int64_t time_mult[] = { 1, 60, 3600, DAY, 7 * DAY };
    static const int64_t size_mult[] = { 1024, 1024 * 1024, 1024 * 1024 * 1024 };
    static const enum mt_verdict order[] = { MT_VERDICT_PLAINTEXT, MT_VERDICT_INSECURE,
                                             MT_VERDICT_DEPRECATED, MT_VERDICT_LEGACY };
    const struct setting *s;
    const void *f;
    size_t pos = 0, k;
    bool ok = true;

    if (i >= N_SETTINGS)
        return MT_NOTFOUND;
    s = &table[i];
    f = (const char *)cfg + s->off;
    *name = s->name;
    if (is_set != NULL)
        *is_set = cfg->set[i] != 0;
    if (valsz == 0)
        return MT_ELIMIT;
    value[0] = '\0';
    switch (s->type) {
    case T_STR:
    case T_PATH:
    case T_ADDR:
    case T_TOKEN:
        ok = put(value, valsz, &pos, *(char *const *)f != NULL ? *(char *const *)f : "");
        break;
    case T_HOSTS:
    case T_URLS: {
        const struct mt_strlist *l = f;
        for (k = 0; k < l->n && ok; k++)
            ok = (k == 0 || put(value, valsz, &pos, ", ")) && put(value, valsz, &pos, l->v[k]);
        break;
    }
    case T_BOOL:
        ok = put(value, valsz, &pos, *(const bool *)f ? "yes" : "no");
        break;
    case T_TIME:
        ok = put_scaled(value, valsz, &pos, *(const int64_t *)f, "smhdw", time_mult, 5);
        break;
    case T_LONG: {
        char num[32];
        snprintf(num, sizeof(num), "%ld", *(const long *)f);
        ok = put(value, valsz, &pos, num);
        break;
    }
    case T_SIZE:
        ok = put_scaled(value, valsz, &pos, (int64_t) * (const size_t *)f, "kmg", size_mult, 3);
        break;
    case T_VERDICTS: {
        unsigned bits = *(const unsigned *)f;
        bool first = true;
        for (k = 0; k < sizeof(order) / sizeof(order[0]) && ok; k++) {
            if (!(bits & (1u << order[k])))
                continue;
            ok = (first || put(value, valsz, &pos, ", ")) &&
                 put(value, valsz, &pos, mt_verdict_str(order[k]));
            first = false;
        }
        break;
    }
    }
    if (!ok) {
        value[0] = '\0';
        return MT_ELIMIT;
    }
    return MT_OK;
}
