#!/bin/bash
# bench.sh - benchmarks against reference tools (`make bench`).
#
#   tools/bench.sh BUILD-DIR [SECTION...]
#
# Sections are independent; with no SECTION every section runs.
#   report  `mailtls report` on generated Postfix logs (tools/gen-postfix-log,
#           built as BUILD-DIR/tests/gen-postfix-log) of 100 and 500 MB (set
#           BENCH_REPORT_SIZES, in MB), side by side with `wc -l` and pflogsumm
#           on the same file, warm cache: wall and CPU seconds (wc -l and
#           mailtls best of 3, pflogsumm once: it takes minutes), the ratios,
#           and the peak memory (GNU time's maximum resident set size) of
#           each size, for the report and for `mailtls report --events` (the
#           correlator without the statistics), which shows whether memory
#           grows with the log.
#   notify  `mailtls notify` as pipe(8) runs it: milliseconds per message
#           (wall and CPU, the loop around it subtracted) over 1000 messages on
#           a warm store, the WAL file's size after them, then messages per
#           second with 20 deliveries in parallel.
#   scan    `mailtls scan --summary` on a 1 GiB mbox (tools/gen-mbox) against
#           `grep -c '^Received:'` on the same file, warm cache, best of 3:
#           wall and CPU seconds and the ratios (target: well under 3x).
# Generated inputs are kept in $BENCH_DIR (default /var/tmp/mailtls-bench)
# and reused by later runs.
set -eu
build=${1:-build}
shift || true
sections=${*:-report notify scan}
cd "$(dirname "$0")/.."
mailtls=$(realpath "$build/src/mailtls/mailtls")
BENCH_DIR=${BENCH_DIR:-/var/tmp/mailtls-bench}
mkdir -p "$BENCH_DIR"

# Runs a command n times with its output discarded and prints the run with
# the least CPU time as "WALL CPU KIB" (seconds, seconds, maximum resident
# set size). CPU time (user + system) is the figure to compare: the machines
# this runs on are often shared, and CPU time does not count the waits.
measure() {
    local n=$1 t i best=""
    shift
    t=$(mktemp)
    for ((i = 0; i < n; i++)); do
        /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>&1 || {
            echo "bench: '$*' failed" >&2
            rm -f "$t"
            return 1
        }
        best=$(tail -n 1 "$t" | awk -v b="$best" '{
            c = $2 + $3
            split(b, o, " ")
            if (b == "" || c < o[2]) printf "%.2f %.2f %d\n", $1, c, $4; else print b }')
    done
    rm -f "$t"
    echo "$best"
}

# a / b with one decimal and an "x" ("-" when b is 0).
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'
}

# -- report --
# A generated log of SIZE MB, made again only when its parameters (size,
# seed, the generator's source) differ from those it was made with.
report_log() {
    local mb=$1 log params
    log=$BENCH_DIR/postfix-${mb}M-r1.log
    params="gen-postfix-log $(sha256sum tools/gen-postfix-log.c | cut -c1-16) -s ${mb}M -r 1"
    if [ ! -s "$log" ] || [ "$(cat "$log.params" 2>/dev/null)" != "$params" ]; then
        echo "generating $log ..." >&2
        "$build/tests/gen-postfix-log" -s "${mb}M" -r 1 -o "$log"
        echo "$params" >"$log.params"
    fi
    echo "$log"
}

bench_report() {
    local mb log lines wc_w wc_c mt_w mt_c mt_k pf_w pf_c pf_k ev_k
    if [ ! -x "$build/tests/gen-postfix-log" ]; then
        echo "bench report: $build/tests/gen-postfix-log is missing (build first)" >&2
        return 1
    fi
    command -v pflogsumm >/dev/null || PATH=$PATH:/usr/sbin
    echo "== report: mailtls report vs wc -l and pflogsumm on generated Postfix logs," \
        "warm cache"
    printf '%-6s %9s | %-16s | %-16s | %-17s | %7s %9s | %-24s\n' "" "" "wc -l" \
        "mailtls report" "pflogsumm" "mailtls" "pflogsumm" "RSS MB"
    printf '%-6s %9s | %7s %8s | %7s %8s | %8s %8s | %7s %9s | %7s %7s %8s\n' size lines \
        "wall s" "CPU s" "wall s" "CPU s" "wall s" "CPU s" "/ wc -l" "/ mailtls" mailtls \
        events pflogsumm
    for mb in ${BENCH_REPORT_SIZES:-100 500}; do
        log=$(report_log "$mb")
        cat "$log" >/dev/null # warm the page cache for every tool alike
        lines=$(wc -l <"$log")
        read -r wc_w wc_c _ < <(measure 3 wc -l "$log")
        read -r mt_w mt_c mt_k < <(measure 3 "$mailtls" report "$log")
        read -r _ _ ev_k < <(measure 1 "$mailtls" report --events "$log")
        read -r pf_w pf_c pf_k < <(measure 1 pflogsumm "$log")
        printf '%-6s %9s | %7s %8s | %7s %8s | %8s %8s | %7s %9s | %7s %7s %8s\n' "${mb}MB" \
            "$lines" "$wc_w" "$wc_c" "$mt_w" "$mt_c" "$pf_w" "$pf_c" "$(ratio "$mt_c" "$wc_c")" \
            "$(ratio "$pf_c" "$mt_c")" "$((mt_k / 1024))" "$((ev_k / 1024))" "$((pf_k / 1024))"
    done
    echo "ratios of CPU time; targets: pflogsumm >= 30x mailtls (aim 100x), mailtls within" \
        "a small factor of wc -l."
    echo "RSS: 'mailtls' is the report, whose statistics hold a row per domain seen;" \
        "'events' is 'mailtls report --events', the correlator alone, bounded by its" \
        "tables (sessions and queued messages), not by the log."
}

