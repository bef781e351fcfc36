#!/usr/bin/env bash
# The README's main job: installs what is missing, builds, then compresses a
# bundled photograph and decompresses it again, printing bpp and PSNR.
# Optional arguments go to `recimg compress` (e.g. --quality 30, --bpp 0.5).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
img=testimages/astronaut.png
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== recimg compress $img -o demo.rec $*"
./build/tools/recimg compress "$img" -o "$out/demo.rec" --stats "$@"
echo "== recimg info demo.rec"
./build/tools/recimg info "$out/demo.rec"
echo "== recimg decompress demo.rec -o demo.png"
./build/tools/recimg decompress "$out/demo.rec" -o "$out/demo.png" --stats
echo "== recimg compare $img demo.png"
./build/tools/recimg compare "$img" "$out/demo.png"
