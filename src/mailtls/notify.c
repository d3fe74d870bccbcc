/*
 * notify.c - `mailtls notify`: the pipe(8) command inside the mail flow.
 *
 * For each message copy Postfix hands it: read the header block (bounded),
 * take the TLS facts from the Received: field our own server wrote, decide
 * with the safety rules (lib/policy.c), record one observation in the
 * store, watch for downgrades, and - rate-limited, claimed in the store
 * first - send or log notices. Exit status: 0 when done (also when nothing
 * was to be done, and on bad input, which is logged), 75 when the store
 * (or the configuration it depends on) is unavailable, so that Postfix
 * retries and nothing is lost. Never anything else: that would bounce the
 * copy. mailtls-notify(8) is the user's contract.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "address.h"
#include "cipher.h"
#include "cli.h"
#include "config.h"
#include "header.h"
#include "hops.h"
#include "notice.h"
#include "notify_io.h"
#include "policy.h"
#include "store.h"
#include "tls.h"
#include "util/hmac.h"

/* What the alarm handler exits with: 75 until the observation is recorded. */
static volatile sig_atomic_t alarm_exit = EX_TEMPFAIL;

struct args {
    const char *sender, *client_addr, *client_helo, *queue_id, *sasl_method;
    bool have_sender, log_stderr;
};

struct run {
    struct mt_ctx *ctx;
    struct mt_config cfg;
    struct args a;
    bool to_stderr;
    struct mt_store *store;
    unsigned char key[MT_HMAC_KEY_LEN];
    /* The message. */
    char *hdr;
    size_t hdr_len;
    bool complete;
    struct mt_hops *hops;
    const struct mt_received *hop; /* trusted hop, or NULL */
    struct mt_tls tls;
    enum mt_verdict verdict;
    unsigned reasons;
    char reasons_text[MT_ST_TEXT_MAX];
    char domain[MT_ST_DOMAIN_MAX]; /* sender's domain, lower case, validated; or "" */
    char helo[MT_ST_HELO_MAX];     /* sanitised */
    char client_name[MT_ST_HELO_MAX];
    char our_host[MT_ST_HELO_MAX];
    char sender_lc[MT_ADDRESS_MAX + 1]; /* validated sender, lower case (hashing, comparing) */
    char sender_ok[MT_ADDRESS_MAX + 1]; /* validated sender as given (a local part may be
                                           case-sensitive) */
};

