#!/usr/bin/env bash
# Start-up cost guard (speed, issue 8): the recimg command must not load LAPACK at
# start-up. Relocating liblapacke/liblapack/libblas/libgfortran cost every command
# 3.3 M instructions (half of a whole cjpeg run, docs/SPEED.md); train-transform loads
# LAPACKE with dlopen when it runs (tools/cmd_train.c, lapack_load). Checks the
# executable's own dependencies (readelf, DT_NEEDED) and, with ldd, the whole tree
# that the dynamic loader would map.
#   test_speed_startup.sh RECIMG
set -u
recimg=$1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pat='lapack|blas|gfortran|quadmath'

command -v readelf >/dev/null || { echo "FAIL: readelf not found"; exit 1; }
needed=$(readelf -d "$recimg" | grep NEEDED) || fail "readelf -d $recimg lists no NEEDED entries"
echo "$needed" | grep -Eiq "$pat" && fail "recimg links LAPACK/BLAS directly: $(echo "$needed" | grep -Ei "$pat")"
if command -v ldd >/dev/null; then
  tree=$(ldd "$recimg") || fail "ldd $recimg failed"
  echo "$tree" | grep -Eiq "$pat" && fail "LAPACK/BLAS loaded at start-up: $(echo "$tree" | grep -Ei "$pat" | tr '\n' ' ')"
fi
# train-transform still reaches LAPACKE (through dlopen)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ $# -ge 2 ] && {
  "$recimg" train-transform --images "$2/astronaut.png" --stride 8 -o "$tmp/t.rtx" 2>"$tmp/err" \
    || fail "train-transform failed: $(head -c 300 "$tmp/err")"
  [ -s "$tmp/t.rtx" ] || fail "train-transform wrote no .rtx"
}
[ "$fails" -eq 0 ] && echo "test_speed_startup: all passed"
[ "$fails" -eq 0 ]
