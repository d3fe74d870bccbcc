#!/bin/bash
# postfix-report.sh - `mailtls report` against the log of a real Postfix.
#
# Runs two private Postfix instances in a private network namespace (so that
# their peers are not on 127/8, which mailtls rightly treats as local
# hand-offs): "mx" (the server whose log is reported) and "peer" (the remote
# side of outbound deliveries). Sends mail into mx with swaks - plaintext,
# TLS 1.3, TLS 1.2 with and without forward secrecy, TLS 1.0, a failed
# handshake followed by plaintext - and out of mx over TLS, in plaintext and
# over a reused TLS connection (tlsproxy). Then checks that
# `mailtls report --events` lists exactly those messages with the right TLS
# facts, that --json counts the connections, and that --csv, --prometheus
# and --html are well-formed (the page is rendered by headless Chromium).
#
# Usage: postfix-report.sh MAILTLS-BINARY
set -eu
. "$(dirname "$0")/lib/postfix.sh"

MAILTLS=${1:?usage: postfix-report.sh MAILTLS}
MX_ADDR=192.0.2.1
PEER_ADDR=192.0.2.25
CLIENT_ADDR=192.0.2.77
mt_private_net "$MX_ADDR" "$PEER_ADDR" "$CLIENT_ADDR" -- "$@"
mt_it_init
MAILTLS=$(realpath "$MAILTLS")
command -v chromium >/dev/null || mt_fail "chromium not found (make check installs it)"

MX=$MT_TMP/mx
PEER=$MT_TMP/peer
MXPORT=$(mt_free_port)
PTLS=$(mt_free_port)
PPLAIN=$(mt_free_port)
PREUSE=$(mt_free_port)

# The remote side: one listener offering STARTTLS, one that does not.
pf_init "$PEER" peer.test.example
pf_listen_at "$PEER" "$PEER_ADDR" "$PTLS"
pf_listen_at "$PEER" "$PEER_ADDR" "$PPLAIN" smtpd_tls_security_level=none
pf_listen_at "$PEER" "$PEER_ADDR" "$PREUSE"
pf_mailbox "$PEER" tls.peer.example
pf_set "$PEER" "virtual_mailbox_domains = tls.peer.example plain.peer.example reuse.peer.example" \
    "virtual_mailbox_maps = static:inbox" "mynetworks = 127.0.0.0/8 192.0.2.0/24"
pf_start "$PEER"

# The server under test.
pf_init "$MX" mx.test.example
pf_listen_at "$MX" "$MX_ADDR" "$MXPORT"
pf_mailbox "$MX" local.test.example
pf_set "$MX" "mynetworks = 127.0.0.0/8 192.0.2.0/24" \
    "transport_maps = inline:{tls.peer.example=smtp:[$PEER_ADDR]:$PTLS, plain.peer.example=smtp:[$PEER_ADDR]:$PPLAIN, reuse.peer.example=smtp:[$PEER_ADDR]:$PREUSE}" \
    "smtp_tls_connection_reuse = yes" \
    "smtp_connection_cache_destinations = $PEER_ADDR" \
    "smtp_connection_cache_time_limit = 20s" \
    "smtp_tls_exclude_ciphers = aNULL" \
    "smtpd_peername_lookup = no"
pf_start "$MX"

export MT_SERVER=$MX_ADDR
EXPECT=$MT_TMP/expect.tsv
: >"$EXPECT"
# send NAME EXPECTATION SWAKS-ARGS...: one message in; records what the test did.
# EXPECTATION: in|out  used  protocol  cipher  pfs  verdict  (tab-separated, "-" = null)
send() {
    local name=$1 exp=$2 qid
    shift 2
    qid=$(mt_send "$MXPORT" --local-interface "$CLIENT_ADDR" --from "$name@$name.sender.example" "$@") ||
        mt_fail "swaks for $name failed"
    [ -n "$qid" ] || mt_fail "no queue id for $name"
    printf '%s\t%s\t%s\n' "$qid" "$name" "$exp" >>"$EXPECT"
    echo "$qid"
}

T13=TLS_AES_256_GCM_SHA384
send plain "in	no	-	-	-	plaintext" --to u@local.test.example >/dev/null
send tls13 "in	yes	TLSv1.3	$T13	yes	ok" --to u@local.test.example --tls >/dev/null
send ecdhe "in	yes	TLSv1.2	TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384	yes	ok" \
    --to u@local.test.example --tls --tls-protocol tlsv1_2 \
    --tls-cipher ECDHE-RSA-AES256-GCM-SHA384 >/dev/null
send rsagcm "in	yes	TLSv1.2	TLS_RSA_WITH_AES_256_GCM_SHA384	no	deprecated" \
    --to u@local.test.example --tls --tls-protocol tlsv1_2 --tls-cipher AES256-GCM-SHA384 >/dev/null
