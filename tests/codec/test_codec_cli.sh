#!/usr/bin/env bash
# The recimg command as a user meets it: every PNG kind and JPEG input round-trips
# with the input's size; bad input gives exit status 1, a message naming the file
# and no output file; usage errors also give 1 and are told apart by the --help hint
# (or the usage text) on stderr; the input is never overwritten; --stats
# is one JSON object; --bpp lands within 3%; info reads the header.
# usage: test_codec_cli.sh RECIMG CODEC_MAKE_INPUTS TESTIMAGES_DIR
set -u
recimg=$1
make_inputs=$2
images=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# A usage error's stderr: "Try 'recimg [CMD] --help'." or the usage text itself.
usage_hint="Try 'recimg\|^usage: recimg"
# expect STATUS CMD...: runs CMD, checks its exit status. STATUS "usage" is a usage
# error: exit status 1 (like every error) with the hint on stderr; STATUS 1 is any
# other failure, whose message must not carry the hint.
expect() {
  local want=$1; shift
  local code=$want
  [ "$want" = usage ] && code=1
  "$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
  local got=$?
  [ "$got" -eq "$code" ] || bad "exit $got (want $want): $* : $(cat "$tmp/err.txt")"
  if [ "$want" = usage ]; then
    grep -q "$usage_hint" "$tmp/err.txt" || bad "usage error without the --help hint: $* : $(cat "$tmp/err.txt")"
  elif [ "$want" = 1 ]; then
    ! grep -q "$usage_hint" "$tmp/err.txt" || bad "failure reported as a usage error: $* : $(cat "$tmp/err.txt")"
  fi
}

"$make_inputs" pngs "$tmp" || bad "cannot make PNG inputs"

# --- every PNG kind and JPEG input round-trips, keeping the size
for f in gray1 gray2 gray4 gray8 gray16 rgb8 rgb16 palette4 palette8 interlaced interlaced16; do
  expect 0 "$recimg" compress "$tmp/$f.png" -o "$tmp/$f.rec" --quality 80
  expect 0 "$recimg" decompress "$tmp/$f.rec" -o "$tmp/$f.out.png"
  expect 0 "$recimg" info "$tmp/$f.rec" --json
  grep -q '"width": 37, "height": 23' "$tmp/out.txt" || bad "$f: info does not show 37x23"
done
expect 0 "$recimg" compress "$images/rocket.jpg" -o "$tmp/rocket.rec" --quality 50 --chroma 444
expect 0 "$recimg" decompress "$tmp/rocket.rec" -o "$tmp/rocket.ppm"
head -c 2 "$tmp/rocket.ppm" | grep -q P6 || bad "rocket.ppm is not a PPM"
expect 0 "$recimg" compare "$images/rocket.jpg" "$tmp/rocket.ppm" --json

# --- alpha: refused with a message unless --alpha drop
expect 1 "$recimg" compress "$tmp/rgba.png" -o "$tmp/rgba.rec"
grep -q "rgba.png" "$tmp/err.txt" || bad "alpha refusal does not name the file"
[ ! -e "$tmp/rgba.rec" ] || bad "output left after alpha refusal"
expect 0 "$recimg" compress "$tmp/rgba.png" -o "$tmp/rgba.rec" --alpha drop
expect 0 "$recimg" compress "$tmp/grayalpha.png" -o "$tmp/ga.rec" --alpha drop

# --- --stats JSON and --bpp rate control
expect 0 "$recimg" compress "$images/astronaut.png" -o "$tmp/a.rec" --bpp 1.0 --stats
for key in width height bytes bpp mode quality encode_ms; do
  grep -q "\"$key\": " "$tmp/out.txt" || bad "--stats lacks $key"
done
bpp=$(sed -n 's/.*"bpp": \([0-9.]*\).*/\1/p' "$tmp/out.txt")
awk -v b="$bpp" 'BEGIN { exit !(b >= 0.97 && b <= 1.03) }' || bad "--bpp 1.0 gave $bpp"
[ "$(wc -l < "$tmp/out.txt")" -eq 1 ] || bad "--stats is not one line"
expect 0 "$recimg" info "$tmp/a.rec"
grep -q '^  model       context model v5 (prior id 5)$' "$tmp/out.txt" || bad "info: round file's model line"
expect 0 "$recimg" compress "$images/astronaut.png" -o "$tmp/r3.rec" --mode rec --quality 30
expect 0 "$recimg" info "$tmp/r3.rec"
grep -q '^  model       context model v3 (prior id 3), closed-form bin coder, short-chain revision, block dither stream$' "$tmp/out.txt" \
  || bad "info: default rec file's model line: $(grep model "$tmp/out.txt")"