# -- notify --
# The configuration and message writers of the notify tests.
. tests/lib/common.sh
# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

bench_notify() {
    local T n t0 t1 base run
    T=$(mktemp -d /var/tmp/mailtls-bench-notify-XXXXXX)
    t_conf "$T/c.conf" "$T" "sendmail_path = /bin/true"
    t_message alice@sender.example 192.0.2.10 mail.sender.example 4ABC123 \
        '(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))' >"$T/msg"
    # The loop that runs PROGRAM for messages FIRST..LAST as pipe(8) would.
    cat >"$T/loop" <<'LOOP'
#!/bin/bash
prog=$1 conf=$2 msg=$3
for ((i = $4; i <= $5; i++)); do
    "$prog" -c "$conf" notify --sender "alice$i@sender.example" \
        --client-address "192.0.2.$((i % 250 + 1))" --client-helo mail.sender.example \
        --queue-id "Q$i" --sasl-method "" <"$msg"
done
LOOP
    chmod 755 "$T/loop"
    "$T/loop" "$mailtls" "$T/c.conf" "$T/msg" 0 0 # create and warm the store
    echo "== notify: mailtls notify per message on a warm store, and 20 in parallel"
    n=1000
    # Wall and CPU seconds of the loop around /bin/true, then around mailtls:
    # the difference is mailtls's own cost.
    base=$(/usr/bin/time -f '%e %U %S' "$T/loop" /bin/true "$T/c.conf" "$T/msg" 1 $n 2>&1 | tail -n 1)
    run=$(/usr/bin/time -f '%e %U %S' "$T/loop" "$mailtls" "$T/c.conf" "$T/msg" 1 $n 2>&1 | tail -n 1)
    echo "notify: sequential, warm store: $n messages:" \
        "$(awk -v n=$n -v b="$base" -v r="$run" 'BEGIN { split(b, x, " "); split(r, y, " ");
            printf "%.2f ms/message wall, %.2f ms/message CPU (user + system)",
                (y[1] - x[1]) * 1000 / n, (y[2] + y[3] - x[2] - x[3]) * 1000 / n }')"
    echo "notify: WAL file after $((n + 1)) messages: $(stat -c %s "$T/mailtls.db-wal") bytes"
    n=1000
    t0=$(now_ms)
    seq 1001 $((1000 + n)) | xargs -P 20 -I{} "$T/loop" "$mailtls" "$T/c.conf" "$T/msg" {} {}
    t1=$(now_ms)
    echo "notify: 20 in parallel: $n messages in $((t1 - t0)) ms:" \
        "$(awk -v t=$((t1 - t0)) -v n=$n 'BEGIN { printf "%.0f messages/s", n * 1000 / t }')"
    echo "notify: observations stored: $(sqlite3 "$T/mailtls.db" 'SELECT count(*) FROM observations')"
    rm -rf "$T"
}

# -- scan --
# Best of 3 runs of a command, output to a file (not /dev/null: GNU grep stops
# at the first match when its output is /dev/null): "WALL CPU" in seconds.
best_of_3() {
    local i t s e best_w="" best_c="" c
    t=$(mktemp)
    for i in 1 2 3; do
        s=$(date +%s%N)
        /usr/bin/time -f '%U %S' -o "$t" "$@" >"$BENCH_DIR/scan.out" 2>/dev/null || {
            echo "bench: '$*' failed" >&2
            rm -f "$t"
            return 1
        }
        e=$(date +%s%N)
        c=$(tail -n 1 "$t" | awk '{ printf "%.2f", $1 + $2 }')
        best_w=$(awk -v a="$best_w" -v b=$(((e - s) / 1000000)) \
            'BEGIN { printf "%.3f", (a == "" || b / 1000 < a) ? b / 1000 : a }')
        best_c=$(awk -v a="$best_c" -v b="$c" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
    rm -f "$t"
    echo "$best_w $best_c"
}

bench_scan() {
    local size=${BENCH_SCAN_SIZE:-1g} mbox gw gc sw sc
    mbox=$BENCH_DIR/scan-$size-v2.mbox
    if [ ! -s "$mbox" ]; then
        echo "generating $mbox ..." >&2
        tools/gen-mbox "$mbox" "$size"
    fi
    cat "$mbox" >/dev/null # warm the page cache
    echo "== scan: mailtls scan --summary vs grep -c '^Received:' on $(basename "$mbox")" \
        "($(stat -c %s "$mbox") bytes), best of 3"
    read -r gw gc < <(best_of_3 env LC_ALL=C grep -c '^Received:' "$mbox")
    read -r sw sc < <(best_of_3 "$mailtls" scan -c /dev/null --my-hostname mx.bench.example \
        --summary "$mbox")
    printf '%-26s %8s %8s\n' "" "wall s" "CPU s"
    printf '%-26s %8s %8s\n' "grep -c '^Received:'" "$gw" "$gc" "mailtls scan --summary" "$sw" "$sc"
    printf '%-26s %8s %8s\n' "ratio" \
        "$(awk -v a="$sw" -v b="$gw" 'BEGIN { printf "%.2fx", a / b }')" \
        "$(awk -v a="$sc" -v b="$gc" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')"
    echo "target: mailtls well under 3x grep"
}

for s in $sections; do
    case $s in
    report) bench_report ;;
    notify) bench_notify ;;
    scan) bench_scan ;;
    *) echo "bench: unknown section $s" >&2 ;;
    esac
done
