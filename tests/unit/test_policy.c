/* test_policy.c - every safety rule and every trigger of mt_policy_decide(). */
#include "policy.h"
#include "mt_test.h"

static const char *const my_domains[] = { "example.org", ".corp.example" };

/* The configuration the tests share: triggers plaintext, insecure, deprecated. */
static struct mt_policy_conf
conf(void)
{
    struct mt_policy_conf c;

    c.my_domains.v = my_domains;
    c.my_domains.n = 2;
    c.triggers =
        (1u << MT_VERDICT_PLAINTEXT) | (1u << MT_VERDICT_INSECURE) | (1u << MT_VERDICT_DEPRECATED);
    c.authserv_id = "mx.example.org";
    return c;
}

/* A message that would get a notice: plaintext, SPF pass from our verifier. */
static struct mt_policy_msg
good(const struct mt_policy_conf *c, const char *sender)
{
    struct mt_policy_msg m;

    memset(&m, 0, sizeof(m));
    m.sender = mt_span_cstr(sender);
    m.client_addr = mt_span_cstr("192.0.2.10");
    m.hop_verified = true;
    m.verdict = MT_VERDICT_PLAINTEXT;
    mt_policy_field(&m, c, MT_SPAN_LIT("Authentication-Results"),
                    MT_SPAN_LIT(" mx.example.org; spf=pass smtp.mailfrom=sender.example"), true);
    return m;
}

/* Decides for one header field added to a good message. */
static enum mt_policy
with_field(const char *name, const char *value)
{
    struct mt_policy_conf c = conf();
    struct mt_policy_msg m = good(&c, "alice@sender.example");

    mt_policy_field(&m, &c, mt_span_cstr(name), mt_span_cstr(value), false);
    return mt_policy_decide(&c, &m);
}

/* Decides for a good message from sender. */
static enum mt_policy
from(const char *sender)
{
    struct mt_policy_conf c = conf();
    struct mt_policy_msg m = good(&c, sender);
    char ar[256];

    /* SPF pass for whatever domain the sender has. */
    snprintf(ar, sizeof(ar), " mx.example.org; spf=pass smtp.mailfrom=%s", sender);
    mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"), mt_span_cstr(ar), true);
    return mt_policy_decide(&c, &m);
}