/* Logs one line to syslog (mail facility) and, when asked, to stderr. */
static void nlog(const struct run *r, int prio, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
nlog(const struct run *r, int prio, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    syslog(prio, "%s%s%s", r->a.queue_id != NULL && r->a.queue_id[0] != '\0' ? r->a.queue_id : "",
           r->a.queue_id != NULL && r->a.queue_id[0] != '\0' ? ": " : "", line);
    if (r->to_stderr)
        fprintf(stderr, "mailtls/notify: %s%s%s\n",
                r->a.queue_id != NULL && r->a.queue_id[0] != '\0' ? r->a.queue_id : "",
                r->a.queue_id != NULL && r->a.queue_id[0] != '\0' ? ": " : "", line);
}

/* SIGALRM: the deadline passed. Only async-signal-safe calls here. */
static void
on_alarm(int sig)
{
    static const char msg[] = "mailtls/notify: deadline reached, giving up\n";

    (void)sig;
    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    _exit(alarm_exit);
}

/* Copies printable ASCII of s (bounded) into dst, other bytes as '?'. */
static void
sanitize(const char *s, size_t n, char *dst, size_t dstsz)
{
    size_t i, j = 0;

    for (i = 0; i < n && j + 1 < dstsz; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    dst[j] = '\0';
}

/* Copies printable ASCII and spaces of s (bounded) into dst, other bytes as '?'. */
static void
printable(const char *s, char *dst, size_t dstsz)
{
    size_t i, j = 0;

    for (i = 0; s[i] != '\0' && j + 1 < dstsz; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    dst[j] = '\0';
}

/* Prints the usage. */
static void
usage(FILE *f)
{
    fputs("usage: mailtls [-c FILE] notify --sender ADDR --client-address IP\n"
          "           [--client-helo NAME] [--queue-id ID] [--sasl-method M] [--stderr]\n"
          "Reads a message (headers first) on standard input, as pipe(8) delivers it.\n"
          "See mailtls-notify(8).\n",
          f);
}

/*
 * Parses the arguments. An option always takes the next argument as its
 * value, whatever it looks like: pipe(8) passes an empty macro as an empty
 * argument, and a HELO name such as "--sender=x@y" must stay a HELO name.
 * An option given twice, a missing value or a stray argument is bad input.
 * Returns false with *bad naming the argument.
 */
static bool
parse_args(int argc, char **argv, struct args *a, const char **bad)
{
    static const char *const names[] = { "--sender", "--client-address", "--client-helo",
                                         "--queue-id", "--sasl-method" };
    const char **slot[5];
    bool seen[5] = { false, false, false, false, false };
    int i;

    memset(a, 0, sizeof(*a));
    a->sender = a->client_addr = a->client_helo = a->queue_id = a->sasl_method = "";
    slot[0] = &a->sender;
    slot[1] = &a->client_addr;
    slot[2] = &a->client_helo;
    slot[3] = &a->queue_id;
    slot[4] = &a->sasl_method;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq;
        size_t k, n;
        if (strcmp(arg, "--stderr") == 0) {
            a->log_stderr = true;
            continue;
        }
        eq = strchr(arg, '=');
        n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        for (k = 0; k < 5; k++)
            if (strlen(names[k]) == n && strncmp(arg, names[k], n) == 0)
                break;
        if (k == 5 || seen[k] || (eq == NULL && i + 1 >= argc)) {
            *bad = arg;
            return false;
        }
        seen[k] = true;
        *slot[k] = eq != NULL ? eq + 1 : argv[++i];
    }
    a->have_sender = seen[0];
    return true;
}

/*
 * Reads the header block from stdin, at most limit bytes; then drains and
 * discards the rest of the message so that pipe(8) sees it consumed.
 */
static enum mt_status
read_headers(struct run *r, size_t limit, struct mt_error *err)
{
    size_t cap = limit + 1, len = 0;
    char *buf = malloc(cap);
    bool complete = false;
    char sink[65536];

    if (buf == NULL)
        return mt_error_set(err, MT_ENOMEM, "out of memory");
    while (len < cap) {
        ssize_t n = read(STDIN_FILENO, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buf);
            return mt_error_set(err, MT_EIO, "reading the message: %s", strerror(errno));
        }
        if (n == 0)
            break;
        len += (size_t)n;
        (void)mt_header_block_len(buf, len, &complete);
        if (complete)
            break;
    }
    r->hdr_len = mt_header_block_len(buf, len > limit ? limit : len, &complete);
    if (!complete)
        r->hdr_len = len > limit ? limit : len;
    r->complete = complete;
    r->hdr = buf;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, sink, sizeof(sink));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
    }
    return MT_OK;
}

/* The protocol as a notice shows it. */
static void
protocol_text(const struct mt_tls *t, char *dst, size_t dstsz)
{
    if (t->used == MT_TRI_NO)
        snprintf(dst, dstsz, "plaintext (no STARTTLS)");
    else if (mt_tls_proto_exact(t))
        snprintf(dst, dstsz, "%s", mt_proto_str(t->proto_max));
    else if (t->protocol_raw[0] != '\0')
        sanitize(t->protocol_raw, strlen(t->protocol_raw), dst, dstsz);
    else
        snprintf(dst, dstsz, "TLS (version not recorded)");
}

/* The cipher's IANA name, or as written, or "". */
static void
cipher_text(const struct mt_tls *t, char *dst, size_t dstsz)
{
    if (t->cipher != NULL && t->cipher->iana != NULL)
        snprintf(dst, dstsz, "%s", t->cipher->iana);
    else
        sanitize(t->cipher_raw, strlen(t->cipher_raw), dst, dstsz);
}

/* "30 days", "12 hours", ... */
static void
interval_text(int64_t s, char *dst, size_t dstsz)
{
    if (s % 86400 == 0)
        snprintf(dst, dstsz, "%lld day%s", (long long)(s / 86400), s == 86400 ? "" : "s");
    else if (s % 3600 == 0)
        snprintf(dst, dstsz, "%lld hours", (long long)(s / 3600));
    else
        snprintf(dst, dstsz, "%lld seconds", (long long)s);
}

