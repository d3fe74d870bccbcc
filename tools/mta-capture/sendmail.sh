#!/bin/bash
# sendmail.sh OUTDIR - capture a real Sendmail log for the log-parser golden tests.
#
# Downloads Debian's sendmail-bin (with sendmail-base, sendmail-cf, libwrap0,
# liblockfile1) and rsyslog (with its libraries) with `apt-get download`,
# unpacks them with `dpkg -x` into a temporary folder under /var/tmp (never
# installed: the MTA packages conflict with postfix), builds a sendmail.cf
# with m4 from the package's cf/ tree and runs `sendmail -bD -L sm-mta` in a
# private network and mount namespace (tests/integration/lib/mta.sh), with a
# private rsyslogd on /dev/log writing the mail log as Debian 12 does:
#   S  mx-s.test          192.0.2.11  Sendmail, the MTA whose log is the input
#   B  mx-b.test          192.0.2.20  Postfix, receiving S's outbound mail: offers TLS
#      plain.mx-b.test    192.0.2.21  ... no STARTTLS
#      tls12.mx-b.test    192.0.2.22  ... TLS 1.2 at most
#      nofs.mx-b.test     192.0.2.23  ... TLS 1.2 with static RSA key exchange only
#      fail.mx-b.test     192.0.2.24  ... TLS 1.2 without RSA authentication (the
#                                     handshake with S fails)
#      (192.0.2.25: nothing listens)
#   client.test           192.0.2.30  swaks and openssl s_client
# Inbound to S: plaintext, TLS 1.3, TLS 1.2 with and without forward secrecy,
# TLS 1.0 (refused by Sendmail's OpenSSL settings: recorded as failed), a
# failed handshake, several recipients. Outbound from S to B: TLS 1.3, TLS
# 1.2 with and without forward secrecy, plaintext, a failed handshake, a
# recipient B refuses, a closed port, local delivery.
#
# Writes OUTDIR/sendmail-real.in (the mail log), sendmail-real.truth (as
# exim.sh) and sendmail-real.versions.
# Needs root, postfix, swaks, openssl, python3, iproute2, util-linux.
set -eu
. "$(dirname "$0")/lib.sh"

OUT=${1:?usage: sendmail.sh OUTDIR}
S_ADDR=192.0.2.11
C_ADDR=192.0.2.30
PKGS="sendmail-bin sendmail-base sendmail-cf libwrap0 liblockfile1"
PKGS="$PKGS m4 rsyslog libestr0 libfastjson4 liblognorm5"
cap_begin mx-s "$PKGS" \
    "$S_ADDR" "${CAP_PEER_ADDRS[@]}" "$C_ADDR" -- "$@"
OUT=$(cd "$OUT" && pwd)
mt_private_etc "$ROOT/usr/lib/x86_64-linux-gnu" mx-s.test=$S_ADDR client.test=$C_ADDR \
    "${CAP_PEER_HOSTS[@]}"
LOG=$MT_TMP/mail.log
mt_syslog "$ROOT" "$LOG" mx-s

S=$MT_TMP/s
B=$MT_TMP/b
PS=$(mt_free_port)
PB=$(mt_free_port)

DOMAINS="tls.example plain.example tls12.example nofs.example fail.example"
cap_peer "$B" "$PB" "$DOMAINS"

sm_init "$S" "$ROOT" mx-s.test "$S_ADDR" "$PS" "$PB"
sm_route "$S" tls.example 'esmtp:[192.0.2.20]'
sm_route "$S" refused.example 'esmtp:[192.0.2.20]'
sm_route "$S" plain.example 'esmtp:[192.0.2.21]'
sm_route "$S" tls12.example 'esmtp:[192.0.2.22]'
sm_route "$S" nofs.example 'esmtp:[192.0.2.23]'
sm_route "$S" fail.example 'esmtp:[192.0.2.24]'
sm_route "$S" closed.example 'esmtp:[192.0.2.25]'
sm_route "$S" local.example 'local:nobody'
sm_route "$S" .sender.example 'local:nobody'
sm_start "$S"

# Messages into S from client.test; the truth records each id and the TLS swaks saw.
CAP_SERVER=$S_ADDR:$PS
CAP_ID='250 2\.0\.0 \([0-9A-Za-z]*\) Message accepted'
cap_send plain r@local.example
cap_send tls13 r@tls.example --tls
cap_send tls12-fs r@tls12.example --tls --tls-protocol tlsv1_2 --tls-cipher ECDHE-RSA-AES256-GCM-SHA384
cap_send tls12-nofs r@nofs.example --tls --tls-protocol tlsv1_2 --tls-cipher AES256-GCM-SHA384
cap_send tls12-cbc r@plain.example --tls --tls-protocol tlsv1_2 --tls-cipher AES128-SHA
cap_send tls10 r@local.example --tls --tls-protocol tlsv1 --tls-cipher 'DEFAULT:@SECLEVEL=0'
cap_send two r1@tls.example,r2@tls.example,r3@local.example --tls
cap_send fail r@fail.example --tls
cap_send refused r@refused.example --tls
cap_send closed r@closed.example
# A failed inbound handshake: a TLS 1.3 suite that the server does not enable.
cap_failed_in
sm_wait_queue "$S" 2
pf_wait_idle "$B"
sleep 2
sm_stop "$S"
pf_stop "$B"
sleep 1

cap_finish sendmail-real "$LOG" "$B" ': ([0-9A-Za-z]{14}): to='
