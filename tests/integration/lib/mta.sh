# mta.sh - run Exim, Sendmail and OpenSMTPD from unpacked Debian packages.
#
# Source this file from a bash script after postfix.sh. Debian's MTA packages
# conflict with postfix (which the tests need), so they are never installed:
# mt_fetch gets the .deb files with `apt-get download` (cached under
# $MT_DEB_CACHE between runs) and mt_unpack extracts them with `dpkg -x`
# into a folder of the test. The daemons expect users, /etc files and libraries of their
# own; mt_private_etc gives the calling script (already in its own mount
# namespace, see mt_private_net) private copy-on-write views of /etc and /dev
# (overlayfs), so that users, /etc/exim4, /etc/mail, /etc/ld.so.cache and a
# /dev/log socket can be added without changing anything outside.
#
#   mt_fetch PKG...                 download PKG... into the cache unless there (call it
#                                   before mt_private_net: the namespace has no network)
#   mt_unpack DIR PKG...            unpack cached PKG... into DIR
#   mt_private_etc LIBDIR NAME=ADDR...  private /etc and /dev; LIBDIR in the loader
#                                   path; /etc/hosts names ADDRs (call after
#                                   mt_private_net and mt_it_init)
#   mt_add_user NAME [GROUP]        add a system user (and its group) to the private /etc
#   mt_syslog ROOT FILE HOST        run rsyslogd unpacked in ROOT on /dev/log, writing
#                                   mail lines to FILE in Debian 12's default format
#                                   (RFC 3339 stamps) with HOST as the logging host
#   mt_bg NAME CMD...               run CMD in the background; it is killed at exit
#   mt_bg_end NAME                  stop what mt_bg NAME started (up to 5 s for it to end)
#   mt_wait_port ADDR PORT          wait until ADDR:PORT accepts connections (ss)
#
#   ex_init DIR ROOT HOST ADDR PORT an Exim (unpacked in ROOT) for HOST on ADDR:PORT
#   ex_main DIR 'option = value'    add a main configuration option
#   ex_route DIR DOMAIN NAME HOST PORT [TRANSPORT-OPTION...]
#                                   deliver DOMAIN over SMTP to HOST:PORT (a name in
#                                   /etc/hosts or an address) with a
#                                   transport NAME (options such as hosts_avoid_tls = *)
#   ex_blackhole DIR DOMAIN         accept mail for DOMAIN and discard it
#   ex_start DIR / ex_stop DIR      run the daemon in the foreground (-bdf) / stop it
#   ex_exim DIR ARGS...             run the exim binary with the instance's configuration
#   ex_wait_queue DIR N [SECONDS]   wait until N messages are left in the queue
#   ex_log DIR                      print the path of the instance's main log

MT_DEB_CACHE=${MT_DEB_CACHE:-/var/cache/mailtls/debs}

mt_fetch() {
    local p tmp
    mkdir -p "$MT_DEB_CACHE" || mt_fail "mkdir $MT_DEB_CACHE"
    for p in "$@"; do
        ls "$MT_DEB_CACHE/${p}_"*.deb >/dev/null 2>&1 && continue
        # Download beside the cache and rename into it, so that a test
        # running at the same time never sees half a file.
        tmp=$(mktemp -d "$MT_DEB_CACHE/.download-XXXXXX") || mt_fail "mktemp"
        # apt-get download needs package lists; fresh machines have none.
        (cd "$tmp" && apt-get download "$p" >/dev/null 2>&1) ||
            { apt-get update >/dev/null 2>&1 &&
                (cd "$tmp" && apt-get download "$p" >/dev/null 2>&1); } ||
            { rm -rf "$tmp"; mt_fail "apt-get download $p failed"; }
        mv "$tmp/${p}_"*.deb "$MT_DEB_CACHE/" 2>/dev/null
        rm -rf "$tmp"
        ls "$MT_DEB_CACHE/${p}_"*.deb >/dev/null 2>&1 || mt_fail "apt-get download $p gave no file"
    done
}

