# postfix.sh - run private Postfix instances on loopback for mailtls's tests.
#
# Source this file from a bash test script. It never touches the system's
# Postfix: every instance lives in its own directory under one temporary
# directory in /var/tmp (Postfix accepts a maillog_file only under /var),
# listens on 127.0.0.1 (and ::1 when asked) on high ports picked at run time,
# and is stopped by an EXIT trap even when the test fails.
#
#   mt_it_init                      create $MT_TMP, install the cleanup trap
#   mt_free_port                    print a free TCP port on 127.0.0.1
#   mt_make_cert OUT CN [rsa|ecdsa] self-signed key+certificate chain file OUT
#   pf_init DIR HOSTNAME            write main.cf/master.cf for an instance in DIR
#   pf_new DIR HOSTNAME             the same without main.cf (the caller writes its own):
#                                   folders, DIR/etc/server.pem, master.cf's daemons
#   pf_set DIR 'name = value' ...   change main.cf settings
#   pf_service DIR LINE             append a master.cf line
#   pf_listen DIR PORT [ARGS...]    add an smtpd listener 127.0.0.1:PORT with -o ARGS
#   pf_listen_at DIR ADDR PORT [ARGS...]  the same on another local address
#   mt_private_net ADDR... -- "$@"  re-run the calling script (with its arguments) in its
#                                   own network and mount namespaces, ADDRs on loopback
#   pf_mailbox DIR DOMAIN           deliver mail for DOMAIN to DIR/mail/DOMAIN (mbox)
#   pf_pipe DIR NAME USER ARGV...   add a pipe(8) transport NAME running ARGV as USER
#                                   (flags=Rq, one recipient per delivery)
#   pf_route DIR ADDR-OR-DOMAIN TRANSPORT  send mail for it to TRANSPORT (transport_maps)
#   pf_start DIR / pf_stop DIR      start/stop (start waits for the listeners)
#   pf_wait_idle DIR [SECONDS]      wait until the queue is empty
#   pf_wait_log DIR REGEX [SECONDS] wait until the maillog has a line matching REGEX
#   pf_log DIR                      print the path of the instance's maillog
#   mt_swaks PORT ARGS...           run swaks against 127.0.0.1:PORT (or $MT_SERVER), quietly
#   mt_send PORT ARGS...            like mt_swaks, printing the queue id the server gave
#   mt_fail MSG                     print MSG and exit 1
#   mt_poll SECONDS CMD...          run CMD every 0.1 s until it succeeds (status 0) or
#                                   SECONDS have passed (status 1)
#   mt_listening ADDR:PORT          true when something listens on ADDR:PORT (ss)
#
# Set MT_KEEP=1 to keep $MT_TMP after the test for inspection.

mt_fail() {
    echo "FAIL: $*" >&2
    exit 1
}

