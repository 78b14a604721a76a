"""Run every notebook in nbs/ through nbdev's own runner, one pytest test per notebook.

Cells flagged with a word from settings.ini `tst_flags` (slow, benchmark) and `#| eval: false` cells are
skipped exactly as under `nbdev_test`. Set ARGMINN_TEST_FLAGS="slow" to run slow cells too."""
import contextlib
import io
import os
from configparser import ConfigParser
from pathlib import Path

import pytest
from nbdev.test import test_nb as run_notebook  # renamed so pytest does not collect it

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"
NOTEBOOKS = sorted(p for p in NBS.rglob("*.ipynb") if not any(part.startswith(("_", ".")) for part in p.relative_to(NBS).parts))


def _skip_flags():
    cfg = ConfigParser(delimiters=["="])
    cfg.read(ROOT / "settings.ini")
    flags = set(cfg["DEFAULT"].get("tst_flags", "").split("|")) - {""}
    return sorted(flags - set(os.environ.get("ARGMINN_TEST_FLAGS", "").split("|")))


def test_notebooks_found():
    assert NOTEBOOKS, f"no notebooks under {NBS}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[str(p.relative_to(NBS)) for p in NOTEBOOKS])
def test_notebook(nb):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        ok, secs = run_notebook(nb, skip_flags=_skip_flags())
    assert ok, f"{nb.name} failed after {secs:.1f}s:\n{err.getvalue()[-8000:]}"
