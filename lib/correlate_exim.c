/* correlate_exim.c - the Exim rules of the correlator (see correlate.h). */
#include "correlate_int.h"

/* One Exim line. */
bool
mt_correlate_exim(struct mt_correlate *c, const struct mt_logline *l)
{
    (void)c;
    (void)l;
    return false;
}