send rsacbc "in	yes	TLSv1.2	TLS_RSA_WITH_AES_256_CBC_SHA	no	deprecated" \
    --to u@local.test.example --tls --tls-protocol tlsv1_2 --tls-cipher AES256-SHA >/dev/null
send tls10 "in	yes	TLSv1	TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA	yes	deprecated" \
    --to u@local.test.example --tls --tls-protocol tlsv1 \
    --tls-cipher 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0' >/dev/null

# A handshake that fails (no shared cipher), then the same client in plaintext.
if mt_swaks "$MXPORT" --local-interface "$CLIENT_ADDR" --from x@failed.sender.example \
    --to u@local.test.example --tls --tls-protocol tlsv1_2 --tls-cipher 'NULL-SHA:@SECLEVEL=0'; then
    mt_fail "the handshake with a NULL cipher should have failed"
fi
send afterfail "in	no	-	-	-	plaintext" --to u@local.test.example >/dev/null

# Outbound: one message over TLS, one in plaintext, three over one reused connection.
q_tls=$(send outtls "in	no	-	-	-	plaintext" --to a@tls.peer.example)
printf '%s\t%s\t%s\n' "$q_tls" outtls "out	yes	TLSv1.3	$T13	yes	ok" >>"$EXPECT"
# The TLS delivery first: a plaintext delivery counts as plaintext only once
# the log has shown that this host logs outbound TLS (lib/correlate.h, "TLS
# logging"); sent at once, the plaintext one could be logged first.
pf_wait_idle "$MX"
q_plain=$(send outplain "in	no	-	-	-	plaintext" --to a@plain.peer.example)
printf '%s\t%s\t%s\n' "$q_plain" outplain "out	no	-	-	-	plaintext" >>"$EXPECT"
pf_wait_idle "$MX"
# Three in a row to a cached destination: one TLS connection (made through
# tlsproxy, so logged twice), reused by the second and third delivery.
for i in 1 2 3; do
    q=$(send "reuse$i" "in	no	-	-	-	plaintext" --to "r$i@reuse.peer.example")
    printf '%s\t%s\t%s\n' "$q" "reuse$i" "out	yes	TLSv1.3	$T13	yes	ok" >>"$EXPECT"
    pf_wait_idle "$MX"
done
pf_wait_log "$MX" 'conn_use=[23]'
pf_wait_log "$MX" 'removed' 5
# Stop both, so that nothing is logged while the reports read the log.
pf_stop "$MX"
pf_stop "$PEER"
for i in $(seq 1 100); do
    postfix -c "$MX/etc" status >/dev/null 2>&1 || break
    sleep 0.1
done
LOG=$MT_TMP/maillog
cp "$(pf_log "$MX")" "$LOG"

"$MAILTLS" report --events "$LOG" >"$MT_TMP/events.jsonl" || mt_fail "report --events failed"
"$MAILTLS" report --json "$LOG" >"$MT_TMP/report.json" || mt_fail "report --json failed"
"$MAILTLS" report --csv "$LOG" >"$MT_TMP/report.csv" || mt_fail "report --csv failed"
"$MAILTLS" report --prometheus "$LOG" >"$MT_TMP/report.prom" || mt_fail "report --prometheus failed"
"$MAILTLS" report --html "$MT_TMP/report.html" "$LOG" || mt_fail "report --html failed"
NO_COLOR= "$MAILTLS" report "$LOG" >"$MT_TMP/report.txt" || mt_fail "report failed"
gzip -c "$LOG" >"$MT_TMP/maillog.gz"
"$MAILTLS" report --json "$MT_TMP/maillog.gz" >"$MT_TMP/report-gz.json" || mt_fail "report on gzip failed"
cmp -s <(grep -v '"generated"\|maillog' "$MT_TMP/report.json") \
    <(grep -v '"generated"\|maillog' "$MT_TMP/report-gz.json") ||
    mt_fail "the gzip-compressed log gives another report"

python3 - "$EXPECT" "$MT_TMP" "$(dirname "$0")/lib" <<'EOF' || { cat "$LOG" >&2; mt_fail "report does not match what the test did"; }
import csv, json, re, sys
expect_path, tmp = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from events import check, check_events, check_totals, done

# --events: message by message, every field present.
events, want, got = check_events(tmp + "/events.jsonl", expect_path, "postfix",
                                 {"in": "anonymous", "out": "untrusted"}, "192.0.2.77",
                                 "192.0.2.25")
for e in events:
    for k in ("time", "direction", "mta", "host", "queue_id", "peer", "sender", "sender_domain",
              "recipient_domain", "status", "tls"):
        check(k in e, "event without %s: %s" % (k, e))
    for k in ("used", "protocol", "cipher", "cipher_raw", "bits", "pfs", "trust", "verdict"):
        check(k in e["tls"], "event tls without %s: %s" % (k, e))
    check(e["host"] == "mx", "host %s" % e)  # syslog host: short name
