#!/usr/bin/python3
"""idle_latency.py - what the gateway adds to the IMAP server's IDLE notice.

Usage: idle_latency.py PORT CA_FILE PASSWORD_FILE DATABASE REPORT.eml...

Run by gateway_mail.sh while `incident-gateway run` IDLEs on INBOX of the
test Dovecot (IMAPS on PORT, user security). For each report: APPEND it to
a mailbox of its own, Baseline, and then to INBOX, over a connection logged
in beforehand, and from the moment the commands are sent time two things
side by side:
  - the baseline: the `* N EXISTS` that a bare IDLE client of our own,
    idling on Baseline, is sent by the server (not on INBOX: a gateway that
    moves the report before the server tells that client of it leaves
    nothing to tell, and the server says nothing at all);
  - the gateway: the report's message row, with its incident, committed
    in DATABASE, a SQLite file or a libpq URI (polls every 2 ms, read-only
    on SQLite, through one psql session on PostgreSQL).
Both include the server's own delay before it tells IDLE clients of new
mail, so the difference is what the gateway adds: leaving IDLE, fetching,
parsing and the synced commit. A plain socket client (no imaplib) so that
nothing but the protocol stands between the server and the baseline.
Prints one line per report, then `median BASELINE_MS GATEWAY_MS`. Exit 1
if a report is not announced or not recorded within 10 s.
"""
import email.parser
import os
import select
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import time

LIMIT = 10.0


class Conn:
    """One IMAPS connection read line by line, with a non-blocking poll."""

    def __init__(self, port, ctx):
        raw = socket.create_connection(("127.0.0.1", port), timeout=LIMIT)
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        self.buf = b""
        self.line(LIMIT)  # greeting

    def send(self, data):
        self.sock.sendall(data)

    def line(self, timeout):
        """The next line, or None if none is complete within timeout s."""
        end = time.monotonic() + timeout
        while b"\r\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                return None
            if not self.sock.pending():
                ready, _, _ = select.select([self.sock], [], [], left)
                if not ready:
                    return None
            data = self.sock.recv(65536)
            if not data:
                sys.exit("idle_latency: the server closed the connection")
            self.buf += data
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def command(self, tag, text):
        """Sends TAG TEXT and reads to its tagged answer, which must be OK."""
        self.send(b"%s %s\r\n" % (tag, text))
        while True:
            line = self.line(LIMIT)
            if line is None:
                sys.exit("idle_latency: no answer to %r" % text)
            if line.startswith(tag + b" "):
                if not line.startswith(tag + b" OK"):
                    sys.exit("idle_latency: %r: %r" % (text, line))
                return

    def wait_for(self, test, what):
        while True:
            line = self.line(LIMIT)
            if line is None:
                sys.exit("idle_latency: no %s within %.0f s" % (what, LIMIT))
            if test(line):
                return line


def login(port, ctx, password):
    c = Conn(port, ctx)
    c.command(b"a", b'LOGIN security "%s"' % password)
    return c


RECORDED = "SELECT count(*) FROM messages WHERE message_id = %s AND incident_id IS NOT NULL"


class SqliteStore:
    def __init__(self, path):
        self.db = sqlite3.connect("file:%s?mode=ro" % os.path.abspath(path), uri=True,
                                  isolation_level=None)

    def recorded(self, message_id):
        return self.db.execute(RECORDED % "?", (message_id,)).fetchone()[0] > 0


class PgStore:
    """A psql session kept open: one query and its one-line answer at a time
    (Debian's python3 has no PostgreSQL driver)."""

    def __init__(self, uri):
        self.psql = subprocess.Popen(["psql", "-qXAt", "-v", "ON_ERROR_STOP=1", uri],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def recorded(self, message_id):
        self.psql.stdin.write(RECORDED % ("'%s'" % message_id.replace("'", "''")) + ";\n")
        self.psql.stdin.flush()
        answer = self.psql.stdout.readline()
        if not answer:
            sys.exit("idle_latency: psql ended")
        return int(answer) > 0


def trial(idler, appender, store, path, n):
    raw = open(path, "rb").read()
    message_id = email.parser.BytesHeaderParser().parsebytes(raw)["Message-ID"].strip().strip("<>")
    idler.send(b"i IDLE\r\n")
    idler.wait_for(lambda l: l.startswith(b"+"), "IDLE continuation")
    t0 = time.monotonic()
    # LITERAL+ (RFC 7888, Dovecot has it): both commands in one send, the
    # baseline's first so that any head start is the baseline's.
    appender.send(b"b%d APPEND Baseline {%d+}\r\n" % (n, len(raw)) + raw + b"\r\n" +
                  b"p%d APPEND INBOX {%d+}\r\n" % (n, len(raw)) + raw + b"\r\n")
    notice = gateway = None
    while notice is None or gateway is None:
        now = time.monotonic()
        if now - t0 > LIMIT:
            sys.exit("idle_latency: %s: %s within %.0f s" % (
                path, "no EXISTS" if notice is None else "not recorded", LIMIT))
        if notice is None:
            line = idler.line(0.002)
            if line is not None and line.endswith(b" EXISTS"):
                notice = time.monotonic() - t0
        else:
            time.sleep(0.002)
        if gateway is None and store.recorded(message_id):
            gateway = time.monotonic() - t0
    appender.wait_for(lambda l: l.startswith(b"p%d " % n), "APPEND answer")
    idler.send(b"DONE\r\n")
    idler.wait_for(lambda l: l.startswith(b"i "), "end of IDLE")
    return notice * 1000, gateway * 1000


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__.split("\n\n")[1])
    port, ca, pwfile, database = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    ctx = ssl.create_default_context(cafile=ca)
    password = open(pwfile, "rb").read().strip()
    appender = login(port, ctx, password)
    appender.command(b"c", b"CREATE Baseline")
    idler = login(port, ctx, password)
    idler.command(b"s", b"SELECT Baseline")
    if database.startswith(("postgresql://", "postgres://")):
        store = PgStore(database)
    else:
        store = SqliteStore(database)
    base, gw = [], []
    for n, path in enumerate(sys.argv[5:], 1):
        b, g = trial(idler, appender, store, path, n)
        print("report %d: IDLE notice %.0f ms, gateway recorded %.0f ms" % (n, b, g))
        base.append(b)
        gw.append(g)
        # The gateway moves the report, sends its mail and IDLEs again.
        time.sleep(1.0)
    print("median %.0f %.0f" % (statistics.median(base), statistics.median(gw)))


if __name__ == "__main__":
    main()
