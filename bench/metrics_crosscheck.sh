#!/usr/bin/env bash
# bench/metrics_crosscheck.sh BUILD_DIR: checks tools/metrics.c against independent
# implementations (scikit-image's SSIM/PSNR and a numpy port of msssim.m) on testimages/
# degraded by JPEG (netpbm's pnmtojpeg, quality 30; brick at 20). Prints both sets of
# numbers side by side. Needs root for apt (python3-numpy, python3-scipy,
# python3-packaging, netpbm); scikit-image is unpacked from Debian's .debs into a
# temporary directory, not installed. Not part of ctest.
set -euo pipefail
build=${1:?usage: metrics_crosscheck.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-scipy \
    python3-packaging netpbm >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download python3-skimage python3-skimage-lib >/dev/null 2>&1 &&
    for d in ./*.deb; do dpkg -x "$d" x; done)
export PYTHONPATH="$tmp/x/usr/lib/python3/dist-packages"
for f in astronaut chelsea rocket brick; do
    q=30; ext=ppm
    [ "$f" = brick ] && { q=20; ext=pgm; }
    pngtopnm "$root/testimages/$f.png" > "$tmp/$f.$ext" 2>/dev/null
    pnmtojpeg --quality=$q "$tmp/$f.$ext" 2>/dev/null | jpegtopnm > "$tmp/$f.q.$ext" 2>/dev/null
    echo "== $f (JPEG quality $q)"
    echo -n "reference: "
    /usr/bin/python3 "$root/bench/metrics_crosscheck.py" "$tmp/$f.$ext" "$tmp/$f.q.$ext"
    echo -n "recimg:    "
    "$build/tools/recimg" compare "$tmp/$f.$ext" "$tmp/$f.q.$ext" --json |
        awk -F'[:,]' '/"psnr_rgb"|"psnr_y"|"ssim"|"ms_ssim"/ {gsub(/[" ]/,"",$1); printf "%s %s ", $1, $2} END {print ""}'
done
