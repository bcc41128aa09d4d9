# shellcheck shell=bash
# Shared by the gateway's integration tests: a stack from stack.sh, a
# gateway configuration pointing at it, and the e2e assertions.
#   source "$(dirname "$0")/gateway_lib.sh" BINARY
set -euo pipefail
IG=${1:?usage: $0 path/to/incident-gateway}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${IG_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
# shellcheck source=tests/integration/stack.sh
source "$here/stack.sh"
STACK=$(mktemp -d)
chmod 755 "$STACK"
export STACK
WORK=$STACK/gateway
mkdir -p "$WORK/var"
# gateway_cleanup - at exit: the stack's servers, the store's schema on
# PostgreSQL, and STACK.
gateway_cleanup() {
  stack_cleanup
  [ ! -f "$WORK/cleanup" ] || bash "$WORK/cleanup"
  [ -n "${KEEP:-}" ] || rm -rf "$STACK"
}
trap gateway_cleanup EXIT
# shellcheck source=tests/checks.sh
source "$SRC/tests/checks.sh"

# DATABASE: the store of every gateway_config of the test. A file in WORK;
# on PostgreSQL (IG_TEST_PG_URL_FILE names a file with a server's URI, as
# for the integration_pg_* runs) a schema of the test's own on that
# server, dropped at exit.
if [ -n "${IG_TEST_PG_URL_FILE:-}" ]; then
  pg_base=$(cat "$IG_TEST_PG_URL_FILE")
  pg_schema="integration_$$"
  psql -qX -v ON_ERROR_STOP=1 "$pg_base" -c "CREATE SCHEMA $pg_schema"
  echo "PGOPTIONS=-cclient_min_messages=warning psql -qX '$pg_base' -c 'DROP SCHEMA $pg_schema CASCADE' >/dev/null" \
    > "$WORK/cleanup"
  DATABASE="$pg_base&options=-csearch_path%3D$pg_schema%2Cpublic"
else
  DATABASE=$WORK/var/gateway.db
fi

# gateway_config [source-url] [extra lines...] - $WORK/gateway.conf for the
# stack: IMAPS with the password file, SMTP with STARTTLS and a password,
# both verified against the test CA. Extra lines are appended as given.
gateway_config() {
  local url=${1:-imaps://127.0.0.1:$IMAPS_PORT/INBOX}
  shift || true
  cat > "$WORK/gateway.conf" <<CONF
[gateway]
database = $DATABASE
[source]
url = $url
user = security
password_file = $STACK/imap.pass
ca_file = $STACK/tls/ca.crt
poll_interval = 1h
[transport]
url = smtp://127.0.0.1:$SMTP_PORT
user = gateway
password_file = $STACK/smtp.pass
ca_file = $STACK/tls/ca.crt
[stakeholders]
ost = ost@justice.gov.uk
dacu = data.compliance@justice.gov.uk
siro = siro@justice.gov.uk
accreditor = accreditation@justice.gov.uk
CONF
  local line
  for line in "$@"; do printf '%s\n' "$line" >> "$WORK/gateway.conf"; done
  export INCIDENT_GATEWAY_CONFIG=$WORK/gateway.conf
}

# report N - a small distinct report as a file; prints its path.
report() {
  local n=$1 f=$WORK/report-$1.eml
  printf 'From: Reporter %s <reporter%s@justice.gov.uk>\r\nTo: security@justice.gov.uk\r\nSubject: Test report %s\r\nMessage-ID: <report-%s@justice.gov.uk>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nReporter name: Reporter %s\r\nIncident category: phishing\r\nImpact: low\r\nPersonal data involved: no\r\nDate and time of detection: 23/11/2026 08:30\r\nDescription: Suspicious email number %s.\r\n' \
    "$n" "$n" "$n" "$n" "$n" "$n" > "$f"
  echo "$f"
}

# wait_for DESCRIPTION SECONDS COMMAND... - polls COMMAND every 0.1 s.
wait_for() {
  local what=$1 limit=$2 i
  shift 2
  for ((i = 0; i < limit * 10; i++)); do
    if "$@" > /dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  fail "$what: not within $limit s"
  [ -f "$WORK/run.log" ] && tail -n 20 "$WORK/run.log" >&2
  return 1
}

# check_delivery N - what the SMTP receiver got, against the outbox, for N
# reports from reporter1..N: an acknowledgement and an OST notification
# per report, every row marked sent and delivered, nothing delivered that
# is not in the outbox. Leaves the counts in $WORK/delivery.txt for
# delivery_count: those, acks (the acknowledgements' Message-IDs), acked
# and acked-twice (reporters acknowledged under one Message-ID, under
# more), dupes (copies delivered more than once).
check_delivery() {
  "$IG" outbox --json > "$WORK/outbox.json"
  python3 - "$1" "$WORK/outbox.json" "$STACK"/smtp/*.eml > "$WORK/delivery.txt" <<'PY'
import collections, email.parser, json, sys
n = int(sys.argv[1])
rows = json.load(open(sys.argv[2]))
copies = collections.Counter()
acks = collections.defaultdict(set)
ack_ids = set()
for path in sys.argv[3:]:
    with open(path, "rb") as f:
        h = email.parser.BytesHeaderParser().parse(f)
    mid = (h["Message-ID"] or "").strip().strip("<>")
    copies[mid] += 1
    if h["Auto-Submitted"] == "auto-replied":
        ack_ids.add(mid)
        for rcpt in h.get_all("X-Envelope-To", []):
            acks[rcpt.strip().lower()].add(mid)
ids = [acks["reporter%d@justice.gov.uk" % i] for i in range(1, n + 1)]
print("rows", len(rows))
print("sent", sum(r["state"] == "sent" for r in rows))
print("delivered", sum(1 for r in rows if copies[r["message_id"]] > 0))
print("strays", len(set(copies) - {r["message_id"] for r in rows}))
print("acks", len(ack_ids))
print("acked", sum(len(s) == 1 for s in ids))
print("acked-twice", sum(len(s) > 1 for s in ids))
print("dupes", sum(c - 1 for c in copies.values()))
PY
  expect_eq "an acknowledgement and an OST notification per report" "$(delivery_count rows)" $(($1 * 2))
  expect_eq "every outbox row marked sent" "$(delivery_count sent)" $(($1 * 2))
  expect_eq "every outbox row delivered (no mail lost)" "$(delivery_count delivered)" $(($1 * 2))
  expect_eq "nothing delivered that is not in the outbox" "$(delivery_count strays)" 0
}
# delivery_count NAME - one of check_delivery's counts.
delivery_count() { sed -n "s/^$1 //p" "$WORK/delivery.txt"; }
