#!/usr/bin/env bash
# Issue 4 figures through the recimg command (never part of ctest):
#  1. REC overhead = payload_bits / kl_bits - 1 per sampler at 0.25, 0.5, 1 and 2 bpp
#     (recimg compress --bpp B --stats; mean over the images);
#  2. at matched bpp (0.15, 0.5 and 1): PSNR-RGB and the realism measures DCT-W1 and SWD
#     (recimg compare; lower = closer to the original's statistics) for REC decoded mmse and realism
#     (A = 1) and for the rounding baseline decoded mmse and realism (A = 1).
# usage: bench/rec_figures.sh [RECIMG] [IMAGE...]   (default: build/tools/recimg, testimages/*.png)
# environment: SAMPLERS="uq lrq gprs-bnb" (the samplers of part 1; any of uq lrq gprs-bnb gprs pfr
# block; SAMPLERS="" skips part 1), MATCHED=0 skips part 2. For block, part 1 also gives the
# mean block_retained (the retained fraction of the grouped coefficients' targets, 1 = unbiased).
set -euo pipefail
cd "$(dirname "$0")/.."
recimg=${1:-build/tools/recimg}
shift || true
images=("$@")
[ "${#images[@]}" -gt 0 ] || images=(testimages/*.png)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
num() { sed -n "s/.*\"$1\": \\([-0-9.e+]*\\).*/\\1/p"; }

samplers=(${SAMPLERS-uq lrq gprs-bnb})
if [ "${#samplers[@]}" -gt 0 ]; then
  echo "== REC overhead (payload_bits / kl_bits - 1), mean over ${#images[@]} images"
  printf "%-8s %6s %10s %10s %10s %10s\n" sampler bpp mean_bpp overhead coded_frac retained
fi
for s in ${samplers[@]+"${samplers[@]}"}; do
  for b in 0.25 0.5 1 2; do
    sb=0; so=0; sc=0; sr=0; n=0
    for img in "${images[@]}"; do
      "$recimg" compress "$img" -o "$tmp/x.rec" --mode rec --sampler "$s" --bpp "$b" --stats > "$tmp/s.json" || continue
      bpp=$(num bpp < "$tmp/s.json"); ov=$(num overhead < "$tmp/s.json")
      co=$(num coded < "$tmp/s.json"); sk=$(num skipped < "$tmp/s.json")
      re=$(num block_retained < "$tmp/s.json"); re=${re:-0}
      sb=$(awk -v a="$sb" -v b="$bpp" 'BEGIN{print a+b}'); so=$(awk -v a="$so" -v b="$ov" 'BEGIN{print a+b}')
      sc=$(awk -v a="$sc" -v c="$co" -v k="$sk" 'BEGIN{print a+c/(c+k)}'); n=$((n+1))
      sr=$(awk -v a="$sr" -v b="$re" 'BEGIN{print a+b}')
    done
    awk -v s="$s" -v b="$b" -v sb="$sb" -v so="$so" -v sc="$sc" -v sr="$sr" -v n="$n" \
      'BEGIN{ if (n) printf "%-8s %6s %10.4f %10.4f %10.4f %10s\n", s, b, sb/n, so/n, sc/n,
                     s == "block" ? sprintf("%.4f", sr/n) : "-" }'
  done
done
[ "${MATCHED:-1}" != 0 ] || exit 0

echo
echo "== matched bpp: PSNR-RGB, DCT-W1 and SWD (realism; lower is better), mean over ${#images[@]} images"
printf "%-14s %6s %10s %10s %10s %10s\n" codec bpp mean_bpp psnr_rgb dct_w1 swd
for b in 0.15 0.5 1; do
  for cfg in "round mmse" "round realism" "rec mmse" "rec realism"; do
    set -- $cfg
    sb=0; sp=0; sw=0; ss=0; n=0
    for img in "${images[@]}"; do
      "$recimg" compress "$img" -o "$tmp/x.rec" --mode "$1" --bpp "$b" --stats > "$tmp/s.json" || continue
      "$recimg" decompress "$tmp/x.rec" -o "$tmp/x.png" --decode "$2" --realism 1
      "$recimg" compare "$img" "$tmp/x.png" --json > "$tmp/c.json"
      sb=$(awk -v a="$sb" -v b="$(num bpp < "$tmp/s.json")" 'BEGIN{print a+b}')
      sp=$(awk -v a="$sp" -v b="$(num psnr_rgb < "$tmp/c.json")" 'BEGIN{print a+b}')
      sw=$(awk -v a="$sw" -v b="$(num dct_w1 < "$tmp/c.json")" 'BEGIN{print a+b}')
      ss=$(awk -v a="$ss" -v b="$(num swd < "$tmp/c.json")" 'BEGIN{print a+b}')
      n=$((n+1))
    done
    awk -v c="$1 $2" -v b="$b" -v sb="$sb" -v sp="$sp" -v sw="$sw" -v ss="$ss" -v n="$n" \
      'BEGIN{ if (n) printf "%-14s %6s %10.4f %10.3f %10.4f %10.4f\n", c, b, sb/n, sp/n, sw/n, ss/n }'
  done
done
