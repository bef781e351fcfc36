#!/usr/bin/env python3
"""BD-rate of a bench_round test against its round anchor with the anchor's mean bpp lowered
per quality: what the REC-vs-round figure would read against a baseline that coded the raw
low bits of its Golomb code exactly (docs/REC_CODEC.md "What falls short").

    bench/diagnostics/bd_shift.py RD_LEVER_OUTPUT ROUND_GOLOMB_OUTPUT [low|all]

RD_LEVER_OUTPUT: a bench/rd_lever.sh result (its table rows `rec Q mean_bpp psnr_rgb ...` and
`round Q mean_bpp psnr_rgb ...`); ROUND_GOLOMB_OUTPUT: bench/diagnostics/round_golomb.sh's output
on the same split and anchor qualities (its `# mean_bpp_saving` lines). Prints the BD-rate
(PSNR-RGB, mean curves) as read from the file's points, and with the round rates lowered by the
saving ('low': the raw low bits coded exactly; 'all': every part at its ideal length). The BD
computation is tools/bdrate.c's classic variant (least-squares cubic of ln(rate) against
quality, integrated over the overlap), re-implemented here; the first figure checks it against
bench_round's own. Pure Python, never part of ctest.
"""
import math
import sys


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for i in range(n):
        p = max(range(i, n), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        for r in range(n):
            if r != i:
                f = m[r][i] / m[i][i]
                for c in range(i, n + 1):
                    m[r][c] -= f * m[i][c]
    return [m[i][n] / m[i][i] for i in range(n)]


def cubic_fit(u, v):
    """least-squares cubic v(t), t = (u - centre) / scale in [-1, 1]"""
    lo, hi = min(u), max(u)
    centre, scale = 0.5 * (lo + hi), 0.5 * (hi - lo)
    t = [(x - centre) / scale for x in u]
    a = [[sum(ti ** (i + j) for ti in t) for j in range(4)] for i in range(4)]
    b = [sum(vi * ti ** i for ti, vi in zip(t, v)) for i in range(4)]
    return solve(a, b), centre, scale, lo, hi


def integral(fit, x0, x1):
    c, centre, scale, _, _ = fit
    def prim(x):
        t = (x - centre) / scale
        return scale * sum(c[i] * t ** (i + 1) / (i + 1) for i in range(4))
    return prim(x1) - prim(x0)


def bd_rate(ra, qa, rb, qb):
    fa = cubic_fit(qa, [math.log(r) for r in ra])
    fb = cubic_fit(qb, [math.log(r) for r in rb])
    lo, hi = max(fa[3], fb[3]), min(fa[4], fb[4])
    d = (integral(fb, lo, hi) - integral(fa, lo, hi)) / (hi - lo)
    return 100.0 * (math.exp(d) - 1.0)


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] not in ('low', 'all')):
        sys.stderr.write(__doc__)
        sys.exit(1)
    kind = sys.argv[3] if len(sys.argv) == 4 else 'low'
    pts = {'rec': [], 'round': []}
    reported = None
    for line in open(sys.argv[1]):
        f = line.split()
        if len(f) >= 4 and f[0] in pts:
            try:
                pts[f[0]].append((float(f[1]), float(f[2]), float(f[3])))
            except ValueError:
                pass
        if line.startswith('BD-rate of'):
            reported = line.strip()
    save = {}
    for line in open(sys.argv[2]):
        f = line.split()
        if line.startswith('# mean_bpp_saving'):
            save[float(f[3])] = float(f[5] if kind == 'low' else f[7])
    if not pts['rec'] or not pts['round'] or not save:
        sys.exit('bd_shift: no rec/round rows or no mean_bpp_saving lines')
    rec_r = [p[1] for p in pts['rec']]
    rec_q = [p[2] for p in pts['rec']]
    rnd_q = [p[2] for p in pts['round']]
    rnd_r = [p[1] for p in pts['round']]
    missing = [p[0] for p in pts['round'] if p[0] not in save]
    if missing:
        sys.exit('bd_shift: no saving for anchor qualities %s' % missing)
    rnd_r2 = [p[1] - save[p[0]] for p in pts['round']]
    print('as read: %+.2f%% (bench_round: %s)' % (bd_rate(rnd_r, rnd_q, rec_r, rec_q), reported))
    print('round with its %s at the ideal code length: %+.2f%%' % (
        'raw low bits' if kind == 'low' else 'whole code', bd_rate(rnd_r2, rnd_q, rec_r, rec_q)))
    for p, r2 in zip(pts['round'], rnd_r2):
        print('  round q%g: mean_bpp %.4f -> %.4f (%.3f%%)' % (p[0], p[1], r2, 100.0 * (r2 / p[1] - 1.0)))


if __name__ == '__main__':
    main()