expect 0 "$recimg" compress "$images/astronaut.png" -o "$tmp/r.rec" --mode rec --quality 30 --effort 2
expect 0 "$recimg" info "$tmp/r.rec"
grep -q '^  model       context model v4 (prior id 4), closed-form bin coder, short-chain revision, block dither stream$' "$tmp/out.txt" \
  || bad "info: --effort 2 rec file's model line: $(grep model "$tmp/out.txt")"
grep -q '^  mode        rec, sampler uq, .*, far-bin reconstruction, skip-energy table, reconstruction table$' "$tmp/out.txt" \
  || bad "info: rec file's mode line: $(grep mode "$tmp/out.txt")"
expect 0 "$recimg" info "$tmp/r.rec" --json
grep -q '"flags": 9327, "prior_id": 4,' "$tmp/out.txt" || bad "info --json: flags/prior_id: $(cat "$tmp/out.txt")"
grep -q '"version": 2,' "$tmp/out.txt" || bad "info --json: a deadzone uq file is version 2: $(cat "$tmp/out.txt")"
grep -q '^  mode        rec, sampler uq, zero-bit threshold [0-9.]* bits, deadzone uq (fast rule), far-bin' <("$recimg" info "$tmp/r.rec") \
  || bad "info: the deadzone uq (flags2 0x400) with its fast rule (0x2000) is not named"

# --- bad input: status 1, message naming the file, no output file
"$make_inputs" bad "$tmp/a.rec" "$tmp" || bad "cannot make bad inputs"
for f in truncated header_only corrupt badmagic badversion absurd empty; do
  expect 1 "$recimg" decompress "$tmp/$f.rec" -o "$tmp/$f.png"
  grep -q "$f.rec" "$tmp/err.txt" || bad "$f: message does not name the file: $(cat "$tmp/err.txt")"
  [ ! -e "$tmp/$f.png" ] || bad "$f: output file left behind"
  # info reads the header only: a well-formed header with absurd dimensions is reported
  [ "$f" = absurd ] || expect 1 "$recimg" info "$tmp/$f.rec"
done
printf 'this is not an image\n' > "$tmp/notimage.png"
expect 1 "$recimg" compress "$tmp/notimage.png" -o "$tmp/notimage.rec"
grep -q "notimage.png" "$tmp/err.txt" || bad "not-an-image message does not name the file"
[ ! -e "$tmp/notimage.rec" ] || bad "output left for a non-image"
expect 1 "$recimg" compress "$tmp/missing.png" -o "$tmp/missing.rec"
expect 1 "$recimg" decompress "$tmp/gray8.png" -o "$tmp/x.png"       # a PNG is not a .rec
[ ! -e "$tmp/x.png" ] || bad "output left for a non-.rec input"
# an output name decompress cannot write (.jpg) is refused before the input is decoded
expect 1 "$recimg" decompress "$tmp/corrupt.rec" -o "$tmp/early.jpg"
grep -q "early.jpg: cannot write jpg files" "$tmp/err.txt" || bad "decompress -o .jpg not checked first: $(cat "$tmp/err.txt")"
# a failed decode never clobbers an existing output file
cp "$tmp/gray8.out.png" "$tmp/keep.png"
expect 1 "$recimg" decompress "$tmp/corrupt.rec" -o "$tmp/keep.png"
cmp -s "$tmp/gray8.out.png" "$tmp/keep.png" || bad "existing output clobbered by a failed decode"
# never overwrite the input
cp "$tmp/gray8.png" "$tmp/self.png"
expect 1 "$recimg" compress "$tmp/self.png" -o "$tmp/self.png"
cmp -s "$tmp/gray8.png" "$tmp/self.png" || bad "input overwritten"
cp "$tmp/a.rec" "$tmp/self.rec"
expect 1 "$recimg" decompress "$tmp/self.rec" -o "$tmp/self.rec"
cmp -s "$tmp/a.rec" "$tmp/self.rec" || bad "input .rec overwritten"
# an existing directory as output: refused by name, still a directory
mkdir "$tmp/outdir"
expect 1 "$recimg" decompress "$tmp/a.rec" -o "$tmp/outdir"
grep -q "outdir: is a directory" "$tmp/err.txt" || bad "directory output: $(cat "$tmp/err.txt")"
expect 1 "$recimg" compress "$tmp/gray8.png" -o "$tmp/outdir"
[ -d "$tmp/outdir" ] && [ -z "$(ls -A "$tmp/outdir")" ] || bad "directory output was replaced or filled"
# an existing FIFO (or /dev/null) as output is written into, never replaced by a regular
# file (a rename over /dev/null, as root, replaced the device node)
expect 0 "$recimg" decompress "$tmp/a.rec" -o "$tmp/a.png"
mkfifo "$tmp/fifo"
timeout 60 cat "$tmp/fifo" > "$tmp/fifo.out" &
reader=$!
expect 0 "$recimg" decompress "$tmp/a.rec" -o "$tmp/fifo"
if [ -p "$tmp/fifo" ]; then
  wait "$reader"
  cmp -s "$tmp/a.png" "$tmp/fifo.out" || bad "decompress into a FIFO: bytes differ from a file's"
  # a write error on such a stream is exit 1 naming it (only tried once the FIFO case
  # showed that devices are written into, so a regression cannot replace /dev/full)
  if [ -c /dev/full ] && [ -w /dev/full ]; then
    expect 1 "$recimg" compress "$tmp/gray8.png" -o /dev/full
    grep -q "/dev/full: cannot write" "$tmp/err.txt" || bad "/dev/full: $(cat "$tmp/err.txt")"
    [ -c /dev/full ] || bad "/dev/full is no longer a character device"
  fi
