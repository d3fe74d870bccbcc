#!/bin/bash
# report-db.sh MAILTLS SRCDIR - `mailtls report --db` on a store filled by
# real `mailtls notify` runs (as pipe(8) runs them, without Postfix): seven
# messages of known TLS from five sending domains, then every format with
# the aggregates they must give, --since/--until, --my-hostname, the facts
# that must show as not available, and the errors.
set -u
. "$(dirname "$0")/../lib/common.sh"
mailtls=$(readlink -f "$1")
src=$(readlink -f "$2")
t_init
t_conf "$T/c.conf" "$T" "notify = no" "sendmail_path = /bin/false"

# deliver SENDER IP RDNS QUEUE-ID TLS-COMMENT: one message through notify.
# TLS-COMMENT is what our Postfix writes into its Received: field ("" for
# plaintext); the comment line may name a Sendmail-style version= too.
deliver() {
    t_message "$@" >"$T/msg"
    "$mailtls" -c "$T/c.conf" notify --sender "$1" --client-address "$2" \
        --client-helo "$3" --queue-id "$4" --sasl-method "" <"$T/msg" 2>>"$T/notify.err" ||
        fail "notify $4 exited $?"
}

T13='(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits)) (No client certificate requested)'
T12='(using TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)) (Client CN "mail.plain.example", Issuer "R3" (not verified))'
T10='(using TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)) (No client certificate requested)'
TSM='(version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NO)'
deliver alice@sender.example 192.0.2.10 mail.sender.example A1 "$T13"
deliver alan@sender.example 192.0.2.10 mail.sender.example A2 "$T13"
deliver bob@old.example 198.51.100.7 smtp.old.example B1 "$T10"
deliver carol@plain.example 203.0.113.5 mail.plain.example C1 "$T12"
deliver carl@plain.example 203.0.113.6 unknown C2 ""
deliver MAILER-DAEMON 192.0.2.20 bounce.relay.example D1 "$T12"
deliver erin@legacy.example 198.51.100.9 mx.legacy.example E1 "$TSM"
db=$T/mailtls.db
q() { sqlite3 "$db" "$1"; }
check "seven observations" [ "$(q 'SELECT count(*) FROM observations')" = 7 ]
# Known times (notify records the time of the run): A1 on 1 July, A2 on
# 2 July, the others on 3 July 2025.
q "UPDATE observations SET time = 1751364000 WHERE queue_id = 'A1';
   UPDATE observations SET time = 1751450400 WHERE queue_id = 'A2';
   UPDATE observations SET time = 1751536800 + id WHERE queue_id NOT IN ('A1', 'A2');" ||
    fail "setting times"

run() { "$mailtls" -c "$T/c.conf" report --db "$@"; }

# --- --json: the aggregates ------------------------------------------------
run --json >"$T/r.json" || fail "report --db --json exited $?"
python3 - "$T/r.json" "$db" >"$T/json.out" 2>&1 <<'EOF' || { cat "$T/json.out" >&2; fail "--json aggregates"; }
import json, sqlite3, sys
r = json.load(open(sys.argv[1]))
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, want %r" % (what, got, exp))
want("input.database", r["input"]["database"], "sqlite:" + sys.argv[2])
want("input.messages", r["input"]["messages"], 7)
for k in ("lines", "bad_lines", "connections"):
    want("input." + k, r["input"][k], None)
t = r["totals"]["in"]
want("messages", t["messages"], 7)
want("tls", t["tls"], {"yes": 6, "no": 1, "unknown": 0})
want("protocols", {k: v for k, v in t["protocols"].items() if v},
     {"TLSv1.3": 2, "TLSv1.2": 2, "TLSv1": 1, "unknown": 1})
want("pfs", t["pfs"], {"yes": 6, "no": 0, "unknown": 0})
want("trust", {k: v for k, v in t["trust"].items() if v},
     {"anonymous": 4, "untrusted": 2})  # Sendmail's verify=NO: no certificate
want("status", t["status"], {"received": 7})
# The verdicts are those notify recorded, message by message.
db = sqlite3.connect(sys.argv[2])
names = ["unknown", "ok", "legacy", "deprecated", "insecure", "plaintext"]
rec = {n: 0 for n in names}
for (v,) in db.execute("SELECT verdict FROM observations"):
    rec[names[v]] += 1
want("verdicts = recorded", t["verdicts"], rec)
want("ok", t["verdicts"]["ok"], 4)
want("deprecated", t["verdicts"]["deprecated"], 1)
want("plaintext", t["verdicts"]["plaintext"], 1)
want("first_tls", t["first_tls"], "2025-07-01T10:00:00Z")
doms = {d["domain"]: d for d in r["domains"]["in"]}
want("domains", sorted(k or "" for k in doms), ["", "legacy.example", "old.example",
                                                "plain.example", "sender.example"])