int
main(void)
{
    struct mt_policy_conf c = conf();
    struct mt_policy_msg m;

    CHECK_INT(from("alice@sender.example"), MT_POLICY_NOTIFY);

    /* Null sender in every spelling pipe(8) can produce. */
    CHECK_INT(from(""), MT_POLICY_NULL_SENDER);
    CHECK_INT(from("<>"), MT_POLICY_NULL_SENDER);
    CHECK_INT(from("MAILER-DAEMON"), MT_POLICY_NULL_SENDER);
    CHECK_INT(from("mailer-daemon"), MT_POLICY_NULL_SENDER);

    /* Bad senders: injection and option attempts. */
    CHECK_INT(from("alice@sender.example\r\nBcc: x@y.example"), MT_POLICY_BAD_SENDER);
    CHECK_INT(from("alice@sender.example\nX: y"), MT_POLICY_BAD_SENDER);
    CHECK_INT(from("-oQ/tmp@sender.example"), MT_POLICY_BAD_SENDER);
    CHECK_INT(from("alice"), MT_POLICY_BAD_SENDER);

    /* System, role and no-reply senders. */
    CHECK_INT(from("MAILER-DAEMON@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("postmaster@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("root@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("noreply@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("no-reply@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("No_Reply-billing@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("donotreply@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("bounce@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("bounces+alice=x.example@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("bounce-12345@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("users-bounces@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("users-bounces+alice=x.example@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("postmaster+tag@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("nobody@sender.example"), MT_POLICY_SYSTEM_SENDER);
    CHECK_INT(from("bouncer@sender.example"), MT_POLICY_NOTIFY); /* a person's name */
    CHECK_INT(from("rooted@sender.example"), MT_POLICY_NOTIFY);

    /* Lists. */
    CHECK_INT(from("owner-users@sender.example"), MT_POLICY_LIST_OWNER);
    CHECK_INT(from("users-owner@sender.example"), MT_POLICY_LIST_OWNER);
    CHECK_INT(from("users-request@sender.example"), MT_POLICY_LIST_REQUEST);
    CHECK_INT(with_field("List-Id", " Users <users.sender.example>"), MT_POLICY_LIST);
    CHECK_INT(with_field("list-unsubscribe", " <mailto:x@sender.example>"), MT_POLICY_LIST);
    CHECK_INT(with_field("List-Post", " NO"), MT_POLICY_LIST);

    /* Precedence. */
    CHECK_INT(with_field("Precedence", " bulk"), MT_POLICY_BULK);
    CHECK_INT(with_field("Precedence", " LIST"), MT_POLICY_BULK);
    CHECK_INT(with_field("Precedence", "\tjunk (spam)"), MT_POLICY_BULK);
    CHECK_INT(with_field("Precedence", " first-class"), MT_POLICY_NOTIFY);

    /* Auto-Submitted (RFC 3834): anything but "no". */
    CHECK_INT(with_field("Auto-Submitted", " auto-replied"), MT_POLICY_AUTO_SUBMITTED);
    CHECK_INT(with_field("Auto-Submitted", " auto-generated; type=x"), MT_POLICY_AUTO_SUBMITTED);
    CHECK_INT(with_field("Auto-Submitted", " auto-notified"), MT_POLICY_AUTO_SUBMITTED);
    CHECK_INT(with_field("Auto-Submitted", " No"), MT_POLICY_NOTIFY);
    CHECK_INT(with_field("Auto-Submitted", " no (comment)"), MT_POLICY_NOTIFY);

    /* SASL and local mail. */
    m = good(&c, "alice@sender.example");
    m.sasl_method = mt_span_cstr("PLAIN");
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_AUTHENTICATED);
    m.sasl_method = mt_span_cstr("");
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOTIFY);
    m.client_addr = mt_span_cstr("127.0.0.1");
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_LOCAL);
    m.client_addr = mt_span_cstr("::1");
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_LOCAL);
    m.client_addr = mt_span_cstr("::ffff:127.0.0.2");
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_LOCAL);
    m.client_addr = mt_span_cstr("");
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_LOCAL);
    m.client_addr = mt_span_cstr("2001:db8::1");
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOTIFY);

    /* Our own domains, with subdomain matching. */
    CHECK_INT(from("alice@example.org"), MT_POLICY_OWN_DOMAIN);
    CHECK_INT(from("alice@EXAMPLE.org"), MT_POLICY_OWN_DOMAIN);
    CHECK_INT(from("alice@lab.corp.example"), MT_POLICY_OWN_DOMAIN);
    CHECK_INT(from("alice@corp.example"), MT_POLICY_OWN_DOMAIN);
    CHECK_INT(from("alice@notexample.org"), MT_POLICY_NOTIFY);
    CHECK_INT(from("alice@sub.example.org"), MT_POLICY_NOTIFY);

    /* The trusted hop must be ours. */
    m = good(&c, "alice@sender.example");
    m.hop_verified = false;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_UNTRUSTED_HOP);

    /* Triggers. */
    m = good(&c, "alice@sender.example");
    m.verdict = MT_VERDICT_INSECURE;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOTIFY);
    m.verdict = MT_VERDICT_DEPRECATED;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOTIFY);
    m.verdict = MT_VERDICT_LEGACY; /* off by default */
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOT_TRIGGERED);
    m.verdict = MT_VERDICT_OK;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOT_TRIGGERED);
    m.verdict = MT_VERDICT_UNKNOWN;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOT_TRIGGERED);
    c.triggers = 1u << MT_VERDICT_LEGACY;
    m.verdict = MT_VERDICT_LEGACY;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOTIFY);
    m.verdict = MT_VERDICT_PLAINTEXT;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOT_TRIGGERED);
    c = conf();

    /* SPF: only a pass from our authserv-id, above our Received:, for the envelope domain. */
    memset(&m, 0, sizeof(m));
    m.sender = mt_span_cstr("alice@sender.example");
    m.client_addr = mt_span_cstr("192.0.2.10");
    m.hop_verified = true;
    m.verdict = MT_VERDICT_PLAINTEXT;
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NO_SPF_PASS);
    mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"),
                    MT_SPAN_LIT(" mx.example.org; spf=pass smtp.mailfrom=alice@sender.example"),
                    false); /* below our Received: forged */
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NO_SPF_PASS);
    mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"),
                    MT_SPAN_LIT(" mx.evil.example; spf=pass smtp.mailfrom=alice@sender.example"),
                    true); /* someone else's authserv-id */
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NO_SPF_PASS);
    mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"),
                    MT_SPAN_LIT(" mx.example.org; spf=pass smtp.mailfrom=bob@other.example"),
                    true); /* another domain */
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NO_SPF_PASS);
    mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"),
                    MT_SPAN_LIT(" mx.example.org; spf=neutral smtp.mailfrom=alice@sender.example"),
                    true);
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NO_SPF_PASS);
    mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"),
                    MT_SPAN_LIT(" MX.Example.ORG; SPF=Pass smtp.mailfrom=alice@SENDER.example"),
                    true);
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NOTIFY);
    /* Without an authserv_id nothing is ours. */
    c.authserv_id = "";
    memset(&m, 0, sizeof(m));
    m.sender = mt_span_cstr("alice@sender.example");
    m.client_addr = mt_span_cstr("192.0.2.10");
    m.hop_verified = true;
    m.verdict = MT_VERDICT_PLAINTEXT;
    mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"),
                    MT_SPAN_LIT(" mx.example.org; spf=pass smtp.mailfrom=alice@sender.example"),
                    true);
    CHECK_INT(mt_policy_decide(&c, &m), MT_POLICY_NO_SPF_PASS);

    /* Every outcome has a distinct log word. */
    CHECK_STR(mt_policy_str(MT_POLICY_NOTIFY), "notify");
    CHECK_STR(mt_policy_str(MT_POLICY_NO_SPF_PASS), "no-spf-pass");
    CHECK_STR(mt_policy_str(MT_POLICY_DISABLED), "disabled");
    return mt_test_done();
}
