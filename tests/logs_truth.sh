#!/bin/sh
# logs_truth.sh GEN DRIVER - the correlator against the generator's ground truth.
#
# Generates Postfix logs with tools/gen-postfix-log (several seeds), runs them
# through the correlator (logs_golden -T) and requires exactly the records
# the generator says it wrote: every inbound message once under its queue id
# with its client's TLS, every outbound attempt under the original queue id
# with the TLS of the connection it used.
set -eu
gen=$1
driver=$2
d=$(mktemp -d /var/tmp/mailtls-test-XXXXXX)
trap 'rm -rf "$d"' EXIT INT TERM
for seed in 1 2 3; do
    "$gen" -n 4000 -r $seed -o "$d/log" -t "$d/truth"
    "$driver" -T "$d/log" | sort >"$d/got"
    sort "$d/truth" >"$d/want"
    n=$(wc -l <"$d/want")
    if [ "$n" -lt 3000 ]; then
        echo "logs_truth: seed $seed: only $n truth records" >&2
        exit 1
    fi
    if ! diff -u "$d/want" "$d/got" >"$d/diff"; then
        echo "logs_truth: seed $seed: correlator differs from the truth:" >&2
        head -40 "$d/diff" >&2
        exit 1
    fi
    echo "seed $seed: $n records match"
done
