/*
 * test_received.c - one Received: field: the clauses, the addresses after
 * "from", the TLS facts in every shape, dates, and errors. The headers are
 * real ones (from tests/golden/received) unless a comment says otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "received.h"
#include "mt_test.h"

static struct mt_received r;
static char sbuf[8][512];
static int sidx;

/* Parses s; returns the status. */
static enum mt_status
parse(const char *s)
{
    struct mt_error err;

    return mt_received_parse(s, strlen(s), &r, &err);
}

/* A span as a C string for CHECK_STR ("" when empty). */
static const char *
S(struct mt_span s)
{
    char *b = sbuf[sidx++ % 8];

    if (!mt_span_copy_collapse(s, b, sizeof(sbuf[0])))
        return "(too long)";
    return b;
}

/* Postfix >= 3.4 with key exchange, server signature and a verified client certificate. */
static void
test_postfix(void)
{
    CHECK(parse("Received: from h08.hostsharing.net (h08.hostsharing.net "
                "[IPv6:2a01:37:1000::53df:5f1c:0])\n"
                "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n"
                "\t key-exchange X25519 server-signature RSA-PSS (4096 bits) server-digest "
                "SHA256\n"
                "\t client-signature RSA-PSS (4096 bits) client-digest SHA256)\n"
                "\t(Client CN \"*.hostsharing.net\", Issuer \"RapidSSL TLS RSA CA G1\" "
                "(verified OK))\n"
                "\tby bmailout2.hostsharing.net (Postfix) with ESMTPS id 3C9412800B4B2;\n"
                "\tThu,  4 Jan 2024 07:05:28 +0100 (CET)") == MT_OK);
    CHECK_STR(S(r.from_host), "h08.hostsharing.net");
    CHECK_STR(S(r.from_rdns), "h08.hostsharing.net");
    CHECK_STR(S(r.from_ip), "2a01:37:1000::53df:5f1c:0");
    CHECK_STR(S(r.by_host), "bmailout2.hostsharing.net");
    CHECK_STR(S(r.with), "ESMTPS");
    CHECK_STR(S(r.id), "3C9412800B4B2");
    CHECK_STR(S(r.date), "Thu, 4 Jan 2024 07:05:28 +0100 (CET)");
    CHECK_INT(r.time, 1704348328);
    CHECK_INT(r.tls.used, MT_TRI_YES);
    CHECK_STR(r.tls.protocol_raw, "TLSv1.3");
    CHECK_INT(r.tls.proto_min, MT_PROTO_TLS13);
    CHECK_INT(r.tls.proto_max, MT_PROTO_TLS13);
    CHECK_STR(r.tls.cipher_raw, "TLS_AES_256_GCM_SHA384");
    CHECK_STR(S(r.tls_bits), "256/256");
    CHECK_INT(r.tls.bits, 256);
    CHECK_STR(r.tls.kex_group, "X25519");
    CHECK_STR(r.tls.signature, "RSA-PSS (4096 bits)");
    CHECK_INT(r.tls.trust, MT_TRUST_TRUSTED);
    CHECK(!r.authenticated);

    /* ECDSA signature with a curve, no client certificate */
    CHECK(parse("from in-7.smtp.seeweb.it (in-7.smtp.seeweb.it\n [IPv6:2001:4b78:1:20::7])\n"
                " (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n"
                " key-exchange X25519 server-signature ECDSA (P-384))\n"
                " (No client certificate requested)\n"
                " by picard.linux.it (Postfix) with ESMTPS id 1F5043C6D9E\n"
                " for <ltp@lists.linux.it>; Fri, 18 Mar 2022 04:58:06 +0100 (CET)") == MT_OK);
    CHECK_STR(r.tls.signature, "ECDSA (P-384)");
    CHECK_INT(r.tls.trust, MT_TRUST_ANONYMOUS);
    CHECK_STR(S(r.for_addr), "ltp@lists.linux.it");

    /* client certificate not verified (corpus H213-H216 source) */
    CHECK(parse("from a.example (a.example [192.0.2.1]) (using TLSv1.2 with cipher "
                "ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) (Client CN \"a.example\", "
                "Issuer \"R3\" (not verified)) by b.example (Postfix) with ESMTPS id X; "
                "Mon, 8 May 2023 10:44:33 +0800") == MT_OK);
    CHECK_INT(r.tls.trust, MT_TRUST_UNTRUSTED);

    /* SASL submission: "(Authenticated sender: ...)" and ESMTPSA, plaintext ESMTPA */
    CHECK(parse("from [127.0.0.1] (unknown [65.19.167.131])\n"
                "\t(using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits))\n"
                "\t(Client did not present a certificate)\n"
                "\t(Authenticated sender: user@somedomain.com)\n"
                "\tby mail01.someotherdomain.org (Postfix) with ESMTPSA id 43tYMW2yKHz50MHS\n"
                "\tfor <user2@somedomain.com>; Mon,  4 Feb 2019 16:39:35 +0000 (GMT)") == MT_OK);
    CHECK(r.authenticated);
    CHECK_STR(S(r.from_host), "[127.0.0.1]");
    CHECK_STR(S(r.from_rdns), "unknown");
    CHECK_STR(S(r.from_ip), "65.19.167.131");
    CHECK_INT(r.tls.trust, MT_TRUST_ANONYMOUS);
    CHECK(parse("from p5498acaa.dip0.t-ipconnect.de (HELO JIMBOBSPC) (user@84.152.172.1) by "
                "msa.example.com with ESMTPA; 23 May 2007 15:05:04 -0000") == MT_OK);
    CHECK(r.authenticated);
    CHECK_INT(r.tls.used, MT_TRI_NO);
    CHECK_STR(S(r.from_helo), "JIMBOBSPC");
    CHECK_STR(S(r.from_ip), "84.152.172.1");
}

