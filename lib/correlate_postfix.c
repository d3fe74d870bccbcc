/* correlate_postfix.c - the Postfix rules of the correlator (see correlate.h). */
#include <string.h>

#include "correlate_int.h"
#include "postfix.h"

/* Seconds within which tlsproxy's and smtp's lines for one handshake are one connection. */
#define PROXY_DUP_WINDOW 5
/* Seconds within which delivery lines of one message from one process are one transaction. */
#define SAME_TRANSACTION 60

/*
 * Keys are built on c->line_host, the hash of the line's logging host that
 * mt_correlate_postfix() computes once per line; a seed per table keeps
 * them apart.
 */
#define SEED_SESS 0x5053455353494f4eULL /* "PSESSION" */
#define SEED_MSG  0x504d455353414745ULL /* "PMESSAGE" */
#define SEED_ENDP 0x50454e44504f494eULL /* "PENDPOIN" */

/* Session key: logging host + program + pid (worked out once per line). */
static uint64_t
sess_key(struct mt_correlate *c, const struct mt_logline *l)
{
    if (c->line_sess == 0)
        c->line_sess = mt_correlate_key_num(
            mt_correlate_key_on(c->line_host ^ SEED_SESS, l->program), (uint64_t)l->pid);
    return c->line_sess;
}

/* mt_correlate_key_on(0, host), remembered for the last host seen. */
static uint64_t
host_hash(struct mt_correlate *c, struct mt_span host)
{
    if (host.len > 0 && host.len == c->memo_host_len && mt_bytes_eq(host.p, c->memo_host, host.len))
        return c->memo_host_h;
    if (host.len > 0 && host.len <= sizeof(c->memo_host)) {
        memcpy(c->memo_host, host.p, host.len);
        c->memo_host_len = host.len;
        c->memo_host_h = mt_correlate_key_on(0, host);
        return c->memo_host_h;
    }
    return mt_correlate_key_on(0, host);
}

/* Message key: logging host + queue id. */
static uint64_t
msg_key(const struct mt_correlate *c, struct mt_span qid)
{
    return mt_correlate_key_on(c->line_host ^ SEED_MSG, qid);
}

/* Endpoint key: logging host + peer IP + port. */
static uint64_t
endp_key(const struct mt_correlate *c, struct mt_span ip, struct mt_span port)
{
    return mt_correlate_key_on(mt_correlate_key_on(c->line_host ^ SEED_ENDP, ip), port);
}

/*
 * The TLS facts of a TLS line, from the memo when its description was seen
 * lately: *slot gets their interned id.
 */
static void
line_tls(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r,
         uint32_t *slot)
{
    const char *end = l->msg.p + l->msg.len;
    size_t len = (size_t)(end - r->protocol.p), i;
    struct mt_tlsmemo *e;
    struct mt_tls t;

    for (i = 0; i < MT_TLSMEMO_N; i++) {
        e = &c->tlsmemo[i];
        if (e->len == len && e->trust == (int)r->trust &&
            memcmp(e->text, r->protocol.p, len) == 0) {
            mt_ctls_copy(c, slot, e->tls);
            return;
        }
    }
    mt_postfix_tls(r, &t);
    mt_ctls_set(c, slot, &t);
    if (len == 0 || len > MT_TLSMEMO_LEN)
        return;
    e = &c->tlsmemo[c->tlsmemo_next];
    c->tlsmemo_next = (c->tlsmemo_next + 1) % MT_TLSMEMO_N;
    e->len = len;
    e->trust = (int)r->trust;
    memcpy(e->text, r->protocol.p, len);
    mt_ctls_copy(c, &e->tls, *slot);
}

/* True when s is the bytes of the string literal lit. */
#define IS(s, lit) ((s).len == sizeof(lit) - 1 && memcmp((s).p, lit, sizeof(lit) - 1) == 0)

/* Daemons that deliver locally, never to another MTA (by length first). */
static bool
is_local_daemon(struct mt_span d)
{
    switch (d.len) {
    case 4:
        return IS(d, "lmtp") || IS(d, "pipe");
    case 5:
        return IS(d, "local") || IS(d, "error") || IS(d, "retry");
    case 7:
        return IS(d, "virtual") || IS(d, "discard");
    default:
        return false;
    }
}

