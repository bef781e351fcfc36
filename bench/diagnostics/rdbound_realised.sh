#!/usr/bin/env bash
# The caveat "the Laplace prior taken as the truth" of bench/diagnostics/rdbound_prize.sh,
# measured: the same anchor files with every coded coefficient's actual value also dumped
# (RDBOUND_DUMP_Y, bench/diagnostics/rdbound_hooks.patch), then `bench_rd_bound realised`:
# rounding's cost under the prior (an exact Laplace coder) and squared error for the actual
# values, against the Gaussian channel matched to rounding's expected distortion, at its
# realised KL (what "--rate kl" charges). One row group per quality, the split's images
# together (docs/REC_CODEC.md "What any REC stage could gain (session 9)").
# usage: bench/diagnostics/rdbound_realised.sh SCRATCH_RECIMG BENCH_RD_BOUND NAME train|heldout
#        [recimg compress options for the anchor]
#   Writes bench/results/rdbound_realised_NAME.txt. Never part of ctest.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 SCRATCH_RECIMG BENCH_RD_BOUND NAME train|heldout [compress options...]" >&2; exit 2; }
recimg=$(realpath "$1") rdb=$(realpath "$2") name=$3 split=$4
shift 4
cd "$(dirname "$0")/../.."
case $split in
  train) imgs="astronaut coffee grass" ;;
  heldout) imgs="chelsea rocket hubble_deep_field brick gravel" ;;
  *) echo "$0: unknown split '$split' (train or heldout)" >&2; exit 2 ;;
esac
qs="4 8 15 25 40 60"
tmp=$(mktemp -d)
out=bench/results/rdbound_realised_$name.txt
trap 'rm -rf "$tmp"; rm -f "$out.tmp"' EXIT
{
  echo "# split: $split; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- bench || echo ' (+ uncommitted changes)'); anchor: recimg compress --mode round --quality Q $* --threads 1"
  echo "# $0 $recimg $rdb $name $split $*"
  echo
  echo "| quality | actual file bits (payload + header) |"
  echo "|---|---|"
} > "$out.tmp"
pairs=()
for q in $qs; do
  bits=0
  for i in $imgs; do
    RDBOUND_DUMP="$tmp/${split}_q$q" RDBOUND_DUMP_Y="$tmp/${split}_q$q.y" "$recimg" compress "testimages/$i.png" \
      -o "$tmp/x.rec" --mode round --quality "$q" "$@" --threads 1
    bits=$(( bits + 8 * $(stat -c %s "$tmp/x.rec") ))
  done
  echo "| $q | $bits |" >> "$out.tmp"
  pairs+=("${split}_q$q" "${split}_q$q.y")
done
echo >> "$out.tmp"
(cd "$tmp" && "$rdb" realised "${pairs[@]}") >> "$out.tmp"
mv "$out.tmp" "$out"
grep "| all |" "$out" | sed "s|^|$name: |"
