#!/usr/bin/env bash
# Round realism decoding under the deadzone (issue 4 fairness; docs/REC_CODEC.md "Realism
# decoding with the deadzone"); never part of ctest. For each target bpp, every image of the
# split is coded in round mode at round*'s setting (--matrix 1 --chroma-step 0.7, --bpp B)
# with the codec's default (flags2 0x800 | 0x4000) and with --deadzone 0 (plain rounding).
# The deadzone file is decoded as it is and with flags2 0x4000 cleared (the same payload, so
# the rate is matched exactly; 0x800 alone = session 7's zero-cell draw scale), each with
# --decode realism --realism 1; recimg compare gives PSNR-RGB, DCT-W1 and SWD (lower = closer
# to the original's statistics). Prints the means over the split's images.
# usage: bench/round_dz_draw.sh [RECIMG] [train|heldout|all] [BPP...]   (default
#        build/tools/recimg, train, 0.15 0.3 0.6 1.0 1.5)
set -euo pipefail
cd "$(dirname "$0")/.."
recimg=${1:-build/tools/recimg}
split=${2:-train}
shift 2 || shift $#
bpps=("$@")
[ "${#bpps[@]}" -gt 0 ] || bpps=(0.15 0.3 0.6 1.0 1.5)
case $split in
  train) imgs="astronaut coffee grass" ;;
  heldout) imgs="chelsea rocket hubble_deep_field brick gravel" ;;
  all) imgs="astronaut coffee chelsea rocket hubble_deep_field brick grass gravel" ;;
  *) echo "$0: unknown split '$split'" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
num() { sed -n "s/.*\"$1\": \\([-0-9.e+]*\\).*/\\1/p"; }
# flags2 0x4000 cleared and the CRC-32 recomputed (docs/FORMAT.md: flags2 at offset 56)
clear_dd() {
  python3 - "$1" "$2" <<'PY'
import sys, zlib
b = bytearray(open(sys.argv[1], 'rb').read())
assert b[8] == 2 and b[56] & 0x40, "not a version-2 file with flags2 0x4000"
b[56] &= ~0x40 & 0xFF
b[-4:] = (zlib.crc32(bytes(b[:-4])) & 0xFFFFFFFF).to_bytes(4, 'little')
open(sys.argv[2], 'wb').write(b)
PY
}
echo "# split: $split; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- codec rec || echo ' (+ uncommitted changes)'); $recimg"
printf "%-30s %6s %10s %10s %10s %10s\n" decode bpp mean_bpp psnr_rgb dct_w1 swd
for b in "${bpps[@]}"; do
  for cfg in "plain" "dz_0x800" "dz_0x800_0x4000"; do
    sb=0; sp=0; sw=0; ss=0; n=0
    for i in $imgs; do
      img=testimages/$i.png
      if [ "$cfg" = plain ]; then
        "$recimg" compress "$img" -o "$tmp/x.rec" --mode round --matrix 1 --chroma-step 0.7 --bpp "$b" \
          --deadzone 0 --stats > "$tmp/s.json"
      else
        "$recimg" compress "$img" -o "$tmp/x.rec" --mode round --matrix 1 --chroma-step 0.7 --bpp "$b" \
          --stats > "$tmp/s.json"
        [ "$cfg" = dz_0x800_0x4000 ] || { clear_dd "$tmp/x.rec" "$tmp/y.rec"; mv "$tmp/y.rec" "$tmp/x.rec"; }
      fi
      "$recimg" decompress "$tmp/x.rec" -o "$tmp/x.png" --decode realism --realism 1
      "$recimg" compare "$img" "$tmp/x.png" --json > "$tmp/c.json"
      sb=$(awk -v a="$sb" -v b="$(num bpp < "$tmp/s.json")" 'BEGIN{print a+b}')
      sp=$(awk -v a="$sp" -v b="$(num psnr_rgb < "$tmp/c.json")" 'BEGIN{print a+b}')
      sw=$(awk -v a="$sw" -v b="$(num dct_w1 < "$tmp/c.json")" 'BEGIN{print a+b}')
      ss=$(awk -v a="$ss" -v b="$(num swd < "$tmp/c.json")" 'BEGIN{print a+b}')
      n=$((n+1))
    done
    awk -v c="realism $cfg" -v b="$b" -v sb="$sb" -v sp="$sp" -v sw="$sw" -v ss="$ss" -v n="$n" \
      'BEGIN{ printf "%-30s %6s %10.4f %10.3f %10.4f %10.4f\n", c, b, sb/n, sp/n, sw/n, ss/n }'
  done
done
