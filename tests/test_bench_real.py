"""argminn.bench on a real task: one fold of oct4-mafk, cross-validated by chromosome.

Skips, with the reason, when the data set has not been fetched (`argminn data fetch oct4-mafk`)."""
import json

import pytest

from argminn.bench import Protocol, cell_dir, check_grid, pool_folds, read_results, real_task_spec, run_grid, summary_table
from argminn.tutorial_data import DatasetMissing


def _spec(task):
    try: return real_task_spec(task)
    except DatasetMissing as e: pytest.skip(str(e))


def test_real_fold_cell(tmp_path):
    spec = _spec("oct4-mafk:fold1")
    assert spec["fold"] == [1, 5] and spec["source"] == "fasta"
    tiny = Protocol(epochs=4, batches_per_epoch=2, batch_size=16, n_val=64, n_test=128)
    df = run_grid(["cnn_paper"], ["oct4-mafk:fold1"], [0], tmp_path / "g", tiny, isolate=False, log=lambda line: None)
    row = df.iloc[0]
    assert row.task == "oct4-mafk:fold1" and 0.5 < row.test_auroc <= 1   # Oct4 against MafK sites is easy even for a tiny run
    config = json.loads((cell_dir(tmp_path / "g", "cnn_paper", "oct4-mafk:fold1", 0) / "config.json").read_text())
    test_units, val_units = config["data"]["split_units"]["test"], config["data"]["split_units"]["val"]
    assert test_units and val_units and not set(test_units) & set(val_units)   # whole chromosomes, held out apart
    assert config["train"]["batches_per_epoch"] > 10   # an epoch is a pass over the fold's training windows, not the protocol's 2
    table = summary_table(pool_folds(read_results(tmp_path / "g" / "results.csv")))
    assert table.loc["oct4-mafk", "cnn_paper"].endswith("(1)")


def test_fold_of_another_split_is_refused():
    _spec("oct4-mafk:fold0")
    with pytest.raises(ValueError, match="its folds are"): check_grid(["cnn_paper"], ["oct4-mafk:fold5"])