/* The template for name: template_dir/NAME.txt, else the built-in one. */
static char *
load_template(const struct run *r, const char *name)
{
    char path[4200];
    FILE *f;
    char *buf;
    size_t n;
    const char *b;

    snprintf(path, sizeof(path), "%s/%s.txt", r->cfg.template_dir, name);
    f = fopen(path, "r");
    if (f != NULL) {
        buf = malloc(MT_TEMPLATE_MAX + 1);
        if (buf != NULL) {
            n = fread(buf, 1, MT_TEMPLATE_MAX + 1, f);
            if (!ferror(f) && n <= MT_TEMPLATE_MAX) {
                buf[n] = '\0';
                fclose(f);
                return buf;
            }
            free(buf);
        }
        fclose(f);
        nlog(r, LOG_WARNING, "template=%s error=unreadable or larger than %d bytes, using built-in",
             path, MT_TEMPLATE_MAX);
    } else if (errno != ENOENT) {
        nlog(r, LOG_WARNING, "template=%s error=\"%s\", using built-in", path, strerror(errno));
    }
    b = mt_notice_builtin(name);
    return b != NULL ? strdup(b) : NULL;
}

/*
 * Expands template name with vars and formats the message to rcpt.
 * An admin's template that does not expand falls back to the built-in one.
 */
static enum mt_status
compose(const struct run *r, const char *name, const struct mt_template_var *vars, size_t nvars,
        const char *rcpt, const char *subject, char *msg, size_t msgsz, size_t *msglen)
{
    static char body[MT_NOTICE_MAX];
    char mid[320], path[4200];
    static unsigned serial;
    struct mt_notice n;
    struct mt_error err;
    size_t blen = 0;
    char *tpl = load_template(r, name);
    enum mt_status st;

    if (tpl == NULL)
        return MT_ENOMEM;
    st = mt_template_expand(tpl, strlen(tpl), vars, nvars, body, sizeof(body), &blen, &err);
    if (st != MT_OK) {
        const char *b = mt_notice_builtin(name);
        snprintf(path, sizeof(path), "%s/%s.txt", r->cfg.template_dir, name);
        nlog(r, LOG_WARNING, "template=%s line=%lu column=%u error=\"%s\", using built-in", path,
             err.line, err.col, err.msg);
        st = b != NULL
                 ? mt_template_expand(b, strlen(b), vars, nvars, body, sizeof(body), &blen, &err)
                 : MT_NOTFOUND;
    }
    free(tpl);
    if (st != MT_OK)
        return st;
    snprintf(mid, sizeof(mid), "<mailtls.%lld.%ld.%u@%s>", (long long)r->ctx->now, (long)getpid(),
             ++serial, r->our_host[0] != '\0' ? r->our_host : "localhost");
    memset(&n, 0, sizeof(n));
    n.from = r->cfg.notice_from;
    n.to = rcpt;
    n.subject = subject;
    n.date = r->ctx->now;
    n.message_id = mid;
    n.body = body;
    n.body_len = blen;
    st = mt_notice_format(&n, msg, msgsz, msglen, &err);
    if (st != MT_OK)
        nlog(r, LOG_ERR, "to=<%s> error=\"cannot compose: %s\"", rcpt, err.msg);
    return st;
}

/* Sends msg to rcpt with sendmail; logs the outcome; true when sendmail took it. */
static bool
deliver(const struct run *r, const char *rcpt, const char *msg, size_t len, const char *what)
{
    struct mt_sendmail sm;
    struct mt_error err;
    char out[256];
    int status = -1;

    sm.path = r->cfg.sendmail_path;
    sm.mail_config = r->ctx->mail_config;
    sm.timeout = r->cfg.notify_deadline > 4 ? (int)(r->cfg.notify_deadline / 2) : 2;
    if (mt_sendmail_send(&sm, rcpt, msg, len, &status, out, sizeof(out), &err) != MT_OK) {
        nlog(r, LOG_ERR, "%s to=<%s> status=failed error=\"%s\"", what, rcpt, err.msg);
        return false;
    }
    if (status != 0) {
        nlog(r, LOG_ERR, "%s to=<%s> status=failed sendmail_exit=%d output=\"%s\"", what, rcpt,
             status, out);
        return false;
    }
    nlog(r, LOG_INFO, "%s to=<%s> status=sent", what, rcpt);
    return true;
}

