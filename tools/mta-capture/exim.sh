#!/bin/bash
# exim.sh OUTDIR - capture a real Exim main log for the log-parser golden tests.
#
# Downloads Debian's exim4-daemon-light (with exim4-base, exim4-config and
# libidn12) with `apt-get download`, unpacks it with `dpkg -x` into a
# temporary folder under /var/tmp (it is never installed: the MTA packages
# conflict with postfix) and runs it in the foreground in a private network
# and mount namespace (tests/integration/lib/mta.sh), where 192.0.2.x
# addresses on loopback keep peers from looking local:
#   E  mx-e.test    192.0.2.10  Exim, the MTA whose log is the golden input
#   B  mx-b.test    192.0.2.20  Postfix (tests/integration/lib/postfix.sh),
#                               the receiver of E's outbound mail
#   client.test     192.0.2.30  swaks and openssl s_client
# Inbound to E: plaintext, TLS 1.3, TLS 1.2 with and without forward secrecy,
# TLS 1.0 and 1.1 (the GnuTLS priority adds +VERS-TLS1.0:+VERS-TLS1.1), a
# failed handshake, two recipients in one message. Outbound from E to B:
# TLS 1.3, TLS 1.2 with and without forward secrecy, plaintext (B offers no
# STARTTLS; E avoids TLS), a failed handshake followed by Exim's retry in
# clear, TLS required but not offered (deferred), a recipient B refuses
# (bounce, whose report is discarded), a closed port (deferred), and three
# messages queued for one host and sent by one queue run over one
# connection (the later ones logged with "*").
#
# With a second argument NAME and EXIM_LOG_SELECTOR set (say "+all -subject
# -arguments", the line Debian's configuration suggests for debugging), the
# same run uses that log_selector and writes NAME.in, NAME.truth and
# NAME.versions instead.
#
# Writes to OUTDIR:
#   exim-real.in      E's mainlog
#   exim-real.truth   one line per message or delivery: what the client saw
#                     ("in", Exim id, recipients, TLS from swaks) and what B
#                     saw of each outbound delivery ("out", Exim id, recipient,
#                     TLS from B's smtpd log); TLS is PROTOCOL:CIPHER:BITS,
#                     "plaintext" or "failed"
#   exim-real.versions  the packages used
# Needs root, postfix, swaks, openssl, python3, iproute2, util-linux.
set -eu
. "$(dirname "$0")/lib.sh"

OUT=${1:?usage: exim.sh OUTDIR [NAME]}
NAME=${2:-exim-real}
E_ADDR=192.0.2.10
B_ADDR=192.0.2.20
C_ADDR=192.0.2.30
cap_begin mx-e "exim4-base exim4-config exim4-daemon-light libidn12" \
    "$E_ADDR" "$B_ADDR" "$C_ADDR" -- "$@"
OUT=$(cd "$OUT" && pwd)
mt_private_etc "$ROOT/usr/lib/x86_64-linux-gnu" \
    mx-e.test=$E_ADDR mx-b.test=$B_ADDR client.test=$C_ADDR

E=$MT_TMP/e
B=$MT_TMP/b
PE=$(mt_free_port)
PB_TLS=$(mt_free_port)
PB_PLAIN=$(mt_free_port)
PB_13=$(mt_free_port)
PB_CLOSED=$(mt_free_port)

# --- B: Postfix, accepts the test domains and discards the mail.
DOMAINS="tls.example tls12.example nofs.example plain.example notls.example"
DOMAINS="$DOMAINS fallback.example required.example reuse.example"
pf_init "$B" mx-b.test
pf_listen_at "$B" "$B_ADDR" "$PB_TLS"
pf_listen_at "$B" "$B_ADDR" "$PB_PLAIN" smtpd_tls_security_level=none
pf_listen_at "$B" "$B_ADDR" "$PB_13" "smtpd_tls_protocols=>=TLSv1.3"
cap_peer_start "$B" "$DOMAINS"