/* Sets up a session item from a line. */
static void
sess_init(struct mt_csess *s, const struct mt_logline *l, const struct mt_pf_rec *r,
          enum mt_direction dir)
{
    s->t_first = l->time;
    s->dir = dir;
    s->mta = MT_MTA_POSTFIX;
    CS_SET(s, host, l->host, &s->evflags);
    CS_SET(s, peer_host, r->host, &s->evflags);
    CS_SET(s, peer_ip, r->ip, &s->evflags);
    CS_SET(s, port, r->port, NULL);
    /* Loopback connections (content filters, local submission) cross no network. */
    if (mt_correlate_is_loopback(r->ip, r->host))
        s->flags |= MT_S_LOOPBACK | MT_S_EMITTED;
}

/* Resets a session item to a new one (pid reuse, a new outbound connection). */
static void
sess_reset(struct mt_correlate *c, struct mt_csess *s, const struct mt_logline *l,
           const struct mt_pf_rec *r, enum mt_direction dir)
{
    mt_correlate_clear_sess(c, s);
    sess_init(s, l, r, dir);
}

/* Finds or creates the message of a queue id, filling identity on creation. */
static struct mt_cmsg *
msg_get(struct mt_correlate *c, const struct mt_logline *l, struct mt_span qid)
{
    return mt_correlate_msg_get(c, l, msg_key(c, qid), MT_MTA_POSTFIX, qid);
}

/* True when a and the C string b are the same bytes (b read no further than a.len + 1). */
static bool
same(struct mt_span a, const char *b)
{
    return strnlen(b, a.len + 1) == a.len && (a.len == 0 || memcmp(a.p, b, a.len) == 0);
}

/* smtpd: a session starts. */
static void
on_connect(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    uint64_t key = sess_key(c, l);
    struct mt_csess *s = mt_correlate_find(c, MT_TAB_SESS, key);

    if (s != NULL)
        mt_correlate_end_sess(c, s, MT_EVENT_INCOMPLETE); /* its end was not logged */
    s = mt_correlate_add(c, MT_TAB_SESS, key);
    if (s == NULL)
        return;
    sess_init(s, l, r, MT_DIR_IN);
    s->flags |= MT_S_CONNECT;
}

/* smtpd: the inbound session of this line, created when the log began inside it. */
static struct mt_csess *
in_sess(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    bool created;
    struct mt_csess *s = mt_correlate_get(c, MT_TAB_SESS, sess_key(c, l), &created);

    if (s != NULL && created)
        sess_init(s, l, r, MT_DIR_IN);
    return s;
}

/* Gives the messages queued in s whose TLS was open what the session's end says. */
static void
resolve_pending(struct mt_correlate *c, struct mt_csess *s)
{
    unsigned i, n = s->nmsgs < MT_SESS_MSGS ? s->nmsgs : MT_SESS_MSGS;

    for (i = 0; i < n; i++) {
        struct mt_cmsg *m = mt_correlate_find(c, MT_TAB_MSG, s->msgs[i]);
        if (m == NULL || !(m->flags & MT_M_TLSPEND))
            continue;
        m->flags &= ~(uint32_t)MT_M_TLSPEND;
        if (s->flags & MT_S_TLS)
            mt_ctls_copy(c, &m->tls, s->tls);
        else if (s->flags & MT_S_STARTTLS)
            mt_ctls_copy(c, &m->tls, MT_CTLS_YES);
        else if (s->flags & MT_S_PLAIN)
            mt_ctls_copy(c, &m->tls, MT_CTLS_PLAIN);
        else
            mt_ctls_copy(c, &m->tls, MT_CTLS_UNKNOWN);
        /* Removed while waiting for this: done now unless it may be a copy. */
        if ((m->flags & MT_M_WAIT) && !((m->flags & MT_M_SUSPECT) && !(m->flags & MT_M_COPY)))
            mt_correlate_finish_msg(c, m, 0);
    }
    s->nmsgs = 0;
}

/* smtpd: the session ends, with the command counters of Postfix >= 3.0. */
static void
on_disconnect(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    struct mt_csess *s = in_sess(c, l, r);

    if (s == NULL)
        return;
    if (r->counters && !(s->flags & MT_S_TLS)) {
        if (r->starttls_tried > r->starttls_ok) {
            s->flags |= MT_S_FAILED;
            if (CS(s, reason)[0] == '\0')
                CS_SET(s, reason, MT_SPAN_LIT("STARTTLS failed"), NULL);
        } else if (r->starttls_ok > 0) {
            s->flags |= MT_S_STARTTLS;
        } else if (r->starttls_tried < 0) {
            s->flags |= MT_S_PLAIN;
        }
    } else if (!r->counters && !(s->flags & MT_S_TLS) && (s->flags & MT_S_CONNECT) &&
               mt_correlate_has_evidence_h(c, c->line_host, MT_EVID_IN)) {
        s->flags |= MT_S_PLAIN;
    }
    resolve_pending(c, s);
    mt_correlate_end_sess(c, s, 0);
}

