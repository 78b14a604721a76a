"""What a demanding user tries, one test per case: every command refuses to delete what it did not write, and every
bad input ends in one line `argminn <command>: error: ...` naming the file, line or value, exit code 2, and no
partial output. Commands run in-process through `argminn.cli.main` (fast); the full-disk cases run in a subprocess
with a file-size limit, so that torch and safetensors meet a real failed write."""
import contextlib
import errno
import io
import json
import os
import re
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

import pytest
import torch

from argminn.cli import main

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--epochs", "1", "--batches-per-epoch", "2", "--n-val", "20", "--n-test", "20", "--schedule", "none"]


def cli(*argv):
    "(exit code, stderr, stdout) of `argminn ARGV`, run in-process."
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        rc = main([str(a) for a in argv])
    return rc, err.getvalue(), out.getvalue()


def one_error(argv, *needles):
    "Run a command that must fail: exit 2, exactly one line `argminn CMD: error: ...` holding every needle."
    rc, err, _ = cli(*argv)
    assert rc == 2, (rc, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"argminn {argv[0]}: error: "), err
    assert "Traceback" not in err and "force=True" not in err and "weights_only" not in err, err
    for n in needles: assert str(n) in lines[0], (n, lines[0])
    return lines[0]


def snapshot(d):
    "Everything under `d`: relative path -> bytes (None for folders)."
    d = Path(d)
    return {p.relative_to(d).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(d.rglob("*"))} if d.exists() else None



@pytest.fixture(scope="module")
def trained(tmp_path_factory, grammar):
    "A complete (tiny) training run, never modified: tests copy it."
    run = tmp_path_factory.mktemp("runs") / "run"
    assert cli("train", grammar, "--out", run, *TINY)[0] == 0
    return run


@pytest.fixture
def run(tmp_path, trained):
    "A copy of the trained run the test may damage."
    import shutil
    shutil.copytree(trained, tmp_path / "run")
    return tmp_path / "run"


# ---------------------------------------------------------------- data loss: --force replaces only what argminn wrote

def test_interpret_onto_its_own_run_is_refused(run):
    before = snapshot(run)
    one_error(["interpret", run, "--out", run, "--force"], f"output folder {run} is the input {run}")
    assert snapshot(run) == before


def test_interpret_into_its_own_run_is_refused(run):
    before = snapshot(run)
    one_error(["interpret", run, "--out", run / "readout", "--force"], "lies inside the input")
    assert snapshot(run) == before


def test_simulate_force_keeps_files_it_did_not_write(tmp_path):
    out = tmp_path / "sim"
    assert cli("simulate", "spi1", "--n", "10", "--out", out)[0] == 0
    (out / "notes.txt").write_text("mine")
    before = snapshot(out)
    one_error(["simulate", "spi1", "--n", "10", "--out", out, "--force"], "holds files argminn did not write (notes.txt)")
    assert snapshot(out) == before


def test_simulate_force_never_replaces_a_foreign_folder(tmp_path):
    (tmp_path / "mine").mkdir(); (tmp_path / "mine" / "data.csv").write_text("1,2\n")
    one_error(["simulate", "spi1", "--n", "10", "--out", tmp_path / "mine", "--force"], "was not written by argminn")
    assert (tmp_path / "mine" / "data.csv").read_text() == "1,2\n"


def test_simulate_force_never_replaces_a_run(run):
    before = snapshot(run)
    one_error(["simulate", "spi1", "--n", "10", "--out", run, "--force"], "holds an argminn run, not a dataset folder")
    assert snapshot(run) == before


def test_train_force_never_replaces_a_dataset(tmp_path, grammar):
    assert cli("simulate", "spi1", "--n", "10", "--out", tmp_path / "sim")[0] == 0
    before = snapshot(tmp_path / "sim")
    one_error(["train", grammar, "--out", tmp_path / "sim", "--force", *TINY], "holds an argminn dataset, not a run folder")
    assert snapshot(tmp_path / "sim") == before


def test_interpret_force_never_replaces_a_run(run, trained):
    before = snapshot(run)
    one_error(["interpret", trained, "--out", run, "--force"], "holds an argminn run, not a read-out folder")
    assert snapshot(run) == before


