#!/usr/bin/python3
"""Small loopback HTTP servers for the integration tests (stdlib only).

Run by tests/integration/stack.sh; not meant to be used alone.

  http_stub.py introspect --tokens-file F --port-file P [--port N]
      OAuth2 token introspection for Dovecot's oauth2 passdb. Dovecot POSTs
      "token=T&client_id=&client_secret="; the answer is
      {"active": true, "username": U} when F (re-read on every request, lines
      "TOKEN USER") maps T to U, else {"active": false}. Always HTTP 200.

  http_stub.py webhook --outdir D --port-file P [--port N]
      Saves every POST as D/NNNNNN.json (the body) and D/NNNNNN.headers (the
      request line and headers); the .headers file is written first and each
      file is renamed into place, so a .json that exists is complete. Answers
      200 {"ok": true}. While D/fail exists it answers with the status code
      written in it (503 if empty or not a number), saves nothing, and appends
      one line per refused request to D/rejected.log.

With --cert and --key the server speaks HTTPS with that certificate.

Both listen on 127.0.0.1:N (0 = any free port) and, once listening, write the
actual port to P atomically: the readiness signal. SIGTERM stops them (exit 0).
"""

import argparse
import json
import os
import re
import signal
import ssl
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def write_atomic(path, data):
    tmp = os.path.join(os.path.dirname(path), ".tmp-" + os.path.basename(path))
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


class Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "stack-http-stub"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))
        sys.stderr.flush()

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Introspect(Base):
    def do_POST(self):
        form = urllib.parse.parse_qs(self.body().decode("utf-8", "replace"))
        token = (form.get("token") or [""])[0]
        if not token:  # some clients send the token as a bearer header instead
            auth = self.headers.get("Authorization", "")
            token = auth[7:] if auth.startswith("Bearer ") else ""
        tokens = {}
        try:
            with open(self.server.args.tokens_file) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 2 and not parts[0].startswith("#"):
                        tokens[parts[0]] = parts[1]
        except FileNotFoundError:
            pass
        if token in tokens:
            self.reply(200, {"active": True, "username": tokens[token]})
        else:
            self.reply(200, {"active": False})

    do_GET = do_POST


class Webhook(Base):
    lock = threading.Lock()
    counter = None

    def do_POST(self):
        outdir = self.server.args.outdir
        body = self.body()
        fail = os.path.join(outdir, "fail")
        if os.path.exists(fail):
            try:
                with open(fail) as f:
                    status = int(f.read().strip() or 503)
            except ValueError:
                status = 503
            with self.lock, open(os.path.join(outdir, "rejected.log"), "a") as f:
                f.write("%d %s %s\n" % (status, self.command, self.path))
            self.reply(status, {"ok": False})
            return
        with self.lock:
            if Webhook.counter is None:
                names = [n for n in os.listdir(outdir) if re.fullmatch(r"\d{6}\.json", n)]
                Webhook.counter = max((int(n[:6]) for n in names), default=0)
            Webhook.counter += 1
            base = os.path.join(outdir, "%06d" % Webhook.counter)
            head = "%s %s %s\n%s" % (self.command, self.path, self.request_version,
                                     str(self.headers))
            write_atomic(base + ".headers", head.encode("utf-8", "replace"))
            write_atomic(base + ".json", body)
        self.reply(200, {"ok": True})

    do_PUT = do_POST


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["introspect", "webhook"])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--tokens-file")
    p.add_argument("--outdir")
    p.add_argument("--cert")
    p.add_argument("--key")
    args = p.parse_args()
    handler = Introspect if args.mode == "introspect" else Webhook
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    server.args = args
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    # SIGTERM: shut down from another thread (shutdown() blocks until the
    # serve_forever loop has stopped, so it cannot run in the loop's thread).
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    write_atomic(args.port_file, str(server.server_address[1]).encode())
    sys.stderr.write("%s listening on 127.0.0.1:%d pid %d\n"
                     % (args.mode, server.server_address[1], os.getpid()))
    sys.stderr.flush()
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
