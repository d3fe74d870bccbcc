#!/bin/bash
# html-render.sh - renders a mailtls HTML report in headless Chromium and
# checks that its charts are drawn: after rendering, the DOM holds every
# chart SVG with a non-zero size and shapes in it, the page loads nothing
# from outside, and the screenshot is not blank.
#
# Usage: html-render.sh REPORT.html WORKDIR
set -eu
page=$1
work=$2
profile=$(mktemp -d "$work/chromium-XXXXXX")
chromium_run() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
        --window-size=1200,1800 "$@" 2>>"$work/chromium.log"
}
# Measure the charts in the page itself: a script appended to a copy writes
# the sizes into the DOM, which --dump-dom prints after rendering.
probe=$work/probe.html
cp "$page" "$probe"
cat >>"$probe" <<'JS'
<script>
var out = [];
document.querySelectorAll("svg.chart").forEach(function (s) {
  var r = s.getBoundingClientRect();
  var shapes = s.querySelectorAll("rect, polyline, circle, line").length;
  var filled = 0;
  s.querySelectorAll("rect, polyline, circle").forEach(function (e) {
    var b = e.getBBox();
    if (b.width > 0 || b.height > 0) filled++;
  });
  out.push(s.id + " " + Math.round(r.width) + "x" + Math.round(r.height) + " " + shapes + " " + filled);
});
var pre = document.createElement("pre");
pre.id = "probe";
pre.textContent = out.join("\n");
document.body.appendChild(pre);
</script>
JS
chromium_run --dump-dom "file://$probe" >"$work/dom.html"
python3 - "$work/dom.html" "$page" <<'PY'
import html, re, sys
dom = open(sys.argv[1]).read()
page = open(sys.argv[2]).read()
m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
if not m:
    sys.exit("no probe output: the page did not render")
charts = {}
for line in html.unescape(m.group(1)).splitlines():
    cid, size, shapes, filled = line.split()
    w, h = (int(x) for x in size.split("x"))
    charts[cid] = (w, h, int(shapes), int(filled))
want = ("chart-days", "chart-protocols", "chart-verdicts", "chart-plaintext")
bad = [c for c in want if c not in charts or charts[c][0] <= 0 or charts[c][1] <= 0
       or charts[c][3] == 0]
if bad:
    sys.exit("charts not rendered: %s (got %s)" % (bad, charts))
if re.search(r'(src|href)\s*=\s*"(https?:)?//', page) or "@import" in page or "url(" in page:
    sys.exit("the page refers to external resources")
print("charts:", charts)
PY
chromium_run --screenshot="$work/report.png" "file://$page" >/dev/null
python3 - "$work/report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("screenshot is not a PNG")
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4}.get(ctype, 0)
if bpp == 0 or w == 0 or h == 0:
    sys.exit("unexpected PNG colour type %d" % ctype)
stride = w * bpp
prev = bytearray(stride)
colours, ink = set(), 0
for y in range(h):
    f = raw[y * (stride + 1)]
    row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            row[i] = (row[i] + a) & 255
        elif f == 2:
            row[i] = (row[i] + b) & 255
        elif f == 3:
            row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = row
    if y % 4 == 0:
        for x in range(0, w, 4):
            px = bytes(row[x * bpp:x * bpp + 3])
            colours.add(px)
            if px != b"\xff\xff\xff":
                ink += 1
if len(colours) < 8 or ink < 1000:
    sys.exit("screenshot looks blank (%d colours, %d non-white samples)" % (len(colours), ink))
print("screenshot %dx%d: %d colours, %d non-white samples" % (w, h, len(colours), ink))
PY
