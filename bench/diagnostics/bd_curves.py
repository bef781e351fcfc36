#!/usr/bin/env python3
"""BD-rate (PSNR-RGB, mean curves) of the test rows of one bench_round / bench/rd_lever.sh output
against the anchor rows of another: e.g. a scratch build's REC test (the zero-overhead bound of
docs/REC_CODEC.md "What removing the overhead would give") against the round anchor of a later
main, without porting the scratch hooks.

    bench/diagnostics/bd_curves.py TEST_FILE ANCHOR_FILE [TEST_CODEC [ANCHOR_CODEC]]

TEST_CODEC (default rec) names the rows taken from TEST_FILE, ANCHOR_CODEC (default round) those
from ANCHOR_FILE (`codec quality mean_bpp psnr_rgb ...`). Both files must cover the same images
(mean curves are means over images). tools/bdrate.c's method (bd_shift.py's implementation).
Pure Python, never part of ctest.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bd_shift import bd_rate  # noqa: E402


def rows(path, codec):
    out, imgs = [], None
    for line in open(path):
        f = line.split()
        if line.startswith('images:'):
            imgs = f[1]
        if len(f) >= 4 and f[0] == codec:
            try:
                out.append((float(f[2]), float(f[3])))
            except ValueError:
                pass
    if not out:
        sys.exit('bd_curves: no %s rows in %s' % (codec, path))
    return out, imgs


def main():
    if len(sys.argv) not in (3, 4, 5):
        sys.stderr.write(__doc__)
        sys.exit(1)
    tc = sys.argv[3] if len(sys.argv) > 3 else 'rec'
    ac = sys.argv[4] if len(sys.argv) > 4 else 'round'
    t, ti = rows(sys.argv[1], tc)
    a, ai = rows(sys.argv[2], ac)
    if ti != ai:
        sys.exit('bd_curves: the files cover different image sets (%s, %s images)' % (ti, ai))
    print('BD-rate of %s (%s) vs %s (%s) on mean curves: PSNR-RGB %+.2f%%' % (
        tc, sys.argv[1], ac, sys.argv[2], bd_rate([p[0] for p in a], [p[1] for p in a], [p[0] for p in t], [p[1] for p in t])))


if __name__ == '__main__':
    main()
