/* correlate_opensmtpd.c - the OpenSMTPD rules of the correlator (see correlate.h). */
#include <string.h>

#include "correlate_int.h"
#include "opensmtpd.h"

/* Session key: logging host + session id. */
static uint64_t
sess_key(const struct mt_logline *l, struct mt_span sid)
{
    struct mt_span parts[3] = { MT_SPAN_LIT("os"), l->host, sid };

    return mt_correlate_key(parts, 3);
}

/* Message key: logging host + message id. */
static uint64_t
msg_key(const struct mt_logline *l, struct mt_span id)
{
    struct mt_span parts[3] = { MT_SPAN_LIT("os"), l->host, id };

    return mt_correlate_key(parts, 3);
}

/* Finds or creates a message. */
static struct mt_cmsg *
msg_get(struct mt_correlate *c, const struct mt_logline *l, struct mt_span id)
{
    return mt_correlate_msg_get(c, l, msg_key(l, id), MT_MTA_OPENSMTPD, id);
}

/* A new session (OpenSMTPD logs every TLS session, so no TLS line means plaintext). */
static void
on_start(struct mt_correlate *c, const struct mt_logline *l, const struct mt_os_rec *r)
{
    bool created;
    struct mt_csess *s = mt_correlate_get(c, MT_TAB_SESS, sess_key(l, r->session), &created);

    if (s == NULL)
        return;
    if (!created)
        mt_correlate_emit_conn(c, s, MT_EVENT_INCOMPLETE);
    mt_correlate_clear_sess(c, s);
    s->t_first = l->time;
    s->dir = r->kind == MT_OS_CONNECTING ? MT_DIR_OUT : MT_DIR_IN;
    s->mta = MT_MTA_OPENSMTPD;
    s->flags = MT_S_CONNECT | MT_S_PLAIN;
    CS_SET(s, host, l->host, &s->evflags);
    CS_SET(s, peer_host, r->host, &s->evflags);
    CS_SET(s, peer_ip, r->ip, &s->evflags);
    CS_SET(s, port, r->port, NULL);
    /* address=local: the UNIX socket (local submission) */
    if (mt_correlate_is_loopback(r->ip, r->host) || mt_span_eq(r->ip, MT_SPAN_LIT("local")))
        s->flags |= MT_S_LOOPBACK | MT_S_EMITTED;
}

/* The session of a line, created when the log began inside it. */
static struct mt_csess *
sess_of(struct mt_correlate *c, const struct mt_logline *l, const struct mt_os_rec *r)
{
    bool created;
    struct mt_csess *s;

    if (r->session.len == 0)
        return NULL;
    s = mt_correlate_get(c, MT_TAB_SESS, sess_key(l, r->session), &created);
    if (s != NULL && created) {
        s->t_first = l->time;
        s->dir = r->out ? MT_DIR_OUT : MT_DIR_IN;
        s->mta = MT_MTA_OPENSMTPD;
        CS_SET(s, host, l->host, &s->evflags);
    }
    return s;
}

/* An inbound message accepted in a session. */
static void
on_message(struct mt_correlate *c, const struct mt_logline *l, const struct mt_os_rec *r)
{
    struct mt_csess *s = sess_of(c, l, r);
    struct mt_cmsg *m;

    if (r->msgid.len == 0)
        return;
    c->tab[MT_TAB_SESS].pin = s != NULL ? s->h.key : 0;
    m = msg_get(c, l, r->msgid);
    c->tab[MT_TAB_SESS].pin = 0;
    if (m == NULL)
        return;
    m->flags |= MT_M_CLIENT;
    m->t_recv = l->time;
    if (s != NULL) {
        CS_SET(m, peer_host, mt_span_cstr(CS(s, peer_host)), NULL);
        CS_SET(m, peer_ip, mt_span_cstr(CS(s, peer_ip)), NULL);
        if (s->flags & MT_S_TLS)
            mt_ctls_copy(c, &m->tls, s->tls);
        else if (s->flags & MT_S_CONNECT)
            mt_ctls_copy(c, &m->tls, MT_CTLS_PLAIN);
        if (s->flags & MT_S_LOOPBACK)
            m->flags &= ~(uint32_t)MT_M_CLIENT; /* local submission */
        s->msgs[s->nmsgs++ % MT_SESS_MSGS] = m->h.key;
    }
    if (r->from.len > 0 || r->to.len > 0) {
        char addr[MT_EV_ADDR_MAX];
        CS_SET(m, sender, r->from, &m->evflags);
        mt_correlate_copy(addr, sizeof(addr), r->to, NULL);
        mt_correlate_set_rcpt(m, addr);
    }
}

