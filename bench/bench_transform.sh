#!/usr/bin/env bash
# bench_transform.sh: the learned-transform study of issue 5, end to end.
#
#   bash bench/bench_transform.sh [BUILD_DIR]        (default: build)
#
# 1. Retrains the three built-in learned transforms on the TRAIN split of
#    testimages/ (testimages/README.md) with the exact commands that produced
#    transforms/rtx_builtin_{klt,sep,rd}.c, into a temporary directory, and
#    checks the generated C data are identical to the committed files.
# 2. Runs bench_transform (BD-rate against the DCT, PSNR-RGB) on the HELD-OUT
#    images only, in round mode and in REC mode (lrq, which bench_transform
#    pins when --mode rec has no --sampler), for the
#    built-in transforms and for the separable one embedded from its .rtx file.
# Never part of ctest. Takes about 2 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
recimg=$build/tools/recimg
bench=$build/tools/bench_transform
for b in "$recimg" "$bench"; do
  [ -x "$b" ] || { echo "bench_transform.sh: $b not built (cmake --build $build)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"

train=(--images testimages/astronaut.png --images testimages/coffee.png --images testimages/grass.png --stride 2)
heldout=(testimages/chelsea.png testimages/rocket.png testimages/hubble_deep_field.png
         testimages/brick.png testimages/gravel.png)

echo "== training on TRAIN (astronaut, coffee, grass)"
"$recimg" train-transform "${train[@]}" -o "$tmp/klt.rtx" --emit-c "$tmp/rtx_builtin_klt.c"
"$recimg" train-transform "${train[@]}" --kind separable -o "$tmp/sep.rtx" --emit-c "$tmp/rtx_builtin_sep.c"
"$recimg" train-transform "${train[@]}" --kind rd -o "$tmp/rd.rtx" --emit-c "$tmp/rtx_builtin_rd.c"
differs=0
for k in klt sep rd; do
  # the first 5 lines hold the command with its output paths; the data must match
  if diff -q <(tail -n +6 "$tmp/rtx_builtin_$k.c") <(tail -n +6 "transforms/rtx_builtin_$k.c") >/dev/null; then
    echo "transforms/rtx_builtin_$k.c: reproduced exactly"
  else
    echo "transforms/rtx_builtin_$k.c: DIFFERS from this build's training result" >&2
    differs=1
  fi
done

for mode in round rec; do
  echo
  echo "== HELD-OUT images, mode $mode"
  "$bench" --mode "$mode" --test learned --test learned-sep --test learned-rd --test "$tmp/sep.rtx" \
    "${heldout[@]}" | sed -n '/BD-rate/,$p'
done
# a built-in that this build no longer reproduces makes the figures above unverifiable
exit "$differs"
