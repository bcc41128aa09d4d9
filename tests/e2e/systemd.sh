#!/usr/bin/env bash
# Under systemd (Type=notify): `run` says READY=1 once it watches its
# source, RELOADING=1 then READY=1 around a reload, STOPPING=1 on SIGTERM,
# through libsystemd's sd_notify() to the socket NOTIFY_SOCKET names (a
# Python receiver stands in for systemd). Without libsystemd, one warning
# and the service runs on. Without NOTIFY_SOCKET nothing loads
# libsystemd. The unit file passes `systemd-analyze verify`.
source "$(dirname "$0")/lib.sh"
write_config
mkdir -p "$WORK/var/mail/new" "$WORK/var/mail/cur" "$WORK/var/mail/tmp"
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab") as out:
    while True:
        out.write(s.recv(4096) + b"\n")
        out.flush()
' "$WORK/notify.sock" "$WORK/notify.txt" &
receiver=$!
for _ in $(seq 1 50); do [ -S "$WORK/notify.sock" ] && break; sleep 0.1; done
: > "$WORK/notify.txt"
NOTIFY_SOCKET=$WORK/notify.sock "$IG" run 2> "$WORK/run.log" &
pid=$!
# wait_for LINE... - until notify.txt ends with the LINEs. Not the last
# line alone: the READY=1 of a reload must not be the start's, still last
# while the signal waits for the first cycle to end (longer on PostgreSQL).
wait_for() {
  local want
  want=$(printf '%s\n' "$@")
  for _ in $(seq 1 100); do [ "$(tail -n $# "$WORK/notify.txt")" = "$want" ] && return 0; sleep 0.1; done
  return 1
}
wait_for READY=1 && ok "READY=1 once watching" || fail "no READY=1: $(cat "$WORK/notify.txt") $(cat "$WORK/run.log")"
kill -HUP "$pid"
wait_for READY=1 RELOADING=1 READY=1 \
  && ok "RELOADING=1 then READY=1 around a reload" || fail "reload: $(cat "$WORK/notify.txt")"
kill -TERM "$pid"
wait "$pid" && ok "run exits 0" || fail "run exit $?"
expect_eq "STOPPING=1 on SIGTERM" "$(tail -1 "$WORK/notify.txt")" "STOPPING=1"
kill "$receiver" 2> /dev/null || true

# Where libsystemd cannot be loaded (here a broken one found first), run
# says why once, at the first state it cannot tell, and runs on: a reload
# and a stop as usual.
mkdir "$WORK/nolib"
printf 'not a library\n' > "$WORK/nolib/libsystemd.so.0"
NOTIFY_SOCKET=$WORK/notify.sock LD_LIBRARY_PATH=$WORK/nolib "$IG" run 2> "$WORK/nolib.log" &
pid=$!
log_has() { # TEXT - until nolib.log holds TEXT
  for _ in $(seq 1 100); do grep -qF "$1" "$WORK/nolib.log" && return 0; sleep 0.1; done
  return 1
}
log_has "libsystemd cannot be loaded" && kill -HUP "$pid" && log_has "configuration reloaded" \
  && ok "without libsystemd: run goes on through a reload" || fail "without libsystemd: $(cat "$WORK/nolib.log")"
kill -TERM "$pid"
wait "$pid" && ok "without libsystemd: run exits 0" || fail "without libsystemd: run exit $?"
expect_eq "without libsystemd: one warning, naming the library and why" \
  "$(grep -c "warn .*systemd asked to be told of the service's state, but libsystemd cannot be loaded: $WORK/nolib/libsystemd.so.0: file too short$" "$WORK/nolib.log")" 1

NOTIFY_SOCKET= LD_DEBUG=files "$IG" list 2>&1 >/dev/null | grep -q 'libsystemd' \
  && fail "a command outside systemd loaded libsystemd" || ok "outside systemd: libsystemd not loaded"

if command -v systemd-analyze > /dev/null; then
  sed -e "s|@BINDIR@|$(dirname "$(readlink -f "$IG")")|g" -e "s|@SYSCONFDIR@|$WORK|g" \
    "$SRC/dist/incident-gateway.service.in" > "$WORK/incident-gateway.service"
  systemd-analyze verify --man=no "$WORK/incident-gateway.service" > "$WORK/verify.txt" 2>&1 \
    && [ ! -s "$WORK/verify.txt" ] && ok "the unit passes systemd-analyze verify, not a warning" \
    || fail "systemd-analyze: $(cat "$WORK/verify.txt")"
else
  echo "skipped: systemd-analyze (package systemd) not installed"
fi
finish