else
  bad "decompress replaced the FIFO output with a regular file"
  kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
fi
# compress never writes .rec bytes under an image's name (the mirror of decompress -o x.jpg)
expect 1 "$recimg" compress "$tmp/gray8.png" -o "$tmp/swapped.PNG"
grep -q "compress writes .rec files" "$tmp/err.txt" || bad "compress -o .PNG: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/swapped.PNG" ] || bad "compress wrote .rec bytes into swapped.PNG"
expect 0 "$recimg" compress "$tmp/gray8.png" -o "$tmp/noext"     # any other name is fine
# no temporary files left anywhere
ls -a "$tmp" | grep -q '\.tmp' && bad "temporary files left: $(ls -a "$tmp" | grep '\.tmp')"

# --- REC mode: lrq, uq, gprs-bnb, gprs, pfr work; block (not in the codec) is refused honestly
expect 0 "$recimg" compress "$tmp/rgb8.png" -o "$tmp/rec.rec" --mode rec --stats
grep -q '"sampler": "uq"' "$tmp/out.txt" || bad "REC default sampler is not reported as uq"
grep -q '"overhead": ' "$tmp/out.txt" || bad "REC --stats lacks overhead"
for dm in mmse sample realism; do
  expect 0 "$recimg" decompress "$tmp/rec.rec" -o "$tmp/rec.$dm.png" --decode $dm
done
expect 0 "$recimg" compress "$tmp/rgb8.png" -o "$tmp/uq.rec" --mode rec --sampler lrq --zero-bits 0
expect 0 "$recimg" decompress "$tmp/uq.rec" -o "$tmp/uq.png"
expect 0 "$recimg" compress "$tmp/rgb8.png" -o "$tmp/bnb.rec" --mode rec --sampler gprs-bnb
expect 0 "$recimg" decompress "$tmp/bnb.rec" -o "$tmp/bnb.png" --decode realism --realism 0.5
for s in gprs pfr; do
  expect 0 "$recimg" compress "$tmp/gray8.png" -o "$tmp/$s.rec" --mode rec --sampler $s
  expect 0 "$recimg" decompress "$tmp/$s.rec" -o "$tmp/$s.png" --decode sample
done
expect 0 "$recimg" compress "$tmp/rgb8.png" -o "$tmp/block.rec" --mode rec --sampler block --stats
grep -q '"block_retained"' "$tmp/out.txt" || bad "compress --sampler block --stats lacks block_retained"
expect 0 "$recimg" decompress "$tmp/block.rec" -o "$tmp/block.png" --decode realism --realism 0.7
expect 0 "$recimg" info "$tmp/block.rec"
grep -q "sampler block" "$tmp/out.txt" || bad "info does not name the block sampler"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/nosuch.rec" --mode rec --sampler blocks
[ ! -e "$tmp/nosuch.rec" ] || bad "output left for an unknown sampler"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --sampler uq

