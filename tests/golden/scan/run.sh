#!/bin/sh
# run.sh MAILTLS SRCDIR [--update] - golden tests of `mailtls scan`.
#
# Each tests/golden/scan/NAME.cmd holds the arguments of one case (paths
# relative to the source tree, which is the working directory). The case is
# run four ways and each output is compared byte for byte with its
# reference: NAME.table.ref (the table), NAME.json.ref (--json),
# NAME.summary.ref (--summary) and NAME.summary-json.ref (--summary --json).
# With --update the references are rewritten instead: review the diff.
# The configuration is empty (-c /dev/null) unless the case names one.
set -eu
mailtls=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: we cd below
src=$2
update=${3:-}
cd "$src"
dir=tests/golden/scan
out=$(mktemp -d /var/tmp/mailtls-test-XXXXXX)
trap 'rm -rf "$out"' EXIT
fail=0
n=0
for cmd in "$dir"/*.cmd; do
    name=$(basename "$cmd" .cmd)
    args=$(cat "$cmd")
    for mode in table json summary summary-json; do
        case $mode in
        table) flags="" ;;
        json) flags="--json" ;;
        summary) flags="--summary --top 0" ;;
        summary-json) flags="--summary --json" ;;
        esac
        ref="$dir/$name.$mode.ref"
        got="$out/$name.$mode"
        # shellcheck disable=SC2086
        rc=0
        "$mailtls" scan -c /dev/null $flags $args >"$got" 2>"$out/stderr" || rc=$?
        if [ $rc -ne 0 ]; then
            echo "FAIL $name ($mode): exit status $rc" >&2
            cat "$out/stderr" >&2
            fail=1
            continue
        fi
        n=$((n + 1))
        if [ "$update" = "--update" ]; then
            cp "$got" "$ref"
        elif ! cmp -s "$got" "$ref"; then
            echo "FAIL $name ($mode): output differs from $ref" >&2
            diff -u "$ref" "$got" | head -40 >&2 || true
            fail=1
        fi
    done
done
if [ $n -eq 0 ]; then
    echo "no golden cases ran" >&2
    exit 1
fi
echo "$n golden outputs compared"
exit $fail
