"""Throughput of argminn.simulate against a straightforward per-base Python sampler, in the same run.

Both samplers implement the same contract: a leaf drawn from the grammar, motif instances drawn base by base
from the PFM until they match their own motif, centred with a uniform +-jitter offset, background drawn base
by base, and every window that is not exactly a planted instance rescanned (all task motifs, both strands)
with its background bases redrawn until no window matches. The rate counts unique sequences per second.

    OMP_NUM_THREADS=1 python benchmarks/bench_simulate.py [--task tal_gata] [--n 20000] [--n-baseline 200]
"""
import argparse
import os
import random
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from argminn import grammar as G  # noqa: E402
from argminn import simulate as S  # noqa: E402


def naive_sample(task, n: int, seed: int) -> list[str]:
    "Per-base Python sampler (half positives, half negatives) with the same rejection rule."
    smp = S._sampler(task)
    rnd = random.Random(seed)
    L, J = task.length, task.jitter
    bg_cum = np.cumsum(task.freqs).tolist()
    pfm_cum = [np.cumsum(p, 0).T.tolist() for p in smp.pfm]  # per position: cumulative A, C, G, T
    pwm = [p.T.tolist() for p in smp.pwm]  # per position: scores of A, C, G, T
    pwm_rc = [p[::-1, ::-1].T.tolist() for p in smp.pwm]
    widths = [int(w) for w in smp.W]

    def base(cum):
        u = rnd.random()
        for b, c in enumerate(cum):
            if u < c: return b
        return 3

    def score(seq, start, mat):
        return sum(mat[j][seq[start + j]] for j in range(len(mat)))

    def draw(m):
        while True:
            x = [base(c) for c in pfm_cum[m]]
            if score(x, 0, pwm[m]) >= smp.thr[m]: return x

    out = []
    for i in range(n):
        label = 1 if i < n // 2 else 0
        leaves, probs, _ = smp.leaves[label]
        u, acc, leaf = rnd.random(), 0.0, leaves[-1]
        for lf, p in zip(leaves, probs):
            acc += p
            if u < acc: leaf = lf; break
        if isinstance(leaf, G.Scatter): raise NotImplementedError("the baseline handles arrangements only")
        flip = {"+": False, "-": True}.get(leaf.strand, rnd.random() < 0.5)
        parts, planted_motifs = [], []
        for it in leaf.items:
            if isinstance(it, G.Gap): parts.append([None] * rnd.randint(it.lo, it.hi))
            else:
                m = smp.kid[it.motif]
                minus = {"+": False, "-": True}.get(it.strand, rnd.random() < 0.5)
                x = draw(m)
                if minus: x = [3 - b for b in reversed(x)]
                parts.append(x); planted_motifs.append((len(parts) - 1, m, minus))
        total = sum(len(p) for p in parts)
        left = L // 2 - total // 2 + rnd.randint(-J, J)
        seq, planted, exempt = [None] * L, [False] * L, set()
        pos = left
        for k, p in enumerate(parts):
            for j, b in enumerate(p):
                seq[pos + j] = b
                if b is not None: planted[pos + j] = True
            for kk, m, _ in planted_motifs:
                if kk == k: exempt.add((pos, m))
            pos += len(p)
        if flip:
            seq = [None if b is None else 3 - b for b in reversed(seq)]
            planted = planted[::-1]
            exempt = {(L - s - widths[m], m) for s, m in exempt}
        for j in range(L):
            if seq[j] is None: seq[j] = base(bg_cum)
        while True:  # scan every window, both strands, all motifs; redraw background of offending windows
            bad = False
            for m, w in enumerate(widths):
                for s in range(L - w + 1):
                    if (s, m) in exempt: continue
                    if score(seq, s, pwm[m]) >= smp.thr[m] or score(seq, s, pwm_rc[m]) >= smp.thr[m]:
                        bad = True
                        for j in range(s, s + w):
                            if not planted[j]: seq[j] = base(bg_cum)
            if not bad: break
        out.append("".join("ACGT"[b] for b in seq))
    return out


def rate(fn, n, reps=3):
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t)
    return n / best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default="tal_gata")
    ap.add_argument("--n", type=int, default=20000, help="sequences per vectorised run")
    ap.add_argument("--n-baseline", type=int, default=200, help="sequences for the per-base baseline")
    ap.add_argument("--all-tasks", action="store_true", help="also report every shipped task")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    task = G.load_task(a.task)
    S.sample(task, 8, 8, seed=0)  # warm-up (compiles the task)
    r_idx = rate(lambda: S.sample(task, a.n // 2, a.n - a.n // 2, seed=1), a.n)
    r_x = rate(lambda: S.simulate(task, a.n, seed=1), a.n)
    r_base = rate(lambda: naive_sample(task, a.n_baseline, seed=1), a.n_baseline, reps=1)
    print(f"task {task.name}, length {task.length}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, "
          f"torch threads {torch.get_num_threads()}")
    print(f"vectorised sample():   {r_idx:10.0f} sequences/s  (int8 codes + instance table, n={a.n})")
    print(f"vectorised simulate(): {r_x:10.0f} sequences/s  (one-hot float32 tensors, n={a.n})")
    print(f"per-base baseline:     {r_base:10.1f} sequences/s  (n={a.n_baseline})")
    print(f"ratio: {r_idx / r_base:.0f}x (sample) / {r_x / r_base:.0f}x (simulate)")
    if a.all_tasks:
        for name in G.list_tasks():
            t = G.load_task(name); S.sample(t, 8, 8, seed=0)
            print(f"  {name:10s} {rate(lambda: S.simulate(t, a.n, seed=1), a.n, reps=1):10.0f} sequences/s (simulate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
