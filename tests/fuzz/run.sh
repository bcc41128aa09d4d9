#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz (built in build-fuzz by IG_FUZZ=ON).
#   run.sh fuzz BIN_DIR SECONDS [TARGET...]  fuzz each target for SECONDS (make fuzz);
#                                            the corpus grows in BIN_DIR/corpus/TARGET
#   run.sh smoke BIN_DIR TARGET SECONDS      a short run with a fixed seed (make test)
#   run.sh replay BIN_DIR TARGET             every file of regressions/TARGET once
# Seeds come from BIN_DIR/seeds/TARGET (seeds.py), and for fuzz also from
# regressions/TARGET (smoke leaves those to replay, so each fails once). A
# crash, leak, UB, timeout or superlinear unit fails the run; its input is
# left in BIN_DIR/artifacts/TARGET/, to be kept in regressions/TARGET/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=${1:?usage: run.sh fuzz|smoke|replay BIN_DIR ...}
bin_dir=${2:?BIN_DIR}

# UB aborts (-fno-sanitize-recover); leaks are checked at the end of each unit.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1

# The limits of a target: fuzz_linear runs each unit at 32 and 256 KiB,
# so its units are short and a run may take seconds; an Outlook item is a
# compound file of 512- or 4096-byte sectors, its seeds 10 to 30 KiB.
options() {
  case $1 in
    linear) echo "-max_len=512 -timeout=30" ;;
    msg) echo "-max_len=65536 -timeout=10" ;;
    *) echo "-max_len=16384 -timeout=10" ;;
  esac
}

# run_target TARGET WORK_CORPUS WITH_REGRESSIONS EXTRA_FLAGS...
run_target() {
  local t=$1 corpus=$2 with_regressions=$3
  shift 3
  local seeds=() artifacts="$bin_dir/artifacts/$t"
  [ -d "$bin_dir/seeds/$t" ] && seeds+=("$bin_dir/seeds/$t")
  [ "$with_regressions" = yes ] && [ -d "$here/regressions/$t" ] && seeds+=("$here/regressions/$t")
  mkdir -p "$corpus" "$artifacts"
  touch "$artifacts/.start"
  # shellcheck disable=SC2046
  if ! "$bin_dir/fuzz_$t" $(options "$t") -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$@" "$corpus" "${seeds[@]}"; then
    echo "FAIL: fuzz_$t; keep the input as a regression case:" >&2
    find "$artifacts" -type f -newer "$artifacts/.start" ! -name .start \
      -exec echo "  cp {} $here/regressions/$t/" \; >&2
    return 1
  fi
}

case $mode in
  fuzz)
    seconds=${3:?SECONDS}
    shift 3
    targets=("$@")
    if [ ${#targets[@]} -eq 0 ]; then
      for b in "$bin_dir"/fuzz_*; do targets+=("${b##*/fuzz_}"); done
    fi
    failed=0
    for t in "${targets[@]}"; do
      echo "== fuzz_$t for ${seconds}s"
      run_target "$t" "$bin_dir/corpus/$t" yes -max_total_time="$seconds" || failed=1
    done
    exit $failed
    ;;
  smoke)
    t=${3:?TARGET}
    seconds=${4:?SECONDS}
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    # a fixed seed: the same mutations every run, so a failure here is news
    run_target "$t" "$work" no -seed=1 -max_total_time="$seconds"
    ;;
  replay)
    t=${3:?TARGET}
    files=()
    if [ -d "$here/regressions/$t" ]; then
      while IFS= read -r -d '' f; do files+=("$f"); done \
        < <(find "$here/regressions/$t" -type f ! -name '*.md' -print0 | sort -z)
    fi
    if [ ${#files[@]} -eq 0 ]; then
      echo "no regression cases for $t"
      exit 0
    fi
    # shellcheck disable=SC2046
    "$bin_dir/fuzz_$t" $(options "$t") "${files[@]}"
    ;;
  *)
    echo "usage: run.sh fuzz|smoke|replay BIN_DIR ..." >&2
    exit 2
    ;;
esac
