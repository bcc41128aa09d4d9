#!/usr/bin/env python3
"""Checks one digest mail (tests/e2e/digest.sh): its MIME shape, that the
figures of its text part and of its HTML part agree, and that the HTML,
drawn by headless Chromium, shows the chart's bars with the widths and
colours the markup gives them.

usage: digest_check.py MAIL.eml WORKDIR

Prints "ok: ..." per check passed and "FAIL: ..." per check failed (exit 1
if any), then "HEAD <hash>" and the counts "NEW n", "OVERDUE n" and
"LATE n" for the shell test."""
import email
import email.policy
import html.parser
import os
import re
import subprocess
import sys

from PIL import Image

failures = 0


def check(what, cond, detail=""):
    global failures
    if cond:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what} {detail}")


def text_figures(text):
    """The figures of the text part, by the lines digest.txt writes."""
    lines = text.splitlines()
    f = {"status": {}, "impact": {}, "chart": {}, "new_refs": [], "late_refs": [],
         "overdue_refs": []}
    section = None
    for i, line in enumerate(lines):
        for key, pattern in (("new", r"^New incidents since .*: (\d+)$"),
                             ("open", r"^Open incidents \(not closed or rejected\): (\d+)$"),
                             ("overdue", r"^Overdue deadlines: (\d+)$"),
                             ("late", r"^Reported late since .*: (\d+)$"),
                             ("quarter", r"^Quarter to date \(.*\): (\d+)$")):
            m = re.match(pattern, line)
            if m:
                f[key] = int(m.group(1))
                section = key
        if line == "By status:":
            section = "status"
        elif line == "By impact:":
            section = "impact"
        elif line.startswith("Audit chain head"):
            f["head"] = lines[i + 1].strip()
            section = None
        m = re.match(r"^  (\S.*?)\s+(\d+)( #+)?$", line)
        if m and section in ("status", "impact"):
            f[section][m.group(1)] = int(m.group(2))
        elif m and section == "quarter":
            f["chart"][m.group(1)] = int(m.group(2))
        m = re.match(r"^  (INC-\d{4}-\d{6})  received ", line)
        if m and section in ("new", "late"):
            f[section + "_refs"].append(m.group(1))
        m = re.match(r"^  (INC-\d{4}-\d{6})  (\S+)  due ", line)
        if m and section == "overdue":
            f["overdue_refs"].append([m.group(1), m.group(2)])
    return f


class Tables(html.parser.HTMLParser):
    """The cells of each table with a class, the text of each span with a
    class, and the bgcolor and width of each bar cell of the chart."""

    def __init__(self):
        super().__init__()
        self.tables, self.spans, self.bars = {}, {}, []
        self.stack, self.cell, self.span = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.stack.append(a.get("class"))
            if a.get("class"):
                self.tables[a["class"]] = []
        elif tag == "tr" and self.stack and self.stack[-1]:
            self.tables[self.stack[-1]].append([])
        elif tag in ("td", "th") and self.stack and self.stack[-1]:
            self.cell = []
        elif tag == "td" and "bgcolor" in a and "chart" in self.tables and None in self.stack:
            self.bars.append((len(self.tables["chart"]) - 1, a["bgcolor"], int(a["width"])))
        elif tag == "span" and a.get("class"):
            self.span = (a["class"], [])

    def handle_endtag(self, tag):
        if tag == "table":
            self.stack.pop()
        elif tag in ("td", "th") and self.cell is not None and self.stack and self.stack[-1]:
            self.tables[self.stack[-1]][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "span" and self.span:
            self.spans[self.span[0]] = "".join(self.span[1])
            self.span = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.span:
            self.span[1].append(data)


def html_figures(markup):
    p = Tables()
    p.feed(markup)
    f = {k: int(p.spans[k + "-count"]) for k in ("new", "open", "overdue", "late", "quarter")}
    counts = lambda name: {r[0]: int(r[1]) for r in p.tables[name][1:]}
    f["status"], f["impact"], f["chart"] = counts("status"), counts("impact"), counts("chart")
    f["new_refs"] = [r[0] for r in p.tables.get("new", [[]])[1:]]
    f["late_refs"] = [r[0] for r in p.tables.get("late", [[]])[1:]]
    f["overdue_refs"] = [r[:2] for r in p.tables.get("overdue", [[]])[1:]]
    m = re.search(r'<code class="head"[^>]*>([0-9a-f]{64})</code>', markup)
    f["head"] = m.group(1) if m else None
    bars = {p.tables["chart"][row][0]: (colour, width) for row, colour, width in p.bars}
    return f, bars


def screenshot(markup, work):
    page = os.path.join(work, "digest.html")
    png = os.path.join(work, "digest.png")
    with open(page, "w", encoding="utf-8") as out:
        out.write(markup)
    # A profile of its own, and no name resolves: nothing leaves the machine.
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
           f"--user-data-dir={os.path.join(work, 'chromium-profile')}",
           "--no-first-run", "--disable-extensions", "--disable-sync",
           "--disable-background-networking", "--disable-component-update",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--force-device-scale-factor=1",
           f"--screenshot={png}", "--window-size=1000,1400", "file://" + page]
    with open(os.path.join(work, "chromium.log"), "w") as log:
        subprocess.run(cmd, stdout=log, stderr=log, timeout=90, check=True)
    return Image.open(png).convert("RGB")


