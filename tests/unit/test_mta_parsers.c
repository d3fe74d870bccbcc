/* test_mta_parsers.c - Exim, Sendmail and OpenSMTPD message parts. */
#include <string.h>

#include "exim.h"
#include "mt_test.h"
#include "opensmtpd.h"
#include "sendmail.h"

static void
test_exim(void)
{
    struct mt_ex_rec r;
    struct mt_tls t;

    mt_exim_parse(mt_span_cstr("1smkL5-00000000e65-24eQ <= nothing@change.this H=(v26.local) "
                               "[43.6.92.12] P=esmtps X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__"
                               "AES_256_GCM:256 CV=no S=15813"),
                  &r);
    CHECK_INT(r.kind, MT_EX_ARRIVAL);
    CHECK_SPAN(r.id, "1smkL5-00000000e65-24eQ");
    CHECK_SPAN(r.addr, "nothing@change.this");
    CHECK_INT(r.host.len, 0);
    CHECK_SPAN(r.ip, "43.6.92.12");
    CHECK_SPAN(r.proto, "esmtps");
    CHECK_SPAN(r.cv, "no");
    mt_exim_tls(&r, &t);
    CHECK_INT(t.used, MT_TRI_YES);
    CHECK_STR(t.protocol_raw, "TLS1.3");
    CHECK_INT(t.bits, 256);
    CHECK_INT(t.trust, MT_TRUST_UNTRUSTED);

    mt_exim_parse(mt_span_cstr("1hEsVV-006q9f-M2 => mail@host.tld <foo@other.tld> R=tls_lookuphost "
                               "T=tls_remote_smtp H=mail.remote.tld [123.123.123.123]* "
                               "X=TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes A=fixed_cram K "
                               "C=\"250- 1319 byte chunk, total 1319\\n250 OK id=1hEsVX\""),
                  &r);
    CHECK_INT(r.kind, MT_EX_DELIVERY);
    CHECK_SPAN(r.addr, "mail@host.tld");
    CHECK_SPAN(r.host, "mail.remote.tld");
    CHECK(r.reused);
    CHECK_SPAN(r.transport, "tls_remote_smtp");
    mt_exim_tls(&r, &t);
    CHECK_INT(t.trust, MT_TRUST_VERIFIED);
    CHECK_STR(t.cipher_raw, "ECDHE-RSA-AES256-GCM-SHA384");

    mt_exim_parse(mt_span_cstr("1dOqvZ-0002HB-Ob => localuser <localuser@localdomain.com> "
                               "R=virtual_user T=dovecot_virtual_delivery C=\"250 Saved\""),
                  &r);
    CHECK_SPAN(r.addr, "localuser@localdomain.com");
    CHECK_INT(r.ip.len, 0);
    mt_exim_parse(mt_span_cstr("1h43YE-0005F1-ND == mail@host.tld R=dnslookup T=remote_smtp "
                               "defer (-53): retry time not reached"),
                  &r);
    CHECK_INT(r.kind, MT_EX_DEFER);
    CHECK_SPAN(r.reason, "(-53): retry time not reached");
    mt_exim_parse(mt_span_cstr("1gpXfR-0040X2-94 ** mail@host.tld R=virtual_aliases: No Such User"),
                  &r);
    CHECK_INT(r.kind, MT_EX_FAILED);
    CHECK_SPAN(r.router, "virtual_aliases");
    mt_exim_parse(
        mt_span_cstr("1smkL5-00000000e65-24eQ H=mx.yandex.ru [77.88.21.249] TLS error on "
                     "connection (recv): The TLS connection was non-properly terminated."),
        &r);
    CHECK_INT(r.kind, MT_EX_TLS_ERROR);
    CHECK(!r.inbound);
    CHECK(r.established); /* (recv): after the handshake */
    CHECK_SPAN(r.host, "mx.yandex.ru");
    CHECK_SPAN(r.reason, "The TLS connection was non-properly terminated.");
    mt_exim_parse(mt_span_cstr("TLS error on connection from mout.gmx.net [212.227.15.15] "
                               "(gnutls_handshake): A TLS fatal alert has been received."),
                  &r);
    CHECK_INT(r.kind, MT_EX_TLS_ERROR);
    CHECK(r.inbound);
    CHECK(!r.established);
    CHECK_SPAN(r.ip, "212.227.15.15");
    /* Lines a real Exim 4.96 (Debian 12, GnuTLS) wrote: tests/golden/logs/exim-real.in. */
    mt_exim_parse(
        mt_span_cstr("1xXV4j-0000Ja-0Q TLS session: (gnutls_handshake): Error in protocol "
                     "version: delivering unencrypted to H=mx-b.test [192.0.2.20] (not "
                     "in hosts_require_tls)"),
        &r);
    CHECK_INT(r.kind, MT_EX_TLS_ERROR);
    CHECK(!r.inbound && !r.established);
    CHECK_SPAN(r.host, "mx-b.test");
    CHECK_SPAN(r.ip, "192.0.2.20");
    CHECK_SPAN(r.reason, "(gnutls_handshake): Error in protocol version");
    mt_exim_parse(mt_span_cstr("1aaaaa-000000-00 TLS session failure: delivering unencrypted to "
                               "mx.example [192.0.2.9] (not in hosts_require_tls)"),
                  &r);
    CHECK_INT(r.kind, MT_EX_TLS_ERROR);
    CHECK_SPAN(r.ip, "192.0.2.9");
    CHECK_SPAN(r.reason, "TLS session failure");
    mt_exim_parse(mt_span_cstr("1xXV4j-0000Jn-1m H=mx-b.test [192.0.2.20]: a TLS session is "
                               "required, but the server did not offer TLS support"),
                  &r);
    CHECK_INT(r.kind, MT_EX_TLS_ERROR);
    CHECK_SPAN(r.reason, "a TLS session is required, but the server did not offer TLS support");
    mt_exim_parse(mt_span_cstr("1xXV4k-0000KE-1z H=mx-b.test [192.0.2.20] Connection refused"), &r);
    CHECK_INT(r.kind, MT_EX_OTHER);
    mt_exim_parse(mt_span_cstr("1xXV4j-0000Jn-1m == r@required.example R=r T=remote_smtp defer "
                               "(-38) H=mx-b.test [192.0.2.20]: a TLS session is required"),
                  &r);
    CHECK_INT(r.kind, MT_EX_DEFER);
    CHECK_SPAN(r.host, "mx-b.test");
    CHECK_SPAN(r.reason, "a TLS session is required");
    CHECK(!r.first_pass);
    mt_exim_parse(mt_span_cstr("1xXV4l-0000KW-2c == r1@reuse.example R=r T=remote_smtp defer (-1): "
                               "first-pass only routing due to -odqs, queue_smtp_domains or "
                               "control=queue"),
                  &r);
    CHECK_INT(r.kind, MT_EX_DEFER);
    CHECK(r.first_pass);
    mt_exim_parse(mt_span_cstr("1xXV4k-0000Jz-11 ** r@refused.example R=r T=remote_smtp "
                               "H=mx-b.test [192.0.2.20] X=TLS1.3:ECDHE_SECP256R1__RSA_PSS_RSAE_"
                               "SHA256__AES_256_GCM:256 CV=no: SMTP error from remote mail server "
                               "after RCPT TO:<r@refused.example>: 554 5.7.1 Access denied"),
                  &r);
    CHECK_INT(r.kind, MT_EX_FAILED);
    CHECK_SPAN(r.cv, "no");
    CHECK_SPAN(r.x, "TLS1.3:ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256");
    CHECK(mt_span_starts(r.reason, "SMTP error from remote mail server"));
    mt_exim_tls(&r, &t);
    CHECK_INT(t.trust, MT_TRUST_UNTRUSTED);
    mt_exim_parse(mt_span_cstr("1smkL5-00000000e65-24eQ Completed"), &r);
    CHECK_INT(r.kind, MT_EX_COMPLETED);
    /* log_selector +all: times after the fields (tests/golden/logs/exim-real-all.in). */
    mt_exim_parse(mt_span_cstr("1xXVZZ-0007VP-2G Completed QT=0.067s"), &r);
    CHECK_INT(r.kind, MT_EX_COMPLETED);
    mt_exim_parse(mt_span_cstr("1xXVZZ-0007VP-2G CompletedX"), &r);
    CHECK_INT(r.kind, MT_EX_OTHER);
    mt_exim_parse(mt_span_cstr("1xXVZe-0007m7-0i == r1@reuse.example R=r T=remote_smtp defer (-1) "
                               "DT=0.000s: first-pass only routing due to -odqs"),
                  &r);
    CHECK(r.first_pass);
    mt_exim_parse(mt_span_cstr("1xXVZc-0007es-1f == r@required.example R=r T=remote_smtp defer "
                               "(-38) H=mx-b.test [192.0.2.20]:54677 I=[192.0.2.20]:38418 "
                               "DT=0.000s: a TLS session is required"),
                  &r);
    CHECK_SPAN(r.host, "mx-b.test");
    CHECK_SPAN(r.port, "54677");
    CHECK_SPAN(r.reason, "a TLS session is required");
    CHECK(!r.first_pass);
    mt_exim_parse(mt_span_cstr("SMTP connection from mail.example.com [192.168.1.1]:46890 closed"),
                  &r);
    CHECK_INT(r.kind, MT_EX_OTHER);
    mt_exim_parse(mt_span_cstr("1smkL5-00000000e65-24eQ <= a@b H=x [1.2.3.4"), &r);
    CHECK_INT(r.kind, MT_EX_ARRIVAL);
    CHECK_INT(r.ip.len, 0);
}