mt_unpack() {
    local dir=$1 p f
    shift
    mkdir -p "$dir"
    for p in "$@"; do
        f=$(ls "$MT_DEB_CACHE/${p}_"*.deb 2>/dev/null | tail -n 1)
        [ -n "$f" ] || mt_fail "$p is not in $MT_DEB_CACHE (mt_fetch it first)"
        dpkg -x "$f" "$dir" || mt_fail "dpkg -x $f"
        basename "$f" >>"$dir/.debs"
    done
}

mt_private_etc() {
    local lib=$1 pair d
    shift
    [ "${MT_IN_PRIVATE_NET:-}" = 1 ] || mt_fail "mt_private_etc needs mt_private_net first"
    d=$MT_TMP/.overlay
    mkdir -p "$d/etc/up" "$d/etc/work" "$d/dev/up" "$d/dev/work"
    mount -t overlay overlay -o "lowerdir=/etc,upperdir=$d/etc/up,workdir=$d/etc/work" /etc ||
        mt_fail "overlay /etc"
    : >"$d/mounted"
    mount -t overlay overlay -o "lowerdir=/dev,upperdir=$d/dev/up,workdir=$d/dev/work" /dev ||
        mt_fail "overlay /dev"
    rm -f /etc/hosts /etc/resolv.conf
    {
        echo "127.0.0.1 localhost"
        echo "::1 localhost ip6-localhost"
        for pair in "$@"; do
            echo "${pair#*=} ${pair%%=*}"
        done
    } >/etc/hosts
    # No name server: lookups that miss /etc/hosts fail at once.
    echo "nameserver 127.0.0.1" >/etc/resolv.conf
    echo "$lib" >/etc/ld.so.conf.d/zz-mailtls-test.conf
    ldconfig || mt_fail "ldconfig"
}

mt_add_user() {
    local name=$1 group=${2:-$1} id=64999
    getent passwd "$name" >/dev/null && return 0
    while getent passwd "$id" >/dev/null || getent group "$id" >/dev/null; do
        id=$((id - 1))
    done
    getent group "$group" >/dev/null || echo "$group:x:$id:" >>/etc/group
    echo "$name:x:$id:$(getent group "$group" | cut -d: -f3)::/nonexistent:/usr/sbin/nologin" >>/etc/passwd
}

mt_bg() {
    local name=$1
    shift
    "$@" >"$MT_TMP/$name.out" 2>&1 &
    echo "$!" >>"$MT_TMP/.pids"
    echo "$!" >"$MT_TMP/$name.pid"
}

mt_bg_gone() {
    ! kill -0 "$1" 2>/dev/null
}

mt_bg_end() {
    local p
    p=$(cat "$MT_TMP/$1.pid" 2>/dev/null) || return 0
    kill "$p" 2>/dev/null || true
    mt_poll 5 mt_bg_gone "$p" || true
}

# Stops what mt_bg started (called from mt_cleanup through mt_cleanup_hook).
mt_bg_stop() {
    local p
    [ -f "$MT_TMP/.pids" ] || return 0
    while read -r p; do
        kill "$p" 2>/dev/null || true
    done <"$MT_TMP/.pids"
    sleep 0.5
    while read -r p; do
        kill -9 "$p" 2>/dev/null || true
    done <"$MT_TMP/.pids"
    : >"$MT_TMP/.pids"
}

# Called by mt_cleanup (postfix.sh) before it stops Postfix and removes $MT_TMP.
mt_cleanup_more() {
    local p
    mt_bg_stop
    if [ -f "$MT_TMP/.overlay/dirs" ]; then
        while read -r p; do
            umount -l "$p" 2>/dev/null || true
        done <"$MT_TMP/.overlay/dirs"
    fi
    if [ -f "$MT_TMP/.overlay/mounted" ]; then
        umount -l /dev 2>/dev/null || true
        umount -l /etc 2>/dev/null || true
    fi
}

mt_wait_port() {
    mt_poll 10 mt_listening "$1:$2" || mt_fail "$1:$2 is not listening"
}

