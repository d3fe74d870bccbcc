/* correlate_sendmail.c - the Sendmail rules of the correlator (see correlate.h). */
#include "correlate_int.h"

/* One Sendmail line. */
bool
mt_correlate_sendmail(struct mt_correlate *c, const struct mt_logline *l)
{
    (void)c;
    (void)l;
    return false;
}
