#!/bin/sh
# report-real.sh MAILTLS SRCDIR [--update] - `mailtls report --json` on the
# logs that real Exim, Sendmail and OpenSMTPD wrote (tests/golden/logs/
# *-real.in, see SOURCES.md), compared with NAME.json.ref byte for byte
# except for the "generated" time. The references were checked by hand
# against the clients' truth (NAME.truth). With --update they are rewritten
# instead: review the diff the same way.
set -eu
mailtls=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$2"
update=${3:-}
dir=tests/golden/logs
out=$(mktemp -d /var/tmp/mailtls-test-XXXXXX)
trap 'rm -rf "$out"' EXIT
fail=0
for name in exim-real sendmail-real opensmtpd-real; do
    # Exim's mainlog stamps carry no zone: read them as UTC.
    TZ=UTC "$mailtls" report -c /dev/null --json "$dir/$name.in" >"$out/$name.json" ||
        { echo "FAIL: mailtls report --json $name.in" >&2; fail=1; continue; }
    grep -v '^  "generated":' "$out/$name.json" >"$out/$name.json.cmp"
    if [ "$update" = --update ]; then
        cp "$out/$name.json.cmp" "$dir/$name.json.ref"
    elif ! diff -u "$dir/$name.json.ref" "$out/$name.json.cmp" >&2; then
        echo "FAIL: report --json of $name.in differs from $name.json.ref" >&2
        fail=1
    fi
done
exit $fail