mt_syslog() {
    local root=$1 file=$2
    cat >"$MT_TMP/rsyslog.conf" <<EOF
global(localHostName="$3" workDirectory="$MT_TMP")
module(load="imuxsock")
mail.* $file
EOF
    rm -f /dev/log
    mt_bg rsyslogd "$root/usr/sbin/rsyslogd" -n -f "$MT_TMP/rsyslog.conf" \
        -i "$MT_TMP/rsyslog-own.pid" -M "$root/usr/lib/x86_64-linux-gnu/rsyslog"
    mt_poll 10 test -S /dev/log && return 0
    cat "$MT_TMP/rsyslogd.out" >&2
    mt_fail "rsyslogd did not create /dev/log"
}

# --- Exim

ex_init() {
    local dir=$1 root=$2 host=$3 addr=$4 port=$5
    mkdir -p "$dir/spool" "$dir/log"
    mt_add_user Debian-exim
    mt_make_cert "$dir/server.pem" "$host"
    chown Debian-exim "$dir/spool" "$dir/log" "$dir/server.pem"
    echo "$root" >"$dir/root"
    echo "$addr $port" >"$dir/listen"
    cat >"$dir/main.conf" <<EOF
exim_path = $root/usr/sbin/exim4
keep_environment =
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
pid_file_path = $dir/exim.pid
primary_hostname = $host
daemon_smtp_ports = $port
local_interfaces = <; $addr
host_lookup = *
host_lookup_order = byaddr
rfc1413_hosts =
tls_advertise_hosts = *
tls_certificate = $dir/server.pem
tls_privatekey = $dir/server.pem
acl_smtp_rcpt = acl_check_rcpt
EOF
    : >"$dir/routers.conf"
    : >"$dir/transports.conf"
}

ex_main() {
    local dir=$1
    shift
    printf '%s\n' "$@" >>"$dir/main.conf"
}

ex_route() {
    local dir=$1 domain=$2 name=$3 host=$4 port=$5
    shift 5
    cat >>"$dir/routers.conf" <<EOF
r_$name:
  driver = manualroute
  domains = $domain
  route_list = * $host byname
  transport = $name
  self = send
EOF
    {
        echo "$name:"
        echo "  driver = smtp"
        echo "  port = $port"
        printf '  %s\n' "$@"
    } >>"$dir/transports.conf"
}

ex_blackhole() {
    cat >>"$1/routers.conf" <<EOF
r_blackhole_$(echo "$2" | tr -c 'a-z0-9\n' _):
  driver = redirect
  domains = $2
  data = :blackhole:
EOF
}

# Writes the configuration where Debian's exim4 looks first (the private
# /etc/exim4/exim4.conf), so no -C is needed: a -C file that is not in
# TRUSTED_CONFIG_LIST makes Exim drop privileges and fail deliveries.
ex_config() {
    local dir=$1
    mkdir -p /etc/exim4
    {
        cat "$dir/main.conf"
        cat <<EOF
begin acl
acl_check_rcpt:
  accept hosts = 192.0.2.0/24 : 127.0.0.0/8 : ::1
  deny message = relay not permitted
begin routers
EOF
        cat "$dir/routers.conf"
        echo "begin transports"
        cat "$dir/transports.conf"
        cat <<EOF
begin retry
* * F,1h,1m
EOF
    } >/etc/exim4/exim4.conf
}

ex_exim() {
    local dir=$1
    shift
    "$(cat "$dir/root")/usr/sbin/exim4" "$@"
}

ex_start() {
    local dir=$1
    ex_config "$dir"
    ex_exim "$dir" -bV >"$dir/bV.out" 2>&1 || { cat "$dir/bV.out" >&2; mt_fail "exim -bV"; }
    mt_bg "exim-$(basename "$dir")" "$(cat "$dir/root")/usr/sbin/exim4" -bdf
    # shellcheck disable=SC2046
    mt_wait_port $(cat "$dir/listen")
}

ex_stop() {
    mt_bg_end "exim-$(basename "$1")"
}

ex_queue_is() {
    [ "$(ex_exim "$1" -bpc 2>/dev/null)" = "$2" ]
}

