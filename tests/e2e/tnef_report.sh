#!/usr/bin/env bash
# Outlook's winmail.dat (application/ms-tnef) through the whole pipeline
# (SPEC 4: "winmail.dat (TNEF) attachments are unpacked"): a report whose
# form is in the TNEF's compressed RTF body, one whose form is a text file
# inside the TNEF of a mail that is nothing but winmail.dat, and a phish
# whose attachments Outlook hid in winmail.dat. Each is read into the
# incident (show --json), OST's notification carries what was read, and
# the phish's hidden attachments are named, with their SHA-256, as
# observables. The TNEF streams are built here from the documented format
# (MS-OXTNEF, MS-OXRTFCP; see tests/unit/test_tnef.c).
source "$(dirname "$0")/lib.sh"
write_config
mkdir -p "$WORK/in"

# tnef.py OUT KIND - writes a winmail.dat. Attributes: level byte, 32-bit
# id, 32-bit length, data, 16-bit sum of the data bytes; all little-endian.
cat > "$WORK/tnef.py" <<'EOF'
import struct, sys

def attr(level, ident, data):
    return struct.pack("<BII", level, ident, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)

def prop(ptype, pid, data):   # a single string or binary MAPI value, padded to 4
    pad = b"\0" * ((4 - len(data) % 4) % 4)
    return struct.pack("<III", ptype | pid << 16, 1, len(data)) + data + pad

def props(*p):
    return struct.pack("<I", len(p)) + b"".join(p)

def lzfu(raw):
    # Compressed RTF with literal tokens only (8 per control byte), ended
    # by a reference to the write position (207 preset bytes + raw).
    out = bytearray()
    for i in range(0, len(raw) + 1, 8):
        chunk = raw[i:i + 8]
        if len(chunk) == 8:
            out += b"\0" + chunk
        else:
            out += bytes([1 << len(chunk)]) + chunk + struct.pack(">H", ((207 + len(raw)) % 4096) << 4)
    return struct.pack("<IIII", len(out) + 12, len(raw), 0x75465A4C, 0) + bytes(out)

def attachment(title, data, long_name=None, mime=None):
    b = attr(2, 0x00069002, bytes([1, 0, 0xFF, 0xFF, 0xFF, 0xFF]) + bytes(8))  # attAttachRenddata
    b += attr(2, 0x00018010, title + b"\0")                                    # attAttachTitle
    b += attr(2, 0x0006800F, data)                                             # attAttachData
    mapi = []
    if long_name:
        mapi.append(prop(0x001F, 0x3707, long_name.encode("utf-16-le") + b"\0\0"))
    if mime:
        mapi.append(prop(0x001E, 0x370E, mime + b"\0"))
    if mapi:
        b += attr(2, 0x00069005, props(*mapi))                                 # attAttachment
    return b

out, kind = sys.argv[1], sys.argv[2]
b = struct.pack("<IH", 0x223E9F78, 1)
b += attr(1, 0x00089006, b"\0\0\1\0")                                          # attTnefVersion
b += attr(1, 0x00069007, b"\xe4\x04\0\0\0\0\0\0")                              # attOemCodepage 1252
b += attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")                         # attMessageClass
if kind == "rtf-form":
    rtf = (b"{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\\pard\\f0 "
           b"Reporter name: Priya Patel\\par Date and time of detection: 23/11/2026 08:40\\par "
           b"Incident category: malware\\par Impact: medium\\par Personal data involved: no\\par "
           b"Systems affected: Finance share\\par "
           b"Description: Ransom note on the finance share, files renamed .locked \\'96 caf\\'e9 PC\\par }")
    b += attr(1, 0x00069003, props(prop(0x0102, 0x1009, lzfu(rtf))))        # PR_RTF_COMPRESSED
    b += attachment(b"RANSOM~1.TXT", b"Your files are encrypted. Pay 2 BTC.\r\n", "ransom note.txt")
    b += attachment(b"screen.png", b"\x89PNG\r\n\x1a\n-screen-")
