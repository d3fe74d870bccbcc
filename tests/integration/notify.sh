#!/bin/bash
# notify.sh MAILTLS - mailtls notify inside a real Postfix mail flow.
#
# A private Postfix (mx.example.org) receives mail for example.org on a
# loopback port; recipient_bcc_maps copies every message to a private
# address that transport_maps routes to a pipe(8) service running
# `mailtls notify` as nobody. A real SPF verifier (postfix-policyd-spf-python
# with Header_Type = AR) writes Authentication-Results, resolving against a
# dnsmasq that serves the test zone on 127.0.0.1:53 - all inside a private
# network and mount namespace (unshare), with its own /etc/resolv.conf and
# /etc/hosts. swaks sends plaintext, TLS 1.3 and TLS 1.0 mail through
# XCLIENT (so the client is 192.0.2.10, not loopback). Notices go through
# Postfix's own sendmail (MAIL_CONFIG of the test instance) into a local
# mailbox the test reads. Then `mailtls report --db` must report exactly the
# recorded messages.
set -u
mailtls=$(readlink -f "$1")

if [ -z "${MT_IN_NS:-}" ]; then
    for t in unshare dnsmasq policyd-spf ip sqlite3; do
        command -v "$t" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
        command -v "$t" >/dev/null 2>&1 ||
            { echo "FAIL: $t not found (make check installs it)" >&2; exit 1; }
    done
    exec env MT_IN_NS=1 unshare --mount --net bash "$0" "$@"
fi

. "$(dirname "$0")/lib/postfix.sh"
. "$(dirname "$0")/../lib/common.sh"
mt_it_init
ip link set lo up || mt_fail "ip link set lo up"

# Private resolver configuration and hosts file for this namespace.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$MT_TMP/resolv.conf"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$MT_TMP/hosts"
mount --bind "$MT_TMP/resolv.conf" /etc/resolv.conf || mt_fail "bind resolv.conf"
mount --bind "$MT_TMP/hosts" /etc/hosts || mt_fail "bind hosts"

mx=$MT_TMP/mx
store=$MT_TMP/store
# notify runs as nobody, and Postfix's setgid postdrop accepts the
# MAIL_CONFIG of the test instance only when the default main.cf lists it in
# alternate_config_directories: give this namespace its own /etc/postfix.
mkdir -p "$MT_TMP/etc-postfix"
cp -a /etc/postfix/. "$MT_TMP/etc-postfix/" 2>/dev/null
echo "alternate_config_directories = $mx/etc" >>"$MT_TMP/etc-postfix/main.cf"
mount --bind "$MT_TMP/etc-postfix" /etc/postfix || mt_fail "bind /etc/postfix"

# The test zone: sender.example authorises 192.0.2.10; forged.example does not.
dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --user=root \
    --listen-address=127.0.0.1 --bind-interfaces --port=53 \
    --log-facility="$MT_TMP/dnsmasq.log" \
    --txt-record=sender.example,"v=spf1 ip4:192.0.2.10 -all" \
    --txt-record=forged.example,"v=spf1 ip4:198.51.100.1 -all" &
dns_pid=$!
trap 'kill $dns_pid 2>/dev/null; mt_cleanup' EXIT

port=$(mt_free_port)
pf_init "$mx" mx.example.org
mkdir -p "$store"
chown nobody "$store"
# pipe(8) runs notify as nobody, who may not be able to reach the build
# directory (a checkout under /root, say): run a copy from the test directory.
install -m 755 "$mailtls" "$MT_TMP/mailtls" || mt_fail "copy mailtls"
mailtls=$MT_TMP/mailtls

t_conf "$MT_TMP/mailtls.conf" "$store" "notify = yes" "notice_from = postmaster@example.org" \
    "admin_address = admin@example.org" "sendmail_path = /usr/sbin/sendmail" \
    "notify_deadline = 20s"
chmod 644 "$MT_TMP/mailtls.conf"

cat >"$MT_TMP/policyd-spf.conf" <<CONF
debugLevel = 1
TestOnly = 1
HELO_reject = False
Mail_From_reject = False
PermError_reject = False
TempError_Defer = False
skip_addresses = 127.0.0.0/8,::ffff:127.0.0.0/104,::1
Header_Type = AR
Authserv_Id = mx.example.org
CONF

pf_listen "$mx" "$port" smtpd_authorized_xclient_hosts=127.0.0.1
pf_service "$mx" "policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf $MT_TMP/policyd-spf.conf"
pf_pipe "$mx" mailtls nobody "$mailtls -c $MT_TMP/mailtls.conf notify --sender \${sender}" \
    "--client-address \${client_address} --client-helo \${client_helo}" \
    "--queue-id \${queue_id} --sasl-method \${sasl_method}"
