#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, then compresses a
# bundled photograph and decompresses it again, printing bpp and PSNR.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
img=testimages/kodim23.png
[ -f "$img" ] || img=$(ls testimages/*.png | head -n 1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./build/tools/recimg compress "$img" -o "$out/demo.rec" --stats
./build/tools/recimg decompress "$out/demo.rec" -o "$out/demo.png"
./build/tools/recimg compare "$img" "$out/demo.png"