def longest_run(img, rgb):
    """The widest horizontal run of pixels of colour rgb (within 3 per
    channel), and the number of rows that hold such a run."""
    w, h = img.size
    px = img.load()
    near = lambda p: all(abs(p[i] - rgb[i]) <= 3 for i in range(3))
    best, rows = 0, 0
    for y in range(h):
        run = top = 0
        for x in range(w):
            run = run + 1 if near(px[x, y]) else 0
            top = max(top, run)
        best = max(best, top)
        rows += top >= 8
    return best, rows


def main():
    path, work = sys.argv[1], sys.argv[2]
    with open(path, "rb") as fh:
        mail = email.message_from_binary_file(fh, policy=email.policy.default)
    check("multipart/alternative", mail.get_content_type() == "multipart/alternative")
    parts = [p.get_content_type() for p in mail.iter_parts()]
    check("a text/plain then a text/html part", parts == ["text/plain", "text/html"], parts)
    check("Auto-Submitted: auto-generated", mail["Auto-Submitted"] == "auto-generated")
    check("to the managers", mail["To"] == "a@justice.gov.uk, b@justice.gov.uk", mail["To"])
    check("subject names the day", mail["Subject"] == "Security incidents digest: Mon 23 Nov 2026",
          mail["Subject"])
    text = mail.get_body(("plain",)).get_content()
    markup = mail.get_body(("html",)).get_content()

    t = text_figures(text)
    h, bars = html_figures(markup)
    for key in ("new", "open", "overdue", "late", "quarter", "status", "impact", "chart",
                "new_refs", "late_refs", "overdue_refs", "head"):
        check(f"text and HTML agree: {key}", t.get(key) == h.get(key),
              f"text {t.get(key)} html {h.get(key)}")
    check("counts add up", sum(t["status"].values()) == t["open"] == sum(t["impact"].values())
          and sum(t["chart"].values()) == t["quarter"])
    check("markup from a report is escaped", "<script" not in markup
          and "&lt;script&gt;" in markup and "<script" in text)
    check("times in words, never raw", not re.search(r"\d{4}-\d\d-\d\dT", text + markup))

    img = screenshot(markup, work)
    check("screenshot 1000x1400", img.size == (1000, 1400), img.size)
    colours = img.getcolors(maxcolors=1 << 24)
    white = sum(n for n, c in colours if c == (255, 255, 255))
    check("screenshot is not blank", len(colours) > 50 and white < 0.9 * 1000 * 1400,
          f"{len(colours)} colours, {white} white pixels")
    drawn = [c for c, n in t["chart"].items() if n]
    check("a bar for each category with incidents, none for the others",
          sorted(bars) == sorted(drawn), f"bars {sorted(bars)} counts {t['chart']}")
    top = max(t["chart"].values())
    for name, (colour, width) in bars.items():
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        check(f"bar {name}: as wide as its count says", width == max(2, t["chart"][name] * 360 // top),
              width)
        run, rows = longest_run(img, rgb)
        check(f"bar {name}: drawn {colour}, {width} px wide, 16 high",
              abs(run - width) <= 2 and 14 <= rows <= 18, f"run {run} rows {rows}")
    print(f"HEAD {t.get('head')}")
    print(f"NEW {t.get('new')}")
    print(f"OVERDUE {t.get('overdue')}")
    print(f"LATE {t.get('late')}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
