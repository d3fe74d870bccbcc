/*
 * policy.h - who gets a notice about a message's TLS, and why not.
 *
 * The pure half of `mailtls notify` (DESIGN.md, "Inside the mail flow",
 * safety rules). The program collects the facts of one message into a
 * struct mt_policy_msg - the envelope from pipe(8)'s arguments, the
 * header facts through mt_policy_field() for every header field, the
 * verdict of the trusted hop - and mt_policy_decide() returns the first
 * rule that forbids a notice, or MT_POLICY_NOTIFY. What needs the store
 * (suppressions, the per-address interval, the daily limit) is checked by
 * the program afterwards; those outcomes have names here too so that every
 * log line uses one vocabulary (mt_policy_str()).
 *
 * The rules, in the order they are checked:
 *   null sender        "" or pipe(8)'s null_sender text "MAILER-DAEMON";
 *   bad sender         fails mt_address_check() (CR, LF, controls, a
 *                      leading '-', no '@', non-ASCII, overlong, ...);
 *   system sender      the local part (before any '+') is one of
 *                      mailer-daemon, postmaster, hostmaster, abuse, root,
 *                      daemon, nobody, mailer, mail, listserv, majordomo,
 *                      mailman, www-data, or starts with noreply, no-reply,
 *                      no_reply, donotreply, do-not-reply, do_not_reply,
 *                      bounce, or ends with -bounce, -bounces;
 *   list owner         the local part starts with "owner-" or ends with
 *                      "-owner";
 *   list request       the local part ends with "-request";
 *   list               a List-* header field (RFC 2369, RFC 2919);
 *   bulk               Precedence: bulk, list or junk;
 *   auto-submitted     Auto-Submitted other than "no" (RFC 3834);
 *   authenticated      SASL authentication (pipe(8) ${sasl_method} set);
 *   local              client address empty or loopback (127/8, ::1,
 *                      ::ffff:127/104): locally submitted mail;
 *   own domain         the sender's domain is one of my_domains (same
 *                      matching as my_hostnames: a leading "." matches
 *                      subdomains);
 *   untrusted hop      our own Received: hop was not found by name;
 *   not triggered      the verdict's trigger is off (or the verdict is ok
 *                      or unknown);
 *   not authenticated  no SPF pass for the envelope sender's domain in an
 *                      Authentication-Results field with our authserv-id
 *                      above our own Received: field.
 *
 * The program adds: bad headers (the header block did not end within
 * notify_header_limit: a List-* field may be past the cut), suppressed,
 * interval, daily limit, and disabled (notify = no).
 *
 * Pure: no allocation, spans borrowed from the caller.
 */
#ifndef MT_POLICY_H
#define MT_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "hops.h"
#include "tls.h"
#include "util/span.h"

enum mt_policy {
    MT_POLICY_NOTIFY = 0,
    MT_POLICY_NULL_SENDER,
    MT_POLICY_BAD_SENDER,
    MT_POLICY_SYSTEM_SENDER,
    MT_POLICY_LIST_OWNER,
    MT_POLICY_LIST_REQUEST,
    MT_POLICY_LIST,
    MT_POLICY_BULK,
    MT_POLICY_AUTO_SUBMITTED,
    MT_POLICY_AUTHENTICATED,
    MT_POLICY_LOCAL,
    MT_POLICY_OWN_DOMAIN,
    MT_POLICY_UNTRUSTED_HOP,
    MT_POLICY_NOT_TRIGGERED,
    MT_POLICY_NO_SPF_PASS,
    /* Decided by the program: */
    MT_POLICY_BAD_HEADERS, /* header block incomplete (over the limit) or unreadable */
    MT_POLICY_SUPPRESSED,
    MT_POLICY_INTERVAL,
    MT_POLICY_DAILY_LIMIT,
    MT_POLICY_DISABLED, /* notify = no: logged, not sent */
};

/* The facts of one message. Zero-initialise, then fill. */
struct mt_policy_msg {
    struct mt_span sender;      /* envelope sender as pipe(8) gave it */
    struct mt_span client_addr; /* ${client_address} */
    struct mt_span sasl_method; /* ${sasl_method}, empty when none */
    bool hop_verified;          /* our own Received: hop was found */
    enum mt_verdict verdict;    /* of that hop */
    /* Filled by mt_policy_field(): */
    bool list;           /* a List-* field */
    bool bulk;           /* Precedence: bulk/list/junk */
    bool auto_submitted; /* Auto-Submitted other than no */
    bool spf_pass;       /* our SPF pass for the sender's domain */
};

/* Settings the rules read. Borrowed. */
struct mt_policy_conf {
    struct mt_names my_domains;
    unsigned triggers;       /* bit set: 1u << enum mt_verdict */
    const char *authserv_id; /* NULL or "": no A-R is ours, so no SPF pass */
};

/*
 * Notes one header field. ours is true for fields above our own Received:
 * field (written by our server); only those can carry our SPF result.
 * Call after sender is set.
 */
void mt_policy_field(struct mt_policy_msg *m, const struct mt_policy_conf *conf,
                     struct mt_span name, struct mt_span value, bool ours);

/* The first rule that forbids a notice, or MT_POLICY_NOTIFY. */
enum mt_policy mt_policy_decide(const struct mt_policy_conf *conf, const struct mt_policy_msg *m);

/* True for the null sender: empty, "<>", or pipe(8)'s "MAILER-DAEMON". */
bool mt_policy_is_null_sender(struct mt_span sender);

/* True when a local part is a system, role or no-reply sender (see above). */
bool mt_policy_is_system_local(struct mt_span local);

/* True when an address is empty or loopback (text form). */
bool mt_policy_is_local_addr(struct mt_span addr);

/* One word for logs: "notify", "null-sender", "system-sender", ... */
const char *mt_policy_str(enum mt_policy p);

#endif
