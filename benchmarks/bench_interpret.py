"""Reading trained runs: motifs, instance calls and syntax rules per task, against the planted truth.

    OMP_NUM_THREADS=1 python benchmarks/bench_interpret.py --runs bench_runs/train/*_seed0 --out bench_runs/interpret

Each run folder comes from `argminn train` (or benchmarks/bench_train.py); `argminn.syntax.interpret_run`
reads it on the task's fixed test set (10,000 sequences by default) and this script prints one row per run."""
import argparse
import json
import sys
from pathlib import Path

from argminn.syntax import interpret_run


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", nargs="+", required=True, help="training run folders")
    ap.add_argument("--out", default="bench_runs/interpret")
    ap.add_argument("--n-seqs", type=int, default=None, help="test sequences (default: the run's n_test)")
    ap.add_argument("--checkpoint", default="best")
    args = ap.parse_args(argv)
    rows = []
    for run in map(Path, args.runs):
        s = interpret_run(run, Path(args.out) / run.name, force=True, n_seqs=args.n_seqs, checkpoint=args.checkpoint)
        inst = s["instances"]
        rules = "; ".join(f"{r['first']}{r['orientation']}{r['second']} @{r['spacing']} (n={r['support']})" for r in s["rules"][:3])
        row = dict(run=run.name, passing=s["n_passing"], true=len(s["true_motifs"]), matched=len(s["true_motifs_matched"]),
                   precision=inst["precision"], recall=inst["recall"], precision_id=inst["precision_id"],
                   recall_id=inst["recall_id"], fimo_p=s["fimo"]["precision"], fimo_r=s["fimo"]["recall"],
                   seconds=s["seconds"]["interpret_10k_budget"], rules=rules)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'run':<20} {'pass':>4} {'match':>7} {'prec':>6} {'rec':>6} {'prec_id':>7} {'rec_id':>6} {'fimoP':>6} {'fimoR':>6} {'sec':>6}")
    for r in rows:
        print(f"{r['run']:<20} {r['passing']:>4} {r['matched']:>3}/{r['true']:<3} {r['precision']:6.3f} {r['recall']:6.3f} "
              f"{r['precision_id']:7.3f} {r['recall_id']:6.3f} {r['fimo_p']:6.3f} {r['fimo_r']:6.3f} {r['seconds']:6.1f}")
        print(f"{'':<20} rules: {r['rules']}")
    if rows:
        mp = sum(r["precision"] for r in rows) / len(rows); mr = sum(r["recall"] for r in rows) / len(rows)
        print(f"\nmean precision {mp:.3f}, mean recall {mr:.3f}; passing filters per true motif "
              f"{sum(r['passing'] for r in rows) / sum(r['true'] for r in rows):.2f}")
    print("\nreproduce: OMP_NUM_THREADS=1 python benchmarks/bench_interpret.py " + " ".join(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
