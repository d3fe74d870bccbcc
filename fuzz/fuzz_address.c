/*
 * fuzz_address.c - address validation on arbitrary bytes. An address that
 * passes must be safe for a header and an argv: no byte below 0x21 or above
 * 0x7e, no leading '-', exactly one '@', and a domain that passes on its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_span a = mt_span((const char *)data, size), d;
    char low[MT_ADDRESS_MAX + 1];
    size_t i, ats = 0;

    if (mt_address_check(a, &d, NULL) == MT_OK) {
        if (size == 0 || size > MT_ADDRESS_MAX || data[0] == '-')
            abort();
        for (i = 0; i < size; i++) {
            if (data[i] <= 0x20 || data[i] >= 0x7f || strchr("<>\"\\(),;[]", data[i]) != NULL)
                abort();
            ats += data[i] == '@';
        }
        if (ats != 1 || mt_domain_check(d, NULL) != MT_OK)
            abort();
        if (!mt_address_lower(a, low, sizeof(low)) || strlen(low) != size)
            abort();
    }
    (void)mt_policy_is_system_local(mt_address_local(a));
    (void)mt_policy_is_null_sender(a);
    (void)mt_policy_is_local_addr(a);
    (void)mt_domain_eq(a, MT_SPAN_LIT("example.org"));
    return 0;
}