/* smtpd: "QID: client=": the message gets the session's TLS. */
static void
on_client(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    struct mt_csess *s = mt_correlate_find(c, MT_TAB_SESS, sess_key(c, l));
    struct mt_cmsg *m = msg_get(c, l, r->queue_id);
    bool loop = mt_correlate_is_loopback(r->ip, r->host);

    if (m == NULL)
        return;
    m->t_recv = l->time;
    m->flags |= MT_M_CLIENT;
    CS_SET(m, peer_host, r->host, &m->evflags);
    CS_SET(m, peer_ip, r->ip, &m->evflags);
    mt_ctls_copy(c, &m->tls, MT_CTLS_UNKNOWN);
    m->flags &= ~(uint32_t)MT_M_TLSPEND;
    if (s != NULL && s->dir == MT_DIR_IN) {
        if (s->flags & MT_S_TLS) {
            mt_ctls_copy(c, &m->tls, s->tls);
        } else if ((s->flags & MT_S_CONNECT) &&
                   mt_correlate_has_evidence_h(c, c->line_host, MT_EVID_IN)) {
            mt_ctls_copy(c, &m->tls, MT_CTLS_PLAIN);
        } else {
            /* Decided by the disconnect counters. */
            m->flags |= MT_M_TLSPEND;
            s->msgs[s->nmsgs++ % MT_SESS_MSGS] = m->h.key;
        }
        if (s->flags & MT_S_LOOPBACK)
            loop = true;
    }
    if (loop)
        m->flags |= MT_M_SUSPECT;
    if (r->orig_queue_id.len > 0 && !mt_span_eq(r->orig_queue_id, r->queue_id)) {
        struct mt_cmsg *o = mt_correlate_find(c, MT_TAB_MSG, msg_key(c, r->orig_queue_id));
        char root[MT_EV_ID_MAX];
        if (o != NULL && (o->flags & MT_M_COPY))
            mt_correlate_copy(root, sizeof(root), mt_span_cstr(CS(o, root)), NULL);
        else
            mt_correlate_copy(root, sizeof(root), r->orig_queue_id, NULL);
        mt_correlate_set_copy(c, m, root);
    }
}

/* A delivery to a local relay that re-queued the message as NEWID. */
static void
on_reinjected(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r,
              struct mt_cmsg *m)
{
    char root[MT_EV_ID_MAX];
    struct mt_cmsg *n;

    mt_correlate_copy(root, sizeof(root),
                      mt_span_cstr((m->flags & MT_M_COPY) ? CS(m, root) : CS(m, qid)), NULL);
    if (mt_span_eq(r->queued_as, mt_span_cstr(CS(m, qid))))
        return;
    c->tab[MT_TAB_MSG].pin = m->h.key; /* m must survive making room for n */
    n = msg_get(c, l, r->queued_as);
    c->tab[MT_TAB_MSG].pin = 0;
    if (n != NULL && !(n->flags & MT_M_COPY))
        mt_correlate_set_copy(c, n, root);
}

/* Status texts that mean the TLS handshake or policy failed. */
static bool
tls_failure_text(struct mt_span t, bool *not_offered)
{
    /* Every text below holds "TLS": most replies ("250 2.0.0 Ok: queued as ...") do not. */
    if (mt_span_find(t, "TLS", 3) < 0) {
        *not_offered = false;
        return false;
    }
    *not_offered = mt_span_find(t, "TLS is required, but was not offered", 36) >= 0 ||
                   mt_span_find(t, "refused to start TLS", 20) >= 0;
    return *not_offered || mt_span_find(t, "Cannot start TLS", 16) >= 0 ||
           mt_span_find(t, "TLS is required, but", 20) >= 0 ||
           mt_span_find(t, "while performing the TLS handshake", 34) >= 0 ||
           mt_span_find(t, "TLS handshake failed", 20) >= 0;
}

