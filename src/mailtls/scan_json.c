/*
 * scan_json.c - `mailtls scan --json`: one JSON object per message per line,
 * the contract in DESIGN.md ("Machine-readable output") and mailtls(1).
 * Strings go through mt_text_clean(), so the output is valid UTF-8 even for
 * header bytes that are not.
 */
#include <json-c/json.h>

#include "scan.h"

/* A JSON string of a span (cleaned), or JSON null for an empty span. */
static json_object *
jspan(struct mt_span s, struct mt_text *scratch, enum mt_status *st)
{
    enum mt_status r;

    if (s.len == 0)
        return NULL;
    r = mt_text_clean(scratch, s, 0);
    if (r != MT_OK) {
        *st = r;
        return NULL;
    }
    if (scratch->len == 0)
        return NULL;
    return json_object_new_string_len(scratch->p, (int)scratch->len);
}

/* A JSON string of a C string, or null. */
static json_object *
jstr(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

/* The "tls" object of a hop. */
static json_object *
tls_object(const struct mt_received *r, const struct mt_hop_view *v)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "used", jstr(mt_tri_str(r->tls.used)));
    json_object_object_add(o, "protocol", jstr(v->protocol));
    json_object_object_add(o, "cipher", jstr(v->cipher));
    json_object_object_add(o, "cipher_raw", jstr(v->cipher_raw));
    json_object_object_add(o, "bits", r->tls.bits >= 0 ? json_object_new_int(r->tls.bits) : NULL);
    json_object_object_add(o, "pfs", jstr(mt_tri_str(v->pfs)));
    json_object_object_add(o, "trust", jstr(mt_trust_str(r->tls.trust)));
    json_object_object_add(o, "verdict", jstr(mt_verdict_str(v->verdict)));
    return o;
}

/* The object of one hop. */
static json_object *
hop_object(const struct mt_received *r, struct mt_text *scratch, enum mt_status *st)
{
    struct mt_hop_view v;
    json_object *o = json_object_new_object(), *from = json_object_new_object();

    mt_hop_view(r, &v);
    json_object_object_add(from, "host", jspan(v.host, scratch, st));
    json_object_object_add(from, "helo", jspan(v.helo, scratch, st));
    json_object_object_add(from, "ip", jspan(v.ip, scratch, st));
    json_object_object_add(o, "from", from);
    json_object_object_add(o, "by", jspan(r->by_host, scratch, st));
    json_object_object_add(o, "with", jspan(r->with, scratch, st));
    json_object_object_add(o, "tls", tls_object(r, &v));
    return o;
}

/* Writes one message as a JSON line. */
enum mt_status
mt_scan_json(FILE *out, const struct mt_scan_msg *m, struct mt_text *scratch)
{
    const struct mt_hops *h = m->hops;
    json_object *o = json_object_new_object(), *hops = json_object_new_array();
    enum mt_status st = MT_OK;
    const char *line;
    size_t i;

    if (o == NULL || hops == NULL) {
        json_object_put(o);
        json_object_put(hops);
        return MT_ENOMEM;
    }
    st = mt_scan_source(scratch, m, 0);
    json_object_object_add(o, "source",
                           st == MT_OK ? json_object_new_string_len(scratch->p, (int)scratch->len)
                                       : NULL);
    json_object_object_add(o, "message_id", jspan(h->message_id, scratch, &st));
    for (i = 0; i < h->n; i++)
        json_object_array_add(hops, hop_object(&h->hop[i], scratch, &st));
    json_object_object_add(o, "hops", hops);
    json_object_object_add(o, "trusted_hop",
                           h->trusted >= 0 ? json_object_new_int(h->trusted) : NULL);
    json_object_object_add(o, "verified", json_object_new_boolean(h->verified));
    json_object_object_add(o, "verdict",
                           h->trusted >= 0
                               ? jstr(mt_verdict_str(mt_tls_verdict(&h->hop[h->trusted].tls, NULL)))
                               : NULL);
    line =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (st == MT_OK && line == NULL)
        st = MT_ENOMEM;
    if (st == MT_OK && (fputs(line, out) == EOF || putc('\n', out) == EOF))
        st = MT_EIO;
    json_object_put(o);
    return st;
}
