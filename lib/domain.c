/* domain.c - registrable-looking domains (see domain.h). */
#include "domain.h"

#include <string.h>

/*
 * Two-level public suffixes common in mail (from the Public Suffix List's
 * ICANN section; only the widely used ones).
 */
static const char *const two_level[] = {
    "ac.at",  "co.at",   "or.at",  "com.au", "edu.au", "gov.au", "net.au", "org.au", "asn.au",
    "id.au",  "com.ar",  "com.br", "net.br", "org.br", "gov.br", "edu.br", "com.cn", "net.cn",
    "org.cn", "gov.cn",  "edu.cn", "ac.cn",  "com.co", "com.cy", "com.eg", "com.gr", "com.hk",
    "net.hk", "org.hk",  "edu.hk", "co.id",  "ac.id",  "co.il",  "ac.il",  "org.il", "co.in",
    "net.in", "org.in",  "ac.in",  "gov.in", "co.jp",  "ne.jp",  "or.jp",  "ac.jp",  "go.jp",
    "ad.jp",  "ed.jp",   "gr.jp",  "lg.jp",  "co.ke",  "co.kr",  "or.kr",  "ne.kr",  "ac.kr",
    "go.kr",  "com.mx",  "org.mx", "gob.mx", "edu.mx", "com.my", "co.nz",  "net.nz", "org.nz",
    "ac.nz",  "govt.nz", "com.pe", "com.ph", "com.pk", "com.pl", "net.pl", "org.pl", "com.pt",
    "com.ru", "com.sa",  "com.sg", "edu.sg", "co.th",  "ac.th",  "com.tr", "org.tr", "com.tw",
    "net.tw", "org.tw",  "edu.tw", "com.ua", "co.uk",  "org.uk", "ac.uk",  "gov.uk", "ltd.uk",
    "plc.uk", "me.uk",   "net.uk", "sch.uk", "nhs.uk", "com.vn", "co.za",  "org.za", "ac.za",
    "gov.za", "web.za",
};

/* True for an IPv4 dotted quad or an IPv6/bracketed literal. */
static bool
is_address(struct mt_span h)
{
    size_t i;
    bool all_num = true;

    for (i = 0; i < h.len; i++) {
        if (h.p[i] == ':' || h.p[i] == '[')
            return true;
        if (!mt_is_digit((unsigned char)h.p[i]) && h.p[i] != '.')
            all_num = false;
    }
    return all_num;
}

/* The registrable-looking domain. */
struct mt_span
mt_domain_registrable(struct mt_span host)
{
    size_t i, dots = 0, cut[3] = { 0, 0, 0 }; /* starts of the last three labels */
    struct mt_span two;
    size_t k;

    if (host.len > 0 && host.p[host.len - 1] == '.')
        host.len--;
    if (host.len == 0 || is_address(host) || mt_span_ieq(host, "unknown"))
        return mt_span(host.p, 0);
    for (i = host.len; i-- > 0;) {
        if (host.p[i] == '.') {
            if (i + 1 == host.len || i == 0 || host.p[i - 1] == '.')
                return mt_span(host.p, 0); /* empty label */
            if (dots < 3)
                cut[dots] = i + 1;
            dots++;
        }
    }
    if (dots == 0)
        return mt_span(host.p, 0);
    /* cut[0]: last label, cut[1]: last two labels, cut[2]: last three. */
    two = dots >= 2 ? mt_span(host.p + cut[1], host.len - cut[1]) : host;
    for (k = 0; k < sizeof(two_level) / sizeof(two_level[0]); k++) {
        if (mt_span_ieq(two, two_level[k])) {
            if (dots == 1)
                return mt_span(host.p, 0); /* the suffix itself */
            return dots >= 3 ? mt_span(host.p + cut[2], host.len - cut[2]) : host;
        }
    }
    return two;
}