/* Remembers what a connection to an endpoint had, for conn_use > 1. */
static void
remember_endpoint(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r,
                  uint32_t tls)
{
    const struct mt_tls *t = mt_ctls_get(c, tls);
    bool created;
    struct mt_cendp *e = mt_correlate_get(c, MT_TAB_ENDP, endp_key(c, r->ip, r->port), &created);

    if (e == NULL)
        return;
    if (created)
        e->t_made = l->time;
    mt_ctls_set(c, &e->tls, t);
    if (t->used == MT_TRI_YES)
        e->flags |= MT_E_TLS;
    else
        e->flags &= ~(uint32_t)MT_E_TLS;
}

/* The TLS of an outbound delivery over a new or reused connection; may emit a record. */
static void
out_tls(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r,
        struct mt_cmsg *m, struct mt_tls *t)
{
    struct mt_csess *s = mt_correlate_find(c, MT_TAB_SESS, sess_key(c, l));
    bool match, created, not_offered, failed;

    mt_tls_init(t);
    /*
     * The connection of this process's last line to the same peer, unless it
     * carried another message, or this one long ago: the recipients of one
     * transaction are logged together, and a retry (after minimal_backoff_time,
     * 300 s by default) opens a new connection.
     */
    match = s != NULL && s->dir == MT_DIR_OUT && same(r->ip, CS(s, peer_ip)) &&
            same(r->port, CS(s, port)) &&
            (!(s->flags & MT_S_USED) ||
             (same(r->queue_id, CS(s, qid)) &&
              l->time - mt_correlate_last(c, MT_TAB_SESS, s) <= SAME_TRANSACTION));
    if (r->conn_use > 1) {
        struct mt_cendp *e;
        if (match && (s->flags & MT_S_TLS)) {
            *t = *mt_ctls_get(c, s->tls);
            return;
        }
        e = mt_correlate_find(c, MT_TAB_ENDP, endp_key(c, r->ip, r->port));
        if (e != NULL) {
            mt_correlate_touch(c, MT_TAB_ENDP, e);
            if (e->flags & MT_E_TLS)
                *t = *mt_ctls_get(c, e->tls);
            else
                mt_tls_set_plaintext(t);
        }
        return;
    }
    failed = tls_failure_text(r->status_text, &not_offered);
    if (match && (s->flags & MT_S_TLS)) {
        *t = *mt_ctls_get(c, s->tls);
    } else if (match && (s->flags & MT_S_FAILED)) {
        if (s->flags & MT_S_USED && !failed)
            mt_tls_set_plaintext(t);
    } else if (match && (s->flags & MT_S_PLAIN)) {
        mt_tls_set_plaintext(t);
    } else if (match && (s->flags & MT_S_NOTLS)) {
        /* unknown, as for the first recipient */
    } else {
        /* A new connection without a TLS line: plaintext, or the failure the text gives. */
        if (s == NULL) {
            s = mt_correlate_get(c, MT_TAB_SESS, sess_key(c, l), &created);
            if (s == NULL)
                return;
        }
        sess_reset(c, s, l, r, MT_DIR_OUT);
        if (failed) {
            s->flags |= MT_S_FAILED;
            CS_SET(s, reason, r->status_text, NULL);
            if (not_offered)
                mt_tls_set_plaintext(t);
        } else if (mt_correlate_has_evidence_h(c, c->line_host, MT_EVID_OUT)) {
            s->flags |= MT_S_PLAIN;
            mt_tls_set_plaintext(t);
        } else {
            s->flags |= MT_S_NOTLS | MT_S_EMITTED; /* TLS logging unproven: no record */
        }
    }
    if (!(s->flags & MT_S_USED)) {
        s->flags |= MT_S_USED;
        CS_SET(s, qid, r->queue_id, NULL);
    }
    mt_correlate_touch(c, MT_TAB_SESS, s);
    mt_correlate_emit_conn(c, s, 0);
    if (!(s->flags & MT_S_FAILED) && m != NULL && t->used != MT_TRI_UNKNOWN) {
        uint32_t id = MT_CTLS_UNKNOWN;
        mt_ctls_set(c, &id, t);
        remember_endpoint(c, l, r, id);
        mt_ctls_copy(c, &id, MT_CTLS_UNKNOWN);
    }
}

