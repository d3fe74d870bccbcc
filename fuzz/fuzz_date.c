/*
 * fuzz_date.c - the date parser on arbitrary bytes: no crash, no read past
 * the length given, and the bytes it says it used are within the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "util/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t t = 0;
    size_t used = 0;

    if (mt_date_parse((const char *)data, size, &t, &used) == MT_OK) {
        if (used == 0 || used > size)
            abort();
        /* years 1000-9999, offsets within a day */
        if (t < -30610224000LL - 86400 || t > 253402300799LL + 86400)
            abort();
    }
    return 0;
}
