#!/usr/bin/env bash
# tests/tools/test_bench_cli.sh: the bench programs (bench/*.c) refuse a bad command line
# like the recimg command does: exit status 1, a message naming the program and the
# option, and the usage text, before any image is read or any workload runs. Every bad
# line names a missing image ($tmp/missing.png): had the program gone on to read it, its
# message would name that file, which the test refuses. --help prints the usage to
# stdout and exits 0. No benchmark runs (each command is bounded by timeout anyway).
# usage: test_bench_cli.sh BUILD_TOOLS_DIR BUILD_BENCH_DIR
set -u
tools=$1
benchdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
img=$tmp/missing.png

# refuse PROG WORD ARGS...: PROG ARGS... must exit 1 with "PROG:" and WORD on one line of
# stderr, a usage line, and no mention of the image.
refuse() {
  local prog=$1 word=$2; shift 2
  local path=$tools/$prog name
  name=$prog
  [ "$prog" = bench_png_level ] && name=png_level   # the program calls itself png_level
  [ -x "$path" ] || path=$benchdir/$prog
  timeout 20 "$path" "$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
  local got=$?
  [ "$got" -eq 1 ] || { bad "$prog $*: exit $got, want 1: $(head -c 300 "$tmp/err.txt")"; return; }
  grep -F -- "$word" "$tmp/err.txt" | grep -q "^$name: " ||
    bad "$prog $*: no message naming '$word': $(head -c 300 "$tmp/err.txt")"
  grep -q "^usage: " "$tmp/err.txt" || bad "$prog $*: no usage text on stderr"
  ! grep -q "missing.png" "$tmp/err.txt" || bad "$prog $*: read the image before refusing the command line"
  [ ! -s "$tmp/out.txt" ] || bad "$prog $*: printed on stdout: $(head -c 200 "$tmp/out.txt")"
}

# help PROG: --help prints the usage to stdout and exits 0
help() {
  local path=$tools/$1
  [ -x "$path" ] || path=$benchdir/$1
  timeout 20 "$path" --help "$img" >"$tmp/out.txt" 2>"$tmp/err.txt"
  local got=$?
  [ "$got" -eq 0 ] || bad "$1 --help: exit $got, want 0"
  grep -q "^usage: " "$tmp/out.txt" || bad "$1 --help: no usage text on stdout"
}

many=()
for i in $(seq 1 70); do many+=("$tmp/missing$i.png"); done

for p in bench_round bench_speed bench_speed_process bench_rec bench_transform bench_png_level \
         uq_step_study band_w1 bench_rd_bound; do
  help "$p"
done

# control: a good command line does read the image, and names it when it is missing
timeout 20 "$tools/bench_round" --reps 1 "$img" >/dev/null 2>"$tmp/err.txt"
[ $? -eq 1 ] && grep -q "missing.png" "$tmp/err.txt" || bad "bench_round: the missing-image control failed"

refuse bench_round --reps --reps x "$img"
refuse bench_round --reps --reps 3x "$img"
refuse bench_round --reps --reps 17 "$img"
refuse bench_round --q --q 5,,6,7,8 "$img"
refuse bench_round --q --q 10,20,35,50, "$img"
refuse bench_round --rate --rate payload "$img"
refuse bench_round --effort --effort 3 "$img"
refuse bench_round --jq --jq 10,20,x,50 "$img"
refuse bench_round --q --q 5,10,20,35,50,65,80,85,86,87,88,89,90,91,92,93,94 "$img"
refuse bench_round --q --q 10,20,35,150 "$img"
refuse bench_round --zero-bits-q --zero-bits-q 0.1,,0.2 "$img"
refuse bench_round --mode --mode foo "$img"
refuse bench_round sampler --mode rec --sampler foo "$img"
refuse bench_round --anchor --anchor foo "$img"
refuse bench_round --decode --decode foo "$img"
refuse bench_round --anchor-decode --anchor-decode foo "$img"
refuse bench_round --chroma --chroma 422 "$img"
refuse bench_round --matrix --matrix 7 "$img"
refuse bench_round --chroma-step --chroma-step 0.1 "$img"
refuse bench_round --zero-bits --zero-bits x "$img"
refuse bench_round --realism --realism 2 "$img"
refuse bench_round --foo --foo 1 "$img"
refuse bench_round --reps "$img" --reps
refuse bench_round "too many images" "${many[@]}"

refuse bench_speed --reps --reps x "$img"
refuse bench_speed --bpp --bpp 0.5,,1.5 "$img"
refuse bench_speed --threads --threads 1.5 "$img"
refuse bench_speed --slice-cost --slice-cost 4 "$img"
refuse bench_speed --search --search 0 "$img"
refuse bench_speed --foo --foo "$img"
refuse bench_speed "too many images" "${many[@]}"

refuse bench_speed_process --modes --recimg /bin/false --modes rec,foo "$img"
refuse bench_speed_process --modes --recimg /bin/false --modes rec,,round "$img"
refuse bench_speed_process --sampler --recimg /bin/false --sampler foo "$img"
refuse bench_speed_process --threads --recimg /bin/false --threads x "$img"
refuse bench_speed_process --bpp --recimg /bin/false --bpp 0 "$img"
refuse bench_speed_process --reps --recimg /bin/false --reps 0 "$img"
refuse bench_speed_process "--recimg PATH is required" "$img"
refuse bench_speed_process "too many images" --recimg /bin/false "${many[@]}"

refuse bench_rec --repeats --repeats x
refuse bench_rec --repeats --repeats 3x
refuse bench_rec --scale --scale 0
refuse bench_rec --block-bias --block-bias 9 10
refuse bench_rec --foo --foo

refuse bench_transform --mode --mode foo --test learned "$img"
refuse bench_transform --chroma --chroma 422 --test learned "$img"
refuse bench_transform --matrix --matrix x --test learned "$img"
refuse bench_transform --q --q 20,35,x,65 --test learned "$img"
refuse bench_transform sampler --sampler foo --test learned "$img"
refuse bench_transform "too many images" --test learned "${many[@]}"

refuse bench_png_level --reps --reps x "$img"
refuse bench_png_level --reps "$img" --reps 0
refuse bench_png_level --foo --foo "$img"

refuse uq_step_study "(1 given)" 0.01
refuse uq_step_study "x 2" x 2
refuse uq_step_study "0 x" curve 0.1 0 x
refuse uq_step_study "(4 given)" 0.01 5 junk more

refuse bench_rd_bound "unknown command 'curve'" curve "$img"
refuse bench_rd_bound "prize needs" prize
refuse bench_rd_bound "unknown command '--foo'" --foo

refuse band_w1 --foo --foo "$img" "$img"
refuse band_w1 "pairs" "$img"

exit $fail
