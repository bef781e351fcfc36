#!/usr/bin/env python3
"""PSNR-RGB and DCT-W1 of one codec's rows of a bench/results/rdlever/*.txt file (bench_round
output), interpolated linearly in log-rate at the given bpp: the "at matched rate" figures of
docs/REC_CODEC.md "Deadzone uq" (the mean curves over the images, as bench_round's BD-rate).
usage: rdlever_interp.py FILE rec|round BPP..."""
import math
import sys


def rows_of(path, codec):
    out = []
    for line in open(path):
        f = line.split()
        if len(f) >= 6 and f[0] == codec:
            try:
                out.append((float(f[2]), float(f[3]), float(f[5])))
            except ValueError:
                pass   # a header line that starts with the codec's name
    return sorted(out)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    path, codec = sys.argv[1], sys.argv[2]
    rows = rows_of(path, codec)
    for arg in sys.argv[3:]:
        b = float(arg)
        for (b0, p0, w0), (b1, p1, w1) in zip(rows, rows[1:]):
            if b0 <= b <= b1:
                t = (math.log(b) - math.log(b0)) / (math.log(b1) - math.log(b0))
                print("%s %s at %.2f bpp: psnr_rgb %.3f dct_w1 %.4f"
                      % (path.split("/")[-1], codec, b, p0 + t * (p1 - p0), w0 + t * (w1 - w0)))
                break
        else:
            print("%s %s: %.2f bpp outside the rows' rates" % (path, codec, b))


if __name__ == "__main__":
    main()