/* smtp/lmtp/local/...: one recipient's delivery attempt. */
static void
on_delivery(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    struct mt_cmsg *m = msg_get(c, l, r->queue_id);
    struct mt_event *ev = &c->ev;
    char addr[MT_EV_ADDR_MAX];
    bool local;

    if (m == NULL)
        return;
    mt_correlate_copy(addr, sizeof(addr), r->addr, NULL);
    mt_correlate_first_rcpt(m, addr);
    local = is_local_daemon(r->daemon) || r->relay == MT_PF_RELAY_UNIX ||
            r->relay == MT_PF_RELAY_NAME ||
            (r->relay == MT_PF_RELAY_INET && mt_correlate_is_loopback(r->ip, r->host));
    if (local) {
        if (r->queued_as.len > 0 && r->status == MT_MSG_SENT && r->relay != MT_PF_RELAY_NAME)
            on_reinjected(c, l, r, m);
        return;
    }
    m->flags |= MT_M_OUTBOUND;
    mt_correlate_start_out(c, m, l->time);
    ev->status = r->status;
    mt_correlate_copy(ev->peer_host, sizeof(ev->peer_host), r->host, &ev->flags);
    mt_correlate_copy(ev->peer_ip, sizeof(ev->peer_ip), r->ip, &ev->flags);
    mt_correlate_domain(ev->recipient_domain, sizeof(ev->recipient_domain), addr, &ev->flags);
    if (r->relay == MT_PF_RELAY_INET) {
        c->tab[MT_TAB_MSG].pin = m->h.key;
        out_tls(c, l, r, m, &ev->tls);
        c->tab[MT_TAB_MSG].pin = 0;
    }
    mt_correlate_emit_out(c, m);
}

/* smtp or tlsproxy: "TLS connection established/reused to". */
static void
on_tls_out(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    uint32_t t = MT_CTLS_UNKNOWN;
    struct mt_cendp *e;
    struct mt_csess *s;
    bool created, proxy = IS(r->daemon, "tlsproxy"), dup = false;

    line_tls(c, l, r, &t);
    mt_correlate_set_evidence_h(c, c->line_host, MT_EVID_OUT);
    e = mt_correlate_get(c, MT_TAB_ENDP, endp_key(c, r->ip, r->port), &created);
    if (e != NULL) {
        /* The first handshake through tlsproxy is logged by it and by smtp. */
        dup = !created && !r->reused && (e->flags & MT_E_PROXIED) &&
              l->time - e->t_made <= PROXY_DUP_WINDOW;
        if (dup)
            e->flags &= ~(uint32_t)MT_E_PROXIED;
        else if (!r->reused) {
            e->t_made = l->time;
            e->flags = proxy ? MT_E_PROXIED : 0;
        }
        mt_ctls_copy(c, &e->tls, t);
        e->flags |= MT_E_TLS;
    }
    if (proxy) {
        struct mt_csess tmp;
        if (!r->reused && !dup && !mt_correlate_is_loopback(r->ip, r->host)) {
            memset(&tmp, 0, sizeof(tmp));
            sess_init(&tmp, l, r, MT_DIR_OUT);
            tmp.flags |= MT_S_TLS;
            mt_ctls_copy(c, &tmp.tls, t);
            mt_correlate_emit_conn(c, &tmp, 0);
            mt_correlate_clear_sess(c, &tmp);
        }
        mt_ctls_copy(c, &t, MT_CTLS_UNKNOWN);
        return;
    }
    s = mt_correlate_get(c, MT_TAB_SESS, sess_key(c, l), &created);
    if (s == NULL) {
        mt_ctls_copy(c, &t, MT_CTLS_UNKNOWN);
        return;
    }
    sess_reset(c, s, l, r, MT_DIR_OUT);
    s->flags |= MT_S_TLS;
    s->tls = t; /* the reference moves to the session */
    if (r->reused || dup || is_local_daemon(r->daemon) || mt_correlate_is_loopback(r->ip, r->host))
        s->flags |= MT_S_EMITTED; /* not a new outbound connection */
    else
        mt_correlate_emit_conn(c, s, 0);
}

/* smtp: "SSL_connect error to H[IP]:PORT: why" - reported with the delivery line. */
static void
on_connect_error(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    bool created;
    struct mt_csess *s = mt_correlate_get(c, MT_TAB_SESS, sess_key(c, l), &created);

    if (s == NULL)
        return;
    sess_reset(c, s, l, r, MT_DIR_OUT);
    s->flags |= MT_S_FAILED;
    CS_SET(s, reason, r->reason, NULL);
    if (is_local_daemon(r->daemon) || mt_correlate_is_loopback(r->ip, r->host))
        s->flags |= MT_S_EMITTED;
}

