#!/usr/bin/env bash
# bench/speed_profile.sh: where the time goes, in instructions (valgrind callgrind counts
# them repeatably even on a loaded machine, unlike perf or wall clocks). Issue 8.
#
#   bench/speed_profile.sh BUILD_DIR [IMAGE.png] [BPP] [SAMPLER]
#
# Writes IMAGE as PPM, picks the recimg REC quality and the cjpeg quality for BPP (default 1)
# with build/bench/bench_speed_process, then runs under callgrind:
#   recimg compress X.ppm -o X.rec --mode rec [--sampler S] --quality Q
#   recimg decompress X.rec -o X.rec.ppm
#   cjpeg -quality QJ -sample 2x2 -outfile X.jpg X.ppm ;  djpeg -outfile X.jpg.ppm X.jpg
#   recimg --help (process start-up alone)
# and prints each total and the top self costs of the two recimg runs. Never part of ctest.
set -euo pipefail
build=${1:?usage: speed_profile.sh BUILD_DIR [IMAGE.png] [BPP] [SAMPLER]}
here=$(cd "$(dirname "$0")/.." && pwd)
image=${2:-$here/testimages/astronaut.png}
bpp=${3:-1}
sampler=${4:-}
recimg=$build/tools/recimg
for tool in valgrind callgrind_annotate cjpeg djpeg; do
  command -v "$tool" >/dev/null || { echo "speed_profile: $tool not found (scripts/deps.sh)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/speed_profile.XXXXXX)
trap 'rm -rf "$work"' EXIT
base=$(basename "$image")
sargs=()
[ -n "$sampler" ] && sargs=(--sampler "$sampler")
out=$("$build/bench/bench_speed_process" --recimg "$recimg" --reps 1 --bpp "$bpp" --modes rec \
        "${sargs[@]}" --dir "$work" "$image")
q=$(awk -v b="$base" '$1 == b && $2 == "rec" {print $3}' <<<"$out")
qj=$(awk -v b="$base" '$1 == b && $2 == "cjpeg" {print $3}' <<<"$out")
x=$work/$base
ppm=$x.ppm
[ -f "$ppm" ] || ppm=$x.pgm
count() {   # label, command...
  local label=$1; shift
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.$label" "$@" >/dev/null 2>"$work/log.$label"
  printf '%-22s %14s instructions\n' "$label" "$(sed -n 's/.*Collected : //p' "$work/log.$label")"
}
echo "# $base at ~$bpp bpp: recimg rec quality $q ${sampler:+sampler $sampler }/ cjpeg quality $qj"
count recimg-compress "$recimg" compress "$ppm" -o "$x.rec" --mode rec "${sargs[@]}" --quality "$q"
count recimg-decompress "$recimg" decompress "$x.rec" -o "$x.rec.ppm"
count cjpeg cjpeg -quality "$qj" -sample 2x2 -outfile "$x.jpg" "$ppm"
count djpeg djpeg -outfile "$x.jpg.ppm" "$x.jpg"
count recimg-startup "$recimg" --help
for label in recimg-compress recimg-decompress; do
  echo
  echo "# $label: top self costs"
  callgrind_annotate --inclusive=no "$work/cg.$label" 2>/dev/null |
    awk '/file:function/ {go = 1; getline; next} go && NF {print} ' | head -18 |
    sed -E 's#\[[^]]*/([^/]+)\]$#[\1]#'
done
