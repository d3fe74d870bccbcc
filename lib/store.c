/* store.c - backend selection by URI scheme and the verb wrappers. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

static const struct mt_store_ops *const backends[] = {
    &mt_store_sqlite_ops,
};

/* Opens the backend named by the URI's scheme and migrates its schema. */
enum mt_status
mt_store_open(const char *uri, const struct mt_store_options *opt, struct mt_store **out,
              struct mt_error *err)
{
    static const struct mt_store_options defaults = { 0, true };
    const char *colon = uri != NULL ? strchr(uri, ':') : NULL;
    struct mt_store *s;
    enum mt_status st;
    size_t i;

    *out = NULL;
    if (colon == NULL || colon == uri)
        return mt_error_set(err, MT_ECONFIG, "database '%s': expected SCHEME:LOCATION",
                            uri != NULL ? uri : "");
    for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
        size_t n = strlen(backends[i]->scheme);
        if ((size_t)(colon - uri) == n && strncmp(uri, backends[i]->scheme, n) == 0)
            break;
    }
    if (i == sizeof(backends) / sizeof(backends[0]))
        return mt_error_set(err, MT_ECONFIG, "database '%s': unknown scheme '%.*s'", uri,
                            (int)(colon - uri), uri);
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return mt_error_set(err, MT_ENOMEM, "out of memory");
    s->ops = backends[i];
    st = s->ops->open(colon + 1, opt != NULL ? opt : &defaults, &s->h, err);
    if (st == MT_OK)
        st = s->ops->migrate(s->h, err);
    if (st != MT_OK) {
        mt_store_close(s);
        return st;
    }
    *out = s;
    return MT_OK;
}

/* Closes the backend and frees s. */
void
mt_store_close(struct mt_store *s)
{
    if (s == NULL)
        return;
    if (s->h != NULL)
        s->ops->close(s->h);
    free(s);
}

/* Records one observation. */
enum mt_status
mt_store_record(struct mt_store *s, const struct mt_observation *o, struct mt_record_result *res,
                struct mt_error *err)
{
    return s->ops->record(s->h, o, res, err);
}

/* Reads a domain's history. */
enum mt_status
mt_store_domain_get(struct mt_store *s, const char *domain, struct mt_domain_row *out,
                    struct mt_error *err)
{
    return s->ops->domain_get(s->h, domain, out, err);
}

/* Iterates over domains. */
enum mt_status
mt_store_domains_each(struct mt_store *s, const struct mt_domain_query *q, mt_domain_cb cb,
                      void *arg, struct mt_error *err)
{
    return s->ops->domains_each(s->h, q, cb, arg, err);
}

/* Reads a host's history. */
enum mt_status
mt_store_host_get(struct mt_store *s, const char *ip, struct mt_host_row *out, struct mt_error *err)
{
    return s->ops->host_get(s->h, ip, out, err);
}

/* Iterates over observations in [since, until). */
enum mt_status
mt_store_observations_each(struct mt_store *s, int64_t since, int64_t until, mt_observation_cb cb,
                           void *arg, struct mt_error *err)
{
    return s->ops->observations_each(s->h, since, until, cb, arg, err);
}

/* Claims a notification slot atomically. */
enum mt_status
mt_store_claim(struct mt_store *s, const struct mt_claim *c, enum mt_claim_result *res,
               long long *notice_id, struct mt_error *err)
{
    return s->ops->claim(s->h, c, res, notice_id, err);
}

/* Updates a notice's status. */
enum mt_status
mt_store_notice_status(struct mt_store *s, long long id, const char *status, struct mt_error *err)
{
    return s->ops->notice_status(s->h, id, status, err);
}

/* Iterates over notices (of one domain when domain is non-NULL). */
enum mt_status
mt_store_notices_each(struct mt_store *s, const char *domain, mt_notice_cb cb, void *arg,
                      struct mt_error *err)
{
    return s->ops->notices_each(s->h, domain, cb, arg, err);
}

