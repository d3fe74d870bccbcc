/*
 * summary.c - `mailtls scan --summary`: what the trusted hops of all
 * messages say, counted per verdict, protocol, cipher and sending domain
 * (the registrable-looking domain of the trusted hop's sender, domain.h).
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "domain.h"
#include "scan.h"
#include "tally.h"

struct mt_summary {
    uint64_t messages, verified, unverified, no_hop;
    uint64_t verdict[MT_VERDICT_COUNT];
    struct mt_tally protocols, ciphers, domains;
    struct mt_text text; /* a cipher name as written, made safe */
    char key[256];
};

/* Verdicts worst first, the order of every listing. */
static const enum mt_verdict order[MT_VERDICT_COUNT] = {
    MT_VERDICT_PLAINTEXT, MT_VERDICT_INSECURE, MT_VERDICT_DEPRECATED,
    MT_VERDICT_LEGACY,    MT_VERDICT_OK,       MT_VERDICT_UNKNOWN,
};

/* An empty summary. */
struct mt_summary *
mt_summary_new(void)
{
    return calloc(1, sizeof(struct mt_summary));
}

/* The domain key of a hop: lower-case registrable domain, or "(unknown)". */
static struct mt_span
domain_key(struct mt_summary *s, struct mt_span host)
{
    struct mt_span d = mt_domain_registrable(host);
    size_t i;

    if (d.len == 0 || d.len >= sizeof(s->key))
        return MT_SPAN_LIT("(unknown)");
    for (i = 0; i < d.len; i++) {
        int c = (unsigned char)d.p[i];
        if (!mt_is_alnum(c) && c != '-' && c != '.' && c != '_')
            return MT_SPAN_LIT("(unknown)");
        s->key[i] = (char)mt_to_lower(c);
    }
    return mt_span(s->key, d.len);
}

/* Counts one message. */
enum mt_status
mt_summary_add(struct mt_summary *s, const struct mt_scan_msg *m)
{
    const struct mt_hops *h = m->hops;
    const struct mt_received *hop;
    struct mt_hop_view v;
    struct mt_span proto, cipher;
    enum mt_status st;

    s->messages++;
    if (h->trusted < 0) {
        s->no_hop++;
        return MT_OK;
    }
    hop = &h->hop[h->trusted];
    if (h->verified)
        s->verified++;
    else
        s->unverified++;
    mt_hop_view(hop, &v);
    s->verdict[v.verdict]++;
    if (hop->tls.used == MT_TRI_NO) {
        proto = MT_SPAN_LIT("none");
        cipher = MT_SPAN_LIT("none");
    } else {
        proto = v.protocol != NULL ? mt_span_cstr(v.protocol) : MT_SPAN_LIT("unknown");
        if (v.cipher != NULL) { /* a name from the table: plain ASCII */
            cipher = mt_span_cstr(v.cipher);
        } else {
            if ((st = mt_text_clean(&s->text, mt_span_cstr(v.cipher_raw), MT_TEXT_TERMINAL)) !=
                MT_OK)
                return st;
            cipher = s->text.len > 0 ? mt_span(s->text.p, s->text.len) : MT_SPAN_LIT("unknown");
        }
    }
    if ((st = mt_tally_add(&s->protocols, proto, v.verdict)) != MT_OK ||
        (st = mt_tally_add(&s->ciphers, cipher, v.verdict)) != MT_OK ||
        (st = mt_tally_add(&s->domains, domain_key(s, v.host), v.verdict)) != MT_OK)
        return st;
    return MT_OK;
}

