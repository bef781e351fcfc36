#!/usr/bin/env python3
"""Self cost of one function per machine instruction, from a callgrind profile (issue 8).

    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file=cg.out \\
        build/tools/recimg compress a.ppm -o a.rec --mode rec --quality 62.5
    bench/callgrind_instr.py cg.out encode_rows build/codec/librecimg.so.0.1.0 [--annotate]

Prints the function's instructions grouped by how many times each one ran (for the
coefficient loops: every coefficient, every AC one, the skipped ones, the coded ones, ...),
i.e. how many instructions a path costs and in total; with --annotate, every instruction
that ran with its count and source line (objdump -d -l; build with -g for the lines).
Callgrind's own line-level view mixes inlined code across files; this one does not.
Never part of ctest. docs/SPEED.md "Speed pass 10" uses it.
"""
import collections
import re
import signal
import subprocess
import sys


def self_costs(path, fname):
    """{address: Ir} of fname's own instructions (calls' inclusive costs left out)."""
    names, cost = {}, collections.Counter()
    cur, prev, skip_next = None, [0, 0], False

    def pos(tok, i):
        if tok == '*':
            return prev[i]
        if tok[0] in '+-':
            return prev[i] + int(tok, 0)
        return int(tok, 0)

    with open(path, errors='replace') as f:
        for line in f:
            if line.startswith(('fn=', 'cfn=')):
                m = re.match(r'c?fn=\((\d+)\)(?: (.*))?', line.rstrip('\n'))
                if m and m.group(2):
                    names[m.group(1)] = m.group(2)
                if line.startswith('fn=') and m:
                    cur = names.get(m.group(1))
                continue
            if line.startswith('calls='):
                skip_next = True
                continue
            if not line or not (line[0].isdigit() or line[0] in '+-*'):
                continue
            toks = line.split()
            if len(toks) < 3:
                continue
            prev[0], prev[1] = pos(toks[0], 0), pos(toks[1], 1)
            if skip_next:   # the cost line of a call: inclusive, not this function's
                skip_next = False
                continue
            if cur == fname:
                cost[prev[0]] += int(toks[2])
    return cost


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    path, fname, lib = sys.argv[1:4]
    annotate = '--annotate' in sys.argv[4:]
    cost = self_costs(path, fname)
    if not cost:
        sys.exit(f'callgrind_instr: no self cost of {fname} in {path} (was --dump-instr=yes given?)')
    total = sum(cost.values())
    print(f'# {fname}: {total} instructions (self)')
    classes = collections.Counter(cost.values())
    print('# times run, instructions that ran that often, their total')
    for n, k in sorted(classes.items(), key=lambda x: -x[0] * x[1]):
        if n * k >= total // 1000:
            print(f'{n:12d} {k:5d} {n * k:12d}')
    if annotate:
        lo, hi = min(cost), max(cost)
        dis = subprocess.run(['objdump', '-d', '-l', '--no-show-raw-insn', lib], check=True,
                             capture_output=True, text=True).stdout
        src = ''
        for line in dis.splitlines():
            m = re.match(r'\s*([0-9a-f]+):\s+(.*)', line)
            if m:
                a = int(m.group(1), 16)
                if lo <= a <= hi and cost.get(a):
                    if src:
                        print('   ---- ' + src)
                        src = ''
                    print(f'{cost[a]:12d}  {a:x}  {m.group(2)}')
            elif line.startswith('/'):
                src = line.rsplit('/', 1)[-1]


if __name__ == '__main__':
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quiet under | head
    main()
