#!/usr/bin/env bash
# The deadzone uq's private draws in its cells (flags2 0x1000, docs/REC_CODEC.md "Deadzone
# uq") at matched rate (never part of ctest): for every image and rate, one REC file made
# with `recimg compress --mode rec --bpp B` without and one with `--dz-draw 1` (the script
# checks that the two carry the same payload: only flags2 and the CRC may differ), each
# decoded with --decode realism --realism A for every A, then `recimg compare`: mean
# PSNR-RGB, DCT-W1 and SWD over the images (realism measures: lower is closer to the
# original's statistics). The same rec files as bench/rec_figures.sh's "rec" rows.
# usage: bench/dz_draw_figures.sh [RECIMG] [IMAGE...]   (default build/tools/recimg, testimages/*.png)
# environment: RATES="0.15 0.5 1" (bpp), AS="1" (realism knobs; 0 = MMSE)
set -euo pipefail
cd "$(dirname "$0")/.."
recimg=${1:-build/tools/recimg}
shift || true
images=("$@")
[ "${#images[@]}" -gt 0 ] || images=(testimages/*.png)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
num() { sed -n "s/.*\"$1\": \\([-0-9.e+]*\\).*/\\1/p"; }

echo "== realism decoding at matched bpp, without / with flags2 0x1000, mean over ${#images[@]} images"
printf "%6s %5s %5s %10s %10s %10s %10s\n" bpp draw A mean_bpp psnr_rgb dct_w1 swd
for b in ${RATES:-0.15 0.5 1}; do
  i=0
  for img in "${images[@]}"; do
    for d in 0 1; do
      "$recimg" compress "$img" -o "$tmp/$i.$d.rec" --mode rec --bpp "$b" --dz-draw "$d" --stats > "$tmp/$i.$d.json"
    done
    # the same payload: bytes 0..55 and 57..end-4 equal (56: flags2's low byte; the CRC)
    s0=$(stat -c %s "$tmp/$i.0.rec"); s1=$(stat -c %s "$tmp/$i.1.rec")
    if [ "$s0" != "$s1" ] || ! cmp -s -n 56 "$tmp/$i.0.rec" "$tmp/$i.1.rec" ||
       ! cmp -s -i 57 -n $((s0 - 61)) "$tmp/$i.0.rec" "$tmp/$i.1.rec"; then
      echo "$0: $img at $b bpp: the files with and without --dz-draw differ in more than flags2" >&2
      exit 1
    fi
    i=$((i + 1))
  done
  for d in 0 1; do
    for A in ${AS:-1}; do
      sb=0; sp=0; sw=0; ss=0; n=0
      for ((j = 0; j < i; j++)); do
        img=${images[$j]}
        "$recimg" decompress "$tmp/$j.$d.rec" -o "$tmp/x.png" --decode realism --realism "$A"
        "$recimg" compare "$img" "$tmp/x.png" --json > "$tmp/c.json"
        sb=$(awk -v a="$sb" -v b="$(num bpp < "$tmp/$j.$d.json")" 'BEGIN{print a+b}')
        sp=$(awk -v a="$sp" -v b="$(num psnr_rgb < "$tmp/c.json")" 'BEGIN{print a+b}')
        sw=$(awk -v a="$sw" -v b="$(num dct_w1 < "$tmp/c.json")" 'BEGIN{print a+b}')
        ss=$(awk -v a="$ss" -v b="$(num swd < "$tmp/c.json")" 'BEGIN{print a+b}')
        n=$((n + 1))
      done
      awk -v b="$b" -v d="$d" -v A="$A" -v sb="$sb" -v sp="$sp" -v sw="$sw" -v ss="$ss" -v n="$n" \
        'BEGIN{ printf "%6s %5s %5s %10.4f %10.3f %10.4f %10.4f\n", b, d, A, sb/n, sp/n, sw/n, ss/n }'
    done
  done
done
