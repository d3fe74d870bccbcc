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
#   notify  `mailtls notify` as pipe(8) runs it: milliseconds per message on a
#           warm store (one observation each), then messages per second with
#           20 deliveries in parallel.
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

# -- notify --
# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

bench_notify() {
    local T n t0 t1 i
    T=$(mktemp -d /var/tmp/mailtls-bench-notify-XXXXXX)
    cat >"$T/c.conf" <<CONF
database = sqlite:$T/mailtls.db
hmac_key_file = $T/hmac.key
my_hostnames = mx.example.org
my_domains = example.org
authserv_id = mx.example.org
sendmail_path = /bin/true
CONF
    {
        echo "Return-Path: <alice@sender.example>"
        echo "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=sender.example"
        echo "Received: from mail.sender.example (mail.sender.example [192.0.2.10])"
        printf '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n'
        printf '\tby mx.example.org (Postfix) with ESMTPS id 4ABC123\n'
        printf '\tfor <bob@example.org>; Tue,  1 Jul 2025 12:00:00 +0000 (UTC)\n'
        printf 'From: alice@sender.example\nTo: bob@example.org\nSubject: hi\n\nbody\n'
    } >"$T/msg"
    run1() {
        "$mailtls" -c "$T/c.conf" notify --sender "alice$1@sender.example" \
            --client-address "192.0.2.$(($1 % 250 + 1))" --client-helo mail.sender.example \
            --queue-id "Q$1" --sasl-method "" <"$T/msg"
    }
    run1 0 # create and warm the store
    echo "== notify: mailtls notify per message on a warm store, and 20 in parallel"
    n=200
    t0=$(now_ms)
    for i in $(seq 1 $n); do run1 "$i"; done
    t1=$(now_ms)
    echo "notify: sequential, warm store: $n messages in $((t1 - t0)) ms:" \
        "$(awk -v t=$((t1 - t0)) -v n=$n 'BEGIN { printf "%.2f ms/message", t / n }')"
    export -f run1
    export mailtls T
    n=1000
    t0=$(now_ms)
    seq 1001 $((1000 + n)) | xargs -P 20 -I{} bash -c 'run1 {}'
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
