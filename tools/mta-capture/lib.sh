# shellcheck shell=bash
# lib.sh - what the capture scripts share. Source it from a bash script in
# this folder; it sources the test harness (tests/integration/lib/postfix.sh
# and mta.sh), whose private network, Postfix instances and unpacked MTAs the
# captures run on.
#
#   cap_begin HOST PKGS ADDR... -- ARGS...  fetch the Debian packages PKGS (a
#                           list in one word), re-run the script (with its
#                           ARGS) in a private network with ADDRs on loopback,
#                           make $MT_TMP, name the host HOST, unpack PKGS into
#                           $ROOT and start an empty truth file
#   cap_peer DIR PORT DOMAINS  a Postfix in DIR for mx-b.test with listeners on
#                           PORT of five addresses: 192.0.2.20 offers TLS, .21
#                           no STARTTLS, .22 TLS 1.2 at most, .23 TLS 1.2 with
#                           static RSA key exchange only, .24 TLS 1.2 without
#                           RSA authentication; started as cap_peer_start does
#   CAP_PEER_ADDRS          those five and 192.0.2.25, where nothing listens (an
#                           array, for cap_begin)
#   CAP_PEER_HOSTS          their names (an array, for mt_private_etc):
#                           mx-b.test, plain.mx-b.test, tls12.mx-b.test,
#                           nofs.mx-b.test and fail.mx-b.test
#   cap_peer_start DIR DOMAINS  let the Postfix in DIR accept mail for DOMAINS and
#                           refused.example (whose recipients it refuses) from
#                           anywhere, discard it, and start
#   cap_send SCENARIO RCPTS [SWAKS-OPTION...]  one message with swaks from
#                           client.test ($C_ADDR) to $CAP_SERVER (ADDR:PORT);
#                           adds "in ID RCPTS TLS SCENARIO" to the truth, where
#                           ID is what the sed pattern $CAP_ID (one group) finds
#                           in the server's reply and TLS what swaks saw
#                           (PROTOCOL:CIPHER:BITS, "plaintext" or "failed")
#   cap_failed_in           a failed inbound handshake: openssl s_client offers
#                           only TLS_AES_128_CCM_8_SHA256, which the MTAs do not
#                           enable; adds "in - - failed failed-in" to the truth
#   cap_finish NAME LOG PEER ID-RE [VERSION-LINE...]  add to the truth what
#                           the Postfix in PEER saw of each delivery from LOG
#                           (ID-RE finds the MTA's id, outbound-truth.py); write
#                           $OUT/NAME.in (LOG), NAME.truth and NAME.versions
#                           (the packages used, then VERSION-LINEs); print how
#                           mailtls's report differs from the truth

CAP_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAP_TOP=$(cd "$CAP_HERE/../.." && pwd)
. "$CAP_TOP/tests/integration/lib/postfix.sh"
. "$CAP_TOP/tests/integration/lib/mta.sh"

cap_begin() {
    local host=$1 pkgs=$2 addrs=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        addrs+=("$1")
        shift
    done
    # shellcheck disable=SC2086
    mt_fetch $pkgs
    mt_private_net "${addrs[@]}" "$@"
    mt_it_init
    hostname "$host"
    ROOT=$MT_TMP/root
    # shellcheck disable=SC2086
    mt_unpack "$ROOT" $pkgs
    CAP_TRUTH=$MT_TMP/truth
    : >"$CAP_TRUTH"
}

# shellcheck disable=SC2034 # used by the scripts that source this file
CAP_PEER_ADDRS=(192.0.2.20 192.0.2.21 192.0.2.22 192.0.2.23 192.0.2.24 192.0.2.25)
# shellcheck disable=SC2034
CAP_PEER_HOSTS=(mx-b.test=192.0.2.20 plain.mx-b.test=192.0.2.21 tls12.mx-b.test=192.0.2.22
    nofs.mx-b.test=192.0.2.23 fail.mx-b.test=192.0.2.24)

cap_peer() {
    local dir=$1 port=$2 domains=$3
    pf_init "$dir" mx-b.test
    pf_listen_at "$dir" 192.0.2.20 "$port"
    pf_listen_at "$dir" 192.0.2.21 "$port" smtpd_tls_security_level=none
    pf_listen_at "$dir" 192.0.2.22 "$port" "smtpd_tls_protocols=<=TLSv1.2"
    pf_listen_at "$dir" 192.0.2.23 "$port" "smtpd_tls_protocols=<=TLSv1.2" "smtpd_tls_exclude_ciphers=kEECDH,kEDH"
    pf_listen_at "$dir" 192.0.2.24 "$port" "smtpd_tls_protocols=<=TLSv1.2" "smtpd_tls_exclude_ciphers=aRSA"
    cap_peer_start "$dir" "$domains"
}

cap_peer_start() {
    pf_set "$1" "relay_domains = $2 refused.example" "relay_transport = discard:" \
        "mynetworks = 127.0.0.0/8" \
        "smtpd_recipient_restrictions = check_recipient_access inline:{refused.example=REJECT}, permit_auth_destination, reject"
    pf_start "$1"
}

cap_send() {
    local scen=$1 rcpts=$2 log id tls
    shift 2
    log=$MT_TMP/swaks-$scen.txt
    swaks --server "$CAP_SERVER" --local-interface "$C_ADDR" --helo client.test \
        --from "sender@$scen.sender.example" --to "$rcpts" \
        --header "Subject: $scen" "$@" >"$log" 2>&1 || true
    id=$(sed -n "s/.*$CAP_ID.*/\\1/p" "$log" | tail -n 1)
    tls=$(sed -n 's/^=== TLS started with cipher \(.*\)$/\1/p' "$log" | head -n 1)
    [ -n "$tls" ] || tls=plaintext
    grep -q 'TLS.*failed\|Could not start TLS\|STARTTLS.*fail' "$log" && tls=failed
    printf 'in\t%s\t%s\t%s\t%s\n' "${id:--}" "$rcpts" "$tls" "$scen" >>"$CAP_TRUTH"
}

cap_failed_in() {
    openssl s_client -connect "$CAP_SERVER" -bind "$C_ADDR:0" -starttls smtp -tls1_3 \
        -ciphersuites TLS_AES_128_CCM_8_SHA256 </dev/null >"$MT_TMP/sclient.txt" 2>&1 || true
    printf 'in\t-\t-\tfailed\tfailed-in\n' >>"$CAP_TRUTH"
}

cap_finish() {
    local name=$1 log=$2 peer=$3 re=$4 me
    shift 4
    me=$(basename "$0")
    python3 "$CAP_HERE/outbound-truth.py" "$(pf_log "$peer")" "$log" "$re" >>"$CAP_TRUTH"
    cp "$log" "$OUT/$name.in"
    cp "$CAP_TRUTH" "$OUT/$name.truth"
    {
        cat "$ROOT/.debs"
        postconf -d mail_version
        swaks --version | head -n 1
        openssl version
        [ $# -eq 0 ] || printf '%s\n' "$@"
    } >"$OUT/$name.versions"
    # What mailtls makes of the log, against the truth (mismatches are printed).
    python3 "$CAP_HERE/check-truth.py" "$CAP_TOP/build/src/mailtls/mailtls" "$OUT/$name.in" \
        "$OUT/$name.truth" || echo "$me: the report differs from the truth (see above)" >&2
    echo "$me: wrote $OUT/$name.in, $name.truth, $name.versions" >&2
}
