"""Reading trained runs: motifs, instance calls and syntax rules per task, against the planted truth.

    OMP_NUM_THREADS=1 python benchmarks/bench_interpret.py --runs bench_runs/train/*_seed0 --out bench_runs/interpret

Each run folder comes from `argminn train` (or benchmarks/bench_train.py); `argminn.report.interpret_run`
reads it on the task's fixed test set (10,000 sequences by default) and this script prints one row per run."""
import argparse
import json
import sys
from pathlib import Path

from argminn.report import interpret_run

# the planted spacings the rule table must recover (issue 5): motif pair, spacing in bp
PLANTED_RULES = {"jund_tead": (("JUND", "TEAD4"), 10), "rest": (("REST_L", "REST_R"), 0)}


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
        task = s["task"]
        top = s["rules"][0] if s["rules"] else None
        planted = PLANTED_RULES.get(task)
        rule_ok = None if planted is None else bool(top) and (
            {top["first"], top["second"]} == set(planted[0]) and top["spacing"] == planted[1])
        row = dict(run=run.name, task=task, auroc=s["test_auroc"], passing=s["n_passing"], true=len(s["true_motifs"]),
                   matched=len(s["true_motifs_matched"]), rule_ok=rule_ok,
                   precision=inst["precision"], recall=inst["recall"], precision_id=inst["precision_id"],
                   recall_id=inst["recall_id"], fimo_p=s["fimo"]["precision"], fimo_r=s["fimo"]["recall"],
                   seconds=s["seconds"]["interpret_10k_budget"], rules=rules)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'run':<20} {'auROC':>6} {'pass':>4} {'match':>7} {'prec':>6} {'rec':>6} {'prec_id':>7} {'rec_id':>6} {'fimoP':>6} {'fimoR':>6} {'sec':>6}")
    for r in rows:
        print(f"{r['run']:<20} {r['auroc']:6.4f} {r['passing']:>4} {r['matched']:>3}/{r['true']:<3} {r['precision']:6.3f} {r['recall']:6.3f} "
              f"{r['precision_id']:7.3f} {r['recall_id']:6.3f} {r['fimo_p']:6.3f} {r['fimo_r']:6.3f} {r['seconds']:6.1f}")
        print(f"{'':<20} rules: {r['rules']}")
    if rows:
        mp = sum(r["precision"] for r in rows) / len(rows); mr = sum(r["recall"] for r in rows) / len(rows)
        per_motif = sum(r['passing'] for r in rows) / sum(r['true'] for r in rows)
        matched, true = sum(r["matched"] for r in rows), sum(r["true"] for r in rows)
        ruled = [r for r in rows if r["rule_ok"] is not None]
        print(f"\nissue-5 bars over these {len(rows)} runs:")
        print(f"  true motifs matched (TOMTOM q < 0.01): {matched}/{true}  [{'PASS' if matched == true else 'FAIL'}]")
        print(f"  passing filters per true motif: {per_motif:.2f}  (bar <= 1.5) [{'PASS' if per_motif <= 1.5 else 'FAIL'}]")
        print(f"  mean precision {mp:.3f} (bar >= 0.95) [{'PASS' if mp >= 0.95 else 'FAIL'}], "
              f"mean recall {mr:.3f} (bar >= 0.80) [{'PASS' if mr >= 0.80 else 'FAIL'}]")
        if ruled:
            print(f"  planted spacing is the top rule: {sum(r['rule_ok'] for r in ruled)}/{len(ruled)} runs "
                  f"({', '.join(r['run'] + (' yes' if r['rule_ok'] else ' no') for r in ruled)})")
    print("\nreproduce: OMP_NUM_THREADS=1 python benchmarks/bench_interpret.py " + " ".join(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
