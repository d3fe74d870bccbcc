/* report_util.c - small helpers shared by the report writers. */
#include <stdio.h>

#include "report.h"

/* RFC 3339 UTC time, or "" for 0. */
void
mt_report_time_str(int64_t t, char dst[32])
{
    char day[11];
    int64_t sec;

    if (t == 0) {
        dst[0] = '\0';
        return;
    }
    mt_stats_day_str(t, day);
    sec = t % 86400;
    if (sec < 0)
        sec += 86400;
    snprintf(dst, 32, "%sT%02d:%02d:%02dZ", day, (int)(sec / 3600), (int)(sec / 60 % 60),
             (int)(sec % 60));
}

/* A fraction, 0 for an empty whole. */
double
mt_report_share(uint64_t part, uint64_t whole)
{
    return whole == 0 ? 0.0 : (double)part / (double)whole;
}

/* "97.1%", or "-" when whole is 0. */
const char *
mt_report_pct(char *buf, size_t sz, uint64_t part, uint64_t whole)
{
    if (whole == 0)
        snprintf(buf, sz, "-");
    else
        snprintf(buf, sz, "%.1f%%", 100.0 * mt_report_share(part, whole));
    return buf;
}

/* Protocol names by stats index. */
const char *
mt_report_proto_name(unsigned i)
{
    const char *s = i == 0 ? NULL : mt_proto_str((enum mt_proto)i);

    return s != NULL ? s : "unknown";
}

/* Status names by enum mt_msg_status. */
const char *
mt_report_status_name(unsigned i)
{
    static const char *const names[] = { "received", "sent", "deferred", "bounced", "expired" };

    return i < sizeof(names) / sizeof(names[0]) ? names[i] : "unknown";
}

/* Outcome names by enum mt_conn_outcome. */
const char *
mt_report_outcome_name(unsigned i)
{
    static const char *const names[] = { "tls", "plaintext", "failed_tls" };

    return i < sizeof(names) / sizeof(names[0]) ? names[i] : "unknown";
}
