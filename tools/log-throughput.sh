#!/bin/sh
# log-throughput.sh BUILDDIR [SIZE] - how fast the correlator reads a Postfix log.
#
# Generates a SIZE (default 500M) log with gen-postfix-log, then times
# `wc -l` and the correlator (logs_golden -c) on it, warm cache both. A
# measurement for development, not a test: nothing fails on slowness.
set -eu
build=${1:?usage: log-throughput.sh BUILDDIR [SIZE]}
size=${2:-500M}
f=$(mktemp /var/tmp/mailtls-bench-XXXXXX)
trap 'rm -f "$f"' EXIT INT TERM
"$build/tests/gen-postfix-log" -s "$size" -r 42 -o "$f"
ls -l "$f" | awk '{ printf "log: %.0f MB\n", $5 / 1048576 }'
wc -l "$f" >/dev/null
printf 'wc -l:      '
/usr/bin/time -f '%e s, %M KB' wc -l "$f" >/dev/null
printf 'correlator: '
/usr/bin/time -f '%e s, %M KB max RSS' "$build/tests/logs_golden" -c "$f"
