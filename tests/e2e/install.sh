#!/usr/bin/env bash
# make install's rules (cmake --install with a prefix and DESTDIR): the
# installed gateway, run from another working directory, finds its
# templates and its network module under its own prefix, records a report
# and sends the acknowledgement; the manual page, the example
# configuration and the systemd unit (naming the installed paths) are in
# place. The build directory is the one holding IG.
source "$(dirname "$0")/lib.sh"
build=$(dirname "$(readlink -f "$IG")")
dest=$WORK/dest
DESTDIR=$dest cmake --install "$build" --prefix /opt/ig > "$WORK/install.log" 2>&1 \
  || fail "cmake --install: $(cat "$WORK/install.log")"
root=$dest/opt/ig
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
for f in bin/incident-gateway "$libdir/incident-gateway/ig-net.so" \
         share/incident-gateway/templates/ack.txt share/man/man8/incident-gateway.8 \
         share/doc/incident-gateway/gateway.conf.example lib/systemd/system/incident-gateway.service; do
  [ -f "$root/$f" ] && ok "installed $f" || fail "not installed: $f"
done
grep -qx "ExecStart=/opt/ig/bin/incident-gateway -c /opt/ig/etc/incident-gateway/gateway.conf run" \
  "$root/lib/systemd/system/incident-gateway.service" && ok "the unit names the installed paths" \
  || fail "unit: $(grep Exec "$root/lib/systemd/system/incident-gateway.service")"

write_config
printf 'Installed templates in use.\n' >> "$root/share/incident-gateway/templates/ack.txt"
mkdir -p "$WORK/elsewhere"
cd "$WORK/elsewhere"
printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nSubject: Phone stolen\nMessage-ID: <inst-1@justice.gov.uk>\n\nIncident category: lost or stolen equipment\nDescription: stolen.\n' \
  | "$root/bin/incident-gateway" ingest --now 2026-11-23T09:00:00Z > "$WORK/out.txt" 2>&1 \
  && ok "the installed gateway records, from another directory" || fail "installed ingest: $(cat "$WORK/out.txt")"
ack=$(grep -l '^To: sam.lee@justice.gov.uk' "$WORK"/var/outbox/*.eml)
grep -q 'Installed templates in use.' "$ack" \
  && ok "its acknowledgement written from the installed templates" || fail "ack: $(cat "$ack")"
sed -i 's|^url = dir:.*|url = smtp://127.0.0.1:9|' "$INCIDENT_GATEWAY_CONFIG"
"$root/bin/incident-gateway" check-config --connect > /dev/null 2> "$WORK/err.txt" && fail "SMTP to a closed port"
grep -q "Couldn't connect to server" "$WORK/err.txt" && ok "the installed network module loads" \
  || fail "installed module: $(cat "$WORK/err.txt")"
finish
