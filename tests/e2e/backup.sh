#!/usr/bin/env bash
# `backup FILE` (SPEC section 2): a consistent copy of the store while the
# service runs and records mail, verified read-only; mode 0600, one file
# with no log beside it, never over an existing file; a copy of a store
# that does not verify is kept and says so. All that is SQLite's: on
# PostgreSQL backup refuses, naming PostgreSQL's own tools.
source "$(dirname "$0")/lib.sh"
write_config
mail=$WORK/var/mail
"$SRC/scripts/seed-examples.sh" "$mail" > /dev/null
"$IG" poll --once --now 2026-11-23T09:00:00Z > /dev/null 2>&1 || fail "poll"

# One line without the URI's parameters (TLS files, passfile), no file.
if on_pg; then
  rc=0
  "$IG" backup "$WORK/copy.db" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  expect_eq "backup of a PostgreSQL store (exit status)" "$rc" 2
  [ "$(wc -l < "$WORK/err.txt")" = 1 ] && grep -qF "incident-gateway: ${DATABASE%%\?*}: " "$WORK/err.txt" \
    && grep -q "backed up with PostgreSQL's own tools: pg_dump" "$WORK/err.txt" \
    && ! grep -q 'passfile\|sslrootcert' "$WORK/err.txt" \
    && ok "backup of a PostgreSQL store: one line naming pg_dump" || fail "backup on PostgreSQL: $(cat "$WORK/err.txt")"
  [ ! -e "$WORK/copy.db" ] && ok "no file written" || fail "backup on PostgreSQL wrote $WORK/copy.db"
  echo "the rest copies a SQLite store's file: SQLite only"
  finish
  exit 0
fi

"$IG" backup "$WORK/copy.db" > "$WORK/out.txt" || fail "backup exit $?"
grep -q "^$WORK/copy.db: backup verified: [0-9]* audit events, 8 stored messages, 7 incidents$" \
  "$WORK/out.txt" && ok "backup verified" || fail "backup: $(cat "$WORK/out.txt")"
expect_eq "the copy: mode 0600" "$(stat -c %a "$WORK/copy.db")" 600
expect_eq "the copy stands alone (no log beside it)" "$(ls "$WORK" | grep -c 'copy.db-')" 0
expect_eq "nothing else left beside it" "$(ls -a "$WORK" | grep -c '\.copy.db')" 0
sed "s|^database = .*|database = $WORK/copy.db|" "$WORK/gateway.conf" > "$WORK/copy.conf"
"$IG" -c "$WORK/copy.conf" list --json | check_json "the copy holds the incidents" 'len(d) == 7'

printf 'keep me\n' > "$WORK/taken.db"
expect_error "an existing file" 2 "incident-gateway: $WORK/taken.db exists; a backup never overwrites a file" \
  "$IG" backup "$WORK/taken.db"
expect_eq "the existing file untouched" "$(cat "$WORK/taken.db")" "keep me"
expect_error "a missing directory" 1 \
  "incident-gateway: $WORK/nowhere: cannot create the copy: No such file or directory" \
  "$IG" backup "$WORK/nowhere/copy.db"
expect_error "no file given" 2 \
  "incident-gateway: backup: give the file to write, e.g. backup /var/backups/gateway.db" "$IG" backup

# While the service records mail: the copy is one moment of the store.
"$IG" run --now 2026-11-23T10:00:00Z 2> "$WORK/run.log" &
pid=$!
for i in $(seq 1 40); do
  printf 'From: r%s@justice.gov.uk\nSubject: Report %s\nMessage-ID: <bk-%s@justice.gov.uk>\n\nIncident category: phishing\nDescription: a mail %s.\n' \
    "$i" "$i" "$i" "$i" > "$mail/tmp/bk-$i" && mv "$mail/tmp/bk-$i" "$mail/new/bk-$i"
  [ "$i" = 20 ] && { "$IG" backup "$WORK/live.db" > "$WORK/live.txt" 2>&1 || echo "rc=$?" >> "$WORK/live.txt"; }
done
for _ in $(seq 1 100); do [ -z "$(ls "$mail/new")" ] && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid" || true
grep -q 'backup verified' "$WORK/live.txt" && ok "a backup while the service records mail verifies" \
  || fail "backup during run: $(cat "$WORK/live.txt")"
"$IG" verify > /dev/null && ok "the store verifies after" || fail "verify after the backups"

# A store that does not verify: the copy is kept, and the command fails.
db_sql "UPDATE incidents SET impact = 'low' WHERE id = 1"
rc=0; "$IG" backup "$WORK/bad.db" > /dev/null 2> "$WORK/err.txt" || rc=$?
expect_eq "a copy that does not verify (exit status)" "$rc" 1
grep -q "^incident-gateway: backup written to $WORK/bad.db, but the copy does not verify: .*incident 1 was changed" \
  "$WORK/err.txt" && ok "a copy that does not verify says so" || fail "bad copy: $(cat "$WORK/err.txt")"
[ -f "$WORK/bad.db" ] && ok "and is kept" || fail "the copy was removed"
finish