/* Notifies one recipient: suppression, claim, compose, send or log. */
static enum mt_status
notify_one(struct run *r, const char *rcpt, const char *kind)
{
    static char msg[MT_NOTICE_MAX + 8192];
    char hash[MT_HMAC_HEX_LEN + 1], key[128], lc[MT_ADDRESS_MAX + 1], date[64], proto[64],
        cipher[MT_ST_CIPHER_MAX], interval[64], guides[2048];
    struct mt_notice_row row;
    struct mt_claim cl;
    struct mt_error err;
    enum mt_claim_result res;
    long long id = 0;
    bool sup = false, dry = !r->cfg.notify;
    size_t len = 0, i, gl = 0;
    enum mt_status st;

    if (mt_address_check(mt_span_cstr(rcpt), NULL, &err) != MT_OK) {
        nlog(r, LOG_INFO, "notice=%s decision=bad-recipient error=\"%s\"", kind, err.msg);
        return MT_OK;
    }
    if (!mt_address_lower(mt_span_cstr(rcpt), lc, sizeof(lc)) ||
        !mt_hmac_sha256_hex(r->key, sizeof(r->key), lc, strlen(lc), hash))
        return mt_error_set(&err, MT_EIO, "hashing failed");
    st = mt_store_is_suppressed(r->store, r->domain, hash, &sup, &err);
    if (st != MT_OK)
        return st;
    if (sup) {
        nlog(r, LOG_INFO, "notice=%s to=<%s> decision=%s", kind, rcpt,
             mt_policy_str(MT_POLICY_SUPPRESSED));
        return MT_OK;
    }
    memset(&row, 0, sizeof(row));
    snprintf(row.recipient_hash, sizeof(row.recipient_hash), "%s", hash);
    snprintf(row.kind, sizeof(row.kind), "%s", kind);
    snprintf(row.domain, sizeof(row.domain), "%s", r->domain);
    row.verdict = r->verdict;
    snprintf(row.why, sizeof(row.why), "%s", r->reasons_text);
    snprintf(key, sizeof(key), "%s:%s", dry ? "dry-run" : "notice", hash);
    memset(&cl, 0, sizeof(cl));
    cl.key = key;
    cl.counter = dry ? "dry-run" : "notice";
    cl.now = r->ctx->now;
    cl.interval = r->cfg.notify_interval;
    cl.daily_limit = r->cfg.notify_daily_limit;
    cl.notice = &row;
    st = mt_store_claim(r->store, &cl, &res, &id, &err);
    if (st != MT_OK)
        return st;
    if (res != MT_CLAIM_GRANTED) {
        nlog(r, LOG_INFO, "notice=%s to=<%s> decision=%s", kind, rcpt,
             res == MT_CLAIM_INTERVAL ? mt_policy_str(MT_POLICY_INTERVAL)
                                      : mt_policy_str(MT_POLICY_DAILY_LIMIT));
        return MT_OK;
    }

    mt_notice_date(r->ctx->now, date, sizeof(date));
    protocol_text(&r->tls, proto, sizeof(proto));
    cipher_text(&r->tls, cipher, sizeof(cipher));
    if (cipher[0] == '\0')
        snprintf(cipher, sizeof(cipher), "%s", r->tls.used == MT_TRI_NO ? "none" : "not recorded");
    interval_text(r->cfg.notify_interval, interval, sizeof(interval));
    guides[0] = '\0';
    for (i = 0; i < r->cfg.guide_urls.n && gl + 8 < sizeof(guides); i++)
        gl += (size_t)snprintf(guides + gl, sizeof(guides) - gl, "%s  %s", i > 0 ? "\n" : "",
                               r->cfg.guide_urls.v[i]);
    if (gl >= sizeof(guides))
        guides[sizeof(guides) - 1] = '\0';
    {
        const struct mt_template_var vars[] = {
            { "recipient", rcpt },
            { "sender", r->sender_ok },
            { "domain", r->domain },
            { "date", date },
            { "client_ip", r->a.client_addr },
            { "client_name", r->client_name },
            { "client_helo", r->helo },
            { "our_host", r->our_host },
            { "protocol", proto },
            { "cipher", cipher },
            { "verdict", mt_verdict_str(r->verdict) },
            { "reasons", r->reasons_text },
            { "guides", guides },
            { "contact", r->cfg.notice_from },
            { "interval", interval },
        };
        st = compose(r, mt_verdict_str(r->verdict), vars, sizeof(vars) / sizeof(vars[0]), rcpt,
                     NULL, msg, sizeof(msg), &len);
    }
    if (st != MT_OK) {
        (void)mt_store_notice_status(r->store, id, "failed", &err);
        return MT_OK;
    }
    if (dry) {
        nlog(r, LOG_INFO,
             "notice=%s to=<%s> verdict=%s decision=%s status=logged (notify = no: not sent)", kind,
             rcpt, mt_verdict_str(r->verdict), mt_policy_str(MT_POLICY_DISABLED));
        (void)mt_store_notice_status(r->store, id, "logged", &err);
        return MT_OK;
    }
    {
        char what[64];
        snprintf(what, sizeof(what), "notice=%s verdict=%s", kind, mt_verdict_str(r->verdict));
        (void)mt_store_notice_status(r->store, id,
                                     deliver(r, rcpt, msg, len, what) ? "sent" : "failed", &err);
    }
    return MT_OK;
}