static void
test_sendmail(void)
{
    struct mt_sm_rec r;
    struct mt_tls t;

    mt_sendmail_parse(
        mt_span_cstr("STARTTLS=server, relay=173-8.example.net [173.8.135.25], "
                     "version=TLSv1/SSLv3, verify=NO, cipher=AES128-SHA, bits=128/128"),
        &r);
    CHECK_INT(r.kind, MT_SM_STARTTLS);
    CHECK(r.server);
    CHECK_SPAN(r.host, "173-8.example.net");
    CHECK_SPAN(r.ip, "173.8.135.25");
    CHECK_INT(r.bits, 128);
    mt_sendmail_tls(&r, &t);
    CHECK_INT(t.proto_min, MT_PROTO_SSL3);
    CHECK_INT(t.trust, MT_TRUST_ANONYMOUS);

    mt_sendmail_parse(
        mt_span_cstr("u253KqZe002564: STARTTLS=client, relay=gmail-smtp-in.l.google.com., "
                     "version=TLSv1.3, verify=OK, cipher=TLS_AES_256_GCM_SHA384, "
                     "bits=256/256"),
        &r);
    CHECK_INT(r.kind, MT_SM_STARTTLS);
    CHECK(!r.server);
    CHECK_SPAN(r.queue_id, "u253KqZe002564");
    CHECK_SPAN(r.host, "gmail-smtp-in.l.google.com");

    mt_sendmail_parse(mt_span_cstr("v9PCoLiO006667: to=<u@gmail.com>, ctladdr=<d@localhost> "
                                   "(1000/1000), delay=00:00:00, xdelay=00:00:00, mailer=esmtp, "
                                   "pri=30364, relay=gmail-smtp-in.l.google.com. "
                                   "[IPv6:2a00:1450:400c:c08:0:0:0:1b], dsn=5.0.0, stat=Service "
                                   "unavailable"),
                      &r);
    CHECK_INT(r.kind, MT_SM_TO);
    CHECK_SPAN(r.addr, "u@gmail.com");
    CHECK_SPAN(r.ip, "2a00:1450:400c:c08:0:0:0:1b");
    CHECK_SPAN(r.mailer, "esmtp");
    CHECK_INT(r.status, MT_MSG_BOUNCED);
    CHECK_SPAN(r.reason, "Service unavailable");

    mt_sendmail_parse(
        mt_span_cstr("qA7LqlqC029841: from=<augie@corp.sonic.net>, size=1391, class=0, "
                     "nrcpts=1, msgid=<509A@corp.sonic.net>, proto=ESMTP, daemon=MTA, "
                     "relay=a.mail.sonic.net [64.142.16.245]"),
        &r);
    CHECK_INT(r.kind, MT_SM_FROM);
    CHECK_SPAN(r.addr, "augie@corp.sonic.net");
    CHECK_SPAN(r.host, "a.mail.sonic.net");
    mt_sendmail_parse(mt_span_cstr("x89Bx1VC007420: to=ionagamed@gmail.com, ctladdr=root (0/0), "
                                   "mailer=relay, pri=30396, relay=[127.0.0.1] [127.0.0.1], "
                                   "dsn=2.0.0, stat=Sent (x89Bx1iP007421 Message accepted)"),
                      &r);
    CHECK_INT(r.status, MT_MSG_SENT);
    CHECK_SPAN(r.ip, "127.0.0.1");
    CHECK_INT(r.host.len, 0);
    mt_sendmail_parse(mt_span_cstr("ruleset=tls_server, arg1=SOFTWARE, relay=x.outlook.com, "
                                   "reject=403 4.7.0 TLS handshake failed."),
                      &r);
    CHECK_INT(r.kind, MT_SM_TLS_ERROR);
    CHECK(!r.server);
    CHECK_SPAN(r.reason, "403 4.7.0 TLS handshake failed.");
    mt_sendmail_parse(mt_span_cstr("AUTH=server, relay=x [1.2.3.4], authid=a, mech=PLAIN, bits=0"),
                      &r);
    CHECK_INT(r.kind, MT_SM_OTHER);
    /* Lines a real Sendmail 8.17.1.9 wrote: tests/golden/logs/sendmail-real.in. */
    mt_sendmail_parse(mt_span_cstr("STARTTLS=server, error: accept failed=-1, reason=no shared "
                                   "cipher, SSL_error=1, errno=0, retry=-1, relay=client.test "
                                   "[192.0.2.30]"),
                      &r);
    CHECK_INT(r.kind, MT_SM_TLS_ERROR);
    CHECK(r.server);
    CHECK_SPAN(r.reason, "no shared cipher");
    CHECK_SPAN(r.host, "client.test");
    CHECK_SPAN(r.ip, "192.0.2.30");
    mt_sendmail_parse(mt_span_cstr("STARTTLS=client, error: connect failed=-1, reason=sslv3 alert "
                                   "handshake failure, SSL_error=1, errno=0, retry=-1"),
                      &r);
    CHECK_INT(r.kind, MT_SM_TLS_ERROR);
    CHECK(!r.server);
    CHECK_SPAN(r.reason, "sslv3 alert handshake failure");
    CHECK_INT(r.ip.len, 0);
    mt_sendmail_parse(mt_span_cstr("6AT2wO5L005096: to=<r2@tls.example>,<r1@tls.example>, "
                                   "delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=90486, "
                                   "relay=[192.0.2.20] [192.0.2.20], dsn=2.0.0, stat=Sent (Ok)"),
                      &r);
    CHECK_INT(r.kind, MT_SM_TO);
    CHECK_SPAN(r.addr, "r2@tls.example");
    CHECK_SPAN(r.dsn, "2.0.0");
    {
        struct mt_span a = MT_SPAN_NULL;
        size_t pos = 0;
        CHECK(mt_sendmail_next_rcpt(r.rcpts, &pos, &a));
        CHECK_SPAN(a, "r2@tls.example");
        CHECK(mt_sendmail_next_rcpt(r.rcpts, &pos, &a));
        CHECK_SPAN(a, "r1@tls.example");
        CHECK(!mt_sendmail_next_rcpt(r.rcpts, &pos, &a));
    }
}

