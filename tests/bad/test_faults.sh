#!/usr/bin/env bash
# tests/bad/test_faults.sh: output faults of `recimg compress` / `decompress`.
#  - an unwritable output path (missing directory, a file as the directory, a
#    directory as the output) gives exit 1, a message naming the path, and
#    leaves no file and no temporary file;
#  - a full disk (a 64 KiB tmpfs; needs root, skipped with a message if mount is
#    refused) gives exit 1, "No space left", no partial file, and an existing
#    output file is left as it was;
#  - SIGINT, SIGTERM or SIGHUP delivered during the write (strace injects it on
#    entry to the first write() of the data, or to the fsync() before the rename)
#    kill the run without leaving an output, a temporary file, or a change to an
#    existing output; an I/O error (ENOSPC, EIO) there gives exit 1 and a clear
#    message. Skipped with a message where strace cannot trace.
# usage: test_faults.sh RECIMG BAD_MAKE
set -u
recimg=$1
bad_make=$2
tmp=$(mktemp -d)
mnt=""
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
no_tmp() {   # no_tmp DIR WHAT
  if ls -a "$1" | grep -q '\.tmp-'; then bad "$2: temporary file left: $(ls -a "$1" | grep '\.tmp-')"; fi
}

"$bad_make" ppm 640 400 "$tmp/big.ppm" || bad "cannot make big.ppm"
"$recimg" compress "$tmp/big.ppm" -o "$tmp/big.rec" --quality 90 || bad "compress big.ppm"
"$recimg" decompress "$tmp/big.rec" -o "$tmp/ref.png" || bad "decompress big.rec to PNG"

# --- unwritable paths
touch "$tmp/afile"
mkdir -p "$tmp/adir"
for out in "$tmp/nodir/x.png" "$tmp/afile/x.png" "$tmp/adir"; do
  "$recimg" decompress "$tmp/big.rec" -o "$out" >/dev/null 2>"$tmp/err.txt"
  st=$?
  [ "$st" -eq 1 ] || bad "decompress -o $out: exit $st (want 1)"
  grep -q "$out" "$tmp/err.txt" || bad "decompress -o $out: message does not name it: $(cat "$tmp/err.txt")"
  # compress refuses an image name (x.png) before writing: give it a .rec name so the
  # unwritable path itself is what fails
  cout=$out
  case "$out" in *.png) cout=${out%.png}.rec ;; esac
  "$recimg" compress "$tmp/big.ppm" -o "$cout" >/dev/null 2>"$tmp/err.txt"
  st=$?
  [ "$st" -eq 1 ] || bad "compress -o $cout: exit $st (want 1)"
  grep -q "$cout" "$tmp/err.txt" || bad "compress -o $cout: message does not name it: $(cat "$tmp/err.txt")"
  grep -q "writes .rec files" "$tmp/err.txt" && bad "compress -o $cout: refused by name, path not tried"
done
[ -d "$tmp/adir" ] && [ -z "$(ls -A "$tmp/adir")" ] || bad "the directory given as output was changed"
no_tmp "$tmp" "unwritable paths"
no_tmp "$tmp/adir" "unwritable paths"

# --- full disk
mkdir -p "$tmp/full"
if mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>"$tmp/err.txt"; then
  mnt="$tmp/full"
  head -c 20000 "$tmp/ref.png" > "$tmp/full/keep.png"
  cp "$tmp/full/keep.png" "$tmp/keep.orig"
  for out in out.png out.ppm keep.png; do
    "$recimg" decompress "$tmp/big.rec" -o "$tmp/full/$out" >/dev/null 2>"$tmp/err.txt"
    st=$?
    [ "$st" -eq 1 ] || bad "full disk, decompress -o $out: exit $st (want 1)"
    grep -q "No space left" "$tmp/err.txt" || bad "full disk, $out: message: $(cat "$tmp/err.txt")"
    grep -q "$tmp/full/$out" "$tmp/err.txt" || bad "full disk, $out: message does not name the file"
  done
  [ ! -e "$tmp/full/out.png" ] && [ ! -e "$tmp/full/out.ppm" ] || bad "full disk: partial output left"
  cmp -s "$tmp/full/keep.png" "$tmp/keep.orig" || bad "full disk: existing output clobbered"
  # fill what is left, then even a small .rec cannot be written
  dd if=/dev/zero of="$tmp/full/filler" bs=1k count=64 2>/dev/null
  "$recimg" compress "$tmp/big.ppm" -o "$tmp/full/big.rec" --quality 10 >/dev/null 2>"$tmp/err.txt"
  st=$?
  [ "$st" -eq 1 ] || bad "full disk, compress: exit $st (want 1)"
  grep -q "No space left" "$tmp/err.txt" || bad "full disk, compress: message: $(cat "$tmp/err.txt")"
  [ ! -e "$tmp/full/big.rec" ] || bad "full disk: partial .rec left"
  no_tmp "$tmp/full" "full disk"
  umount "$tmp/full" && mnt=""
  echo "full disk: checked on a 64 KiB tmpfs"