/* qmgr: the message leaves the queue. */
static void
on_removed(struct mt_correlate *c, const struct mt_logline *l, const struct mt_pf_rec *r)
{
    struct mt_cmsg *m = mt_correlate_find(c, MT_TAB_MSG, msg_key(c, r->queue_id));

    if (m == NULL)
        return;
    if ((((m->flags & MT_M_SUSPECT) && !(m->flags & MT_M_COPY)) || (m->flags & MT_M_TLSPEND)) &&
        c->opts.reinject_wait > 0) {
        mt_correlate_set_wait(c, m, c->now + c->opts.reinject_wait);
        return;
    }
    mt_correlate_finish_msg(c, m, 0);
}

/* One Postfix line. */
bool
mt_correlate_postfix(struct mt_correlate *c, const struct mt_logline *l)
{
    struct mt_pf_rec r;
    struct mt_cmsg *m;
    struct mt_csess *s;

    mt_postfix_parse(l->program, l->msg, &r);
    if (r.kind == MT_PF_OTHER)
        return false;
    c->line_host = host_hash(c, l->host);
    c->line_sess = 0;
    switch (r.kind) {
    case MT_PF_OTHER:
        return false;
    case MT_PF_CONNECT:
        on_connect(c, l, &r);
        break;
    case MT_PF_DISCONNECT:
        on_disconnect(c, l, &r);
        break;
    case MT_PF_LOST:
        s = mt_correlate_find(c, MT_TAB_SESS, sess_key(c, l));
        if (s != NULL && s->dir == MT_DIR_IN && !(s->flags & MT_S_TLS) &&
            mt_span_eq(r.reason, MT_SPAN_LIT("STARTTLS"))) {
            s->flags |= MT_S_FAILED;
            if (CS(s, reason)[0] == '\0')
                CS_SET(s, reason, MT_SPAN_LIT("lost connection after STARTTLS"), NULL);
        }
        break;
    case MT_PF_TLS_IN:
        s = in_sess(c, l, &r);
        if (s != NULL) {
            line_tls(c, l, &r, &s->tls);
            s->flags |= MT_S_TLS;
            mt_correlate_set_evidence_h(c, c->line_host, MT_EVID_IN);
        }
        break;
    case MT_PF_SSL_ACCEPT_ERROR:
        s = in_sess(c, l, &r);
        if (s != NULL) {
            s->flags |= MT_S_FAILED;
            if (CS(s, reason)[0] == '\0')
                CS_SET(s, reason, r.reason, NULL);
        }
        break;
    case MT_PF_TLS_WARNING:
        s = mt_correlate_find(c, MT_TAB_SESS, sess_key(c, l));
        if (s != NULL && !(s->flags & MT_S_TLS))
            CS_SET(s, reason, r.reason, NULL);
        break;
    case MT_PF_TLS_OUT:
        on_tls_out(c, l, &r);
        break;
    case MT_PF_SSL_CONNECT_ERROR:
        on_connect_error(c, l, &r);
        break;
    case MT_PF_CLIENT:
        on_client(c, l, &r);
        break;
    case MT_PF_FROM:
    case MT_PF_PICKUP:
        m = msg_get(c, l, r.queue_id);
        if (m != NULL) {
            CS_SET(m, sender, r.addr, &m->evflags);
            m->flags |= MT_M_FROM;
        }
        break;
    case MT_PF_EXPIRED:
        m = mt_correlate_find(c, MT_TAB_MSG, msg_key(c, r.queue_id));
        if (m != NULL && (m->flags & MT_M_OUTBOUND)) {
            mt_correlate_start_out(c, m, l->time);
            c->ev.status = MT_MSG_EXPIRED;
            mt_correlate_copy(c->ev.recipient_domain, sizeof(c->ev.recipient_domain),
                              mt_span_cstr(CS(m, rcpt_domain)), NULL);
            mt_correlate_emit_out(c, m);
        }
        break;
    case MT_PF_DELIVERY:
        on_delivery(c, l, &r);
        break;
    case MT_PF_REMOVED:
        on_removed(c, l, &r);
        break;
    case MT_PF_REJECT:
        m = mt_correlate_find(c, MT_TAB_MSG, msg_key(c, r.queue_id));
        if (m != NULL) {
            m->flags |= MT_M_REJECTED;
            mt_correlate_finish_msg(c, m, 0);
        }
        break;
    case MT_PF_TLS_REQUIRED:
    case MT_PF_MESSAGE_ID:
    case MT_PF_PROXY_CONNECT:
    case MT_PF_PROXY_DISCONNECT:
        break;
    }
    return true;
}
