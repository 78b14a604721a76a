"""Benchmark suite: ARGMINN vs the baselines (paper-size CNN, larger CNN, ExplaiNN) on simulated tasks.

Every model trains through the same `argminn.train.fit` (same batches, optimiser, clipping and validation-based
selection; never the test set) under one `argminn.bench.Protocol`; each (model, task, seed) cell runs in its own
process and is appended atomically to OUT/results.csv as soon as it finishes, so a killed suite continues where
it stopped. The script then prints the mean ± sd table (test auROC, auPRC), the cost table, the motif-recovery
table (with --recovery) and the command that reproduces them; the figure goes to OUT/auroc.png.

The committed numbers (data/bench/*.csv) came from, on 2 shared cores, one cell at a time:

    nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_suite.py \\
        --models argminn cnn_paper cnn_large explainn_8 \\
        --tasks tal_gata jund_tead_paper jund_tead xor rest_v2 --seeds 0 \\
        --out bench_runs/suite --recovery --save data/bench

Smoke test (a few minutes on a loaded machine): python benchmarks/bench_suite.py --quick
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import json
import shlex
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from argminn.bench import (Protocol, bench_models, cost_table, done_cells, plot_bench, read_results, recovery_table,
                           run_grid, summary_table)

MODELS = ["argminn", "cnn_paper", "cnn_large", "explainn_8"]
TASKS = ["tal_gata", "jund_tead_paper", "jund_tead", "xor", "rest_v2"]


def parse_args(argv=None):
    d = Protocol()
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", nargs="+", default=MODELS, choices=bench_models())
    p.add_argument("--tasks", nargs="+", default=TASKS)
    p.add_argument("--seeds", nargs="+", type=int, default=[0])
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--batches-per-epoch", type=int, default=d.batches_per_epoch)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--n-val", type=int, default=d.n_val)
    p.add_argument("--n-test", type=int, default=d.n_test)
    p.add_argument("--device", default="cpu")
    p.add_argument("--out", default="bench_runs/suite", help="grid folder: results.csv and the run folders")
    p.add_argument("--recovery", action="store_true", help="also read the motifs out of every finished cell")
    p.add_argument("--modisco", action="store_true", help="with --recovery: attributions + TF-MoDISco for the CNNs (needs modisco-lite)")
    p.add_argument("--no-train", action="store_true", help="only print the tables of what is already in OUT")
    p.add_argument("--save", default=None, help="copy results.csv (and recovery.csv) into this folder, e.g. data/bench")
    p.add_argument("--quick", action="store_true", help="smoke test: argminn and cnn_paper on tal_gata, seed 0, 4 x 5 batches")
    args = p.parse_args(argv)
    if args.quick:
        args.models, args.tasks, args.seeds = ["argminn", "cnn_paper"], ["tal_gata"], [0]
        args.epochs, args.batches_per_epoch, args.n_val, args.n_test = 4, 5, 200, 500
        if args.out == "bench_runs/suite": args.out = "bench_runs/quick"
    return args


def protocol_of(args) -> Protocol:
    return Protocol(epochs=args.epochs, batches_per_epoch=args.batches_per_epoch, batch_size=args.batch_size,
                    n_val=args.n_val, n_test=args.n_test)


def command_line(args) -> str:
    parts = ["nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_suite.py",
             "--models", *args.models, "--tasks", *args.tasks, "--seeds", *map(str, args.seeds),
             "--epochs", str(args.epochs), "--batches-per-epoch", str(args.batches_per_epoch),
             "--batch-size", str(args.batch_size), "--n-val", str(args.n_val), "--n-test", str(args.n_test),
             "--device", args.device, "--out", args.out, *(["--recovery"] if args.recovery else []),
             *(["--modisco"] if args.modisco else []), *(["--save", args.save] if args.save else [])]
    return " ".join(shlex.quote(p) if i else p for i, p in enumerate(parts))


def recovery(out: Path, df: pd.DataFrame, protocol: Protocol, modisco: bool) -> pd.DataFrame:
    "Motif recovery of every finished cell of `protocol`, cached in OUT/recovery.csv per cell."
    f = out / "recovery.csv"
    old = read_results(f)
    have = set() if not len(old) else set(zip(old.model, old.task, old.seed.astype(int)))
    todo = sorted(done_cells(df, protocol) - have)
    new = recovery_table(out, todo, modisco=modisco, split_seed=protocol.split_seed) if todo else pd.DataFrame()
    rec = pd.concat([old, new], ignore_index=True) if len(old) else new
    if len(rec):
        rec["protocol"] = protocol.id
        tmp = f.with_suffix(".tmp"); rec.to_csv(tmp, index=False); tmp.replace(f)
    return rec


def main(argv=None) -> int:
    args = parse_args(argv)
    out, protocol = Path(args.out), protocol_of(args)
    print(f"protocol {protocol.id}: {protocol}", flush=True)
    t0 = time.time()
    if not args.no_train:
        run_grid(args.models, args.tasks, args.seeds, out, protocol, device=args.device,
                 log=lambda s: print(time.strftime("%H:%M:%S"), s, flush=True))
    df = read_results(out / "results.csv")
    df = df[(df.protocol == protocol.id) & df.model.isin(args.models) & df.task.isin(args.tasks) & df.seed.isin(args.seeds)]
    pd.set_option("display.width", 200)
    print(f"\ntest auROC, mean ± sd (seeds) over {len(df)} cells; protocol {protocol.id}\n")
    print(summary_table(df).to_string())
    print("\ntest auPRC\n"); print(summary_table(df, "test_auprc").to_string())
    print("\ncost per model (means over cells)\n"); print(cost_table(df).to_string())
    rec = recovery(out, df, protocol, args.modisco) if args.recovery else None
    if rec is not None and len(rec):
        print("\nmotif recovery (TOMTOM q < 0.01), summed over cells\n")
        print(rec.groupby(["model", "method"])[["n_recovered", "n_true", "n_passing"]].sum().to_string())
    if len(df): plot_bench(df, models=args.models, tasks=args.tasks).figure.savefig(out / "auroc.png", dpi=120, bbox_inches="tight")
    if args.save:
        dest = Path(args.save); dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "results.csv", dest / "results.csv")
        (dest / "protocol.json").write_text(json.dumps({"id": protocol.id, **asdict(protocol), "select_from": protocol.select_from,
                                                        "regulariser_ramp": protocol.ramp, "command": command_line(args)}, indent=1) + "\n")
        if rec is not None and len(rec): shutil.copyfile(out / "recovery.csv", dest / "recovery.csv")
    print(f"\n{time.time() - t0:.0f} s; reproduce with:\n{command_line(args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
