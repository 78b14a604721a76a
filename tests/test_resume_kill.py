"""A training run killed with SIGKILL in the middle of epoch 25 of the paper protocol (40 epochs, the paper's schedule:
10 at zero, a 20-epoch ramp, 10 held; `best/` may only come from epoch 30 on), then `argminn train --resume`: the
result is the run that was never interrupted, bit for bit. The same for a `--force` replacement killed half-way,
which must also leave the old run whole. Small data (100 bp, 2 batches per epoch) so that it runs in seconds;
`benchmarks/bench_resume.py` does the same at full size."""
import contextlib
import io
import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from argminn.cli import main

ARGS = ["--epochs", "40", "--batches-per-epoch", "2", "--n-val", "32", "--n-test", "64"]   # --schedule paper (the default)

# the real command line in a process that kills itself (SIGKILL) when it reaches batch 1 of epoch `EPOCH` (0-based):
# its batch 0 is trained, the epoch is half done
DIES = """
import os, signal, sys
from argminn.datasets import SimulatedBatches
from argminn.cli import main
EPOCH, SIG = int(os.environ["DIE_IN_EPOCH"]), getattr(signal, os.environ.get("DIE_BY", "SIGKILL"))
if SIG == signal.SIGINT:   # a shell's background job starts with SIGINT ignored; Ctrl-C in a terminal is what is tested
    signal.signal(signal.SIGINT, signal.default_int_handler)
batch = SimulatedBatches.batch
def dying(self, epoch, i):
    if (epoch, i) == (EPOCH, 1): os.kill(os.getpid(), SIG)
    return batch(self, epoch, i)
SimulatedBatches.batch = dying
sys.exit(main(sys.argv[1:]))
"""


def cli(*argv):
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out): rc = main([str(a) for a in argv])
    assert rc == 0, err.getvalue()[-3000:]


def dies_in(epoch, argv, sig="SIGKILL"):
    env = {**os.environ, "DIE_IN_EPOCH": str(epoch), "DIE_BY": sig, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-c", DIES, *map(str, argv)], capture_output=True, text=True, env=env, timeout=600)


def snapshot(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(Path(d).rglob("*")) if p.is_file()}


def same_run(a, b):
    "Metrics, history (but the seconds) and both checkpoints' weights are identical."
    ma, mb = json.loads((a / "metrics.json").read_text()), json.loads((b / "metrics.json").read_text())
    assert ma == mb
    ha, hb = (json.loads((d / "history.json").read_text()) for d in (a, b))
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in ha] == [{k: v for k, v in r.items() if k != "seconds"} for r in hb]
    for ck in ("best", "last"):
        assert (a / ck / "model.safetensors").read_bytes() == (b / ck / "model.safetensors").read_bytes(), ck



def test_sigkill_in_epoch_25_then_resume_equals_the_uninterrupted_run(tmp_path, grammar):
    ref, cut = tmp_path / "ref", tmp_path / "cut"
    cli("train", grammar, "--out", ref, *ARGS)
    r = dies_in(24, ["train", grammar, "--out", cut, *ARGS])
    assert r.returncode == -signal.SIGKILL, r.stderr[-2000:]
    state = json.loads((cut / "last" / "state.json").read_text())
    assert state["epoch"] == 23 and len(json.loads((cut / "history.json").read_text())) == 24   # at most epoch 25 is lost
    assert not (cut / "best").exists()               # no best yet: the paper's schedule reaches its final weights at epoch 30
    cli("train", grammar, "--out", cut, *ARGS, "--resume")
    same_run(ref, cut)
    assert len(json.loads((cut / "config.json").read_text())["resumed"]) == 1



def test_sigkill_in_a_forced_replacement_keeps_the_old_run(tmp_path, grammar):
    run, short = tmp_path / "run", ["--epochs", "4", "--batches-per-epoch", "2", "--n-val", "32", "--n-test", "32", "--schedule", "tutorial"]
    cli("train", grammar, "--out", run, *short)
    before = snapshot(run)
    r = dies_in(2, ["train", grammar, "--out", run, *short, "--force"])   # the same run again, killed in its epoch 3
    assert r.returncode == -signal.SIGKILL
    assert snapshot(run) == before                                       # the old run is whole
    assert json.loads((tmp_path / ".run.replacing.tmp" / "last" / "state.json").read_text())["epoch"] == 1
    cli("train", grammar, "--out", run, *short, "--resume")              # finishes the replacement, then swaps it in
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert len(json.loads((run / "config.json").read_text())["resumed"]) == 1
    assert (run / "last" / "model.safetensors").read_bytes() == before["last/model.safetensors"]   # same arguments, same run
    assert json.loads((run / "metrics.json").read_text()) == json.loads(before["metrics.json"])


def test_ctrl_c_prints_the_resume_command(tmp_path, grammar):
    out = tmp_path / "run"
    argv = ["train", grammar, "--out", out, "--epochs", "3", "--batches-per-epoch", "2", "--n-val", "32", "--n-test", "32", "--schedule", "none"]
    r = dies_in(1, argv, sig="SIGINT")
    last = r.stderr.strip().splitlines()[-1]
    assert r.returncode == 130, r.stderr[-2000:]
    assert last.startswith(f"argminn train: interrupted in epoch 2/3; epoch 1 is saved in {out}; resume with: argminn train "), last
    again = shlex.split(last.split("resume with: ")[1])
    assert again[0] == "argminn" and again[-1] == "--resume"
    cli(*again[1:])
    assert len(json.loads((out / "history.json").read_text())) == 3
