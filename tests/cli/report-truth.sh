#!/bin/sh
# report-truth.sh MAILTLS GEN PYTHON - `mailtls report` against the ground truth
# of generated Postfix logs.
#
# tools/gen-postfix-log writes a log together with what it put in it: one
# line per inbound message and outbound delivery attempt (-t) and one per
# network connection (-C). truth-check.py adds the truth up on its own and
# compares it with what `mailtls report --json` prints (totals per direction,
# TLS yes/no/unknown, protocols, ciphers, statuses, domains, connections by
# outcome, protocol and cipher) and, record by record, with
# `mailtls report --events`.
set -eu
mailtls=$1
gen=$2
python=$3
here=$(dirname "$0")
t=$(mktemp -d /var/tmp/mailtls-test-XXXXXX)
trap 'rm -rf "$t"' EXIT INT TERM
for seed in 11 12; do
    "$gen" -n 3000 -r "$seed" -o "$t/log" -t "$t/truth" -C "$t/conns"
    "$mailtls" report -c /dev/null --json "$t/log" >"$t/json"
    "$mailtls" report -c /dev/null --events "$t/log" >"$t/events"
    "$python" "$here/truth-check.py" "$t/truth" "$t/conns" "$t/json" "$t/events" ||
        { echo "report-truth: seed $seed: mailtls report differs from the truth" >&2; exit 1; }
    echo "seed $seed: aggregates and events match the truth"
done
