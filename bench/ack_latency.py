#!/usr/bin/python3
"""Acknowledgement latency: from IMAP APPEND to the ack at the SMTP receiver.

Run by bench/ack_latency.sh, which starts Dovecot, the SMTP receiver and the
gateway (IMAP IDLE). For each of N reports: APPEND it over IMAPS, then wait
for the acknowledgement addressed to its sender to land in the receiver's
folder. The baseline, measured in the same run against the same servers, is
the least any IDLE client could do: a watcher IDLEs on another folder and,
the moment the server announces the new message, submits one mail over an
open SMTP connection. Both include the server's own notification delay
(Dovecot waits 500 ms after a change before telling IDLE clients), so the
ratio shows what the gateway adds. Prints p50/p99 of both and the ratio.
"""
import imaplib
import os
import smtplib
import socket
import ssl
import sys
import threading
import time

stack = os.environ["STACK"]
ctx = ssl.create_default_context(cafile=f"{stack}/tls/ca.crt")
imap_pw = open(f"{stack}/imap.pass").read()
smtp_pw = open(f"{stack}/smtp.pass").read()
outdir = f"{stack}/smtp"
port = int(os.environ["IMAPS_PORT"])
n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
BENCH_FOLDER = "Bench"


def report(tag, i):
    return (f"From: Reporter {i} <{tag}{i}@justice.gov.uk>\r\n"
            f"To: security@justice.gov.uk\r\nSubject: latency {tag} {i}\r\n"
            f"Message-ID: <{tag}-{i}-{time.time_ns()}@bench>\r\n\r\n"
            f"Reporter name: Reporter {i}\r\nIncident category: phishing\r\n"
            f"Description: latency probe {i}\r\n").encode()


def watcher(count, ready):
    """The baseline client: IDLE, and answer each new message at once."""
    sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                           server_hostname="localhost")
    f = sock.makefile("rb")
    f.readline()

    def cmd(line):
        sock.sendall(line)
        while True:
            resp = f.readline()
            if resp.startswith(line.split(b" ", 1)[0] + b" "):
                return
    cmd(f'a LOGIN security "{imap_pw}"\r\n'.encode())
    cmd(f"b SELECT {BENCH_FOLDER}\r\n".encode())
    smtp = smtplib.SMTP("127.0.0.1", int(os.environ["SMTP_PORT"]))
    smtp.starttls(context=ctx)
    smtp.login("gateway", smtp_pw)
    ready.set()
    for i in range(count):
        sock.sendall(b"c IDLE\r\n")
        while not f.readline().endswith(b"EXISTS\r\n"):
            pass
        smtp.sendmail("security@justice.gov.uk", [f"base{i}@justice.gov.uk"],
                      b"Auto-Submitted: auto-replied\r\nSubject: ack\r\n\r\nack\r\n")
        sock.sendall(b"DONE\r\n")
        while not f.readline().startswith(b"c "):
            pass
    smtp.quit()
    sock.close()


def seen():
    return set(os.listdir(outdir))


def wait_for(addr, before, limit=30.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        for name in seen() - before:
            try:
                with open(os.path.join(outdir, name), "rb") as fh:
                    text = fh.read()
            except OSError:
                continue
            if f"X-Envelope-To: {addr}".encode() in text and b"auto-replied" in text:
                return True
        time.sleep(0.002)
    return False


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=ctx)
imap.login("security", imap_pw)
imap.create(BENCH_FOLDER)
ready = threading.Event()
threading.Thread(target=watcher, args=(n, ready), daemon=True).start()
ready.wait(30)
gateway, base = [], []
for i in range(n):
    before = seen()
    t0 = time.monotonic()
    imap.append(BENCH_FOLDER, None, None, report("base", i))
    if not wait_for(f"base{i}@justice.gov.uk", before):
        sys.exit(f"baseline message {i} never answered")
    base.append(time.monotonic() - t0)
    before = seen()
    t0 = time.monotonic()
    imap.append("INBOX", None, None, report("gw", i))
    if not wait_for(f"gw{i}@justice.gov.uk", before):
        sys.exit(f"no acknowledgement for report {i} within 30 s")
    gateway.append(time.monotonic() - t0)
imap.logout()


def ms(v):
    return v * 1000


print(f"ack latency: {n} reports, IMAP IDLE, SMTP with STARTTLS")
print(f"ack latency: baseline IDLE client, one mail  p50 {ms(pct(base, 50)):5.0f} ms  p99 {ms(pct(base, 99)):5.0f} ms")
print(f"ack latency: gateway arrival -> ack          p50 {ms(pct(gateway, 50)):5.0f} ms  p99 {ms(pct(gateway, 99)):5.0f} ms (target p99 < 500 ms)")
print(f"ack latency: gateway adds p50 {ms(pct(gateway, 50) - pct(base, 50)):.0f} ms; ratio p99 {pct(gateway, 99) / pct(base, 99):.2f} of the baseline")