want("sender.example", doms["sender.example"]["messages"], 2)
want("plain.example tls", doms["plain.example"]["tls"], {"yes": 1, "no": 1, "unknown": 0})
want("plain.example suspect", doms["plain.example"]["downgrade_suspect"], True)
want("null sender", doms[None]["messages"], 1)
want("downgrade domains", [d["domain"] for d in r["downgrade_suspects"]["domains"]],
     ["plain.example"])
ciphers = {c["cipher"]: c["messages"] for c in r["ciphers"]["in"]}
want("ciphers", ciphers, {"TLS_AES_256_GCM_SHA384": 2,
                          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": 2,
                          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA": 1,
                          "TLS_DHE_RSA_WITH_AES_256_CBC_SHA": 1})
want("days", [(d["date"], d["in"]["messages"], d["in"]["tls"], d["out"]) for d in r["days"]],
     [("2025-07-01", 1, 1, None), ("2025-07-02", 1, 1, None), ("2025-07-03", 5, 4, None)])
# What the store cannot know is null, not zero.
want("totals.out", r["totals"]["out"], None)
want("domains.out", r["domains"]["out"], None)
want("ciphers.out", r["ciphers"]["out"], None)
want("connections", r["connections"], {"in": None, "out": None})
want("failed_handshakes", r["failed_handshakes"], {"in": None, "out": None})
want("peers", r["downgrade_suspects"]["peers"], None)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

# --- --events: one line per message, rebuilt from the store ----------------
run --events >"$T/ev.json" || fail "report --db --events exited $?"
check "events: seven lines" [ "$(wc -l <"$T/ev.json")" = 7 ]
python3 - "$T/ev.json" >"$T/ev.out" 2>&1 <<'EOF' || { cat "$T/ev.out" >&2; fail "--events contents"; }
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, want %r" % (what, got, exp))
want("order", [e["queue_id"] for e in ev][:2], ["A1", "A2"])
by = {e["queue_id"]: e for e in ev}
for e in ev:
    want(e["queue_id"] + " direction", e["direction"], "in")
    want(e["queue_id"] + " status", e["status"], "received")
    want(e["queue_id"] + " host", e["host"], "mx.example.org")
    want(e["queue_id"] + " sender", e["sender"], None)
    want(e["queue_id"] + " mta", e["mta"], None)
a = by["A1"]
want("A1 time", a["time"], "2025-07-01T10:00:00Z")
want("A1 peer", a["peer"], {"host": "mail.sender.example", "ip": "192.0.2.10"})
want("A1 domain", a["sender_domain"], "sender.example")
want("A1 tls", a["tls"], {"used": "yes", "protocol": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384",
                          "cipher_raw": "TLS_AES_256_GCM_SHA384", "bits": 256, "pfs": "yes",
                          "trust": "anonymous", "verdict": "ok"})
want("B1 cipher_raw", by["B1"]["tls"]["cipher_raw"], "ECDHE-RSA-AES256-SHA")
want("B1 protocol", by["B1"]["tls"]["protocol"], "TLSv1")
want("B1 verdict", by["B1"]["tls"]["verdict"], "deprecated")
want("C1 trust", by["C1"]["tls"]["trust"], "untrusted")
want("C2 tls", (by["C2"]["tls"]["used"], by["C2"]["tls"]["verdict"]), ("no", "plaintext"))
want("C2 peer", by["C2"]["peer"], {"host": "unknown", "ip": "203.0.113.6"})
want("D1 domain", by["D1"]["sender_domain"], None)
# Sendmail's vague protocol comes back as written, with its range's verdict.
want("E1 protocol", by["E1"]["tls"]["protocol"], "TLSv1/SSLv3")
want("E1 cipher", by["E1"]["tls"]["cipher"], "TLS_DHE_RSA_WITH_AES_256_CBC_SHA")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
e1=$(q "SELECT verdict FROM observations WHERE queue_id = 'E1'")
e1name=$(python3 -c "print(['unknown','ok','legacy','deprecated','insecure','plaintext'][$e1])")
check "E1 verdict is the one notify recorded ($e1name)" \
    grep -q "\"queue_id\":\"E1\".*\"verdict\":\"$e1name\"" "$T/ev.json"

# --- --since/--until ---------------------------------------------------------
run --json --since 2025-07-02 --until 2025-07-03 >"$T/p.json" || fail "--since/--until exited"
check "period: one message on 2 July" \
    [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["in"]["messages"])' "$T/p.json")" = 1 ]
check "period: --events too" [ "$(run --events --since 2025-07-03 | wc -l)" = 5 ]
check "period: --events --until" [ "$(run --events --until 2025-07-02 | grep -c '"A1"')" = 1 ]
# --my-hostname drops a peer of ours.
check "--my-hostname" [ "$(run --events --my-hostname BOUNCE.relay.example | grep -c '"D1"')" = 0 ]