elif kind == "form-attachment":
    b += attr(1, 0x0002800C, b"Please see the attached form.\0")                 # attBody
    form = (b"Reporter name: Tom Baker\r\nDate and time of detection: 23/11/2026 10:15\r\n"
            b"Incident category: lost-or-stolen-equipment\r\nImpact: high\r\n"
            b"Personal data involved: yes\r\nDescription: Laptop left on the 10:05 train to Leeds.\r\n")
    b += attachment(b"INCIDE~1.TXT", form, "Incident report form.txt", b"text/plain")
elif kind == "phish":
    b += attr(1, 0x0002800C, b"Please pay the attached invoice today.\0")
    b += attachment(b"INVOIC~1.EXE", b"MZ\x90\0-not-really-an-invoice-", "invoice.pdf.exe")
    b += attachment(b"logo.gif", b"GIF89a-logo-", None, b"image/gif")
open(out, "wb").write(b)
EOF
for k in rtf-form form-attachment phish; do python3 "$WORK/tnef.py" "$WORK/$k.dat" "$k"; done

{
  printf 'From: Priya Patel <priya.patel@justice.gov.uk>\nTo: security@justice.gov.uk\n'
  printf 'Subject: Ransomware on finance share\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n'
  printf 'Message-ID: <tnef-rtf@justice.gov.uk>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n\n'
  printf -- '--b\nContent-Type: application/ms-tnef; name="winmail.dat"\n'
  printf 'Content-Disposition: attachment; filename="winmail.dat"\nContent-Transfer-Encoding: base64\n\n'
  base64 "$WORK/rtf-form.dat"
  printf -- '--b--\n'
} > "$WORK/in/rtf.eml"
# Exchange's way: the whole message is the TNEF, with no MIME text at all.
{
  printf 'From: Tom Baker <tom.baker@justice.gov.uk>\nTo: security@justice.gov.uk\n'
  printf 'Subject: Lost laptop\nDate: Mon, 23 Nov 2026 10:30:00 +0000\n'
  printf 'Message-ID: <tnef-only@justice.gov.uk>\nMIME-Version: 1.0\n'
  printf 'Content-Type: application/ms-tnef; name="winmail.dat"\nContent-Transfer-Encoding: base64\n\n'
  base64 "$WORK/form-attachment.dat"
} > "$WORK/in/only.eml"
{
  printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nTo: security@justice.gov.uk\n'
  printf 'Subject: Suspicious invoice\nDate: Mon, 23 Nov 2026 11:00:00 +0000\n'
  printf 'Message-ID: <tnef-phish-report@justice.gov.uk>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/mixed; boundary="m"\n\n--m\nContent-Type: text/plain\n\n'
  printf 'This came in with an invoice I was not expecting. I have not opened it.\n'
  printf -- '--m\nContent-Type: message/rfc822\n\n'
  printf 'From: Accounts <accounts@invoice-pay.example>\nTo: sam.lee@justice.gov.uk\n'
  printf 'Subject: Invoice overdue\nDate: Mon, 23 Nov 2026 10:40:00 +0000\n'
  printf 'Message-ID: <phish-tnef@invoice-pay.example>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/mixed; boundary="i"\n\n--i\nContent-Type: text/plain\n\nSee attached.\n'
  printf -- '--i\nContent-Type: application/ms-tnef; name="winmail.dat"\n'
  printf 'Content-Disposition: attachment; filename="winmail.dat"\nContent-Transfer-Encoding: base64\n\n'
  base64 "$WORK/phish.dat"
  printf -- '--i--\n--m--\n'
} > "$WORK/in/phish.eml"

