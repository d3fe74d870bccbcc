# shellcheck shell=sh
# common.sh - what mailtls's command-level test scripts share: a temporary
# folder, counted checks, a configuration of our mail server and a message
# as our Postfix hands it to pipe(8).
#
# Source it from a sh or bash script, e.g.
#   . "$(dirname "$0")/../lib/common.sh"
#
#   t_init                  $T: a new folder under /var/tmp, removed at exit
#                           (kept with MT_KEEP=1); the counts set to 0
#   fail MESSAGE...         print "FAIL: MESSAGE" and count a failure
#   check WHAT COMMAND...   one check: a failure named WHAT when COMMAND fails
#   t_status WHAT WANT COMMAND...  one check: COMMAND, with its output in
#                           $T/out and $T/err, exits WANT (else its stderr is shown)
#   t_done                  print the counts; true when nothing failed (end
#                           the script with it)
#   t_conf FILE DIR [SETTING...]  write FILE: mx.example.org receiving for
#                           example.org, store and HMAC key in DIR; each SETTING
#                           ('name = value') replaces the line of its name or is added
#   t_message SENDER IP RDNS QID TLS [AR [HEADER...]]  print a message that
#                           RDNS [IP] sent to bob@example.org: Return-Path, the
#                           Authentication-Results: AR (by default SPF pass for
#                           SENDER's domain; "" for none), our Received: field
#                           with queue id QID and the TLS comment TLS ("" for
#                           plaintext), the HEADERs, From, To, Subject, a body

t_init() {
    T=$(mktemp -d /var/tmp/mailtls-test-XXXXXX) || exit 99
    trap '[ "${MT_KEEP:-0}" = 1 ] && echo "kept $T" >&2 || rm -rf "$T"' EXIT
    fails=0
    checks=0
}

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

check() {
    t_what=$1
    shift
    checks=$((checks + 1))
    "$@" || fail "$t_what"
}

t_status() {
    t_what=$1 t_want=$2
    shift 2
    checks=$((checks + 1))
    t_rc=0
    "$@" >"$T/out" 2>"$T/err" || t_rc=$?
    if [ "$t_rc" -ne "$t_want" ]; then
        fail "$t_what: exit status $t_rc, want $t_want"
        sed 's/^/  stderr: /' "$T/err" >&2
    fi
}

t_done() {
    echo "$checks checks, $fails failed"
    [ "$fails" -eq 0 ]
}

t_conf() {
    t_file=$1 t_dir=$2
    shift 2
    {
        echo "database = sqlite:$t_dir/mailtls.db"
        echo "hmac_key_file = $t_dir/hmac.key"
        echo "my_hostnames = mx.example.org"
        echo "my_domains = example.org"
        echo "authserv_id = mx.example.org"
    } >"$t_file"
    for t_line in "$@"; do
        sed -i "/^${t_line%% =*} = /d" "$t_file"
        echo "$t_line" >>"$t_file"
    done
}

t_message() {
    t_sender=$1 t_tls=$5 t_ar=" mx.example.org; spf=pass smtp.mailfrom=${1#*@}" t_with=ESMTP
    [ $# -lt 6 ] || t_ar=$6
    [ -z "$t_tls" ] || t_with=ESMTPS
    echo "Return-Path: <$t_sender>"
    [ -z "$t_ar" ] || echo "Authentication-Results:$t_ar"
    echo "Received: from $3 ($3 [$2])"
    [ -z "$t_tls" ] || printf '\t%s\n' "$t_tls"
    printf '\tby mx.example.org (Postfix) with %s id %s\n' "$t_with" "$4"
    printf '\tfor <bob@example.org>; Tue,  1 Jul 2025 12:00:00 +0000 (UTC)\n'
    shift 5
    [ $# -eq 0 ] || shift
    for t_h in "$@"; do
        echo "$t_h"
    done
    printf 'From: <%s>\nTo: bob@example.org\nSubject: hi\n\nbody\n' "$t_sender"
}
