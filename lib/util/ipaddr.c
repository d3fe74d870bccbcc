/* ipaddr.c - textual IP addresses (see ipaddr.h). */
#include "util/ipaddr.h"

/* Dotted quad. */
bool
mt_ipaddr_v4(struct mt_span s)
{
    size_t i = 0;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned v = 0, nd = 0;
        if (part > 0) {
            if (i >= s.len || s.p[i] != '.')
                return false;
            i++;
        }
        while (i < s.len && mt_is_digit((unsigned char)s.p[i]) && nd < 4) {
            v = v * 10 + (unsigned)(s.p[i++] - '0');
            nd++;
        }
        if (nd == 0 || nd > 3 || v > 255)
            return false;
    }
    return i == s.len;
}

/* RFC 4291 text form. */
bool
mt_ipaddr_v6(struct mt_span s)
{
    size_t i = 0, groups = 0;
    bool gap = false;

    if (s.len < 2 || s.len > 45)
        return false;
    if (s.p[0] == ':') {
        if (s.p[1] != ':')
            return false;
        gap = true;
        i = 2;
        if (i == s.len)
            return true; /* "::" */
    }
    while (i < s.len) {
        size_t start = i, nd = 0;
        while (i < s.len && mt_is_xdigit((unsigned char)s.p[i]) && nd < 5) {
            i++;
            nd++;
        }
        if (i < s.len && s.p[i] == '.') { /* IPv4 tail: two groups */
            if (!mt_ipaddr_v4(mt_span(s.p + start, s.len - start)))
                return false;
            groups += 2;
            i = s.len;
            break;
        }
        if (nd == 0 || nd > 4)
            return false;
        groups++;
        if (i == s.len)
            break;
        if (s.p[i] != ':')
            return false;
        i++;
        if (i < s.len && s.p[i] == ':') {
            if (gap)
                return false;
            gap = true;
            i++;
            if (i == s.len)
                break;
        } else if (i == s.len) {
            return false; /* trailing single ':' */
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

/* Either family. */
bool
mt_ipaddr_valid(struct mt_span s)
{
    return mt_ipaddr_v4(s) || mt_ipaddr_v6(s);
}

/* Loopback. */
bool
mt_ipaddr_loopback(struct mt_span s)
{
    if (mt_ipaddr_v4(s))
        return s.p[0] == '1' && s.len > 4 && s.p[1] == '2' && s.p[2] == '7' && s.p[3] == '.';
    if (!mt_ipaddr_v6(s))
        return false;
    if (mt_span_ieq(s, "::1") || mt_span_ieq(s, "0:0:0:0:0:0:0:1"))
        return true;
    if (mt_span_istarts(s, "::ffff:"))
        return mt_ipaddr_loopback(mt_span(s.p + 7, s.len - 7));
    return false;
}
