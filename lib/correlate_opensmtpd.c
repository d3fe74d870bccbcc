/* correlate_opensmtpd.c - the OpenSMTPD rules of the correlator (see correlate.h). */
#include "correlate_int.h"

/* One OpenSMTPD line. */
bool
mt_correlate_opensmtpd(struct mt_correlate *c, const struct mt_logline *l)
{
    (void)c;
    (void)l;
    return false;
}