/* The inbound session ends: its messages are complete. */
static void
on_disconnect(struct mt_correlate *c, const struct mt_logline *l, const struct mt_os_rec *r)
{
    struct mt_csess *s = mt_correlate_find(c, MT_TAB_SESS, sess_key(l, r->session));
    unsigned i, n;

    if (s == NULL)
        return;
    if (!(s->flags & MT_S_TLS) &&
        (mt_span_find(r->reason, "tls", 3) >= 0 || mt_span_find(r->reason, "TLS", 3) >= 0 ||
         mt_span_find(r->reason, "handshake", 9) >= 0 || mt_span_find(r->reason, "SSL", 3) >= 0)) {
        s->flags |= MT_S_FAILED;
        s->flags &= ~(uint32_t)MT_S_PLAIN;
        CS_SET(s, reason, r->reason, NULL);
    }
    n = s->nmsgs < MT_SESS_MSGS ? s->nmsgs : MT_SESS_MSGS;
    for (i = 0; i < n; i++) {
        struct mt_cmsg *m = mt_correlate_find(c, MT_TAB_MSG, s->msgs[i]);
        if (m != NULL)
            mt_correlate_emit_in(c, m, 0);
    }
    mt_correlate_end_sess(c, s, 0);
}

/* An outbound delivery attempt. */
static void
on_delivery(struct mt_correlate *c, const struct mt_logline *l, const struct mt_os_rec *r)
{
    struct mt_csess *s = sess_of(c, l, r);
    struct mt_event *ev = &c->ev;
    struct mt_cmsg *m;
    char addr[MT_EV_ADDR_MAX];

    if (r->msgid.len == 0)
        return;
    if (s != NULL)
        c->tab[MT_TAB_SESS].pin = s->h.key;
    m = msg_get(c, l, r->msgid);
    c->tab[MT_TAB_SESS].pin = 0;
    if (m == NULL)
        return;
    if (CS(m, sender)[0] == '\0')
        CS_SET(m, sender, r->from, &m->evflags);
    mt_correlate_copy(addr, sizeof(addr), r->to, NULL);
    mt_correlate_first_rcpt(m, addr);
    if ((s != NULL && (s->flags & MT_S_LOOPBACK)) || mt_correlate_is_loopback(r->ip, r->host))
        return;
    m->flags |= MT_M_OUTBOUND;
    mt_correlate_start_out(c, m, l->time);
    ev->status = r->status;
    if (r->ip.len > 0) {
        mt_correlate_copy(ev->peer_host, sizeof(ev->peer_host), r->host, &ev->flags);
        mt_correlate_copy(ev->peer_ip, sizeof(ev->peer_ip), r->ip, &ev->flags);
    } else if (s != NULL) {
        mt_correlate_copy(ev->peer_host, sizeof(ev->peer_host), mt_span_cstr(CS(s, peer_host)),
                          NULL);
        mt_correlate_copy(ev->peer_ip, sizeof(ev->peer_ip), mt_span_cstr(CS(s, peer_ip)), NULL);
    }
    mt_correlate_domain(ev->recipient_domain, sizeof(ev->recipient_domain), addr, &ev->flags);
    if (s != NULL) {
        if (s->flags & MT_S_TLS)
            ev->tls = *mt_ctls_get(c, s->tls);
        else if (s->flags & MT_S_CONNECT)
            mt_tls_set_plaintext(&ev->tls);
        if (CS(s, peer_ip)[0] == '\0')
            CS_SET(s, peer_ip, mt_span_cstr(ev->peer_ip), NULL);
        if (s->flags & (MT_S_TLS | MT_S_CONNECT))
            mt_correlate_emit_conn(c, s, 0);
    }
    mt_correlate_emit_out(c, m);
}

