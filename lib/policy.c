/* policy.c - the safety rules of notices (see policy.h for the list). */
#include "policy.h"

#include <string.h>

#include "address.h"
#include "authres.h"

/* True when s equals any of the NULL-terminated list, case ignored. */
static bool
in_list(struct mt_span s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (mt_span_ieq(s, *list))
            return true;
    return false;
}

/* True when s starts with any of the list, case ignored. */
static bool
starts_list(struct mt_span s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (mt_span_istarts(s, *list))
            return true;
    return false;
}

/* System, role and no-reply local parts. */
bool
mt_policy_is_system_local(struct mt_span local)
{
    static const char *const exact[] = {
        "mailer-daemon", "postmaster", "hostmaster", "abuse",    "root",      "daemon",
        "nobody",        "mailer",     "mail",       "listserv", "majordomo", "mailman",
        "www-data",      "bounce",     "bounces",    NULL,
    };
    static const char *const prefix[] = {
        "noreply",  "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "bounce-",
        "bounces-", "bounce+",  "bounces+", "bounce=",    "bounces=",     NULL,
    };
    struct mt_span base = local;
    const char *plus = memchr(local.p, '+', local.len);

    if (local.len == 0)
        return false;
    if (in_list(local, exact) || starts_list(local, prefix))
        return true;
    if (plus != NULL)
        base.len = (size_t)(plus - local.p);
    return in_list(base, exact) || mt_span_iends(base, "-bounce") ||
           mt_span_iends(base, "-bounces");
}

/* Null sender: empty, "<>", or pipe(8)'s replacement text. */
bool
mt_policy_is_null_sender(struct mt_span sender)
{
    struct mt_span s = mt_span_trim(sender);

    return s.len == 0 || mt_span_eq(s, MT_SPAN_LIT("<>")) || mt_span_ieq(s, "MAILER-DAEMON");
}

/* Loopback or empty client address. */
bool
mt_policy_is_local_addr(struct mt_span addr)
{
    struct mt_span a = mt_span_trim(addr);

    if (a.len > 0 && a.p[0] == '[' && a.p[a.len - 1] == ']') {
        a.p++;
        a.len -= 2;
    }
    if (mt_span_istarts(a, "IPv6:"))
        a = mt_span(a.p + 5, a.len - 5);
    if (a.len == 0)
        return true;
    if (mt_span_starts(a, "127."))
        return true;
    if (mt_span_ieq(a, "::1") || mt_span_ieq(a, "0:0:0:0:0:0:0:1"))
        return true;
    if (mt_span_istarts(a, "::ffff:127."))
        return true;
    return false;
}

/* The first token of an unstructured value (before ';', '(' or space). */
static struct mt_span
first_word(struct mt_span v)
{
    size_t i;

    v = mt_span_trim(v);
    for (i = 0; i < v.len; i++)
        if (v.p[i] == ';' || v.p[i] == '(' || mt_is_space((unsigned char)v.p[i]))
            break;
    return mt_span(v.p, i);
}

/* Notes the facts one header field contributes. */
void
mt_policy_field(struct mt_policy_msg *m, const struct mt_policy_conf *conf, struct mt_span name,
                struct mt_span value, bool ours)
{
    if (mt_span_istarts(name, "List-")) {
        m->list = true;
    } else if (mt_span_ieq(name, "Precedence")) {
        struct mt_span w = first_word(value);
        if (mt_span_ieq(w, "bulk") || mt_span_ieq(w, "list") || mt_span_ieq(w, "junk"))
            m->bulk = true;
    } else if (mt_span_ieq(name, "Auto-Submitted")) {
        if (!mt_span_ieq(first_word(value), "no"))
            m->auto_submitted = true;
    } else if (ours && mt_span_ieq(name, "Authentication-Results") && conf->authserv_id != NULL &&
               conf->authserv_id[0] != '\0') {
        struct mt_authres ar;
        /* A field we cannot parse fully still counts for what it parsed:
           mt_authres_parse never turns a malformed result into a pass. */
        (void)mt_authres_parse(value.p, value.len, &ar, NULL);
        if (ar.authserv_id.len > 0 && mt_span_ieq(ar.authserv_id, conf->authserv_id) &&
            mt_authres_spf_pass(&ar, mt_address_domain(mt_span_trim(m->sender))))
            m->spf_pass = true;
    }
}

