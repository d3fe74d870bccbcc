/*
 * fuzz_correlate.c - many lines through the correlator with tiny tables, so
 * that eviction, pid reuse, held-back deliveries and the ring overflow are
 * exercised. Every record handed to the sink must hold NUL-terminated
 * strings.
 */
#include <stdint.h>
#include <string.h>

#include "correlate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink_bytes;

/* Touches every string of a record. */
static void
on_msg(void *arg, const struct mt_event *ev)
{
    (void)arg;
    sink_bytes += strlen(ev->host) + strlen(ev->queue_id) + strlen(ev->peer_host) +
                  strlen(ev->peer_ip) + strlen(ev->sender) + strlen(ev->sender_domain) +
                  strlen(ev->recipient_domain) + strlen(ev->tls.cipher_raw) +
                  strlen(ev->tls.protocol_raw) + strlen(ev->tls.kex_group) +
                  strlen(ev->tls.signature);
}

/* Touches every string of a connection record. */
static void
on_conn(void *arg, const struct mt_conn *c)
{
    (void)arg;
    sink_bytes += strlen(c->host) + strlen(c->peer_host) + strlen(c->peer_ip) + strlen(c->reason) +
                  strlen(c->tls.cipher_raw);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_correlate_opts o;
    struct mt_sink sink = { on_msg, on_conn, NULL };
    struct mt_correlate *c;
    const char *p = (const char *)data, *end = p + size;

    mt_correlate_opts_init(&o);
    o.max_sessions = 4;
    o.max_messages = 8;
    o.max_endpoints = 2;
    o.session_idle = 30;
    o.message_idle = 90;
    o.reinject_wait = 5;
    if (mt_correlate_new(&o, &sink, 1767225600, 0, &c) != MT_OK)
        return 0;
    mt_correlate_clock(c)->allow_bare = size > 0 && (data[0] & 1);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        (void)mt_correlate_line(c, p, n, NULL);
        p += n + 1;
    }
    mt_correlate_finish(c);
    mt_correlate_free(c);
    return 0;
}
