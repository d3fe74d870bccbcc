#!/bin/sh
# config.sh MAILTLS - `mailtls config` and the configuration file handling
# every command shares (-c before or after the command, MAILTLS_CONFIG,
# errors naming file and line, exit status 78).
set -eu
mailtls=$1
t=$(mktemp -d /var/tmp/mailtls-test-XXXXXX)
trap 'rm -rf "$t"' EXIT
fails=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# check NAME WANT_STATUS ARGS...: runs mailtls ARGS, output in $t/out, $t/err.
check() {
    name=$1
    want=$2
    shift 2
    checks=$((checks + 1))
    rc=0
    "$mailtls" "$@" >"$t/out" 2>"$t/err" || rc=$?
    [ "$rc" -eq "$want" ] || {
        fail "$name: exit status $rc, want $want"
        sed 's/^/  stderr: /' "$t/err" >&2
    }
}

# same NAME FILE TEXT: FILE holds exactly TEXT (plus a newline).
same() {
    checks=$((checks + 1))
    printf '%s\n' "$3" | cmp -s - "$2" || {
        fail "$1: got:"
        cat "$2" >&2
    }
}

cat >"$t/good.conf" <<'CONF'
# a comment
my_hostnames = mx1.example.org,
    mx2.example.org
notify_interval = 2w
CONF

check "all settings" 0 config -c "$t/good.conf"
checks=$((checks + 1))
[ "$(wc -l <"$t/out")" -eq 19 ] || fail "all settings: $(wc -l <"$t/out") lines, want 19"
grep -q '^database = sqlite:/var/lib/mailtls/mailtls.db$' "$t/out" || fail "all settings: database default"
check "-n" 0 config -c "$t/good.conf" -n
same "-n" "$t/out" "my_hostnames = mx1.example.org, mx2.example.org
notify_interval = 2w"
check "names" 0 -c "$t/good.conf" config notify_interval notify
same "names" "$t/out" "notify_interval = 2w
notify = no"
check "-d" 0 config -c "$t/good.conf" -d notify_interval
same "-d" "$t/out" "notify_interval = 30d"
check "-v" 0 config -c "$t/good.conf" -v retention
same "-v" "$t/out" "# observations older than this are purged
retention = 400d"
check "empty value" 0 config -c /dev/null my_domains
same "empty value" "$t/out" "my_domains ="
check "unknown name" 64 config -c /dev/null nonesuch
grep -q "unknown setting 'nonesuch'" "$t/err" || fail "unknown name: message"
check "-d and -n" 64 config -d -n
check "--help" 0 config --help
grep -q '^usage: mailtls config' "$t/out" || fail "--help: usage"

# Errors name the file and the line, and exit 78 (EX_CONFIG).
printf 'notify = yes\n\n# x\nnotify_intervall = 3d\n' >"$t/typo.conf"
check "unknown setting" 78 config -c "$t/typo.conf"
same "unknown setting" "$t/err" "mailtls: $t/typo.conf:4: unknown setting 'notify_intervall'"
printf 'notify = yes\nnotify = no\n' >"$t/twice.conf"
check "set twice" 78 config -c "$t/twice.conf"
same "set twice" "$t/err" "mailtls: $t/twice.conf:2: 'notify' is set twice (first on line 1)"
printf 'notify_interval = soon\n' >"$t/bad.conf"
check "bad value" 78 scan -c "$t/bad.conf" /dev/null
grep -q "bad.conf:1: notify_interval: bad time 'soon'" "$t/err" || fail "bad value: message"
check "missing -c file" 78 config -c "$t/nonexistent.conf"
grep -q "nonexistent.conf: cannot read the configuration: No such file" "$t/err" || fail "missing"
check "a directory" 78 config -c "$t"

# MAILTLS_CONFIG names the file like -c does.
checks=$((checks + 1))
MAILTLS_CONFIG=$t/good.conf "$mailtls" config -n notify_interval >"$t/out" || fail "MAILTLS_CONFIG"
same "MAILTLS_CONFIG" "$t/out" "notify_interval = 2w"
checks=$((checks + 1))
rc=0
MAILTLS_CONFIG=$t/nonexistent.conf "$mailtls" config >/dev/null 2>&1 || rc=$?
[ $rc -eq 78 ] || fail "MAILTLS_CONFIG missing: status $rc, want 78"

echo "$checks checks, $fails failed"
[ $fails -eq 0 ]
