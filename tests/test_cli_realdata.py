"""`argminn train` and `argminn interpret` on your own data, end to end on a tiny genome written here: three
chromosomes of random sequence with a motif planted at every peak summit, the same windows as FASTA sets, and the
error paths of the data options. Commands run in-process through `argminn.cli.main`; two epochs without
regularisers per run, about 30 s of CPU time for the whole file."""
import json

import pytest

from argminn.runs import write_toy_genome
from test_bad_inputs import cli, one_error  # (exit code, stderr, stdout) of a command; a command that must fail in one line

FAST = ["--epochs", "2", "--schedule", "none", "--length", "100"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    "A 3-chromosome toy genome with peaks, and its summit windows as FASTA sets (names are regions: split by chromosome)."
    d = tmp_path_factory.mktemp("realdata")
    genome, peaks = write_toy_genome(d / "toy", n_chrom=3, size=8000, n_peaks=20, motif="TTGACGTCAA")
    seqs = {}
    name = None
    for line in genome.read_text().splitlines():
        if line.startswith(">"): name = line[1:]; seqs[name] = ""
        else: seqs[name] += line
    pos, neg, lab = [], [], []
    for row in peaks.read_text().splitlines():
        c, a, b = row.split("\t"); a = int(a)
        pos.append(f">{c}:{a + 1}-{a + 100}\n{seqs[c][a:a + 100]}\n")
        neg.append(f">{c}:{a + 101}-{a + 200}\n{seqs[c][a + 100:a + 200]}\n")
    lab = [p.replace("\n", " label=1\n", 1) for p in pos] + [n.replace("\n", " label=0\n", 1) for n in neg]
    for f, recs in (("pos.fa", pos), ("neg.fa", neg), ("labelled.fa", lab)): (d / f).write_text("".join(recs))
    return {"dir": d, "genome": genome, "peaks": peaks, "pos": d / "pos.fa", "neg": d / "neg.fa", "labelled": d / "labelled.fa"}


def test_genome_peaks_train_and_interpret(data):
    d = data["dir"]
    rc, err, out = cli("train", "--genome", data["genome"], "--peaks", data["peaks"], "--test-chroms", "chr1", "--val-chroms", "chr2",
                       "--out", d / "run", "--jaspar", "insects", *FAST)
    assert rc == 0, err
    assert "data: train 20+/20-, val 20+/20-, test 20+/20-; test held out: chr1" in out and "test auROC" in out, out
    cfg = json.loads((d / "run" / "config.json").read_text())
    rec = cfg["data"]
    assert rec["spec"]["source"] == "genome" and rec["negatives"] == "gc" and rec["length"] == 100 and rec["seed"] == 0
    assert sorted(rec["files_sha256"]) == sorted(str(p.resolve()) for p in (data["genome"], data["peaks"]))
    assert cfg["interpret"] == {"jaspar": "insects"} and (d / "run" / "best").is_dir()
    one_error(["train", "--genome", data["genome"], "--peaks", data["peaks"], "--out", d / "run", *FAST], "already holds an argminn run")
    rc, err, out = cli("interpret", d / "run", "--out", d / "read")
    assert rc == 0, err
    assert "matched against JASPAR2024 CORE insects" in out and "no planted truth" in out and "): precision" not in out, out
    summary = json.loads((d / "read" / "summary.json").read_text())
    assert summary["n_seqs"] == 40 and summary["data"]["split_units"]["test"] == ["chr1"]
    rc, err, out = cli("interpret", d / "run", "--out", d / "read_v", "--jaspar", "vertebrates", "--n-seqs", "10")
    assert rc == 0 and "JASPAR2024 CORE vertebrates" in out, err + out


def test_fasta_sets_and_labelled_fasta(data):
    d = data["dir"]
    rc, err, out = cli("train", "--fasta-pos", data["pos"], "--fasta-neg", data["neg"], "--test-chroms", "chr1", "--val-chroms", "chr2",
                       "--out", d / "fa_run", *FAST)
    assert rc == 0, err
    assert "test 20+/20-; test held out: chr1" in out, out
    spec = json.loads((d / "fa_run" / "config.json").read_text())["data"]["spec"]
    assert spec["source"] == "fasta" and spec["neg"] == str(data["neg"].resolve())
    rc, err, out = cli("interpret", d / "fa_run", "--out", d / "fa_read")
    assert rc == 0 and "JASPAR2024 CORE vertebrates" in out, err + out
    rc, err, out = cli("train", "--fasta", data["labelled"], "--folds", "3", "--fold", "0", "--out", d / "lab_run", *FAST)
    assert rc == 0, err
    assert json.loads((d / "lab_run" / "config.json").read_text())["data"]["fold"] == [0, 3]


def test_moved_or_changed_data(data, tmp_path):
    d = data["dir"]
    if not (d / "fa_run").is_dir():
        assert cli("train", "--fasta-pos", data["pos"], "--fasta-neg", data["neg"], "--test-chroms", "chr1", "--val-chroms", "chr2",
                   "--out", d / "fa_run", *FAST)[0] == 0
    moved = tmp_path / "moved"; moved.mkdir()
    for f in ("pos.fa", "neg.fa"): (moved / f).write_bytes((d / f).read_bytes())
    (d / "neg.fa").rename(d / "neg.fa.away")
    try:
        one_error(["interpret", d / "fa_run", "--out", tmp_path / "r1"], "neg.fa", "missing (moved or deleted since)")
        rc, err, _ = cli("interpret", d / "fa_run", "--out", tmp_path / "r2", "--data-dir", moved)
        assert rc == 0, err
        (moved / "pos.fa").write_text((moved / "pos.fa").read_text().replace("A", "C", 1))
        one_error(["interpret", d / "fa_run", "--out", tmp_path / "r3", "--data-dir", moved], "pos.fa changed since the run")
    finally: (d / "neg.fa.away").rename(d / "neg.fa")
    assert not (tmp_path / "r1").exists() and not (tmp_path / "r3").exists()


@pytest.mark.parametrize("argv,words", [
    (["spi1", "--genome", "G"], "give a simulated TASK or your own data (--genome), not both"),
    (["spi1", "--fasta-pos", "P", "--fasta-neg", "N"], "not both"),
    ([], "no data: give a simulated TASK"),
    (["--genome", "G", "--peaks", "P", "--fold", "1"], "--fold needs --folds"),
    (["--genome", "G", "--peaks", "P", "--folds", "5"], "--folds 5 needs --fold"),
    (["--genome", "G", "--peaks", "P", "--folds", "3", "--fold", "1", "--test-chroms", "chr1"], "--test-chroms/--val-chroms or --folds/--fold, not both"),
    (["--genome", "G"], "--genome needs --peaks"),
    (["--genome", "G", "--fasta-pos", "P"], "give --genome/--peaks or FASTA files, not both"),
    (["--fasta", "F", "--fasta-pos", "P"], "give --fasta (labels in the headers) or --fasta-pos with --fasta-neg, not both"),
    (["spi1", "--jaspar", "insects"], "--jaspar applies to --genome/--peaks or FASTA data"),
])
def test_data_option_errors(argv, words, tmp_path):
    one_error(["train", *argv, "--out", tmp_path / "x"], words)
    assert not (tmp_path / "x").exists()


def test_missing_and_bad_files(data, tmp_path):
    one_error(["train", "--genome", tmp_path / "nope.fa", "--peaks", data["peaks"], "--out", tmp_path / "x"], "genome", "nope.fa: no such file")
    one_error(["train", "--genome", data["genome"], "--peaks", tmp_path / "nope.bed", "--out", tmp_path / "x"], "peaks", "nope.bed: no such file")
    one_error(["train", "--fasta-pos", data["pos"], "--fasta-neg", tmp_path / "nope.fa", "--out", tmp_path / "x"], "nope.fa: no such file")
    one_error(["train", "--genome", data["genome"], "--peaks", data["peaks"], "--test-chroms", "1", "--out", tmp_path / "x", *FAST],
              "unknown chromosome '1'", "nearest in the genome: 'chr1'")
    bad = tmp_path / "bad.bed"; bad.write_text("chr1\t10\tnot_a_number\n")
    one_error(["train", "--genome", data["genome"], "--peaks", bad, "--out", tmp_path / "x", *FAST], "bad.bed:1")
    assert not (tmp_path / "x").exists()
