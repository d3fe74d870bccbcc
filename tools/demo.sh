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