def test_train_force_with_unknown_jaspar_id_keeps_the_old_run(run, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"positive": ["MA9999.9"], "length": 100}))
    before = snapshot(run)
    one_error(["train", bad, "--out", run, "--force", *TINY], f"{bad}: unknown motif 'MA9999.9'")
    assert snapshot(run) == before


def test_train_force_with_unknown_schedule_keeps_the_old_run(run, grammar):
    before = snapshot(run)
    one_error(["train", grammar, "--out", run, "--force", "--schedule", "nope"], "argument --schedule: invalid choice: 'nope'")
    assert snapshot(run) == before


def test_train_force_replaces_its_own_run_atomically(run, grammar):
    old = json.loads((run / "config.json").read_text())["created"]
    rc, err, out = cli("train", grammar, "--out", run, "--force", *TINY, "--seed", "3")
    assert rc == 0, err
    cfg = json.loads((run / "config.json").read_text())
    assert cfg["train"]["seed"] == 3 and "resumed" not in cfg
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]   # nothing left beside it
    assert old  # the old run was whole until the swap (tests/test_resume_kill.py kills a replacement half-way)


def test_output_may_not_contain_an_input(tmp_path):
    g = tmp_path / "task" / "g.json"
    g.parent.mkdir(); g.write_text(json.dumps({"positive": ["MA0080.7"], "length": 100, "jitter": 10}))
    one_error(["simulate", g, "--n", "10", "--out", g.parent, "--force"], "contains the input")
    assert g.is_file()


@pytest.mark.parametrize("out", [".", ".."])
@pytest.mark.parametrize("cmd", ["simulate", "train", "interpret"])
def test_output_is_never_the_working_folder(tmp_path, monkeypatch, out, cmd, trained):
    work = tmp_path / "work"; work.mkdir(); (work / "mine.txt").write_text("x")
    monkeypatch.chdir(work)
    before = snapshot(tmp_path)
    argv = {"simulate": ["simulate", "spi1", "--n", "10"], "train": ["train", "spi1", *TINY], "interpret": ["interpret", trained]}[cmd]
    one_error([*argv, "--out", out, "--force"], "is the current folder or one above it")
    assert snapshot(tmp_path) == before


def test_stale_temporary_of_a_killed_simulate_is_cleaned(tmp_path):
    code = ("import os, signal; from argminn.io import atomic_folder\n"
            f"with atomic_folder({str(tmp_path / 'sim')!r}, kind='dataset') as t:\n"
            "    (t / 'sequences.fa').write_bytes(b'A' * 10**7); os.kill(os.getpid(), signal.SIGKILL)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == -9
    assert len(list(tmp_path.glob(".sim.*.tmp"))) == 1          # a killed write leaves its temporary
    assert cli("simulate", "spi1", "--n", "10", "--out", tmp_path / "sim")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sim"]  # the next write to the same folder removes it


# ---------------------------------------------------------------- no partial output

def test_train_creates_nothing_before_its_arguments_are_checked(tmp_path):
    one_error(["train", "no_such_task", "--out", tmp_path / "run"], "no task named 'no_such_task'")
    one_error(["train", "spi1", "--out", tmp_path / "run", "--epochs", "0"], "argument --epochs: must be an integer >= 1, got 0")
    assert list(tmp_path.iterdir()) == []


def test_refused_resume_changes_nothing(run, grammar):
    before = snapshot(run)
    one_error(["train", grammar, "--out", run, "--resume", *TINY, "--seed", "7"], "cannot resume", "seed (0 vs 7)")
    assert snapshot(run) == before


def test_short_run_warns_at_the_start(tmp_path, grammar):
    rc, err, _ = cli("train", grammar, "--out", tmp_path / "r", "--epochs", "6", "--batches-per-epoch", "1", "--n-val", "20", "--n-test", "20")
    assert rc == 0
    warning = [l for l in err.splitlines() if "warning" in l]
    assert warning == [warning[0]] and warning[0].startswith("argminn train: warning: --epochs 6 ends within the schedule's burn-in (10 epochs")


# ---------------------------------------------------------------- damaged files: named, never a traceback

@pytest.mark.parametrize("damage", ["truncated", "empty", "random"])
def test_damaged_model_safetensors(run, tmp_path, damage):
    f = run / "best" / "model.safetensors"
    data = f.read_bytes()
    f.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "random": os.urandom(4096)}[damage])
    one_error(["interpret", run, "--out", tmp_path / "read", "--n-seqs", "20"], f"{f}: not a readable safetensors file")
    assert not (tmp_path / "read").exists()


