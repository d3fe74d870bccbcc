/* test_postfix.c - classification of Postfix message parts. */
#include <string.h>

#include "mt_test.h"
#include "postfix.h"

/* Parses msg as logged by program. */
static void
parse(const char *program, const char *msg, struct mt_pf_rec *r)
{
    mt_postfix_parse(mt_span_cstr(program), mt_span_cstr(msg), r);
}

static void
test_tls_lines(void)
{
    struct mt_pf_rec r;
    struct mt_tls t;

    parse("postfix/submission/smtpd",
          "Anonymous TLS connection established from unknown[192.168.1.115]: TLSv1.3 with cipher "
          "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA "
          "(P-256) server-digest SHA256",
          &r);
    CHECK_INT(r.kind, MT_PF_TLS_IN);
    CHECK_SPAN(r.daemon, "smtpd");
    CHECK_SPAN(r.host, "unknown");
    CHECK_SPAN(r.ip, "192.168.1.115");
    CHECK_INT(r.trust, MT_TRUST_ANONYMOUS);
    CHECK_SPAN(r.protocol, "TLSv1.3");
    CHECK_SPAN(r.cipher, "TLS_AES_256_GCM_SHA384");
    CHECK_INT(r.bits, 256);
    CHECK_SPAN(r.kex, "X25519");
    CHECK_SPAN(r.sig, "ECDSA (P-256)");
    mt_postfix_tls(&r, &t);
    CHECK_INT(t.used, MT_TRI_YES);
    CHECK_INT(t.proto_min, MT_PROTO_TLS13);
    CHECK_STR(t.cipher_raw, "TLS_AES_256_GCM_SHA384");
    CHECK_STR(t.kex_group, "X25519");
    CHECK_STR(t.signature, "ECDSA (P-256)");

    parse("postfix/smtp",
          "Untrusted TLS connection established to mail2.example.com[33.33.33.33]:587: TLSv1.3 "
          "with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 "
          "server-signature RSA-PSS (2048 bits)",
          &r);
    CHECK_INT(r.kind, MT_PF_TLS_OUT);
    CHECK_SPAN(r.port, "587");
    CHECK_SPAN(r.sig, "RSA-PSS");
    CHECK_INT(r.trust, MT_TRUST_UNTRUSTED);

    parse("postfix/smtp",
          "Verified TLS connection established to smtp.gmail.com[2607:f8b0:4001:c06::6d]:465: "
          "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
          &r);
    CHECK_SPAN(r.ip, "2607:f8b0:4001:c06::6d");
    CHECK_SPAN(r.port, "465");
    CHECK_INT(r.trust, MT_TRUST_VERIFIED);

    parse("postfix/reuse/smtp",
          "Untrusted TLS connection reused to 192.0.2.20[192.0.2.20]:49471: TLSv1.3 with cipher "
          "TLS_AES_256_GCM_SHA384 (256/256 bits)",
          &r);
    CHECK_INT(r.kind, MT_PF_TLS_OUT);
    CHECK(r.reused);

    /* Before Postfix 2.5: no trust word; the client form without [ip]. */
    parse("postfix/smtpd",
          "TLS connection established from example.com[192.168.0.1]: TLSv1 with cipher "
          "DHE-RSA-AES256-SHA (256/256 bits)",
          &r);
    CHECK_INT(r.kind, MT_PF_TLS_IN);
    CHECK_INT(r.trust, MT_TRUST_UNKNOWN);
    CHECK_SPAN(r.protocol, "TLSv1");
    parse("postfix/smtp",
          "TLS connection established to example.com: TLSv1 with cipher RC4-SHA (128/128 bits)",
          &r);
    CHECK_INT(r.kind, MT_PF_TLS_OUT);
    CHECK_SPAN(r.host, "example.com");
    CHECK_INT(r.ip.len, 0);
    CHECK_SPAN(r.cipher, "RC4-SHA");

    /* Cut short: not a TLS line. */
    parse("postfix/smtpd", "Anonymous TLS connection established from unknown[1.2.3.4", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
    parse("postfix/smtpd", "Trusted TLS connection established from a[1.2.3.4]: ", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
}

static void
test_session_lines(void)
{
    struct mt_pf_rec r;

    parse("postfix/smtpd", "connect from client.test[192.0.2.30]", &r);
    CHECK_INT(r.kind, MT_PF_CONNECT);
    CHECK_SPAN(r.host, "client.test");
    parse("postfix/smtpd",
          "disconnect from unknown[192.168.251.4] ehlo=1 starttls=0/1 commands=1/2", &r);
    CHECK_INT(r.kind, MT_PF_DISCONNECT);
    CHECK(r.counters);
    CHECK_INT(r.starttls_ok, 0);
    CHECK_INT(r.starttls_tried, 1);
    parse("postfix/smtpd", "disconnect from a[1.2.3.4] ehlo=2 starttls=1 mail=1 commands=7", &r);
    CHECK_INT(r.starttls_ok, 1);
    CHECK_INT(r.starttls_tried, 1);
    parse("postfix/smtpd", "disconnect from a[1.2.3.4] ehlo=1 mail=1 quit=1 commands=3", &r);
    CHECK(r.counters);
    CHECK_INT(r.starttls_tried, -1);
    parse("postfix/smtpd", "disconnect from unknown[IP]", &r);
    CHECK(!r.counters);
    parse("postfix/smtpd", "lost connection after STARTTLS from localhost[127.0.0.1]", &r);
    CHECK_INT(r.kind, MT_PF_LOST);
    CHECK_SPAN(r.reason, "STARTTLS");
    parse("postfix/smtpd", "SSL_accept error from unknown[192.168.251.4]: -1", &r);
    CHECK_INT(r.kind, MT_PF_SSL_ACCEPT_ERROR);
    CHECK_SPAN(r.reason, "-1");
    parse("postfix/smtp", "SSL_connect error to 192.0.2.20[192.0.2.20]:53031: -1", &r);
    CHECK_INT(r.kind, MT_PF_SSL_CONNECT_ERROR);
    CHECK_SPAN(r.port, "53031");
    parse("postfix/smtpd",
          "warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher", &r);
    CHECK_INT(r.kind, MT_PF_TLS_WARNING);
    CHECK_SPAN(r.reason, "error:0A0000C1:SSL routines::no shared cipher");
    parse("postfix/tlsproxy", "CONNECT to [192.0.2.20]:49471", &r);
    CHECK_INT(r.kind, MT_PF_PROXY_CONNECT);
    CHECK_SPAN(r.ip, "192.0.2.20");
    parse("postfix/tlsproxy", "DISCONNECT [192.0.2.20]:49471", &r);
    CHECK_INT(r.kind, MT_PF_PROXY_DISCONNECT);
    parse("postfix/postscreen", "CONNECT from [103.151.87.18]:39200 to [1.2.3.4]:25", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
    parse("postfix/smtpd", "NOQUEUE: reject: RCPT from x[1.2.3.4]: 554 5.7.1 denied", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
}

static void
test_queue_lines(void)
{
    struct mt_pf_rec r;

    parse("postfix/smtpd", "C83AA4E296B: client=unknown[192.168.1.115], sasl_method=LOGIN", &r);
    CHECK_INT(r.kind, MT_PF_CLIENT);
    CHECK_SPAN(r.queue_id, "C83AA4E296B");
    CHECK_SPAN(r.ip, "192.168.1.115");
    parse("postfix/smtpd",
          "4VwPj90WLNz2x5: client=a[1.2.3.4], orig_queue_id=4VwPj8r1Gfz2x3, orig_client=a[1.2.3.4]",
          &r);
    CHECK_SPAN(r.queue_id, "4VwPj90WLNz2x5");
    CHECK_SPAN(r.orig_queue_id, "4VwPj8r1Gfz2x3");
    parse("postfix/qmgr",
          "B70414E296B: from=<eicar@aleph-tec.com>, size=2820, nrcpt=1 (queue active)", &r);
    CHECK_INT(r.kind, MT_PF_FROM);
    CHECK_SPAN(r.addr, "eicar@aleph-tec.com");
    parse("postfix/qmgr", "B70414E296B: from=<>, size=2820, nrcpt=1 (queue active)", &r);
    CHECK_INT(r.kind, MT_PF_FROM);
    CHECK_INT(r.addr.len, 0);
    parse("postfix/qmgr", "B70414E296B: from=<a@b>, status=expired, returned to sender", &r);
    CHECK_INT(r.kind, MT_PF_EXPIRED);
    parse("postfix/qmgr", "B70414E296B: removed", &r);
    CHECK_INT(r.kind, MT_PF_REMOVED);
    parse("postfix/pickup", "AF3B6480475: uid=0 from=<root>", &r);
    CHECK_INT(r.kind, MT_PF_PICKUP);
    CHECK_SPAN(r.addr, "root");
    parse("postfix/cleanup", "36E6D300017: message-id=<f9ee@theheists.com>", &r);
    CHECK_INT(r.kind, MT_PF_MESSAGE_ID);
    parse("postfix/cleanup", "36E6D300017: milter-reject: END-OF-MESSAGE from a[1.2.3.4]: 5.7.1 no",
          &r);
    CHECK_INT(r.kind, MT_PF_REJECT);
    parse("postfix/smtp", "5AB7D8E2B0: TLS is required, but our TLS engine is unavailable", &r);
    CHECK_INT(r.kind, MT_PF_TLS_REQUIRED);
    parse("postfix/smtpd", "warning: hostname x does not resolve", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
    CHECK_INT(r.queue_id.len, 0);
}

static void
test_delivery(void)
{
    struct mt_pf_rec r;

    parse("postfix/smtp",
          "B70414E296B: to=<example@example.dev>, relay=127.0.0.1[127.0.0.1]:10024, delay=3.3, "
          "delays=0.23/0.05/0.01/3, dsn=2.0.0, status=sent (250 2.0.0 from "
          "MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E184C4E29BF)",
          &r);
    CHECK_INT(r.kind, MT_PF_DELIVERY);
    CHECK_SPAN(r.addr, "example@example.dev");
    CHECK_INT(r.relay, MT_PF_RELAY_INET);
    CHECK_SPAN(r.ip, "127.0.0.1");
    CHECK_SPAN(r.port, "10024");
    CHECK_INT(r.status, MT_MSG_SENT);
    CHECK_SPAN(r.queued_as, "E184C4E29BF");
    CHECK_INT(r.conn_use, 0);

    parse(
        "postfix/smtp",
        "5E31727A35D: to=<bellsouth@myemail.net>, relay=gateway-f1.isp.att.net[204.127.217.17]:25, "
        "conn_use=2, delay=0.58, delays=0.11/0.03/0.23/0.20, dsn=2.0.0, status=sent (250 ok)",
        &r);
    CHECK_INT(r.conn_use, 2);
    CHECK_INT(r.relay, MT_PF_RELAY_INET);

    parse("postfix/lmtp",
          "DF1C3EB916: to=<h@h.com>, relay=h-138674ebe[private/dovecot-lmtp], delay=0.6, "
          "delays=0.32/0.06/0.05/0.17, dsn=2.0.0, status=sent (250 2.0.0 <h@h.com> Saved)",
          &r);
    CHECK_INT(r.relay, MT_PF_RELAY_UNIX);
    CHECK_SPAN(r.daemon, "lmtp");

    parse("postfix/smtp",
          "BB40124D8D: to=<example@hotmai.com>, relay=none, delay=3804, delays=3804/0/0.01/0, "
          "dsn=5.4.4, status=bounced (Host or domain name not found.)",
          &r);
    CHECK_INT(r.relay, MT_PF_RELAY_NONE);
    CHECK_INT(r.status, MT_MSG_BOUNCED);

    parse("postfix/local",
          "B7F9D4400: to=<dalyj1@tcd.ie>, orig_to=<dalyj1@cs.tcd.ie>, relay=local, delay=0, "
          "status=sent (delivered to mailbox)",
          &r);
    CHECK_INT(r.kind, MT_PF_DELIVERY);
    CHECK_INT(r.relay, MT_PF_RELAY_NAME);
    CHECK_SPAN(r.addr, "dalyj1@tcd.ie");

    parse("postfix/smtp",
          "AF3B6480475: to=<v@r.com>, relay=r.com[192.168.33.7]:25, delay=0.06, "
          "delays=0.03/0.03/0/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)",
          &r);
    CHECK_INT(r.status, MT_MSG_DEFERRED);
    CHECK_SPAN(r.status_text, "Cannot start TLS: handshake failure");

    /* Malformed: no status, unknown status, unterminated address. */
    parse("postfix/smtp", "AF3B6480475: to=<v@r.com>, relay=r.com[1.2.3.4]:25, delay=0.06", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
    parse("postfix/smtp", "AF3B6480475: to=<v@r.com>, relay=x, status=deliverable (ok)", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
    parse("postfix/smtp", "AF3B6480475: to=<v@r.com", &r);
    CHECK_INT(r.kind, MT_PF_OTHER);
}

static void
test_programs(void)
{
    CHECK(mt_postfix_is_program(mt_span_cstr("postfix/smtpd")));
    CHECK(mt_postfix_is_program(mt_span_cstr("postfix-out/smtp")));
    CHECK(mt_postfix_is_program(mt_span_cstr("postfix/submission/smtpd")));
    CHECK(!mt_postfix_is_program(mt_span_cstr("smtpd")));
    CHECK(!mt_postfix_is_program(mt_span_cstr("sm-mta")));
    CHECK(!mt_postfix_is_program(mt_span_cstr("exim")));
}

int
main(void)
{
    test_tls_lines();
    test_session_lines();
    test_queue_lines();
    test_delivery();
    test_programs();
    return mt_test_done();
}