for key, w in want.items():
    if key[1] == "in" and key in got:
        check(got[key]["sender_domain"] == "%s.sender.example" % w["name"],
              "%s in: sender_domain" % w["name"])

# --json: totals and connections.
r = json.load(open(tmp + "/report.json"))
check_totals(r, want)
ci, co = r["connections"]["in"], r["connections"]["out"]
# In: five TLS sessions; plain + afterfail + 5 injections in plaintext; one failure.
check(ci["tls"] == 5, "connections in tls %s" % ci["tls"])
check(ci["plaintext"] == 7, "connections in plaintext %s" % ci["plaintext"])
check(ci["failed_tls"] == 1, "connections in failed_tls %s" % ci["failed_tls"])
check(ci["by_protocol"]["TLSv1.3"] == 1 and ci["by_protocol"]["TLSv1.2"] == 3
      and ci["by_protocol"]["TLSv1"] == 1, "in by_protocol %s" % ci["by_protocol"])
check(sum(ci["by_cipher"].values()) == 5, "in by_cipher %s" % ci["by_cipher"])
# Out: one TLS connection for outtls, one for the three reused, one plaintext.
check(co["tls"] == 2, "connections out tls %s" % co["tls"])
check(co["plaintext"] == 1, "connections out plaintext %s" % co["plaintext"])
check(co["failed_tls"] == 0, "connections out failed_tls %s" % co["failed_tls"])
check(co["by_protocol"]["TLSv1.3"] == 2, "out by_protocol %s" % co["by_protocol"])
peers = r["downgrade_suspects"]["peers"]
check(len(peers) == 1 and peers[0]["ip"] == "192.0.2.77" and peers[0]["plaintext_after"] >= 1,
      "plaintext after failed TLS: %s" % peers)
fails = r["failed_handshakes"]["in"]
check(len(fails) == 1 and fails[0]["failed"] == 1, "failed handshakes %s" % fails)
outdoms = {d["domain"]: d for d in r["domains"]["out"]}
check(outdoms.get("reuse.peer.example", {}).get("messages") == 3, "out domains %s" % list(outdoms))
check(r["totals"]["in"]["verdicts"]["deprecated"] == 3, "in deprecated %s" % r["totals"]["in"]["verdicts"])

# --csv: RFC 4180, one row per domain and direction.
rows = list(csv.DictReader(open(tmp + "/report.csv", newline="")))
check(len(rows) == len(r["domains"]["in"]) + len(r["domains"]["out"]), "csv rows %d" % len(rows))
check(any(x["direction"] == "out" and x["domain"] == "reuse.peer.example" and x["tls"] == "3"
          for x in rows), "csv reuse row")
check(open(tmp + "/report.csv", "rb").read().count(b"\r\n") == len(rows) + 1, "csv CRLF")

# --prometheus: every line is a comment or a valid sample of a declared metric.
declared = set()
sample = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"'
                    r'(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*)?\})? (-?[0-9.e+]+|NaN|[+-]Inf)$')
seen = {}
for line in open(tmp + "/report.prom"):
    line = line.rstrip("\n")
    m = re.fullmatch(r"# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)", line)
    if m:
        if m.group(1) == "TYPE":
            check(m.group(3) in ("counter", "gauge"), "TYPE %s" % line)
            check(m.group(2) not in declared, "TYPE twice: %s" % line)
            declared.add(m.group(2))
        continue
    m = sample.fullmatch(line)
    check(m is not None, "bad exposition line: %r" % line)
    if m:
        check(m.group(1) in declared, "undeclared metric: %r" % line)
        check(line.rsplit(" ", 1)[0] not in seen, "duplicate series: %r" % line)
        seen[line.rsplit(" ", 1)[0]] = float(line.rsplit(" ", 1)[1])
check(seen.get('mailtls_connections_total{direction="in",outcome="failed_tls"}') == 1,
      "prometheus failed_tls")
check(seen.get('mailtls_messages_total{direction="out",tls="yes",verdict="ok"}') == 4,
      "prometheus out ok")

# Text: the sections a reader looks for.
txt = open(tmp + "/report.txt").read()
for s in ("Messages", "Connections", "Inbound by sending domain", "Outbound by receiving domain",
          "Protocols", "Ciphers", "Verdicts", "Failed TLS handshakes", "Per day", "Downgrade suspects"):
    check(s in txt, "text report without section %s" % s)
check("\033[" not in txt, "colour codes in text written to a file")

done()
EOF

# --html: headless Chromium renders the charts.
"$(dirname "$0")/html-render.sh" "$MT_TMP/report.html" "$MT_TMP" || mt_fail "HTML report does not render"
echo "postfix-report: ok"
