/* correlate_sendmail.c - the Sendmail rules of the correlator (see correlate.h). */
#include <string.h>

#include "correlate_int.h"
#include "sendmail.h"

/* Session key: logging host + program + pid (one child process per connection). */
static uint64_t
sess_key(const struct mt_logline *l)
{
    struct mt_span parts[4] = { MT_SPAN_LIT("sm"), l->host, l->program,
                                mt_span((const char *)&l->pid, sizeof(l->pid)) };

    return mt_correlate_key(parts, 4);
}

/* Message key: logging host + queue id. */
static uint64_t
msg_key(const struct mt_logline *l, struct mt_span qid)
{
    struct mt_span parts[3] = { MT_SPAN_LIT("sm"), l->host, qid };

    return mt_correlate_key(parts, 3);
}

/* Finds or creates the message of a queue id. */
static struct mt_cmsg *
msg_get(struct mt_correlate *c, const struct mt_logline *l, struct mt_span qid)
{
    return mt_correlate_msg_get(c, l, msg_key(l, qid), MT_MTA_SENDMAIL, qid);
}

/* A fresh session item for this process. */
static struct mt_csess *
sess_new(struct mt_correlate *c, const struct mt_logline *l, const struct mt_sm_rec *r,
         enum mt_direction dir)
{
    bool created;
    struct mt_csess *s = mt_correlate_get(c, MT_TAB_SESS, sess_key(l), &created);

    if (s == NULL)
        return NULL;
    if (!created)
        mt_correlate_emit_conn(c, s, 0); /* the process's previous connection */
    mt_correlate_clear_sess(c, s);
    s->t_first = l->time;
    s->dir = dir;
    s->mta = MT_MTA_SENDMAIL;
    CS_SET(s, host, l->host, &s->evflags);
    CS_SET(s, peer_host, r->host, &s->evflags);
    CS_SET(s, peer_ip, r->ip, &s->evflags);
    if (mt_correlate_is_loopback(r->ip, r->host))
        s->flags |= MT_S_LOOPBACK | MT_S_EMITTED;
    return s;
}

/* True for mailers that deliver locally. */
static bool
is_local_mailer(struct mt_span m)
{
    return mt_span_eq(m, MT_SPAN_LIT("local")) || mt_span_eq(m, MT_SPAN_LIT("prog")) ||
           mt_span_eq(m, MT_SPAN_LIT("*file*")) || mt_span_eq(m, MT_SPAN_LIT("*include*")) ||
           mt_span_find(m, "lmtp", 4) >= 0 || mt_span_find(m, "cyrus", 5) >= 0 ||
           mt_span_find(m, "procmail", 8) >= 0;
}

/* STARTTLS=server|client, ...: the connection of this process has TLS. */
static void
on_starttls(struct mt_correlate *c, const struct mt_logline *l, const struct mt_sm_rec *r)
{
    struct mt_csess *s = sess_new(c, l, r, r->server ? MT_DIR_IN : MT_DIR_OUT);

    if (s == NULL)
        return;
    s->flags |= MT_S_TLS;
    {
        struct mt_tls t;
        mt_sendmail_tls(r, &t);
        mt_ctls_set(c, &s->tls, &t);
    }
    mt_correlate_set_evidence(c, CS(s, host), r->server ? MT_EVID_IN : MT_EVID_OUT);
    if (r->server)
        mt_correlate_emit_conn(c, s, 0);
    /* client: emitted with the delivery line, which names the IP */
}

/* QID: from=: a message is queued; over SMTP when relay= names an IP. */
static void
on_from(struct mt_correlate *c, const struct mt_logline *l, const struct mt_sm_rec *r)
{
    struct mt_cmsg *m = msg_get(c, l, r->queue_id);
    struct mt_csess *s;

    if (m == NULL)
        return;
    CS_SET(m, sender, r->addr, &m->evflags);
    m->flags |= MT_M_FROM;
    if (r->ip.len == 0)
        return; /* local submission */
    m->t_recv = l->time;
    m->flags |= MT_M_CLIENT;
    CS_SET(m, peer_host, r->host, &m->evflags);
    CS_SET(m, peer_ip, r->ip, &m->evflags);
    s = mt_correlate_find(c, MT_TAB_SESS, sess_key(l));
    if (s != NULL && s->dir == MT_DIR_IN && (s->flags & MT_S_TLS)) {
        mt_ctls_copy(c, &m->tls, s->tls);
    } else if (mt_correlate_has_evidence(c, CS(m, host), MT_EVID_IN)) {
        mt_ctls_copy(c, &m->tls, MT_CTLS_PLAIN);
        if (s == NULL || s->dir != MT_DIR_IN) {
            s = sess_new(c, l, r, MT_DIR_IN);
            if (s != NULL) {
                s->flags |= MT_S_PLAIN;
                mt_correlate_emit_conn(c, s, 0);
            }
        }
    }
}

/* True when the failed session s is the connection of this to= line. */
static bool
failed_here(const struct mt_csess *s, const struct mt_sm_rec *r)
{
    char ip[MT_EV_IP_MAX];

    if (s == NULL || s->dir != MT_DIR_OUT || !(s->flags & MT_S_FAILED))
        return false;
    if (CS(s, peer_ip)[0] == '\0')
        return true;
    mt_correlate_copy(ip, sizeof(ip), r->ip, NULL);
    return strcmp(ip, CS(s, peer_ip)) == 0;
}