def test_truncated_optimizer_state(run, grammar):
    f = run / "last" / "optimizer.pt"
    f.write_bytes(f.read_bytes()[:200])
    before = snapshot(run)
    one_error(["train", grammar, "--out", run, "--resume", *TINY, "--epochs", "2"], f"{f}: not a readable optimizer state")
    assert snapshot(run) == before


def test_weights_with_nan_are_refused(run, tmp_path):
    from safetensors.torch import load_file, save_file
    f = run / "best" / "model.safetensors"
    state = load_file(f); state["conv.weight"][0, 0, 0] = float("nan"); save_file(state, f)
    one_error(["interpret", run, "--out", tmp_path / "read", "--n-seqs", "20"], f"{f}: the weights hold NaN or infinite values (conv.weight)")


# ---------------------------------------------------------------- the file system says no

def _read_only(monkeypatch, root):
    "Folders under `root` cannot be created, as on a read-only file system."
    real = os.mkdir
    def mkdir(path, *a, **k):
        if str(path).startswith(str(root)): raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, *a, **k)
    monkeypatch.setattr(os, "mkdir", mkdir)


def test_read_only_file_system_simulate(tmp_path, monkeypatch):
    _read_only(monkeypatch, tmp_path)
    one_error(["simulate", "spi1", "--n", "10", "--out", tmp_path / "sim"], "Read-only file system", tmp_path / "sim")


def test_read_only_file_system_train(tmp_path, monkeypatch, grammar):
    _read_only(monkeypatch, tmp_path)
    one_error(["train", grammar, "--out", tmp_path / "run", *TINY], "Read-only file system", tmp_path / "run")


def _with_file_size_limit(limit, argv, cwd):
    "Run `python -m argminn ARGV` where no file may grow past `limit` bytes (writes fail like on a full disk)."
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
            "from argminn.cli import main; sys.exit(main(sys.argv[1:]))")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", code, *map(str, argv)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.mark.parametrize("limit,what", [(60_000, "safetensors"), (300_000, "torch.save")])
def test_full_disk_during_training(tmp_path, grammar, limit, what):
    # 60 kB: the model's safetensors (~200 kB) fails; 300 kB: the model fits, Adam's state (torch.save, ~400 kB) does not
    r = _with_file_size_limit(limit, ["train", grammar, "--out", tmp_path / "run", *TINY], tmp_path)
    lines = [l for l in r.stderr.splitlines() if l.startswith("argminn train:")]
    assert r.returncode == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]
    assert re.match(r"argminn train: error: cannot write .*(model\.safetensors|optimizer\.pt).*: File too large", lines[0]), lines[0]
    assert "inline_container" not in lines[0] and "enforce fail" not in lines[0]
    assert not list((tmp_path / "run").glob(".*.tmp"))    # the failed checkpoint left no temporary


# ---------------------------------------------------------------- options

def test_device_tpu(tmp_path):
    one_error(["train", "spi1", "--out", tmp_path / "r", "--device", "tpu"], "argument --device: must be cpu, cuda, cuda:N or mps, got 'tpu'")
    assert not (tmp_path / "r").exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_device_cuda_without_cuda(tmp_path, grammar):
    one_error(["train", grammar, "--out", tmp_path / "r", "--device", "cuda", *TINY], "device 'cuda' requested but CUDA is not available", "--device cpu")
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("argv", [["train", "spi1", "--out", "R", "--schedule", "nope"], ["train", "spi1", "--out", "R", "--strands", "up"],
                                  ["train", "spi1", "--out", "R", "--precision", "fp8"], ["interpret", "RUN", "--out", "R", "--checkpoint", "first"],
                                  ["demo", "--out", "R", "--strands", "reverse"]])
