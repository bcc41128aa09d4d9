#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets:
seeds.py SOURCE_DIR OUT_DIR [MSG_SEEDS].

Mail targets get every .eml of tests/fixtures/corpus and examples/, the
reply target those and every .eml of tests/fixtures/replies/; the
text targets get the decoded text/plain bodies, the HTML target the
text/html bodies, ukdate the lines that hold a digit, observables each
mail's fields in its input form (see fuzz_observables.c). Config, RTF and
TNEF seeds are built here (TNEF by the MS-OXTNEF layout, as
tests/unit/test_tnef.c does). fuzz_linear gets short units, each behind the
byte that picks its path (see fuzz_linear.c). Outlook items for fuzz_msg
are written by MSG_SEEDS, the msg_seeds program (tests/fuzz/msg_seeds.c),
when given. Output goes to OUT_DIR/<target>/ and is rebuilt from scratch;
nothing here is committed."""

import email
import email.policy
import email.utils
import hashlib
import pathlib
import shutil
import struct
import subprocess
import sys

MAIL_TARGETS = ("mail", "forward", "report", "reply")
TEXT_TARGETS = ("form", "freetext", "textparts", "classify")


class Seeds:
    def __init__(self, out):
        self.out = out

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        d = self.out / target
        d.mkdir(parents=True, exist_ok=True)
        (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def bodies(raw):
    """(content type, text) of each text part of a message, nested ones too."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/html"):
            continue
        try:
            yield ctype, part.get_content()
        except (LookupError, ValueError):
            continue


def mail_seeds(seeds, src):
    emls = sorted((src / "tests/fixtures/corpus").glob("*.eml")) + sorted((src / "examples").glob("*.eml"))
    dates = set()
    for path in emls:
        raw = path.read_bytes()
        for t in MAIL_TARGETS:
            seeds.add(t, raw)
        for ctype, text in bodies(raw):
            if ctype == "text/html":
                seeds.add("html", text)
                continue
            for t in TEXT_TARGETS:
                seeds.add(t, text)
            dates.update(line.strip() for line in text.splitlines()
                         if any(c.isdigit() for c in line) and len(line) < 120)
    for line in sorted(dates):
        seeds.add("ukdate", line)
    for path in sorted((src / "tests/fixtures/replies").glob("*.eml")):
        seeds.add("reply", path.read_bytes())
    for path in emls:
        seeds.add("observables", suspect(path.read_bytes()))


def suspect(raw):
    """A message's fields as fuzz_observables reads them, apart at RS."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    def address(name):
        return email.utils.parseaddr(str(msg.get(name, "")))[1]
    received = [" ".join(str(v).split()) for v in msg.get_all("Received", [])]
    texts, html, files = [], "", []
    for ctype, text in bodies(raw):
        if ctype == "text/html":
            html = html or text
        else:
            texts.append(text)
    for part in msg.walk():
        name = part.get_filename()
        if name:
            data = part.get_payload(decode=True) or b""
            files.append(name + "\t" + hashlib.sha256(data).hexdigest())
    fields = [address("From"), address("Reply-To"), address("Return-Path"), "\n".join(received),
              "\n".join(texts), html, "\n".join(files), "example.gov.uk"]
    return "\x1e".join(fields)


CONFIG = """[gateway]
address = security@example.gov.uk
timezone = Europe/London
max_message_size = 10MB

[transport]
url = smtp://mail.example.gov.uk:587
tls = starttls
rate_limit_per_sender = 5/h

[suppliers]
example-supplier.co.uk = contracts@example.gov.uk

[assets]
HR Records = hr.iao@example.gov.uk

[deadlines]
report_within = 24h
form_reminder_after = 2h

