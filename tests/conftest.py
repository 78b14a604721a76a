"""Test-session setup: one torch thread (2 threads spin-wait on our 2-core VMs), a headless
matplotlib, and a persistent numba cache so memelite/tangermeme compile once per machine."""
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# numba's parallel layer (TOMTOM, FIMO) otherwise raises the process-wide OpenMP thread count, slowing torch
os.environ.setdefault("NUMBA_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path.home() / ".cache" / "argminn-numba"))


def pytest_configure(config):
    config.addinivalue_line("markers", "benchmark: long-running benchmark, skipped unless -m benchmark")
    config.addinivalue_line("markers", "slow: slow test, skipped unless -m slow")


@pytest.fixture(scope="module")
def grammar(tmp_path_factory):
    "A one-motif task of 100 bp (fast to train), as a grammar file."
    f = tmp_path_factory.mktemp("task") / "tiny.json"
    f.write_text(json.dumps({"name": "tiny", "motifs": {"SPI1": "MA0080.7"}, "positive": ["SPI1"], "length": 100, "jitter": 10}))
    return f


@pytest.fixture(scope="session")
def browser():
    "Headless chromium (tests/test_docs_site.py: `open_browser`), shared by every browser test of the session."
    from test_docs_site import open_browser
    yield from open_browser()
