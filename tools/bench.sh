#!/bin/bash
# bench.sh - benchmarks against reference tools (`make bench`).
#
#   tools/bench.sh BUILD-DIR [SECTION...]
#
# Sections are independent; with no SECTION every section runs.
#   report  `mailtls report` on generated Postfix logs of two sizes, side by
#           side with `wc -l` and pflogsumm on the same file: CPU time, the
#           ratios, and peak memory (GNU time's maximum resident set size) to
#           show that memory does not grow with the log.
# Generated inputs are kept in $BENCH_DIR (default /var/tmp/mailtls-bench)
# and reused by later runs.
set -eu
build=${1:-build}
shift || true
sections=${*:-report}
cd "$(dirname "$0")/.."
mailtls=$(realpath "$build/src/mailtls/mailtls")
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtls-bench}
mkdir -p "$BENCH_DIR"

# CPU seconds (user + system) and max RSS (KiB) of a command, output
# discarded: "SECS KIB". CPU time rather than wall time: the machines this
# runs on are often shared, and CPU time does not count the waits.
measure() {
    local t
    t=$(mktemp)
    /usr/bin/time -f '%U %S %M' -o "$t" "$@" >/dev/null 2>&1 || {
        echo "bench: '$*' failed" >&2
        rm -f "$t"
        return 1
    }
    tail -n 1 "$t" | awk '{ printf "%.2f %d\n", $1 + $2, $3 }'
    rm -f "$t"
}

# -- report --
bench_report() {
    local gen=tools/gen-postfix-log sizes="100 500" mb log wc_s wc_k mt_s mt_k pf_s pf_k
    if [ ! -x "$gen" ]; then
        echo "bench report: $gen is missing" >&2
        return 1
    fi
    command -v pflogsumm >/dev/null || PATH=$PATH:/usr/sbin
    echo "== report: mailtls report vs wc -l and pflogsumm on generated Postfix logs"
    printf '%-8s %10s %10s %10s %9s %9s %12s %12s\n' size "wc -l s" "mailtls s" "pflogsumm s" \
        "mt/wc" "pf/mt" "mailtls RSS" "pflogsumm RSS"
    echo "(CPU seconds, user + system)"
    for mb in $sizes; do
        log=$BENCH_DIR/postfix-${mb}mb.log
        if [ ! -s "$log" ]; then
            echo "generating $log ..." >&2
            "$gen" --size "${mb}M" --seed 1 --out "$log" >/dev/null
        fi
        cat "$log" >/dev/null # warm the page cache for every tool alike
        read -r wc_s wc_k < <(measure wc -l "$log")
        read -r mt_s mt_k < <(measure "$mailtls" report "$log")
        read -r pf_s pf_k < <(measure pflogsumm "$log")
        printf '%-8s %10s %10s %10s %9s %9s %9s MB %9s MB\n' "${mb}MB" "$wc_s" "$mt_s" "$pf_s" \
            "$(awk -v a="$mt_s" -v b="$wc_s" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : a / 0.01) }')" \
            "$(awk -v a="$pf_s" -v b="$mt_s" 'BEGIN { printf "%.0fx", (b > 0 ? a / b : 0) }')" \
            "$((mt_k / 1024))" "$((pf_k / 1024))"
    done
    echo "targets: pflogsumm/mailtls >= 30x (aim 100x), mailtls close to wc -l," \
        "mailtls RSS the same for both sizes"
}

for s in $sections; do
    case $s in
    report) bench_report ;;
    *) echo "bench: unknown section $s" >&2 ;;
    esac
done
