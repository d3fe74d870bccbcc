/*
 * test_tls_corpus.c - every protocol and cipher spelling of the real
 * Received: corpus is understood.
 *
 *   test_tls_corpus EXPECTED.tsv...
 *
 * Reads the expected-parse tables of tests/golden/received (columns id, tls,
 * protocol, cipher, ... with a header line; "-" when the header does not
 * say) and checks that mt_proto_parse() knows every protocol and
 * mt_cipher_lookup() every cipher - except "OTHER", which names nothing and
 * must not be found - and that every such hop gets a verdict other than
 * "unknown" unless its cipher is "OTHER" or missing.
 */
#include <stdio.h>
#include <string.h>

#include "cipher.h"
#include "mt_test.h"
#include "tls.h"

/* Checks one table; returns the number of rows with a protocol or cipher. */
static unsigned
check_table(const char *path)
{
    FILE *fp = fopen(path, "r");
    char buf[4096];
    unsigned long line = 0;
    unsigned used = 0;

    if (fp == NULL) {
        perror(path);
        mt_test_failures++;
        return 0;
    }
    while (fgets(buf, sizeof(buf), fp) != NULL) {
        char *save = NULL, *id, *tls, *proto, *cipher;
        struct mt_tls t;
        enum mt_proto lo, hi;
        enum mt_verdict v;

        line++;
        id = strtok_r(buf, "\t\n", &save);
        tls = strtok_r(NULL, "\t\n", &save);
        proto = strtok_r(NULL, "\t\n", &save);
        cipher = strtok_r(NULL, "\t\n", &save);
        if (line == 1 || id == NULL || tls == NULL || proto == NULL || cipher == NULL)
            continue;
        if (strcmp(proto, "-") == 0 && strcmp(cipher, "-") == 0)
            continue;
        used++;
        mt_tls_init(&t);
        if (strcmp(proto, "-") != 0) {
            mt_test_checks++;
            if (!mt_proto_parse(proto, strlen(proto), &lo, &hi) ||
                !mt_tls_set_protocol(&t, proto, strlen(proto))) {
                mt_test_failures++;
                fprintf(stderr, "%s:%lu: %s: protocol \"%s\" not recognised\n", path, line, id,
                        proto);
            }
        }
        if (strcmp(cipher, "-") != 0) {
            bool want = strcmp(cipher, "OTHER") != 0;
            mt_test_checks++;
            if (mt_tls_set_cipher(&t, cipher, strlen(cipher)) != want) {
                mt_test_failures++;
                fprintf(stderr, "%s:%lu: %s: cipher \"%s\" %s\n", path, line, id, cipher,
                        want ? "not found" : "found, but it names nothing");
            }
        }
        v = mt_tls_verdict(&t, NULL);
        mt_test_checks++;
        if (t.cipher != NULL && v == MT_VERDICT_UNKNOWN) {
            mt_test_failures++;
            fprintf(stderr, "%s:%lu: %s: %s %s: verdict unknown with a known cipher\n", path, line,
                    id, proto, cipher);
        }
    }
    fclose(fp);
    return used;
}

int
main(int argc, char **argv)
{
    unsigned n = 0;
    int i;

    for (i = 1; i < argc; i++)
        n += check_table(argv[i]);
    fprintf(stderr, "%u hops with TLS details\n", n);
    CHECK(n >= 50); /* the tables were read */
    return mt_test_done();
}
