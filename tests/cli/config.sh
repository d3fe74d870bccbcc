#!/bin/sh
# config.sh MAILTLS - `mailtls config` and the configuration file handling
# every command shares (-c before or after the command, MAILTLS_CONFIG,
# errors naming file and line, exit status 78).
set -eu
. "$(dirname "$0")/../lib/common.sh"
mailtls=$1
t_init

# run NAME WANT_STATUS ARGS...: runs mailtls ARGS, output in $T/out, $T/err.
run() {
    name=$1 want=$2
    shift 2
    t_status "$name" "$want" "$mailtls" "$@"
}

# same NAME FILE TEXT: FILE holds exactly TEXT (plus a newline).
same() {
    checks=$((checks + 1))
    printf '%s\n' "$3" | cmp -s - "$2" || {
        fail "$1: got:"
        cat "$2" >&2
    }
}

cat >"$T/good.conf" <<'CONF'
# a comment
my_hostnames = mx1.example.org,
    mx2.example.org
notify_interval = 2w
CONF

run "all settings" 0 config -c "$T/good.conf"
checks=$((checks + 1))
[ "$(wc -l <"$T/out")" -eq 19 ] || fail "all settings: $(wc -l <"$T/out") lines, want 19"
grep -q '^database = sqlite:/var/lib/mailtls/mailtls.db$' "$T/out" || fail "all settings: database default"
run "-n" 0 config -c "$T/good.conf" -n
same "-n" "$T/out" "my_hostnames = mx1.example.org, mx2.example.org
notify_interval = 2w"
run "names" 0 -c "$T/good.conf" config notify_interval notify
same "names" "$T/out" "notify_interval = 2w
notify = no"
run "-d" 0 config -c "$T/good.conf" -d notify_interval
same "-d" "$T/out" "notify_interval = 30d"
run "-v" 0 config -c "$T/good.conf" -v retention
same "-v" "$T/out" "# observations older than this are purged
retention = 400d"
run "empty value" 0 config -c /dev/null my_domains
same "empty value" "$T/out" "my_domains ="
run "unknown name" 64 config -c /dev/null nonesuch
grep -q "unknown setting 'nonesuch'" "$T/err" || fail "unknown name: message"
run "-d and -n" 64 config -d -n
run "--help" 0 config --help
grep -q '^usage: mailtls config' "$T/out" || fail "--help: usage"

# Errors name the file and the line, and exit 78 (EX_CONFIG).
printf 'notify = yes\n\n# x\nnotify_intervall = 3d\n' >"$T/typo.conf"
run "unknown setting" 78 config -c "$T/typo.conf"
same "unknown setting" "$T/err" "mailtls: $T/typo.conf:4: unknown setting 'notify_intervall'"
printf 'notify = yes\nnotify = no\n' >"$T/twice.conf"
run "set twice" 78 config -c "$T/twice.conf"
same "set twice" "$T/err" "mailtls: $T/twice.conf:2: 'notify' is set twice (first on line 1)"
printf 'notify_interval = soon\n' >"$T/bad.conf"
run "bad value" 78 scan -c "$T/bad.conf" /dev/null
grep -q "bad.conf:1: notify_interval: bad time 'soon'" "$T/err" || fail "bad value: message"
run "missing -c file" 78 config -c "$T/nonexistent.conf"
grep -q "nonexistent.conf: cannot read the configuration: No such file" "$T/err" || fail "missing"
run "a directory" 78 config -c "$T"

# MAILTLS_CONFIG names the file like -c does.
checks=$((checks + 1))
MAILTLS_CONFIG=$T/good.conf "$mailtls" config -n notify_interval >"$T/out" || fail "MAILTLS_CONFIG"
same "MAILTLS_CONFIG" "$T/out" "notify_interval = 2w"
checks=$((checks + 1))
rc=0
MAILTLS_CONFIG=$T/nonexistent.conf "$mailtls" config >/dev/null 2>&1 || rc=$?
[ $rc -eq 78 ] || fail "MAILTLS_CONFIG missing: status $rc, want 78"

t_done
