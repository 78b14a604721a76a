"""Which attention keys should be the default? Trains ARGMINN by the paper protocol with each `key_mode`
("tied": keys = value projection, the paper's code; "token": keys = the tokens, the described design;
"linear": an own key projection) and prints test auROC per task, mode and seed.

    OMP_NUM_THREADS=1 python benchmarks/bench_key_mode.py --tasks jund_tead rest --modes tied token --seeds 0

Finished runs in --out are reused (delete them to retrain)."""
import argparse
import json
import sys
from pathlib import Path

from argminn.train import train


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", nargs="+", default=["jund_tead", "rest"])
    ap.add_argument("--modes", nargs="+", default=["tied", "token"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[0])
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batches-per-epoch", type=int, default=100)
    ap.add_argument("--out", default="bench_runs/key_mode")
    args = ap.parse_args(argv)
    rows = []
    for task in args.tasks:
        for mode in args.modes:
            for seed in args.seeds:
                run = Path(args.out) / f"{task}_{mode}_seed{seed}"
                if not (run / "metrics.json").is_file():
                    train(task, run, epochs=args.epochs, batches_per_epoch=args.batches_per_epoch, seed=seed,
                          model_config={"key_mode": mode}, force=True, progress=False)
                m = json.loads((run / "metrics.json").read_text())
                rows.append((task, mode, seed, m["auroc"], m["auprc"]))
                print(f"{task:>10} {mode:>6} seed {seed}: test auROC {m['auroc']:.4f}  auPRC {m['auprc']:.4f}", flush=True)
    print(f"\n{'task':>10} {'mode':>6} {'mean auROC':>10}")
    for task in args.tasks:
        for mode in args.modes:
            v = [r[3] for r in rows if r[0] == task and r[1] == mode]
            print(f"{task:>10} {mode:>6} {sum(v) / len(v):10.4f}  (n={len(v)})")
    print("\nreproduce: OMP_NUM_THREADS=1 python benchmarks/bench_key_mode.py " + " ".join(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