/* QID: to=<a>[,<b>...]: a delivery attempt, one outbound record per recipient. */
static void
on_to(struct mt_correlate *c, const struct mt_logline *l, const struct mt_sm_rec *r)
{
    struct mt_cmsg *m = msg_get(c, l, r->queue_id);
    struct mt_event *ev = &c->ev;
    struct mt_csess *s;
    char addr[MT_EV_ADDR_MAX];
    struct mt_span a;
    size_t pos = 0;

    if (m == NULL)
        return;
    mt_correlate_copy(addr, sizeof(addr), r->addr, NULL);
    mt_correlate_first_rcpt(m, addr);
    /* Sendmail logs no "removed": the first delivery line completes the arrival. */
    mt_correlate_emit_in(c, m, 0);
    if (is_local_mailer(r->mailer) || r->ip.len == 0 || mt_correlate_is_loopback(r->ip, r->host))
        return;
    m->flags |= MT_M_OUTBOUND;
    mt_correlate_start_out(c, m, l->time);
    ev->status = r->status;
    mt_correlate_copy(ev->peer_host, sizeof(ev->peer_host), r->host, &ev->flags);
    mt_correlate_copy(ev->peer_ip, sizeof(ev->peer_ip), r->ip, &ev->flags);
    s = mt_correlate_find(c, MT_TAB_SESS, sess_key(l));
    if (failed_here(s, r)) {
        /* The handshake failed (8.15+ names no peer on the error line). */
        if (CS(s, peer_ip)[0] == '\0') {
            CS_SET(s, peer_host, r->host, &s->evflags);
            CS_SET(s, peer_ip, r->ip, &s->evflags);
        }
        mt_correlate_emit_conn(c, s, 0);
    } else if (s != NULL && s->dir == MT_DIR_OUT && (s->flags & MT_S_TLS) &&
               mt_span_ieq(r->host, CS(s, peer_host))) {
        ev->tls = *mt_ctls_get(c, s->tls);
        if (CS(s, peer_ip)[0] == '\0')
            CS_SET(s, peer_ip, r->ip, &s->evflags);
        mt_correlate_emit_conn(c, s, 0);
    } else if (r->status == MT_MSG_DEFERRED && mt_span_starts(r->dsn, "4.4.")) {
        /* 4.4.x: no connection ("Connection refused", "Network is unreachable"). */
    } else if (mt_correlate_has_evidence(c, CS(m, host), MT_EVID_OUT)) {
        mt_tls_set_plaintext(&ev->tls);
        s = sess_new(c, l, r, MT_DIR_OUT);
        if (s != NULL) {
            s->flags |= MT_S_PLAIN;
            mt_correlate_emit_conn(c, s, 0);
        }
    }
    while (mt_sendmail_next_rcpt(r->rcpts, &pos, &a)) {
        mt_correlate_copy(addr, sizeof(addr), a, NULL);
        mt_correlate_domain(ev->recipient_domain, sizeof(ev->recipient_domain), addr, &ev->flags);
        mt_correlate_emit_out(c, m);
    }
}

/* A failed handshake or a tls_server/tls_client rejection. */
static void
on_tls_error(struct mt_correlate *c, const struct mt_logline *l, const struct mt_sm_rec *r)
{
    struct mt_csess *s = mt_correlate_find(c, MT_TAB_SESS, sess_key(l));
    enum mt_direction dir = r->server ? MT_DIR_IN : MT_DIR_OUT;
    bool named = r->host.len > 0 || r->ip.len > 0;

    if (named && s != NULL && s->dir == dir && (s->flags & MT_S_FAILED) &&
        !(s->flags & MT_S_EMITTED) && CS(s, peer_ip)[0] == '\0' && CS(s, peer_host)[0] == '\0') {
        /* "ruleset=tls_server, ..., relay=" names the peer of the error before it. */
        CS_SET(s, peer_host, r->host, &s->evflags);
        CS_SET(s, peer_ip, r->ip, &s->evflags);
        if (mt_correlate_is_loopback(r->ip, r->host))
            s->flags |= MT_S_LOOPBACK | MT_S_EMITTED;
        mt_correlate_emit_conn(c, s, 0);
        return;
    }
    if (!named && s != NULL && s->dir == dir && (s->flags & MT_S_TLS) && !(s->flags & MT_S_FAILED))
        return; /* an error inside a session that was established */
    s = sess_new(c, l, r, dir);
    if (s == NULL)
        return;
    s->flags |= MT_S_FAILED;
    CS_SET(s, reason, r->reason, NULL);
    if (named)
        mt_correlate_emit_conn(c, s, 0);
    /* else the peer is not known yet: the ruleset or to= line names it */
}

/* One Sendmail line. */
bool
mt_correlate_sendmail(struct mt_correlate *c, const struct mt_logline *l)
{
    struct mt_sm_rec r;

    mt_sendmail_parse(l->msg, &r);
    switch (r.kind) {
    case MT_SM_OTHER:
        return false;
    case MT_SM_STARTTLS:
        on_starttls(c, l, &r);
        break;
    case MT_SM_TLS_ERROR:
        on_tls_error(c, l, &r);
        break;
    case MT_SM_FROM:
        on_from(c, l, &r);
        break;
    case MT_SM_TO:
        on_to(c, l, &r);
        break;
    }
    return true;
}
