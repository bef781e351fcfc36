#!/usr/bin/env bash
# recimg train-transform and compress --transform (issue 5): every kind trains and
# writes a valid .rtx that compress embeds; the built-in names work; bad usage
# exits 1 with the usage text on stderr, bad input exits 1 with a message naming the
# file (and no usage text), and no output file
# is left behind on failure; no progress line when stderr is not a terminal.
#   test_transform_cli.sh RECIMG TESTIMAGES_DIR
set -u
recimg=$1
images=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# A usage error's stderr: "Try 'recimg [CMD] --help'." or the usage text itself.
usage_hint="Try 'recimg\|^usage: recimg"
# expect STATUS CMD...: run, compare the exit status. STATUS "usage" is a usage error:
# exit 1 (like every error) with the usage hint on stderr; STATUS 1 is any other
# failure, whose message must not carry it.
expect() {
  local want=$1; shift
  local code=$want
  [ "$want" = usage ] && code=1
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$code" ] || fail "exit $got (want $want): $* : $(head -c 300 "$tmp/err")"
  if [ "$want" = usage ]; then
    grep -q "$usage_hint" "$tmp/err" || fail "usage error without the usage hint: $* : $(head -c 300 "$tmp/err")"
  elif [ "$want" = 1 ]; then
    ! grep -q "$usage_hint" "$tmp/err" || fail "failure reported as a usage error: $* : $(head -c 300 "$tmp/err")"
  fi
}

img=$images/astronaut.png
# training: each kind (coarse stride keeps it fast)
expect 0 "$recimg" train-transform --images "$img" --stride 8 -o "$tmp/klt.rtx"
expect 0 "$recimg" train-transform --images "$img" --stride 8 --kind separable -o "$tmp/sep.rtx"
expect 0 "$recimg" train-transform --images "$img" --stride 8 --kind rd --iterations 2 -o "$tmp/rd.rtx" \
  --emit-c "$tmp/rd.c"
grep -q 'objective' "$tmp/err" || fail "rd training does not report its objective"
grep -q "$(printf '\r')" "$tmp/err" && fail "progress line written to a non-terminal"
[ "$(stat -c %s "$tmp/klt.rtx" 2>/dev/null)" = 33316 ] || fail "klt.rtx size"
[ "$(stat -c %s "$tmp/sep.rtx" 2>/dev/null)" = 1572 ] || fail "sep.rtx size"
grep -q 'static const double entries\[4096\]' "$tmp/rd.c" && grep -q 'rtx_builtin_rd_entries(void)' "$tmp/rd.c" \
  || fail "--emit-c output"
# a directory of images
mkdir "$tmp/dir" && cp "$img" "$images/coffee.png" "$tmp/dir/" && echo x > "$tmp/dir/notes.txt"
expect 0 "$recimg" train-transform --images "$tmp/dir" --stride 8 -o "$tmp/dir.rtx"
grep -q '2 images' "$tmp/err" || fail "directory input: $(cat "$tmp/err")"

# the built-ins are what their recorded training command (docs/TRANSFORMS.md) gives on the
# TRAIN split: compress names such a .rtx by the built-in id (entries equal within 1e-12;
# computed with this machine's LAPACK)
train=(--images "$images/astronaut.png" --images "$images/coffee.png" --images "$images/grass.png" --stride 2)
expect 0 "$recimg" train-transform "${train[@]}" -o "$tmp/train_klt.rtx"
expect 0 "$recimg" train-transform "${train[@]}" --kind separable -o "$tmp/train_sep.rtx"
for k in klt:2 sep:3; do
  expect 0 "$recimg" compress "$images/chelsea.png" -o "$tmp/k.rec" -q 40 --transform "$tmp/train_${k%%:*}.rtx"
  expect 0 "$recimg" info "$tmp/k.rec"
  grep -q "transform   ${k##*:} " "$tmp/out" || fail "retrained ${k%%:*} is not the built-in: $(grep transform "$tmp/out")"
done

# compress/decompress with every transform
for t in dct learned learned-sep learned-rd "$tmp/klt.rtx" "$tmp/sep.rtx" "$tmp/rd.rtx"; do
  rm -f "$tmp/a.rec" "$tmp/a.png"
  expect 0 "$recimg" compress "$images/chelsea.png" -o "$tmp/a.rec" -q 60 --transform "$t"
  expect 0 "$recimg" decompress "$tmp/a.rec" -o "$tmp/a.png"
  [ -s "$tmp/a.png" ] || fail "no output with --transform $t"
done
expect 0 "$recimg" info "$tmp/a.rec"
grep -q 'embedded' "$tmp/out" || fail "info does not name the embedded transform"