/* Reports a downgrade to the admin, at most once a day. */
static enum mt_status
report_downgrade(struct run *r, const struct mt_record_result *rr)
{
    static char msg[MT_NOTICE_MAX + 8192];
    const char *scope = rr->domain_downgrade ? "domain" : "sending host";
    int64_t last = rr->domain_downgrade ? rr->domain_last_tls : rr->host_last_tls;
    char date[64], last_s[64];
    struct mt_notice_row row;
    struct mt_claim cl;
    struct mt_error err;
    enum mt_claim_result res;
    long long id = 0;
    size_t len = 0;
    enum mt_status st;

    mt_notice_date(last, last_s, sizeof(last_s));
    nlog(r, LOG_WARNING, "downgrade scope=%s domain=%s client=%s last_tls=\"%s\"",
         rr->domain_downgrade ? "domain" : "host", r->domain[0] ? r->domain : "<>",
         r->a.client_addr, last_s);
    if (r->cfg.admin_address == NULL || r->cfg.admin_address[0] == '\0')
        return MT_OK;
    memset(&row, 0, sizeof(row));
    snprintf(row.kind, sizeof(row.kind), "admin");
    snprintf(row.domain, sizeof(row.domain), "%s", r->domain);
    row.verdict = r->verdict;
    snprintf(row.why, sizeof(row.why), "downgrade: plaintext after TLS from this %s", scope);
    memset(&cl, 0, sizeof(cl));
    cl.key = "downgrade-report";
    cl.counter = "admin";
    cl.now = r->ctx->now;
    cl.interval = 86400;
    cl.daily_limit = -1;
    cl.notice = &row;
    st = mt_store_claim(r->store, &cl, &res, &id, &err);
    if (st != MT_OK)
        return st;
    if (res != MT_CLAIM_GRANTED) {
        nlog(r, LOG_INFO, "downgrade report=admin decision=interval");
        return MT_OK;
    }
    mt_notice_date(r->ctx->now, date, sizeof(date));
    {
        const struct mt_template_var vars[] = {
            { "scope", scope },
            { "date", date },
            { "domain", r->domain[0] ? r->domain : "<>" },
            { "client_ip", r->a.client_addr },
            { "client_name", r->client_name },
            { "client_helo", r->helo },
            { "our_host", r->our_host },
            { "last_tls", last_s },
            { "queue_id", r->a.queue_id },
        };
        st = compose(r, "downgrade", vars, sizeof(vars) / sizeof(vars[0]), r->cfg.admin_address,
                     MT_DOWNGRADE_SUBJECT, msg, sizeof(msg), &len);
    }
    if (st == MT_OK)
        st = deliver(r, r->cfg.admin_address, msg, len, "report=downgrade") ? MT_OK : MT_EIO;
    (void)mt_store_notice_status(r->store, id, st == MT_OK ? "sent" : "failed", &err);
    return MT_OK;
}

