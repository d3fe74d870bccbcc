#!/bin/bash
# report-input.sh - what `mailtls report` does with its input: gzip members,
# standard input, files in order, lines that are not log lines (counted,
# named as FILE:LINE up to ten times, then summed up), message parts without
# prefix (--bare), overlong lines,
# truncated gzip, missing files, --since/--until; and the exit statuses.
#
# Usage: report-input.sh MAILTLS-BINARY SAMPLES-DIR
set -eu
M=$1
S=$2
T=$(mktemp -d /var/tmp/mailtls-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
json_get() { # FILE PYTHON-EXPR(r)
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"
}

log=$S/postfix.log
"$M" report --json "$log" >"$T/plain.json" || fail "report on the sample failed"
lines=$(wc -l <"$log")
[ "$(json_get "$T/plain.json" 'r["input"]["lines"]')" -eq "$lines" ] || fail "line count"
msgs=$(json_get "$T/plain.json" 'r["input"]["messages"]')
[ "$msgs" -gt 0 ] || fail "no messages in the sample"

# Two gzip members in one file read like the two files one after the other.
half=$((lines / 2))
head -n "$half" "$log" | gzip >"$T/two.gz"
tail -n +"$((half + 1))" "$log" | gzip >>"$T/two.gz"
"$M" report --json "$T/two.gz" >"$T/two.json" || fail "report on concatenated gzip failed"
[ "$(json_get "$T/two.json" 'r["input"]["messages"]')" -eq "$msgs" ] || fail "gzip members"
# Standard input, and the same log split into two files given in order.
"$M" report --json - <"$log" >"$T/stdin.json" || fail "report on stdin failed"
[ "$(json_get "$T/stdin.json" 'r["totals"]')" = "$(json_get "$T/plain.json" 'r["totals"]')" ] ||
    fail "stdin gives another report"
head -n "$half" "$log" >"$T/a.log"
tail -n +"$((half + 1))" "$log" | gzip >"$T/b.log.gz"
"$M" report --json "$T/a.log" "$T/b.log.gz" >"$T/split.json" || fail "report on two files failed"
[ "$(json_get "$T/split.json" 'r["totals"]')" = "$(json_get "$T/plain.json" 'r["totals"]')" ] ||
    fail "a log split in two files gives another report"

# Lines that are not log lines: counted, the first ten named, then a summary.
{
    cat "$log"
    for i in $(seq 1 15); do printf 'garbage line %d\n' "$i"; done
    printf 'binary \001\002\000 junk\n'
    head -c 70000 /dev/zero | tr '\0' x
    printf '\n'
} >"$T/bad.log"
"$M" report --json "$T/bad.log" >"$T/bad.json" 2>"$T/bad.err" || fail "bad lines made it fail"
[ "$(json_get "$T/bad.json" 'r["input"]["bad_lines"]')" -eq 17 ] || fail "bad line count"
[ "$(grep -c "bad.log:[0-9]*:" "$T/bad.err")" -eq 10 ] || fail "not ten named warnings"
grep -q "bad.log:$((lines + 1)):" "$T/bad.err" || fail "warning does not name the line"
grep -q "7 more lines not understood (17 in all)" "$T/bad.err" || fail "no summary"
[ "$(json_get "$T/bad.json" 'r["totals"]')" = "$(json_get "$T/plain.json" 'r["totals"]')" ] ||
    fail "bad lines changed the counts"

# Message parts without time stamp and program (published excerpts,
# journalctl -o cat): refused and named, with a hint, unless --bare; with
# --bare they are read as the golden test reads them.
G=$(dirname "$0")/../golden/logs
parts=$G/corpus-postfix-message-only.in
"$M" report --json "$parts" >"$T/parts.json" 2>"$T/parts.err" || fail "message parts made it fail"
[ "$(json_get "$T/parts.json" 'r["input"]["bad_lines"]')" -gt 0 ] || fail "message parts not refused"
grep -q "message-only.in:1: not a log line" "$T/parts.err" || fail "message part not named"
grep -q -- "--bare" "$T/parts.err" || fail "no hint at --bare"
"$M" report --bare --json "$parts" >"$T/bare.json" 2>"$T/bare.err" || fail "--bare failed"
[ ! -s "$T/bare.err" ] || fail "--bare still warns: $(cat "$T/bare.err")"
[ "$(json_get "$T/bare.json" 'r["input"]["bad_lines"]')" -eq 0 ] || fail "--bare: bad lines"
want=$(grep -c '"rec":"\(in\|out\)"' "$G/corpus-postfix-message-only.ref")
[ "$(json_get "$T/bare.json" 'r["input"]["messages"]')" -eq "$want" ] ||
    fail "--bare: messages differ from the golden test's records"
for f in exim opensmtpd; do
    "$M" report --bare --json "$G/corpus-$f.in" >"$T/$f.json" 2>"$T/$f.err" || fail "--bare $f"
    [ ! -s "$T/$f.err" ] || fail "--bare $f warns: $(cat "$T/$f.err")"
done

# Exit statuses (sysexits).
set +e
"$M" report "$T/missing.log" "$log" >/dev/null 2>"$T/err"
[ $? -eq 66 ] || fail "missing file: want 66"
grep -q "missing.log" "$T/err" || fail "missing file not named"
head -c 300 "$T/two.gz" >"$T/trunc.gz"
"$M" report "$T/trunc.gz" >/dev/null 2>"$T/err"
[ $? -eq 65 ] || fail "truncated gzip: want 65"
printf 'no\nlog\nhere\n' | "$M" report - >/dev/null 2>&1
[ $? -eq 65 ] || fail "nothing understood: want 65"
printf 'no\nlog\nhere\n' | "$M" report --bare - >/dev/null 2>&1
[ $? -eq 65 ] || fail "nothing understood with --bare: want 65"
"$M" report --json --csv "$log" >/dev/null 2>&1
[ $? -eq 64 ] || fail "two formats: want 64"
"$M" report --since yesterday "$log" >/dev/null 2>&1
[ $? -eq 64 ] || fail "bad --since: want 64"
"$M" report >/dev/null 2>&1
[ $? -eq 64 ] || fail "no LOG: want 64"
"$M" report --html /nonexistent/dir/x.html "$log" >/dev/null 2>&1
[ $? -eq 73 ] || fail "uncreatable HTML file: want 73"
"$M" report --prometheus "$log" >/dev/full 2>/dev/null
[ $? -eq 74 ] || fail "write error: want 74"
set -e

# --since/--until keep the records inside [since, until).
"$M" report --events "$log" >"$T/all.jsonl"
python3 - "$M" "$log" "$T" <<'PY'
import json, subprocess, sys
m, log, t = sys.argv[1:]
ev = [json.loads(l) for l in open(t + "/all.jsonl")]
times = sorted(e["time"] for e in ev if e["time"])
since, until = times[len(times) // 3], times[2 * len(times) // 3]
out = subprocess.run([m, "report", "--events", "--since", since[:19], "--until", until[:19], log],
                     capture_output=True, text=True, check=True).stdout
got = [json.loads(l) for l in out.splitlines()]
want = [e for e in ev if e["time"] and since <= e["time"] < until]
if sorted(map(json.dumps, got)) != sorted(map(json.dumps, want)):
    sys.exit("--since/--until: %d events, want %d" % (len(got), len(want)))
PY
echo "report-input: ok"
