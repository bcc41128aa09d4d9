#!/usr/bin/env python3
"""The robot of the mail loop test: an autoresponder between two gateways.

Every mail a gateway wrote to its dir: outbox becomes a new mail to the
other gateway, the way careless autoresponders and ticket systems answer:
Auto-Submitted, X-Loop, Precedence and the threading headers are gone, the
subject is "Re: ...", the body is quoted below a line of its own. The mail
is delivered to the other gateway's maildir and the outbox file removed.
Prints how many mails it passed on and how many of them were acks.

  loop_robot.py OUTBOX_DIR MAILDIR TO_ADDRESS ROUND
"""
import email
import email.policy
import os
import sys
import uuid
from email.message import EmailMessage


def answer(original, to_address):
    text = original.get_body(("plain",))
    body = text.get_content() if text else ""
    reply = EmailMessage()
    reply["From"] = original["From"]
    reply["To"] = to_address
    reply["Subject"] = "Re: " + str(original["Subject"] or "")
    reply["Message-ID"] = "<%s@robot.example>" % uuid.uuid4()
    reply["Date"] = email.utils.formatdate()
    quoted = "\n".join("> " + line for line in body.splitlines())
    reply.set_content("Thank you for your message. We will look into it.\n\n" + quoted + "\n")
    return reply


def main():
    outbox, maildir, to_address, round_no = sys.argv[1:5]
    passed = acks = 0
    for name in sorted(os.listdir(outbox)):
        if not name.endswith(".eml"):
            continue
        path = os.path.join(outbox, name)
        with open(path, "rb") as f:
            original = email.message_from_binary_file(f, policy=email.policy.default)
        if (original["Auto-Submitted"] or "").startswith("auto-replied"):
            acks += 1
        reply = answer(original, to_address)
        target = "robot-%s-%d" % (round_no, passed)
        tmp = os.path.join(maildir, "tmp", target)
        with open(tmp, "wb") as f:
            f.write(reply.as_bytes())
        os.rename(tmp, os.path.join(maildir, "new", target))
        os.unlink(path)
        passed += 1
    print(passed, acks)


if __name__ == "__main__":
    main()
