"""Training benchmark: time and quality of the paper protocol on simulated tasks.

Trains ARGMINN with `argminn.train.train` for every task x seed, then prints one row per run (test auROC,
auPRC, accuracy, best epoch, wall time, seconds per epoch) and one row per task (test auROC mean ± sd over the
seeds, against the issue-4 targets: >= 0.95 on TAL/GATA, >= 0.94 on REST), followed by the command that
reproduces the table. Every run folder is kept under --out (config, history, checkpoints, metrics), and a
finished run is not retrained: re-running the script re-reads its metrics (use --force to start over; an
interrupted run is resumed from its `last/` checkpoint).

Reproduce the quality benchmark (6 runs of 40 x 100 batches; a few minutes each on one core):

    nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_train.py \\
        --tasks tal_gata rest --seeds 0 1 2 --out bench_runs/train

Time one full paper-protocol run (issue-4 target: at most 10 minutes on 2 cores):

    nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_train.py --tasks tal_gata --seeds 0

Smoke test (seconds): add `--epochs 2 --batches-per-epoch 10 --n-val 256 --n-test 1000`.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import json
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path

import torch

from argminn import __version__
from argminn.train import train

TARGETS = {"tal_gata": 0.95, "rest": 0.94}  # issue 4: mean test auROC over 3 seeds
PAPER = {"tal_gata": 0.954, "rest": 0.947}  # ARGMINN in Tseng et al. (arXiv 2410.06211)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", nargs="+", default=["tal_gata", "rest"], help="task names or grammar paths")
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--batches-per-epoch", type=int, default=100)
    p.add_argument("--schedule", default="paper", help="paper, tutorial or none")
    p.add_argument("--strands", default=None, choices=["forward", "both"],
                   help="filters scan the given strand only (the paper) or both strands (default: the model's default)")
    p.add_argument("--n-val", type=int, default=2000)
    p.add_argument("--n-test", type=int, default=10000)
    p.add_argument("--device", default="cpu")
    p.add_argument("--out", default="bench_runs/train", help="folder for the run folders and summary files")
    p.add_argument("--force", action="store_true", help="retrain runs that already exist")
    p.add_argument("--progress", action="store_true", help="show progress bars")
    return p.parse_args(argv)


def command_line(args) -> str:
    parts = ["nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_train.py",
             "--tasks", *args.tasks, "--seeds", *map(str, args.seeds), "--epochs", str(args.epochs),
             "--batches-per-epoch", str(args.batches_per_epoch), "--schedule", args.schedule,
             *(["--strands", args.strands] if args.strands else []),
             "--n-val", str(args.n_val), "--n-test", str(args.n_test), "--device", args.device, "--out", args.out]
    return " ".join(shlex.quote(p) if i else p for i, p in enumerate(parts))


def run_name(task: str) -> str: return Path(task).stem if task.endswith(".json") else task


def main(argv=None) -> int:
    args = parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"argminn {__version__}, torch {torch.__version__}, python {platform.python_version()}, "
          f"{os.cpu_count()} cpus, torch threads {torch.get_num_threads()}, device {args.device}", flush=True)
    rows = []
    for task in args.tasks:
        for seed in args.seeds:
            run = out / f"{run_name(task)}_seed{seed}"
            done = (run / "metrics.json").is_file() and not args.force
            t0 = time.perf_counter()
            res = train(task, run, epochs=args.epochs, batches_per_epoch=args.batches_per_epoch, seed=seed,
                        device=args.device, schedule=args.schedule, n_val=args.n_val, n_test=args.n_test,
                        resume=not args.force, force=args.force, progress=args.progress,
                        model_config=None if args.strands is None else {"strands": args.strands})
            wall = time.perf_counter() - t0
            h, m = res.history, res.metrics
            row = dict(task=run_name(task), seed=seed, auroc=m["auroc"], auprc=m["auprc"], accuracy=m["accuracy"],
                       bce=m["bce"], best_epoch=res.best_epoch, epochs=len(h), skipped=int(h.skipped.sum()),
                       train_seconds=float(h.seconds.sum()), s_per_epoch=float(h.seconds.mean()),
                       wall_seconds=None if done else wall, reused=done, run=str(run))
            rows.append(row)
            print(f"{row['task']:>10} seed {seed}: test auROC {m['auroc']:.4f}  auPRC {m['auprc']:.4f}  "
                  f"best epoch {res.best_epoch + 1}/{len(h)}  train {row['train_seconds']:.0f} s "
                  f"({row['s_per_epoch']:.2f} s/epoch){'  (reused)' if done else f', wall {wall:.0f} s'}", flush=True)

    print("\nper run")
    print(f"{'task':>10} {'seed':>4} {'auROC':>7} {'auPRC':>7} {'acc':>6} {'best':>5} {'train s':>8} {'s/epoch':>8}")
    for r in rows:
        print(f"{r['task']:>10} {r['seed']:>4} {r['auroc']:7.4f} {r['auprc']:7.4f} {r['accuracy']:6.3f} "
              f"{r['best_epoch'] + 1:>5} {r['train_seconds']:8.0f} {r['s_per_epoch']:8.2f}")
    print("\nper task (test auROC over seeds)")
    print(f"{'task':>10} {'n':>2} {'mean':>7} {'sd':>7} {'target':>7} {'paper':>6}  result")
    summary = []
    for task in dict.fromkeys(r["task"] for r in rows):
        v = [r["auroc"] for r in rows if r["task"] == task]
        mean, sd = statistics.fmean(v), (statistics.stdev(v) if len(v) > 1 else float("nan"))
        tgt = TARGETS.get(task)
        full = args.epochs == 40 and args.batches_per_epoch == 100 and args.schedule == "paper"
        verdict = "-" if tgt is None else ("PASS" if mean >= tgt else "FAIL") + ("" if full else " (not the full protocol)")
        summary.append(dict(task=task, n=len(v), mean=mean, sd=sd, target=tgt, paper=PAPER.get(task), result=verdict))
        print(f"{task:>10} {len(v):>2} {mean:7.4f} {sd:7.4f} {tgt if tgt else float('nan'):7.3f} "
              f"{PAPER.get(task, float('nan')):6.3f}  {verdict}")
    (out / "summary.json").write_text(json.dumps({"command": command_line(args), "runs": rows, "tasks": summary},
                                                 indent=2, default=str) + "\n")
    print(f"\nwritten: {out / 'summary.json'} and one run folder per row under {out}/")
    print(f"reproduce: {command_line(args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
