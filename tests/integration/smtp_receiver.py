#!/usr/bin/python3
"""A real SMTP receiver for the integration tests (aiosmtpd, Debian's python3).

Run by tests/integration/stack.sh (stack_smtp_start); not meant to be used alone.

- Listens on 127.0.0.1:PORT (PORT 0 = let the kernel choose). Once listening it
  writes the actual port to --port-file (atomically), which is the readiness
  signal the shell waits for.
- Offers STARTTLS with --cert/--key and REQUIRES it before anything but
  EHLO/NOOP/QUIT (require_starttls). AUTH is only offered after STARTTLS and is
  required before MAIL (auth_required).
- AUTH PLAIN and LOGIN: --user with the password read from --password-file.
- AUTH XOAUTH2: "user=U\\x01auth=Bearer T\\x01\\x01" is accepted when the file
  --tokens-file (re-read on every attempt, lines "TOKEN USER") maps T to U.
  A refused token gets the XOAUTH2 error challenge, then 535, as Gmail/M365 do.
- Every accepted message is written to --outdir/NNNNNN.eml, atomically
  (".tmp-" file, then rename), as the original bytes prefixed with one
  "X-Envelope-From:" line and one "X-Envelope-To:" line per recipient.
- SIGTERM/SIGINT stop it cleanly (exit 0).
"""

import argparse
import asyncio
import base64
import hmac
import json
import logging
import os
import re
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def write_atomic(path, data):
    tmp = os.path.join(os.path.dirname(path), ".tmp-" + os.path.basename(path))
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


def load_tokens(path):
    """{token: user} from lines "TOKEN USER" (missing file = no tokens)."""
    tokens = {}
    try:
        for line in read_file(path).decode().splitlines():
            parts = line.split()
            if len(parts) >= 2 and not parts[0].startswith("#"):
                tokens[parts[0]] = parts[1]
    except FileNotFoundError:
        pass
    return tokens


class Handler:
    def __init__(self, args):
        self.args = args
        names = [n for n in os.listdir(args.outdir) if re.fullmatch(r"\d{6}\.eml", n)]
        self.next_number = max((int(n[:6]) for n in names), default=0) + 1

    # Checks PLAIN and LOGIN credentials (passed as `authenticator`).
    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        password = read_file(self.args.password_file)
        ok = (hmac.compare_digest(auth_data.login, self.args.user.encode())
              and hmac.compare_digest(auth_data.password, password))
        logging.info("AUTH %s user=%r %s", mechanism, auth_data.login,
                     "accepted" if ok else "refused")
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    # aiosmtpd offers a SASL mechanism for every handler method auth_<MECH>.
    async def auth_XOAUTH2(self, server, args):
        if len(args) == 2:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except Exception:
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        else:
            blob = await server.challenge_auth("")
            if not isinstance(blob, bytes):  # aborted or bad base64: already answered
                return AuthResult(success=False, handled=True)
        fields = dict(
            part.split("=", 1) for part in blob.decode("utf-8", "replace").split("\x01")
            if "=" in part)
        user = fields.get("user", "")
        auth = fields.get("auth", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        tokens = load_tokens(self.args.tokens_file)
        if token is not None and token in tokens and tokens[token] == user:
            logging.info("AUTH XOAUTH2 user=%r accepted", user)
            return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))
        logging.info("AUTH XOAUTH2 user=%r refused", user)
        # XOAUTH2 failure: a 334 challenge with a JSON error, the client answers
        # with an empty line, then the final 535.
        error = json.dumps({"status": "401", "schemes": "bearer"})
        await server.challenge_auth(error)
        await server.push("535 5.7.8 Username and Password not accepted")
        return AuthResult(success=False, handled=True)

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or b""
        eol = b"\r\n" if b"\r\n" in content else b"\n"
        head = b"X-Envelope-From: " + envelope.mail_from.encode() + eol
        for rcpt in envelope.rcpt_tos:
            head += b"X-Envelope-To: " + rcpt.encode() + eol
        path = os.path.join(self.args.outdir, "%06d.eml" % self.next_number)
        self.next_number += 1
        write_atomic(path, head + content)
        logging.info("DATA from=%s to=%s saved %s", envelope.mail_from,
                     ",".join(envelope.rcpt_tos), path)
        return "250 2.0.0 OK queued as " + os.path.basename(path)


async def main(args):
    loop = asyncio.get_running_loop()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    handler = Handler(args)

    def factory():
        return SMTP(handler, loop=loop, hostname="localhost",
                    tls_context=tls, require_starttls=True,
                    auth_required=True, auth_require_tls=True,
                    authenticator=handler.authenticate)

    def implicit_tls_factory():
        # smtps://: TLS from the first byte (the listening socket wraps
        # it), so no STARTTLS to require; aiosmtpd does not notice that TLS
        # on its own, hence auth_require_tls off here only.
        return SMTP(handler, loop=loop, hostname="localhost",
                    auth_required=True, auth_require_tls=False,
                    authenticator=handler.authenticate)

    server = await loop.create_server(factory, "127.0.0.1", args.port,
                                      reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    smtps = await loop.create_server(implicit_tls_factory, "127.0.0.1", args.smtps_port,
                                     reuse_address=True, ssl=tls)
    smtps_port = smtps.sockets[0].getsockname()[1]
    write_atomic(args.smtps_port_file, str(smtps_port).encode())
    write_atomic(args.port_file, str(port).encode())
    logging.info("listening on 127.0.0.1:%d (STARTTLS) and %d (TLS) pid %d", port,
                 smtps_port, os.getpid())

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    smtps.close()
    logging.info("stopped")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--smtps-port", type=int, default=0)
    p.add_argument("--smtps-port-file", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--outdir", required=True)
    p.add_argument("--user", default="gateway")
    p.add_argument("--password-file", required=True)
    p.add_argument("--tokens-file", required=True)
    a = p.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(main(a))
