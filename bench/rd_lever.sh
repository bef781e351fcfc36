#!/usr/bin/env bash
# One BD-rate run of the REC rate-distortion levers (issue 4, docs/REC_CODEC.md
# "Session 4 levers"); never part of ctest. Writes bench/results/rdlever/NAME.txt with
# the exact command and commit on its first lines, then the bench_round output.
# usage: bench/rd_lever.sh BUILD_DIR NAME SPLIT [bench_round options...]
#   SPLIT: train (astronaut coffee grass), heldout (chelsea rocket hubble_deep_field
#   brick gravel) or all (the 8). Options default to the REC-vs-round BD-rate run:
#   --reps 1 --mode rec --sampler uq --anchor round --q 8,15,25,40,60,80 --jq 4,8,15,25,40,60,
#   then the given options (later options override earlier ones in bench_round). The round
#   anchor codes with the codec's round defaults: context model v5 (prior id 5) since session 6
#   (`--anchor-round-prior 1` gives the v1 anchor of the earlier figures), its deadzone since
#   session 8, the flat matrix 0 with chroma step 0.6 and its step x 25/16 since session 9
#   (`--anchor-matrix 1 --anchor-chroma-step 0.7` gives round* of sessions 4-8, whose --jq
#   qualities were the same).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: $0 BUILD_DIR NAME train|heldout|all [bench_round options...]" >&2; exit 2; }
build=$1 name=$2 split=$3
shift 3
case $split in
  train) imgs="astronaut coffee grass" ;;
  heldout) imgs="chelsea rocket hubble_deep_field brick gravel" ;;
  all) imgs="astronaut coffee chelsea rocket hubble_deep_field brick grass gravel" ;;
  *) echo "$0: unknown split '$split' (train, heldout or all)" >&2; exit 2 ;;
esac
files=()
for i in $imgs; do files+=("testimages/$i.png"); done
mkdir -p bench/results/rdlever
out=bench/results/rdlever/$name.txt
cmd=("$build/tools/bench_round" --reps 1 --mode rec --sampler uq --anchor round
     --q 8,15,25,40,60,80 --jq 4,8,15,25,40,60 "$@" "${files[@]}")
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
  echo "# split: $split; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- codec rec bench || echo ' (+ uncommitted changes)')"
  echo "# ${cmd[*]}"
  "${cmd[@]}"
} > "$tmp"
mv "$tmp" "$out"
trap - EXIT
grep -E "BD-rate of|mean per-image" "$out" | sed "s|^|$name: |"
