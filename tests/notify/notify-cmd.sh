#!/bin/bash
# notify-cmd.sh MAILTLS - `mailtls notify` as pipe(8) runs it, without Postfix:
# the safety rules end to end (zero notices, exit 0, observation recorded),
# faults (store unwritable or locked -> 75; sendmail missing, failing or
# hanging -> logged, exit 0; garbage and 10 MB of headers -> exit 0) and 100
# concurrent deliveries for one new sender. sendmail_path points at a
# script that records each call (argv and message) so that "no notice"
# means sendmail never ran.
set -u
. "$(dirname "$0")/../lib/common.sh"
mailtls=$(readlink -f "$1")
t_init
chmod 755 "$T"
# Some runs are as nobody, who may not reach the build directory: use a copy.
install -m 755 "$mailtls" "$T/mailtls" || exit 99
mailtls=$T/mailtls

mkdir -p "$T/sent"
cat >"$T/sendmail" <<EOF
#!/bin/sh
n=\$\$.\$(date +%s%N)
printf '%s\n' "\$@" >"$T/sent/\$n.args"
cat >"$T/sent/\$n.msg"
EOF
printf '#!/bin/sh\ncat >/dev/null\necho "sendmail: fatal: no space" >&2\nexit 75\n' >"$T/sendmail-fail"
printf '#!/bin/sh\nexec sleep 30\n' >"$T/sendmail-hang"
chmod 755 "$T/sendmail" "$T/sendmail-fail" "$T/sendmail-hang"

# conf NAME ['name = value'...] - writes $T/NAME.conf with its own store;
# the given settings replace the defaults of the same name.
conf() {
    local name=$1
    shift
    mkdir -p "$T/$name"
    t_conf "$T/$name.conf" "$T/$name" "notify = yes" "notice_from = postmaster@example.org" \
        "sendmail_path = $T/sendmail" "notify_deadline = 10s" "$@"
    chmod 644 "$T/$name.conf"
}

# msg [AR-LINE [EXTRA-HEADER...]] - a copy as pipe(8) delivers it, plaintext hop.
msg() { t_message alice@sender.example 192.0.2.10 mail.sender.example 4ABC123 "" "$@"; }

# run CONF SENDER [notify args...] < message: runs notify, sets $rc and $err;
# as user nobody when $NOBODY is set.
run() {
    local c=$1 s=$2 as=()
    shift 2
    [ -z "${NOBODY:-}" ] || as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    err=$("${as[@]}" "$mailtls" -c "$T/$c.conf" notify --sender "$s" --client-address 192.0.2.10 \
        --client-helo mail.sender.example --queue-id 4ABC123 --sasl-method "" --stderr "$@" 2>&1)
    rc=$?
}

sent() { ls "$T/sent" | grep -c '\.args$'; }
obs() { sqlite3 "$T/$1/mailtls.db" "SELECT count(*) FROM observations"; }
last_decision() { sqlite3 "$T/$1/mailtls.db" "SELECT decision FROM observations ORDER BY id DESC LIMIT 1"; }

