#!/bin/sh
# scan.sh MAILTLS SRCDIR - `mailtls scan` on every kind of input and every
# kind of bad input: what it prints, on which stream, and its exit status.
set -eu
mailtls=$1
src=$2
t=$(mktemp -d /var/tmp/mailtls-test-XXXXXX)
trap 'rm -rf "$t"' EXIT
fails=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# run NAME WANT_STATUS ARGS...: runs scan, output in $t/out and $t/err.
run() {
    name=$1
    want=$2
    shift 2
    checks=$((checks + 1))
    rc=0
    "$mailtls" scan -c /dev/null "$@" >"$t/out" 2>"$t/err" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name: exit status $rc, want $want"
        sed 's/^/  stderr: /' "$t/err" >&2
    fi
}

# expect FILE PATTERN NAME: the file ($t/out or $t/err) has a line matching PATTERN.
expect() {
    checks=$((checks + 1))
    grep -q -- "$2" "$1" || {
        fail "$3: no line matching '$2' in $(basename "$1")"
        sed 's/^/  /' "$1" | head -20 >&2
    }
}

# lines FILE N NAME: the file has N lines.
lines() {
    checks=$((checks + 1))
    n=$(wc -l <"$1")
    [ "$n" -eq "$2" ] || fail "$3: $n lines in $(basename "$1"), want $2"
}

mbox=$src/samples/lists.mbox
one=$src/tests/golden/scan/escaping.in

# Plain files, an mbox, a Maildir, standard input: one JSON line per message.
run "mbox" 0 --json "$mbox"
lines "$t/out" 5 "mbox"
expect "$t/out" '"source":"[^"]*lists.mbox:5"' "mbox index"
run "maildir" 0 --json "$src/samples/Maildir"
lines "$t/out" 2 "maildir"
expect "$t/out" 'Maildir/cur/1715861098' "maildir cur"
expect "$t/out" 'Maildir/new/1489929132' "maildir new"
"$mailtls" scan -c /dev/null --json - <"$mbox" >"$t/out" 2>"$t/err" || fail "stdin: status $?"
lines "$t/out" 5 "stdin"
expect "$t/out" '"source":"-:3"' "stdin source"
"$mailtls" scan -c /dev/null --json <"$one" >"$t/out" 2>"$t/err" || fail "no argument: status $?"
expect "$t/out" '"source":"-"' "no argument reads stdin"

# gzip, by content not by name, from a file and from a pipe.
gzip -c "$mbox" >"$t/lists.data"
"$mailtls" scan -c /dev/null --json "$mbox" >"$t/plain.json"
run "gzip file" 0 --json "$t/lists.data"
sed 's/"source":"[^"]*"//' "$t/out" >"$t/a"
sed 's/"source":"[^"]*"//' "$t/plain.json" >"$t/b"
checks=$((checks + 1))
cmp -s "$t/a" "$t/b" || fail "gzip file: output differs from the plain mbox"
gzip -c "$mbox" | "$mailtls" scan -c /dev/null --json - >"$t/out" 2>"$t/err" || fail "gzip stdin: status $?"
lines "$t/out" 5 "gzip stdin"

# A directory: its files (an mbox and a message) and the Maildirs in it.
mkdir -p "$t/dir/box/cur" "$t/dir/box/new" "$t/dir/deeper/more"
cp "$mbox" "$t/dir/a.mbox"
cp "$one" "$t/dir/b.eml"
cp "$one" "$t/dir/box/new/1.x"
cp "$one" "$t/dir/deeper/more/not-visited.eml"
cp "$one" "$t/dir/.hidden"
run "directory" 0 --json "$t/dir"
lines "$t/out" 7 "directory"
expect "$t/out" 'dir/box/new/1.x' "directory maildir"

# A Maildir++ folder is read with its Maildir.
mkdir -p "$t/md/cur" "$t/md/new" "$t/md/.Sent/cur"
cp "$one" "$t/md/cur/1.x"
cp "$one" "$t/md/.Sent/cur/2.x"
run "maildir++" 0 --json "$t/md"
lines "$t/out" 2 "maildir++"
expect "$t/out" 'md/.Sent/cur/2.x' "maildir++ folder"

# A missing file: named on stderr, the rest still scanned, EX_NOINPUT (66).
run "missing" 66 --json "$t/nonexistent" "$mbox"
expect "$t/err" "^mailtls: scan: $t/nonexistent: cannot open: No such file or directory" "missing"
lines "$t/out" 5 "missing: the rest is scanned"