pf_set "$mx" \
    "virtual_mailbox_domains = example.org, sender.example" \
    "virtual_mailbox_base = $mx/mail" \
    "virtual_mailbox_maps = inline:{ @example.org=example.org, @sender.example=sender.example }" \
    "virtual_uid_maps = static:65534" "virtual_gid_maps = static:65534" \
    "virtual_minimum_uid = 1" \
    "recipient_bcc_maps = inline:{ @example.org=tls-copy@mailtls.invalid }" \
    "policyd-spf_time_limit = 3600" \
    "smtpd_recipient_restrictions = reject_unauth_destination, check_policy_service unix:private/policyd-spf"
chown nobody "$mx/mail"
pf_route "$mx" mailtls.invalid mailtls:
pf_start "$mx"

# Sends one message from SENDER through XCLIENT as 192.0.2.10; extra swaks args follow.
send() {
    local from=$1
    shift
    mt_swaks "$port" --from "$from" --to bob@example.org \
        --xclient-addr 192.0.2.10 --xclient-name mail.sender.example \
        --xclient-helo mail.sender.example --ehlo mail.sender.example "$@" ||
        mt_fail "swaks $from $*"
    pf_wait_idle "$mx" 30
}

tls13=(--tls --tls-protocol tlsv1_3)
tls10=(--tls --tls-protocol tlsv1 --tls-cipher 'DEFAULT:@SECLEVEL=0')

send alice@sender.example                                               # 1 plaintext, SPF pass
send bob@sender.example "${tls13[@]}"                                   # 2 TLS 1.3
send carol@sender.example "${tls10[@]}"                                 # 3 TLS 1.0
send dave@forged.example                                                # 4 SPF fail
send erin@sender.example --add-header 'List-Id: <users.sender.example>' # 5 list, downgrade
send '<>'                                                               # 6 null sender
send frank@sender.example --add-header 'Precedence: bulk'               # 7 bulk
send grace@sender.example --add-header 'Auto-Submitted: auto-generated' # 8 auto-submitted
pf_wait_idle "$mx" 30

db=$store/mailtls.db
q() { sqlite3 "$db" "$1"; }
log=$(pf_log "$mx")
[ -f "$db" ] || { cat "$log" >&2; mt_fail "no store was created"; }

# Every copy was recorded once, with the TLS facts of our own hop.
n=$(q "SELECT count(*) FROM observations")
[ "$n" -ge 8 ] || { cat "$log" >&2; mt_fail "expected at least 8 observations, got $n"; }
[ "$(q "SELECT count(*) FROM observations WHERE domain = 'sender.example'")" = 6 ] ||
    mt_fail "sender.example observations: $(q "SELECT * FROM observations")"
got=$(q "SELECT verdict || ' ' || protocol FROM observations WHERE domain = 'sender.example' ORDER BY id LIMIT 3" | tr '\n' ,)
case "$got" in "5 ,1 TLSv1.3,3 TLSv1"*) ;; *) false ;; esac ||
    mt_fail "verdicts/protocols: $got"
[ "$(q "SELECT spf_pass FROM observations WHERE domain = 'sender.example' ORDER BY id LIMIT 1")" = 1 ] ||
    { cat "$log" >&2; mt_fail "SPF pass from policyd-spf not seen"; }
[ "$(q "SELECT spf_pass || ' ' || decision FROM observations WHERE domain = 'forged.example'")" = "0 no-spf-pass" ] ||
    mt_fail "forged sender: $(q "SELECT * FROM observations WHERE domain = 'forged.example'")"
decisions=$(q "SELECT group_concat(decision, ',') FROM (SELECT decision FROM observations WHERE client_ip = '192.0.2.10' ORDER BY id)")
case "$decisions" in
notify,not-triggered,notify,no-spf-pass,list,null-sender,bulk,auto-submitted*) ;;
*) mt_fail "decisions: $decisions" ;;
esac
[ "$(q "SELECT messages || ' ' || v1 || ' ' || v3 || ' ' || v5 || ' ' || (last_tls > 0) FROM domains WHERE domain = 'sender.example'")" = "6 1 1 4 1" ] ||
    mt_fail "domain aggregate: $(q "SELECT * FROM domains")"

# Notices: alice and postmaster@ (message 1), carol (message 3); postmaster@
# only once within the interval; none for the others.
box=$mx/mail/sender.example
[ -f "$box" ] || { cat "$log" >&2; mt_fail "no notice was delivered"; }
[ "$(grep -c '^From ' "$box")" = 3 ] || { cat "$box" >&2; mt_fail "expected 3 notices"; }
[ "$(grep '^To: ' "$box" | sort | tr '\n' ' ')" = \
    "To: alice@sender.example To: carol@sender.example To: postmaster@sender.example " ] ||
    mt_fail "notice recipients: $(grep '^To: ' "$box")"
[ "$(grep -c '^Return-Path: <>$' "$box")" = 3 ] ||
    mt_fail "notice envelope sender is not <>: $(grep Return-Path "$box")"
