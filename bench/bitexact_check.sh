#!/usr/bin/env bash
# bench/bitexact_check.sh: does a speed change keep every output bit? (issue 8)
#
#   bench/bitexact_check.sh RECIMG_BEFORE RECIMG_AFTER [WORKDIR]
#
# Runs both recimg binaries on the same 140 outputs and compares their MD5s: astronaut,
# coffee, chelsea, a 301x157 crop of coffee and its PGM (odd sizes, gray), each compressed
# with --threads 1 as
#   --mode rec --quality 62.5 | 20 | 90 --chroma 444 | 30 --sampler block |
#   50 --sampler lrq | 40 --sampler gprs-bnb | 62.5 --effort 2
# and each .rec decoded with --threads 1 (MMSE), --decode realism --threads 2 and
# --decode sample. Encoder bytes are not golden in ctest (DESIGN 5), so an encoder-side
# slip that still round-trips (a value the block flag's tries read, say) passes ctest; this
# catches it. Exit 0 when all 140 are identical, 1 otherwise (the differing files listed).
# Needs pngtopnm, pnmcut and ppmtopgm (netpbm). Never part of ctest.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 RECIMG_BEFORE RECIMG_AFTER [WORKDIR]" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
a=$1 b=$2
work=${3:-$(mktemp -d /tmp/bitexact.XXXXXX)}
mkdir -p "$work"
for tool in pngtopnm pnmcut ppmtopgm; do
  command -v "$tool" >/dev/null || { echo "bitexact_check: $tool not found (netpbm)" >&2; exit 1; }
done
pngtopnm "$here/testimages/astronaut.png" > "$work/astronaut.ppm" 2>/dev/null
pngtopnm "$here/testimages/coffee.png" > "$work/coffee.ppm" 2>/dev/null
pngtopnm "$here/testimages/chelsea.png" > "$work/chelsea.ppm" 2>/dev/null
pnmcut 0 0 301 157 "$work/coffee.ppm" > "$work/crop.ppm"
ppmtopgm "$work/crop.ppm" > "$work/crop.pgm"
configs=("--quality 62.5" "--quality 20" "--quality 90 --chroma 444" "--quality 30 --sampler block"
         "--sampler lrq --quality 50" "--sampler gprs-bnb --quality 40" "--quality 62.5 --effort 2")
run() {   # recimg outdir
  local r=$1 o=$2 i=0 ext
  mkdir -p "$o"
  for img in astronaut.ppm coffee.ppm chelsea.ppm crop.ppm crop.pgm; do
    ext=${img##*.}
    for c in "${configs[@]}"; do
      i=$((i + 1))
      local f=$o/$img.$i
      # shellcheck disable=SC2086
      "$r" compress "$work/$img" -o "$f.rec" --mode rec $c --threads 1
      "$r" decompress "$f.rec" -o "$f.mmse.$ext" --threads 1
      "$r" decompress "$f.rec" -o "$f.realism.$ext" --decode realism --threads 2
      "$r" decompress "$f.rec" -o "$f.sample.$ext" --decode sample
    done
  done
  (cd "$o" && md5sum -- *) > "$o.md5"
}
run "$a" "$work/before"
run "$b" "$work/after"
n=$(wc -l < "$work/before.md5")
if diff "$work/before.md5" "$work/after.md5" > "$work/diff.txt"; then
  echo "bitexact_check: all $n outputs identical ($work)"
else
  echo "bitexact_check: outputs differ ($work/diff.txt):"
  grep '^>' "$work/diff.txt" | awk '{print "  " $3}'
  exit 1
fi
