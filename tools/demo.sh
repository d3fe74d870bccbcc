#!/bin/sh
# demo.sh MAILTLS - runs mailtls on the sample data in samples/ (make demo).
set -eu
mailtls=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
run() {
    printf '\n$ %s\n' "$*"
    "$@"
}
echo "mailtls demo: the sample messages of samples/ (see samples/README.md)"
run "$mailtls" config -c samples/mailtls.conf -n
run "$mailtls" scan -c samples/mailtls.conf samples/lists.mbox samples/Maildir
run "$mailtls" scan -c samples/mailtls.conf --summary samples/lists.mbox samples/Maildir
printf '\n$ %s | head -c 600\n' "$mailtls scan -c samples/mailtls.conf --json samples/lists.mbox"
"$mailtls" scan -c samples/mailtls.conf --json samples/lists.mbox | head -c 600
echo

# -- report --
echo
echo "mailtls demo: TLS reports from the real MTA log lines of samples/*.log (see samples/SOURCES.md)"
run "$mailtls" report samples/postfix.log
printf '\n$ %s | head -n 3\n' "$mailtls report --events samples/postfix.log"
"$mailtls" report --events samples/postfix.log | head -n 3
printf '\n$ %s | head -n 12\n' "$mailtls report --prometheus samples/postfix.log"
"$mailtls" report --prometheus samples/postfix.log | head -n 12
out=${TMPDIR:-/tmp}/mailtls-demo-report.html
printf '\n$ %s\n' "$mailtls report --html $out samples/*.log"
"$mailtls" report --html "$out" samples/*.log 2>/dev/null || true
echo "wrote $out (open it in a browser)"
