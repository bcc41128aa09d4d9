#!/usr/bin/env bash
# The PostgreSQL server of the unit tests (test_pg_driver): the integration
# stack's (tests/integration/stack_pg.sh).
#   tests/unit/pg_server.sh start DIR - starts it; DIR/url: its libpq URI
#   tests/unit/pg_server.sh stop DIR  - stops it and removes its files
#   tests/unit/pg_server.sh serve DIR - starts it, and stops it once its
#                                       stdin is closed (its reader gone)
# start and stop are ctest's fixture pg, around a whole run; serve is for a
# test run alone, which cannot leave the server behind even if it crashes.
# The server's own files are in a directory under /tmp (named in
# DIR/stack), not in DIR: its user (postgres when run as root) must reach
# them, which a build tree under a private home forbids, and the path of
# its socket must stay short. No test here crashes the machine under the
# server: its commits need not wait for the disk (STACK_PG_NO_SYNC).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/integration/stack.sh
source "$HERE/../integration/stack.sh"
# shellcheck source=tests/integration/stack_pg.sh
source "$HERE/../integration/stack_pg.sh"

usage="usage: pg_server.sh start|stop|serve DIR"
command=${1:?$usage}
dir=${2:?$usage}

stop() {
  [ -s "$dir/stack" ] || return 0
  STACK=$(cat "$dir/stack")
  stack_cleanup
  rm -rf "$STACK"
  rm -f "$dir/stack" "$dir/url"
}

start() {
  stop # the server of a run killed before its cleanup
  mkdir -p "$dir"
  STACK=$(mktemp -d -t ig-pg-XXXXXX)
  echo "$STACK" >"$dir/stack"
  if ! { stack_tls && STACK_PG_NO_SYNC=1 stack_pg_start; }; then
    stop
    return 1
  fi
  printf '%s\n' "$STACK_PG_URL" >"$dir/url"
}

# The stack's watchdog stops its servers once the shell that started them
# is gone; after start, the server is to outlive this script, until stop.
release_watchdog() {
  local watchdog=$STACK/run/watchdog.pidw
  kill -TERM "$(cat "$watchdog")"
  wait "$(cat "$watchdog")" 2>/dev/null || true
  rm -f "$watchdog"
}

case $command in
  start) start && release_watchdog ;;
  stop) stop ;;
  serve)
    trap stop EXIT
    start
    cat >/dev/null
    ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
