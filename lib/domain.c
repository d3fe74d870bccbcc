/* domain.c - registrable-looking domains (see domain.h). */
#include "domain.h"

#include <string.h>

/*
 * Two-level public suffixes common in mail (from the Public Suffix List's
 * ICANN section; only the widely used ones).
 */
#define S(lit)                                                                                     \
    {                                                                                              \
        (lit), sizeof(lit) - 1                                                                     \
    }
static const struct mt_span two_level[] = {
    S("ac.at"),  S("co.at"),   S("or.at"),  S("com.au"), S("edu.au"), S("gov.au"), S("net.au"),
    S("org.au"), S("asn.au"),  S("id.au"),  S("com.ar"), S("com.br"), S("net.br"), S("org.br"),
    S("gov.br"), S("edu.br"),  S("com.cn"), S("net.cn"), S("org.cn"), S("gov.cn"), S("edu.cn"),
    S("ac.cn"),  S("com.co"),  S("com.cy"), S("com.eg"), S("com.gr"), S("com.hk"), S("net.hk"),
    S("org.hk"), S("edu.hk"),  S("co.id"),  S("ac.id"),  S("co.il"),  S("ac.il"),  S("org.il"),
    S("co.in"),  S("net.in"),  S("org.in"), S("ac.in"),  S("gov.in"), S("co.jp"),  S("ne.jp"),
    S("or.jp"),  S("ac.jp"),   S("go.jp"),  S("ad.jp"),  S("ed.jp"),  S("gr.jp"),  S("lg.jp"),
    S("co.ke"),  S("co.kr"),   S("or.kr"),  S("ne.kr"),  S("ac.kr"),  S("go.kr"),  S("com.mx"),
    S("org.mx"), S("gob.mx"),  S("edu.mx"), S("com.my"), S("co.nz"),  S("net.nz"), S("org.nz"),
    S("ac.nz"),  S("govt.nz"), S("com.pe"), S("com.ph"), S("com.pk"), S("com.pl"), S("net.pl"),
    S("org.pl"), S("com.pt"),  S("com.ru"), S("com.sa"), S("com.sg"), S("edu.sg"), S("co.th"),
    S("ac.th"),  S("com.tr"),  S("org.tr"), S("com.tw"), S("net.tw"), S("org.tw"), S("edu.tw"),
    S("com.ua"), S("co.uk"),   S("org.uk"), S("ac.uk"),  S("gov.uk"), S("ltd.uk"), S("plc.uk"),
    S("me.uk"),  S("net.uk"),  S("sch.uk"), S("nhs.uk"), S("com.vn"), S("co.za"),  S("org.za"),
    S("ac.za"),  S("gov.za"),  S("web.za"),
};
#undef S

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
    /* Every suffix in the list ends in a two-letter country code. */
    for (k = 0; host.len - cut[0] == 2 && k < sizeof(two_level) / sizeof(two_level[0]); k++) {
        if (two.len == two_level[k].len && mt_span_iprefix(two, two_level[k].p, two.len)) {
            if (dots == 1)
                return mt_span(host.p, 0); /* the suffix itself */
            return dots >= 3 ? mt_span(host.p + cut[2], host.len - cut[2]) : host;
        }
    }
    return two;
}
