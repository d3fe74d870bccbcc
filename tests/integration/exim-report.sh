#!/bin/bash
# exim-report.sh - `mailtls report` against the main log of a real Exim.
#
# Debian's exim4-daemon-light conflicts with postfix, so it is not installed:
# its .deb files are fetched with `apt-get download` (cached under
# /var/cache/mailtls/debs between runs), unpacked with `dpkg -x` and run in
# the foreground in a private network and mount namespace with private
# copy-on-write views of /etc and /dev (tests/integration/lib/mta.sh):
#   mx    192.0.2.1   Exim, the server whose log is reported
#   peer  192.0.2.25  Postfix, the remote side of Exim's outbound mail
#   client 192.0.2.77 swaks and openssl s_client
# Sends mail into Exim in plaintext, TLS 1.3, TLS 1.2 with and without
# forward secrecy, TLS 1.0 (allowed by +VERS-TLS1.0 in Exim's GnuTLS
# priority), a failed handshake followed by plaintext; Exim delivers to
# Postfix over TLS, in plaintext (no STARTTLS offered), and after a failed
# handshake in clear (Exim's fallback). Then checks `mailtls report
# --events` message by message against what was done and the connection
# counts of --json.
#
# Usage: exim-report.sh MAILTLS-BINARY
set -eu
. "$(dirname "$0")/lib/postfix.sh"
. "$(dirname "$0")/lib/mta.sh"

MAILTLS=${1:?usage: exim-report.sh MAILTLS}
MX_ADDR=192.0.2.1
PEER_ADDR=192.0.2.25
CLIENT_ADDR=192.0.2.77
PKGS="exim4-base exim4-config exim4-daemon-light libidn12"
# shellcheck disable=SC2086
mt_fetch $PKGS # before the namespace: it has no network
mt_private_net "$MX_ADDR" "$PEER_ADDR" "$CLIENT_ADDR" -- "$@"
mt_it_init
MAILTLS=$(realpath "$MAILTLS")
ROOT=$MT_TMP/root
# shellcheck disable=SC2086
mt_unpack "$ROOT" $PKGS
mt_private_etc "$ROOT/usr/lib/x86_64-linux-gnu" mx.test.example=$MX_ADDR \
    peer.test.example=$PEER_ADDR client.test.example=$CLIENT_ADDR

MX=$MT_TMP/mx
PEER=$MT_TMP/peer
MXPORT=$(mt_free_port)
PTLS=$(mt_free_port)
PPLAIN=$(mt_free_port)
P13=$(mt_free_port)

# The remote side: STARTTLS offered; not offered; TLS 1.3 only.
pf_init "$PEER" peer.test.example
pf_listen_at "$PEER" "$PEER_ADDR" "$PTLS"
pf_listen_at "$PEER" "$PEER_ADDR" "$PPLAIN" smtpd_tls_security_level=none
pf_listen_at "$PEER" "$PEER_ADDR" "$P13" "smtpd_tls_protocols=>=TLSv1.3"
pf_mailbox "$PEER" tls.peer.example
pf_set "$PEER" "virtual_mailbox_domains = tls.peer.example plain.peer.example fallback.peer.example" \
    "virtual_mailbox_maps = static:inbox" "mynetworks = 127.0.0.0/8 192.0.2.0/24"
pf_start "$PEER"

# The server under test.
ex_init "$MX" "$ROOT" mx.test.example "$MX_ADDR" "$MXPORT"
ex_main "$MX" "tls_require_ciphers = NORMAL:+VERS-TLS1.0:+VERS-TLS1.1"
ex_blackhole "$MX" local.test.example
ex_route "$MX" tls.peer.example remote_smtp peer.test.example "$PTLS"
ex_route "$MX" plain.peer.example remote_smtp_plain peer.test.example "$PPLAIN"
# Offers at most TLS 1.2 to a TLS 1.3-only server: the handshake fails and
# Exim delivers in clear on a new connection (tls_tempfail_tryclear).
ex_route "$MX" fallback.peer.example remote_smtp_fallback peer.test.example "$P13" \
    "tls_require_ciphers = NORMAL:-VERS-TLS1.3"
ex_start "$MX"

EXPECT=$MT_TMP/expect.tsv
: >"$EXPECT"
# send NAME EXPECTATION SWAKS-ARGS...: one message in; records what the test did.
# EXPECTATION: in|out  used  protocol  cipher  pfs  verdict  (tab-separated, "-" = null)
send() {
    local name=$1 exp=$2 out id
    shift 2
    out=$(swaks --server "$MX_ADDR" --port "$MXPORT" --local-interface "$CLIENT_ADDR" \
        --helo client.test.example --from "$name@$name.sender.example" \
        --hide-informational --suppress-data "$@" 2>&1) ||
        { printf '%s\n' "$out" >&2; mt_fail "swaks for $name failed"; }
    id=$(printf '%s\n' "$out" | sed -n 's/.*250 OK id=\([-0-9A-Za-z]*\).*/\1/p' | tail -n 1)
    [ -n "$id" ] || mt_fail "no message id for $name"
    printf '%s\t%s\t%s\n' "$id" "$name" "$exp" >>"$EXPECT"
    echo "$id"
}

