#!/bin/sh
# postfix.sh OUTDIR - capture real Postfix logs for the log-parser golden tests.
#
# Runs two private Postfix instances in a private network and mount namespace
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
# Needs root (namespaces), postfix, swaks, openssl, python3, iproute2.
set -eu

out=$(cd "${1:?usage: postfix.sh OUTDIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

if [ "${MAILTLS_CAPTURE_NS:-}" != 1 ]; then
    export MAILTLS_CAPTURE_NS=1
    exec unshare --net --mount sh "$here/postfix.sh" "$out"
fi

D=$(mktemp -d /var/tmp/mailtls-cap-XXXXXX)
chmod 755 "$D"
cleanup() {
    postfix -c "$D/a/etc" stop >/dev/null 2>&1 || true
    postfix -c "$D/b/etc" stop >/dev/null 2>&1 || true
    sleep 1
    rm -rf "$D"
}
trap cleanup EXIT INT TERM

ip link set lo up
for a in 192.0.2.10 192.0.2.20 192.0.2.30; do ip addr add $a/32 dev lo; done
cat >"$D/hosts" <<EOF
127.0.0.1 localhost
::1 localhost
192.0.2.10 mx-a.test
192.0.2.20 mx-b.test
192.0.2.30 client.test
EOF
echo "nameserver 127.0.0.1" >"$D/resolv.conf"
mount --bind "$D/hosts" /etc/hosts
mount --bind "$D/resolv.conf" /etc/resolv.conf

# A free TCP port on an address, chosen by the kernel.
freeport() {
    python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"
}
PA=$(freeport 192.0.2.10)      # A: inbound
PR=$(freeport 127.0.0.1)       # A: content filter return path (re-injection)
PB_TLS=$(freeport 192.0.2.20)  # B: STARTTLS offered
PB_PLAIN=$(freeport 192.0.2.20) # B: no STARTTLS
PB_13=$(freeport 192.0.2.20)   # B: TLS 1.3 only

DOMAINS="plain.example tls.example reuse.example filter.example required.example fail.example"
DOMAINS="$DOMAINS local.example adh.example nofs.example"
for x in a b; do
    mkdir -p "$D/$x/etc" "$D/$x/queue" "$D/$x/data"
    chown postfix "$D/$x/data"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx-$x.test" \
        -keyout "$D/$x/etc/key.pem" -out "$D/$x/etc/cert.pem" 2>/dev/null
done

common() { # $1 = instance
    cat <<EOF
compatibility_level = 3.6
queue_directory = $D/$1/queue
data_directory = $D/$1/data
maillog_file = $D/$1/maillog
mail_owner = postfix
setgid_group = postdrop
inet_protocols = ipv4
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
smtp_dns_support_level = disabled
smtpd_tls_chain_files = $D/$1/etc/key.pem, $D/$1/etc/cert.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtp_tls_security_level = may
smtp_tls_loglevel = 1
smtpd_tls_received_header = yes
mynetworks = 127.0.0.0/8 192.0.2.0/24
maximal_backoff_time = 3600s
EOF
}

services() { # the daemons every instance needs
    cat <<EOF
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
tlsproxy  unix  -       -       n       -       0       tlsproxy
EOF
}

# --- A: the MTA under test
{
    common a
    cat <<EOF
myhostname = mx-a.test
smtp_bind_address = 192.0.2.10
relay_domains = $DOMAINS
transport_maps = texthash:$D/a/etc/transport
smtpd_recipient_restrictions = check_recipient_access texthash:$D/a/etc/filter, permit_mynetworks, reject
EOF
} >"$D/a/etc/main.cf"
cat >"$D/a/etc/transport" <<EOF
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
cat >"$D/a/etc/filter" <<EOF
filter.example FILTER scan:[127.0.0.1]:$PR
EOF
{
    services
    cat <<EOF
192.0.2.10:$PA inet n - n - - smtpd
127.0.0.1:$PR inet n - n - - smtpd
  -o syslog_name=postfix/reinject
  -o smtpd_tls_security_level=none
  -o smtpd_recipient_restrictions=permit_mynetworks,reject
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
} >"$D/a/etc/master.cf"

# --- B: the receiving MTA, discards everything
{
    common b
    cat <<EOF
myhostname = mx-b.test
relay_domains = $DOMAINS
relay_transport = discard:
default_transport = discard:
smtpd_recipient_restrictions = permit_mynetworks, reject
EOF
} >"$D/b/etc/main.cf"
{
    services
    cat <<EOF
192.0.2.20:$PB_TLS inet n - n - - smtpd
192.0.2.20:$PB_PLAIN inet n - n - - smtpd
  -o smtpd_tls_security_level=none
192.0.2.20:$PB_13 inet n - n - - smtpd
  -o smtpd_tls_protocols=>=TLSv1.3
EOF
} >"$D/b/etc/master.cf"

for x in a b; do
    postfix -c "$D/$x/etc" set-permissions >/dev/null 2>&1 || true
    postfix -c "$D/$x/etc" check
    postfix -c "$D/$x/etc" start || { cat "$D/$x/maillog" >&2; exit 1; }
done
for p in $PA $PR $PB_TLS $PB_PLAIN $PB_13; do
    i=0
    until ss -ltn | grep -q ":$p "; do
        i=$((i + 1))
        [ $i -gt 100 ] && { echo "postfix.sh: port $p never opened" >&2; exit 1; }
        sleep 0.1
    done
done

truth="$D/truth"
: >"$truth"
# send SCENARIO RCPT [swaks options]: one message; records the queue id and TLS.
send() {
    scen=$1 rcpt=$2
    shift 2
    log="$D/swaks-$scen.txt"
    swaks --server 192.0.2.10:$PA --local-interface 192.0.2.30 --helo client.test \
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
    i=0
    while [ $i -lt 100 ]; do
        n=$(postqueue -c "$D/a/etc" -j 2>/dev/null | grep -c '"queue_name": *"active"\|"queue_name": *"incoming"' || true)
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
openssl s_client -connect 192.0.2.10:$PA -bind 192.0.2.30:0 -starttls smtp -tls1_3 \
    -ciphersuites TLS_AES_128_CCM_8_SHA256 </dev/null >"$D/sclient.txt" 2>&1 || true
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
postfix -c "$D/a/etc" stop >/dev/null 2>&1 || true
postfix -c "$D/b/etc" stop >/dev/null 2>&1 || true
sleep 1
cp "$D/a/maillog" "$out/postfix-real-a.in"
cp "$D/b/maillog" "$out/postfix-real-b.in"
cp "$truth" "$out/postfix-real.truth"
echo "postfix.sh: wrote $out/postfix-real-a.in, postfix-real-b.in, postfix-real.truth" >&2