/* my_domains matching: ASCII case, trailing dot, ".example.org" covers subdomains. */
static bool
own_domain(const struct mt_names *names, struct mt_span d)
{
    size_t i;

    for (i = 0; i < names->n; i++) {
        struct mt_span n = mt_span_cstr(names->v[i]);
        if (n.len > 1 && n.p[0] == '.') {
            if (d.len > 0 && d.p[d.len - 1] == '.')
                d.len--;
            if (d.len > n.len - 1 && mt_span_iends(d, n.p))
                return true;
            if (mt_domain_eq(d, mt_span(n.p + 1, n.len - 1)))
                return true;
        } else if (mt_domain_eq(d, n)) {
            return true;
        }
    }
    return false;
}

/* Applies the rules in order. */
enum mt_policy
mt_policy_decide(const struct mt_policy_conf *conf, const struct mt_policy_msg *m)
{
    struct mt_span sender = m->sender, domain, local;

    if (mt_policy_is_null_sender(sender))
        return MT_POLICY_NULL_SENDER;
    if (mt_address_check(sender, &domain, NULL) != MT_OK)
        return MT_POLICY_BAD_SENDER;
    local = mt_address_local(sender);
    if (mt_policy_is_system_local(local))
        return MT_POLICY_SYSTEM_SENDER;
    if (mt_span_istarts(local, "owner-") || mt_span_iends(local, "-owner"))
        return MT_POLICY_LIST_OWNER;
    if (mt_span_iends(local, "-request"))
        return MT_POLICY_LIST_REQUEST;
    if (m->list)
        return MT_POLICY_LIST;
    if (m->bulk)
        return MT_POLICY_BULK;
    if (m->auto_submitted)
        return MT_POLICY_AUTO_SUBMITTED;
    if (mt_span_trim(m->sasl_method).len > 0)
        return MT_POLICY_AUTHENTICATED;
    if (mt_policy_is_local_addr(m->client_addr))
        return MT_POLICY_LOCAL;
    if (own_domain(&conf->my_domains, domain))
        return MT_POLICY_OWN_DOMAIN;
    if (!m->hop_verified)
        return MT_POLICY_UNTRUSTED_HOP;
    if (m->verdict == MT_VERDICT_UNKNOWN || m->verdict == MT_VERDICT_OK ||
        (conf->triggers & (1u << m->verdict)) == 0)
        return MT_POLICY_NOT_TRIGGERED;
    if (!m->spf_pass)
        return MT_POLICY_NO_SPF_PASS;
    return MT_POLICY_NOTIFY;
}

/* Log vocabulary. */
const char *
mt_policy_str(enum mt_policy p)
{
    switch (p) {
    case MT_POLICY_NOTIFY:
        return "notify";
    case MT_POLICY_NULL_SENDER:
        return "null-sender";
    case MT_POLICY_BAD_SENDER:
        return "bad-sender";
    case MT_POLICY_SYSTEM_SENDER:
        return "system-sender";
    case MT_POLICY_LIST_OWNER:
        return "list-owner";
    case MT_POLICY_LIST_REQUEST:
        return "list-request";
    case MT_POLICY_LIST:
        return "list";
    case MT_POLICY_BULK:
        return "bulk";
    case MT_POLICY_AUTO_SUBMITTED:
        return "auto-submitted";
    case MT_POLICY_AUTHENTICATED:
        return "authenticated";
    case MT_POLICY_LOCAL:
        return "local";
    case MT_POLICY_OWN_DOMAIN:
        return "own-domain";
    case MT_POLICY_UNTRUSTED_HOP:
        return "untrusted-hop";
    case MT_POLICY_NOT_TRIGGERED:
        return "not-triggered";
    case MT_POLICY_NO_SPF_PASS:
        return "no-spf-pass";
    case MT_POLICY_BAD_HEADERS:
        return "bad-headers";
    case MT_POLICY_SUPPRESSED:
        return "suppressed";
    case MT_POLICY_INTERVAL:
        return "interval";
    case MT_POLICY_DAILY_LIMIT:
        return "daily-limit";
    case MT_POLICY_DISABLED:
        return "disabled";
    }
    return "unknown";
}
