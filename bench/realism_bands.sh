#!/usr/bin/env bash
# Per-band DCT-W1 of realism decoding (A = 1) at one matched rate, REC against the rounding
# baseline: which bands lack or carry too much energy (docs/REC_CODEC.md, "Realism decoding
# of skipped coefficients"). Never part of ctest.
# usage: bench/realism_bands.sh BPP [BUILD_DIR] IMAGE...   (BUILD_DIR default: build)
# For each codec (rec, round): recimg compress IMG --mode M --bpp BPP; recimg decompress
# --decode realism --realism 1; then build/tools/band_w1 over all the (original, decoded)
# pairs: mean per band and per zigzag range of W1_k / max(sd_ref, 1) and sd_test / sd_ref.
set -euo pipefail
cd "$(dirname "$0")/.."
bpp=$1
shift
build=build
if [ $# -gt 0 ] && [ -d "$1" ]; then build=$1; shift; fi
[ $# -gt 0 ] || { echo "usage: bench/realism_bands.sh BPP [BUILD_DIR] IMAGE..." >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for mode in rec round; do
  pairs=()
  i=0
  for img in "$@"; do
    "$build/tools/recimg" compress "$img" -o "$tmp/$i.rec" --mode "$mode" --bpp "$bpp" > /dev/null
    "$build/tools/recimg" decompress "$tmp/$i.rec" -o "$tmp/$i.$mode.png" --decode realism --realism 1
    pairs+=("$img" "$tmp/$i.$mode.png")
    i=$((i + 1))
  done
  echo "== $mode realism (A = 1), $bpp bpp, ${#@} image(s)"
  "$build/tools/band_w1" "${pairs[@]}" | sed -n '/^zz_range/,$p'
done
