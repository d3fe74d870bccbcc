/*
 * test_received_golden.c - every real Received: header of
 * tests/golden/received/ parsed and compared with its expected row.
 *
 * Each corpus is a pair NAME-headers.txt (one header per block, blocks
 * separated by one empty line, folding as in the source) and
 * NAME-expected.tsv (a header row naming the columns, then one row per block,
 * in order). Columns: id, tls (yes/no/unknown), protocol, cipher, bits (all
 * as written), with (folding collapsed), from_host, by_host and, where a
 * corpus has them, from_ip, helo, rdns, id_clause, for, time (seconds since
 * the epoch), auth (yes/no), trust, kex, sig. "-" means absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "received.h"
#include "mt_test.h"

#define COLS_MAX 24
#define CELL_MAX 512

/* Reads a whole file (NUL-terminated); NULL on error. */
static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        perror(path);
        if (f != NULL)
            fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* A span as a C string ("-" when empty), folding collapsed. */
static const char *
cell(struct mt_span s, char *dst)
{
    if (s.len == 0)
        return "-";
    if (!mt_span_copy_collapse(s, dst, CELL_MAX))
        return "(too long)";
    return dst[0] ? dst : "-";
}

/* The value the parser gives for a column name, in the TSV's notation. */
static const char *
got_value(const struct mt_received *r, const char *col, char *buf)
{
    if (strcmp(col, "tls") == 0)
        return mt_tri_str(r->tls.used);
    if (strcmp(col, "protocol") == 0)
        return r->tls.protocol_raw[0] ? r->tls.protocol_raw : "-";
    if (strcmp(col, "cipher") == 0)
        return r->tls.cipher_raw[0] ? r->tls.cipher_raw : "-";
    if (strcmp(col, "bits") == 0)
        return cell(r->tls_bits, buf);
    if (strcmp(col, "with") == 0)
        return cell(r->with, buf);
    if (strcmp(col, "from_host") == 0)
        return cell(r->from_host, buf);
    if (strcmp(col, "by_host") == 0)
        return cell(r->by_host, buf);
    if (strcmp(col, "from_ip") == 0)
        return cell(r->from_ip, buf);
    if (strcmp(col, "helo") == 0)
        return cell(r->from_helo, buf);
    if (strcmp(col, "rdns") == 0)
        return cell(r->from_rdns, buf);
    if (strcmp(col, "id_clause") == 0)
        return cell(r->id, buf);
    if (strcmp(col, "for") == 0)
        return cell(r->for_addr, buf);
    if (strcmp(col, "time") == 0) {
        if (r->time < 0)
            return "-";
        snprintf(buf, CELL_MAX, "%lld", (long long)r->time);
        return buf;
    }
    if (strcmp(col, "auth") == 0)
        return r->authenticated ? "yes" : "no";
    if (strcmp(col, "trust") == 0)
        return r->tls.trust == MT_TRUST_UNKNOWN ? "-" : mt_trust_str(r->tls.trust);
    if (strcmp(col, "kex") == 0)
        return r->tls.kex_group[0] ? r->tls.kex_group : "-";
    if (strcmp(col, "sig") == 0)
        return r->tls.signature[0] ? r->tls.signature : "-";
    if (strcmp(col, "tls_bits") == 0) {
        snprintf(buf, CELL_MAX, "%d", r->tls.bits);
        return buf;
    }
    return NULL;
}

/* Splits a TSV line in place; returns the number of cells. */
static size_t
split_tabs(char *line, char **cells)
{
    size_t n = 0;
    char *p = line;

    while (n < COLS_MAX) {
        char *t = strchr(p, '\t');
        cells[n++] = p;
        if (t == NULL)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

/* Next line of a buffer (NUL-terminated in place), or NULL. */
static char *
next_line(char **pos)
{
    char *s = *pos, *nl;

    if (s == NULL || *s == '\0')
        return NULL;
    nl = strchr(s, '\n');
    if (nl != NULL) {
        *nl = '\0';
        *pos = nl + 1;
    } else {
        *pos = s + strlen(s);
    }
    if (nl != NULL && nl > s && nl[-1] == '\r')
        nl[-1] = '\0';
    return s;
}

/* Runs one corpus; returns the number of blocks checked. */
static int
run_corpus(const char *name)
{
    char path[1024], *hdrs, *tsv, *hp, *tp, *line, *cols[COLS_MAX], *row[COLS_MAX];
    size_t hlen, tlen, ncols, k;
    int blocks = 0;

    snprintf(path, sizeof(path), "%s/tests/golden/received/%s-headers.txt", MT_SRCDIR, name);
    hdrs = slurp(path, &hlen);
    snprintf(path, sizeof(path), "%s/tests/golden/received/%s-expected.tsv", MT_SRCDIR, name);
    tsv = slurp(path, &tlen);
    CHECK(hdrs != NULL && tsv != NULL);
    if (hdrs == NULL || tsv == NULL) {
        free(hdrs);
        free(tsv);
        return 0;
    }
    tp = tsv;
    line = next_line(&tp);
    ncols = line ? split_tabs(line, cols) : 0;
    CHECK(ncols >= 8 && strcmp(cols[0], "id") == 0);
    hp = hdrs;
    while (*hp != '\0') {
        char *end = strstr(hp, "\n\n"), buf[CELL_MAX];
        size_t blen = end ? (size_t)(end - hp) : strlen(hp);
        struct mt_received r;
        struct mt_error err;
        enum mt_status st;
        size_t nrow;

        while (blen > 0 && hp[blen - 1] == '\n')
            blen--;
        line = next_line(&tp);
        CHECK(line != NULL);
        if (line == NULL)
            break;
        nrow = split_tabs(line, row);
        CHECK_INT(nrow, ncols);
        st = mt_received_parse(hp, blen, &r, &err);
        if (st != MT_OK) {
            fprintf(stderr, "%s %s: status %s: %s\n", name, row[0], mt_status_str(st), err.msg);
            CHECK(st == MT_OK);
        }
        for (k = 1; k < ncols && k < nrow; k++) {
            const char *g = got_value(&r, cols[k], buf);
            mt_test_checks++;
            if (g == NULL || strcmp(g, row[k]) != 0) {
                mt_test_failures++;
                fprintf(stderr, "%s %s: %s: got \"%s\", want \"%s\"\n", name, row[0], cols[k],
                        g ? g : "(unknown column)", row[k]);
            }
        }
        blocks++;
        hp = end ? end + 2 : hp + blen;
        while (*hp == '\n')
            hp++;
    }
    CHECK(next_line(&tp) == NULL); /* as many rows as blocks */
    free(hdrs);
    free(tsv);
    return blocks;
}

int
main(void)
{
    int n = run_corpus("received");

    fprintf(stderr, "received: %d blocks\n", n);
    CHECK(n == 172);
    n = run_corpus("extra");
    fprintf(stderr, "extra: %d blocks\n", n);
    CHECK(n >= 60);
    return mt_test_done();
}
