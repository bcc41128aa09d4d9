#!/usr/bin/env bash
# Copies examples/*.eml into the Maildir inbox (new/) so a first `make run`
# has reports to process. Mail already recorded is recognised by its
# SHA-256 and Message-ID, so seeding twice creates no duplicate incidents.
set -euo pipefail
maildir=${1:-var/mail}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$maildir/new" "$maildir/cur" "$maildir/tmp"
n=0
for f in "$here"/examples/*.eml; do
  name="$(date +%s).seed-$(basename "$f" .eml).$(hostname)"
  # Deliver the Maildir way: write in tmp/, then rename into new/.
  cp "$f" "$maildir/tmp/$name"
  mv "$maildir/tmp/$name" "$maildir/new/$name"
  n=$((n + 1))
done
echo "Seeded $n example reports into $maildir/new"
