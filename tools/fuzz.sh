#!/bin/sh
# fuzz.sh BUILDDIR SECONDS [TARGET...] - run libFuzzer targets for real.
#
# Each target fuzz_NAME in BUILDDIR/fuzz runs for SECONDS. New inputs go to
# BUILDDIR/fuzz-work/NAME; the committed corpus fuzz/corpus/NAME is read, not
# written. A crash stops the run with libFuzzer's report and leaves the input
# in fuzz/ as crash-*: fix the bug, then add the input to the corpus.
set -eu
build=$1
secs=$2
shift 2
src=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
    set -- $(cd "$build/fuzz" && ls -d fuzz_* 2>/dev/null | grep -v '\.p$' | sed 's/^fuzz_//')
fi
for t in "$@"; do
    work="$build/fuzz-work/$t"
    mkdir -p "$work"
    dict=""
    [ -f "$src/fuzz/$t.dict" ] && dict="-dict=$src/fuzz/$t.dict"
    echo "fuzz.sh: $t for ${secs}s" >&2
    if ! "$build/fuzz/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
        -artifact_prefix="$src/fuzz/" $dict "$work" "$src/fuzz/corpus/$t" \
        >"$build/fuzz-work/$t.log" 2>&1; then
        tail -n 40 "$build/fuzz-work/$t.log" >&2
        echo "fuzz.sh: $t failed (log: $build/fuzz-work/$t.log)" >&2
        exit 1
    fi
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$build/fuzz-work/$t.log" >&2 || true
done
