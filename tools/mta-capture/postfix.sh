#!/bin/bash
# postfix.sh OUTDIR - capture real Postfix logs for the log-parser golden tests.
#
# Runs two private Postfix instances (tests/integration/lib/postfix.sh, with
# the main.cf settings below) in a private network and mount namespace
# (loopback only; 192.0.2.x addresses are put on the namespace's own lo so
# that the MTA under test, "A", sees its peers as remote hosts, not loopback):
#   A  mx-a.test 192.0.2.10 - the MTA whose log is the golden input
#   B  mx-b.test 192.0.2.20 - the receiving MTA for A's outbound mail
# and sends mail to A with swaks (and Python's smtplib for two messages in one
# session) from client.test 192.0.2.30: plaintext, TLS 1.3, TLS 1.2 with and
# without forward secrecy, TLS 1.0, a failed handshake; A relays to B in
# plaintext, with TLS, with TLS connection reuse through tlsproxy, through a
# content filter that re-injects into A, with TLS required but not offered,
# and with a failed handshake.
#
# Writes to OUTDIR:
#   postfix-real-a.in     A's maillog (the golden input)
#   postfix-real-b.in     B's maillog (B's smtpd lines are the truth about A's
#                         outbound TLS, and a second golden input)
#   postfix-real.truth    what the clients saw: one line per message sent to A
#                         (scenario, queue id at A, TLS as the client saw it)
# Needs root (namespaces), postfix, swaks, openssl, python3, iproute2, util-linux.
set -eu
. "$(dirname "$0")/../../tests/integration/lib/postfix.sh"

OUT=${1:?usage: postfix.sh OUTDIR}
mt_private_net 192.0.2.10 192.0.2.20 192.0.2.30 -- "$@"
OUT=$(cd "$OUT" && pwd)
mt_it_init
cat >>/etc/hosts <<EOF
192.0.2.10 mx-a.test
192.0.2.20 mx-b.test
192.0.2.30 client.test
EOF
# No name server: lookups that miss /etc/hosts fail at once.
echo "nameserver 127.0.0.1" >"$MT_TMP/resolv.conf"
mount --bind "$MT_TMP/resolv.conf" /etc/resolv.conf || mt_fail "bind-mount /etc/resolv.conf"

A=$MT_TMP/a
B=$MT_TMP/b
PA=$(mt_free_port)       # A: inbound
PR=$(mt_free_port)       # A: content filter return path (re-injection)
PB_TLS=$(mt_free_port)   # B: STARTTLS offered
PB_PLAIN=$(mt_free_port) # B: no STARTTLS
PB_13=$(mt_free_port)    # B: TLS 1.3 only

DOMAINS="plain.example tls.example reuse.example filter.example required.example fail.example"
DOMAINS="$DOMAINS local.example adh.example nofs.example"

# main_cf DIR HOSTNAME: the main.cf settings both instances share (Postfix's
# defaults otherwise, not those of the tests' pf_init).
main_cf() {
    cat <<EOF
compatibility_level = 3.6
queue_directory = $1/queue
data_directory = $1/data
maillog_file = $1/maillog
mail_owner = postfix
setgid_group = postdrop
myhostname = $2
inet_protocols = ipv4
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
smtp_dns_support_level = disabled
smtpd_tls_chain_files = $1/etc/server.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtp_tls_security_level = may
smtp_tls_loglevel = 1
smtpd_tls_received_header = yes
mynetworks = 127.0.0.0/8 192.0.2.0/24
maximal_backoff_time = 3600s
relay_domains = $DOMAINS
EOF
}

# --- A: the MTA under test
pf_new "$A" mx-a.test
{
    main_cf "$A" mx-a.test
    cat <<EOF
smtp_bind_address = 192.0.2.10
transport_maps = texthash:$A/etc/transport
smtpd_recipient_restrictions = check_recipient_access texthash:$A/etc/filter, permit_mynetworks, reject
EOF
} >"$A/etc/main.cf"
cat >"$A/etc/transport" <<EOF
plain.example smtp:[192.0.2.20]:$PB_PLAIN
tls.example smtp:[192.0.2.20]:$PB_TLS
filter.example smtp:[192.0.2.20]:$PB_TLS
reuse.example reuse:[192.0.2.20]:$PB_TLS
required.example required:[192.0.2.20]:$PB_PLAIN
fail.example tls12:[192.0.2.20]:$PB_13
adh.example tls12:[192.0.2.20]:$PB_TLS
nofs.example nofs:[192.0.2.20]:$PB_TLS
local.example discard:
EOF
cat >"$A/etc/filter" <<EOF
filter.example FILTER scan:[127.0.0.1]:$PR
EOF
pf_listen_at "$A" 192.0.2.10 "$PA"
pf_listen_at "$A" 127.0.0.1 "$PR" syslog_name=postfix/reinject smtpd_tls_security_level=none \
    smtpd_recipient_restrictions=permit_mynetworks,reject
cat >>"$A/etc/master.cf" <<EOF
reuse     unix  -       -       n       -       1       smtp
  -o syslog_name=postfix/reuse
  -o smtp_tls_connection_reuse=yes
scan      unix  -       -       n       -       -       smtp
  -o smtp_bind_address=127.0.0.1
required  unix  -       -       n       -       -       smtp
  -o smtp_tls_security_level=encrypt
