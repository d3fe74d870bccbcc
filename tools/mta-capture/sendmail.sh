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
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/integration/lib/postfix.sh"
. "$top/tests/integration/lib/mta.sh"

OUT=${1:?usage: sendmail.sh OUTDIR}
S_ADDR=192.0.2.11
C_ADDR=192.0.2.30
PKGS="sendmail-bin sendmail-base sendmail-cf libwrap0 liblockfile1"
PKGS="$PKGS m4 rsyslog libestr0 libfastjson4 liblognorm5"
# shellcheck disable=SC2086
mt_fetch $PKGS
mt_private_net "$S_ADDR" 192.0.2.20 192.0.2.21 192.0.2.22 192.0.2.23 192.0.2.24 192.0.2.25 \
    "$C_ADDR" -- "$@"
OUT=$(cd "$OUT" && pwd)
mt_it_init
hostname mx-s
ROOT=$MT_TMP/root
# shellcheck disable=SC2086
mt_unpack "$ROOT" $PKGS
mt_private_etc "$ROOT/usr/lib/x86_64-linux-gnu" mx-s.test=$S_ADDR client.test=$C_ADDR \
    mx-b.test=192.0.2.20 plain.mx-b.test=192.0.2.21 tls12.mx-b.test=192.0.2.22 \
    nofs.mx-b.test=192.0.2.23 fail.mx-b.test=192.0.2.24
LOG=$MT_TMP/mail.log
mt_syslog "$ROOT" "$LOG" mx-s

S=$MT_TMP/s
B=$MT_TMP/b
PS=$(mt_free_port)
PB=$(mt_free_port)

DOMAINS="tls.example plain.example tls12.example nofs.example fail.example"
pf_init "$B" mx-b.test
pf_listen_at "$B" 192.0.2.20 "$PB"
pf_listen_at "$B" 192.0.2.21 "$PB" smtpd_tls_security_level=none
pf_listen_at "$B" 192.0.2.22 "$PB" "smtpd_tls_protocols=<=TLSv1.2"
pf_listen_at "$B" 192.0.2.23 "$PB" "smtpd_tls_protocols=<=TLSv1.2" "smtpd_tls_exclude_ciphers=kEECDH,kEDH"
pf_listen_at "$B" 192.0.2.24 "$PB" "smtpd_tls_protocols=<=TLSv1.2" "smtpd_tls_exclude_ciphers=aRSA"
pf_set "$B" "relay_domains = $DOMAINS refused.example" "relay_transport = discard:" \
    "mynetworks = 127.0.0.0/8" \
    "smtpd_recipient_restrictions = check_recipient_access inline:{refused.example=REJECT}, permit_auth_destination, reject"
pf_start "$B"

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

TRUTH=$MT_TMP/truth
: >"$TRUTH"
# send SCENARIO RCPTS [swaks options]: one message into S; records its id and TLS.
send() {
    local scen=$1 rcpts=$2 log id tls
    shift 2
    log=$MT_TMP/swaks-$scen.txt
    swaks --server "$S_ADDR:$PS" --local-interface "$C_ADDR" --helo client.test \
        --from "sender@$scen.sender.example" --to "$rcpts" \
        --header "Subject: $scen" "$@" >"$log" 2>&1 || true
    id=$(sed -n 's/.*250 2\.0\.0 \([0-9A-Za-z]*\) Message accepted.*/\1/p' "$log" | tail -n 1)
    tls=$(sed -n 's/^=== TLS started with cipher \(.*\)$/\1/p' "$log" | head -n 1)
    [ -n "$tls" ] || tls=plaintext
    grep -q 'TLS.*failed\|Could not start TLS' "$log" && tls=failed
    printf 'in\t%s\t%s\t%s\t%s\n' "${id:--}" "$rcpts" "$tls" "$scen" >>"$TRUTH"
}

send plain r@local.example
send tls13 r@tls.example --tls
send tls12-fs r@tls12.example --tls --tls-protocol tlsv1_2 --tls-cipher ECDHE-RSA-AES256-GCM-SHA384
send tls12-nofs r@nofs.example --tls --tls-protocol tlsv1_2 --tls-cipher AES256-GCM-SHA384
send tls12-cbc r@plain.example --tls --tls-protocol tlsv1_2 --tls-cipher AES128-SHA
send tls10 r@local.example --tls --tls-protocol tlsv1 --tls-cipher 'DEFAULT:@SECLEVEL=0'
send two r1@tls.example,r2@tls.example,r3@local.example --tls
send fail r@fail.example --tls
send refused r@refused.example --tls
send closed r@closed.example
# A failed inbound handshake: a TLS 1.3 suite that the server does not enable.
openssl s_client -connect "$S_ADDR:$PS" -bind "$C_ADDR:0" -starttls smtp -tls1_3 \
    -ciphersuites TLS_AES_128_CCM_8_SHA256 </dev/null >"$MT_TMP/sclient.txt" 2>&1 || true
printf 'in\t-\t-\tfailed\tfailed-in\n' >>"$TRUTH"
sm_wait_queue "$S" 2
pf_wait_idle "$B"
sleep 2
sm_stop "$S"
pf_stop "$B"
sleep 1

python3 "$here/outbound-truth.py" "$(pf_log "$B")" "$LOG" ': ([0-9A-Za-z]{14}): to=' >>"$TRUTH"
cp "$LOG" "$OUT/sendmail-real.in"
cp "$TRUTH" "$OUT/sendmail-real.truth"
{
    cat "$ROOT/.debs"
    postconf -d mail_version
    swaks --version | head -n 1
    openssl version
} >"$OUT/sendmail-real.versions"
# What mailtls makes of the log, against the truth (mismatches are printed).
python3 "$here/check-truth.py" "$top/build/src/mailtls/mailtls" "$OUT/sendmail-real.in" "$OUT/sendmail-real.truth" ||
    echo "sendmail.sh: the report differs from the truth (see above)" >&2
echo "sendmail.sh: wrote $OUT/sendmail-real.in, sendmail-real.truth, sendmail-real.versions" >&2
