#!/usr/bin/env python3
"""The flat matrix's step factor at equal rate (issue 4, docs/REC_CODEC.md "Flat matrix
defaults (session 9)"); a benchmark, never part of ctest.

For each quality q of a list, codes the split's images with the step matrix 1 (explicit
`--matrix 1`, whose chroma step default is the pre-session-9 one unless --chroma1 is given)
and records the mean bpp over the images (the rate of bench_round's mean curve); then
bisects the quality q' at which the flat matrix 0 (explicit `--matrix 0`, chroma step from
--chroma0 or its default) gives the same mean bpp, and prints the ratio of the two luma
steps, step0(q') / step1(q) (both from `recimg compress --stats`, so the ratio does not
depend on the flat factor the build already applies): the factor by which the flat
matrix's step must grow for a quality to keep matrix 1's rate. It also prints the mean bpp
of matrix 0 at the same q with the build's own factor (the default ladder after the change).

usage: bench/flat_factor.py BUILD_DIR train|heldout|all round|rec [--q LIST]
                            [--chroma0 X] [--chroma1 X] [--effort 1|2]
"""
import json
import os
import subprocess
import sys
import tempfile

SPLITS = {
    "train": ["astronaut", "coffee", "grass"],
    "heldout": ["chelsea", "rocket", "hubble_deep_field", "brick", "gravel"],
    "all": ["astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "brick", "grass", "gravel"],
}


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args[1] not in SPLITS or args[2] not in ("round", "rec"):
        sys.exit(__doc__)
    build, split, mode = args[0], args[1], args[2]
    qs, chroma0, chroma1, effort = None, None, None, None
    rest = args[3:]
    while rest:
        if len(rest) < 2:
            sys.exit(__doc__)
        k, v = rest[0], rest[1]
        rest = rest[2:]
        if k == "--q":
            qs = [float(x) for x in v.split(",")]
        elif k == "--chroma0":
            chroma0 = v
        elif k == "--chroma1":
            chroma1 = v
        elif k == "--effort":
            effort = v
        else:
            sys.exit(__doc__)
    if qs is None:
        qs = [4, 8, 15, 25, 40, 60, 75, 90] if mode == "round" else [8, 15, 25, 40, 60, 75, 80, 90]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    recimg = os.path.join(build, "tools", "recimg")
    images = [os.path.join(root, "testimages", n + ".png") for n in SPLITS[split]]
    tmpdir = tempfile.mkdtemp(prefix="flat_factor.")
    out = os.path.join(tmpdir, "x.rec")

    def code(img, q, matrix, chroma):
        cmd = [recimg, "compress", img, "-o", out, "--mode", mode, "--quality", "%.6f" % q, "--stats",
               "--threads", "1"]
        if matrix is not None:
            cmd += ["--matrix", str(matrix)]
        if chroma is not None:
            cmd += ["--chroma-step", chroma]
        if effort is not None:
            cmd += ["--effort", effort]
        s = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        return s["bpp"], s["step"]

    def mean_bpp(q, matrix, chroma):
        r = [code(i, q, matrix, chroma) for i in images]
        return sum(b for b, _ in r) / len(r), r[0][1]

    try:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], check=True,
                                capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    print("# %s (commit %s), split %s (%s), mode %s, matrix 1 chroma %s, matrix 0 chroma %s%s" % (
        " ".join(sys.argv), commit, split, " ".join(SPLITS[split]), mode, chroma1 or "default",
        chroma0 or "default", ", effort " + effort if effort else ""))
    print("# q | matrix 1: mean bpp, step | matrix 0 (build's factor) at q: mean bpp | "
          "equal-rate q', step0(q') | factor step0(q')/step1(q)")
    for q in qs:
        b1, s1 = mean_bpp(q, 1, chroma1)
        b0, _ = mean_bpp(q, 0, chroma0)
        lo, hi = 0.5, 99.9   # bpp rises with the quality
        for _ in range(18):
            mid = 0.5 * (lo + hi)
            b, _ = mean_bpp(mid, 0, chroma0)
            if b > b1:
                hi = mid
            else:
                lo = mid
        qe = 0.5 * (lo + hi)
        be, se = mean_bpp(qe, 0, chroma0)
        print("%6.2f | %.4f %8.4f | %.4f | %7.3f %8.4f (bpp %.4f) | %.4f" % (q, b1, s1, b0, qe, se, be, se / s1))
    os.remove(out) if os.path.exists(out) else None
    os.rmdir(tmpdir)


if __name__ == "__main__":
    main()
