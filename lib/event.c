/* event.c - names of the event and connection enums (event.h). */
#include "event.h"

/* "in" or "out". */
const char *
mt_direction_str(enum mt_direction d)
{
    return d == MT_DIR_OUT ? "out" : "in";
}

/* MTA names as they appear in --events output. */
const char *
mt_mta_str(enum mt_mta m)
{
    static const char *const names[] = { "unknown", "postfix", "exim", "sendmail", "opensmtpd" };

    return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "unknown";
}

/* Message status names. */
const char *
mt_msg_status_str(enum mt_msg_status s)
{
    static const char *const names[] = { "received", "sent", "deferred", "bounced", "expired" };

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

/* Connection outcome names. */
const char *
mt_conn_outcome_str(enum mt_conn_outcome o)
{
    static const char *const names[] = { "tls", "plaintext", "failed_tls" };

    return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "unknown";
}