"$IG" ingest --now 2026-11-23T09:05:00Z "$WORK/in/rtf.eml" > "$WORK/ingest.out" || fail "ingest rtf.eml"
"$IG" ingest --now 2026-11-23T10:35:00Z "$WORK/in/only.eml" >> "$WORK/ingest.out" || fail "ingest only.eml"
"$IG" ingest --now 2026-11-23T11:05:00Z "$WORK/in/phish.eml" >> "$WORK/ingest.out" || fail "ingest phish.eml"
expect_eq "three reports, three incidents" "$(grep -c ': new INC-2026-00000[123] report$' "$WORK/ingest.out")" 3

# 1. The form in the compressed RTF body.
"$IG" show INC-2026-000001 --json | check_json "RTF body in winmail.dat: the form is read" \
  'd["source"] == "form" and d["reporter"]["name"] == "Priya Patel"
   and d["category"] == "malware" and d["impact"] == "medium" and d["personal_data"] == "no"
   and d["detected_at"] == "2026-11-23T08:40:00Z" and d["systems_affected"] == "Finance share"
   and d["description"] == "Ransom note on the finance share, files renamed .locked \u2013 caf\u00e9 PC"
   and d["missing_fields"] == []'
ost=$(grep -l '^To: ost@justice.gov.uk' "$WORK"/var/outbox/*-INC-2026-000001.eml)
grep -q '^Category: *Malware' "$ost" && grep -q '^Systems affected: *Finance share' "$ost" \
  && grep -q '^Ransom note on the finance share' "$ost" \
  && ok "RTF body in winmail.dat: OST notification carries the report" || fail "OST notification: $(cat "$ost")"
grep -l '^To: priya.patel@justice.gov.uk' "$WORK"/var/outbox/*-INC-2026-000001.eml > /dev/null \
  && ok "RTF body in winmail.dat: reporter acknowledged" || fail "no ack to the reporter"

# 2. The form in a text file inside a message that is only winmail.dat.
"$IG" show INC-2026-000002 --json | check_json "form in a text attachment inside winmail.dat" \
  'd["source"] == "form" and d["reporter"]["name"] == "Tom Baker"
   and d["category"] == "lost-or-stolen-equipment" and d["impact"] == "high"
   and d["personal_data"] == "yes" and d["detected_at"] == "2026-11-23T10:15:00Z"
   and d["description"] == "Laptop left on the 10:05 train to Leeds." and d["missing_fields"] == []'
for to in ost@justice.gov.uk siro@justice.gov.uk data.compliance@justice.gov.uk; do
  grep -l "^To: $to" "$WORK"/var/outbox/*-INC-2026-000002.eml > /dev/null \
    && ok "TNEF-only report: $to told" || fail "TNEF-only report: nothing for $to"
done

# 3. A phish whose attachments Outlook wrapped in winmail.dat: each is named
# with the SHA-256 of its bytes, beside winmail.dat itself.
exe_sha=$(printf 'MZ\x90\x00-not-really-an-invoice-' | sha256sum | cut -d' ' -f1)
gif_sha=$(printf 'GIF89a-logo-' | sha256sum | cut -d' ' -f1)
dat_sha=$(sha256sum < "$WORK/phish.dat" | cut -d' ' -f1)
"$IG" show INC-2026-000003 --json | check_json "phish in winmail.dat: evidence kept" \
  'd["reporter"]["email"] == "sam.lee@justice.gov.uk"
   and d["evidence"][0]["from"] == "accounts@invoice-pay.example"'
"$IG" observables INC-2026-000003 --format json | check_json "phish in winmail.dat: its attachments named with SHA-256" \
  'sorted((o["value"], o["sha256"]) for o in d if o["type"] == "file") == sorted([
     ("invoice.pdf.exe", "'"$exe_sha"'"), ("logo.gif", "'"$gif_sha"'"), ("winmail.dat", "'"$dat_sha"'")])'
ost=$(grep -l '^To: ost@justice.gov.uk' "$WORK"/var/outbox/*-INC-2026-000003.eml)
grep -q 'invoice\[\.\]pdf\[\.\]exe' "$ost" && ok "phish in winmail.dat: OST told the hidden file's name, defanged" \
  || fail "OST notification: $(cat "$ost")"

finish