[webhook.tracker]
url = https://tracker.example.gov.uk/hook
events = created, closed
"""


def config_seeds(seeds, src):
    for path in (src / "config/gateway.conf.example", src / "tests/fixtures/corpus.conf"):
        if path.exists():
            seeds.add("config", path.read_bytes())
    seeds.add("config", CONFIG)
    seeds.add("config", "; nothing but a comment\n")


RTF_DOCS = [
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}\pard Reporter name: Jane Doe\par"
    r" Impact: high\par Loss: \'a3100\par}",
    r"{\rtf1\ansi\uc1 Caf\u233?\tab x\cell y\row\line {\*\unknown hidden}{\pict 0102}\par}",
    r"{\rtf1\ansi\fromhtml1 {\*\htmltag19 <html>}{\*\htmltag50 <body>}"
    r"{\htmlrtf skipped\htmlrtf0}Description: phishing {\*\htmltag84 <br>}\par"
    r"{\*\htmltag58 </body>}}",
    r"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\u-3913?\u-8448?}",
    r"{\rtf1{\field{\*\fldinst HYPERLINK x}{\fldrslt link}}}",
]


def lzfu(literals):
    """Compressed RTF of literal bytes only, ended by a reference to the write
    position (MS-OXRTFCP): every token is a literal but the last."""
    tokens = bytearray()
    end = (207 + len(literals)) % 4096
    items = list(literals) + [None]
    for i in range(0, len(items), 8):
        group = items[i:i + 8]
        control = sum(1 << k for k, item in enumerate(group) if item is None)
        tokens.append(control)
        for item in group:
            tokens += struct.pack(">H", end << 4) if item is None else bytes([item])
    header = struct.pack("<III", len(tokens) + 12, len(literals), 0x75465A4C) + b"\0\0\0\0"
    return header + bytes(tokens)


def stored(rtf):
    return struct.pack("<III", len(rtf) + 12, len(rtf), 0x414C454D) + b"\0\0\0\0" + rtf


def rtf_seeds(seeds):
    for i, doc in enumerate(RTF_DOCS):
        raw = doc.encode("latin-1")
        seeds.add("rtf", bytes([1, i]) + raw)
        seeds.add("rtf", b"\0" + lzfu(raw))
        seeds.add("rtf", b"\2" + stored(raw))


def tnef_attr(level, attr_id, data):
    return (bytes([level]) + struct.pack("<II", attr_id, len(data)) + data
            + struct.pack("<H", sum(data) & 0xFFFF))


def mapi_prop(ptype, pid, data):
    pad = b"\0" * ((4 - len(data) % 4) % 4)
    return struct.pack("<III", ptype | pid << 16, 1, len(data)) + data + pad


def tnef(*attrs):
    head = struct.pack("<IH", 0x223E9F78, 1)
    preamble = (tnef_attr(1, 0x00089006, b"\0\0\1\0")
                + tnef_attr(1, 0x00069007, b"\xe4\x04\0\0\0\0\0\0")
                + tnef_attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0"))
    return head + preamble + b"".join(attrs)


def mapi_block(level, attr_id, *props):
    return tnef_attr(level, attr_id, struct.pack("<I", len(props)) + b"".join(props))


def tnef_seeds(seeds):
    body = b"Reporter name: Jane Doe\r\nImpact: high\r\nLoss: \xa3100\r\n\0"
    rend = tnef_attr(2, 0x00069002, b"\1\0\xff\xff\xff\xff" + b"\0" * 8)
    seeds.add("tnef", tnef(tnef_attr(1, 0x00018004, b"Phishing\0"), tnef_attr(1, 0x0002800C, body)))
    seeds.add("tnef", tnef(mapi_block(1, 0x00069003,
                                      mapi_prop(0x0102, 0x1013, b"<p>Impact: <b>high</b></p>"))))
    seeds.add("tnef", tnef(mapi_block(1, 0x00069003,
                                      mapi_prop(0x0102, 0x1009, lzfu(RTF_DOCS[0].encode("latin-1"))),
                                      struct.pack("<II", 0x0003 | 0x3FDE << 16, 1252))))
    name = "incident report.txt\0".encode("utf-16-le")
    seeds.add("tnef", tnef(tnef_attr(1, 0x0002800C, body), rend,
                           tnef_attr(2, 0x00018010, b"REPORT~1.TXT\0"),
                           tnef_attr(2, 0x0006800F, b"Date and time of detection: 22/11/2026 14:05\r\n"),
                           mapi_block(2, 0x00069005, mapi_prop(0x001F, 0x3707, name),
                                      mapi_prop(0x001E, 0x370E, b"text/plain\0"))))


TEXT_SEEDS = [
    "Thanks, done.\n\nOn Mon, 23 Nov 2026 at 10:00, Security wrote:\n> Please send the form.\n",
    "Impact: high\n\n-- \nJane Doe\nHR\n",
    "Yes, it was a near miss.\n\nKind regards,\nJane\n\n-----Original Message-----\n"
    "From: Security <security@example.gov.uk>\nSent: 23 November 2026 10:00\nTo: Jane\n"
    "Subject: INC-2026-0001\n\nPlease reply.\n",
]

# fuzz_linear: a path byte (fuzz_linear.c: 0 text mail, 1 HTML mail, 2 header,
# 3 multipart, 4 text parsers, 5 html_to_text, 6 rtf_to_text) and a unit.
LINEAR_SEEDS = [
    b"\0Description: a phishing mail arrived at 09:00 today\r\n",
    b"\0> quoted line\r\n",
    b"\0From: a@example.org\r\nSent: 22 November 2026 09:00\r\nSubject: x\r\n\r\n",
    b"\1<p>Impact: <b>high</b></p>",
    b"\1<table><tr><td>Impact</td><td>high</td></tr></table>",
    b"\2References: <a@example.org>\r\n",
    b"\2Subject: =?utf-8?q?Caf=C3=A9?=\r\n",
    b"\3--b\r\nContent-Type: text/plain\r\n\r\nImpact: high\r\n",
    b"\3--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@example.org\r\n\r\nx\r\n",
    b"\4Impact: high\nDescription: laptop lost on the train yesterday at 16:00\n",
    b"\4On Mon, 23 Nov 2026, Jane wrote:\n> x\n",
    b"\4lost laptop, not sure, no personal data ",
    b"\5<div><ul><li>item <a href=\"https://example.org\">link</a></li></ul></div>",
    b"\5<!-- c --><script>x</script><br>",
    b"\6{\\b bold}\\par \\'e9\\u233?",
    b"\6{\\*\\htmltag <td>}",
]


RS = "\x1e"
OBSERVABLES_SEEDS = [
    RS.join(["accounts@invoices.example", "Payments@Collect.Example", "bounce@mailer.example",
             "from mail.invoices.example (mail.invoices.example [203.0.113.7]) by mx.example.gov.uk"
             " (Postfix) with ESMTP id 4XYZ; Mon, 23 Nov 2026 09:58:00 +0000\n"
             "from [192.168.1.20] (helo=LAPTOP-1) by mail.invoices.example with esmtpsa id 1",
             "Pay at https://invoices.example/pay?id=42. See www.collect.example/help.\n"
             "(https://e.example/wiki/A_(b)) <http://[2001:db8::1]:8080/x>",
             "<p><a href=\" https://ev\n\til.example/a?b=1&amp;c=2\">https://bank.example/</a>"
             "<a href=\"mailto:a@x.example,b%40y@z.example?subject=x\">m</a>"
             "<map><area href=\"http://203.0.113.50/\"></map></p>",
             "Invoice 42.pdf.exe\t" + "ab" * 32 + "\nno-hash.zip",
             "example.gov.uk\nPartner.Example"]),
    RS.join(["", "", "", "from AM0PR01MB1234.eurprd01.prod.example.net (2603:10a6:208:12::34) by x"
             "\nfrom unknown (HELO q.example) (203.0.113.12) by y\n"
             "from a (b [IPv6:fd00::1]) (c [::ffff:203.0.113.9]) (d [10.0.0.1]) by z"]),
]


def main():
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    shutil.rmtree(out, ignore_errors=True)
    seeds = Seeds(out)
    mail_seeds(seeds, src)
    config_seeds(seeds, src)
    rtf_seeds(seeds)
    tnef_seeds(seeds)
    for text in TEXT_SEEDS:
        for t in TEXT_TARGETS:
            seeds.add(t, text)
    for text in OBSERVABLES_SEEDS:
        seeds.add("observables", text)
    for unit in LINEAR_SEEDS:
        seeds.add("linear", unit)
    if len(sys.argv) > 3:
        subprocess.run([sys.argv[3], str(out / "msg")], check=True)
    (out / ".stamp").touch()


if __name__ == "__main__":
    main()
