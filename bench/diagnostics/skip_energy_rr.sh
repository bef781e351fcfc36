#!/usr/bin/env bash
# Mean of rec realism (A = 1) at one matched rate: bash skip_energy_rr.sh RECIMG BPP IMAGE...
# (bench/diagnostics/README.md, "Skip-energy table"; never part of ctest)
recimg=$1; b=$2; shift 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
num() { sed -n "s/.*\"$1\": \\([-0-9.e+]*\\).*/\\1/p"; }
for img in "$@"; do
  "$recimg" compress "$img" -o "$tmp/x.rec" --mode rec --bpp "$b" --stats > "$tmp/s.json"
  "$recimg" decompress "$tmp/x.rec" -o "$tmp/x.png" --decode realism --realism 1
  "$recimg" compare "$img" "$tmp/x.png" --json > "$tmp/c.json"
  echo "$(basename $img .png) $(num bpp < $tmp/s.json) $(num psnr_rgb < $tmp/c.json) $(num dct_w1 < $tmp/c.json) $(num swd < $tmp/c.json)"
done | awk -v b=$b '{print; n++; s1+=$2; s2+=$3; s3+=$4; s4+=$5} END {printf "MEAN %s bpp=%.4f psnr=%.3f w1=%.4f swd=%.4f\n", b, s1/n, s2/n, s3/n, s4/n}'
