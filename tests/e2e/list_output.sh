#!/usr/bin/env bash
# list's text and JSON, byte for byte as they were before list was read
# set-based and streamed (issue 18): the examples and an OST note,
# compared with tests/fixtures/list_output/, which the per-incident code
# wrote. Outgoing Message-IDs carry a random UUID: replaced before the
# comparison. Then --search and --limit, and their one-line errors.
source "$(dirname "$0")/lib.sh"
write_config 's/^require_authentication = .*/require_authentication = authentication-results/'
GOLDEN=$SRC/tests/fixtures/list_output

expect_eq "text: an empty store" "$("$IG" list)" "no incidents"
expect_eq "JSON: an empty store" "$("$IG" list --json)" "[]"

"$IG" ingest --now 2026-11-23T09:00:00Z "$SRC"/examples/*.eml > /dev/null 2>&1 || fail "ingest of the examples"
mkdir -p "$WORK/in"
{ printf 'Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk; dmarc=pass header.from=justice.gov.uk\r\n'
  printf 'From: Alice Brown <alice@justice.gov.uk>\r\nSubject: RE: [INC-2026-000002] Laptop\r\nMessage-ID: <c1@justice.gov.uk>\r\n\r\n'
  printf 'Status: investigating\r\nNote: spoke to the train operator about lost property\r\n'; } > "$WORK/in/c1.eml"
"$IG" ingest --now 2026-11-23T10:00:00Z "$WORK/in/c1.eml" > /dev/null 2>&1 || fail "ingest of the OST note"

# same NAME GOLDEN-FILE LIST-OPTIONS... - list's output is the golden file.
same() {
  local name=$1 golden=$2
  shift 2
  "$IG" list "$@" | sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g' \
    > "$WORK/$golden" || fail "$name: list $* exit status"
  if cmp -s "$WORK/$golden" "$GOLDEN/$golden"; then
    ok "$name: as before"
  else
    fail "$name: differs from $golden: $(diff "$GOLDEN/$golden" "$WORK/$golden" | head -20)"
  fi
}
same "text" list.txt --now 2026-11-24T10:00:00Z
same "text, --status new" list-new.txt --status new --now 2026-11-24T10:00:00Z
same "JSON" list.json --json --now 2026-11-24T10:00:00Z
same "JSON, --open --impact medium" list-open-medium.json --open --impact medium --json \
  --now 2026-11-24T10:00:00Z
same "JSON, --overdue" list-overdue.json --overdue --json --now 2026-11-30T10:00:00Z

# refs LIST-OPTIONS... - the references list prints, on one line.
refs() {
  "$IG" list "$@" | awk '/^INC-/ { printf "%s%s", sep, $1; sep = " " }'
}
expect_eq "--limit: the newest" "$(refs --limit 2)" "INC-2026-000007 INC-2026-000006"
expect_eq "--limit: the first records of the whole array" \
  "$("$IG" list --limit 2 --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))')" \
  "$("$IG" list --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[:2]))')"
expect_eq "--search: a word of a summary" "$(refs --search LAPTOP)" "INC-2026-000002"
expect_eq "--search: words of OST's note, added by its reply" "$(refs --search 'operator property')" \
  "INC-2026-000002"
expect_eq "--search: every word must match" "$(refs --search 'laptop ransomware')" ""
expect_eq "--search: a reporter's address" "$(refs --search jane.smith@justice.gov.uk)" "INC-2026-000001"
expect_eq "--search with a filter and a limit" "$(refs --search justice --impact medium --limit 1)" \
  "INC-2026-000006"
expect_eq "--search: no match" "$("$IG" list --search zeppelin)" "no incidents"
expect_eq "--search: no match, JSON" "$("$IG" list --search zeppelin --json)" "[]"
expect_eq "--search: query syntax is text" "$(refs --search '"laptop" OR NEAR(laptop*')" ""
expect_error "--limit 0" 2 'incident-gateway: --limit "0": give a whole number of incidents, 1 or more' \
  "$IG" list --limit 0
expect_error "--limit abc" 2 'incident-gateway: --limit "abc": give a whole number of incidents, 1 or more' \
  "$IG" list --limit abc
expect_error "--search without a word" 2 \
  'incident-gateway: --search "*": no word in it to search for (letters or digits)' "$IG" list --search '*'
expect_error "--search for show" 2 'incident-gateway: show does not take --search' \
  "$IG" show INC-2026-000001 --search laptop
finish
