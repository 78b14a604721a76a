"""Cost of the ARGMINN regularisers at the paper's defaults (B=128, L=500, one CPU thread).

Reproduce with:

    cd <repo> && nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_losses.py

Reports, in one process:
1. a full training step (forward, all losses, backward, gradient clipping, Adam step) against the same step
   with the prediction loss only, as the ratio of medians over interleaved repetitions (issue 4 target: <= 1.3x);
   the same step with the overlap loss computed literally (conv1d + gather under autograd) and with the
   materialising formulation of the reference code (B x F x L' x S products);
2. the overlap loss alone (forward + backward) for the three formulations;
3. the peak memory of the overlap loss (forward + backward, above the activations that already exist) for
   W=10 and W=25, from torch profiler allocation events, in units of B*F*L' float32 tensors.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from argminn.losses import argminn_loss, attention_entropy, l1_penalty, overlap_kernel, overlap_loss, overlap_masses
from argminn.model import ARGMINN
from argminn.seq import random_background

COMMAND = "nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_losses.py"
LAMBDAS = {"overlap": 1e3, "l1": 1e-2}  # any non-zero weights: the cost does not depend on their values


# --- reference formulations (benchmark/tests only; not part of the package) -------------------------------
def overlap_literal(weight, acts):
    "The overlap loss as written: G = conv1d(a, K, padding=W-1), gather G[t_i, i], differentiated by autograd."
    n_f, _, W = weight.shape
    G = F.conv1d(acts, overlap_kernel(weight), padding=W - 1)
    num = G.gather(1, acts.detach().argmax(1, keepdim=True)).sum((1, 2))
    return num / (weight.abs().sum() * acts.shape[2] * n_f * (2 * W - 1))


def overlap_materialised(weight, acts):
    "The reference code's formulation: every product in a (B, F, L', S) tensor, then summed."
    n_f, _, W = weight.shape
    L, S = acts.shape[2], 2 * W - 1
    A, Bm = overlap_masses(weight)
    top = acts.argmax(1)                                              # (B, L')
    windows = F.pad(acts, (W - 1, W - 1)).unfold(2, S, 1)             # (B, F, L', S)
    not_top = 1 - F.one_hot(top, n_f).permute(0, 2, 1).to(acts.dtype)
    prods = A[top][:, None] * Bm[None, :, None, :] * windows * not_top[..., None]
    return prods.sum((1, 2, 3)) / (weight.abs().sum() * L * n_f * S)


# --- timing ---------------------------------------------------------------------------------------------------
STRANDS_PREFIX = "both strands: "   # modes on the default both-strand model; the others use the paper's one-strand model


def make_step(model, opt, x, y, mode):
    "One training step; `mode` selects the loss."
    mode = mode.removeprefix(STRANDS_PREFIX)
    def step():
        out = model.read(x)
        if mode == "prediction only":
            loss = F.binary_cross_entropy_with_logits(out.logits, y)
        elif mode == "full (paper: overlap + L1, entropy logged)":
            loss = argminn_loss(out, y, model.conv.weight, LAMBDAS)["total"].mean()
        elif mode == "full + entropy weighted":
            loss = argminn_loss(out, y, model.conv.weight, {**LAMBDAS, "entropy": 1e-2})["total"].mean()
        else:
            fn = {"full, literal conv+gather": overlap_literal, "full, materialising": overlap_materialised}[mode]
            bce = F.binary_cross_entropy_with_logits(out.logits, y, reduction="none")
            with torch.no_grad(): attention_entropy(out.attention)   # logged, as in argminn_loss
            loss = (bce + LAMBDAS["overlap"] * fn(model.conv.weight, out.acts)
                    + LAMBDAS["l1"] * l1_penalty(model.conv.weight)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    return step


def time_steps(modes, reps, warmup, B, L):
    torch.manual_seed(0)
    x = random_background(B, L, seed=0)
    y = torch.tensor([0.0, 1.0]).repeat(B // 2)
    steps = {}
    for m in modes:
        torch.manual_seed(0)
        model = ARGMINN(strands="both" if m.startswith(STRANDS_PREFIX) else "forward").train()
        steps[m] = make_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), x, y, m)
    times = {m: [] for m in modes}
    for r in range(warmup + reps):
        order = modes[r % len(modes):] + modes[:r % len(modes)]   # rotate the order: no variant always goes first
        for m in order:
            t0 = time.perf_counter(); steps[m](); dt = time.perf_counter() - t0
            if r >= warmup: times[m].append(dt)
    return times


def time_loss(fns, reps, B, W, L):
    torch.manual_seed(0)
    w = torch.randn(8, 4, W, requires_grad=True)
    a = torch.relu(torch.randn(B, 8, L - W + 1)).requires_grad_()
    times = {k: [] for k in fns}
    for r in range(reps + 2):
        for k, fn in fns.items():
            t0 = time.perf_counter(); fn(w, a).sum().backward(); dt = time.perf_counter() - t0
            if r >= 2: times[k].append(dt)
    return times


# --- memory ---------------------------------------------------------------------------------------------------
def peak_bytes(fn):
    "Peak torch CPU memory allocated during fn() above the level at its start (profiler allocation events)."
    from torch._C._profiler import _EventType
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        fn()
    allocs, stack = [], list(prof.profiler.kineto_results.experimental_event_tree())
    while stack:
        e = stack.pop()
        if e.typed[0] == _EventType.Allocation: allocs.append((e.start_time_ns, e.typed[1].alloc_size))
        stack.extend(e.children)
    run = peak = 0
    for _, size in sorted(allocs):
        run += size
        peak = max(peak, run)
    return peak


def loss_memory(fn, B, W, L, n_f=8):
    torch.manual_seed(0)
    w = torch.randn(n_f, 4, W, requires_grad=True)
    a = torch.relu(torch.randn(B, n_f, L - W + 1)).requires_grad_()
    fn(w, a).sum().backward()                                          # warm up lazily allocated state
    w.grad = a.grad = None
    def run():
        fn(w, a).sum().backward()
    peak = peak_bytes(run)
    return peak, a.numel() * a.element_size()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=25, help="timed repetitions of every training-step variant")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--length", type=int, default=500)
    args = p.parse_args()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()) \
        if os.path.exists("/proc/cpuinfo") else platform.processor()
    print(f"# argminn loss benchmark\n# command: {COMMAND}\n# python {platform.python_version()}, torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}, cpu: {cpu}, load average at start: {os.getloadavg()[0]:.2f}")
    B, L = args.batch, args.length

    print(f"\n## 1. Training step, paper defaults (B={B}, L={L}), {args.reps} interleaved repetitions (median; IQR);\n"
          f"#    one-strand model (the paper's), then the default both-strand model; ratios against the first row")
    modes = ["prediction only", "full (paper: overlap + L1, entropy logged)", "full + entropy weighted",
             "full, literal conv+gather", "full, materialising",
             STRANDS_PREFIX + "prediction only", STRANDS_PREFIX + "full (paper: overlap + L1, entropy logged)"]
    times = time_steps(modes, args.reps, args.warmup, B, L)
    base = times[modes[0]]
    for m in modes:
        t = times[m]
        q = statistics.quantiles(t, n=4)
        ratio = statistics.median(t) / statistics.median(base)
        paired = statistics.median(a / b for a, b in zip(t, base))
        print(f"{m:59s} {1e3 * statistics.median(t):7.1f} ms  (IQR {1e3 * q[0]:.1f}-{1e3 * q[2]:.1f})  "
              f"ratio {ratio:5.2f}x  (paired median {paired:.2f}x)")
    both_full, both_pred = times[modes[-1]], times[modes[-2]]
    print(f"both strands, full / both strands, prediction only: {statistics.median(both_full) / statistics.median(both_pred):.2f}x "
          f"(paired median {statistics.median(a / b for a, b in zip(both_full, both_pred)):.2f}x)")

    print(f"\n## 2. Overlap loss alone, forward + backward (B={B}, F=8, L={L}), median of 7")
    fns = {"overlap_loss (argminn)": overlap_loss, "literal conv+gather": overlap_literal,
           "materialising": overlap_materialised}
    for W in (10, 25):
        t = time_loss(fns, 7, B, W, L)
        print(f"W={W:2d}: " + "   ".join(f"{k} {1e3 * statistics.median(v):.1f} ms" for k, v in t.items()))

    print(f"\n## 3. Peak memory of the overlap loss, forward + backward (B={B}, F=8, L={L}); "
          f"unit = one B x F x L' float32 tensor")
    for W in (10, 25):
        parts = []
        for k, fn in fns.items():
            peak, unit = loss_memory(fn, B, W, L)
            parts.append(f"{k} {peak / 2 ** 20:7.1f} MB = {peak / unit:5.1f} units")
        print(f"W={W:2d} (L'={L - W + 1}, unit {unit / 2 ** 20:.2f} MB): " + "   ".join(parts))
    print(f"\n# load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
