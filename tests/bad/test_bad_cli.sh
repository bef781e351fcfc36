#!/usr/bin/env bash
# tests/bad/test_bad_cli.sh: malformed .rec files against `recimg decompress`.
# bad_make derives ~160 malformed files from each of several valid ones (gray,
# 4:2:0 colour, and REC mode when this build has it) and writes a
# MANIFEST; every "reject" file must give exit status 1, a message that names
# the file and says what is wrong (the manifest's keyword), no output file and
# no temporary file; `recimg info` must reject it too (except for the cases only
# the decoder checks: pixel limit, transform support). Every "any" file (payload
# mutated under a recomputed CRC) must either decode (exit 0, output written) or
# be rejected the same clean way: never a crash.
# usage: test_bad_cli.sh RECIMG BAD_MAKE
set -u
recimg=$1
bad_make=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

"$bad_make" ppm 67 45 "$tmp/card.ppm" || bad "cannot make card.ppm"
"$bad_make" ppm 40 33 "$tmp/card.pgm" || bad "cannot make card.pgm"
"$recimg" compress "$tmp/card.ppm" -o "$tmp/rgb420.rec" --quality 60 || bad "compress rgb420"
"$recimg" compress "$tmp/card.pgm" -o "$tmp/gray.rec" --quality 40 || bad "compress gray"
valids="rgb420 gray"
if "$recimg" compress "$tmp/card.ppm" -o "$tmp/rec.rec" --mode rec --quality 60 2>/dev/null; then
  valids="$valids rec"
else
  echo "note: this build has no REC mode; its files are not covered"
fi

total=0 rejected=0 mutants=0 mutants_decoded=0
for v in $valids; do
  d="$tmp/$v"
  mkdir -p "$d"
  "$bad_make" "$tmp/$v.rec" "$d" >/dev/null || { bad "bad_make failed on $v.rec"; continue; }
  while read -r name expect keyword; do
    f="$d/$name.rec"
    out="$d/$name.out.png"
    "$recimg" decompress "$f" -o "$out" >/dev/null 2>"$d/err.txt"
    st=$?
    total=$((total + 1))
    leftovers=$(ls -a "$d" | grep -c '\.tmp-')
    [ "$leftovers" -eq 0 ] || bad "$v/$name: temporary file left behind"
    if [ "$expect" = reject ]; then
      if [ "$st" -ne 1 ]; then
        bad "$v/$name: exit $st (want 1): $(cat "$d/err.txt")"
      else
        rejected=$((rejected + 1))
      fi
      grep -q "$name.rec" "$d/err.txt" || bad "$v/$name: message does not name the file: $(cat "$d/err.txt")"
      grep -Eq "$keyword" "$d/err.txt" || bad "$v/$name: message lacks /$keyword/: $(cat "$d/err.txt")"
      [ "$(wc -l < "$d/err.txt")" -eq 1 ] || bad "$v/$name: message is not one line"
      [ ! -e "$out" ] || bad "$v/$name: output file left behind"
      case "$v:$keyword" in
        gray:*|*limit*|*supported*) ;;   # info: once per case; it reads the header only
        *) "$recimg" info "$f" >/dev/null 2>&1; s2=$?
           [ "$s2" -eq 1 ] || bad "$v/$name: info exit $s2 (want 1)" ;;
      esac
    else
      mutants=$((mutants + 1))
      if [ "$st" -eq 0 ]; then
        mutants_decoded=$((mutants_decoded + 1))
        [ -s "$out" ] || bad "$v/$name: exit 0 but no output"
      elif [ "$st" -eq 1 ]; then
        grep -Eq "$keyword" "$d/err.txt" || bad "$v/$name: message lacks /$keyword/: $(cat "$d/err.txt")"
        [ ! -e "$out" ] || bad "$v/$name: output file left behind"
      else
        bad "$v/$name: exit $st (crash?): $(cat "$d/err.txt")"
      fi
    fi
  done < "$d/MANIFEST"
done

echo "test_bad_cli: $total malformed files from [$valids]: $rejected rejected as required;" \
     "$mutants payload mutants with a valid CRC: $mutants_decoded decoded to an image, the rest rejected cleanly"
[ "$total" -gt 100 ] || bad "too few cases ($total)"
[ "$fail" -eq 0 ] && echo "test_bad_cli: all checks passed"
exit "$fail"
