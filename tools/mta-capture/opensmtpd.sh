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
. "$(dirname "$0")/lib.sh"

OUT=${1:?usage: opensmtpd.sh OUTDIR}
O_ADDR=192.0.2.12
C_ADDR=192.0.2.30
cap_begin mx-o "opensmtpd rsyslog libestr0 libfastjson4 liblognorm5" \
    "$O_ADDR" "${CAP_PEER_ADDRS[@]}" "$C_ADDR" -- "$@"
OUT=$(cd "$OUT" && pwd)
mt_private_etc "$ROOT/usr/lib/x86_64-linux-gnu" mx-o.test=$O_ADDR client.test=$C_ADDR \
    "${CAP_PEER_HOSTS[@]}"
mt_private_dir /var/spool /var/lib /run
LOG=$MT_TMP/mail.log
mt_syslog "$ROOT" "$LOG" mx-o

O=$MT_TMP/o
B=$MT_TMP/b
PO=$(mt_free_port)
PB=$(mt_free_port)

DOMAINS="tls.example plain.example tls12.example nofs.example fail.example required.example"
cap_peer "$B" "$PB" "$DOMAINS"

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

# Messages into O from client.test; the truth records each id and the TLS swaks saw.
CAP_SERVER=$O_ADDR:$PO
CAP_ID='250 2\.0\.0 \([0-9a-f]*\) Message accepted'
cap_send plain r@tls.example
cap_send tls13 r@tls.example --tls
cap_send tls12-fs r@tls.example --tls --tls-protocol tlsv1_2 --tls-cipher ECDHE-RSA-AES256-GCM-SHA384
cap_send to-tls12 r@tls12.example
cap_send to-nofs r@nofs.example
cap_send to-plain r@plain.example
cap_send two r1@tls.example,r2@tls.example,r3@plain.example
cap_send to-fail r@fail.example
cap_send to-required r@required.example
cap_send to-refused r@refused.example
cap_send to-closed r@closed.example
sleep 3
pf_wait_idle "$B"
sleep 2
os_stop "$O"
pf_stop "$B"
sleep 1

cap_finish opensmtpd-real "$LOG" "$B" ' evpid=([0-9a-f]{8})'
