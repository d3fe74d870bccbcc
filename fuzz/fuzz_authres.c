/*
 * fuzz_authres.c - Authentication-Results parsing and the SPF decision on
 * arbitrary bytes. Besides crashes and hangs it checks that every span lies
 * inside the input, that counts stay within their limits, and that a pass
 * is only ever reported for a result that really is spf=pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authres.h"
#include "policy.h"

/* Aborts unless s is empty or inside [p, p + n). */
static void
inside(struct mt_span s, const char *p, size_t n)
{
    if (s.len == 0)
        return;
    if (s.p < p || s.len > n || s.p + s.len > p + n)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct mt_authres ar;
    size_t i, j;
    bool any_pass = false;

    (void)mt_authres_parse(p, size, &ar, NULL);
    if (ar.n > MT_AUTHRES_RESULTS)
        abort();
    inside(ar.authserv_id, p, size);
    for (i = 0; i < ar.n; i++) {
        const struct mt_authres_result *r = &ar.res[i];
        inside(r->method, p, size);
        inside(r->result, p, size);
        inside(r->reason, p, size);
        if (r->n_prop > MT_AUTHRES_PROPS || r->method.len == 0 || r->result.len == 0)
            abort();
        for (j = 0; j < r->n_prop; j++) {
            inside(r->prop[j].ptype, p, size);
            inside(r->prop[j].property, p, size);
            inside(r->prop[j].value, p, size);
        }
        if (mt_span_ieq(r->method, "spf") && mt_span_ieq(r->result, "pass"))
            any_pass = true;
    }
    if (mt_authres_spf_pass(&ar, MT_SPAN_LIT("example.org")) && !any_pass)
        abort();

    /* The same bytes as a field of a message, through the policy. */
    {
        static const char *const mine[] = { "example.net" };
        struct mt_policy_conf c;
        struct mt_policy_msg m;
        memset(&c, 0, sizeof(c));
        memset(&m, 0, sizeof(m));
        c.my_domains.v = mine;
        c.my_domains.n = 1;
        c.authserv_id = "mx.example.net";
        c.triggers = ~0u;
        m.sender = MT_SPAN_LIT("alice@example.org");
        m.client_addr = MT_SPAN_LIT("192.0.2.1");
        m.hop_verified = true;
        m.verdict = MT_VERDICT_PLAINTEXT;
        mt_policy_field(&m, &c, MT_SPAN_LIT("Authentication-Results"), mt_span(p, size), true);
        if (m.spf_pass && !any_pass)
            abort();
        (void)mt_policy_decide(&c, &m);
    }
    return 0;
}