# --- limits from the command line
expect 0 "$recimg" compress "$tmp/rgb8.png" -o "$tmp/lim.rec" --max-pixels 851
expect 1 "$recimg" compress "$tmp/rgb8.png" -o "$tmp/lim2.rec" --max-pixels 850
[ ! -e "$tmp/lim2.rec" ] || bad "output left after --max-pixels refusal"
expect 1 "$recimg" decompress "$tmp/lim.rec" -o "$tmp/lim.png" --max-pixels 850
expect 0 "$recimg" decompress "$tmp/lim.rec" -o "$tmp/lim.png" --max-pixels 851
size=$(wc -c < "$tmp/lim.rec")
expect 1 "$recimg" decompress "$tmp/lim.rec" -o "$tmp/lim3.png" --max-input-size $((size - 1))
expect 1 "$recimg" info "$tmp/lim.rec" --max-pixels 850
expect 1 "$recimg" info "$tmp/absurd.rec" --max-pixels 268435456
expect usage "$recimg" decompress "$tmp/lim.rec" -o "$tmp/lim.png" --max-pixels 0
expect usage "$recimg" compress "$tmp/rgb8.png" -o "$tmp/lim.rec" --max-pixels abc

# --- usage errors: status 1 with the --help hint
expect usage "$recimg"
expect usage "$recimg" frobnicate
expect usage "$recimg" compress "$tmp/gray8.png"
expect usage "$recimg" compress "$tmp/gray8.png" "$tmp/pos.rec"     # cwebp/cjpeg habit: says -o
grep -q "named with -o" "$tmp/err.txt" || bad "positional output: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/pos.rec" ] || bad "positional output written"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/o1.rec" -o "$tmp/o2.rec"
grep -q "more than one output" "$tmp/err.txt" || bad "two -o: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/o1.rec" ] && [ ! -e "$tmp/o2.rec" ] || bad "two -o: something written"
expect usage "$recimg" decompress "$tmp/a.rec" -o "$tmp/o1.png" --output "$tmp/o2.png"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality 101
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality abc
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality 5x
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality " 5"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality nan
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality 0x20   # decimal only, not a hex float
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality
grep -q "'--quality' needs a value" "$tmp/err.txt" || bad "missing value: $(cat "$tmp/err.txt")"
# an unknown option is called unknown, also as the last word (not "needs a value")
for cmd in compress decompress; do
  src="$tmp/gray8.png"; [ "$cmd" = decompress ] && src="$tmp/a.rec"
  expect usage "$recimg" $cmd "$src" -o "$tmp/u.out" --bogus
  grep -q "$cmd: unknown option '--bogus'" "$tmp/err.txt" || bad "$cmd --bogus last: $(cat "$tmp/err.txt")"
  expect usage "$recimg" $cmd "$src" --bogus 3 -o "$tmp/u.out"
  grep -q "$cmd: unknown option '--bogus'" "$tmp/err.txt" || bad "$cmd --bogus 3: $(cat "$tmp/err.txt")"
