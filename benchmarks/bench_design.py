"""Designing with trained runs: interpretable and gradient designs, their rule obedience and match scores, and variant rankings.

    OMP_NUM_THREADS=1 python benchmarks/bench_design.py --runs data/models/tal_gata RUNS/spi1 RUNS/rest \\
        --arrangement rest='{"arrangement": ["REST_L(+)", 0, "REST_R(+)"], "strand": "random"}'

Each run folder comes from `argminn train` (the default protocol). Per run: the learned grammar is read on
2,000 sequences of the task's fixed test set; 1,000 interpretable designs (the rule table's arrangements, or the
one given with --arrangement for that task, written with the filters' names matched against the task's
motifs) and 100 gradient designs are made on one thread and timed (wall clock and CPU time: on a shared machine the wall clock also counts waiting); for both, the fraction with p > 0.5, the
fraction obeying the task's rule (the simulator's scanner, never the model) and the true motifs' mean best
match score (bits; per sequence the best of the task's motifs, and the mean over motifs) beside the test
positives'; then the planted-vs-background variant auROC of |Δ logit| over 200 positives."""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from argminn.datasets import fixed_split
from argminn.design import best_match_scores, compose, evaluate_designs, gradient_designs, learn_grammar, planted_variant_auroc
from argminn.runs import load_run, run_task


def bench_run(run: Path, arrangement=None, n_grammar: int = 1000, n_gradient: int = 100, n_read: int = 2000,
              n_variant_seqs: int = 200, seed: int = 0) -> dict:
    "The done-when numbers of one run."
    model, config, _ = load_run(run)
    task = run_task(config)
    test = fixed_split(task, "test", n=n_read, seed=config["train"]["split_seed"])
    t0 = time.perf_counter()
    lg = learn_grammar(model, test.x, test.labels, motif_db=list(task.motifs.values()))
    t_learn = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    gd = compose(lg, n_grammar, arrangement, seed=seed)
    t_grammar, c_grammar = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    gg = gradient_designs(lg, n_gradient, seed=seed)
    t_gradient, c_gradient = time.perf_counter() - t0, time.process_time() - c0
    eg, pg = evaluate_designs(gd, task)
    er, pr = evaluate_designs(gg, task)
    pos = best_match_scores(task, test.x[torch.as_tensor(test.labels == 1)])
    auc, _ = planted_variant_auroc(model, task, n_seqs=n_variant_seqs, seed=seed)
    return dict(run=run.name, task=task.name, passing=[lg.label(f) for f in lg.passing],
                grammar_p05=eg["frac_p_gt_0.5"], grammar_obeys=eg["frac_obeys_rule"], grammar_dups=eg["n_duplicates"],
                grammar_match=eg["mean_match_score"], gradient_p05=er["frac_p_gt_0.5"], gradient_obeys=er["frac_obeys_rule"],
                gradient_match=er["mean_match_score"], gradient_match_mean_motifs=float(pr.filter(like="score_").mean(axis=1).mean()),
                positives_match=float(pos.max(axis=1).mean()), positives_match_mean_motifs=float(pos.mean(axis=1).mean()),
                gradient_dups=er["n_duplicates"], gradient_edits=float(np.mean(gg.info["edits"])),
                variant_auroc=auc["auroc"], seconds_learn=round(t_learn, 2), seconds_grammar=round(t_grammar, 2),
                seconds_gradient=round(t_gradient, 2),
                cpu_seconds_grammar=round(c_grammar, 2), cpu_seconds_gradient=round(c_gradient, 2))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", nargs="+", required=True, help="training run folders")
    ap.add_argument("--arrangement", action="append", default=[], metavar="TASK=JSON",
                    help="interpretable designs of TASK in this arrangement (grammar JSON, the task's motif names)")
    ap.add_argument("--n-grammar", type=int, default=1000)
    ap.add_argument("--n-gradient", type=int, default=100)
    ap.add_argument("--json", default=None, help="also write the rows to this JSON file")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    arr = {k: json.loads(v) for k, v in (a.split("=", 1) for a in args.arrangement)}
    rows = []
    for run in map(Path, args.runs):
        task = run_task(run).name
        r = bench_run(run, arr.get(task), args.n_grammar, args.n_gradient)
        rows.append(r)
        print(json.dumps(r), flush=True)
    print("\n| task | interpretable p>0.5 | obeys rule | gradient p>0.5 | gradient match (bits) | positives match | variant auROC | "
          f"{args.n_grammar} grammar designs: wall (CPU) s | {args.n_gradient} gradient designs: wall (CPU) s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['task']} | {r['grammar_p05']:.1%} | {r['grammar_obeys']:.1%} | {r['gradient_p05']:.1%} | "
              f"{r['gradient_match']:.2f} (mean over motifs {r['gradient_match_mean_motifs']:.2f}) | "
              f"{r['positives_match']:.2f} ({r['positives_match_mean_motifs']:.2f}) | {r['variant_auroc']:.3f} | "
              f"{r['seconds_grammar']:.1f} ({r['cpu_seconds_grammar']:.1f}) | {r['seconds_gradient']:.1f} ({r['cpu_seconds_gradient']:.1f}) |")
    if args.json: Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