/* Finds the facts of the message: trusted hop, TLS, sender domain, policy facts. */
static enum mt_policy
examine(struct run *r, struct mt_policy_msg *pm, const struct mt_policy_conf *pc)
{
    struct mt_names names;
    struct mt_header_iter it;
    struct mt_field f;
    struct mt_error err;
    struct mt_span dom;
    enum mt_status st;
    size_t boundary = 0;

    names.v = (const char *const *)r->cfg.my_hostnames.v;
    names.n = r->cfg.my_hostnames.n;
    mt_tls_init(&r->tls);
    r->verdict = MT_VERDICT_UNKNOWN;
    st = mt_hops_parse(r->hdr, r->hdr_len, &names, r->hops, &err);
    if (st != MT_OK)
        nlog(r, LOG_WARNING, "warning=\"Received fields: %s\"", err.msg);
    if (r->hops->trusted >= 0) {
        r->hop = &r->hops->hop[r->hops->trusted];
        r->tls = r->hop->tls;
        r->verdict = mt_tls_verdict(&r->tls, &r->reasons);
        (void)mt_tls_reasons_format(&r->tls, r->reasons, r->reasons_text, sizeof(r->reasons_text));
        if (r->hop->from_rdns.len > 0)
            sanitize(r->hop->from_rdns.p, r->hop->from_rdns.len, r->client_name,
                     sizeof(r->client_name));
        sanitize(r->hop->by_host.p, r->hop->by_host.len, r->our_host, sizeof(r->our_host));
        if (r->hops->verified)
            boundary = (size_t)(r->hop->by_host.p - r->hdr);
    }
    if (r->client_name[0] == '\0')
        snprintf(r->client_name, sizeof(r->client_name), "unknown");
    if (r->our_host[0] == '\0' && r->cfg.my_hostnames.n > 0)
        snprintf(r->our_host, sizeof(r->our_host), "%s", r->cfg.my_hostnames.v[0]);

    memset(pm, 0, sizeof(*pm));
    pm->sender = mt_span_cstr(r->a.sender);
    pm->client_addr = mt_span_cstr(r->a.client_addr);
    pm->sasl_method = mt_span_cstr(r->a.sasl_method);
    pm->hop_verified = r->hops->verified;
    pm->verdict = r->verdict;
    if (mt_address_check(pm->sender, &dom, NULL) == MT_OK) {
        (void)mt_address_lower(dom, r->domain, sizeof(r->domain));
        (void)mt_address_lower(pm->sender, r->sender_lc, sizeof(r->sender_lc));
        (void)mt_span_copy(pm->sender, r->sender_ok, sizeof(r->sender_ok));
    }
    /* Only fields that end above our own Received: field are ours. */
    mt_header_iter_init(&it, r->hdr, r->hdr_len);
    while ((st = mt_header_next(&it, &f, NULL)) != MT_NOTFOUND) {
        if (st != MT_OK)
            continue;
        mt_policy_field(pm, pc, f.name, f.value,
                        boundary > 0 && (size_t)(f.value.p + f.value.len - r->hdr) <= boundary);
    }
    if (!r->complete)
        return MT_POLICY_BAD_HEADERS;
    return mt_policy_decide(pc, pm);
}

