#!/usr/bin/env python3
"""check-truth.py MAILTLS LOG TRUTH [--unknown-ok ID]...

Checks `mailtls report` on a captured MTA log against what the clients saw
(the .truth file written by exim.sh, sendmail.sh or opensmtpd.sh):

  in ID RCPTS TLS SCENARIO   the inbound record of message ID has that TLS
                             ("plaintext": used no; else PROTOCOL:CIPHER:BITS
                             with OpenSSL's cipher name, compared as the IANA
                             name that `openssl ciphers -stdname` gives)
  in - - failed SCENARIO     counted: --json must show as many inbound
                             failed_tls connections
  out ID RCPT TLS            a sent outbound record of ID to RCPT's domain has
                             the TLS the receiving Postfix logged
  out - RCPT TLS rejected .. a bounced outbound record to RCPT's domain with TLS
  out - - failed REASON      counted: --json shows at least as many outbound
                             failed_tls connections (a missing STARTTLS is one
                             too, without a failed handshake at the receiver)

--unknown-ok ID accepts "unknown" TLS for an inbound plaintext message ID
(a message logged before anything proved that the MTA logs TLS). Runs the
report with TZ=UTC and an empty configuration. Exit status 1 with one line
per mismatch on standard error.
"""
import collections
import json
import os
import subprocess
import sys


def main():
    args = sys.argv[1:]
    unknown_ok = set()
    while "--unknown-ok" in args:
        i = args.index("--unknown-ok")
        unknown_ok.add(args[i + 1])
        del args[i:i + 2]
    mailtls, log, truth = args
    env = dict(os.environ, TZ="UTC")
    run = lambda *a: subprocess.run([mailtls, "report", "-c", "/dev/null", *a, log], env=env,
                                    check=True, capture_output=True, text=True).stdout
    events = [json.loads(l) for l in run("--events").splitlines()]
    report = json.loads(run("--json"))
    std = {}
    for line in subprocess.run(["openssl", "ciphers", "-stdname", "ALL:@SECLEVEL=0"], check=True,
                               capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if len(f) >= 3:
            std[f[2]] = f[0]

    bad = []
    by_key = collections.defaultdict(list)
    for e in events:
        by_key[(e["direction"], e["queue_id"])].append(e)

    def tls_ok(t, want, ctx, allow_unknown=False):
        if want == "plaintext":
            if t["used"] == "no" or (allow_unknown and t["used"] == "unknown"):
                return True
            bad.append("%s: TLS used %s, the client saw plaintext" % (ctx, t["used"]))
            return False
        proto, cipher, bits = want.split(":")
        got = (t["used"], t["protocol"], t["cipher"], t["bits"])
        exp = ("yes", proto, std.get(cipher, cipher), int(bits))
        if got != exp:
            bad.append("%s: TLS %s, the client saw %s" % (ctx, got, exp))
            return False
        return True

    failed = collections.Counter()
    for line in open(truth):
        f = line.rstrip("\n").split("\t")
        d, mid, rcpt, tls = f[0], f[1], f[2], f[3]
        ctx = "%s %s %s" % (d, mid, rcpt)
        if tls == "failed" and mid == "-":
            failed[d] += 1
            continue
        if d == "in":
            evs = by_key.get(("in", mid), [])
            if len(evs) != 1:
                bad.append("%s: %d inbound records" % (ctx, len(evs)))
                continue
            tls_ok(evs[0]["tls"], tls, ctx, mid in unknown_ok)
            continue
        dom = rcpt.rsplit("@", 1)[-1]
        if mid == "-":  # refused by the receiver
            evs = [e for e in events if e["direction"] == "out" and e["recipient_domain"] == dom
                   and e["status"] == "bounced"]
        else:
            evs = [e for e in by_key.get(("out", mid), [])
                   if e["recipient_domain"] == dom and e["status"] == "sent"]
        if not evs:
            bad.append("%s: no outbound record" % ctx)
            continue
        tls_ok(evs[-1]["tls"], tls, ctx)

    conns = report["connections"]
    if conns["in"]["failed_tls"] != failed["in"]:
        bad.append("inbound failed_tls connections %d, the clients saw %d failures"
                   % (conns["in"]["failed_tls"], failed["in"]))
    if conns["out"]["failed_tls"] < failed["out"]:
        bad.append("outbound failed_tls connections %d, the receiver saw %d failures"
                   % (conns["out"]["failed_tls"], failed["out"]))
    for b in bad:
        print("check-truth: %s: %s" % (os.path.basename(log), b), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
