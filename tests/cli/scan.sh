#!/bin/sh
# scan.sh MAILTLS SRCDIR - `mailtls scan` on every kind of input and every
# kind of bad input: what it prints, on which stream, and its exit status.
set -eu
. "$(dirname "$0")/../lib/common.sh"
mailtls=$1
src=$2
t_init

# run NAME WANT_STATUS ARGS...: runs scan, output in $T/out and $T/err.
run() {
    name=$1 want=$2
    shift 2
    t_status "$name" "$want" "$mailtls" scan -c /dev/null "$@"
}

# expect FILE PATTERN NAME: the file ($T/out or $T/err) has a line matching PATTERN.
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
lines "$T/out" 5 "mbox"
expect "$T/out" '"source":"[^"]*lists.mbox:5"' "mbox index"
run "maildir" 0 --json "$src/samples/Maildir"
lines "$T/out" 2 "maildir"
expect "$T/out" 'Maildir/cur/1715861098' "maildir cur"
expect "$T/out" 'Maildir/new/1489929132' "maildir new"
"$mailtls" scan -c /dev/null --json - <"$mbox" >"$T/out" 2>"$T/err" || fail "stdin: status $?"
lines "$T/out" 5 "stdin"
expect "$T/out" '"source":"-:3"' "stdin source"
"$mailtls" scan -c /dev/null --json <"$one" >"$T/out" 2>"$T/err" || fail "no argument: status $?"
expect "$T/out" '"source":"-"' "no argument reads stdin"

# gzip, by content not by name, from a file and from a pipe.
gzip -c "$mbox" >"$T/lists.data"
"$mailtls" scan -c /dev/null --json "$mbox" >"$T/plain.json"
run "gzip file" 0 --json "$T/lists.data"
sed 's/"source":"[^"]*"//' "$T/out" >"$T/a"
sed 's/"source":"[^"]*"//' "$T/plain.json" >"$T/b"
checks=$((checks + 1))
cmp -s "$T/a" "$T/b" || fail "gzip file: output differs from the plain mbox"
gzip -c "$mbox" | "$mailtls" scan -c /dev/null --json - >"$T/out" 2>"$T/err" || fail "gzip stdin: status $?"
lines "$T/out" 5 "gzip stdin"

# A directory: its files (an mbox and a message) and the Maildirs in it.
mkdir -p "$T/dir/box/cur" "$T/dir/box/new" "$T/dir/deeper/more"
cp "$mbox" "$T/dir/a.mbox"
cp "$one" "$T/dir/b.eml"
cp "$one" "$T/dir/box/new/1.x"
cp "$one" "$T/dir/deeper/more/not-visited.eml"
cp "$one" "$T/dir/.hidden"
run "directory" 0 --json "$T/dir"
lines "$T/out" 7 "directory"
expect "$T/out" 'dir/box/new/1.x' "directory maildir"

# A Maildir++ folder is read with its Maildir.
mkdir -p "$T/md/cur" "$T/md/new" "$T/md/.Sent/cur"
cp "$one" "$T/md/cur/1.x"
cp "$one" "$T/md/.Sent/cur/2.x"
run "maildir++" 0 --json "$T/md"
lines "$T/out" 2 "maildir++"
expect "$T/out" 'md/.Sent/cur/2.x' "maildir++ folder"

# A missing file: named on stderr, the rest still scanned, EX_NOINPUT (66).
run "missing" 66 --json "$T/nonexistent" "$mbox"
expect "$T/err" "^mailtls: scan: $T/nonexistent: cannot open: No such file or directory" "missing"
lines "$T/out" 5 "missing: the rest is scanned"

# Binary junk: not a mail message, EX_DATAERR (65).
head -c 4096 "$mailtls" >"$T/junk.bin"
run "junk" 65 --json "$T/junk.bin" "$one"
expect "$T/err" "^mailtls: scan: $T/junk.bin: not a mail message" "junk"
lines "$T/out" 1 "junk: the rest is scanned"
printf 'Subject: x\nX-Nul: a\000b\n\nbody\n' >"$T/nul.eml"
run "nul" 65 "$T/nul.eml"
expect "$T/err" "nul.eml: not a mail message: NUL byte in the header" "nul"