/* Fills the observation of this message. */
static void
observe(const struct run *r, const struct mt_policy_msg *pm, enum mt_policy d,
        struct mt_observation *o)
{
    memset(o, 0, sizeof(*o));
    o->time = r->ctx->now;
    snprintf(o->domain, sizeof(o->domain), "%s", r->domain);
    if (!mt_policy_is_null_sender(pm->sender)) {
        char lc[512];
        if (mt_address_lower(pm->sender, lc, sizeof(lc)))
            (void)mt_hmac_sha256_hex(r->key, sizeof(r->key), lc, strlen(lc), o->sender_hash);
    }
    sanitize(r->a.client_addr, strlen(r->a.client_addr), o->client_ip, sizeof(o->client_ip));
    snprintf(o->client_helo, sizeof(o->client_helo), "%s", r->helo);
    sanitize(r->a.queue_id, strlen(r->a.queue_id), o->queue_id, sizeof(o->queue_id));
    o->verdict = r->verdict;
    o->reasons = r->reasons;
    o->used = r->tls.used;
    if (r->tls.used == MT_TRI_YES) {
        if (mt_tls_proto_exact(&r->tls))
            snprintf(o->protocol, sizeof(o->protocol), "%s", mt_proto_str(r->tls.proto_max));
        cipher_text(&r->tls, o->cipher, sizeof(o->cipher));
    }
    o->bits = r->tls.bits;
    o->pfs = mt_tls_pfs(&r->tls);
    o->spf_pass = pm->spf_pass;
    snprintf(o->decision, sizeof(o->decision), "%s", mt_policy_str(d));
    /* What `mailtls report --db` rebuilds the message from. */
    if (r->hop != NULL) {
        if (r->hop->from_rdns.len > 0)
            sanitize(r->hop->from_rdns.p, r->hop->from_rdns.len, o->client_name,
                     sizeof(o->client_name));
        sanitize(r->hop->by_host.p, r->hop->by_host.len, o->our_host, sizeof(o->our_host));
    }
    if (r->tls.used == MT_TRI_YES) {
        printable(r->tls.protocol_raw, o->protocol_raw, sizeof(o->protocol_raw));
        printable(r->tls.cipher_raw, o->cipher_raw, sizeof(o->cipher_raw));
        printable(r->tls.kex_group, o->kex_group, sizeof(o->kex_group));
        printable(r->tls.signature, o->signature, sizeof(o->signature));
        o->trust = r->tls.trust;
    }
}

/* Runs one message; returns the exit status. */
static int
run_message(struct run *r)
{
    struct mt_policy_msg pm;
    struct mt_policy_conf pc;
    struct mt_observation o;
    struct mt_record_result rr;
    struct mt_store_options so;
    struct mt_error err;
    enum mt_policy d;
    enum mt_status st;
    bool sup = false;

    st = read_headers(r, r->cfg.notify_header_limit, &err);
    if (st != MT_OK) {
        nlog(r, LOG_ERR, "error=\"%s\" (message dropped from notify, delivery unaffected)",
             err.msg);
        return EX_OK;
    }
    pc.my_domains.v = (const char *const *)r->cfg.my_domains.v;
    pc.my_domains.n = r->cfg.my_domains.n;
    pc.triggers = r->cfg.notify_triggers;
    pc.authserv_id = r->cfg.authserv_id;
    d = examine(r, &pm, &pc);
    if (!r->complete)
        nlog(r, LOG_WARNING, "warning=\"header block %s\"",
             r->hdr_len >= r->cfg.notify_header_limit ? "longer than notify_header_limit"
                                                      : "not terminated");

    st = mt_hmac_key_load(r->cfg.hmac_key_file, true, r->key, &err);
    if (st != MT_OK) {
        nlog(r, LOG_ERR, "status=deferred error=\"%s\"", err.msg);
        return EX_TEMPFAIL;
    }
    memset(&so, 0, sizeof(so));
    so.create = true;
    so.busy_timeout_ms = (int)(r->cfg.notify_deadline * 1000 / 2);
    st = mt_store_open(r->cfg.database, &so, &r->store, &err);
    if (st == MT_OK && d == MT_POLICY_NOTIFY) {
        st = mt_store_is_suppressed(r->store, r->domain, "", &sup, &err);
        if (sup)
            d = MT_POLICY_SUPPRESSED;
    }
    if (st == MT_OK) {
        observe(r, &pm, d, &o);
        st = mt_store_record(r->store, &o, &rr, &err);
    }
    if (st != MT_OK) {
        nlog(r, LOG_ERR, "status=deferred error=\"store unavailable: %s\"", err.msg);
        return EX_TEMPFAIL;
    }
    alarm_exit = EX_OK; /* recorded: from here on nothing must be retried */
    nlog(r, LOG_INFO,
         "domain=%s client=%s helo=%s tls=%s protocol=%s cipher=%s verdict=%s spf=%s "
         "trusted_hop=%s decision=%s",
         r->domain[0] ? r->domain : "<>", o.client_ip[0] ? o.client_ip : "unknown",
         r->helo[0] ? r->helo : "-", mt_tri_str(r->tls.used), o.protocol[0] ? o.protocol : "-",
         o.cipher[0] ? o.cipher : "-", mt_verdict_str(r->verdict), pm.spf_pass ? "pass" : "none",
         r->hops->verified       ? "ours"
         : r->hops->trusted >= 0 ? "unverified"
                                 : "none",
         mt_policy_str(d));

    if (r->hops->verified && (rr.domain_downgrade || rr.host_downgrade)) {
        st = report_downgrade(r, &rr);
        if (st != MT_OK)
            nlog(r, LOG_ERR, "downgrade report error=\"%s\"", err.msg);
    }
    if (d != MT_POLICY_NOTIFY)
        return EX_OK;
    if (r->cfg.notice_from == NULL || r->cfg.notice_from[0] == '\0') {
        /* mailtls.conf(5): empty means postmaster@ the first my_hostnames entry. */
        char from[MT_ADDRESS_MAX + 16];
        if (r->cfg.my_hostnames.n == 0 ||
            (size_t)snprintf(from, sizeof(from), "postmaster@%s", r->cfg.my_hostnames.v[0]) >=
                sizeof(from) ||
            mt_address_check(mt_span_cstr(from), NULL, NULL) != MT_OK) {
            nlog(r, LOG_ERR,
                 "error=\"notice_from is empty and my_hostnames gives no address: no notice\"");
            return EX_OK;
        }
        free(r->cfg.notice_from);
        r->cfg.notice_from = strdup(from);
        if (r->cfg.notice_from == NULL)
            return EX_OK;
    }
    if (r->cfg.notify_sender) {
        st = notify_one(r, r->sender_ok, "sender");
        if (st != MT_OK)
            nlog(r, LOG_ERR, "notice=sender error=\"store: %s\"", mt_status_str(st));
    }
    if (r->cfg.notify_postmaster) {
        char pmaddr[MT_ADDRESS_MAX + 16];
        snprintf(pmaddr, sizeof(pmaddr), "postmaster@%s", r->domain);
        if (!r->cfg.notify_sender || strcmp(pmaddr, r->sender_lc) != 0) {
            st = notify_one(r, pmaddr, "postmaster");
            if (st != MT_OK)
                nlog(r, LOG_ERR, "notice=postmaster error=\"store: %s\"", mt_status_str(st));
        }
    }
    return EX_OK;
}