/*
 * An outbound session error: a TLS failure ("opportunistic TLS failed,
 * downgrading to plain", "TLS required but not supported by remote host")
 * is a failed_tls connection; "IO Error: ..." before any delivery means no
 * connection was made, so the session leaves no record.
 */
static void
on_error(struct mt_correlate *c, const struct mt_logline *l, const struct mt_os_rec *r)
{
    struct mt_csess *s;

    if (r->session.len == 0)
        return;
    s = mt_correlate_find(c, MT_TAB_SESS, sess_key(l, r->session));
    if (s == NULL || s->dir != MT_DIR_OUT)
        return;
    if (mt_span_find(r->reason, "TLS", 3) >= 0) {
        s->flags |= MT_S_FAILED;
        s->flags &= ~(uint32_t)(MT_S_PLAIN | MT_S_TLS);
        CS_SET(s, reason, r->reason, NULL);
        mt_correlate_emit_conn(c, s, 0);
    } else if (mt_span_starts(r->reason, "IO Error")) {
        s->flags |= MT_S_EMITTED;
        mt_correlate_end_sess(c, s, 0);
    }
}

/* One OpenSMTPD line. */
bool
mt_correlate_opensmtpd(struct mt_correlate *c, const struct mt_logline *l)
{
    struct mt_os_rec r;
    struct mt_csess *s;
    struct mt_cmsg *m;

    mt_opensmtpd_parse(l->msg, &r);
    switch (r.kind) {
    case MT_OS_OTHER:
        return false;
    case MT_OS_CONNECTED:
    case MT_OS_CONNECTING:
        on_start(c, l, &r);
        break;
    case MT_OS_TLS:
        s = sess_of(c, l, &r);
        if (s != NULL) {
            struct mt_tls t;
            mt_opensmtpd_tls(&r, &t);
            mt_ctls_set(c, &s->tls, &t);
            s->flags |= MT_S_TLS;
            s->flags &= ~(uint32_t)MT_S_PLAIN;
            if (s->dir == MT_DIR_IN && !(s->flags & MT_S_LOOPBACK))
                mt_correlate_emit_conn(c, s, 0);
        }
        break;
    case MT_OS_MESSAGE:
        on_message(c, l, &r);
        break;
    case MT_OS_ENVELOPE:
        m = r.msgid.len > 0 ? msg_get(c, l, r.msgid) : NULL;
        if (m != NULL) {
            char addr[MT_EV_ADDR_MAX];
            CS_SET(m, sender, r.from, &m->evflags);
            mt_correlate_copy(addr, sizeof(addr), r.to, NULL);
            mt_correlate_first_rcpt(m, addr);
        }
        break;
    case MT_OS_DISCONNECTED:
        on_disconnect(c, l, &r);
        break;
    case MT_OS_DELIVERY:
        on_delivery(c, l, &r);
        break;
    case MT_OS_ERROR:
        on_error(c, l, &r);
        break;
    case MT_OS_CERT:
        s = mt_correlate_find(c, MT_TAB_SESS, sess_key(l, r.session));
        if (s != NULL && s->dir == MT_DIR_OUT && (s->flags & MT_S_TLS)) {
            struct mt_tls t = *mt_ctls_get(c, s->tls);
            t.trust = r.verified ? MT_TRUST_VERIFIED : MT_TRUST_UNTRUSTED;
            mt_ctls_set(c, &s->tls, &t);
        }
        break;
    case MT_OS_LOCAL:
        if (r.msgid.len > 0 && (m = msg_get(c, l, r.msgid)) != NULL) {
            char addr[MT_EV_ADDR_MAX];
            mt_correlate_copy(addr, sizeof(addr), r.to, NULL);
            mt_correlate_first_rcpt(m, addr);
        }
        break;
    }
    return true;
}