def test_enumerated_options_are_choice_lists(tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    line = one_error(argv, "invalid choice")
    assert re.search(r"\(choose from .+\)$", line), line
    assert list(tmp_path.iterdir()) == []


def test_pos_frac_2(tmp_path):
    one_error(["simulate", "spi1", "--out", tmp_path / "s", "--pos-frac", "2"], "argument --pos-frac: must be between 0 and 1, got 2")


def test_seed_negative(tmp_path):
    one_error(["simulate", "spi1", "--out", tmp_path / "s", "--seed", "-1"], "argument --seed: must be an integer >= 0, got -1")
    one_error(["train", "spi1", "--out", tmp_path / "s", "--seed", "-1"], "argument --seed: must be an integer >= 0, got -1")


def test_messages_name_the_option_not_the_parameter(tmp_path):
    assert cli("simulate", "spi1", "--n", "10", "--out", tmp_path / "s")[0] == 0
    one_error(["simulate", "spi1", "--n", "10", "--out", tmp_path / "s"], "pass --force to replace it")


# ---------------------------------------------------------------- grammars

def test_grammar_with_empty_positive(tmp_path):
    g = tmp_path / "empty.json"
    g.write_text(json.dumps({"positive": []}))
    one_error(["train", g, "--out", tmp_path / "r", *TINY], f"{g}: 'positive' and 'negative' are both background only")
    assert not (tmp_path / "r").exists()


def test_grammar_is_a_folder(tmp_path):
    one_error(["train", tmp_path, "--out", tmp_path / "r"], f"grammar '{tmp_path}' is a folder, not a task name or a JSON grammar file")


def test_binary_grammar_file(tmp_path):
    g = tmp_path / "model.json"
    g.write_bytes(bytes(range(256)) * 4)
    one_error(["simulate", g, "--out", tmp_path / "s"], f"{g}: not a text file (byte 128 is not UTF-8)")


def test_grammar_error_names_file_and_place(tmp_path):
    g = tmp_path / "spi1.json"
    g.write_text(json.dumps({"positive": ["MA0080.7"], "background": {"freqs": [0.5, 0.5]}}))
    line = one_error(["simulate", g, "--out", tmp_path / "s"], f"{g}: background: 'freqs' must be a list of 4 numbers")
    assert "json.background" not in line
    g.write_text(json.dumps({"positive": ["MA0080.7", 4.5, "MA0080.7"]}))
    one_error(["simulate", g, "--out", tmp_path / "s"], f"{g}: positive[1]: a motif reference must be a string, got float 4.5")
    g.write_text('{"positive": ["MA0080.7",\n  ]}')
    one_error(["simulate", g, "--out", tmp_path / "s"], f"{g}: invalid JSON at line 2")


# ---------------------------------------------------------------- the Python API

@pytest.fixture(scope="module")
def model():
    from argminn.model import ARGMINN, ARGMINNConfig
    torch.manual_seed(0)
    return ARGMINN(ARGMINNConfig(seq_len=60, n_layers=1)).eval()


@pytest.mark.parametrize("dtype", [torch.float64, torch.int64, torch.bool])
def test_non_float32_one_hot_inputs(model, dtype):
    from argminn.seq import random_background
    from argminn.train import evaluate
    x = random_background(8, 60, seed=1)
    torch.testing.assert_close(model(x.to(dtype)), model(x))
    torch.testing.assert_close(model.predict(x.to(dtype)), model.predict(x))
    assert evaluate(model, x.to(dtype), torch.tensor([0.0, 1.0] * 4))["n"] == 8


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_inf_inputs_are_refused(model, value):
    from argminn.seq import random_background
    from argminn.train import evaluate
    x = random_background(4, 60, seed=1); x[2, 1, 33] = value
    for f in (lambda: model(x), lambda: model.predict(x), lambda: evaluate(model, x, torch.tensor([0.0, 1.0] * 2))):
        with pytest.raises(ValueError, match=r"NaN or infinite values \(first in sequence 2 at position 33\)"): f()


def test_one_hot_of_nothing():
    from argminn.seq import one_hot
    with pytest.raises(ValueError, match="empty sequence"): one_hot("")
    with pytest.raises(ValueError, match="empty sequence"): one_hot(["", ""])


# ---------------------------------------------------------------- packaging

def test_torch_floor_excludes_the_weights_only_bypass():
    cfg = ConfigParser(delimiters=["="]); cfg.read(ROOT / "settings.ini")
    req = [r for r in cfg["DEFAULT"]["requirements"].split() if r.startswith("torch")]
    assert req == ["torch>=2.6"], req   # torch.load(weights_only=True) could run code before 2.6 (CVE-2025-32434)