tls12     unix  -       -       n       -       -       smtp
  -o smtp_tls_protocols=<=TLSv1.2
nofs      unix  -       -       n       -       -       smtp
  -o smtp_tls_protocols=<=TLSv1.2
  -o smtp_tls_exclude_ciphers=aNULL,kEECDH,kEDH
EOF

# --- B: the receiving MTA, discards everything
pf_new "$B" mx-b.test
{
    main_cf "$B" mx-b.test
    cat <<EOF
relay_transport = discard:
default_transport = discard:
smtpd_recipient_restrictions = permit_mynetworks, reject
EOF
} >"$B/etc/main.cf"
pf_listen_at "$B" 192.0.2.20 "$PB_TLS"
pf_listen_at "$B" 192.0.2.20 "$PB_PLAIN" smtpd_tls_security_level=none
pf_listen_at "$B" 192.0.2.20 "$PB_13" "smtpd_tls_protocols=>=TLSv1.3"

pf_start "$A"
pf_start "$B"

truth=$MT_TMP/truth
: >"$truth"
# send SCENARIO RCPT [swaks options]: one message; records the queue id and TLS.
send() {
    local scen=$1 rcpt=$2 log qid tls
    shift 2
    log=$MT_TMP/swaks-$scen.txt
    swaks --server "192.0.2.10:$PA" --local-interface 192.0.2.30 --helo client.test \
        --from "sender@$scen.sender.example" --to "$rcpt" \
        --header "Subject: $scen" "$@" >"$log" 2>&1 || true
    qid=$(sed -n 's/.*queued as \([0-9A-Za-z]*\).*/\1/p' "$log" | tail -1)
    tls=$(sed -n 's/^=== TLS started with cipher \(.*\)$/\1/p' "$log" | head -1)
    [ -n "$tls" ] || tls=plaintext
    if grep -q 'TLS.*failed\|STARTTLS.*fail\|Could not start TLS' "$log"; then tls="failed"; fi
    printf '%s\t%s\t%s\t%s\n' "$scen" "${qid:--}" "$rcpt" "$tls" >>"$truth"
}
# Waits until A's queue holds only the messages that must stay (deferred ones).
settle() {
    local i=0 n
    while [ $i -lt 100 ]; do
        n=$(postqueue -c "$A/etc" -j 2>/dev/null | grep -c '"queue_name": *"active"\|"queue_name": *"incoming"' || true)
        [ "$n" = 0 ] && break
        i=$((i + 1))
        sleep 0.2
    done
    sleep 1
}

send plain rcpt@plain.example
settle
send tls13 rcpt@tls.example --tls
settle
send tls12-fs rcpt@filter.example --tls --tls-protocol tlsv1_2 --tls-cipher ECDHE-RSA-AES256-GCM-SHA384
settle
send tls12-nofs rcpt@nofs.example --tls --tls-protocol tlsv1_2 --tls-cipher AES256-GCM-SHA384
settle
send tls10 rcpt@adh.example --tls --tls-protocol tlsv1 --tls-cipher 'DEFAULT:@SECLEVEL=0'
settle
send required rcpt@required.example --tls
settle
send oldtls rcpt@fail.example
settle
send local rcpt@local.example --tls
settle
# A failed inbound handshake: the client offers only a suite A does not enable.
printf 'failed-in\t-\t-\tfailed\n' >>"$truth"
openssl s_client -connect "192.0.2.10:$PA" -bind 192.0.2.30:0 -starttls smtp -tls1_3 \
    -ciphersuites TLS_AES_128_CCM_8_SHA256 </dev/null >"$MT_TMP/sclient.txt" 2>&1 || true
# Messages in one TLS session: two to one domain, one to two domains, and
# three to the reuse transport (one process: the later ones reuse the cached
# TLS connection through tlsproxy).
python3 - "$PA" >>"$truth" <<'EOF'
import smtplib, ssl, sys
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP("192.0.2.10", int(sys.argv[1]), local_hostname="client.test",
                 source_address=("192.0.2.30", 0))
s.starttls(context=ctx)
tls = "%s:%s:%d" % (s.sock.version(), s.sock.cipher()[0], s.sock.cipher()[2])
for name, rcpts in (("two-1", ["rcpt1@tls.example"]), ("two-2", ["rcpt2@tls.example"]),
                    ("split", ["rcpt3@tls.example", "rcpt3@plain.example"]),
                    ("reuse-1", ["r1@reuse.example"]), ("reuse-2", ["r2@reuse.example"]),
                    ("reuse-3", ["r3@reuse.example"])):
    msg = "From: a@two.sender.example\r\nSubject: %s\r\n\r\nbody\r\n" % name
    s.mail("sender@two.sender.example")
    for r in rcpts:
        s.rcpt(r)
    code, resp = s.data(msg)
    qid = resp.decode().rsplit(" ", 1)[-1]
    print("%s\t%s\t%s\t%s" % (name, qid, ",".join(rcpts), tls))
s.quit()
EOF
settle
sleep 2
pf_stop "$A"
pf_stop "$B"
sleep 1
cp "$(pf_log "$A")" "$OUT/postfix-real-a.in"
cp "$(pf_log "$B")" "$OUT/postfix-real-b.in"
cp "$truth" "$OUT/postfix-real.truth"
echo "postfix.sh: wrote $OUT/postfix-real-a.in, postfix-real-b.in, postfix-real.truth" >&2
