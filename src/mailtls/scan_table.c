/*
 * scan_table.c - `mailtls scan` for people: one row per message with its
 * trusted hop, the verdict first. Rows are buffered in batches; the first
 * batch sizes the columns. A value wider than its column's cap is cut with
 * "..." (file names keep their end, the rest their start); the last column,
 * the Message-ID, is never cut. Everything printed went through
 * mt_text_clean(MT_TEXT_TERMINAL). --json has every value in full.
 */
#include <stdlib.h>
#include <string.h>

#include "scan.h"

#define NCOL  6
#define BATCH 256

enum { C_SOURCE, C_VERDICT, C_PROTOCOL, C_CIPHER, C_FROM, C_MSGID };

static const char *const heads[NCOL] = { "SOURCE", "VERDICT", "PROTOCOL",
                                         "CIPHER", "FROM",    "MESSAGE-ID" };
static const size_t caps[NCOL] = { 36, 25, 16, 45, 48, 0 };

struct row {
    char *f[NCOL];
};

struct mt_scan_table {
    FILE *out;
    struct row rows[BATCH];
    size_t n;
    size_t width[NCOL];
    bool sized; /* the header line is out and the widths are fixed */
    struct mt_text text;
};

/* Makes a table writing to out. */
struct mt_scan_table *
mt_scan_table_new(FILE *out)
{
    struct mt_scan_table *t = calloc(1, sizeof(*t));

    if (t != NULL)
        t->out = out;
    return t;
}

/* Columns a UTF-8 string takes (code points; good enough for names). */
static size_t
columns(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* Cuts s to at most cap columns with "...", keeping its end or its start. */
static void
cut(char *s, size_t cap, bool keep_end)
{
    size_t cols = columns(s), skip, i = 0;

    if (cap == 0 || cols <= cap)
        return;
    if (keep_end) {
        /* Drop the first cols - (cap - 3) code points. */
        for (skip = cols - (cap - 3); skip > 0; skip--)
            for (i++; ((unsigned char)s[i] & 0xc0) == 0x80; i++)
                ;
        memmove(s + 3, s + i, strlen(s + i) + 1);
        memcpy(s, "...", 3);
    } else {
        for (skip = cap - 3; skip > 0; skip--)
            for (i++; ((unsigned char)s[i] & 0xc0) == 0x80; i++)
                ;
        memcpy(s + i, "...", 4);
    }
}

/* A cleaned copy of span s, or of "-" when empty. */
static char *
cell(struct mt_scan_table *t, struct mt_span s, enum mt_status *st)
{
    enum mt_status r = mt_text_clean(&t->text, s, MT_TEXT_TERMINAL);

    if (r != MT_OK) {
        *st = r;
        return NULL;
    }
    return strdup(t->text.len > 0 ? t->text.p : "-");
}

/* Prints one row padded to the widths. */
static void
print_row(struct mt_scan_table *t, const char *const *f)
{
    size_t i, w;

    for (i = 0; i < NCOL; i++) {
        fputs(f[i], t->out);
        if (i + 1 == NCOL)
            break;
        /* Two spaces at least: a later batch may hold wider values. */
        w = columns(f[i]);
        for (w = w <= t->width[i] ? t->width[i] + 2 - w : 2; w > 0; w--)
            putc(' ', t->out);
    }
    putc('\n', t->out);
}

/* Prints the buffered rows (sizing the columns the first time). */
static enum mt_status
flush(struct mt_scan_table *t)
{
    size_t i, k;

    if (!t->sized) {
        for (k = 0; k < NCOL; k++) {
            t->width[k] = strlen(heads[k]);
            for (i = 0; i < t->n; i++) {
                size_t w = columns(t->rows[i].f[k]);
                if (w > t->width[k])
                    t->width[k] = w;
            }
        }
        print_row(t, heads);
        t->sized = true;
    }
    for (i = 0; i < t->n; i++) {
        print_row(t, (const char *const *)t->rows[i].f);
        for (k = 0; k < NCOL; k++)
            free(t->rows[i].f[k]);
    }
    t->n = 0;
    return ferror(t->out) ? MT_EIO : MT_OK;
}

/* "host [ip]" of a hop view into t->text (cleaned). */
static enum mt_status
from_text(struct mt_scan_table *t, const struct mt_hop_view *v)
{
    struct mt_text ip = { 0 };
    enum mt_status st = mt_text_clean(&t->text, v->host, MT_TEXT_TERMINAL);

    if (st != MT_OK || v->ip.len == 0)
        return st;
    if ((st = mt_text_clean(&ip, v->ip, MT_TEXT_TERMINAL)) == MT_OK) {
        if (t->text.len > 0)
            st = mt_text_append(&t->text, " ", 1);
        if (st == MT_OK)
            st = mt_text_append(&t->text, "[", 1);
        if (st == MT_OK)
            st = mt_text_append(&t->text, ip.p, ip.len);
        if (st == MT_OK)
            st = mt_text_append(&t->text, "]", 1);
    }
    mt_text_free(&ip);
    return st;
}

/* Adds the row of one message. */
enum mt_status
mt_scan_table_add(struct mt_scan_table *t, const struct mt_scan_msg *m)
{
    const struct mt_hops *h = m->hops;
    struct row *r = &t->rows[t->n];
    enum mt_status st;
    char verdict[64];
    size_t k;

    memset(r, 0, sizeof(*r));
    st = mt_scan_source(&t->text, m, MT_TEXT_TERMINAL);
    r->f[C_SOURCE] = st == MT_OK ? strdup(t->text.p) : NULL;
    r->f[C_MSGID] = cell(t, h->message_id, &st);
    if (h->trusted >= 0) {
        struct mt_hop_view v;
        mt_hop_view(&h->hop[h->trusted], &v);
        if (st == MT_OK && (st = from_text(t, &v)) == MT_OK)
            r->f[C_FROM] = strdup(t->text.len > 0 ? t->text.p : "-");
        r->f[C_PROTOCOL] = strdup(v.protocol != NULL ? v.protocol : "-");
        r->f[C_CIPHER] = cell(t, mt_span_cstr(v.cipher != NULL ? v.cipher : v.cipher_raw), &st);
        snprintf(verdict, sizeof(verdict), "%s%s", mt_verdict_str(v.verdict),
                 h->verified ? "" : " (not verified)");
        r->f[C_VERDICT] = strdup(verdict);
    } else {
        r->f[C_FROM] = strdup(h->n == 0 ? "(no Received: fields)" : "(no sending hop)");
        r->f[C_PROTOCOL] = strdup("-");
        r->f[C_CIPHER] = strdup("-");
        r->f[C_VERDICT] = strdup("-");
    }
    for (k = 0; k < NCOL && r->f[k] != NULL; k++)
        cut(r->f[k], caps[k], k == C_SOURCE);
    if (k < NCOL) {
        for (k = 0; k < NCOL; k++)
            free(r->f[k]);
        return st != MT_OK ? st : MT_ENOMEM;
    }
    t->n++;
    return t->n == BATCH ? flush(t) : MT_OK;
}

/* Prints what is left. */
enum mt_status
mt_scan_table_finish(struct mt_scan_table *t)
{
    return t->n > 0 ? flush(t) : MT_OK;
}

/* Frees the table and unprinted rows. */
void
mt_scan_table_free(struct mt_scan_table *t)
{
    size_t i, k;

    if (t == NULL)
        return;
    for (i = 0; i < t->n; i++)
        for (k = 0; k < NCOL; k++)
            free(t->rows[i].f[k]);
    mt_text_free(&t->text);
    free(t);
}
