#!/usr/bin/env bash
# bench/callgrind_compare.sh: instruction counts (valgrind callgrind: repeatable on a loaded
# machine) of the same recimg commands run by two builds, with the ratio new/old. Used to
# show that the banded pipeline (issue 7) did not slow the codec down (docs/SECURITY.md).
#
#   bench/callgrind_compare.sh OLD_BUILD NEW_BUILD IMAGE [--short]
#
# IMAGE is anything recimg reads; it is first turned into a PPM by NEW_BUILD (quality 100
# round trip: the input of every run below is that PPM, so both builds read the same bytes).
# Each build runs with its own librecimg (LD_LIBRARY_PATH=BUILD/codec). Commands, --threads 1
# unless said: compress round 4:2:0 q75 (also --threads 2), decompress it (also --threads 2
# and --decode realism), compress/decompress round 4:4:4 q75, REC (uq) 4:2:0 q75 to PPM and
# PNG, REC 4:4:4. --short: only round 4:2:0 and REC 4:4:4 (large images). Not part of ctest.
set -euo pipefail
old=${1:?usage: callgrind_compare.sh OLD_BUILD NEW_BUILD IMAGE [--short]}
new=${2:?usage: callgrind_compare.sh OLD_BUILD NEW_BUILD IMAGE [--short]}
img=${3:?usage: callgrind_compare.sh OLD_BUILD NEW_BUILD IMAGE [--short]}
short=${4:-}
img=$(cd "$(dirname "$img")" && pwd)/$(basename "$img")
command -v valgrind >/dev/null || { echo "callgrind_compare: valgrind not found" >&2; exit 1; }
for b in "$old" "$new"; do
  [ -x "$b/tools/recimg" ] || { echo "callgrind_compare: $b/tools/recimg missing" >&2; exit 1; }
done
work=$(mktemp -d /tmp/callgrind_compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
LD_LIBRARY_PATH="$new/codec" "$new/tools/recimg" compress "$img" -o src.rec --quality 100 >/dev/null
LD_LIBRARY_PATH="$new/codec" "$new/tools/recimg" decompress src.rec -o a.ppm >/dev/null
count() {   # build, args...: instructions of one recimg run
  local b=$1; shift
  LD_LIBRARY_PATH="$b/codec" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$b/tools/recimg" "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
}
run() {     # label, args...
  local label=$1; shift
  local o n
  o=$(count "$old" "$@")
  n=$(count "$new" "$@")
  awk -v l="$label" -v o="$o" -v n="$n" \
    'BEGIN { printf "%-34s old %14.0f new %14.0f  new/old %.4f\n", l, o, n, n / o }'
}
echo "# $(basename "$img"): instructions, $old vs $new"
run "compress round 420 q75" compress a.ppm -o r.rec --quality 75 --threads 1
run "decompress round 420" decompress r.rec -o r.ppm --threads 1
if [ "$short" != --short ]; then
  run "compress round 420 q75, 2 threads" compress a.ppm -o r.rec --quality 75 --threads 2
  run "decompress round 420, 2 threads" decompress r.rec -o r.ppm --threads 2
  run "decompress round 420, realism" decompress r.rec -o r.ppm --decode realism --threads 1
  run "compress round 444 q75" compress a.ppm -o r4.rec --quality 75 --chroma 444 --threads 1
  run "decompress round 444" decompress r4.rec -o r4.ppm --threads 1
  run "compress rec uq 420 q75" compress a.ppm -o u.rec --mode rec --quality 75 --threads 1
  run "decompress rec uq 420" decompress u.rec -o u.ppm --threads 1
  run "decompress rec uq 420 -> png" decompress u.rec -o u.png --threads 1
fi
run "compress rec uq 444 q75" compress a.ppm -o u4.rec --mode rec --chroma 444 --quality 75 --threads 1
run "decompress rec uq 444" decompress u4.rec -o u4.ppm --threads 1
