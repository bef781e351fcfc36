#!/usr/bin/env bash
# bench/rec_round_speed.sh: encode and decode time per megapixel of REC next to the rounding
# baseline at matched rate (issue 4, "Encode and decode time per megapixel next to the
# rounding baseline"); never part of ctest.
#
#   bench/rec_round_speed.sh BUILD_DIR NAME [BPP_LIST] [REPS] [IMAGE...]
#
# For each BPP in BPP_LIST (default "0.5 1.5") runs, in one process per rate,
#   BUILD_DIR/bench/bench_speed_process --recimg BUILD_DIR/tools/recimg --modes rec,round
#       --threads 1 --reps REPS --bpp BPP IMAGE...        (default REPS 9, IMAGEs testimages/*.png)
# i.e. `recimg compress X.ppm --mode rec|round --quality Q` (each mode's default settings, Q
# found by `--bpp BPP`) and `recimg decompress` (mmse), whole processes with PPM in and out,
# the median CPU (user + system) and wall time of REPS runs each, cjpeg/djpeg in the same run.
# Writes bench/results/NAME.txt (commit and commands first, then bench_speed_process's
# output) and prints, per rate, ms per megapixel of the totals and the ratios REC / round of
# the totals from the same run (CPU and wall).
# With CALLGRIND=IMAGE_NAME (e.g. CALLGRIND=astronaut.png) it also counts instructions, which
# do not depend on the load: valgrind --tool=callgrind on the same whole processes
# (`recimg compress X.ppm ... --quality Q --threads 1` at the quality bench_speed_process
# printed for that image, rounded to 2 decimals, and `recimg decompress`), per mode and rate.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR NAME [BPP_LIST] [REPS] [IMAGE...]" >&2; exit 2; }
build=$1 name=$2
bpps=${3:-0.5 1.5}
reps=${4:-9}
shift $(( $# >= 4 ? 4 : $# ))
imgs=("$@")
[ ${#imgs[@]} -gt 0 ] || imgs=(testimages/*.png)
prog=$build/bench/bench_speed_process
[ -x "$prog" ] || { echo "$0: $prog not built" >&2; exit 1; }
mkdir -p bench/results
out=bench/results/$name.txt
work=$(mktemp -d /tmp/rec_round_speed.XXXXXX)
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -rf "$work" "$tmp"' EXIT
{
  echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- codec rec bench tools || echo ' (+ uncommitted changes)'); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
  for b in $bpps; do
    cmd=("$prog" --recimg "$build/tools/recimg" --modes rec,round --threads 1 --reps "$reps" --bpp "$b"
         --dir "$work" "${imgs[@]}")
    echo "# ${cmd[*]}"
    "${cmd[@]}" | tee "$work/rows.txt"
    if [ -n "${CALLGRIND:-}" ]; then
      ppm=$work/$CALLGRIND.ppm
      for m in rec round; do
        q=$(awk -v i="$CALLGRIND" -v m=$m '$1 == i && $2 == m { print $3 }' "$work/rows.txt")
        [ -n "$q" ] || { echo "$0: no $m row for $CALLGRIND" >&2; exit 1; }
        ce=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/tools/recimg" compress "$ppm" \
               -o "$work/cg.rec" --mode $m --quality "$q" --threads 1 2>&1 | sed -n 's/.*Collected : //p')
        cb=$(stat -c %s "$work/cg.rec")
        cd_=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/tools/recimg" decompress "$work/cg.rec" \
               -o "$work/cg.out.ppm" --threads 1 2>&1 | sed -n 's/.*Collected : //p')
        echo "# callgrind $CALLGRIND $m quality $q: $cb bytes; instructions compress $ce, decompress $cd_"
      done
    fi
    echo
  done
} > "$tmp"
mv "$tmp" "$out"
# Totals lines: "codec bpp encMPs_cpu encMPs_wall decMPs_cpu decMPs_wall ..." after "# totals".
summary=$(awk -v name="$name" '
  /^# bench_speed_process/ { for (i = 1; i <= NF; i++) if ($i == "bpp,") t = $(i - 1) }
  /^# totals/ { intot = 1; next }
  intot && $1 == "rec"   { for (k = 3; k <= 6; k++) rec[k] = $k; rbpp = $2 }
  intot && $1 == "round" { for (k = 3; k <= 6; k++) rnd[k] = $k; obpp = $2
    printf "%s: target %s bpp (rec %.3f, round %.3f): ms/MP encode cpu rec %.1f round %.1f (rec/round %.2fx), " \
           "decode cpu rec %.1f round %.1f (%.2fx); wall: encode %.2fx, decode %.2fx\n", name, t, rbpp, obpp,
           1e3 / rec[3], 1e3 / rnd[3], rnd[3] / rec[3], 1e3 / rec[5], 1e3 / rnd[5], rnd[5] / rec[5],
           rnd[4] / rec[4], rnd[6] / rec[6]
    intot = 0 }
  /^# callgrind / { m = $4; e[m] = $(NF - 2); sub(",", "", e[m]); d[m] = $NF; img = $3; q[m] = $6; sub(":", "", q[m])
    if (m == "round")
      printf "%s: target %s bpp, callgrind %s (rec q%s, round q%s): instructions encode rec %.1f M round %.1f M (%.2fx), " \
             "decode rec %.1f M round %.1f M (%.2fx)\n", name, t, img, q["rec"], q["round"], e["rec"] / 1e6, e["round"] / 1e6,
             e["rec"] / e["round"], d["rec"] / 1e6, d["round"] / 1e6, d["rec"] / d["round"] }' "$out")
echo "$summary" >> "$out"
echo "$summary"
