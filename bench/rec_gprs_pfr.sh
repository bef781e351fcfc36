#!/usr/bin/env bash
# The "gprs and pfr" figures of docs/REC_CODEC.md (issue 4; never part of ctest):
#  1. encode time and bpp at quality 50, one thread:
#     recimg compress IMG -o X.rec --mode rec --sampler S --quality 50 --threads 1 --stats
#  2. matched bpp (rate control), MMSE decoding: recimg compress IMG -o X.rec --mode rec
#     --sampler S --bpp B --threads 1 --stats; recimg decompress X.rec -o X.png;
#     recimg compare IMG X.png -> bpp, PSNR-RGB, overhead = payload_bits / kl_bits - 1,
#     encode_ms of the final rate-control pass.
# usage: bench/rec_gprs_pfr.sh [RECIMG] [IMAGE...]  (default: build/tools/recimg,
# testimages/coffee.png testimages/astronaut.png); SAMPLERS (default "gprs-bnb gprs pfr"),
# RATES (default "0.5 1"). Wall times are one run each: on a shared machine compare them
# only within one run. An encode that fails (e.g. the sampler's step cap) prints FAILED and
# its message.
set -euo pipefail
cd "$(dirname "$0")/.."
recimg=${1:-build/tools/recimg}
shift || true
images=("$@")
[ "${#images[@]}" -gt 0 ] || images=(testimages/coffee.png testimages/astronaut.png)
samplers=(${SAMPLERS-gprs-bnb gprs pfr})
rates=(${RATES-0.5 1})
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
num() { sed -n "s/.*\"$1\": \\([-0-9.e+]*\\).*/\\1/p"; }

echo "== quality 50, one thread: encode_ms, bpp"
printf "%-22s %-9s %10s %8s\n" image sampler encode_ms bpp
for img in "${images[@]}"; do
  for s in "${samplers[@]}"; do
    if ! "$recimg" compress "$img" -o "$tmp/x.rec" --mode rec --sampler "$s" --quality 50 --threads 1 --stats > "$tmp/s.json" 2> "$tmp/err"; then
      printf "%-22s %-9s FAILED: %s\n" "$(basename "$img")" "$s" "$(cat "$tmp/err")"
      continue
    fi
    printf "%-22s %-9s %10s %8.3f\n" "$(basename "$img")" "$s" "$(num encode_ms < "$tmp/s.json")" "$(num bpp < "$tmp/s.json")"
  done
done

echo
echo "== matched bpp, MMSE decoding: bpp, PSNR-RGB, overhead, encode_ms (final pass)"
printf "%-22s %5s %-9s %8s %9s %9s %10s\n" image target sampler bpp psnr_rgb overhead encode_ms
for img in "${images[@]}"; do
  for b in "${rates[@]}"; do
    for s in "${samplers[@]}"; do
      if ! "$recimg" compress "$img" -o "$tmp/x.rec" --mode rec --sampler "$s" --bpp "$b" --threads 1 --stats > "$tmp/s.json" 2> "$tmp/err"; then
        printf "%-22s %5s %-9s FAILED: %s\n" "$(basename "$img")" "$b" "$s" "$(cat "$tmp/err")"
        continue
      fi
      "$recimg" decompress "$tmp/x.rec" -o "$tmp/x.png"
      "$recimg" compare "$img" "$tmp/x.png" --json > "$tmp/c.json"
      printf "%-22s %5s %-9s %8.3f %9.2f %9.3f %10s\n" "$(basename "$img")" "$b" "$s" \
        "$(num bpp < "$tmp/s.json")" "$(num psnr_rgb < "$tmp/c.json")" \
        "$(num overhead < "$tmp/s.json")" "$(num encode_ms < "$tmp/s.json")"
    done
  done
done
