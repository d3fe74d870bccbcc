/* correlate_exim.c - the Exim rules of the correlator (see correlate.h). */
#include <string.h>

#include "correlate_int.h"
#include "exim.h"

/* Message key: logging host + message id. */
static uint64_t
msg_key(const struct mt_logline *l, struct mt_span id)
{
    struct mt_span parts[3] = { MT_SPAN_LIT("ex"), l->host, id };

    return mt_correlate_key(parts, 3);
}

/* Finds or creates the message of an id. */
static struct mt_cmsg *
msg_get(struct mt_correlate *c, const struct mt_logline *l, struct mt_span id)
{
    return mt_correlate_msg_get(c, l, msg_key(l, id), MT_MTA_EXIM, id);
}

/* Emits a connection record for a peer of this line. */
static void
conn(struct mt_correlate *c, const struct mt_logline *l, const struct mt_ex_rec *r,
     enum mt_direction dir, const struct mt_tls *t, struct mt_span reason)
{
    struct mt_csess s;

    memset(&s, 0, sizeof(s)); /* an item on the stack: cleared below */
    s.t_first = l->time;
    s.dir = dir;
    s.mta = MT_MTA_EXIM;
    CS_SET(&s, host, l->host, &s.evflags);
    CS_SET(&s, peer_host, r->host, &s.evflags);
    CS_SET(&s, peer_ip, r->ip, &s.evflags);
    if (reason.len > 0) {
        s.flags = MT_S_FAILED;
        CS_SET(&s, reason, reason, NULL);
    } else if (t->used == MT_TRI_YES) {
        s.flags = MT_S_TLS;
        mt_ctls_set(c, &s.tls, t);
    } else {
        s.flags = MT_S_PLAIN;
    }
    mt_correlate_emit_conn(c, &s, 0);
    mt_correlate_clear_sess(c, &s);
}

/* True for a transport that hands mail to a mailbox server. */
static bool
is_local_transport(struct mt_span t)
{
    return mt_span_find(t, "lmtp", 4) >= 0 || mt_span_find(t, "LMTP", 4) >= 0;
}

/* "<=": a message arrives. */
static void
on_arrival(struct mt_correlate *c, const struct mt_logline *l, const struct mt_ex_rec *r)
{
    struct mt_cmsg *m = msg_get(c, l, r->id);
    struct mt_tls t;

    if (m == NULL)
        return;
    m->t_recv = l->time;
    CS_SET(m, sender, r->addr, &m->evflags);
    m->flags |= MT_M_FROM;
    if (r->ip.len == 0 || mt_span_istarts(r->proto, "local"))
        return; /* not received over SMTP */
    m->flags |= MT_M_CLIENT;
    CS_SET(m, peer_host, r->host, &m->evflags);
    CS_SET(m, peer_ip, r->ip, &m->evflags);
    mt_exim_tls(r, &t);
    if (t.used != MT_TRI_YES) {
        /* P=esmtps without X= (log_selector -tls_cipher): TLS, details unknown. */
        if (r->proto.len > 0 && (mt_span_iends(r->proto, "s") || mt_span_iends(r->proto, "sa")))
            t.used = MT_TRI_YES;
        else
            mt_tls_set_plaintext(&t);
    }
    mt_ctls_set(c, &m->tls, &t);
    if (!mt_correlate_is_loopback(r->ip, r->host))
        conn(c, l, r, MT_DIR_IN, &t, MT_SPAN_NULL);
}

/* "=>", "->", "**", "==": one recipient's delivery attempt. */
static void
on_delivery(struct mt_correlate *c, const struct mt_logline *l, const struct mt_ex_rec *r)
{
    struct mt_cmsg *m = msg_get(c, l, r->id);
    struct mt_event *ev = &c->ev;
    char addr[MT_EV_ADDR_MAX];
    bool remote;

    if (m == NULL)
        return;
    mt_correlate_copy(addr, sizeof(addr), r->addr, NULL);
    mt_correlate_first_rcpt(m, addr);
    if (r->first_pass)
        return; /* routed only: the queue run makes the attempt */
    if (r->ip.len > 0)
        remote = !mt_correlate_is_loopback(r->ip, r->host) && !is_local_transport(r->transport);
    else
        remote = (r->kind == MT_EX_FAILED || r->kind == MT_EX_DEFER) &&
                 mt_span_find(r->transport, "smtp", 4) >= 0 && !is_local_transport(r->transport);
    if (!remote)
        return;
    m->flags |= MT_M_OUTBOUND;
    mt_correlate_start_out(c, m, l->time);
    ev->status = r->kind == MT_EX_FAILED  ? MT_MSG_BOUNCED
                 : r->kind == MT_EX_DEFER ? MT_MSG_DEFERRED
                                          : MT_MSG_SENT;
    mt_correlate_copy(ev->peer_host, sizeof(ev->peer_host), r->host, &ev->flags);
    mt_correlate_copy(ev->peer_ip, sizeof(ev->peer_ip), r->ip, &ev->flags);
    mt_correlate_domain(ev->recipient_domain, sizeof(ev->recipient_domain), addr, &ev->flags);
    if (r->kind == MT_EX_DELIVERY || r->kind == MT_EX_ADDITIONAL ||
        (r->kind == MT_EX_FAILED && r->ip.len > 0)) {
        /*
         * Exim logs X= whenever the delivery used TLS (default log_selector);
         * a "**" with H= was refused by the server over that connection.
         */
        mt_exim_tls(r, &ev->tls);
        if (ev->tls.used != MT_TRI_YES)
            mt_tls_set_plaintext(&ev->tls);
        if (r->kind != MT_EX_ADDITIONAL && !r->reused)
            conn(c, l, r, MT_DIR_OUT, &ev->tls, MT_SPAN_NULL);
    }
    mt_correlate_emit_out(c, m);
}

/* One Exim line. */
bool
mt_correlate_exim(struct mt_correlate *c, const struct mt_logline *l)
{
    struct mt_ex_rec r;
    struct mt_cmsg *m;
    struct mt_tls none;

    mt_exim_parse(l->msg, &r);
    switch (r.kind) {
    case MT_EX_OTHER:
        return false;
    case MT_EX_ARRIVAL:
        on_arrival(c, l, &r);
        break;
    case MT_EX_DELIVERY:
    case MT_EX_ADDITIONAL:
    case MT_EX_FAILED:
    case MT_EX_DEFER:
        on_delivery(c, l, &r);
        break;
    case MT_EX_COMPLETED:
        m = mt_correlate_find(c, MT_TAB_MSG, msg_key(l, r.id));
        if (m != NULL)
            mt_correlate_finish_msg(c, m, 0);
        break;
    case MT_EX_TLS_ERROR:
        if (r.established)
            break; /* a read or write error after a good handshake */
        mt_tls_init(&none);
        if (!mt_correlate_is_loopback(r.ip, r.host))
            conn(c, l, &r, r.inbound ? MT_DIR_IN : MT_DIR_OUT, &none,
                 r.reason.len > 0 ? r.reason : MT_SPAN_LIT("TLS error"));
        break;
    }
    return true;
}
