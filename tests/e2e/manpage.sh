#!/usr/bin/env bash
# The man page doc/incident-gateway.8: groff renders it without a warning,
# and it covers every command --help lists, every key of
# config/gateway.conf.example, every exit status, and this version.
source "$(dirname "$0")/lib.sh"
page=$SRC/doc/incident-gateway.8
groff -man -Tutf8 -ww -z "$page" 2> "$WORK/warnings.txt"
expect_eq "groff: no warnings" "$(cat "$WORK/warnings.txt")" ""
groff -man -Tascii -P-cbou "$page" 2> /dev/null > "$WORK/page.txt"
missing=""
for cmd in $("$IG" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && $1 { print $1 }'); do
  grep -Eq "^ {7}$cmd( |$)" "$WORK/page.txt" || missing="$missing $cmd"
done
expect_eq "every command described" "$missing" ""
missing=""
for key in $(sed -n 's/^;\{0,1\}\([a-z_0-9]*\) = .*/\1/p' "$SRC/config/gateway.conf.example" | sort -u); do
  grep -q "\\b$key\\b" "$WORK/page.txt" || missing="$missing $key"
done
expect_eq "every configuration key described" "$missing" ""
missing=""
for section in $(sed -n 's/^;\{0,1\}\[\([a-z]*\)[].].*/\1/p' "$SRC/config/gateway.conf.example" | sort -u); do
  grep -q "\\[$section[].]" "$WORK/page.txt" || missing="$missing $section"
done
expect_eq "every section described" "$missing" ""
for status in 0 1 2 75; do
  grep -Eq "^ {7}$status( |$)" "$WORK/page.txt" && ok "exit status $status described" \
    || fail "exit status $status not in the man page"
done
version=$("$IG" --version | awk '{ print $2 }')
grep -q "^\\.TH INCIDENT-GATEWAY 8 \"[0-9-]*\" \"incident-gateway $version\"" "$page" \
  && ok "the page is of this version ($version)" || fail "the page's version is not $version"
finish
