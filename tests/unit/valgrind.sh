#!/usr/bin/env bash
# Runs every unit test binary of a build under valgrind's memcheck: any
# invalid read or write, use of uninitialised memory or definite leak fails.
# Usage: tests/unit/valgrind.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: valgrind.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
export IG_SOURCE_DIR=${IG_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
# GLib's slice allocator and cached type data look like leaks otherwise.
export G_SLICE=always-malloc G_DEBUG=gc-friendly

failed=()
for t in "$build"/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  log="$build/valgrind-$name.log"
  if valgrind --quiet --error-exitcode=99 --leak-check=full \
       --errors-for-leak-kinds=definite --show-leak-kinds=definite \
       --suppressions="$here/valgrind.supp" --log-file="$log" \
       "$t" >/dev/null 2>&1; then
    echo "valgrind: $name clean"
  else
    echo "valgrind: $name FAILED (see $log)"
    failed+=("$name")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "valgrind found errors in: ${failed[*]}" >&2; exit 1; }
