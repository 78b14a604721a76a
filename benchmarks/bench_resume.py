"""Kill -9 in the middle of an epoch of the full paper protocol, then `--resume`: are the final metrics those of the
uninterrupted run?

Runs `argminn train TASK` three times in subprocesses, with the paper's defaults (40 epochs x 100 batches, the paper
schedule, 2,000 validation and 10,000 test sequences): once uninterrupted (`OUT/ref`); once killed with SIGKILL half-way
through epoch `--kill-epoch` (`OUT/cut`: the script waits until `history.json` holds the epochs before it, then for
half an epoch's time); then `--resume` on `OUT/cut`. It prints whether metrics.json, the history (all columns but the
seconds) and the best and last weights are identical, and how much work the kill cost. About 3 runs of a few minutes
each on one core.

    nice -n 10 env OMP_NUM_THREADS=1 python benchmarks/bench_resume.py --task tal_gata --out bench_runs/resume
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--task", default="tal_gata")
    p.add_argument("--out", default="bench_runs/resume")
    p.add_argument("--kill-epoch", type=int, default=25, help="1-based epoch to kill in (default: 25)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--extra", default="", help="more `argminn train` options, e.g. '--batches-per-epoch 20' for a quick check")
    return p.parse_args(argv)


def argminn(*args):
    return [sys.executable, "-m", "argminn", "train", *map(str, args)]


def rows(run: Path) -> list:
    try: return json.loads((run / "history.json").read_text())
    except (OSError, ValueError): return []


def main(argv=None):
    a = parse_args(argv)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    common = [a.task, "--seed", a.seed, *shlex.split(a.extra)]
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.perf_counter()
    subprocess.run(argminn(*common, "--out", out / "ref", "--force"), check=True, **quiet)
    t_ref = time.perf_counter() - t0
    cut = out / "cut"
    p = subprocess.Popen(argminn(*common, "--out", cut, "--force"), **quiet)
    while len(rows(cut)) < a.kill_epoch - 1:   # epochs before the one to kill in are saved
        if p.poll() is not None: sys.exit("the run ended before the epoch to kill in")
        time.sleep(0.1)
    done = rows(cut)
    time.sleep(0.5 * sum(r["seconds"] for r in done) / len(done))   # half an epoch
    p.send_signal(signal.SIGKILL); p.wait()
    saved = len(rows(cut))
    t0 = time.perf_counter()
    subprocess.run(argminn(*common, "--out", cut, "--resume"), check=True, **quiet)
    t_resume = time.perf_counter() - t0
    m_ref, m_cut = (json.loads((d / "metrics.json").read_text()) for d in (out / "ref", cut))
    strip = lambda rs: [{k: v for k, v in r.items() if k != "seconds"} for r in rs]
    same = {"metrics.json": m_ref == m_cut, "history": strip(rows(out / "ref")) == strip(rows(cut)),
            **{f"{ck}/ weights": (out / "ref" / ck / "model.safetensors").read_bytes() == (cut / ck / "model.safetensors").read_bytes()
               for ck in ("best", "last")}}
    print(f"killed with SIGKILL in epoch {saved + 1} of 40 ({saved} epochs saved); resumed in {t_resume:.0f} s "
          f"(the uninterrupted run: {t_ref:.0f} s)")
    print(f"test auROC uninterrupted {m_ref['auroc']:.6f}, killed + resumed {m_cut['auroc']:.6f}; best epoch {m_ref['best_epoch'] + 1} / {m_cut['best_epoch'] + 1}")
    print("identical: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in same.items()))
    print("reproduce: " + shlex.join(["python", "benchmarks/bench_resume.py"] + (argv if argv is not None else sys.argv[1:])))
    return 0 if all(same.values()) and saved == a.kill_epoch - 1 else 1


if __name__ == "__main__":
    sys.exit(main())