/* Adds a suppression. */
enum mt_status
mt_store_suppress(struct mt_store *s, enum mt_suppress_kind kind, const char *key, int64_t now,
                  struct mt_error *err)
{
    return s->ops->suppress(s->h, kind, key, now, err);
}

/* Removes a suppression. */
enum mt_status
mt_store_unsuppress(struct mt_store *s, enum mt_suppress_kind kind, const char *key,
                    struct mt_error *err)
{
    return s->ops->unsuppress(s->h, kind, key, err);
}

/* Whether a domain or address hash is suppressed. */
enum mt_status
mt_store_is_suppressed(struct mt_store *s, const char *domain, const char *addr_hash, bool *out,
                       struct mt_error *err)
{
    return s->ops->is_suppressed(s->h, domain, addr_hash, out, err);
}

/* Iterates over suppressions. */
enum mt_status
mt_store_suppressions_each(struct mt_store *s, mt_suppression_cb cb, void *arg,
                           struct mt_error *err)
{
    return s->ops->suppressions_each(s->h, cb, arg, err);
}

/* Drops old data. */
enum mt_status
mt_store_purge(struct mt_store *s, int64_t before, struct mt_purge_counts *out,
               struct mt_error *err)
{
    return s->ops->purge(s->h, before, out, err);
}

/* Copies a NUL-terminated string into a field, cut to fit; true when it was cut. */
static bool
copy_str(char *dst, size_t dstsz, const char *src)
{
    size_t n = strlen(src);
    bool cut = n >= dstsz;

    if (cut)
        n = dstsz - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return cut;
}

/* The inbound message event of an observation (see store.h). */
void
mt_store_observation_event(const struct mt_observation *o, struct mt_event *ev)
{
    struct mt_tls *t = &ev->tls;
    const char *proto = o->protocol_raw[0] != '\0' ? o->protocol_raw : o->protocol;
    const char *cipher = o->cipher_raw[0] != '\0' ? o->cipher_raw : o->cipher;
    bool cut = false;

    memset(ev, 0, sizeof(*ev));
    ev->time = o->time;
    ev->dir = MT_DIR_IN;
    ev->mta = MT_MTA_UNKNOWN;
    ev->status = MT_MSG_RECEIVED;
    cut |= copy_str(ev->host, sizeof(ev->host), o->our_host);
    cut |= copy_str(ev->queue_id, sizeof(ev->queue_id), o->queue_id);
    cut |= copy_str(ev->peer_host, sizeof(ev->peer_host), o->client_name);
    cut |= copy_str(ev->peer_ip, sizeof(ev->peer_ip), o->client_ip);
    cut |= copy_str(ev->sender_domain, sizeof(ev->sender_domain), o->domain);
    ev->flags = cut ? MT_EVENT_TRUNCATED : 0;

    /* The same order as the Received: parser: protocol, then cipher. */
    mt_tls_init(t);
    if (o->used == MT_TRI_NO) {
        mt_tls_set_plaintext(t);
        return;
    }
    if (o->used != MT_TRI_YES)
        return;
    mt_tls_set_used(t, mt_span_cstr(proto), mt_span_cstr(cipher), o->bits);
    t->trust = o->trust;
    (void)copy_str(t->kex_group, sizeof(t->kex_group), o->kex_group);
    (void)copy_str(t->signature, sizeof(t->signature), o->signature);
}

/* Suppression kind names. */
const char *
mt_suppress_kind_str(enum mt_suppress_kind k)
{
    return k == MT_SUPPRESS_DOMAIN ? "domain" : "address";
}

/* Claim result names. */
const char *
mt_claim_result_str(enum mt_claim_result r)
{
    switch (r) {
    case MT_CLAIM_GRANTED:
        return "granted";
    case MT_CLAIM_INTERVAL:
        return "interval";
    case MT_CLAIM_DAILY_LIMIT:
        return "daily-limit";
    }
    return "unknown";
}