mt_poll() {
    local n=$(($1 * 10))
    shift
    for _ in $(seq 1 "$n"); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

mt_listening() {
    ss -ltnH "src $1" 2>/dev/null | grep -q .
}

mt_cleanup() {
    local d
    # Daemons and mounts of other harnesses (mta.sh) go first.
    if declare -F mt_cleanup_more >/dev/null; then
        mt_cleanup_more
    fi
    if [ -n "${MT_TMP:-}" ] && [ -f "$MT_TMP/.instances" ]; then
        while read -r d; do
            postfix -c "$d/etc" stop >/dev/null 2>&1 || true
        done <"$MT_TMP/.instances"
    fi
    if [ -n "${MT_TMP:-}" ]; then
        if [ "${MT_KEEP:-0}" = 1 ]; then
            echo "kept $MT_TMP" >&2
        else
            rm -rf "$MT_TMP"
        fi
    fi
}

mt_it_init() {
    local t
    for t in postfix postconf postqueue swaks openssl ss python3; do
        command -v "$t" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
        command -v "$t" >/dev/null 2>&1 || mt_fail "$t not found (make check installs it)"
    done
    [ "$(id -u)" -eq 0 ] || mt_fail "integration tests start Postfix and must run as root"
    MT_TMP=$(mktemp -d /var/tmp/mailtls-test-XXXXXX) || mt_fail "mktemp"
    chmod 755 "$MT_TMP"
    : >"$MT_TMP/.instances"
    trap mt_cleanup EXIT
    trap 'exit 1' INT TERM
}

# Prints a TCP port that is free on 127.0.0.1 and ::1 and not handed out
# before in this test (the kernel may give the same ephemeral port twice).
mt_free_port() {
    local p
    while :; do
        p=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
        if ! grep -qx "$p" "$MT_TMP/.ports" 2>/dev/null; then
            echo "$p" >>"$MT_TMP/.ports"
            echo "$p"
            return
        fi
    done
}

mt_make_cert() {
    local out=$1 cn=$2 kind=${3:-rsa} key
    key=$(mktemp "$MT_TMP/key.XXXXXX")
    if [ "$kind" = ecdsa ]; then
        openssl ecparam -name prime256v1 -genkey -noout -out "$key" 2>/dev/null
    else
        openssl genrsa -out "$key" 2048 2>/dev/null
    fi || mt_fail "openssl key"
    openssl req -new -x509 -key "$key" -days 30 -subj "/CN=$cn" -out "$key.crt" \
        2>/dev/null || mt_fail "openssl req"
    cat "$key" "$key.crt" >"$out"
    rm -f "$key" "$key.crt"
    chmod 600 "$out"
}

pf_init() {
    local dir=$1 host=$2
    pf_new "$dir" "$host"
    cat >"$dir/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file = $dir/maillog
mail_owner = postfix
setgid_group = postdrop
myhostname = $host
mydomain = ${host#*.}
myorigin = \$myhostname
mydestination = \$myhostname, localhost
inet_interfaces = loopback-only
inet_protocols = all
mynetworks = 127.0.0.0/8 [::1]/128
alias_maps =
alias_database =
biff = no
smtp_dns_support_level = disabled
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_tls_security_level = may
smtpd_tls_chain_files = $dir/etc/server.pem
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtp_tls_security_level = may
smtp_tls_loglevel = 1
smtp_tls_chain_files =
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
delay_warning_time = 0
default_transport = error:mail for other domains is not delivered in this test
relay_transport = error:mail for other domains is not delivered in this test
local_transport = error:no local delivery in this test
EOF
}

pf_new() {
    local dir=$1 host=$2
    mkdir -p "$dir/etc" "$dir/queue" "$dir/data" "$dir/mail"
    chown postfix "$dir/data"
    mt_make_cert "$dir/etc/server.pem" "$host"
    cat >"$dir/etc/master.cf" <<'EOF'
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
smtp       unix  -       -       n       -       -       smtp
relay      unix  -       -       n       -       -       smtp
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
local      unix  -       n       n       -       -       local
virtual    unix  -       n       n       -       -       virtual
lmtp       unix  -       -       n       -       -       lmtp
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
tlsproxy   unix  -       -       n       -       0       tlsproxy
postlog    unix-dgram n  -       n       -       1       postlogd
EOF
    : >"$dir/listeners"
}

pf_set() {
    local dir=$1
    shift
    postconf -c "$dir/etc" -e "$@" || mt_fail "postconf -e $*"
}

pf_service() {
    printf '%s\n' "$2" >>"$1/etc/master.cf"
}

pf_listen() {
    local dir=$1
    shift
    pf_listen_at "$dir" 127.0.0.1 "$@"
}

pf_listen_at() {
    local dir=$1 addr=$2 port=$3 line
    shift 3
    line="$addr:$port inet n - n - - smtpd"
    while [ $# -gt 0 ]; do
        line="$line
  -o $1"
        shift
    done
    pf_service "$dir" "$line"
    echo "$addr:$port" >>"$dir/listeners"
}

# Postfix treats peers on 127/8 and ::1 as local hand-offs, so a test of
# Internet-facing traffic needs other addresses. mt_private_net re-executes
# the calling script (with its arguments) in new network and mount
# namespaces (and its own UTS namespace, so a test may set the host name):
# nothing there can reach any network, the loopback device is
# up and also carries ADDRs (use TEST-NET-1, 192.0.2.0/24), and /etc/hosts
# is a private copy that knows ::1. Call it first, before mt_it_init.
mt_private_net() {
    local a addrs=""
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        addrs="$addrs $1"
        shift
    done
    [ $# -gt 0 ] && shift
    if [ "${MT_IN_PRIVATE_NET:-}" != 1 ]; then
        command -v unshare >/dev/null 2>&1 || mt_fail "unshare not found (util-linux)"
        MT_IN_PRIVATE_NET=1 exec unshare --net --mount --uts -- bash "$0" "$@"
    fi
    ip link set lo up || mt_fail "ip link set lo up"
    for a in $addrs; do
        ip addr add "$a/32" dev lo || mt_fail "ip addr add $a"
    done
    a=$(mktemp /var/tmp/mailtls-hosts-XXXXXX)
    printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$a"
    chmod 644 "$a"
    mount --bind "$a" /etc/hosts || mt_fail "bind-mount /etc/hosts"
    rm -f "$a"
}

pf_mailbox() {
    local dir=$1 domain=$2
    chown nobody "$dir/mail"
    pf_set "$dir" "virtual_mailbox_domains = $domain" \
        "virtual_mailbox_base = $dir/mail" \
        "virtual_mailbox_maps = static:$domain" \
        "virtual_uid_maps = static:65534" \
        "virtual_gid_maps = static:65534" \
        "virtual_minimum_uid = 1"
}

pf_pipe() {
    local dir=$1 name=$2 user=$3
    shift 3
    pf_service "$dir" "$name unix - n n - 4 pipe flags=Rq user=$user argv=$*"
    pf_set "$dir" "${name}_destination_recipient_limit = 1"
}

pf_route() {
    local dir=$1 key=$2 transport=$3
    printf '%s %s\n' "$key" "$transport" >>"$dir/etc/transport"
    pf_set "$dir" "transport_maps = texthash:$dir/etc/transport"
}

pf_log() {
    echo "$1/maillog"
}

pf_start() {
    local dir=$1 l
    postfix -c "$dir/etc" set-permissions >/dev/null 2>&1 || true
    postfix -c "$dir/etc" check >"$dir/check.log" 2>&1 || {
        cat "$dir/check.log" >&2
        mt_fail "postfix check failed for $dir"
    }
    postfix -c "$dir/etc" start >"$dir/start.log" 2>&1 || {
        cat "$dir/start.log" "$dir/maillog" >&2 2>/dev/null
        mt_fail "postfix start failed for $dir"
    }
    echo "$dir" >>"$MT_TMP/.instances"
    # Wait for the listeners with ss: a probe connection would be logged.
    while read -r l; do
        mt_poll 10 mt_listening "$l" || mt_fail "$l is not listening"
    done <"$dir/listeners"
}

pf_stop() {
    postfix -c "$1/etc" stop >/dev/null 2>&1 || true
}

pf_queue_empty() {
    [ -z "$(postqueue -c "$1/etc" -j 2>/dev/null)" ]
}

pf_wait_idle() {
    local dir=$1 secs=${2:-30}
    mt_poll "$secs" pf_queue_empty "$dir" && return 0
    postqueue -c "$dir/etc" -p >&2
    mt_fail "queue of $dir not empty after ${secs}s"
}

pf_wait_log() {
    local dir=$1 re=$2 secs=${3:-30}
    mt_poll "$secs" grep -sEq -- "$re" "$dir/maillog" && return 0
    mt_fail "no line matching /$re/ in $dir/maillog after ${secs}s"
}

mt_swaks() {
    local port=$1
    shift
    swaks --server "${MT_SERVER:-127.0.0.1}" --port "$port" --silent 2 --hide-all "$@"
}

mt_send() {
    local port=$1 out
    shift
    out=$(swaks --server "${MT_SERVER:-127.0.0.1}" --port "$port" --hide-informational --suppress-data "$@" 2>&1) ||
        { printf '%s\n' "$out" >&2; return 1; }
    printf '%s\n' "$out" | sed -n 's/.*250 2\.0\.0 Ok: queued as \([0-9A-Za-z]*\).*/\1/p' | tail -n 1
}