/* Percentage of part in whole. */
static double
pct(uint64_t part, uint64_t whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

/* One count table: KEY MESSAGES % (verdict columns when by_verdict). */
static void
print_tally(FILE *out, const struct mt_tally *t, const char *title, uint64_t whole, size_t top,
            bool by_verdict)
{
    struct mt_tally_row *rows;
    size_t n = mt_tally_sorted(t, &rows), i, k, w = strlen(title), shown;

    shown = top > 0 && top < n ? top : n;
    for (i = 0; i < shown; i++)
        if (rows[i].key_len > w)
            w = rows[i].key_len;
    fprintf(out, "\n%-*s  %9s  %6s", (int)w, title, "MESSAGES", "%");
    if (by_verdict)
        for (k = 0; k < MT_VERDICT_COUNT; k++)
            fprintf(out, "  %10s", mt_verdict_str(order[k]));
    putc('\n', out);
    for (i = 0; i < shown; i++) {
        fprintf(out, "%-*s  %9llu  %5.1f%%", (int)w, rows[i].key,
                (unsigned long long)rows[i].count->n, pct(rows[i].count->n, whole));
        if (by_verdict)
            for (k = 0; k < MT_VERDICT_COUNT; k++)
                fprintf(out, "  %10llu", (unsigned long long)rows[i].count->verdict[order[k]]);
        putc('\n', out);
    }
    if (shown < n)
        fprintf(out, "(%zu more; --top 0 shows all)\n", n - shown);
    free(rows);
}

/* The summary as tables. */
static void
print_text(const struct mt_summary *s, FILE *out, size_t top)
{
    uint64_t with_hop = s->verified + s->unverified;
    size_t k;

    fprintf(out, "messages                      %9llu\n", (unsigned long long)s->messages);
    fprintf(out, "  trusted hop verified        %9llu\n", (unsigned long long)s->verified);
    fprintf(out, "  trusted hop not verified    %9llu\n", (unsigned long long)s->unverified);
    fprintf(out, "  without a sending hop       %9llu\n", (unsigned long long)s->no_hop);
    fprintf(out, "\n%-10s  %9s  %6s\n", "VERDICT", "MESSAGES", "%");
    for (k = 0; k < MT_VERDICT_COUNT; k++)
        fprintf(out, "%-10s  %9llu  %5.1f%%\n", mt_verdict_str(order[k]),
                (unsigned long long)s->verdict[order[k]], pct(s->verdict[order[k]], with_hop));
    print_tally(out, &s->protocols, "PROTOCOL", with_hop, top, false);
    print_tally(out, &s->ciphers, "CIPHER", with_hop, top, false);
    print_tally(out, &s->domains, "SENDING DOMAIN", with_hop, top, true);
}

/* A verdict -> count object. */
static json_object *
verdicts_object(const uint64_t *counts)
{
    json_object *o = json_object_new_object();
    size_t k;

    for (k = 0; k < MT_VERDICT_COUNT; k++)
        json_object_object_add(o, mt_verdict_str(order[k]),
                               json_object_new_int64((int64_t)counts[order[k]]));
    return o;
}

/* A tally as an array of {name: key, messages: n[, verdicts]}. */
static json_object *
tally_array(const struct mt_tally *t, const char *name, bool by_verdict)
{
    struct mt_tally_row *rows;
    size_t n = mt_tally_sorted(t, &rows), i;
    json_object *a = json_object_new_array();

    for (i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, name,
                               json_object_new_string_len(rows[i].key, (int)rows[i].key_len));
        json_object_object_add(o, "messages", json_object_new_int64((int64_t)rows[i].count->n));
        if (by_verdict)
            json_object_object_add(o, "verdicts", verdicts_object(rows[i].count->verdict));
        json_object_array_add(a, o);
    }
    free(rows);
    return a;
}

/* The summary as one JSON object. */
static enum mt_status
print_json(const struct mt_summary *s, FILE *out)
{
    json_object *o = json_object_new_object();
    const char *line;
    enum mt_status st = MT_OK;

    json_object_object_add(o, "messages", json_object_new_int64((int64_t)s->messages));
    json_object_object_add(o, "verified", json_object_new_int64((int64_t)s->verified));
    json_object_object_add(o, "not_verified", json_object_new_int64((int64_t)s->unverified));
    json_object_object_add(o, "no_hops", json_object_new_int64((int64_t)s->no_hop));
    json_object_object_add(o, "verdicts", verdicts_object(s->verdict));
    json_object_object_add(o, "protocols", tally_array(&s->protocols, "protocol", false));
    json_object_object_add(o, "ciphers", tally_array(&s->ciphers, "cipher", false));
    json_object_object_add(o, "domains", tally_array(&s->domains, "domain", true));
    line =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    if (line == NULL)
        st = MT_ENOMEM;
    else if (fputs(line, out) == EOF || putc('\n', out) == EOF)
        st = MT_EIO;
    json_object_put(o);
    return st;
}

/* Prints the summary. */
enum mt_status
mt_summary_print(const struct mt_summary *s, FILE *out, bool json, size_t top)
{
    enum mt_status st = MT_OK;

    if (json)
        st = print_json(s, out);
    else
        print_text(s, out, top);
    if (st == MT_OK && ferror(out))
        st = MT_EIO;
    return st;
}

/* Frees. */
void
mt_summary_free(struct mt_summary *s)
{
    if (s == NULL)
        return;
    mt_tally_free(&s->protocols);
    mt_tally_free(&s->ciphers);
    mt_tally_free(&s->domains);
    mt_text_free(&s->text);
    free(s);
}
