"""Calls on tasks nobody tuned for: train ARGMINN on random tasks, read each with `read_model`, score the reading.

Every task comes from `argminn.grammar.random_task(seed)` (2-4 random JASPAR CORE vertebrate motifs, none used
by a shipped task, a mixture of singles and fixed-spacing pairs or a hard spacing rule, random background GC).
The calling thresholds are `read_model`'s defaults, set on the paper's tasks; nothing here is tuned on the
random tasks. Per task it reports the test auROC, which of the task's motifs (all of them are needed to
classify) a passing filter matches (TOMTOM q < 0.01), the number of passing filters, and the precision and
recall of the instance calls in the positives, with FIMO on the filters' motifs as a comparison; then the
overall numbers against the bars of issue 13 (every needed motif recovered in >= 90 % of the tasks, mean
precision >= 0.95, mean recall >= 0.80), over all tasks and over the tasks the model learned (auROC >= 0.9).

Reproduce the numbers reported for issue 13 (one training at a time; the `short` schedule below on 300 bp
tasks, about 3 minutes a task on a shared core):

    nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_random_tasks.py \\
        --seeds 1000-1029 --protocol short --length 300 --out bench_runs/random_tasks --stop-at 14:50

Measured (2026-12-04, seeds 1000-1019 = 20 tasks, 300 bp, `--protocol bench` (20 x 100 batches), train seed 0,
about 2-3 minutes a task; the calls with z_min=None, the read_model default from then on, which was set on the
paper tasks only; in brackets the earlier z_min=0):
    --offset-bias 40: test auROC >= 0.9 in 19 of 20; every needed motif recovered in 90 % of the tasks (47/49 motifs,
        1.35 passing filters per motif); mean precision 0.949 (0.949), recall 0.875 (0.826); FIMO 0.937 / 0.772.
        Learned tasks (19): recovered in 95 % (44/45), precision 0.967 (0.969), recall 0.885 (0.837).
    --offset-bias 0: auROC >= 0.9 in 10 of 20 (8 of the 9 spacing rules stay at 0.61-0.75, the ninth reaches 0.93);
        recovered in 70 % (43/49), precision 0.962 (0.964), recall 0.774 (0.720); learned (10): 90 % (24/25),
        precision 0.970 (0.971), recall 0.812 (0.751).

Measured earlier (2026-12-02, seeds 1000-1019 = 20 tasks, 11 mixtures of 2-4 motifs and 9 hard spacing rules, 300 bp,
`short`, train seed 0, read_model defaults): test auROC >= 0.9 in 8 of 20 (the hard spacing rules and the
4-motif mixtures are not learned in 720 batches); every needed motif recovered in 55 % of the tasks (34/49
motifs; 88 % = 7/8 of the learned tasks, 18/20 motifs), 1.00 (learned: 1.35) passing filters per motif; mean
instance precision 0.884 (0.931 over the 19 tasks with any call; learned tasks 0.987), mean recall 0.517
(learned 0.609); FIMO on the filters' motifs 0.831 / 0.568. One change of the calling rule set beforehand on
the shipped paper-task runs only (min_relative 0.5 -> 0.35: REST recall 0.887 -> 0.958, JUND/TEAD 0.812 ->
0.828, TAL/GATA unchanged, precision unchanged), then re-read once here (`--reread minrel035
min_relative=0.35`): precision 0.878 (learned 0.983), recall 0.524 (learned 0.621). The recall bar (0.80)
is missed with either rule: the calls are limited by what the models learned, not by the thresholds.

A finished task is not retrained (its row in results.jsonl is kept); `--stop-at HH:MM` (UTC) starts no new
task after that time. `--reread NAME k=v ...` re-reads the trained runs with other calling settings (passed to
`read_model`) and reports them side by side with the defaults, without training anything.

Schedules: `paper` is the paper's 40 epochs x 100 batches with the regularisers off for 10 epochs, ramped
over 20 and held for 10. `short` (the default here, to fit many tasks on a shared 2-core machine) keeps the
same shape on 12 epochs x 60 batches: 3 epochs without regularisers, the same log-linear ramps from the same
start to the same end over 6 epochs, 3 epochs held at the final weights (the best checkpoint is chosen among
those, by validation BCE); validation 1,000 and test 2,000 sequences. `quick` is the same shape again on
10 epochs x 40 batches (2 without regularisers, a 5-epoch ramp, 3 held), validation 500, test 1,000: too
short (the first two random tasks reached test auROC 0.71 and 0.78 with it). Every run is read on a fixed
test set of 1,000 sequences (`fixed_split` with the run's split seed, `--n-read`).
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import datetime as dt
import json
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from argminn.datasets import fixed_split
from argminn.grammar import load_task, random_motif_pool, random_task
from argminn.interpret import read_model
from argminn.io import check_output_folder, read_json
from argminn.losses import ramp_schedule
from argminn.model import ARGMINNConfig
from argminn.runs import RUN_KIND, load_run
from argminn.train import train

SHORT = {"overlap": ramp_schedule(10 ** 0.5, 1e5, burn_in=3, ramp=6, hold=3),
         "l1": ramp_schedule(1e-3, 1e-2, burn_in=3, ramp=6, hold=3)}
BENCH = {"overlap": ramp_schedule(10 ** 0.5, 1e5, burn_in=5, ramp=10, hold=5),
         "l1": ramp_schedule(1e-3, 1e-2, burn_in=5, ramp=10, hold=5)}
PROTOCOLS = {"short": dict(schedule=SHORT, epochs=12, batches_per_epoch=60, n_val=1000, n_test=2000),
             "bench": dict(schedule=BENCH, epochs=20, batches_per_epoch=100, n_val=1000, n_test=2000),   # argminn bench's longer grid
             "paper": dict(schedule="paper", epochs=40, batches_per_epoch=100, n_val=2000, n_test=10000),
             "quick": dict(schedule={k: ramp_schedule(v[0], v[1], burn_in=2, ramp=5, hold=3) for k, v in
                                     {"overlap": (10 ** 0.5, 1e5), "l1": (1e-3, 1e-2)}.items()},
                           epochs=10, batches_per_epoch=40, n_val=500, n_test=1000),
             "smoke": dict(schedule="none", epochs=1, batches_per_epoch=5, n_val=200, n_test=400)}   # checks the script only
LEARNED = 0.9   # a task the model learned: test auROC at least this


def seeds_arg(s: str) -> list[int]:
    out = []
    for part in s.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if b else [int(a)]
    return out


def read_run(run: Path, task, n_read: int, **thresholds) -> dict:
    "Read a trained run on its task's fixed test set and score motifs and calls."
    model, config, _ = load_run(run)
    test = fixed_split(task, "test", n=n_read, seed=config["train"]["split_seed"])
    t0 = time.perf_counter()
    r = read_model(model, test.x, test.labels, test.instances, motif_db=list(task.motifs.values()), **thresholds)
    ev = r.metrics["positives"]
    needed = sorted(task.motifs)
    found = sorted({str(m) for m in r.matches["motif"] if isinstance(m, str)}) if len(r.matches) else []
    return dict(needed=needed, recovered=found, all_recovered=set(needed) <= set(found), n_passing=len(r.filters.passing),
                precision=ev["argminn"]["precision"], recall=ev["argminn"]["recall"], n_calls=ev["argminn"]["n_calls"],
                precision_id=ev["argminn"]["precision_id"], recall_id=ev["argminn"]["recall_id"],
                fimo_precision=ev["fimo"]["precision"], fimo_recall=ev["fimo"]["recall"],
                read_seconds=round(time.perf_counter() - t0, 1))


def run_task(seed: int, out: Path, pool, protocol: str, n_read: int, train_seed: int, length: int, offset_bias: int = 0) -> dict:
    spec = random_task(seed, pool=pool, length=length)
    tdir = out / "tasks"; tdir.mkdir(parents=True, exist_ok=True)
    tfile = tdir / f"random_{seed}.json"
    tfile.write_text(json.dumps(spec, indent=1))
    task = load_task(tfile)
    run = out / "runs" / f"random_{seed}"
    t0 = time.perf_counter()
    train(tfile, run, seed=train_seed, progress=False, force=True, model_config={"offset_bias": offset_bias}, **PROTOCOLS[protocol])
    secs = round(time.perf_counter() - t0, 1)
    m = read_json(run / "metrics.json")
    kind = "spacing" if "exactly" in spec["rule"] else "mixture"
    return dict(seed=seed, task=task.name, kind=kind, gc=spec["background"]["gc"], rule=spec["rule"], protocol=protocol, length=length,
                offset_bias=offset_bias,
                auroc=m["auroc"], train_seconds=secs, **read_run(run, task, n_read))


def summarise(rows: list[dict], label: str = "defaults") -> dict:
    def block(rs):
        if not rs: return None
        return dict(n_tasks=len(rs), tasks_all_recovered=float(np.mean([r["all_recovered"] for r in rs])),
                    motifs_recovered=f"{sum(len(set(r['needed']) & set(r['recovered'])) for r in rs)}/{sum(len(r['needed']) for r in rs)}",
                    passing_per_motif=sum(r["n_passing"] for r in rs) / sum(len(r["needed"]) for r in rs),
                    mean_precision=float(np.mean([r["precision"] for r in rs])), mean_recall=float(np.mean([r["recall"] for r in rs])),
                    mean_fimo_precision=float(np.mean([r["fimo_precision"] for r in rs])),
                    mean_fimo_recall=float(np.mean([r["fimo_recall"] for r in rs])))
    return {"calls": label, "all": block(rows), f"learned (auROC >= {LEARNED})": block([r for r in rows if r["auroc"] >= LEARNED])}


def print_table(rows: list[dict]):
    print(f"\n{'task':<13} {'kind':<8} {'gc':>5} {'auROC':>6} {'pass':>4} {'found':>6} {'prec':>6} {'rec':>6} {'fimoP':>6} {'fimoR':>6} {'train_s':>7}")
    for r in rows:
        print(f"{r['task']:<13} {r['kind']:<8} {r['gc']:5.2f} {r['auroc']:6.3f} {r['n_passing']:>4} "
              f"{len(set(r['needed']) & set(r['recovered'])):>2}/{len(r['needed']):<3} {r['precision']:6.3f} {r['recall']:6.3f} "
              f"{r['fimo_precision']:6.3f} {r['fimo_recall']:6.3f} {r['train_seconds']:7.0f}")


def print_bars(s: dict):
    for part in list(s)[1:]:
        b = s[part]
        if b is None: print(f"  {part}: no tasks"); continue
        ok = lambda c: "PASS" if c else "FAIL"
        print(f"  {s['calls']}, {part}: {b['n_tasks']} tasks; every needed motif recovered in {b['tasks_all_recovered']:.0%} "
              f"[{ok(b['tasks_all_recovered'] >= 0.9)}] ({b['motifs_recovered']} motifs, {b['passing_per_motif']:.2f} passing filters per motif); "
              f"mean precision {b['mean_precision']:.3f} [{ok(b['mean_precision'] >= 0.95)}], recall {b['mean_recall']:.3f} "
              f"[{ok(b['mean_recall'] >= 0.80)}]; FIMO {b['mean_fimo_precision']:.3f} / {b['mean_fimo_recall']:.3f}")


def parse_kv(items: list[str]) -> tuple[str, dict]:
    name, kw = items[0], {}
    for kv in items[1:]:
        k, _, v = kv.partition("=")
        try: kw[k] = {"true": True, "false": False}[v.lower()] if v.lower() in ("true", "false") else float(v)
        except ValueError: raise ValueError(f"--reread {kv!r}: expected key=number, key=true or key=false") from None
    return name, kw


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=seeds_arg, default=seeds_arg("1000-1029"), help="task seeds, e.g. 1000-1029 or 1,5,9")
    ap.add_argument("--out", type=Path, default=Path("bench_runs/random_tasks"))
    ap.add_argument("--protocol", choices=sorted(PROTOCOLS), default="short")
    ap.add_argument("--n-read", type=int, default=1000, help="test sequences read per task")
    ap.add_argument("--train-seed", type=int, default=0)
    ap.add_argument("--length", type=int, default=500, help="sequence length of the random tasks")
    ap.add_argument("--offset-bias", type=int, default=0, help="ARGMINN's relative-offset attention bias (0: the paper's syntax builder)")
    ap.add_argument("--stop-at", default=None, help="HH:MM (UTC): start no new task after this time")
    ap.add_argument("--reread", nargs="+", default=None, metavar="NAME k=v", help="re-read the trained runs with these read_model settings")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    res = args.out / "results.jsonl"
    rows = [json.loads(l) for l in res.read_text().splitlines() if l.strip()] if res.is_file() else []
    done = {r["seed"] for r in rows}
    try:   # the settings and every run folder checked before the first training, not an hour in
        reread = parse_kv(args.reread) if args.reread else None
        ARGMINNConfig(offset_bias=args.offset_bias)
        if reread is None:
            for seed in set(args.seeds) - done: check_output_folder(args.out / "runs" / f"random_{seed}", force=True, kind=RUN_KIND)
    except (ValueError, FileExistsError) as e:
        sys.exit(f"bench_random_tasks.py: {e}")
    if args.reread is None:
        stop = None
        if args.stop_at:
            h, m = map(int, args.stop_at.split(":"))
            stop = dt.datetime.now(dt.timezone.utc).replace(hour=h, minute=m, second=0, microsecond=0)
        pool = random_motif_pool()
        for seed in args.seeds:
            if seed in done: continue
            if stop and dt.datetime.now(dt.timezone.utc) >= stop: print(f"stop-at {args.stop_at} reached", flush=True); break
            row = run_task(seed, args.out, pool, args.protocol, args.n_read, args.train_seed, args.length, args.offset_bias)
            rows.append(row)
            with res.open("a") as f: f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)
    rows = [r for r in rows if r["seed"] in set(args.seeds)]
    print_table(rows)
    s = summarise(rows)
    print(f"\nissue-13 bars (calls: read_model defaults, never tuned on these tasks):"); print_bars(s)
    if args.reread:
        name, kw = reread
        alt = [{**r, **read_run(args.out / "runs" / r["task"], load_task(args.out / "tasks" / f"{r['task']}.json"), args.n_read, **kw)}
               for r in rows]
        (args.out / f"reread_{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in alt))
        print(f"\nre-read with {name} {kw}:"); print_table(alt); print_bars(summarise(alt, name))
    (args.out / "summary.json").write_text(json.dumps(s, indent=1))
    print("\nreproduce: nice -n 10 env OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/bench_random_tasks.py "
          + " ".join(map(shlex.quote, sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    main()