else
  echo "SKIP full disk: cannot mount a tmpfs here ($(head -c 200 "$tmp/err.txt"))"
fi

# --- signals and I/O errors injected at exact points of the write (strace -e inject):
# the signal arrives on entry to the first write() of the output data, or to the
# fsync() before the rename; ENOSPC and EIO come back from fsync / the first write.
if strace -o /dev/null -e trace=none true 2>/dev/null; then
  # LeakSanitizer cannot run under ptrace: without this a sanitizer build aborts at exit
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  mkdir -p "$tmp/sig"
  runs=0
  printf 'an older output\n' > "$tmp/older"
  for sig in INT TERM HUP; do
    for point in write fsync; do
      for job in ppm png rec keep; do
        case $job in
          ppm)  out="$tmp/sig/out.ppm"; cmd=(decompress "$tmp/big.rec") ;;
          png)  out="$tmp/sig/out.png"; cmd=(decompress "$tmp/big.rec") ;;
          rec)  out="$tmp/sig/out.rec"; cmd=(compress "$tmp/big.ppm" --quality 50) ;;
          keep) out="$tmp/sig/keep.png"; cmd=(decompress "$tmp/big.rec"); cp "$tmp/older" "$out" ;;
        esac
        # (a subshell that waits, so bash's "Terminated" job message goes to /dev/null)
        ( strace -o /dev/null -e trace="$point" -e inject="$point:signal=SIG$sig:when=1" \
            "$recimg" "${cmd[@]}" -o "$out" >/dev/null 2>"$tmp/err.txt"; exit $? ) 2>/dev/null
        st=$?
        runs=$((runs + 1))
        [ "$st" -ne 0 ] || bad "SIG$sig at $point ($job): exit 0, the signal was lost"
        no_tmp "$tmp/sig" "SIG$sig at $point ($job)"
        if [ "$job" = keep ]; then
          cmp -s "$out" "$tmp/older" || bad "SIG$sig at $point: existing output changed"
          rm -f "$out"
        else
          [ ! -e "$out" ] || bad "SIG$sig at $point ($job): output left behind"
        fi
      done
    done
  done
  for fault in "fsync:error=ENOSPC:when=1" "write:error=EIO:when=1" "fsync:error=EIO:when=1"; do
    for job in png rec; do
      case $job in
        png) out="$tmp/sig/out.png"; cmd=(decompress "$tmp/big.rec") ;;
        rec) out="$tmp/sig/out.rec"; cmd=(compress "$tmp/big.ppm" --quality 50) ;;
      esac
      strace -o /dev/null -e trace="${fault%%:*}" -e inject="$fault" \
        "$recimg" "${cmd[@]}" -o "$out" >/dev/null 2>"$tmp/err.txt"
      st=$?
      runs=$((runs + 1))
      [ "$st" -eq 1 ] || bad "$fault ($job): exit $st (want 1)"
      case $fault in *ENOSPC*) want="No space left" ;; *) want="Input/output error" ;; esac
      grep -q "$want" "$tmp/err.txt" || bad "$fault ($job): message: $(cat "$tmp/err.txt")"
      grep -q "$out" "$tmp/err.txt" || bad "$fault ($job): message does not name the file"
      [ ! -e "$out" ] || bad "$fault ($job): output left behind"
      no_tmp "$tmp/sig" "$fault ($job)"
    done
  done
  echo "injected faults: $runs runs (SIGINT/SIGTERM/SIGHUP at write and fsync; ENOSPC, EIO)"
else
  echo "SKIP injected faults: strace cannot trace here"
fi

[ "$fail" -eq 0 ] && echo "test_faults: all checks passed"
exit "$fail"