# --- E: Exim.
ex_init "$E" "$ROOT" mx-e.test "$E_ADDR" "$PE"
# GnuTLS's NORMAL priority plus TLS 1.0 and 1.1, which clients still offer.
ex_main "$E" "tls_require_ciphers = NORMAL:+VERS-TLS1.0:+VERS-TLS1.1" \
    "queue_smtp_domains = reuse.example"
if [ -n "${EXIM_LOG_SELECTOR:-}" ]; then
    ex_main "$E" "log_selector = $EXIM_LOG_SELECTOR"
fi
ex_blackhole "$E" local.example
ex_blackhole "$E" '*.sender.example'
ex_route "$E" tls.example remote_smtp mx-b.test "$PB_TLS"
ex_route "$E" refused.example remote_smtp_refused mx-b.test "$PB_TLS"
ex_route "$E" tls12.example remote_smtp_tls12 mx-b.test "$PB_TLS" "tls_require_ciphers = NORMAL:-VERS-TLS1.3"
ex_route "$E" nofs.example remote_smtp_nofs mx-b.test "$PB_TLS" "tls_require_ciphers = NORMAL:-VERS-TLS1.3:-KX-ALL:+RSA"
ex_route "$E" plain.example remote_smtp_avoid mx-b.test "$PB_TLS" "hosts_avoid_tls = *"
ex_route "$E" notls.example remote_smtp_notls mx-b.test "$PB_PLAIN"
ex_route "$E" fallback.example remote_smtp_fallback mx-b.test "$PB_13" "tls_require_ciphers = NORMAL:-VERS-TLS1.3"
ex_route "$E" required.example remote_smtp_required mx-b.test "$PB_PLAIN" "hosts_require_tls = *"
ex_route "$E" closed.example remote_smtp_closed mx-b.test "$PB_CLOSED"
ex_route "$E" reuse.example remote_smtp_reuse mx-b.test "$PB_TLS"
ex_start "$E"

# Messages into E from client.test; the truth records each id and the TLS swaks saw.
CAP_SERVER=$E_ADDR:$PE
CAP_ID='250 OK id=\([-0-9A-Za-z]*\)'
cap_send plain r@local.example
cap_send tls13 r@tls.example --tls
cap_send tls12-fs r@tls12.example --tls --tls-protocol tlsv1_2 --tls-cipher ECDHE-RSA-AES256-GCM-SHA384
cap_send tls12-nofs r@nofs.example --tls --tls-protocol tlsv1_2 --tls-cipher AES256-GCM-SHA384
cap_send tls12-cbc r@plain.example --tls --tls-protocol tlsv1_2 --tls-cipher AES128-SHA
cap_send tls10 r@notls.example --tls --tls-protocol tlsv1 --tls-cipher 'DEFAULT:@SECLEVEL=0'
cap_send tls11 r@local.example --tls --tls-protocol tlsv1_1 --tls-cipher 'DEFAULT:@SECLEVEL=0'
cap_send two r1@tls.example,r2@tls.example,r3@local.example --tls
cap_send fallback r@fallback.example --tls
cap_send required r@required.example
cap_send refused r@refused.example --tls
cap_send closed r@closed.example
ex_wait_queue "$E" 2
# A failed inbound handshake: a TLS 1.3 suite that GnuTLS's NORMAL lacks.
cap_failed_in
# Three messages for one host, queued (queue_smtp_domains), then one queue
# run delivers them over one connection.
cap_send reuse-1 r1@reuse.example --tls
cap_send reuse-2 r2@reuse.example --tls
cap_send reuse-3 r3@reuse.example --tls
ex_wait_queue "$E" 5
ex_exim "$E" -qf
ex_wait_queue "$E" 2
pf_wait_idle "$B"
sleep 1
ex_stop "$E"
pf_stop "$B"

cap_finish "$NAME" "$(ex_log "$E")" "$B" \
    ' ([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) (=>|->|\*\*) ' \
    "log_selector = ${EXIM_LOG_SELECTOR:-(default)}"
