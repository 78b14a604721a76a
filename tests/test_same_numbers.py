"""Same seed, same numbers: a short run on two tasks, read out, must reproduce the numbers recorded before the
package was restructured (tests/data/same_numbers.json: training metrics, validation losses, passing filters,
their names, every instance call and the instance metrics).

The reference was recorded with the pre-restructuring `train` + `interpret_run` (commit 3441a7e); this test
reaches the same numbers through today's `train` (= `task_data` + `fit`) and `read_model`."""
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from argminn.datasets import fixed_split
from argminn.interpret import read_model
from argminn.runs import run_task
from argminn.train import train

REFERENCE = json.loads((Path(__file__).parent / "data" / "same_numbers.json").read_text())
CALL_COLUMNS = ["seq", "start", "end", "filter", "motif", "strand"]


def calls_digest(calls):
    "sha256 of the calls as the reference wrote them (instances.tsv: missing motifs as NA)."
    c = calls[CALL_COLUMNS].copy()
    c["motif"] = c["motif"].astype(object).where(c["motif"].notna(), "NA")
    return hashlib.sha256(c.astype(str).to_csv(sep="\t", index=False).encode()).hexdigest()


@pytest.mark.parametrize("task", ["spi1", "tal_gata"])
def test_same_seed_same_numbers(tmp_path, task):
    ref = REFERENCE[task]
    res = train(task, tmp_path / task, epochs=6, batches_per_epoch=20, seed=0, n_val=200, n_test=1000, progress=False)
    for k in ("auroc", "auprc", "accuracy", "bce"):
        assert res.metrics[k] == pytest.approx(ref["metrics"][k], rel=1e-9, abs=1e-12), k
    assert res.best_epoch == ref["metrics"]["best_epoch"]
    np.testing.assert_allclose(res.history.val_bce, ref["val_bce"], rtol=1e-9)
    t = run_task(res.config)
    test = fixed_split(t, "test", n=1000, seed=0)
    r = read_model(res.model, test.x, test.labels, test.instances, motif_db=list(t.motifs.values()), min_mean_ic=0.5)
    assert r.filters.passing == ref["passing"]
    got = {str(f): (None if m is None or m != m else m) for f, m in zip(r.matches["filter"], r.matches["motif"])}
    assert got == ref["matches"]
    assert len(r.calls) == ref["n_calls"]
    assert r.calls[CALL_COLUMNS].head(10).astype(object).where(r.calls[CALL_COLUMNS].head(10).notna(), "NA").values.tolist() == ref["first_calls"]
    assert calls_digest(r.calls) == ref["calls_sha256"]
    for who, key in (("argminn", "instances"), ("fimo", "fimo")):
        for k, v in ref[key].items():
            assert r.metrics["positives"][who][k] == pytest.approx(v, rel=1e-9), (who, k)
