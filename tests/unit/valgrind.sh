#!/usr/bin/env bash
# Runs every unit test binary of a build under valgrind's memcheck: any
# invalid read or write, use of uninitialised memory or definite leak fails.
# Binaries run side by side, one per core (VALGRIND_JOBS to change it).
# Usage: tests/unit/valgrind.sh [--short] BUILD_DIR
# --short is make test's pass: it leaves out the programs whose time under
# valgrind is loops that the sanitizer pass of make test runs in full
# (test_msg's 3,000 damaged Outlook items, test_limits' inputs sized to
# show linear time, test_reply's fifteen mail clients, whose parser
# fuzz_reply runs under ASan), stores built again and again
# (test_store_search, test_store_verify: SQLite's own work), or servers
# they start (test_pg_driver's PostgreSQL, test_tls_verify's TLS
# servers), and the tests that inject one fault
# after another (test_atomic, the case fault tables) take every 32nd
# instead of every 8th: about half the time of make valgrind.
set -uo pipefail
short=0
if [ "${1:-}" = --short ]; then
  short=1
  shift
fi
build=${1:?usage: valgrind.sh [--short] BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
export IG_SOURCE_DIR=${IG_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
# GLib's slice allocator and cached type data look like leaks otherwise.
export G_SLICE=always-malloc G_DEBUG=gc-friendly
# test_atomic fails each write and statement in turn, the case fault
# tables each write and read; every eighth (of test_atomic, a different
# eighth for each scenario; every 32nd in the short form) is enough to
# find a leak on an error path, and keeps this pass short.
export IG_FAULT_STRIDE=${IG_FAULT_STRIDE:-$([ $short = 1 ] && echo 32 || echo 8)}
long="test_msg test_limits test_reply test_store_search test_store_verify"
long+=" test_pg_driver test_tls_verify"
export here

# run_one BINARY - prints "valgrind: NAME clean" or "... FAILED (see LOG)".
run_one() {
  local t=$1 name log
  name=$(basename "$t")
  log="$(dirname "$t")/valgrind-$name.log"
  if valgrind --quiet --error-exitcode=99 --leak-check=full \
       --errors-for-leak-kinds=definite --show-leak-kinds=definite \
       --suppressions="$here/valgrind.supp" --log-file="$log" \
       "$t" >/dev/null 2>&1; then
    echo "valgrind: $name clean"
  else
    echo "valgrind: $name FAILED (see $log)"
  fi
}
export -f run_one

results=$(for t in "$build"/test_*; do
             [ -x "$t" ] || continue
             [ $short = 1 ] && [[ " $long " == *" $(basename "$t") "* ]] && continue
             echo "$t"
           done |
          xargs -P "${VALGRIND_JOBS:-$(nproc)}" -n 1 bash -c 'run_one "$0"' | sort)
echo "$results"
failed=$(echo "$results" | sed -n 's/^valgrind: \(.*\) FAILED.*/\1/p' | tr '\n' ' ')
[ -z "$failed" ] || { echo "valgrind found errors in: $failed" >&2; exit 1; }
