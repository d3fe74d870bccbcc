#!/bin/bash
# db-cmd.sh MAILTLS - `mailtls db` over a store that `mailtls notify` filled:
# domains (table, --json, --sort, --verdict), show, notices, suppress,
# unsuppress, suppressions, purge, export --json, and errors.
set -u
. "$(dirname "$0")/../lib/common.sh"
mailtls=$(readlink -f "$1")
t_init

printf '#!/bin/sh\ncat >/dev/null\n' >"$T/sendmail"
chmod 755 "$T/sendmail"
t_conf "$T/c.conf" "$T" "notify = yes" "notice_from = postmaster@example.org" \
    "sendmail_path = $T/sendmail"
db() { "$mailtls" -c "$T/c.conf" db "$@"; }

# feed SENDER IP TLS-COMMENT: one message through notify.
feed() {
    t_message "$1" "$2" "mx.${1#*@}" 4ABC "$3" |
        "$mailtls" -c "$T/c.conf" notify --sender "$1" --client-address "$2" --client-helo h \
            --queue-id Q --sasl-method "" || echo "FAIL: notify exit $?" >&2
}

check "no store yet: db domains fails clearly" bash -c "! '$mailtls' -c '$T/c.conf' db domains 2>'$T/err' && grep -q 'no database' '$T/err'"

T13='(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))'
T10='(using TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits))'
feed a@plain.example 192.0.2.1 ""
feed b@plain.example 192.0.2.1 ""
feed c@plain.example 192.0.2.1 ""
feed a@modern.example 192.0.2.2 "$T13"
feed b@modern.example 192.0.2.2 "$T13"
feed a@old.example 192.0.2.3 "$T10"

out=$(db domains)
check "domains: header" grep -q '^DOMAIN *MESSAGES *TLS *PLAINTEXT' <<<"$out"
check "domains: sorted by messages" [ "$(sed -n 2p <<<"$out" | awk '{print $1, $2, $3, $4}')" = "plain.example 3 0 3" ]
check "domains: three rows" [ "$(wc -l <<<"$out")" = 4 ]
check "domains --sort=domain" [ "$(db domains --sort=domain | awk 'NR>1 {print $1}' | tr '\n' ' ')" = "modern.example old.example plain.example " ]
check "domains --verdict plaintext" [ "$(db domains --verdict plaintext | awk 'NR>1 {print $1}')" = "plain.example" ]
check "domains --verdict deprecated" [ "$(db domains --verdict deprecated | awk 'NR>1 {print $1}')" = "old.example" ]
check "domains --verdict bogus fails" bash -c "! '$mailtls' -c '$T/c.conf' db domains --verdict bogus 2>/dev/null"
check "domains --sort=bogus fails" bash -c "! '$mailtls' -c '$T/c.conf' db domains --sort=bogus 2>/dev/null"
db domains --json >"$T/d.json"
check "domains --json: one valid object per line" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 3, rows
m = {r["domain"]: r for r in rows}
assert m["modern.example"]["tls"] == 2 and m["modern.example"]["plaintext"] == 0
assert m["modern.example"]["best"]["protocol"] == "TLSv1.3"
assert m["plain.example"]["last_tls"] is None and m["plain.example"]["plaintext"] == 3
assert m["plain.example"]["notices"] == 4, m["plain.example"]
assert m["old.example"]["verdicts"]["deprecated"] == 1
for r in rows:
    for k in ("domain", "messages", "tls", "plaintext", "first_seen", "last_seen", "last_tls", "notices"):
        assert k in r, (k, r)
' "$T/d.json"

out=$(db show modern.example)
for k in domain messages tls plaintext first_seen last_seen last_tls notices; do
    check "show has $k" grep -q "^$k " <<<"$out"
done
check "show counts" grep -q '^messages *2$' <<<"$out"
check "show --json" python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["domain"] == "modern.example" and d["messages"] == 2 and d["suppressed"] is False
assert d["last_tls"].endswith("Z")
' < <(db show MODERN.example --json)
check "show of an unknown domain fails" bash -c "! '$mailtls' -c '$T/c.conf' db show nosuch.example 2>/dev/null"

out=$(db notices)
check "notices: four (sender + postmaster for plain, one more sender; old: two)" [ "$(($(wc -l <<<"$out") - 1))" = 6 ]
check "notices of a domain" [ "$(db notices old.example --json | wc -l)" = 2 ]
check "notices --json carry no address" bash -c "! db() { :; }; ! '$mailtls' -c '$T/c.conf' db notices --json | grep -q '@'"

check "suppress domain" db suppress Plain.Example
check "suppress address" db suppress someone@old.example
check "suppress refuses junk" bash -c "! '$mailtls' -c '$T/c.conf' db suppress 'x@y\\nz' 2>/dev/null"
out=$(db suppressions)
check "suppressions listed" [ "$(($(wc -l <<<"$out") - 1))" = 2 ]
check "suppressed domain is lower case" grep -q '^domain *plain.example' <<<"$out"
check "suppressed address is hashed" bash -c "! grep -q someone <<<'$out'"
check "show says suppressed" grep -q '^suppressed *yes' < <(db show plain.example)
check "unsuppress" db unsuppress plain.example
check "unsuppress again fails" bash -c "! '$mailtls' -c '$T/c.conf' db unsuppress plain.example 2>/dev/null"
check "unsuppress address" db unsuppress SomeOne@old.example

# Age the old.example data beyond retention (400 days), then purge.
sqlite3 "$T/mailtls.db" "UPDATE observations SET time = time - 500*86400 WHERE domain = 'old.example';
  UPDATE domains SET last_seen = last_seen - 500*86400 WHERE domain = 'old.example';
  UPDATE hosts SET last_seen = last_seen - 500*86400 WHERE ip = '192.0.2.3';
  UPDATE notices SET time = time - 500*86400 WHERE domain = 'old.example';"
out=$(db purge)
check "purge counts ($out)" [ "$out" = "purged observations=1 notices=2 domains=1 hosts=1 slots=0" ]
check "purged domain gone" bash -c "! '$mailtls' -c '$T/c.conf' db show old.example 2>/dev/null"
check "others kept" db show plain.example

db export --json >"$T/e.json"
check "export --json" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
types = [r["type"] for r in rows]
assert types.count("domain") == 2, types
assert types.count("observation") == 5, types
assert types.count("notice") == 4, types
assert all("@" not in json.dumps(r) for r in rows)
' "$T/e.json"
check "export without --json is refused" bash -c "! '$mailtls' -c '$T/c.conf' db export 2>/dev/null"
check "unknown subcommand" bash -c "! '$mailtls' -c '$T/c.conf' db frobnicate 2>/dev/null"
check "-c after the subcommand name" "$mailtls" db -c "$T/c.conf" domains --json

t_done
