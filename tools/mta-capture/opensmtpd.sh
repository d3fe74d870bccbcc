#!/bin/bash
# opensmtpd.sh OUTDIR - capture a real OpenSMTPD log for the log-parser golden tests.
#
# Downloads Debian's opensmtpd and rsyslog (with its libraries) with
# `apt-get download`, unpacks them with `dpkg -x` into a temporary folder
# under /var/tmp (never installed: the MTA packages conflict with postfix)
# and runs `smtpd -F` in a private network and mount namespace
# (tests/integration/lib/mta.sh; its compiled-in spool, chroot and socket
# folders get private copy-on-write views), with a private rsyslogd on
# /dev/log writing the mail log as Debian 12 does:
#   O  mx-o.test          192.0.2.12  OpenSMTPD, the MTA whose log is the input
#   B  mx-b.test          192.0.2.20  Postfix, receiving O's outbound mail: offers TLS
#      plain.mx-b.test    192.0.2.21  ... no STARTTLS
#      tls12.mx-b.test    192.0.2.22  ... TLS 1.2 at most
#      nofs.mx-b.test     192.0.2.23  ... TLS 1.2 with static RSA key exchange only
#      fail.mx-b.test     192.0.2.24  ... TLS 1.2 without RSA authentication (the
#                                     handshake with O fails; O retries in clear)
#      (192.0.2.25: nothing listens)
#   client.test           192.0.2.30  swaks
# Inbound to O: plaintext, and STARTTLS attempts (TLS 1.3, TLS 1.2), which
# OpenSMTPD 6.8.0p2 cannot complete with Debian 12's OpenSSL 3: recorded as
# what the client saw. Outbound from O to B: TLS 1.3, TLS 1.2 with and
# without forward secrecy, plaintext, a failed handshake, TLS required but
# not offered, a recipient B refuses, a closed port.
#
# Writes OUTDIR/opensmtpd-real.in (the mail log), opensmtpd-real.truth (as
# exim.sh) and opensmtpd-real.versions.
# Needs root, postfix, swaks, openssl, python3, iproute2, util-linux.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/integration/lib/postfix.sh"
. "$top/tests/integration/lib/mta.sh"

OUT=${1:?usage: opensmtpd.sh OUTDIR}
O_ADDR=192.0.2.12
C_ADDR=192.0.2.30
PKGS="opensmtpd rsyslog libestr0 libfastjson4 liblognorm5"
# shellcheck disable=SC2086
mt_fetch $PKGS
mt_private_net "$O_ADDR" 192.0.2.20 192.0.2.21 192.0.2.22 192.0.2.23 192.0.2.24 192.0.2.25 \
    "$C_ADDR" -- "$@"
OUT=$(cd "$OUT" && pwd)
mt_it_init
hostname mx-o
ROOT=$MT_TMP/root
# shellcheck disable=SC2086
mt_unpack "$ROOT" $PKGS
mt_private_etc "$ROOT/usr/lib/x86_64-linux-gnu" mx-o.test=$O_ADDR client.test=$C_ADDR \
    mx-b.test=192.0.2.20 plain.mx-b.test=192.0.2.21 tls12.mx-b.test=192.0.2.22 \
    nofs.mx-b.test=192.0.2.23 fail.mx-b.test=192.0.2.24
mt_private_dir /var/spool /var/lib /run
LOG=$MT_TMP/mail.log
mt_syslog "$ROOT" "$LOG" mx-o

O=$MT_TMP/o
B=$MT_TMP/b
PO=$(mt_free_port)
PB=$(mt_free_port)

DOMAINS="tls.example plain.example tls12.example nofs.example fail.example required.example"
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

os_init "$O" "$ROOT" mx-o.test "$O_ADDR" "$PO"
relay() { # NAME URL DOMAIN...
    local name=$1 url=$2 d
    shift 2
    os_conf "$O" "action \"$name\" relay host $url src $O_ADDR helo mx-o.test"
    for d in "$@"; do
        os_conf "$O" "match from any for domain \"$d\" action \"$name\""
    done
}
relay tls "smtp://192.0.2.20:$PB" tls.example refused.example
relay plain "smtp://192.0.2.21:$PB" plain.example
relay tls12 "smtp://192.0.2.22:$PB" tls12.example
relay nofs "smtp://192.0.2.23:$PB" nofs.example
relay fail "smtp://192.0.2.24:$PB" fail.example
relay required "smtp+tls://192.0.2.21:$PB" required.example
relay closed "smtp://192.0.2.25:$PB" closed.example
os_start "$O"

TRUTH=$MT_TMP/truth
: >"$TRUTH"
# send SCENARIO RCPTS [swaks options]: one message into O; records its id and TLS.
send() {
    local scen=$1 rcpts=$2 log id tls
    shift 2
    log=$MT_TMP/swaks-$scen.txt
    swaks --server "$O_ADDR:$PO" --local-interface "$C_ADDR" --helo client.test \
        --from "sender@$scen.sender.example" --to "$rcpts" \
        --header "Subject: $scen" "$@" >"$log" 2>&1 || true
    id=$(sed -n 's/.*250 2\.0\.0 \([0-9a-f]*\) Message accepted.*/\1/p' "$log" | tail -n 1)
    tls=$(sed -n 's/^=== TLS started with cipher \(.*\)$/\1/p' "$log" | head -n 1)
    [ -n "$tls" ] || tls=plaintext
    grep -q 'TLS.*failed\|Could not start TLS\|STARTTLS.*fail' "$log" && tls=failed
    printf 'in\t%s\t%s\t%s\t%s\n' "${id:--}" "$rcpts" "$tls" "$scen" >>"$TRUTH"
}

send plain r@tls.example
send tls13 r@tls.example --tls
send tls12-fs r@tls.example --tls --tls-protocol tlsv1_2 --tls-cipher ECDHE-RSA-AES256-GCM-SHA384
send to-tls12 r@tls12.example
send to-nofs r@nofs.example
send to-plain r@plain.example
send two r1@tls.example,r2@tls.example,r3@plain.example
send to-fail r@fail.example
send to-required r@required.example
send to-refused r@refused.example
send to-closed r@closed.example
sleep 3
pf_wait_idle "$B"
sleep 2
os_stop "$O"
pf_stop "$B"
sleep 1

python3 "$here/outbound-truth.py" "$(pf_log "$B")" "$LOG" ' evpid=([0-9a-f]{8})' >>"$TRUTH"
cp "$LOG" "$OUT/opensmtpd-real.in"
cp "$TRUTH" "$OUT/opensmtpd-real.truth"
{
    cat "$ROOT/.debs"
    postconf -d mail_version
    swaks --version | head -n 1
    openssl version
} >"$OUT/opensmtpd-real.versions"
# What mailtls makes of the log, against the truth (mismatches are printed).
python3 "$here/check-truth.py" "$top/build/src/mailtls/mailtls" "$OUT/opensmtpd-real.in" "$OUT/opensmtpd-real.truth" ||
    echo "opensmtpd.sh: the report differs from the truth (see above)" >&2
echo "opensmtpd.sh: wrote $OUT/opensmtpd-real.in, opensmtpd-real.truth, opensmtpd-real.versions" >&2
