#!/usr/bin/env bash
# What the round mode's Golomb code loses against the ideal code length under its own prior
# (docs/FORMAT.md "Payload of the round mode": the low r bits of |s| - 1 go raw). Needs the
# scratch build of round_golomb_hooks.patch (README.md "Round mode's raw low bits"); never
# part of ctest. Measures the files of round* (matrix 1, chroma step 0.7) at the BD-rate
# qualities, one encode per image and quality with --threads 1:
#
#   bench/diagnostics/round_golomb.sh SCRATCH_BUILD_DIR train|heldout|all [QUALITIES]
#
# Prints, per quality and in total: the file bits, the payload bits, the ideal code length
# (sum of -log2 of each value's bin mass under the prior the coder used), what the code's
# model spends (-log2 of the 16-bit probabilities given to the range coder, raw bits at one
# bit each) in all and per part (zero flag, unary high part with the escape, raw low bits),
# and the losses model - ideal as a % of the payload.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 SCRATCH_BUILD_DIR train|heldout|all [QUALITIES]" >&2; exit 2; }
build=$1 split=$2
quals=${3:-4 8 15 25 40 60}
case $split in
  train) imgs="astronaut coffee grass" ;;
  heldout) imgs="chelsea rocket hubble_deep_field brick gravel" ;;
  all) imgs="astronaut coffee chelsea rocket hubble_deep_field brick grass gravel" ;;
  *) echo "$0: unknown split '$split'" >&2; exit 2 ;;
esac
work=$(mktemp -d /tmp/round_golomb.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "# split $split; scratch build $build at commit $(git -C "$build" rev-parse --short HEAD 2>/dev/null || echo '?') + round_golomb_hooks.patch$(git -C "$build" diff --quiet HEAD -- :/codec/codec_round.c 2>/dev/null && echo ' (NOT applied?)')"
echo "# per image and quality: ROUND_GOLOMB=1 $build/tools/recimg compress IMG -o X.rec --mode round --matrix 1 --chroma-step 0.7 --quality Q --threads 1 --stats"
for q in $quals; do
  for i in $imgs; do
    ROUND_GOLOMB=1 "$build/tools/recimg" compress "testimages/$i.png" -o "$work/x.rec" --mode round \
      --matrix 1 --chroma-step 0.7 --quality "$q" --threads 1 --stats > "$work/s.json" 2> "$work/g.txt"
    grep -q '^ROUND_GOLOMB ' "$work/g.txt" || { echo "$0: no ROUND_GOLOMB line: is $build the scratch build?" >&2; exit 1; }
    printf '%s %s %s %s\n' "$q" "$i" "$(tr -d '\n' < "$work/s.json")" "$(sed -n 's/^ROUND_GOLOMB //p' "$work/g.txt")"
  done
done > "$work/rows.txt"
python3 - "$work/rows.txt" <<'EOF'
import json, sys
rows = []
for line in open(sys.argv[1]):
    q, img, rest = line.split(' ', 2)
    dec = json.JSONDecoder()
    st, k = dec.raw_decode(rest)
    g, _ = dec.raw_decode(rest[k:].lstrip())
    rows.append((float(q), img, st, g))
keys = ['ideal_zero_flag', 'model_zero_flag', 'sign', 'ideal_high', 'model_high', 'ideal_low', 'model_low',
        'values', 'nonzero', 'with_low_bits', 'escapes']
def summ(sel):
    t = {k: sum(g[k] for _, _, _, g in sel) for k in keys}
    t['file'] = sum(8 * st['bytes'] for _, _, st, _ in sel)
    t['payload'] = sum(st['payload_bits'] for _, _, st, _ in sel)
    t['pixels'] = sum(st['width'] * st['height'] for _, _, st, _ in sel)
    t['ideal'] = t['ideal_zero_flag'] + t['sign'] + t['ideal_high'] + t['ideal_low']
    t['model'] = t['model_zero_flag'] + t['sign'] + t['model_high'] + t['model_low']
    return t
print('%-7s %6s %10s %10s %10s %10s | %7s %7s %7s %7s | %7s %7s | %8s %8s' % (
    'quality', 'bpp', 'file', 'payload', 'ideal', 'model', 'zf%', 'high%', 'low%', 'all%',
    'act-id%', 'act-mo%', 'lowbit/c', 'c_low%'))
def line(label, t):
    P = t['payload'] / 100.0
    print('%-7s %6.3f %10.0f %10.0f %10.1f %10.1f | %+7.3f %+7.3f %+7.3f %+7.3f | %+7.3f %+7.3f | %8.4f %8.1f' % (
        label, t['file'] / t['pixels'], t['file'], t['payload'], t['ideal'], t['model'],
        (t['model_zero_flag'] - t['ideal_zero_flag']) / P, (t['model_high'] - t['ideal_high']) / P,
        (t['model_low'] - t['ideal_low']) / P, (t['model'] - t['ideal']) / P,
        (t['payload'] - t['ideal']) / P, (t['payload'] - t['model']) / P,
        (t['model_low'] - t['ideal_low']) / max(t['with_low_bits'], 1), 100.0 * t['with_low_bits'] / max(t['nonzero'], 1)))
for q in sorted(set(r[0] for r in rows)):
    line('%g' % q, summ([r for r in rows if r[0] == q]))
# the mean over images of each image's bpp change (what bench_round's mean_bpp would lose)
dl, da = {}, {}
for q in sorted(set(r[0] for r in rows)):
    sel = [r for r in rows if r[0] == q]
    dl[q] = sum((g['model_low'] - g['ideal_low']) / (st['width'] * st['height']) for _, _, st, g in sel) / len(sel)
    da[q] = sum((g['model_zero_flag'] + g['model_high'] + g['model_low'] - g['ideal_zero_flag'] - g['ideal_high']
                 - g['ideal_low']) / (st['width'] * st['height']) for _, _, st, g in sel) / len(sel)
tot = summ(rows)
line('all', tot)
print('# zf/high/low/all%: model - ideal of that part, % of the payload bits; act-id% / act-mo%: payload - ideal /')
print('#   payload - model (the range coder, its termination and the reconstruction table), % of the payload;')
print('#   lowbit/c: low-bit loss in bits per value that has low bits (r > 0); c_low%: those values, % of the nonzero.')
for q in sorted(dl):
    print('# mean_bpp_saving quality %g low %.6f all %.6f' % (q, dl[q], da[q]))
print('#   (mean over the images of the bpp an exact code of the low bits / of every part would save;')
print('#    bench/diagnostics/bd_shift.py applies it to the round curve of a bench_round output)')
print('# per image, all qualities: low% (model - ideal of the raw low bits, % of that image\'s payload)')
for img in sorted(set(r[1] for r in rows)):
    t = summ([r for r in rows if r[1] == img])
    print('#   %-20s low %+7.3f%%  all %+7.3f%%' % (img, (t['model_low'] - t['ideal_low']) / t['payload'] * 100,
                                                  (t['model'] - t['ideal']) / t['payload'] * 100))
EOF
