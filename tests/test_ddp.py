"""`torchrun --standalone --nproc_per_node 2 -m argminn train ...` on the CPU (gloo): DistributedDataParallel training
with each batch sharded over the two processes equals single-process training with the same global batch, up to the
order of floating-point sums: BatchNorm uses the whole batch's statistics (argminn.distributed.GlobalBatchNorm, as
SyncBatchNorm does on GPUs). Measured: weights within 3e-7 after 6 steps, metrics within 1e-8. Only rank 0 writes and
reports; resuming works the same."""
import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from argminn.cli import main

ARGS = ["--epochs", "2", "--batches-per-epoch", "3", "--n-val", "64", "--n-test", "64", "--schedule", "tutorial"]


def torchrun(*argv, n=2):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(n), "-m", "argminn",
                           *map(str, argv)], capture_output=True, text=True, env=env, timeout=300)


def cli(*argv):
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out): rc = main([str(a) for a in argv])
    assert rc == 0, err.getvalue()[-3000:]
    return out.getvalue()


def close_runs(one: Path, two: Path, tol: float):
    "Histories, test metrics and weights agree within `tol` (absolute on metrics, relative to the weights' scale)."
    h1, h2 = (json.loads((d / "history.json").read_text()) for d in (one, two))
    assert len(h1) == len(h2)
    for r1, r2 in zip(h1, h2):
        for k in ("train_bce", "val_bce", "val_auroc", "train_overlap", "val_loss"):
            assert abs(r1[k] - r2[k]) <= tol * max(1.0, abs(r1[k])), (k, r1[k], r2[k])
        assert r1["steps"] == r2["steps"]
    m1, m2 = (json.loads((d / "metrics.json").read_text()) for d in (one, two))
    for k in ("auroc", "bce", "accuracy"): assert abs(m1[k] - m2[k]) <= tol, (k, m1[k], m2[k])
    w1, w2 = (load_file(d / "last" / "model.safetensors") for d in (one, two))
    for k in w1:
        if w1[k].is_floating_point(): torch.testing.assert_close(w2[k], w1[k], atol=tol * w1[k].abs().max().item() + 1e-6, rtol=0)



def test_two_processes_train_the_single_process_model(tmp_path, grammar):
    one, two = tmp_path / "one", tmp_path / "two"
    cli("train", grammar, "--out", one, *ARGS)
    r = torchrun("train", grammar, "--out", two, *ARGS)
    assert r.returncode == 0, r.stderr[-4000:]
    assert r.stdout.count("test auROC") == 1                         # only rank 0 reports
    assert sorted(p.name for p in two.iterdir()) == sorted(p.name for p in one.iterdir())
    assert json.loads((two / "config.json").read_text())["train"]["processes"] == 2
    close_runs(one, two, tol=1e-5)

    # resuming under torchrun continues the same way
    cli("train", grammar, "--out", one, *ARGS[:1], "3", *ARGS[2:], "--resume")
    r = torchrun("train", grammar, "--out", two, *ARGS[:1], "3", *ARGS[2:], "--resume")
    assert r.returncode == 0, r.stderr[-4000:]
    close_runs(one, two, tol=1e-5)
    assert len(json.loads((two / "history.json").read_text())) == 3


def test_two_processes_refuse_bad_input_once(tmp_path, grammar):
    r = torchrun("train", grammar, "--out", tmp_path / "r", "--epochs", "1", "--device", "cuda:9")
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if l.startswith("argminn train: error:")]
    assert len(lines) == 1 and "cuda:9" in lines[0], r.stderr[-3000:]   # one line, from rank 0
    assert not (tmp_path / "r").exists()
