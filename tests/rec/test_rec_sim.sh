#!/bin/sh
# `recimg sim`: usage errors exit 1 with the --help hint, a run prints the documented JSON fields
# with a bit-exact round trip, and --sweep writes the CSV and the plots
# without leaving temporary files.  Usage: test_rec_sim.sh PATH_TO_RECIMG
set -u
recimg=$1
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_exit() { # expected-status description command...
    want=$1; shift; what=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got (want $want)"; cat "$tmp/err"; fail=1
    fi
}

expect_usage() { # description command...: exit 1 (every error) ending with the hint
    what=$1
    expect_exit 1 "$@"
    tail -n 1 "$tmp/err" | grep -q "^Try 'recimg sim --help'\.\$" ||
        { echo "FAIL: $what: no --help hint"; cat "$tmp/err"; fail=1; }
}

expect_exit 0 "help" "$recimg" sim --help
expect_usage "no arguments" "$recimg" sim
expect_usage "unknown sampler" "$recimg" sim --sampler nope --info-bits 1
expect_usage "bad info bits" "$recimg" sim --sampler lrq --info-bits -1
expect_usage "non-numeric info bits" "$recimg" sim --sampler lrq --info-bits 1x
expect_usage "zero trials" "$recimg" sim --sampler lrq --info-bits 1 --trials 0
expect_usage "missing value" "$recimg" sim --sampler
expect_usage "hex trials" "$recimg" sim --sampler lrq --info-bits 1 --trials 0x10
expect_usage "blank before info bits" "$recimg" sim --sampler lrq --info-bits " 1"
expect_usage "signed seed" "$recimg" sim --sampler lrq --info-bits 1 --seed +3
expect_usage "nan info bits" "$recimg" sim --sampler lrq --info-bits nan
expect_usage "sweep without -o" "$recimg" sim --sweep

for s in pfr gprs gprs-bnb uq lrq block; do
    expect_exit 0 "$s run" "$recimg" sim --sampler "$s" --info-bits 2 --trials 300 --json
    for field in '"sampler": "'$s'"' '"roundtrip_ok": true' '"mean_code_bits": ' '"dcs_bits": ' \
                 '"ks_stat": ' '"median_steps": ' '"ns_per_sample": ' '"kl_bits": 2'; do
        grep -q "$field" "$tmp/out" || { echo "FAIL: $s output lacks $field"; cat "$tmp/out"; fail=1; }
    done
done

if command -v gnuplot >/dev/null 2>&1; then
    expect_exit 0 "sweep" "$recimg" sim --sweep -o "$tmp/sw" --trials 20 --max-steps 20000
    for f in sweep.csv plots.gp code_bits.svg code_bits.png steps.svg steps.png overhead.svg overhead.png; do
        [ -s "$tmp/sw/$f" ] || { echo "FAIL: sweep did not write $f"; fail=1; }
    done
    if ls "$tmp/sw" | grep -q '\.tmp$'; then echo "FAIL: temporary files left"; fail=1; fi
    rows=$(grep -c ',1$' "$tmp/sw/sweep.csv")
    [ "$rows" -ge 33 ] || { echo "FAIL: sweep.csv has $rows bit-exact rows"; fail=1; }
else
    echo "FAIL: gnuplot not installed (scripts/deps.sh installs gnuplot-nox)"; fail=1
fi
[ "$fail" -eq 0 ] && echo "test_rec_sim: ok"
exit "$fail"