ex_wait_queue() {
    local dir=$1 n=$2 secs=${3:-30}
    mt_poll "$secs" ex_queue_is "$dir" "$n" && return 0
    ex_exim "$dir" -bp >&2
    mt_fail "Exim queue of $dir does not hold $n messages after ${secs}s"
}

ex_log() {
    echo "$1/log/mainlog"
}

# --- Sendmail
#
#   sm_init DIR ROOT HOST ADDR PORT OUTPORT  a Sendmail (unpacked in ROOT) for HOST on
#                                   ADDR:PORT that delivers over SMTP to port OUTPORT
#                                   (syslog: start mt_syslog first)
#   sm_m4 DIR LINE...               add lines to the m4 configuration (sendmail.mc)
#   sm_route DIR DOMAIN MAILER:HOST add a mailertable entry ("esmtp:[192.0.2.20]")
#   sm_start DIR / sm_stop DIR      build sendmail.cf with m4, run `sendmail -bD` / stop it
#   sm_wait_queue DIR N [SECONDS]   wait until N messages are left in the queue

sm_init() {
    local dir=$1 root=$2 host=$3 addr=$4 port=$5 outport=$6
    mkdir -p "$dir/mqueue" "$dir/tls"
    chmod 700 "$dir/mqueue"
    mt_add_user smmta
    mt_add_user smmsp
    mt_make_cert "$dir/tls/server.pem" "$host"
    echo "$root" >"$dir/root"
    echo "$addr $port" >"$dir/listen"
    printf 'postmaster: root\nMAILER-DAEMON: postmaster\n' >"$dir/aliases"
    printf 'hosts files\naliases files\n' >"$dir/service.switch"
    : >"$dir/mailertable"
    cat >"$dir/sendmail.mc" <<EOF
divert(-1)
divert(0)dnl
include(\`$root/usr/share/sendmail/cf/m4/cf.m4')dnl
VERSIONID(\`mailtls test')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`$host')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
define(\`QUEUE_DIR', \`$dir/mqueue')dnl
define(\`STATUS_FILE', \`$dir/statistics')dnl
define(\`ALIAS_FILE', \`$dir/aliases')dnl
define(\`confPID_FILE', \`$dir/sendmail.pid')dnl
define(\`confSERVICE_SWITCH_FILE', \`$dir/service.switch')dnl
define(\`confHOSTS_FILE', \`/etc/hosts')dnl
define(\`confEBINDIR', \`$root/usr/libexec/sendmail')dnl
define(\`confBIND_OPTS', \`-DNSRCH -DEFNAMES')dnl
define(\`confTO_CONNECT', \`10s')dnl
define(\`confTO_ICONNECT', \`10s')dnl
define(\`confCACERT_PATH', \`$dir/tls')dnl
define(\`confCACERT', \`$dir/tls/server.pem')dnl
define(\`confSERVER_CERT', \`$dir/tls/server.pem')dnl
define(\`confSERVER_KEY', \`$dir/tls/server.pem')dnl
define(\`LOCAL_MAILER_PATH', \`/bin/sh')dnl
define(\`LOCAL_MAILER_ARGS', \`sh -c cat>/dev/null \$u')dnl
define(\`ESMTP_MAILER_ARGS', \`TCP \$h $outport')dnl
define(\`SMTP_MAILER_ARGS', \`TCP \$h $outport')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $outport')dnl
DAEMON_OPTIONS(\`Family=inet, Name=MTA-v4, Port=$port, Addr=$addr')dnl
CLIENT_OPTIONS(\`Family=inet, Addr=$addr')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`promiscuous_relay')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`mailertable', \`hash -o $dir/mailertable')dnl
EOF
}

sm_m4() {
    local dir=$1
    shift
    printf '%s\n' "$@" >>"$dir/sendmail.mc"
}

sm_route() {
    printf '%s %s\n' "$2" "$3" >>"$1/mailertable"
}

sm_bin() {
    echo "$(cat "$1/root")/usr/libexec/sendmail/sendmail"
}

sm_start() {
    local dir=$1 root
    root=$(cat "$dir/root")
    {
        cat "$dir/sendmail.mc"
        echo "MAILER(\`local')dnl"
        echo "MAILER(\`smtp')dnl"
    } | "$root/usr/bin/m4" >"$dir/sendmail.cf" 2>"$dir/m4.err" || { cat "$dir/m4.err" >&2; mt_fail "m4 sendmail.mc"; }
    mkdir -p /etc/mail
    cp "$dir/sendmail.cf" /etc/mail/sendmail.cf
    "$root/usr/libexec/sendmail/makemap" hash "$dir/mailertable" <"$dir/mailertable" ||
        mt_fail "makemap mailertable"
    "$(sm_bin "$dir")" -bi >"$dir/newaliases.out" 2>&1 ||
        { cat "$dir/newaliases.out" >&2; mt_fail "sendmail -bi"; }
    # -L sm-mta: the syslog name Debian's init script gives the daemon.
    mt_bg "sendmail-$(basename "$dir")" "$(sm_bin "$dir")" -bD -L sm-mta
    # shellcheck disable=SC2046
    mt_wait_port $(cat "$dir/listen")
}

sm_stop() {
    mt_bg_end "sendmail-$(basename "$1")"
}

sm_queue_is() {
    [ "$(find "$1/mqueue" -name 'qf*' | wc -l)" = "$2" ]
}

sm_wait_queue() {
    local dir=$1 n=$2 secs=${3:-30}
    mt_poll "$secs" sm_queue_is "$dir" "$n" && return 0
    "$(sm_bin "$dir")" -bp >&2
    mt_fail "Sendmail queue of $dir does not hold $n messages after ${secs}s"
}

# --- OpenSMTPD
#
#   mt_private_dir DIR...           copy-on-write views of more system folders
#                                   (OpenSMTPD's spool, chroot and socket paths are
#                                   compiled in)
#   os_init DIR ROOT HOST ADDR PORT an OpenSMTPD (unpacked in ROOT) for HOST on ADDR:PORT
#   os_conf DIR LINE...             add lines to its smtpd.conf (actions, match rules)
#   os_start DIR / os_stop DIR      run `smtpd -F` (logs to syslog) / stop it

mt_private_dir() {
    local p d
    for p in "$@"; do
        d=$MT_TMP/.overlay/$(echo "$p" | tr / _)
        mkdir -p "$d/up" "$d/work"
        mount -t overlay overlay -o "lowerdir=$p,upperdir=$d/up,workdir=$d/work" "$p" ||
            mt_fail "overlay $p"
        echo "$p" >>"$MT_TMP/.overlay/dirs"
    done
}

os_init() {
    local dir=$1 root=$2 host=$3 addr=$4 port=$5
    mkdir -p "$dir" /var/lib/opensmtpd/empty /var/spool/smtpd
    chmod 711 /var/spool/smtpd
    mt_add_user opensmtpd
    mt_add_user opensmtpq
    mt_make_cert "$dir/server.pem" "$host"
    echo "$root" >"$dir/root"
    echo "$addr $port" >"$dir/listen"
    cat >"$dir/smtpd.conf" <<EOF
pki $host cert "$dir/server.pem"
pki $host key "$dir/server.pem"
listen on $addr port $port tls pki $host hostname $host
EOF
}

os_conf() {
    local dir=$1
    shift
    printf '%s\n' "$@" >>"$dir/smtpd.conf"
}

os_start() {
    local dir=$1 root
    root=$(cat "$dir/root")
    cp "$dir/smtpd.conf" /etc/smtpd.conf
    chmod 644 /etc/smtpd.conf
    "$root/usr/sbin/smtpd" -n -f /etc/smtpd.conf >"$dir/check.out" 2>&1 ||
        { cat "$dir/check.out" >&2; mt_fail "smtpd -n"; }
    mt_bg "smtpd-$(basename "$dir")" "$root/usr/sbin/smtpd" -F -f /etc/smtpd.conf
    # shellcheck disable=SC2046
    mt_wait_port $(cat "$dir/listen")
}

os_stop() {
    mt_bg_end "smtpd-$(basename "$1")"
}
