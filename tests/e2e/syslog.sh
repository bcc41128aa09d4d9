#!/usr/bin/env bash
# `run --syslog` (gateway/log.h): every log line goes to syslog, facility
# mail, as "LEVEL REFERENCE <MESSAGE-ID> TEXT" under the tag
# incident-gateway[PID], with the severity of its level, and none to stderr.
#
# How syslog is caught without root and without touching the machine's
# syslog: glibc's syslog() writes datagrams to /dev/log. A small Python
# receiver binds a unix datagram socket in $WORK/dev/log, and the gateway
# runs in a private user and mount namespace (unshare -rm, no root needed)
# where $WORK/dev, holding that socket and bind mounts of /dev/null and the
# other devices it uses, is mounted over /dev. Skipped (exit 77) where user
# namespaces are disabled.
source "$(dirname "$0")/lib.sh"
if ! unshare -rm true 2> /dev/null; then
  echo "skipped: unshare -rm (user namespaces) not available here"
  exit 77
fi
write_config
mail=$WORK/var/mail
mkdir -p "$mail/new" "$mail/cur" "$mail/tmp" "$WORK/dev"

/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab") as out:
    while True:
        out.write(s.recv(65536).rstrip(b"\n") + b"\n")
        out.flush()
' "$WORK/dev/log" "$WORK/syslog.txt" &
receiver=$!
trap 'kill $receiver 2> /dev/null; test_cleanup' EXIT
for _ in $(seq 1 100); do [ -S "$WORK/dev/log" ] && break; sleep 0.1; done
[ -S "$WORK/dev/log" ] || { fail "the syslog receiver did not start"; finish; }

# In the namespace: $WORK/dev over /dev, then the gateway in the shell's place.
unshare -rm sh -c '
  set -e
  for n in null zero full random urandom; do
    touch "$1/dev/$n"
    mount --bind "/dev/$n" "$1/dev/$n"
  done
  ln -sfn /proc/self/fd "$1/dev/fd"
  mount --rbind "$1/dev" /dev
  shift
  exec "$@"' sh "$WORK" "$IG" run --syslog 2> "$WORK/run.err" &
pid=$!
tag="incident-gateway\[$pid\]:"
# seen PATTERN - wait up to 10 s for a syslog line matching PATTERN (ERE).
seen() {
  for _ in $(seq 1 100); do
    grep -Eq "$1" "$WORK/syslog.txt" 2> /dev/null && return 0
    sleep 0.1
  done
  return 1
}

# On PostgreSQL, where several runs share a store, once it has the lead.
start="watching maildir:$mail"
on_pg && start="leading: $start"
seen "^<22>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} $tag info - <-> $start\$" \
  && ok "syslog: the start, as mail.info under incident-gateway[pid]" \
  || fail "no start line in syslog: $(cat "$WORK/syslog.txt" 2> /dev/null)"
printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: Phone stolen\nMessage-ID: <syslog-1@justice.gov.uk>\n\nReporter name: Sam Lee\nIncident category: lost-or-stolen-equipment\nDescription: My work phone was stolen on the bus.\n' > "$mail/tmp/1"
mv "$mail/tmp/1" "$mail/new/1"
seen "^<22>.* $tag info INC-2026-000001 <syslog-1@justice.gov.uk> .*: new report\$" \
  && ok "syslog: a recorded report, with its reference and Message-ID" \
  || fail "no report line in syslog: $(cat "$WORK/syslog.txt")"
seen "^<22>.* $tag info INC-2026-000001 <INC-2026-000001\.ack\.[^>]*> sent to sam\.lee@justice\.gov\.uk\$" \
  && ok "syslog: the acknowledgement sent" || fail "no ack line in syslog: $(cat "$WORK/syslog.txt")"

# An error-level line: a reload onto a broken configuration.
cp "$WORK/gateway.conf" "$WORK/good.conf"
echo "bogus_key = 1" >> "$WORK/gateway.conf"
kill -HUP $pid
seen "^<19>.* $tag error - <-> reload refused, keeping the running configuration: " \
  && ok "syslog: an error as mail.err" || fail "no error line in syslog: $(cat "$WORK/syslog.txt")"
cp "$WORK/good.conf" "$WORK/gateway.conf"

kill -TERM $pid
rc=0; wait $pid || rc=$?
expect_eq "run --syslog stops with status 0" "$rc" 0
grep -Eq "^<22>.* $tag info - <-> signal 15: stopping\$" "$WORK/syslog.txt" \
  && ok "syslog: the stop" || fail "no stop line in syslog: $(cat "$WORK/syslog.txt")"
grep -Eq "$tag [0-9]{4}-" "$WORK/syslog.txt" && fail "a syslog line carries its own timestamp" \
  || ok "syslog: no timestamp of our own (syslog adds it)"
expect_eq "nothing on stderr" "$(cat "$WORK/run.err")" ""

finish