# --- a positive control: the message that does get notices -----------------
conf good
msg >"$T/m"
run good alice@sender.example <"$T/m"
check "control exits 0 ($rc: $err)" [ "$rc" = 0 ]
check "control sends two notices" [ "$(sent)" = 2 ]
check "control argv" grep -qx -- '<>' "$T"/sent/*.args
for f in "$T"/sent/*.args; do
    check "argv shape $(tr '\n' ' ' <"$f")" \
        [ "$(tr '\n' ' ' <"$f")" = "-i -f <> -- alice@sender.example " -o \
        "$(tr '\n' ' ' <"$f")" = "-i -f <> -- postmaster@sender.example " ]
done
check "control log line" grep -q 'decision=notify' <<<"$err"
rm -f "$T"/sent/*

# --- safety: zero notices, exit 0, observation recorded --------------------
conf safe
i=0
# case NAME EXPECTED-DECISION SENDER AR [EXTRA HEADERS...]
case_() {
    local name=$1 want=$2 sender=$3 ar=$4
    shift 4
    i=$((i + 1))
    msg "$ar" "$@" >"$T/m"
    run safe "$sender" <"$T/m"
    check "$name: exit 0 (got $rc: $err)" [ "$rc" = 0 ]
    check "$name: no notice" [ "$(sent)" = 0 ]
    check "$name: recorded" [ "$(obs safe)" = "$i" ]
    check "$name: decision $want (got $(last_decision safe))" [ "$(last_decision safe)" = "$want" ]
}
OURS=" mx.example.org; spf=pass smtp.mailfrom=sender.example"
case_ "no SPF result" no-spf-pass alice@sender.example ""
case_ "someone else's authserv-id" no-spf-pass alice@sender.example \
    " mx.evil.example; spf=pass smtp.mailfrom=sender.example"
case_ "SPF fail" no-spf-pass alice@sender.example " mx.example.org; spf=fail smtp.mailfrom=sender.example"
case_ "SPF pass for another domain" no-spf-pass alice@sender.example \
    " mx.example.org; spf=pass smtp.mailfrom=other.example"
case_ "forged A-R below our Received" no-spf-pass alice@sender.example "" \
    "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=sender.example"
case_ "null sender (pipe's MAILER-DAEMON)" null-sender MAILER-DAEMON "$OURS"
case_ "null sender (empty)" null-sender "" "$OURS"
case_ "MAILER-DAEMON@" system-sender MAILER-DAEMON@sender.example "$OURS"
case_ "postmaster@" system-sender postmaster@sender.example "$OURS"
case_ "noreply@" system-sender noreply@sender.example "$OURS"
case_ "bounces+" system-sender bounces+x=y.example@sender.example "$OURS"
case_ "owner-" list-owner owner-users@sender.example "$OURS"
case_ "-request" list-request users-request@sender.example "$OURS"
case_ "List-Id" list alice@sender.example "$OURS" "List-Id: <users.sender.example>"
case_ "Precedence: bulk" bulk alice@sender.example "$OURS" "Precedence: bulk"
case_ "Precedence: junk" bulk alice@sender.example "$OURS" "Precedence: junk"
case_ "Auto-Submitted" auto-submitted alice@sender.example "$OURS" "Auto-Submitted: auto-replied"
case_ "our own user" own-domain alice@example.org " mx.example.org; spf=pass smtp.mailfrom=example.org"
case_ "CR LF in the sender" bad-sender $'alice@sender.example\r\nBcc: victim@other.example' "$OURS"
case_ "leading dash" bad-sender "-oQ/tmp/x@sender.example" "$OURS"

i=$((i + 1))
msg "$OURS" >"$T/m"
run safe alice@sender.example --sasl-method PLAIN <"$T/m"
# (--sasl-method given twice: bad input, nothing recorded)
check "duplicate option: exit 0" [ "$rc" = 0 ]
check "duplicate option: logged" grep -q "unknown argument" <<<"$err"
i=$((i - 1))
check "duplicate option: not recorded" [ "$(obs safe)" = "$i" ]

i=$((i + 1))
msg "$OURS" >"$T/m"
err=$(<"$T/m" "$mailtls" -c "$T/safe.conf" notify --sender alice@sender.example \
    --client-address 192.0.2.10 --client-helo mail.sender.example --queue-id Q \
    --sasl-method PLAIN --stderr 2>&1)
check "SASL: decision" [ "$(last_decision safe)" = authenticated ]
i=$((i + 1))
msg "$OURS" >"$T/m"
err=$(<"$T/m" "$mailtls" -c "$T/safe.conf" notify --sender alice@sender.example \
    --client-address 127.0.0.1 --client-helo localhost --queue-id Q --sasl-method "" --stderr 2>&1)
check "local: decision" [ "$(last_decision safe)" = local ]
# A HELO name that looks like an option stays a HELO name.
i=$((i + 1))
msg "$OURS" >"$T/m"
err=$(<"$T/m" "$mailtls" -c "$T/safe.conf" notify --sender MAILER-DAEMON \
    --client-address 192.0.2.10 --client-helo --sender=victim@other.example --queue-id Q \
    --sasl-method "" --stderr 2>&1)
rc=$?
check "HELO injection: exit 0" [ "$rc" = 0 ]
check "HELO injection: still the null sender" [ "$(last_decision safe)" = null-sender ]
check "safety: no sendmail call at all" [ "$(sent)" = 0 ]
check "safety: recorded every message" [ "$(obs safe)" = "$i" ]

# --- notify = no: logged, not sent, slot not taken for real ----------------
conf dry "notify = no"
msg >"$T/m"
run dry alice@sender.example <"$T/m"
check "dry run: exit 0" [ "$rc" = 0 ]
check "dry run: no sendmail" [ "$(sent)" = 0 ]
check "dry run: logged" grep -q 'status=logged' <<<"$err"
check "dry run: notices logged" [ "$(sqlite3 "$T/dry/mailtls.db" "SELECT group_concat(status) FROM notices")" = "logged,logged" ]
sed -i 's/^notify = no$/notify = yes/' "$T/dry.conf"
msg >"$T/m"
run dry alice@sender.example <"$T/m"
check "after turning notices on, the first one goes out" [ "$(sent)" = 2 ]
rm -f "$T"/sent/*

# --- interval: one notice per address per interval ----------------------
msg >"$T/m"
run good alice@sender.example <"$T/m"
check "interval: no second notice" [ "$(sent)" = 0 ]
check "interval: logged" grep -q 'decision=interval' <<<"$err"
msg >"$T/m"
run good bob@sender.example <"$T/m"
check "interval: postmaster@ only once, the new sender once" [ "$(sent)" = 1 ]
rm -f "$T"/sent/*

# --- suppressions ------------------------------------------------------------
conf supp
"$mailtls" -c "$T/supp.conf" db suppress sender.example >/dev/null ||
    fail "db suppress sender.example"
msg >"$T/m"
run supp alice@sender.example <"$T/m"
check "suppressed domain: no notice" [ "$(sent)" = 0 ]
check "suppressed domain: decision" [ "$(last_decision supp)" = suppressed ]
"$mailtls" -c "$T/supp.conf" db unsuppress sender.example >/dev/null || fail "db unsuppress"
"$mailtls" -c "$T/supp.conf" db suppress ALICE@sender.example >/dev/null || fail "db suppress address"
msg >"$T/m"
run supp alice@sender.example <"$T/m"
check "suppressed address: only postmaster@" [ "$(sent)" = 1 ]
check "suppressed address: to postmaster" grep -qx 'postmaster@sender.example' "$T"/sent/*.args
rm -f "$T"/sent/*

# --- notice_from empty: postmaster@ the first my_hostnames entry ---------
conf nofrom
sed -i '/^notice_from = /d' "$T/nofrom.conf"
msg >"$T/m"
run nofrom alice@sender.example <"$T/m"
check "default From: exit 0" [ "$rc" = 0 ]
check "default From: postmaster@mx.example.org" \
    [ "$(grep -h '^From: ' "$T"/sent/*.msg | sort -u)" = "From: postmaster@mx.example.org" ]
rm -f "$T"/sent/*

# --- faults ------------------------------------------------------------------
conf nosm "sendmail_path = $T/does-not-exist"
msg >"$T/m"
run nosm alice@sender.example <"$T/m"
check "sendmail missing: exit 0 ($rc)" [ "$rc" = 0 ]
check "sendmail missing: logged" grep -q 'status=failed.*cannot run' <<<"$err"
check "sendmail missing: observation kept" [ "$(obs nosm)" = 1 ]
check "sendmail missing: notice marked failed" \
    [ "$(sqlite3 "$T/nosm/mailtls.db" "SELECT group_concat(status) FROM notices")" = "failed,failed" ]
conf smfail "sendmail_path = $T/sendmail-fail"
msg >"$T/m"
run smfail alice@sender.example <"$T/m"
check "sendmail failing: exit 0" [ "$rc" = 0 ]
check "sendmail failing: exit status and output logged" \
    grep -q 'sendmail_exit=75 output="sendmail: fatal: no space"' <<<"$err"
conf smhang "sendmail_path = $T/sendmail-hang" "notify_deadline = 4s"
msg >"$T/m"
run smhang alice@sender.example <"$T/m"
check "sendmail hanging: exit 0 ($rc)" [ "$rc" = 0 ]
check "sendmail hanging: killed and logged" grep -q 'killed after' <<<"$err"

# The store cannot be created (directory not writable by the user notify runs as).
conf ro
chmod 755 "$T/ro"
msg >"$T/m"
NOBODY=1 run ro alice@sender.example <"$T/m"
check "unwritable: exit 75 (got $rc: $err)" [ "$rc" = 75 ]
check "unwritable: clear log line" grep -q 'status=deferred error=.*hmac.key\|status=deferred error=.*mailtls.db' <<<"$err"
# An existing store that is read-only for that user.
chown nobody "$T/ro"
msg >"$T/m"
NOBODY=1 run ro alice@sender.example <"$T/m"
[ "$rc" = 0 ] || fail "first run as nobody ($rc: $err)"
chown root "$T/ro" "$T/ro/mailtls.db"
chmod 644 "$T/ro/mailtls.db"
msg >"$T/m"
NOBODY=1 run ro carol@sender.example <"$T/m"
check "read-only store: exit 75 (got $rc: $err)" [ "$rc" = 75 ]
check "read-only store: log names the store" grep -q 'store unavailable: .*mailtls.db' <<<"$err"
rm -f "$T"/sent/*

# The store is locked by someone else for longer than notify may wait.
conf locked "notify_deadline = 2s"
msg >"$T/m"
run locked alice@sender.example <"$T/m"
python3 - "$T/locked/mailtls.db" <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[1] + ".held", "w").close()
time.sleep(6)
EOF
lock_pid=$!
for _ in $(seq 50); do [ -f "$T/locked/mailtls.db.held" ] && break; sleep 0.1; done
msg >"$T/m"
run locked carol@sender.example <"$T/m"
check "locked: exit 75 (got $rc: $err)" [ "$rc" = 75 ]
check "locked: clear log line" grep -q 'status=deferred error="store unavailable: .*locked' <<<"$err"
kill $lock_pid 2>/dev/null
wait $lock_pid 2>/dev/null
rm -f "$T"/sent/*

# Garbage, an empty message, and 10 MB of headers.
conf junk
head -c 200000 /dev/urandom >"$T/garbage"
run junk alice@sender.example <"$T/garbage"
check "garbage: exit 0 ($rc)" [ "$rc" = 0 ]
check "garbage: no notice" [ "$(sent)" = 0 ]
run junk alice@sender.example </dev/null
check "empty input: exit 0 ($rc)" [ "$rc" = 0 ]
python3 -c '
import sys
sys.stdout.write("Return-Path: <alice@sender.example>\n")
sys.stdout.write("Received: from a (a [192.0.2.10])\n\tby mx.example.org (Postfix) with ESMTP id X\n\tfor <b@example.org>; Tue, 1 Jul 2025 12:00:00 +0000\n")
for i in range(100000):
    sys.stdout.write("X-Filler-%d: %s\n" % (i, "x" * 90))
sys.stdout.write("\nbody\n")' >"$T/big.msg"
check "big input is 10 MB" [ "$(stat -c %s "$T/big.msg")" -gt 10000000 ]
run junk alice@sender.example <"$T/big.msg"
check "10 MB of headers: exit 0 ($rc)" [ "$rc" = 0 ]
check "10 MB of headers: logged" grep -q 'longer than notify_header_limit' <<<"$err"
check "10 MB of headers: no notice" [ "$(sent)" = 0 ]
check "10 MB of headers: recorded as bad-headers" [ "$(last_decision junk)" = bad-headers ]

# --- 100 concurrent deliveries for one new sender ---------------------------
conf race
msg >"$T/race.msg"
pids=()
for n in $(seq 100); do
    "$mailtls" -c "$T/race.conf" notify --sender alice@sender.example --client-address 192.0.2.10 \
        --client-helo mail.sender.example --queue-id "R$n" --sasl-method "" \
        <"$T/race.msg" >"$T/race.$n.out" 2>&1 &
    pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
check "concurrency: every exit 0 ($bad did not)" [ "$bad" = 0 ]
check "concurrency: 100 observations" [ "$(obs race)" = 100 ]
check "concurrency: one notice per recipient ($(sent))" [ "$(sent)" = 2 ]
check "concurrency: to the sender once" [ "$(grep -lx 'alice@sender.example' "$T"/sent/*.args | wc -l)" = 1 ]
check "concurrency: to postmaster@ once" [ "$(grep -lx 'postmaster@sender.example' "$T"/sent/*.args | wc -l)" = 1 ]

t_done