/* Exim in its eras. */
static void
test_exim(void)
{
    /* OpenSSL build, 2004 */
    CHECK(parse("from dsl092-076-133.bos1.dsl.speakeasy.net ([66.92.76.133] "
                "helo=pendaran.arborius.net) by sc8-sf-mx1.sourceforge.net with esmtp "
                "(TLSv1:AES256-SHA:256) (Exim 4.41) id 1CIlfc-0003Pa-8W for "
                "xvoice-user@lists.sourceforge.net; Sat, 16 Oct 2004 03:20:18 -0700") == MT_OK);
    CHECK_STR(S(r.from_helo), "pendaran.arborius.net");
    CHECK_STR(S(r.from_ip), "66.92.76.133");
    CHECK_INT(r.tls.used, MT_TRI_YES);
    CHECK_INT(r.tls.proto_min, MT_PROTO_TLS10);
    CHECK_INT(r.tls.bits, 256);
    CHECK_STR(S(r.id), "1CIlfc-0003Pa-8W");

    /* GnuTLS build writing key bytes: ":32" is 256 bits, ":24" 192 */
    CHECK(parse("from mx0a-001b2d01.pphosted.com ([148.163.156.1]:17884)\n"
                " by eggs.gnu.org with esmtps (TLS1.0:RSA_AES_256_CBC_SHA1:32)\n"
                " (Exim 4.71) (envelope-from <sbhat@linux.ibm.com>) id 1hnfAG-0002xA-Go\n"
                " for qemu-devel@nongnu.org; Wed, 17 Jul 2019 04:19:52 -0400") == MT_OK);
    CHECK_STR(S(r.tls_bits), "32");
    CHECK_INT(r.tls.bits, 256);
    CHECK_STR(S(r.from_ip), "148.163.156.1");
    CHECK_STR(r.tls.protocol_raw, "TLS1.0");
    CHECK(parse("from server040.webpack.hosteurope.de ([80.237.130.48]:52313) by "
                "vps832469583.serverpool.info with esmtps (TLS-1.0:DHE_RSA_3DES_EDE_CBC_SHA:24) "
                "(Exim 4.50) id 1GzVLs-0002Oz-7b for axel@axelcity.de; Wed, 27 Dec 2006 "
                "10:45:49 +0100") == MT_OK);
    CHECK_INT(r.tls.bits, 192);

    /* GnuTLS TLS 1.3 names carry real bits */
    CHECK(parse("from [10.152.250.198] (helo=vilez)\n"
                "\tby smtpcorp.com with esmtpsa "
                "(TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256)\n"
                "\t(Exim 4.98.1-S2G)\n\t(envelope-from <edip@medip.dev>)\n"
                "\tid 1uZrAQ-4o5NDgrsm8D-h6lg;\n\tThu, 10 Jul 2025 13:18:26 +0000") == MT_OK);
    CHECK_INT(r.tls.bits, 256);
    CHECK_STR(S(r.from_ip), "10.152.250.198");
    CHECK_STR(S(r.from_helo), "vilez");
    CHECK(r.authenticated);

    /* 4.93+: "(TLS1.3) tls CIPHER", two spaces after the keyword */
    CHECK(parse("from [45.44.224.220] (port=44686 helo=[192.168.1.179])\n"
                "        by cloud48395.mywhc.ca with esmtpsa  (TLS1.2) tls "
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n        (Exim 4.94.2)\n"
                "        (envelope-from <olivier@trillion01.com>)\n"
                "        id 1nMENj-0008Ff-VX; Mon, 21 Feb 2022 14:30:00 -0500") == MT_OK);
    CHECK_STR(r.tls.protocol_raw, "TLS1.2");
    CHECK_STR(r.tls.cipher_raw, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    CHECK_STR(S(r.from_helo), "[192.168.1.179]");
    CHECK_STR(S(r.from_ip), "45.44.224.220");
    CHECK_STR(S(r.with), "esmtpsa");
    CHECK_STR(S(r.id), "1nMENj-0008Ff-VX");

    /* Exim 3: "[ip.port]" outside a comment */
    CHECK(parse("from helene8.i.pinwand.net (helene.cats.ms) [10.0.8.6.13219] (mail) by "
                "lisbeth.i.pinwand.net with esmtp (Exim 3.35 #1 (Debian)) id "
                "1CO5y7-0001vC-00; Sun, 31 Oct 2004 04:01:23 +0100") == MT_OK);
    CHECK_STR(S(r.from_ip), "10.0.8.6");
    CHECK_STR(S(r.from_helo), "helene.cats.ms");
    CHECK_INT(r.tls.used, MT_TRI_NO);
}

/* Sendmail, Proofpoint, Gmail, Microsoft, OpenSMTPD and the rest. */
static void
test_others(void)
{
    /* Sendmail with verify=, TLS comment after the id */
    CHECK(parse("from 141.44.167.13 (p83.129.191.197.tisdip.tiscali.de [83.129.191.197]) "
                "(authenticated bits=0) by sunny.urz.uni-magdeburg.de (8.12.10/8.12.10) with "
                "ESMTP id i8ND9v0N017746 (version=TLSv1/SSLv3 cipher=RC4-MD5 bits=128 "
                "verify=NO) for <ilug@linux.ie>; Thu, 23 Sep 2004 15:09:59 +0200") == MT_OK);
    CHECK(r.authenticated);
    CHECK_INT(r.tls.used, MT_TRI_YES);
    CHECK_INT(r.tls.proto_min, MT_PROTO_SSL3);
    CHECK_INT(r.tls.proto_max, MT_PROTO_TLS12);
    CHECK_INT(r.tls.bits, 128);
    CHECK_INT(r.tls.trust, MT_TRUST_ANONYMOUS);
    CHECK_STR(S(r.from_rdns), "p83.129.191.197.tisdip.tiscali.de");

    /* Proofpoint verify=FAIL, envelope-from comment after the date */
    CHECK(parse("from exch03.asrmicro.com (exch03.asrmicro.com [10.1.24.118])\n"
                "\tby spam.asrmicro.com with ESMTPS id 64P1xUg5034251\n"
                "\t(version=TLSv1 cipher=ECDHE-RSA-AES256-SHA bits=256 verify=FAIL);\n"
                "\tMon, 25 May 2026 09:59:30 +0800 (GMT-8)\n"
                "\t(envelope-from hongjiefang@asrmicro.com)") == MT_OK);
    CHECK_INT(r.tls.trust, MT_TRUST_UNTRUSTED);
    CHECK_INT(r.time, 1779674370);
    CHECK_STR(S(r.date), "Mon, 25 May 2026 09:59:30 +0800 (GMT-8)");

    /* Exchange: TLS comment between with and id, date folded */
    CHECK(parse("from huawei.com (10.175.103.91) by dggpeml500017.china.huawei.com\n"
                " (7.185.36.243) with Microsoft SMTP Server (version=TLS1_2,\n"
                " cipher=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) id 15.1.2176.2; Thu, 3 Jun "
                "2021\n 22:09:37 +0800") == MT_OK);
    CHECK_STR(S(r.with), "Microsoft SMTP Server");
    CHECK_STR(S(r.from_ip), "10.175.103.91");
    CHECK_STR(r.tls.protocol_raw, "TLS1_2");
    CHECK_INT(r.tls.proto_min, MT_PROTO_TLS12);
    CHECK_INT(r.time, 1622729377);
    CHECK_STR(S(r.id), "15.1.2176.2");
    /* Exchange without a TLS comment: unknown, not plaintext */
    CHECK(parse("from maili.marvell.com (10.69.176.80) by DC5-EXCH05.marvell.com\n"
                " (10.69.176.209) with Microsoft SMTP Server id 15.2.1544.4 via Frontend\n"
                " Transport; Tue, 15 Jul 2025 10:02:38 -0700") == MT_OK);
    CHECK_INT(r.tls.used, MT_TRI_UNKNOWN);

    /* OpenSMTPD "(TLSv1.3:...:256:NO)" and an empty from part */
    CHECK(parse("Received: \n\tby localhost (OpenSMTPD) with ESMTPSA id deca745f "
                "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)\n\tfor <git@vger.kernel.org>;\n"
                "\tThu, 16 May 2024 08:05:06 +0000 (UTC)") == MT_OK);
    CHECK_INT(r.from_host.len, 0);
    CHECK_STR(S(r.by_host), "localhost");
    CHECK_INT(r.tls.bits, 256);
    CHECK_INT(r.time, 1715846706);

    /* qmail: the cipher inside the with clause */
    CHECK(parse("from lists.gentoo.org (HELO parrot.gentoo.org) (156.56.111.196) by "
                "blazing.arsecandle.org with (DHE-RSA-AES256-SHA encrypted) SMTP; 6 Feb 2005 "
                "21:11:37 -0000") == MT_OK);
    CHECK_STR(S(r.with), "SMTP");
    CHECK_STR(r.tls.cipher_raw, "DHE-RSA-AES256-SHA");
    CHECK_INT(r.tls.used, MT_TRI_YES);
    CHECK_STR(S(r.from_helo), "parrot.gentoo.org");
    CHECK_STR(S(r.from_ip), "156.56.111.196");

    /* Courier: AUTH and SSL in one comment, id after the date */
    CHECK(parse("from gorkcomputer (my.dns.com [1.2.3.4]) (AUTH: LOGIN gork@mydomain.com, "
                "SSL: TLSv1/SSLv3,128bits,RC4-MD5) by mydomain.com with esmtp; Thu, 10 Nov "
                "2005 08:24:21 -0600 id 000000DB.43735815.00001E11") == MT_OK);
    CHECK(r.authenticated);
    CHECK_STR(S(r.tls_bits), "128");
    CHECK_STR(r.tls.cipher_raw, "RC4-MD5");
    CHECK_STR(S(r.id), "000000DB.43735815.00001E11");
    CHECK_INT(r.time, 1131632661);

    /* IronPort: the cipher inside the keyword */
    CHECK(parse("from orsmsx601.amr.corp.intel.com ([10.22.229.14])\n"
                "  by fmviesa005.fm.intel.com with ESMTP/TLS/AES256-GCM-SHA384; 07 May 2024 "
                "01:39:31 -0700") == MT_OK);
    CHECK_STR(r.tls.cipher_raw, "AES256-GCM-SHA384");
    CHECK_INT(r.tls.used, MT_TRI_YES);

    /* Hotmail "over TLS secured channel" */
    CHECK(parse("from o5.sgmail.github.com ([192.254.113.10]) by SNT004-MC9F9.hotmail.com over "
                "TLS secured channel with Microsoft SMTPSVC(7.5.7601.23143);\n\t Sun, 19 Mar "
                "2017 06:12:08 -0700") == MT_OK);
    CHECK_INT(r.tls.used, MT_TRI_YES);
    CHECK_STR(S(r.with), "Microsoft SMTPSVC(7.5.7601.23143)");

    /* SendGrid: a Go date with no ";" */
    CHECK(parse("Received: by filter0934p1mdw1.sendgrid.net with SMTP id "
                "filter0934p1mdw1-32093-58CE83A6-B\n        2017-03-19 13:12:06.122185511 "
                "+0000 UTC") == MT_OK);
    CHECK_INT(r.time, 1489929126);
    CHECK_STR(S(r.id), "filter0934p1mdw1-32093-58CE83A6-B");

    /* a ";" inside a comment is not the date separator */
    CHECK(parse("Received: with ECARTIS (v1.0.0; list linux-mips); Thu, 29 Oct 2015 03:33:05 "
                "+0100 (CET)") == MT_OK);
    CHECK_STR(S(r.with), "ECARTIS");
    CHECK_INT(r.time, 1446085985);

    /* zmailer's quoted "EHLO name" and an IPv4-mapped IPv6 literal */
    CHECK(parse("from 64-30-195-78.dsl.linkline.com ([IPv6:::ffff:64.30.195.78]:23704\n"
                "\t\"EHLO jg555.com\") by linux-mips.org with ESMTP id <S8225555AbVCHHf4>;\n"
                "\tTue, 8 Mar 2005 07:35:56 +0000") == MT_OK);
    CHECK_STR(S(r.from_ip), "::ffff:64.30.195.78");
    CHECK_STR(S(r.from_helo), "jg555.com");

    /* Mimecast "with ESMTP with STARTTLS" (shape of Mimecast's current header) */
    CHECK(parse("from mail.example.org (mail.example.org [192.0.2.7]) by relay.mimecast.com "
                "with ESMTP with STARTTLS (version=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384) id "
                "us-mta-1-abc; Tue, 03 Jun 2025 10:18:35 -0400") == MT_OK);
    CHECK_STR(S(r.with), "ESMTP");
    CHECK_INT(r.tls.used, MT_TRI_YES);
    CHECK_STR(r.tls.protocol_raw, "TLSv1.3");
}

/* Keyword classification, errors and limits. */
static void
test_edges(void)
{
    char *big;

    CHECK_INT(mt_received_with_tls(mt_span_cstr("ESMTPS")), MT_TRI_YES);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("esmtpsa")), MT_TRI_YES);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("LMTPS")), MT_TRI_YES);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("UTF8SMTPS")), MT_TRI_YES);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("SMTPS")), MT_TRI_YES);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("HTTPS")), MT_TRI_YES);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("ESMTP/TLS/DHE-RSA-AES256-SHA")), MT_TRI_YES);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("SMTP")), MT_TRI_NO);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("esmtp")), MT_TRI_NO);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("ESMTPA")), MT_TRI_NO);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("LMTP")), MT_TRI_NO);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("UTF8SMTPA")), MT_TRI_NO);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("HTTP")), MT_TRI_UNKNOWN);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("mapi")), MT_TRI_UNKNOWN);
    CHECK_INT(mt_received_with_tls(mt_span_cstr("Microsoft SMTP Server")), MT_TRI_UNKNOWN);
    CHECK_INT(mt_received_with_tls(MT_SPAN_NULL), MT_TRI_UNKNOWN);

    /* the field name is accepted, in any case, with space before the colon */
    CHECK(parse("RECEIVED : by a.example with ESMTP; 1 Jan 2020 00:00:00 +0000") == MT_OK);
    CHECK_STR(S(r.by_host), "a.example");
    CHECK_INT(r.time, 1577836800);
    /* qmail: only a comment and a date */
    CHECK(parse("(qmail 12945 invoked by uid 107); 16 Feb 2009 03:50:48 -0000") == MT_OK);
    CHECK_INT(r.by_host.len, 0);
    CHECK_INT(r.time, 1234756248);
    /* a date that does not parse is kept as written, time -1 */
    CHECK(parse("from a by b with SMTP; yesterday") == MT_OK);
    CHECK_STR(S(r.date), "yesterday");
    CHECK_INT(r.time, -1);
    /* a leading "from" only: IBM's "for <x> from <y>" is not the sender */
    CHECK(parse("from localhost\n by e06smtp03.uk.ibm.com with IBM ESMTP SMTP Gateway: "
                "Authorized Use Only!\n Violators will be prosecuted\n for "
                "<qemu-devel@nongnu.org> from <sbhat@linux.ibm.com>;\n Wed, 17 Jul 2019 "
                "09:19:48 +0100") == MT_OK);
    CHECK_STR(S(r.from_host), "localhost");
    CHECK_STR(S(r.with), "IBM ESMTP SMTP Gateway: Authorized Use Only! Violators will be "
                         "prosecuted");
    /* unclosed comment and quote: no crash, what came before is kept */
    CHECK(parse("from a.example (b.example [192.0.2.1] \"x by c") == MT_OK);
    CHECK_STR(S(r.from_ip), "192.0.2.1");
    /* errors */
    CHECK(parse("") == MT_EPARSE);
    CHECK(parse("   \r\n  ") == MT_EPARSE);
    CHECK(parse("hello world") == MT_EPARSE);
    CHECK(parse("(just a comment)") == MT_EPARSE);
    CHECK(mt_received_parse(NULL, 0, &r, NULL) == MT_EPARSE);
    big = malloc(MT_RECEIVED_MAX + 2);
    CHECK(big != NULL);
    if (big != NULL) {
        memset(big, 'a', MT_RECEIVED_MAX + 1);
        memcpy(big, "from ", 5);
        CHECK(mt_received_parse(big, MT_RECEIVED_MAX + 1, &r, NULL) == MT_ELIMIT);
        CHECK(mt_received_parse(big, MT_RECEIVED_MAX, &r, NULL) == MT_OK);
        CHECK_INT(r.from_host.len, MT_RECEIVED_MAX - 5);
        free(big);
    }
}

int
main(void)
{
    test_postfix();
    test_exim();
    test_others();
    test_edges();
    return mt_test_done();
}
