/* scan_view.c - the display facts of a hop, shared by the scan writers. */
#include <stdio.h>
#include <string.h>

#include "cipher.h"
#include "scan.h"

/* Fills the view of one hop. */
void
mt_hop_view(const struct mt_received *r, struct mt_hop_view *v)
{
    const struct mt_tls *t = &r->tls;

    memset(v, 0, sizeof(*v));
    v->host = r->from_rdns.len > 0 ? r->from_rdns : r->from_host;
    if (r->from_helo.len > 0)
        v->helo = r->from_helo;
    else if (r->from_rdns.len > 0 && !mt_span_eq(r->from_rdns, r->from_host))
        v->helo = r->from_host; /* "from HELO (RDNS [IP])" */
    v->ip = r->from_ip;
    if (t->proto_min != MT_PROTO_NONE && t->proto_min == t->proto_max) {
        v->protocol = mt_proto_str(t->proto_min);
    } else if (t->proto_min != MT_PROTO_NONE || t->proto_max != MT_PROTO_NONE) {
        const char *lo = mt_proto_str(t->proto_min), *hi = mt_proto_str(t->proto_max);
        snprintf(v->protobuf, sizeof(v->protobuf), "%s-%s", lo ? lo : "?", hi ? hi : "?");
        v->protocol = v->protobuf;
    }
    v->cipher = t->cipher != NULL ? t->cipher->iana : NULL;
    v->cipher_raw = t->cipher_raw[0] != '\0' ? t->cipher_raw : NULL;
    v->pfs = mt_tls_pfs(t);
    v->verdict = mt_tls_verdict(t, NULL);
}

/* "source" or "source:index". */
enum mt_status
mt_scan_source(struct mt_text *t, const struct mt_scan_msg *m, unsigned flags)
{
    char num[32];
    enum mt_status st = mt_text_clean(t, mt_span_cstr(m->source), flags);

    if (st != MT_OK || m->index == 0)
        return st;
    return mt_text_append(t, num, (size_t)snprintf(num, sizeof(num), ":%zu", m->index));
}
