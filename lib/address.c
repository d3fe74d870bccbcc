/* address.c - validation of addresses that go into headers and argv. */
#include "address.h"

#include <string.h>

/* True for the atext characters of RFC 5322 section 3.2.3 we accept. */
static bool
is_atext(unsigned char c)
{
    if (mt_is_alnum(c))
        return true;
    return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* Checks one label run: letters, digits, hyphens, no leading/trailing hyphen. */
static enum mt_status
check_domain(struct mt_span d, struct mt_error *err)
{
    size_t i, label = 0, labels = 1;

    if (d.len == 0)
        return mt_error_set(err, MT_EPARSE, "empty domain");
    if (d.len > MT_DOMAIN_MAX)
        return mt_error_set(err, MT_EPARSE, "domain longer than %d bytes", MT_DOMAIN_MAX);
    if (d.p[0] == '[')
        return mt_error_set(err, MT_EPARSE, "domain literal");
    for (i = 0; i < d.len; i++) {
        unsigned char c = (unsigned char)d.p[i];
        if (c == '.') {
            if (label == 0 || d.p[i - 1] == '-')
                return mt_error_set(err, MT_EPARSE, "empty or malformed domain label");
            labels++;
            label = 0;
            continue;
        }
        if (!mt_is_alnum(c) && c != '-')
            return mt_error_set(err, MT_EPARSE, "byte 0x%02x not allowed in a domain", c);
        if (c == '-' && label == 0)
            return mt_error_set(err, MT_EPARSE, "domain label starts with '-'");
        if (++label > 63)
            return mt_error_set(err, MT_EPARSE, "domain label longer than 63 bytes");
    }
    if (label == 0 || d.p[d.len - 1] == '-')
        return mt_error_set(err, MT_EPARSE, "empty or malformed domain label");
    if (labels < 2)
        return mt_error_set(err, MT_EPARSE, "domain has a single label");
    return MT_OK;
}

/* Validates a bare domain. */
enum mt_status
mt_domain_check(struct mt_span domain, struct mt_error *err)
{
    return check_domain(domain, err);
}

/* Validates an address for headers and argv. */
enum mt_status
mt_address_check(struct mt_span addr, struct mt_span *domain, struct mt_error *err)
{
    size_t i, at = 0, n_at = 0;
    struct mt_span local, dom;

    if (addr.len == 0)
        return mt_error_set(err, MT_EPARSE, "empty address");
    if (addr.len > MT_ADDRESS_MAX)
        return mt_error_set(err, MT_EPARSE, "address longer than %d bytes", MT_ADDRESS_MAX);
    if (addr.p[0] == '-')
        return mt_error_set(err, MT_EPARSE, "address starts with '-'");
    for (i = 0; i < addr.len; i++) {
        unsigned char c = (unsigned char)addr.p[i];
        if (c < 0x20 || c == 0x7f)
            return mt_error_set(err, MT_EPARSE, "control byte 0x%02x in address", c);
        if (c >= 0x80)
            return mt_error_set(err, MT_EPARSE, "non-ASCII byte in address");
        if (c == '@') {
            at = i;
            n_at++;
        }
    }
    if (n_at == 0)
        return mt_error_set(err, MT_EPARSE, "address without '@'");
    if (n_at > 1)
        return mt_error_set(err, MT_EPARSE, "address with more than one '@'");
    local = mt_span(addr.p, at);
    dom = mt_span(addr.p + at + 1, addr.len - at - 1);
    if (local.len == 0)
        return mt_error_set(err, MT_EPARSE, "empty local part");
    if (local.len > MT_LOCAL_MAX)
        return mt_error_set(err, MT_EPARSE, "local part longer than %d bytes", MT_LOCAL_MAX);
    if (local.p[0] == '.' || local.p[local.len - 1] == '.')
        return mt_error_set(err, MT_EPARSE, "local part starts or ends with '.'");
    for (i = 0; i < local.len; i++) {
        unsigned char c = (unsigned char)local.p[i];
        if (c == '.') {
            if (local.p[i - 1] == '.')
                return mt_error_set(err, MT_EPARSE, "'..' in local part");
            continue;
        }
        if (!is_atext(c))
            return mt_error_set(err, MT_EPARSE, "byte 0x%02x not allowed in a local part", c);
    }
    if (check_domain(dom, err) != MT_OK)
        return MT_EPARSE;
    if (domain != NULL)
        *domain = dom;
    return MT_OK;
}

/* Offset of the last '@', or -1. */
static long
last_at(struct mt_span a)
{
    size_t i = a.len;

    while (i > 0)
        if (a.p[--i] == '@')
            return (long)i;
    return -1;
}

/* Domain part of an address. */
struct mt_span
mt_address_domain(struct mt_span addr)
{
    long at = last_at(addr);

    if (at < 0)
        return mt_span(addr.p, 0);
    return mt_span(addr.p + at + 1, addr.len - (size_t)at - 1);
}

/* Local part of an address. */
struct mt_span
mt_address_local(struct mt_span addr)
{
    long at = last_at(addr);

    return at < 0 ? addr : mt_span(addr.p, (size_t)at);
}

/* Domain equality ignoring case and a trailing dot. */
bool
mt_domain_eq(struct mt_span a, struct mt_span b)
{
    size_t i;

    if (a.len > 0 && a.p[a.len - 1] == '.')
        a.len--;
    if (b.len > 0 && b.p[b.len - 1] == '.')
        b.len--;
    if (a.len != b.len)
        return false;
    for (i = 0; i < a.len; i++)
        if (mt_to_lower((unsigned char)a.p[i]) != mt_to_lower((unsigned char)b.p[i]))
            return false;
    return true;
}

/* Lower-case copy. */
bool
mt_address_lower(struct mt_span addr, char *dst, size_t dstsz)
{
    size_t i;

    if (dstsz == 0 || addr.len >= dstsz)
        return false;
    for (i = 0; i < addr.len; i++)
        dst[i] = (char)mt_to_lower((unsigned char)addr.p[i]);
    dst[addr.len] = '\0';
    return true;
}
