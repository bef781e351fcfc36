#!/usr/bin/env python3
"""Rate cost of coding uq bins with a quantized Laplace prior (docs/SPEED.md "Speed pass 14").

A table-driven bin coder would index its counts by a class of the prior scale b and of the
bin offset c = u + mean / D (mod 1), D = sqrt(12), i.e. code with Laplace(b_q) at offset c_q.
For y drawn from the exact prior (mean 0, scale b) and c uniform, this prints the expected
excess in bits per coded coefficient, E_c[KL(p_c || q_c)], for (mantissa bits of b, offset
classes) = (m, P): b_q keeps m mantissa bits (the class midpoint), c_q is the middle of one of
P classes (P = 0: exact offset; m = 99: exact scale). Integer count floors and the window are
ignored (both coders share them). Never part of ctest.
"""
import math

D = math.sqrt(12)


def cdf(z):   # standard Laplace CDF
    return 0.5 * math.exp(z) if z < 0 else 1 - 0.5 * math.exp(-z)


def pmf(b, c, K=60):
    # bin k holds y in [D (k - c - 1/2), D (k - c + 1/2))
    return {k: max(cdf(D * (k - c + 0.5) / b) - cdf(D * (k - c - 0.5) / b), 1e-300) for k in range(-K, K + 1)}


def quant_b(b, m):
    if m > 50:
        return b
    e = math.floor(math.log2(b))
    f = b / 2 ** e - 1
    f = (math.floor(f * 2 ** m) + 0.5) / 2 ** m
    return (1 + f) * 2 ** e


def excess(b, m, P, n=400):
    tot = 0.0
    for i in range(n):
        c = (i + 0.5) / n
        cq = (math.floor(c * P) + 0.5) / P if P else c
        p, q = pmf(b, c), pmf(quant_b(b, m), cq)
        tot += sum(p[k] * math.log2(p[k] / q[k]) for k in p if p[k] > 1e-15)
    return tot / n


if __name__ == '__main__':
    cfgs = [(4, 64), (6, 128), (3, 32), (99, 64), (4, 0), (6, 256), (8, 512)]
    print('b      ' + ' '.join('m%d/P%d' % c for c in cfgs))
    for b in [0.25, 0.5, 1, 2, 4, 8]:
        print('%-6g ' % b + ' '.join('%.5f' % excess(b, *c) for c in cfgs))