static void
test_opensmtpd(void)
{
    struct mt_os_rec r;
    struct mt_tls t;

    mt_opensmtpd_parse(mt_span_cstr("f274cf34b7d0786b smtp connected address=85.215.236.191 "
                                    "host=mail.blunix.com"),
                       &r);
    CHECK_INT(r.kind, MT_OS_CONNECTED);
    CHECK_SPAN(r.session, "f274cf34b7d0786b");
    CHECK_SPAN(r.ip, "85.215.236.191");
    CHECK_SPAN(r.host, "mail.blunix.com");
    mt_opensmtpd_parse(
        mt_span_cstr("5df87dbf30ab2c24 smtp tls ciphers=TLSv1.2:ECDHE-RSA-AES256-GCM-"
                     "SHA384:256"),
        &r);
    CHECK_INT(r.kind, MT_OS_TLS);
    mt_opensmtpd_tls(&r, &t);
    CHECK_STR(t.protocol_raw, "TLSv1.2");
    CHECK_STR(t.cipher_raw, "ECDHE-RSA-AES256-GCM-SHA384");
    CHECK_INT(t.bits, 256);
    mt_opensmtpd_parse(
        mt_span_cstr("5df87c9ffd0e785d mta connecting address=smtp://173.194.76.27:25 "
                     "host=ws-in-f27.1e100.net"),
        &r);
    CHECK_INT(r.kind, MT_OS_CONNECTING);
    CHECK(r.out);
    CHECK_SPAN(r.ip, "173.194.76.27");
    CHECK_SPAN(r.port, "25");
    mt_opensmtpd_parse(mt_span_cstr("5df87c9ffd0e785d mta delivery evpid=c405e39a5b0ea8b9 "
                                    "from=<gilles@poolp.org> to=<x@gmail.com> rcpt=<-> "
                                    "source=\"51.15.1.2\" relay=\"173.194.76.27 "
                                    "(ws-in-f27.1e100.net)\" delay=18s result=\"Ok\" stat=\"250 "
                                    "2.0.0 OK\""),
                       &r);
    CHECK_INT(r.kind, MT_OS_DELIVERY);
    CHECK_SPAN(r.msgid, "c405e39a");
    CHECK_SPAN(r.to, "x@gmail.com");
    CHECK_SPAN(r.ip, "173.194.76.27");
    CHECK_SPAN(r.host, "ws-in-f27.1e100.net");
    CHECK_INT(r.status, MT_MSG_SENT);
    mt_opensmtpd_parse(mt_span_cstr("smtp-in: Started TLS on session 427e749c2e46f809: "
                                    "version=TLSv1.2, cipher=EDH-RSA-DES-CBC3-SHA, bits=112"),
                       &r);
    CHECK_INT(r.kind, MT_OS_TLS);
    CHECK_SPAN(r.session, "427e749c2e46f809");
    CHECK_SPAN(r.cipher, "EDH-RSA-DES-CBC3-SHA");
    CHECK_INT(r.bits, 112);
    mt_opensmtpd_parse(mt_span_cstr("smtp-in: Accepted message 4296f490 on session "
                                    "08d856b172f69c5c: from=<root@ix.example.com>, "
                                    "to=<ddp@ix.example.com>, size=1746, ndest=1, proto=ESMTP"),
                       &r);
    CHECK_INT(r.kind, MT_OS_MESSAGE);
    CHECK_SPAN(r.msgid, "4296f490");
    CHECK_SPAN(r.from, "root@ix.example.com");
    CHECK_SPAN(r.to, "ddp@ix.example.com");
    mt_opensmtpd_parse(mt_span_cstr("relay: TempFail for 8f5c2a1b0a0a0a0a: session=aaaa, "
                                    "from=<a@b>, to=<c@d>, rcpt=<->, source=1.2.3.4, "
                                    "relay=5.6.7.8 (mx.d), delay=1s, stat=421 busy"),
                       &r);
    CHECK_INT(r.kind, MT_OS_DELIVERY);
    CHECK_INT(r.status, MT_MSG_DEFERRED);
    CHECK_SPAN(r.ip, "5.6.7.8");
    mt_opensmtpd_parse(mt_span_cstr("b4a942c181a10c63 smtp failed-command command=\"DATA\""), &r);
    CHECK_INT(r.kind, MT_OS_OTHER);
    /* Lines a real OpenSMTPD 6.8.0p2 wrote: tests/golden/logs/opensmtpd-real.in. */
    mt_opensmtpd_parse(
        mt_span_cstr("smtp-out: Error on session 14e7c7ffdbc86be7: opportunistic TLS "
                     "failed, downgrading to plain"),
        &r);
    CHECK_INT(r.kind, MT_OS_ERROR);
    CHECK(r.out);
    CHECK_SPAN(r.session, "14e7c7ffdbc86be7");
    CHECK_SPAN(r.reason, "opportunistic TLS failed, downgrading to plain");
    mt_opensmtpd_parse(mt_span_cstr("14e7c7ffdbc86be7 mta connecting "
                                    "address=smtp+notls://192.0.2.24:60015 host=fail.mx-b.test"),
                       &r);
    CHECK_INT(r.kind, MT_OS_CONNECTING);
    CHECK_SPAN(r.ip, "192.0.2.24");
    CHECK_SPAN(r.port, "60015");
    mt_opensmtpd_parse(
        mt_span_cstr("14e7c806304c7b6d mta error reason=IO Error: Connection refused"), &r);
    CHECK_INT(r.kind, MT_OS_ERROR);
    CHECK_SPAN(r.reason, "IO Error: Connection refused");
    mt_opensmtpd_parse(mt_span_cstr("14e7c7ec67cdffcc mta server-cert-check result=\"failure\""),
                       &r);
    CHECK_INT(r.kind, MT_OS_CERT);
    CHECK(!r.verified);
}

int
main(void)
{
    test_exim();
    test_sendmail();
    test_opensmtpd();
    return mt_test_done();
}
