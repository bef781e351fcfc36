#!/usr/bin/env bash
# The image-level prize of an ideal joint REC stage (docs/REC_CODEC.md "What any REC stage
# could gain (session 9)"): for the rounding anchor's files at the qualities of
# bench/rd_lever.sh's anchor (--jq 4,8,15,25,40,60), dump every coded coefficient's s / b
# (step over the Laplace scale of its coding prior) with a scratch build of
# bench/diagnostics/rdbound_hooks.patch, then let bench_rd_bound prize sum, over the
# coefficients, rounding's ideal rate under the prior and what R(D), the optimal ECSQ and the
# Gaussian channel at its information would spend at each coefficient's distortion.
# usage: bench/diagnostics/rdbound_prize.sh SCRATCH_RECIMG BENCH_RD_BOUND NAME train|heldout
#        [recimg compress options for the anchor, e.g. --matrix 1 --chroma-step 0.7]
#   SCRATCH_RECIMG: tools/recimg of a build with the hooks applied (round mode; its deadzone,
#   the default, must be on: the hook sits on the deadzone path). Writes
#   bench/results/rdbound_NAME.txt (the command and commit first). Never part of ctest.
#   RDBOUND_KEEP=DIR keeps the dumps in DIR (otherwise a temporary directory, removed).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 SCRATCH_RECIMG BENCH_RD_BOUND NAME train|heldout [compress options...]" >&2; exit 2; }
recimg=$(realpath "$1") rdb=$(realpath "$2") name=$3 split=$4
cd "$(dirname "$0")/../.."
shift 4
case $split in
  train) imgs="astronaut coffee grass" ;;
  heldout) imgs="chelsea rocket hubble_deep_field brick gravel" ;;
  *) echo "$0: unknown split '$split' (train or heldout)" >&2; exit 2 ;;
esac
qs="4 8 15 25 40 60"
out=bench/results/rdbound_$name.txt
if [ -n "${RDBOUND_KEEP:-}" ]; then
  tmp=$RDBOUND_KEEP
  mkdir -p "$tmp"
  rm -f "$tmp"/*_q*
  trap 'rm -f "$out.tmp"' EXIT
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"; rm -f "$out.tmp"' EXIT
fi
{
  echo "# split: $split; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- bench || echo ' (+ uncommitted changes)'); anchor: recimg compress --mode round --quality Q $* --threads 1"
  echo "# $0 $recimg $rdb $name $split $*"
  echo
  echo "| quality | images' payload+header bytes x 8 (actual bits) | ideal bits under the priors (below) | actual / ideal |"
  echo "|---|---|---|---|"
} > "$out.tmp"
declare -A bits
for q in $qs; do
  bits[$q]=0
  for i in $imgs; do
    RDBOUND_DUMP="$tmp/${i}_q$q" "$recimg" compress "testimages/$i.png" -o "$tmp/x.rec" --mode round --quality "$q" \
      "$@" --threads 1
    b=$(stat -c %s "$tmp/x.rec")
    bits[$q]=$(( ${bits[$q]} + 8 * b ))
    cat "$tmp/${i}_q$q" >> "$tmp/${split}_q$q"
  done
done
(cd "$tmp" && "$rdb" prize $(for q in $qs; do echo "${split}_q$q"; done) \
   $(for q in $qs; do for i in $imgs; do echo "${i}_q$q"; done; done)) > "$tmp/prize.txt"
for q in $qs; do
  ideal=$(grep -m1 "^| ${split}_q$q |" "$tmp/prize.txt" | awk -F'|' '{gsub(/ /,"",$5); print $5}')
  echo "| $q | ${bits[$q]} | $ideal | $(awk -v a="${bits[$q]}" -v b="$ideal" 'BEGIN{printf "%.3f", a/b}') |" >> "$out.tmp"
done
{ echo; cat "$tmp/prize.txt"; } >> "$out.tmp"
mv "$out.tmp" "$out"
grep "^| ${split}_q[0-9]* | [0-9]" "$out" | sed "s|^|$name: |"
