#!/usr/bin/env bash
# Finding 2 against a real SMTP receiver: a From with commas or folded
# CR LF inside a quoted local part never widens the envelope. Every RCPT
# the receiver saw is one of the addresses the gateway meant (OST, the
# honest reporter), each acknowledgement has exactly one, and the forged
# third parties get nothing.
source "$(dirname "$0")/gateway_lib.sh"
stack_smtp_start
mkdir -p "$WORK/var/mail/new" "$WORK/var/mail/cur" "$WORK/var/mail/tmp" "$WORK/in"
gateway_config "maildir:$WORK/var/mail"
# A maildir source needs no IMAP login.
sed -i -e "\\|^password_file = $STACK/imap.pass|d" -e '/^user = security$/d' "$WORK/gateway.conf"

mail() { # FILE FROM-HEADER N
  printf 'From: %s\r\nTo: security@justice.gov.uk\r\nSubject: Suspicious mail %s\r\nMessage-ID: <env-%s@sender.example>\r\n\r\nI received a suspicious mail.\r\n' \
    "$2" "$3" "$3" > "$1"
}
mail "$WORK/in/1.eml" '"a,victim@x.example,b"@attacker.example' 1
mail "$WORK/in/2.eml" $'"x\r\n RCPT TO:<victim2@x.example>"@attacker.example' 2
mail "$WORK/in/3.eml" 'Jane Smith <Jane.Smith@Justice.GOV.uk>' 3
"$IG" ingest "$WORK/in/1.eml" "$WORK/in/2.eml" "$WORK/in/3.eml" > /dev/null 2>&1 || fail "ingest"
"$IG" poll --once > /dev/null 2> "$WORK/poll.err" || fail "poll: $(cat "$WORK/poll.err")"
"$IG" outbox --pending --json | check_json "everything queued was sent" 'd == []'

expect_eq "four mails: three OST notifications and one ack" "$(smtp_count)" 4
rcpts=$(grep -h '^X-Envelope-To:' "$STACK"/smtp/*.eml | tr -d '\r' | sed 's/^X-Envelope-To: //' | sort | uniq -c | sed 's/^ *//')
expect_eq "envelope recipients are exactly OST (3) and the reporter (1)" "$rcpts" \
  "$(printf '1 jane.smith@justice.gov.uk\n3 ost@justice.gov.uk')"
ack=$(grep -l '^Auto-Submitted: auto-replied' "$STACK"/smtp/*.eml)
expect_eq "the ack has one envelope recipient" "$(grep -c '^X-Envelope-To:' "$ack")" 1
{ grep -h '^X-Envelope-' "$STACK"/smtp/*.eml; cat "$STACK/run/smtp.log"; } > "$WORK/dialogue.txt"
grep -qi 'victim' "$WORK/dialogue.txt" \
  && fail "a forged third party reached the SMTP dialogue" || ok "no forged recipient in the SMTP dialogue"
"$IG" list --json | check_json "all three recorded" 'len(d) == 3'
forged=$("$IG" list --json | python3 -c 'import json,sys; print(" ".join(i["reference"] for i in json.load(sys.stdin) if "attacker" in (i["reporter"]["email"] or "")))')
expect_eq "two reports from the forged senders" "$(echo $forged | wc -w)" 2
for ref in $forged; do
  "$IG" show "$ref" --json | check_json "$ref: no acknowledgement, and why" \
    'any(e["type"] == "ack_suppressed" and "not a usable address" in e["detail"] for e in d["events"])'
done
finish