# usage errors: exit 1 with the usage text
expect usage "$recimg" train-transform --images "$img" --kind pca -o "$tmp/x.rtx"
expect usage "$recimg" train-transform --images "$img"
expect usage "$recimg" train-transform -o "$tmp/x.rtx"
expect usage "$recimg" train-transform --images "$img" --stride 0 -o "$tmp/x.rtx"
expect usage "$recimg" train-transform --images "$img" --stride " 4" -o "$tmp/x.rtx"
expect usage "$recimg" train-transform --images "$img" --stride +4 -o "$tmp/x.rtx"
expect usage "$recimg" train-transform --images "$img" --kind rd --threshold " 2" -o "$tmp/x.rtx"
expect usage "$recimg" train-transform --images "$img" -o
grep -q "missing the value of option '-o'" "$tmp/err" || fail "train -o last: $(cat "$tmp/err")"
expect usage "$recimg" train-transform --images "$img" -o "$tmp/x.rtx" --bogus   # unknown, not 'missing the value'
grep -q "unknown option '--bogus'" "$tmp/err" || fail "train --bogus last: $(cat "$tmp/err")"
# bad input: exit 1, message, no output
expect 1 "$recimg" train-transform --images "$tmp/missing.png" -o "$tmp/x.rtx"
grep -q 'missing.png' "$tmp/err" || fail "error does not name the missing file"
mkdir "$tmp/empty"
expect 1 "$recimg" train-transform --images "$tmp/empty" -o "$tmp/x.rtx"
echo "not an image" > "$tmp/bad.png"
expect 1 "$recimg" train-transform --images "$tmp/bad.png" -o "$tmp/x.rtx"
[ -e "$tmp/x.rtx" ] && fail "output left after a failed training"
# --emit-c that cannot be written: exit 1 and neither file is written (both or nothing)
expect 1 "$recimg" train-transform --images "$img" --stride 8 -o "$tmp/x.rtx" --emit-c "$tmp/nodir/x.c"
grep -q 'nodir/x.c' "$tmp/err" || fail "unwritable --emit-c: message does not name the file"
[ -e "$tmp/x.rtx" ] && fail ".rtx written although --emit-c failed"
ls "$tmp" | grep -q '\.tmp-' && fail "temporary file left after a failed --emit-c"
# an existing .rtx is kept when the pair cannot be written
cp "$tmp/sep.rtx" "$tmp/keep.rtx"
expect 1 "$recimg" train-transform --images "$img" --stride 8 -o "$tmp/keep.rtx" --emit-c "$tmp/nodir/x.c"
cmp -s "$tmp/sep.rtx" "$tmp/keep.rtx" || fail "existing .rtx replaced although --emit-c failed"
# never overwrite an input; -o and --emit-c must differ
cp "$img" "$tmp/in.png"
expect 1 "$recimg" train-transform --images "$tmp/in.png" --stride 8 -o "$tmp/in.png"
cmp -s "$img" "$tmp/in.png" || fail "train-transform -o overwrote its input image"
expect 1 "$recimg" train-transform --images "$tmp/in.png" --stride 8 -o "$tmp/y.rtx" --emit-c "$tmp/in.png"
cmp -s "$img" "$tmp/in.png" || fail "train-transform --emit-c overwrote its input image"
[ -e "$tmp/y.rtx" ] && fail ".rtx written although --emit-c named an input"
expect usage "$recimg" train-transform --images "$img" --stride 8 -o "$tmp/y.rtx" --emit-c "$tmp/y.rtx"
[ -e "$tmp/y.rtx" ] && fail "output written although -o and --emit-c are the same file"

# compress with a malformed transform file: exit 1, clear message, no output
head -c 1000 "$tmp/klt.rtx" > "$tmp/trunc.rtx"
printf 'RTX?' > "$tmp/junk.rtx"
cp "$tmp/sep.rtx" "$tmp/flip.rtx" && printf '\x55' | dd of="$tmp/flip.rtx" bs=1 seek=100 conv=notrunc 2>/dev/null
for bad in trunc junk flip; do
  expect 1 "$recimg" compress "$images/chelsea.png" -o "$tmp/b.rec" --transform "$tmp/$bad.rtx"
  grep -q "invalid transform file" "$tmp/err" || fail "$bad.rtx: unclear message: $(cat "$tmp/err")"
  [ -e "$tmp/b.rec" ] && fail "output left for $bad.rtx"
done
expect 1 "$recimg" compress "$images/chelsea.png" -o "$tmp/b.rec" --transform "$tmp/none.rtx"

if [ "$fails" -ne 0 ]; then
  echo "test_transform_cli: $fails failure(s)"
  exit 1
fi
echo "test_transform_cli: all checks passed"
