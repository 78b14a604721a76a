"""Benchmark suite: ARGMINN vs the baselines (paper-size CNN, larger CNN, ExplaiNN) on simulated tasks.

The same as `argminn bench` (see `argminn bench --help` and the bench notebook, nbs/19_bench.ipynb): every model
trains through the same `argminn.train.fit` (same batches, optimiser, clipping and validation-based selection;
never the test set) under one `argminn.bench.Protocol`; each (model, task, seed) cell runs in its own process and
is appended atomically to OUT/results.csv as soon as it finishes, so a killed suite continues where it stopped
when run again. It prints the mean ± sd tables (test auROC, auPRC), the cost table, the motif-recovery table (with
--recovery) and the command that reproduces them; the figure goes to OUT/auroc.png.

The committed numbers (data/bench/*.csv) came from the command in data/bench/protocol.json.

Smoke test (minutes): python benchmarks/bench_suite.py --quick
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import sys

from argminn.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
