#!/usr/bin/env python3
"""outbound-truth.py RECEIVER-MAILLOG MTA-LOG ID-REGEX

Prints the truth about the outbound deliveries of an MTA under test, as the
receiving Postfix saw them: for every line of MTA-LOG that quotes the
receiver's reply "queued as QID", one tab-separated line

    out  MTA-MESSAGE-ID  RECIPIENT  TLS

and then one line per recipient the receiver refused and per failed
handshake it saw ("out - RECIPIENT TLS rejected by the receiver",
"out - - failed REASON").

where TLS is "PROTOCOL:CIPHER:BITS" from the receiver's "TLS connection
established from" line of the session that queued QID, or "plaintext".
MTA-MESSAGE-ID is the first group of ID-REGEX on the MTA's line (or on the
latest earlier line of the same process for Sendmail, whose delivery lines
carry the queue id anyway), RECIPIENT the first <address> or to= on it.
"""
import re
import sys

recv_log, mta_log, id_re = sys.argv[1], sys.argv[2], re.compile(sys.argv[3])

# The receiving Postfix: TLS per smtpd process, assigned to queue ids.
sess = {}
tls_of = {}
extra = []
pid_re = re.compile(r"postfix/[a-z/]*smtpd\[(\d+)\]: (.*)")
for line in open(recv_log, errors="replace"):
    m = pid_re.search(line)
    if not m:
        continue
    pid, msg = m.groups()
    if msg.startswith("connect from "):
        sess[pid] = "plaintext"
        continue
    t = re.match(r"\S+ TLS connection established from \S+: (\S+) with cipher (\S+) \((\d+)/", msg)
    if t:
        sess[pid] = "%s:%s:%s" % t.groups()
        continue
    q = re.match(r"([0-9A-F]+): client=", msg)
    if q:
        tls_of[q.group(1)] = sess.get(pid, "unknown")
        continue
    # What never got a queue id: refused recipients and failed handshakes.
    q = re.match(r"NOQUEUE: reject: RCPT from .*; from=<[^>]*> to=<([^>]*)>", msg)
    if q:
        extra.append("out\t-\t%s\t%s\trejected by the receiver" % (q.group(1), sess.get(pid, "unknown")))
        continue
    q = re.match(r"(SSL_accept error from \S+: .*)", msg)
    if q:
        sess[pid] = "failed"
        extra.append("out\t-\t-\tfailed\t%s" % q.group(1))

for line in open(mta_log, errors="replace"):
    q = re.search(r"queued as ([0-9A-F]+)", line)
    if not q or q.group(1) not in tls_of:
        continue
    m = id_re.search(line)
    r = (re.search(r" (?:=>|->) ([^ <>]+@[^ <>]+)", line) or
         re.search(r"to=<?([^ ,<>]+@[^ ,<>]+)", line) or re.search(r"<([^<>@ ]+@[^<> ]+)>", line))
    print("out\t%s\t%s\t%s" % (m.group(1) if m else "-", r.group(1) if r else "-",
                               tls_of[q.group(1)]))
for line in extra:
    print(line)
