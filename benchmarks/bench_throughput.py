"""Training throughput: sequences per second of the training step, by model size, precision and number of processes.

Each measurement runs in a fresh process (one thread per process on the CPU) that builds `--steps` + `--warmup`
simulated batches of the paper's size (64 sequences + their 64 reverse complements) up front, then times
`argminn.train.train_epoch` over them: forward, the loss with the regularisers at the paper's held weights (overlap
1e5, L1 1e-2), backward, clipping and the Adam step. With several processes (`torchrun`, gloo on the CPU) each
trains on its shard of every batch through DistributedDataParallel, exactly as `argminn train` does under torchrun;
the rate is that of all processes together. How fast the simulator makes batches is printed too (one core).

Two model sizes: the paper's default (8 filters of width 10 on 500 bp) and a larger one (32 filters of width 15 on
1,000 bp). Where a GPU is present, both run on it in float32 and in bf16 mixed precision; on the CPU the benchmark
reports 1 versus 2 processes (fp32).

    python benchmarks/bench_throughput.py                      # GPU: cuda fp32/bf16; CPU: 1 vs 2 processes
    python benchmarks/bench_throughput.py --device cpu --processes 1 2 --sizes paper --steps 30
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import json
import platform
import shlex
import subprocess
import sys
import time

import torch

SIZES = {"paper": dict(n_filters=8, filter_width=10, seq_len=500), "large": dict(n_filters=32, filter_width=15, seq_len=1000)}
LAMBDAS = {"overlap": 1e5, "l1": 1e-2}   # the paper's schedule, held part


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default=None, help="cpu or cuda (default: cuda if available)")
    p.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    p.add_argument("--precisions", nargs="+", default=None, choices=["fp32", "bf16"], help="default: fp32 bf16 on a GPU, fp32 on the CPU")
    p.add_argument("--processes", nargs="+", type=int, default=None, help="default: 1 on a GPU, 1 2 on the CPU")
    p.add_argument("--steps", type=int, default=20, help="timed training steps (global batches of 128)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--task", default="tal_gata")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--size", default="paper", help=argparse.SUPPRESS)
    p.add_argument("--precision", default="fp32", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def worker(a):
    "One measurement, in this process (rank 0 prints a JSON line)."
    from argminn.datasets import SimulatedBatches
    from argminn.distributed import processes
    from argminn.grammar import load_task
    from argminn.model import ARGMINN, ARGMINNConfig
    from argminn.train import PRECISIONS, seed_everything, train_epoch
    torch.set_num_threads(1) if a.device == "cpu" else None
    cfg = SIZES[a.size]
    task = load_task(a.task, length=cfg["seq_len"])
    sim = SimulatedBatches(task, batch_size=64, batches_per_epoch=a.warmup + a.steps, seed=0)
    t0 = time.perf_counter(); batches = list(sim.batches(0)); sim_rate = 64 * len(batches) / (time.perf_counter() - t0)
    procs = processes(a.device)
    seed_everything(0)
    model = ARGMINN(ARGMINNConfig(**cfg)).to(procs.device)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    kw = dict(read=procs.wrap(model), procs=procs, amp=PRECISIONS[a.precision])
    sync = torch.cuda.synchronize if procs.device.type == "cuda" else (lambda: None)
    train_epoch(model, opt, batches[: a.warmup], LAMBDAS, **kw)
    sync(); procs.barrier(); t0 = time.perf_counter()
    r = train_epoch(model, opt, batches[a.warmup:], LAMBDAS, **kw)
    sync(); procs.barrier(); dt = time.perf_counter() - t0
    if procs.main:
        print(json.dumps({"size": a.size, "precision": a.precision, "device": str(procs.device.type), "processes": procs.world,
                          "seqs_per_s": 128 * a.steps / dt, "step_ms": 1000 * dt / a.steps, "skipped": r["skipped"],
                          "sim_seqs_per_s": 2 * sim_rate}))
    procs.close()


def measure(a, size, precision, n):
    "Run one measurement in a fresh process (or `n` processes under torchrun)."
    me = [os.path.abspath(__file__), "--worker", "--size", size, "--precision", precision, "--device", a.device,
          "--steps", str(a.steps), "--warmup", str(a.warmup), "--task", a.task]
    cmd = [sys.executable] + (["-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(n)] if n > 1 else []) + me
    r = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    if r.returncode: sys.exit(f"measurement failed ({shlex.join(cmd)}):\n{r.stderr[-3000:]}")
    return json.loads([l for l in r.stdout.splitlines() if l.startswith("{")][-1])


def main(argv=None):
    a = parse_args(argv)
    if a.worker: return worker(a)
    a.device = a.device or ("cuda" if torch.cuda.is_available() else "cpu")
    gpu = a.device.startswith("cuda")
    precisions = a.precisions or (["fp32", "bf16"] if gpu else ["fp32"])
    nprocs = a.processes or ([1] if gpu else [1, 2])
    print(f"# argminn training throughput on {a.device} ({torch.cuda.get_device_name() if gpu else platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores), torch {torch.__version__}, {a.steps} steps of 128 sequences after {a.warmup} warm-up steps")
    print("| model | precision | processes | sequences/s | ms per step | simulator (seqs/s, 1 core) |")
    print("|---|---|---|---|---|---|")
    rows = []
    for size in a.sizes:
        c = SIZES[size]
        for precision in precisions:
            for n in nprocs:
                r = measure(a, size, precision, n); rows.append(r)
                print(f"| {c['n_filters']} filters x {c['filter_width']}, {c['seq_len']} bp | {precision} | {n} | {r['seqs_per_s']:.0f} | "
                      f"{r['step_ms']:.1f} | {r['sim_seqs_per_s']:.0f} |", flush=True)
    for size in a.sizes:
        for precision in precisions:
            by_n = {r["processes"]: r["seqs_per_s"] for r in rows if r["size"] == size and r["precision"] == precision}
            if 1 in by_n and len(by_n) > 1:
                print(f"{size}, {precision}: " + ", ".join(f"{n} processes {v / by_n[1]:.2f}x" for n, v in sorted(by_n.items()) if n > 1)
                      + " the throughput of 1")
    print("reproduce: " + shlex.join(["python", "benchmarks/bench_throughput.py"] + (argv if argv is not None else sys.argv[1:])))


if __name__ == "__main__":
    main()