# Binary junk: not a mail message, EX_DATAERR (65).
head -c 4096 "$mailtls" >"$t/junk.bin"
run "junk" 65 --json "$t/junk.bin" "$one"
expect "$t/err" "^mailtls: scan: $t/junk.bin: not a mail message" "junk"
lines "$t/out" 1 "junk: the rest is scanned"
printf 'Subject: x\nX-Nul: a\000b\n\nbody\n' >"$t/nul.eml"
run "nul" 65 "$t/nul.eml"
expect "$t/err" "nul.eml: not a mail message: NUL byte in the header" "nul"

# A 10 MB header in an mbox: named by file and message number, the rest scanned.
{
    printf 'From a@example.org Mon Jan  1 00:00:00 2024\n'
    sed -n '/^Received:/,/^Subject/p' "$one" | head -3
    head -c 10485760 /dev/zero | tr '\0' 'a' | fold -w 76 | sed 's/^/X-Big: /'
    printf '\nbody\n\n'
    cat "$mbox"
} >"$t/big.mbox"
run "big header" 65 --json "$t/big.mbox"
expect "$t/err" "^mailtls: scan: $t/big.mbox: message 1: header longer than 1 MiB (message skipped)" "big header"
lines "$t/out" 5 "big header: the rest is scanned"
expect "$t/out" '"source":"[^"]*big.mbox:6"' "big header: numbering goes on"

# A truncated mbox: the messages before are scanned, the cut is reported.
head -c 3000 "$mbox" >"$t/cut.mbox"
run "truncated" 65 --json "$t/cut.mbox"
expect "$t/err" "cut.mbox: message 2: truncated" "truncated"
checks=$((checks + 1))
[ "$(wc -l <"$t/out")" -ge 1 ] || fail "truncated: nothing scanned"

# Corrupt and truncated gzip data.
gzip -c "$mbox" >"$t/good.gz"
head -c 1500 "$t/good.gz" >"$t/cut.gz"
run "cut gzip" 65 --json "$t/cut.gz"
expect "$t/err" "cut.gz: gzip data: " "cut gzip"
{ head -c 200 "$t/good.gz"; head -c 2000 /dev/zero; } >"$t/bad.gz"
run "bad gzip" 65 --json "$t/bad.gz"
expect "$t/err" "bad.gz: gzip data: " "bad gzip"

# A read error (EIO from the kernel) is EX_IOERR (74).
run "read error" 74 /proc/self/mem
expect "$t/err" "/proc/self/mem: read error" "read error"

# Unreadable files (permissions do not stop root, so only for other users).
if [ "$(id -u)" -ne 0 ]; then
    cp "$one" "$t/secret.eml"
    chmod 000 "$t/secret.eml"
    run "unreadable" 66 "$t/secret.eml"
    expect "$t/err" "secret.eml: cannot open: Permission denied" "unreadable"
else
    echo "note: running as root: the permission case is covered by the missing-file case" >&2
fi

# The worst failure decides the status: cannot open (66) over bad data (65).
run "worst status" 66 "$t/junk.bin" "$t/nonexistent"

# An empty file holds no messages and is no error.
: >"$t/empty"
run "empty" 0 --json "$t/empty"
lines "$t/out" 0 "empty"

# Options: -c after the command, a missing -c file, --help, a bad option.
checks=$((checks + 1))
rc=0
"$mailtls" scan -c "$t/nonexistent.conf" "$one" >/dev/null 2>"$t/err" || rc=$?
[ $rc -eq 78 ] || fail "missing -c file: status $rc, want 78"
expect "$t/err" "nonexistent.conf: cannot read the configuration" "missing -c file"
printf 'my_hostnames = picard.linux.it\n' >"$t/mine.conf"
"$mailtls" scan -c "$t/mine.conf" --json "$one" >"$t/out" 2>"$t/err" || fail "-c after scan"
expect "$t/out" '"verified":true' "-c after scan: my_hostnames used"
"$mailtls" -c "$t/mine.conf" scan --json "$one" >"$t/out" 2>"$t/err" || fail "-c before scan"
expect "$t/out" '"verified":true' "-c before scan"
"$mailtls" scan -c /dev/null --my-hostname PICARD.linux.it. --json "$one" >"$t/out" 2>&1 || fail "--my-hostname"
expect "$t/out" '"verified":true' "--my-hostname, case and trailing dot ignored"
"$mailtls" scan --help >"$t/out" || fail "--help status"
expect "$t/out" "^usage: mailtls scan" "--help"
run "bad option" 64 --frobnicate
run "bad --top" 64 --summary --top many

echo "$checks checks, $fails failed"
[ $fails -eq 0 ]
