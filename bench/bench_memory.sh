#!/usr/bin/env bash
# bench/bench_memory.sh: peak resident memory of `recimg compress` and
# `recimg decompress` on a 40-megapixel RGB image (8000 x 5000), as a multiple of
# the raw RGB size (120,000,000 bytes). Goal (issue 7): <= 3x.
# Peak RSS is the whole process's "Maximum resident set size" from /usr/bin/time -v
# (getrusage ru_maxrss): image I/O included. The codec works in bands of block rows
# (codec/codec_api.c), so it holds the caller's pixels plus buffers of a few block rows;
# the command reads PPM into one raw-size buffer and writes PPM/PNG straight from the
# decoded pixels (tools/imageio.c). PNG input also holds the compressed file while
# decoding it (freed before compressing).
# The image is synthetic (bad_make ppm: ramps, edges, texture), so the payload is
# photograph-like in size; memory does not depend much on content.
# usage: bench/bench_memory.sh [BUILD_DIR] [QUALITY]   (default: build, 75)
# Not part of ctest (tests/codec/test_codec_memory.c checks a bound on a smaller image).
# Needs ~0.3 GB of RAM and ~0.5 GB in $TMPDIR; about 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
quality=${2:-75}
recimg=$build/tools/recimg
gen=$build/tests/bad/bad_make
for f in "$recimg" "$gen" /usr/bin/time; do
  [ -x "$f" ] || { echo "bench_memory: $f missing (build the tree: cmake --build $build)" >&2; exit 1; }
done
w=8000 h=5000
raw=$((w * h * 3))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" ppm "$w" "$h" "$tmp/big.ppm"

# peak NAME CMD...: runs CMD under /usr/bin/time -v, prints one table row
peak() {
  local name=$1; shift
  /usr/bin/time -v -o "$tmp/time.txt" "$@" >/dev/null 2>"$tmp/err.txt" || {
    echo "bench_memory: $name failed: $(cat "$tmp/err.txt")" >&2; return 1; }
  local kb secs
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
  secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt")
  awk -v n="$name" -v kb="$kb" -v raw="$raw" -v t="$secs" \
    'BEGIN { printf "%-44s %9.1f MB  %5.2fx raw  (%s)\n", n, kb * 1024 / 1e6, kb * 1024 / raw, t }'
}

echo "40 MP image ${w}x${h}, raw RGB $raw bytes; quality $quality; peak RSS (wall time)"
peak "compress PPM -> .rec (round, 4:2:0)" "$recimg" compress "$tmp/big.ppm" -o "$tmp/big.rec" --quality "$quality"
peak "compress PPM -> .rec (round, 4:4:4)" "$recimg" compress "$tmp/big.ppm" -o "$tmp/big444.rec" --quality "$quality" --chroma 444
peak "compress PPM -> .rec (rec, 4:2:0)" "$recimg" compress "$tmp/big.ppm" -o "$tmp/bigrec.rec" --mode rec --quality "$quality"
peak "compress PPM -> .rec (rec, 4:4:4)" "$recimg" compress "$tmp/big.ppm" -o "$tmp/bigrec444.rec" --mode rec --quality "$quality" --chroma 444
peak "decompress .rec -> PPM (round, 4:2:0)" "$recimg" decompress "$tmp/big.rec" -o "$tmp/out.ppm"
peak "decompress .rec -> PNG (round, 4:2:0)" "$recimg" decompress "$tmp/big.rec" -o "$tmp/out.png"
peak "decompress .rec -> PPM (round, 4:4:4)" "$recimg" decompress "$tmp/big444.rec" -o "$tmp/out444.ppm"
peak "decompress -> PPM (round 4:2:0, realism)" "$recimg" decompress "$tmp/big.rec" -o "$tmp/outr.ppm" --decode realism
peak "decompress .rec -> PPM (rec, 4:2:0)" "$recimg" decompress "$tmp/bigrec.rec" -o "$tmp/outrec.ppm"
peak "decompress .rec -> PPM (rec, 4:4:4)" "$recimg" decompress "$tmp/bigrec444.rec" -o "$tmp/outrec444.ppm"
peak "compress PNG -> .rec (round, 4:2:0)" "$recimg" compress "$tmp/out.png" -o "$tmp/big2.rec" --quality "$quality"
echo "file sizes: $(stat -c '%n %s' "$tmp"/*.rec | sed "s|$tmp/||" | tr '\n' ' ')"
