"""events.py - the check the report integration tests share: the events of
`mailtls report --events` against what the test did.

The test writes one line per message to its expectation file, tab-separated:
QUEUE-ID NAME DIRECTION USED PROTOCOL CIPHER PFS VERDICT, where DIRECTION is
"in" or "out" and "-" stands for null. Inbound messages come from
NAME@NAME.sender.example at the client's address, outbound ones go to a
domain under .peer.example at the peer's address.
"""
import json
import re
import sys

bad = []


def check(cond, msg):
    """Records msg as a failure when cond is false."""
    if not cond:
        bad.append(msg)


def done():
    """Prints the failures and exits, with 0 when there were none."""
    for b in bad:
        print("FAIL:", b, file=sys.stderr)
    sys.exit(1 if bad else 0)


def check_events(events_path, expect_path, mta, trust, client_ip, peer_ip):
    """Checks every event against its expectation line: one event per
    expected message and direction, none more; time, mta, status, peer,
    sender or recipient domain, and the TLS facts (trust as trust[direction]
    where TLS was used). Returns (events, want, got): the events as read, the
    expectations and the events by (queue id, direction).
    """
    events = [json.loads(line) for line in open(events_path)]
    want = {}
    for line in open(expect_path):
        qid, name, d, used, proto, cipher, pfs, verdict = line.rstrip("\n").split("\t")
        want[(qid, d)] = dict(name=name, used=used, protocol=proto, cipher=cipher, pfs=pfs,
                              verdict=verdict)
    got = {}
    for e in events:
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e.get("time") or ""),
              "time %s" % e.get("time"))
        check(e.get("mta") == mta, "mta %s" % e)
        key = (e.get("queue_id"), e.get("direction"))
        check(key not in got, "event twice: %s" % (key,))
        got[key] = e
    check(set(got) == set(want), "events %s, expected %s" % (sorted(got), sorted(want)))
    nul = lambda v: None if v == "-" else v
    for key, w in want.items():
        e = got.get(key)
        if e is None:
            continue
        t = e["tls"]
        ctx = "%s %s" % (w["name"], key[1])
        check(t["used"] == w["used"], "%s: used %s, want %s" % (ctx, t["used"], w["used"]))
        check(t["protocol"] == nul(w["protocol"]), "%s: protocol %s" % (ctx, t["protocol"]))
        check(t["cipher"] == nul(w["cipher"]),
              "%s: cipher %s, want %s" % (ctx, t["cipher"], w["cipher"]))
        if w["used"] == "yes":
            check(t["pfs"] == w["pfs"], "%s: pfs %s, want %s" % (ctx, t["pfs"], w["pfs"]))
            check(t["bits"] is not None and t["bits"] >= 128, "%s: bits %s" % (ctx, t["bits"]))
            check(t["cipher_raw"], "%s: no cipher_raw" % ctx)
            check(t["trust"] == trust[key[1]], "%s: trust %s" % (ctx, t["trust"]))
        check(t["verdict"] == w["verdict"],
              "%s: verdict %s, want %s" % (ctx, t["verdict"], w["verdict"]))
        if key[1] == "in":
            check(e["status"] == "received", "%s: status %s" % (ctx, e["status"]))
            check(e["peer"]["ip"] == client_ip, "%s: peer %s" % (ctx, e["peer"]))
            check(e["sender"] == "%s@%s.sender.example" % (w["name"], w["name"]),
                  "%s: sender %s" % (ctx, e["sender"]))
        else:
            check(e["status"] == "sent", "%s: status %s" % (ctx, e["status"]))
            check(e["peer"]["ip"] == peer_ip, "%s: peer %s" % (ctx, e["peer"]))
            check(e["recipient_domain"].endswith(".peer.example"), "%s: rcpt domain" % ctx)
    return events, want, got


def check_totals(report, want):
    """The messages per direction of `mailtls report --json` are the expected ones."""
    for d in ("in", "out"):
        n = sum(1 for k in want if k[1] == d)
        got = report["totals"][d]["messages"]
        check(got == n, "json %s messages %s" % (d, got))