/* The notify command. */
int
mt_cmd_notify(struct mt_ctx *ctx, int argc, char **argv)
{
    static struct mt_hops hops;
    struct run r;
    const char *bad = NULL;
    int rc;

    memset(&r, 0, sizeof(r));
    r.ctx = ctx;
    r.hops = &hops;
    signal(SIGPIPE, SIG_IGN);
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return EX_OK;
    }
    openlog("mailtls/notify", LOG_PID | LOG_NDELAY, LOG_MAIL);
    r.to_stderr = ctx->stderr_tty;
    if (!parse_args(argc, argv, &r.a, &bad)) {
        r.to_stderr = true;
        nlog(&r, LOG_ERR, "error=\"unknown argument '%s'\" (see mailtls-notify(8))", bad);
        closelog();
        return EX_OK; /* bad input: logged, never a bounce */
    }
    r.to_stderr = r.to_stderr || r.a.log_stderr;
    if (!r.a.have_sender) {
        nlog(&r, LOG_ERR, "error=\"--sender is missing\" (see mailtls-notify(8))");
        closelog();
        return EX_OK;
    }
    sanitize(r.a.client_helo, strlen(r.a.client_helo), r.helo, sizeof(r.helo));

    /* mt_ctx_load_config prints "mailtls: FILE:LINE: ..." on stderr, which
       pipe(8) puts into the deferral reason in Postfix's log. */
    if (mt_ctx_load_config(ctx, &r.cfg) != EX_OK) {
        nlog(&r, LOG_ERR, "status=deferred error=\"configuration %s is not usable\"",
             ctx->config_path);
        closelog();
        return EX_TEMPFAIL;
    }
    signal(SIGALRM, on_alarm);
    alarm((unsigned)(r.cfg.notify_deadline > 0 ? r.cfg.notify_deadline : 10));

    rc = run_message(&r);

    alarm(0);
    mt_store_close(r.store);
    free(r.hdr);
    mt_config_done(&r.cfg);
    closelog();
    return rc;
}
