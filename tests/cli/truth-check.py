#!/usr/bin/env python3
"""truth-check.py TRUTH CONNS JSON EVENTS - compares `mailtls report` output
with the ground truth of tools/gen-postfix-log (see report-truth.sh).

TRUTH has one line per message record, tab-separated:
    in|out  QUEUEID  SENDER-DOMAIN  RECIPIENT-DOMAIN  TLS  STATUS
CONNS one line per network connection:
    in|out  tls|plaintext|failed_tls  PROTOCOL:CIPHER|-
TLS is "PROTOCOL:CIPHER" (OpenSSL's cipher name, as Postfix logs it),
"plaintext" or "unknown". The aggregates are computed here from those lines
alone; the only outside knowledge is the IANA name of each OpenSSL suite the
generator uses. Prints every difference and exits 1 when there is one.
"""
import collections
import json
import sys

# OpenSSL name -> IANA name (RFC 8446, RFC 5289, RFC 5288, RFC 4492 registry
# entries) of the suites tools/gen-postfix-log writes.
IANA = {
    "TLS_AES_256_GCM_SHA384": "TLS_AES_256_GCM_SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384": "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "AES256-GCM-SHA384": "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "ECDHE-RSA-AES256-SHA": "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_AES_128_GCM_SHA256": "TLS_AES_128_GCM_SHA256",
    "TLS_CHACHA20_POLY1305_SHA256": "TLS_CHACHA20_POLY1305_SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384": "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "ECDHE-RSA-AES256-SHA384": "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "AES256-SHA": "TLS_RSA_WITH_AES_256_CBC_SHA",
}
PROTOCOLS = ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2", "unknown"]
STATUSES = {"in": ["received"], "out": ["sent", "deferred", "bounced", "expired"]}

problems = []


def expect(what, got, want):
    """Records a difference."""
    if got != want:
        problems.append(f"{what}: mailtls says {got!r}, the truth {want!r}")


def counter(keys, it):
    """A dict over keys (all present, 0 when absent) counting it."""
    c = collections.Counter(it)
    extra = set(c) - set(keys)
    if extra:
        problems.append(f"truth has unexpected values {sorted(extra)}")
    return {k: c.get(k, 0) for k in keys}


def split_tls(tls):
    """("yes"|"no"|"unknown", protocol, IANA cipher) of a truth TLS field."""
    if tls in ("plaintext", "unknown"):
        return ("no" if tls == "plaintext" else "unknown", None, None)
    proto, cipher = tls.split(":", 1)
    return ("yes", proto, IANA[cipher])


def main():
    truth_path, conns_path, json_path, events_path = sys.argv[1:5]
    with open(truth_path) as f:
        truth = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    with open(conns_path) as f:
        conns = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    with open(json_path) as f:
        report = json.load(f)
    with open(events_path) as f:
        events = [json.loads(line) for line in f if line.strip()]

    expect("input.messages", report["input"]["messages"], len(truth))
    expect("input.connections", report["input"]["connections"], len(conns))
    expect("input.bad_lines", report["input"]["bad_lines"], 0)

    for d in ("in", "out"):
        recs = [r for r in truth if r[0] == d]
        tls = [split_tls(r[4]) for r in recs]
        tot = report["totals"][d]
        expect(f"totals.{d}.messages", tot["messages"], len(recs))
        expect(f"totals.{d}.tls", tot["tls"],
               counter(["yes", "no", "unknown"], (t[0] for t in tls)))
        expect(f"totals.{d}.protocols", tot["protocols"],
               counter(PROTOCOLS, (t[1] for t in tls if t[0] == "yes")))
        expect(f"totals.{d}.status", tot["status"], counter(STATUSES[d], (r[5] for r in recs)))
        got = {row["cipher"]: row["messages"] for row in report["ciphers"][d]}
        want = collections.Counter(t[2] for t in tls if t[0] == "yes")
        expect(f"ciphers.{d}", got, dict(want))
        # Domains: inbound by sender domain, outbound by recipient domain.
        # The null sender's domain is null in JSON, "" in the truth.
        got = {row["domain"] or "": (row["messages"], row["tls"]["yes"], row["tls"]["no"])
               for row in report["domains"][d]}
        want = collections.defaultdict(lambda: [0, 0, 0])
        for r, t in zip(recs, tls):
            row = want[r[2] if d == "in" else r[3]]
            row[0] += 1
            row[1] += t[0] == "yes"
            row[2] += t[0] == "no"
        expect(f"domains.{d}", got, {k: tuple(v) for k, v in want.items()})

        cs = [c for c in conns if c[0] == d]
        got = report["connections"][d]
        expect(f"connections.{d} outcomes",
               {k: got[k] for k in ("tls", "plaintext", "failed_tls")},
               counter(["tls", "plaintext", "failed_tls"], (c[1] for c in cs)))
        ctls = [split_tls(c[2]) for c in cs if c[1] == "tls"]
        expect(f"connections.{d}.by_protocol", got["by_protocol"],
               counter(PROTOCOLS, (t[1] for t in ctls)))
        expect(f"connections.{d}.by_cipher", got["by_cipher"],
               dict(collections.Counter(t[2] for t in ctls)))

    # Record by record: the same multiset of records.
    def ev_tls(e):
        t = e["tls"]
        if t["used"] == "yes":
            return f"{t['protocol']}:{t['cipher_raw']}"
        return "plaintext" if t["used"] == "no" else "unknown"

    got = collections.Counter(
        (e["direction"], e["queue_id"], e["sender_domain"] or "", e["recipient_domain"] or "",
         ev_tls(e),
         e["status"]) for e in events)
    want = collections.Counter(tuple(r) for r in truth)
    for rec in sorted((got - want).keys())[:10]:
        problems.append(f"--events has a record the truth has not: {rec}")
    for rec in sorted((want - got).keys())[:10]:
        problems.append(f"--events lacks a record of the truth: {rec}")
    if sum(want.values()) < 2000:
        problems.append(f"only {sum(want.values())} truth records: the log is too small")

    for p in problems:
        print("truth-check:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