T13=TLS_AES_256_GCM_SHA384
send plain "in	no	-	-	-	plaintext" --to u@local.test.example >/dev/null
send tls13 "in	yes	TLSv1.3	$T13	yes	ok" --to u@local.test.example --tls >/dev/null
send ecdhe "in	yes	TLSv1.2	TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384	yes	ok" \
    --to u@local.test.example --tls --tls-protocol tlsv1_2 \
    --tls-cipher ECDHE-RSA-AES256-GCM-SHA384 >/dev/null
send rsagcm "in	yes	TLSv1.2	TLS_RSA_WITH_AES_256_GCM_SHA384	no	deprecated" \
    --to u@local.test.example --tls --tls-protocol tlsv1_2 --tls-cipher AES256-GCM-SHA384 >/dev/null
send tls10 "in	yes	TLSv1	TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA	yes	deprecated" \
    --to u@local.test.example --tls --tls-protocol tlsv1 \
    --tls-cipher 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0' >/dev/null

# A handshake that fails (a TLS 1.3 suite GnuTLS's NORMAL lacks), then the
# same client in plaintext.
if openssl s_client -connect "$MX_ADDR:$MXPORT" -bind "$CLIENT_ADDR:0" -starttls smtp -tls1_3 \
    -ciphersuites TLS_AES_128_CCM_8_SHA256 </dev/null >"$MT_TMP/sclient.txt" 2>&1; then
    mt_fail "the handshake with TLS_AES_128_CCM_8_SHA256 should have failed"
fi
send afterfail "in	no	-	-	-	plaintext" --to u@local.test.example >/dev/null

# Outbound: over TLS, in plaintext, in clear after a failed handshake.
id=$(send outtls "in	no	-	-	-	plaintext" --to a@tls.peer.example)
printf '%s\t%s\t%s\n' "$id" outtls "out	yes	TLSv1.3	$T13	yes	ok" >>"$EXPECT"
id=$(send outplain "in	no	-	-	-	plaintext" --to a@plain.peer.example)
printf '%s\t%s\t%s\n' "$id" outplain "out	no	-	-	-	plaintext" >>"$EXPECT"
id=$(send fallback "in	yes	TLSv1.3	$T13	yes	ok" --to a@fallback.peer.example --tls)
printf '%s\t%s\t%s\n' "$id" fallback "out	no	-	-	-	plaintext" >>"$EXPECT"
ex_wait_queue "$MX" 0
pf_wait_idle "$PEER"
# Stop both, so that nothing is logged while the reports read the log.
ex_stop "$MX"
pf_stop "$PEER"
LOG=$MT_TMP/mainlog
cp "$(ex_log "$MX")" "$LOG"

# Exim's mainlog stamps carry no zone; the machine's zone is the log's.
TZ=UTC "$MAILTLS" report -c /dev/null --events "$LOG" >"$MT_TMP/events.jsonl" ||
    mt_fail "report --events failed"
TZ=UTC "$MAILTLS" report -c /dev/null --json "$LOG" >"$MT_TMP/report.json" ||
    mt_fail "report --json failed"

python3 - "$EXPECT" "$MT_TMP" "$(dirname "$0")/lib" <<'EOF' || { cat "$LOG" >&2; mt_fail "report does not match what the test did"; }
import json, sys
expect_path, tmp = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from events import check, check_events, check_totals, done

# CV=no: Exim did not verify a certificate (none asked for inbound).
events, want, got = check_events(tmp + "/events.jsonl", expect_path, "exim",
                                 {"in": "untrusted", "out": "untrusted"}, "192.0.2.77",
                                 "192.0.2.25")

r = json.load(open(tmp + "/report.json"))
check_totals(r, want)
ci, co = r["connections"]["in"], r["connections"]["out"]
# In: tls13, ecdhe, rsagcm, tls10, fallback; plain, afterfail, outtls, outplain; s_client.
check(ci["tls"] == 5, "connections in tls %s" % ci["tls"])
check(ci["plaintext"] == 4, "connections in plaintext %s" % ci["plaintext"])
check(ci["failed_tls"] == 1, "connections in failed_tls %s" % ci["failed_tls"])
check(ci["by_protocol"]["TLSv1.3"] == 2 and ci["by_protocol"]["TLSv1.2"] == 2
      and ci["by_protocol"]["TLSv1"] == 1, "in by_protocol %s" % ci["by_protocol"])
# Out: one TLS; plaintext for outplain and the fallback's second connection;
# the fallback's failed handshake.
check(co["tls"] == 1, "connections out tls %s" % co["tls"])
check(co["plaintext"] == 2, "connections out plaintext %s" % co["plaintext"])
check(co["failed_tls"] == 1, "connections out failed_tls %s" % co["failed_tls"])
fails = r["failed_handshakes"]
check(len(fails["in"]) == 1 and fails["in"][0]["ip"] == "192.0.2.77", "failed in %s" % fails["in"])
check(len(fails["out"]) == 1 and fails["out"][0]["ip"] == "192.0.2.25", "failed out %s" % fails["out"])
peers = r["downgrade_suspects"]["peers"]
check(any(p["direction"] == "out" and p["ip"] == "192.0.2.25" and p["plaintext_after"] >= 1
          for p in peers), "fallback to clear not a downgrade suspect: %s" % peers)
check(any(p["direction"] == "in" and p["ip"] == "192.0.2.77" and p["plaintext_after"] >= 1
          for p in peers), "plaintext after failed TLS not a suspect: %s" % peers)
check(r["totals"]["in"]["verdicts"]["deprecated"] == 2, "in deprecated %s" % r["totals"]["in"]["verdicts"])

done()
EOF
echo "exim-report: ok"
