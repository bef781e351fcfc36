#!/usr/bin/env bash
# scripts/sanitize.sh: the hardening run (issue 7), called by scripts/test.sh.
#  1. builds the whole tree with clang and -DRECIMG_SANITIZE=ON (ASan + UBSan,
#     no recovery) in build-asan and runs the whole ctest suite there;
#  2. builds the libFuzzer targets in build-fuzz (clang, ASan + UBSan and
#     -fsanitize=fuzzer-no-link on every source of the tree) and runs each for a
#     bounded time from its committed corpus (tests/fuzz/corpus/<t>) and its
#     regression inputs (tests/fuzz/regress/<t>). Any crash, leak, sanitizer report,
#     timeout or out-of-memory fails the script; libFuzzer saves the input in
#     build-fuzz/fuzz-artifacts/<t>/ (copy it to tests/fuzz/regress/<t>/ once fixed).
# usage: scripts/sanitize.sh [SECONDS_PER_FUZZER]   (default 60; 0 = no fuzzing)
# Extra ctest arguments can be given in RECIMG_SANITIZE_CTEST_ARGS;
# RECIMG_SANITIZE_SKIP_CTEST=1 runs only the fuzzers (while working on them).
# The fuzzers run even when a test failed; the exit status is 1 if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-${RECIMG_FUZZ_SECONDS:-60}}
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -le 2 ] || jobs=2   # shared 2-core machines; more cores do not help the fuzz phase

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if ! command -v clang >/dev/null; then
  echo "sanitize: clang is missing (scripts/deps.sh installs it)" >&2
  exit 1
fi

status=0
if [ "${RECIMG_SANITIZE_SKIP_CTEST:-0}" != 1 ]; then
echo "== sanitize: ASan+UBSan build (build-asan) and ctest"
# -Werror stays with the gcc build of scripts/test.sh: here the point is the
# sanitizers, and a clang-only warning must not hide their verdict.
CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECIMG_SANITIZE=ON \
  -DRECIMG_WERROR=OFF -DRECIMG_BUILD_FUZZERS=OFF >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
# shellcheck disable=SC2086
ctest --test-dir build-asan --output-on-failure -j "$jobs" ${RECIMG_SANITIZE_CTEST_ARGS:-} || {
  status=1
  echo "sanitize: ctest under ASan/UBSan FAILED" >&2
}
fi

[ "$secs" -gt 0 ] || { echo "sanitize: fuzzing skipped (0 s)"; exit "$status"; }

echo "== sanitize: libFuzzer targets (build-fuzz), ${secs} s each"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECIMG_SANITIZE=ON \
  -DRECIMG_WERROR=OFF -DRECIMG_BUILD_FUZZERS=ON \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link $san" \
  -DCMAKE_EXE_LINKER_FLAGS="$san" -DCMAKE_SHARED_LINKER_FLAGS="$san" >/dev/null
targets=(decode roundtrip imageio rtx)
cmake --build build-fuzz -j "$jobs" --target "${targets[@]/#/fuzz_}" >/dev/null

summary=""
for t in "${targets[@]}"; do
  work=build-fuzz/fuzz-corpus/$t          # grows as the fuzzer finds new coverage
  art=build-fuzz/fuzz-artifacts/$t
  mkdir -p "$work" "$art"
  log=build-fuzz/fuzz-$t.log
  set +e
  # -rss_limit_mb / -malloc_limit_mb: a decoder may legitimately need a few
  # hundred MB (IMAGEIO_MAX_PIXELS-sized images); more is a bug.
  ASAN_OPTIONS="$ASAN_OPTIONS:abort_on_error=0" \
  extra=()
  # the round-trip target's pixels come from the tail of the input: let it grow at once
  [ "$t" = roundtrip ] && extra=(-len_control=0 -max_len=4096)
  "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 \
    -malloc_limit_mb=2048 -max_len=65536 "${extra[@]}" -print_final_stats=1 -artifact_prefix="$art/" \
    "$work" "tests/fuzz/corpus/$t" "tests/fuzz/regress/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(find "$work" -type f | wc -l)
  line=$(printf '%-10s %10s execs %8s exec/s  corpus %5s  exit %s' "$t" "${execs:-?}" "${rate:-?}" "$units" "$rc")
  summary="$summary$line"$'\n'
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "sanitize: fuzz_$t FAILED (exit $rc); log build-fuzz/fuzz-$t.log, input in $art/" >&2
    grep -E "ERROR|SUMMARY|invariant|Test unit written" "$log" | head -20 >&2 || true
  fi
done
echo "== sanitize: fuzz summary"
printf '%s' "$summary"
exit "$status"
