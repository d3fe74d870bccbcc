/* hops.c - a message's Received: chain and the hop we can trust (see hops.h). */
#include "hops.h"

#include <string.h>

#include "header.h"
#include "util/ipaddr.h"

/* host without one trailing dot. */
static struct mt_span
no_dot(struct mt_span s)
{
    if (s.len > 0 && s.p[s.len - 1] == '.')
        s.len--;
    return s;
}

/* True when a ends with b, ASCII case ignored. */
static bool
span_iends(struct mt_span a, struct mt_span b)
{
    size_t j, off;

    if (b.len > a.len)
        return false;
    off = a.len - b.len;
    for (j = 0; j < b.len; j++)
        if (mt_to_lower((unsigned char)a.p[off + j]) != mt_to_lower((unsigned char)b.p[j]))
            return false;
    return true;
}

/* True when host is one of names (case ignored, ".domain" matches subdomains). */
bool
mt_names_match(const struct mt_names *names, struct mt_span host)
{
    size_t k;

    if (names == NULL)
        return false;
    host = no_dot(mt_span_trim(host));
    if (host.len == 0)
        return false;
    for (k = 0; k < names->n; k++) {
        struct mt_span n = no_dot(mt_span_cstr(names->v[k]));
        if (n.len == 0)
            continue;
        if (n.p[0] == '.') {
            /* ".example.net": every name ending in it, not example.net itself */
            if (host.len > n.len && span_iends(host, n))
                return true;
        } else if (host.len == n.len && span_iends(host, n)) {
            return true;
        }
    }
    return false;
}

/* True for LMTP and local delivery keywords (Exim "local", "local-esmtp"). */
static bool
local_with(struct mt_span w)
{
    return mt_span_istarts(w, "LMTP") || mt_span_istarts(w, "UTF8LMTP") ||
           mt_span_istarts(w, "local");
}

/*
 * True when a hop by us came from inside: content-filter re-injection from
 * loopback or "localhost", local submission without a from clause, LMTP or
 * local delivery, a hop without an address and without an SMTP keyword (a
 * list manager re-injecting), or a sender that is one of our names. The sender's name
 * is the reverse-DNS name when the hop gives one (Postfix, Sendmail: the
 * first word is only the HELO, which anyone can forge); otherwise the first
 * word after "from" (Exim writes the looked-up name there).
 */
static bool
internal(const struct mt_received *h, const struct mt_names *mine)
{
    struct mt_span who = h->from_rdns.len > 0 ? h->from_rdns : h->from_host;

    if (h->from_host.len == 0 && h->from_ip.len == 0)
        return true;
    if (local_with(h->with))
        return true;
    if (h->from_ip.len > 0)
        return mt_ipaddr_loopback(h->from_ip) || mt_names_match(mine, who);
    /* No address: a list manager or pipe re-injecting ("from list by lists.example.org
     * with outflank-mailman"), unless an SMTP keyword says a network client was there. */
    if (mt_received_with_tls(h->with) == MT_TRI_UNKNOWN)
        return true;
    return mt_span_ieq(no_dot(who), "localhost") || mt_names_match(mine, who);
}

/* Picks the trusted hop (see hops.h). */
static void
choose(struct mt_hops *out, const struct mt_names *mine)
{
    size_t i;

    out->trusted = -1;
    out->verified = false;
    if (mine != NULL && mine->n > 0) {
        for (i = 0; i < out->n; i++) {
            const struct mt_received *h = &out->hop[i];
            if (mt_names_match(mine, h->by_host) && !internal(h, mine)) {
                out->trusted = (int)i;
                out->verified = true;
                return;
            }
        }
    }
    for (i = 0; i < out->n; i++) {
        if (out->hop[i].from_host.len > 0 || out->hop[i].from_ip.len > 0) {
            out->trusted = (int)i;
            return;
        }
    }
}

/* True when hop h, just parsed, is the trusted one by the rules of choose(). */
static bool
is_trusted(const struct mt_received *h, const struct mt_names *mine)
{
    if (mine != NULL && mine->n > 0)
        return mt_names_match(mine, h->by_host) && !internal(h, mine);
    return h->from_host.len > 0 || h->from_ip.len > 0;
}

/* Builds the chain, or the part of it flags ask for (see hops.h). */
enum mt_status
mt_hops_parse_flags(const char *buf, size_t len, const struct mt_names *mine, unsigned flags,
                    struct mt_hops *out, struct mt_error *err)
{
    struct mt_header_iter it;
    struct mt_field f;
    enum mt_status st, ret = MT_OK;
    bool have_err = false, hops_done = false;
    bool want_id = !(flags & MT_HOPS_NO_MESSAGE_ID);

    out->n = 0;
    out->n_bad = 0;
    out->trusted = -1;
    out->verified = false;
    out->message_id = MT_SPAN_NULL;
    mt_error_clear(err);
    mt_header_iter_init(&it, buf, len);
    while ((st = mt_header_next(&it, &f, NULL)) != MT_NOTFOUND) {
        if (st == MT_EPARSE)
            continue; /* an mbox "From " line or a stray line: not a field */
        if (!hops_done && mt_field_is(&f, "Received")) {
            struct mt_error e;
            if (st == MT_OK && out->n >= MT_HOPS_MAX) {
                /* keep reading for the Message-ID; the chain is full */
                if (ret == MT_OK) {
                    ret = mt_error_set(err, MT_ELIMIT, "more than %d Received fields at line %zu",
                                       MT_HOPS_MAX, f.line);
                    mt_error_at(err, NULL, f.line, 1);
                    have_err = true;
                }
                continue;
            }
            if (st == MT_OK)
                st = mt_received_parse(f.value.p, f.value.len, &out->hop[out->n], &e);
            else
                mt_error_set(&e, st, "Received field longer than %d bytes", MT_HEADER_FIELD_MAX);
            if (st == MT_OK) {
                out->n++;
                if ((flags & MT_HOPS_UNTIL_TRUSTED) && is_trusted(&out->hop[out->n - 1], mine)) {
                    hops_done = true;
                    if (!want_id || out->message_id.len > 0)
                        break;
                }
            } else {
                out->n_bad++;
                if (!have_err && err != NULL) {
                    *err = e;
                    mt_error_at(err, NULL, f.line, 1);
                    have_err = true;
                }
            }
        } else if (want_id && st == MT_OK && out->message_id.len == 0 &&
                   mt_field_is(&f, "Message-ID")) {
            out->message_id = mt_span_trim(f.value);
            if (hops_done)
                break;
        }
    }
    choose(out, mine);
    return ret;
}

/* Builds the chain from a header block. */
enum mt_status
mt_hops_parse(const char *buf, size_t len, const struct mt_names *mine, struct mt_hops *out,
              struct mt_error *err)
{
    return mt_hops_parse_flags(buf, len, mine, 0, out, err);
}
