#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with -Werror and
# runs the whole ctest suite. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRECIMG_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs" "$@"
# Hardening (issue 7): the same suite under ASan+UBSan (clang, build-asan), then
# each libFuzzer target for a bounded time from its corpus (build-fuzz);
# RECIMG_FUZZ_SECONDS sets the time per fuzzer (default 60, 0 skips fuzzing).
bash scripts/sanitize.sh "${RECIMG_FUZZ_SECONDS:-60}"
