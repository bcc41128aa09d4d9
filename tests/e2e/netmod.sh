#!/usr/bin/env bash
# The network module (gateway/netmod.h): a copy of the gateway with no
# ig-net.so beside it (and none installed) still records a report, sends
# its acknowledgement through dir: and reads the store, loading no mail
# library; what needs the module (SMTP here) fails with one clear line.
# Beside the build's own module, the same check of an SMTP transport gets
# past the loading to the connection; another module under its name is
# refused, saying so. On PostgreSQL the copy has the
# store's module, ig-pg.so, beside it; without it, one line says so.
source "$(dirname "$0")/lib.sh"
write_config
bin=$WORK/bin
mkdir -p "$bin"
cp "$IG" "$bin/incident-gateway"
alone=$bin/incident-gateway
# A store on PostgreSQL is reached through the other module, ig-pg.so.
if on_pg; then cp "$(dirname "$IG")/ig-pg.so" "$bin/"; fi

printf 'From: Sam Lee <sam.lee@justice.gov.uk>\nTo: security@justice.gov.uk\nSubject: Phone stolen\nMessage-ID: <netmod-1@justice.gov.uk>\n\nReporter name: Sam Lee\nIncident category: lost or stolen equipment\nDescription: My work phone was stolen on the bus.\n' > "$WORK/one.eml"
"$alone" ingest --now 2026-11-23T09:00:00Z < "$WORK/one.eml" > /dev/null 2>&1 \
  && ok "recorded without the module" || fail "ingest without the module"
ls "$WORK/var/outbox" | grep -q . && ok "acknowledgement written without the module" \
  || fail "no mail in the dir: outbox"
"$alone" show INC-2026-000001 --json | check_json "read without the module" \
  'd["reference"] == "INC-2026-000001"'
libs=$(ldd "$alone" | grep -cE 'libcurl|libetpan|libopendkim' || true)
expect_eq "no mail library linked" "$libs" 0

sed -i 's|^url = dir:.*|url = smtp://127.0.0.1:9|' "$INCIDENT_GATEWAY_CONFIG"
"$alone" check-config --connect > /dev/null 2> "$WORK/err.txt" && fail "SMTP without the module"
grep -q '^incident-gateway: cannot load the network module: .*ig-net.so' "$WORK/err.txt" \
  && ok "SMTP without the module: says the module is missing" \
  || fail "SMTP without the module: $(cat "$WORK/err.txt")"
# A file of that name that is not the network module: said, not used.
cp "$(dirname "$IG")/ig-pg.so" "$bin/ig-net.so"
"$alone" check-config --connect > /dev/null 2> "$WORK/err.txt" && fail "SMTP with another module"
grep -q "^incident-gateway: cannot load the network module: .*ig_net_ops" "$WORK/err.txt" \
  && ok "another module under the network module's name: says its table is missing" \
  || fail "SMTP with another module: $(cat "$WORK/err.txt")"
rm "$bin/ig-net.so"
"$IG" check-config --connect > /dev/null 2> "$WORK/err.txt" && fail "SMTP to a closed port"
grep -q "^incident-gateway: SMTP smtp://127.0.0.1:9: Couldn't connect to server" "$WORK/err.txt" \
  && ok "the build's module loaded (the connection is what fails)" \
  || fail "SMTP with the build's module: $(cat "$WORK/err.txt")"

if on_pg; then
  rm "$bin/ig-pg.so"
  expect_error "a PostgreSQL store without its module" 1 \
    "incident-gateway: cannot load the PostgreSQL module: $bin/../lib/incident-gateway/ig-pg.so: cannot open shared object file: No such file or directory" \
    "$alone" list
fi
finish