# --- text ----------------------------------------------------------------------
run >"$T/r.txt" || fail "text report exited $?"
check "text: heading names the store" grep -q "^mailtls report: store sqlite:$T/mailtls.db, 7 messages" "$T/r.txt"
check "text: inbound row" grep -Eq '^inbound \(received\) +7 +85\.7%' "$T/r.txt"
check "text: outbound n/a" grep -Eq '^outbound \(delivery attempts\) +n/a' "$T/r.txt"
check "text: connections not available" \
    grep -A1 '^Connections (handshakes)' "$T/r.txt" | grep -q 'not available'
check "text: failed handshakes not available" \
    grep -A1 '^Failed TLS handshakes' "$T/r.txt" | grep -q 'not available'
check "text: no zero connection rows" bash -c "! grep -Eq '^(inbound|outbound) +0 +0 +0' '$T/r.txt'"
check "text: domain row" grep -Eq '^plain\.example +2 +50\.0%' "$T/r.txt"
check "text: downgrade suspect" grep -Eq '^in +plain\.example +1 ' "$T/r.txt"

# --- CSV ------------------------------------------------------------------------
run --csv >"$T/r.csv" || fail "--csv exited $?"
check "csv: header and five inbound rows" [ "$(wc -l <"$T/r.csv")" = 6 ]
check "csv: no outbound rows" bash -c "! grep -q '^out,' '$T/r.csv'"
check "csv: plain.example" grep -q '^in,plain.example,2,1,1,0,0.5000,' "$T/r.csv"
check "csv: CRLF" [ "$(grep -c $'\r$' "$T/r.csv")" = 6 ]

# --- Prometheus -------------------------------------------------------------
run --prometheus >"$T/r.prom" || fail "--prometheus exited $?"
check "prom: ok messages" grep -qx 'mailtls_messages_total{direction="in",tls="yes",verdict="ok"} 4' "$T/r.prom"
check "prom: plaintext" grep -qx 'mailtls_messages_total{direction="in",tls="no",verdict="plaintext"} 1' "$T/r.prom"
check "prom: no outbound samples" bash -c "! grep -q 'direction=\"out\"' '$T/r.prom'"
check "prom: no connection metrics" \
    bash -c "! grep -Eq 'mailtls_(connections_total|connection_protocol_total|failed_tls_peers|plaintext_after_failed_tls_peers|log_lines_total)' '$T/r.prom'"
check "prom: every sample declared" python3 - "$T/r.prom" <<'EOF'
import re, sys
types = set()
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    m = re.match(r"# TYPE (\S+) (counter|gauge)$", line)
    if m:
        types.add(m.group(1))
        continue
    if line.startswith("#"):
        continue
    m = re.match(r'([a-z_]+)(\{[^}]*\})? (\d+)$', line)
    if not m or m.group(1) not in types:
        sys.exit("bad sample: " + line)
EOF

# --- HTML -------------------------------------------------------------------------
run --html "$T/r.html" >/dev/null || fail "--html exited $?"
check "html: not available said" grep -q 'not available: the store records messages, not SMTP connections' "$T/r.html"
check "html: domain" grep -q '<td>plain.example</td>' "$T/r.html"
check "html: outbound n/a" grep -q '<td>outbound</td><td colspan="11">n/a' "$T/r.html"
check "html: renders with charts" bash "$src/tests/integration/html-render.sh" "$T/r.html" "$T"

# --- errors ---------------------------------------------------------------------
"$mailtls" -c "$T/c.conf" report --db /var/log/mail.log >/dev/null 2>"$T/err"
check "LOG with --db: 64" [ $? = 64 ]
check "LOG with --db: said" grep -q 'no LOG arguments' "$T/err"
sed "s|^database = .*|database = sqlite:$T/none/mailtls.db|" "$T/c.conf" >"$T/none.conf"
"$mailtls" -c "$T/none.conf" report --db >/dev/null 2>"$T/err"
check "no store: 66" [ $? = 66 ]
check "no store: names it" grep -q "$T/none/mailtls.db" "$T/err"
check "no store: not created" [ ! -e "$T/none/mailtls.db" ]
echo 'datbase = x' >"$T/bad.conf"
"$mailtls" -c "$T/bad.conf" report --db >/dev/null 2>"$T/err"
check "bad configuration: 78" [ $? = 78 ]
echo "not a database at all, just text" >"$T/junk.db"
sed "s|^database = .*|database = sqlite:$T/junk.db|" "$T/c.conf" >"$T/junk.conf"
"$mailtls" -c "$T/junk.conf" report --db >/dev/null 2>"$T/err"
rc=$?
check "not a store: refused ($rc)" [ "$rc" != 0 ]
check "not a store: names it" grep -q "$T/junk.db" "$T/err"
check "notify logged no error" [ ! -s "$T/notify.err" ]

t_done