done
expect usage "$recimg" decompress "$tmp/a.rec" -o "$tmp/u.png" --decode
grep -q "'--decode' needs a value" "$tmp/err.txt" || bad "decompress missing value: $(cat "$tmp/err.txt")"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --matrix 0x1    # decimal only
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --threads " 2"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --threads +2
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --seed 0x10
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --mode rec --effort 3
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --mode rec --effort 0
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --effort 2   # round mode has no effort levels
grep -q "effort needs --mode rec" "$tmp/err.txt" || bad "--effort in round mode: $(cat "$tmp/err.txt")"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --mode rec --sampler lrq --effort 2
grep -q "effort 2 needs --sampler uq" "$tmp/err.txt" || bad "--effort 2 with lrq: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/u.rec" ] || bad "--effort 2 with lrq: an output was written"
expect 0 "$recimg" compress "$tmp/gray8.png" -o "$tmp/e2uq.rec" --mode rec --sampler uq --effort 2
# --deadzone: each mode's own switch (default 1 in both: uq and round), told apart by recimg info
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --deadzone 2
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --mode rec --sampler lrq --deadzone 1
grep -q "deadzone 1 needs --sampler uq" "$tmp/err.txt" || bad "--deadzone 1 with lrq: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/u.rec" ] || bad "--deadzone 1 with lrq: an output was written"
for dz in default 0 1; do
  for mode in round rec; do
    args=(); [ "$dz" = default ] || args=(--deadzone "$dz")
    expect 0 "$recimg" compress "$tmp/gray8.png" -o "$tmp/dz.rec" --mode "$mode" "${args[@]}"
    expect 0 "$recimg" info "$tmp/dz.rec"
    want=0
    { [ "$dz" = 1 ] || [ "$dz" = default ]; } && want=1
    got=0; grep -q "deadzone" "$tmp/out.txt" && got=1
    [ "$got" = "$want" ] || bad "--mode $mode --deadzone $dz: info says '$(grep mode "$tmp/out.txt")'"
    grep -q ".rec version $((1 + want))$" "$tmp/out.txt" || bad "--mode $mode --deadzone $dz: $(head -1 "$tmp/out.txt")"
    if [ "$mode" = round ] && [ "$want" = 1 ]; then   # flags2 0x800 with 0x4000
      grep -q "deadzone rounding (zero-cell draw fit)" "$tmp/out.txt" || bad "round --deadzone $dz: info lacks 0x4000"
    fi
    expect 0 "$recimg" decompress "$tmp/dz.rec" -o "$tmp/dz.png"
  done
done
expect 0 "$recimg" compress "$tmp/gray8.png" -o "$tmp/t08.rec" --threads 08   # not octal
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --zero-bits 0.1   # round ignores it
grep -q "zero-bits needs --mode rec" "$tmp/err.txt" || bad "--zero-bits in round mode: $(cat "$tmp/err.txt")"
expect 1 "$recimg" compress "$tmp/gray8.png" -o "$tmp/t.rec" --transform nosuch
grep -q "transform takes dct" "$tmp/err.txt" || bad "--transform nosuch: $(cat "$tmp/err.txt")"
[ ! -e "$tmp/t.rec" ] || bad "output left for an unknown transform"
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --chroma 422
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --quality 50 --bpp 1
expect usage "$recimg" compress "$tmp/gray8.png" -o "$tmp/u.rec" --bogus
expect usage "$recimg" decompress "$tmp/a.rec"
expect usage "$recimg" decompress "$tmp/a.rec" -o "$tmp/u.png" --realism 2
expect usage "$recimg" info
# "" and "-" (stdin/stdout, not supported) are usage errors before any work, not
# "cannot open" or "cannot rename" after the encode
expect usage "$recimg" compress "$tmp/gray8.png" -o ""
grep -q "empty file name" "$tmp/err.txt" || bad "-o '': $(cat "$tmp/err.txt")"
expect usage "$recimg" compress - -o "$tmp/u.rec"
grep -q "standard input/output" "$tmp/err.txt" || bad "compress -: $(cat "$tmp/err.txt")"
expect usage "$recimg" decompress "$tmp/a.rec" -o -
expect usage "$recimg" info ""
expect usage "$recimg" compare "$tmp/gray8.png" "$tmp/gray8.png" --alpha
grep -q "'--alpha' needs a value" "$tmp/err.txt" || bad "compare --alpha: $(cat "$tmp/err.txt")"
expect usage "$recimg" rd --images "$tmp" -o
grep -q "missing value for option '-o'" "$tmp/err.txt" || bad "rd -o: $(head -1 "$tmp/err.txt")"
expect usage "$recimg" rd --images "$tmp" -o "$tmp/rdout" --points " 5"   # read like every option
expect usage "$recimg" rd --images "$tmp" -o "$tmp/rdout" --threads 0x2
[ ! -e "$tmp/rdout" ] || bad "rd made its OUTDIR on a usage error"
expect usage "$recimg" rd --images "$tmp"
grep -q "OUTDIR is required" "$tmp/err.txt" || bad "rd without -o: $(head -1 "$tmp/err.txt")"
expect 0 "$recimg" --help
grep -q "compress" "$tmp/out.txt" || bad "--help does not describe compress"
grep -q "Exit status: 0 success, 1 any error, usage errors included" "$tmp/out.txt" ||
  bad "--help does not state the exit status policy"
expect 0 "$recimg" compress --help

[ "$fail" -eq 0 ] && echo "test_codec_cli: all checks passed"
exit "$fail"