for h in 'From: postmaster@example.org' 'Subject: TLS security of mail from your domain' \
    'Auto-Submitted: auto-replied' 'MIME-Version: 1.0' 'Content-Type: text/plain; charset=utf-8'; do
    [ "$(grep -c "^$h\$" "$box")" = 3 ] || mt_fail "header missing: $h"
done
grep -q 'plaintext (no STARTTLS)' "$box" || mt_fail "plaintext notice text"
grep -Eq 'Protocol: *TLSv1(\.0)?$' "$box" || mt_fail "TLS 1.0 notice text"
grep -q 'TLS 1.0 is deprecated (RFC 8996)' "$box" || mt_fail "reasons in the TLS 1.0 notice"
grep -q 'mail.sender.example \[192.0.2.10\]' "$box" || mt_fail "sending host in the notice"
awk 'length($0) > 78 { bad = 1 } END { exit bad }' "$box" || mt_fail "a notice line is longer than 78"
[ "$(q "SELECT count(*) FROM notices WHERE status = 'sent' AND kind != 'admin'")" = 3 ] ||
    mt_fail "notices in the store: $(q "SELECT * FROM notices")"
# Addresses are stored hashed only.
q ".dump" | grep -q 'alice@' && mt_fail "an address is stored in clear"

# Downgrade: 192.0.2.10 used TLS (2, 3), then plaintext (4), and so did
# sender.example (5): logged and recorded each time, the admin is told once a day.
adm=$mx/mail/example.org
grep -q '^Subject: mailtls: TLS downgrade seen' "$adm" || { cat "$log" >&2; mt_fail "no downgrade report"; }
[ "$(grep -c '^Subject: mailtls: TLS downgrade seen' "$adm")" = 1 ] ||
    mt_fail "more than one downgrade report"
[ "$(q "SELECT count(*) FROM notices WHERE kind = 'admin' AND status = 'sent'")" = 1 ] ||
    mt_fail "admin report in the store"

# mailtls report --db: the recorded messages as a report, each one as the
# observation has it, and what the store cannot know shown as such.
"$mailtls" -c "$MT_TMP/mailtls.conf" report --db --json >"$MT_TMP/db.json" ||
    mt_fail "report --db --json exited $?"
"$mailtls" -c "$MT_TMP/mailtls.conf" report --db --events >"$MT_TMP/db.events" ||
    mt_fail "report --db --events exited $?"
q "SELECT queue_id || ' ' || client_ip || ' ' || domain || ' ' || verdict FROM observations" \
    >"$MT_TMP/db.rows"
python3 - "$MT_TMP/db.json" "$MT_TMP/db.events" "$MT_TMP/db.rows" <<'EOF' ||
import json, sys
r = json.load(open(sys.argv[1]))
ev = [json.loads(l) for l in open(sys.argv[2])]
rows = [l.split(" ") for l in open(sys.argv[3]).read().splitlines()]
names = ["unknown", "ok", "legacy", "deprecated", "insecure", "plaintext"]
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: got %r, want %r" % (what, got, exp))
want("messages", r["totals"]["in"]["messages"], len(rows))
d = {x["domain"]: x for x in r["domains"]["in"]}["sender.example"]
want("sender.example messages", d["messages"], 6)
want("sender.example tls", d["tls"], {"yes": 2, "no": 4, "unknown": 0})
want("sender.example verdicts", {k: v for k, v in d["verdicts"].items() if v},
     {"ok": 1, "deprecated": 1, "plaintext": 4})
want("sender.example downgrade suspect", d["downgrade_suspect"], True)
want("connections", r["connections"], {"in": None, "out": None})
want("failed handshakes", r["failed_handshakes"], {"in": None, "out": None})
want("outbound", r["totals"]["out"], None)
# One event per observation, with its queue id, client and verdict.
want("events", sorted((e["queue_id"], e["peer"]["ip"] or "", e["sender_domain"] or "",
                       e["tls"]["verdict"]) for e in ev),
     sorted((q, ip, dom, names[int(v)]) for q, ip, dom, v in rows))
tls = [e for e in ev if e["sender_domain"] == "sender.example" and e["tls"]["used"] == "yes"]
want("TLS events", sorted(e["tls"]["protocol"] for e in tls), ["TLSv1", "TLSv1.3"])
for e in tls:
    want("peer host", e["peer"]["host"], "mail.sender.example")
    want("our host", e["host"], "mx.example.org")
    want("trust", e["tls"]["trust"], "anonymous")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
    mt_fail "report --db does not match the observations"
"$mailtls" -c "$MT_TMP/mailtls.conf" report --db | grep -A1 '^Connections' | grep -q 'not available' ||
    mt_fail "report --db text: connections not shown as not available"

# pipe(8) never bounced or deferred a copy.
grep -E 'relay=mailtls.*status=(bounced|deferred)' "$log" >&2 && mt_fail "a copy was bounced or deferred"
[ "$(grep -Ec 'relay=mailtls.*status=sent' "$log")" -ge 8 ] || mt_fail "copies not delivered to mailtls"
echo "notify.sh: ok"