# A 10 MB header in an mbox: named by file and message number, the rest scanned.
{
    printf 'From a@example.org Mon Jan  1 00:00:00 2024\n'
    sed -n '/^Received:/,/^Subject/p' "$one" | head -3
    head -c 10485760 /dev/zero | tr '\0' 'a' | fold -w 76 | sed 's/^/X-Big: /'
    printf '\nbody\n\n'
    cat "$mbox"
} >"$T/big.mbox"
run "big header" 65 --json "$T/big.mbox"
expect "$T/err" "^mailtls: scan: $T/big.mbox: message 1: header longer than 1 MiB (message skipped)" "big header"
lines "$T/out" 5 "big header: the rest is scanned"
expect "$T/out" '"source":"[^"]*big.mbox:6"' "big header: numbering goes on"

# A truncated mbox: the messages before are scanned, the cut is reported.
head -c 3000 "$mbox" >"$T/cut.mbox"
run "truncated" 65 --json "$T/cut.mbox"
expect "$T/err" "cut.mbox: message 2: truncated" "truncated"
checks=$((checks + 1))
[ "$(wc -l <"$T/out")" -ge 1 ] || fail "truncated: nothing scanned"

# Corrupt and truncated gzip data.
gzip -c "$mbox" >"$T/good.gz"
head -c 1500 "$T/good.gz" >"$T/cut.gz"
run "cut gzip" 65 --json "$T/cut.gz"
expect "$T/err" "cut.gz: gzip data: " "cut gzip"
{ head -c 200 "$T/good.gz"; head -c 2000 /dev/zero; } >"$T/bad.gz"
run "bad gzip" 65 --json "$T/bad.gz"
expect "$T/err" "bad.gz: gzip data: " "bad gzip"

# A read error (EIO from the kernel) is EX_IOERR (74).
run "read error" 74 /proc/self/mem
expect "$T/err" "/proc/self/mem: read error" "read error"

# Unreadable files (permissions do not stop root, so only for other users).
if [ "$(id -u)" -ne 0 ]; then
    cp "$one" "$T/secret.eml"
    chmod 000 "$T/secret.eml"
    run "unreadable" 66 "$T/secret.eml"
    expect "$T/err" "secret.eml: cannot open: Permission denied" "unreadable"
else
    echo "note: running as root: the permission case is covered by the missing-file case" >&2
fi

# The worst failure decides the status: cannot open (66) over bad data (65).
run "worst status" 66 "$T/junk.bin" "$T/nonexistent"

# An empty file holds no messages and is no error.
: >"$T/empty"
run "empty" 0 --json "$T/empty"
lines "$T/out" 0 "empty"

# Options: -c after the command, a missing -c file, --help, a bad option.
t_status "missing -c file" 78 "$mailtls" scan -c "$T/nonexistent.conf" "$one"
expect "$T/err" "nonexistent.conf: cannot read the configuration" "missing -c file"
printf 'my_hostnames = picard.linux.it\n' >"$T/mine.conf"
"$mailtls" scan -c "$T/mine.conf" --json "$one" >"$T/out" 2>"$T/err" || fail "-c after scan"
expect "$T/out" '"verified":true' "-c after scan: my_hostnames used"
"$mailtls" -c "$T/mine.conf" scan --json "$one" >"$T/out" 2>"$T/err" || fail "-c before scan"
expect "$T/out" '"verified":true' "-c before scan"
"$mailtls" scan -c /dev/null --my-hostname PICARD.linux.it. --json "$one" >"$T/out" 2>&1 || fail "--my-hostname"
expect "$T/out" '"verified":true' "--my-hostname, case and trailing dot ignored"
"$mailtls" scan --help >"$T/out" || fail "--help status"
expect "$T/out" "^usage: mailtls scan" "--help"
run "bad option" 64 --frobnicate
run "bad --top" 64 --summary --top many

t_done
