#!/usr/bin/env python3
"""make_corpus.py OUT_DIR N - the mixed corpus of the durable-ingest
benchmarks: N distinct reports as .eml files, drawn in turn from the
labelled corpus and the examples (forms, free text, forwards, HTML, other
charsets), each with its own Message-ID and sender so every one opens an
incident and none meets the acknowledgement rate limit. One in seven
carries a 200 KB PDF attachment (base64), as real reports carry
screenshots and documents. Automatic mail (out-of-office, alerts marked
Auto-Submitted) is left out: it opens no incident and sends nothing.
Deterministic: the same N gives the same bytes."""
import os
import random
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PDF_BYTES = 200 * 1024


def seeds():
    dirs = [os.path.join(HERE, "tests", "fixtures", "corpus"), os.path.join(HERE, "examples")]
    out = []
    for d in dirs:
        for name in sorted(os.listdir(d)):
            if not name.endswith(".eml"):
                continue
            raw = open(os.path.join(d, name), "rb").read().replace(b"\r\n", b"\n")
            head, sep, body = raw.partition(b"\n\n")
            if not sep or b"auto-submitted:" in head.lower() or b"\nfrom:" not in b"\n" + head.lower():
                continue
            lines = [l for l in head.split(b"\n")
                     if not l.lower().startswith((b"message-id:", b"from:"))]
            out.append((lines, body))
    return out


def pdf(rng):
    """A small valid PDF padded with a stream to PDF_BYTES, base64 in 76-column lines."""
    import base64
    pad = bytes(rng.getrandbits(8) for _ in range(PDF_BYTES - 400))
    doc = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
           b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n" +
           b"3 0 obj<</Length %d>>stream\n" % len(pad)) + pad + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    b64 = base64.b64encode(doc)
    return b"\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))


def with_attachment(lines, body, attachment, n):
    """The message wrapped in multipart/mixed: its own content headers
    move into the first part, the PDF is the second."""
    content = [l for l in lines if l.lower().startswith((b"content-type:", b"content-transfer-encoding:"))]
    # Folded continuation lines belong to the header above them.
    kept, moved, last_moved = [], list(content), False
    for l in lines:
        if l[:1] in (b" ", b"\t"):
            (moved if last_moved else kept).append(l)
            continue
        last_moved = l in content
        if not last_moved and not l.lower().startswith(b"mime-version:"):
            kept.append(l)
    boundary = b"=_bench_%d" % n
    head = kept + [b"MIME-Version: 1.0",
                   b'Content-Type: multipart/mixed; boundary="' + boundary + b'"']
    part_head = moved or [b"Content-Type: text/plain; charset=utf-8"]
    return head, (b"--" + boundary + b"\n" + b"\n".join(part_head) + b"\n\n" + body +
                  b"\n--" + boundary + b"\nContent-Type: application/pdf; name=\"evidence.pdf\"\n"
                  b"Content-Disposition: attachment; filename=\"evidence.pdf\"\n"
                  b"Content-Transfer-Encoding: base64\n\n" + attachment +
                  b"\n--" + boundary + b"--\n")


def main():
    out_dir, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(7)
    attachment = pdf(rng)
    pool = seeds()
    for i in range(n):
        lines, body = pool[i % len(pool)]
        if i % 7 == 6:
            lines, body = with_attachment(lines, body, attachment, i)
        head = [b"Message-ID: <bench-%d@bench.invalid>" % i,
                b"From: Reporter %d <r%d@justice.gov.uk>" % (i, i)] + lines
        with open(os.path.join(out_dir, "%06d.eml" % i), "wb") as f:
            f.write(b"\n".join(head) + b"\n\n" + body)


if __name__ == "__main__":
    main()
