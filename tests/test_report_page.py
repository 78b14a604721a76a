"""The report page `argminn demo` and `argminn report` write, opened in headless Chromium.

The page is built from the shipped TAL/GATA run with a quick read-out (300 test sequences) and a few
designs, served on 127.0.0.1 and opened with the browser helpers of test_docs_site (Debian's chromium driven
by PyPI playwright through its executable path; never `playwright install`). Every <img> must decode
(naturalWidth > 0), nothing may be requested from elsewhere (the page is self-contained), nothing may be
logged as an error, and the page must name both planted motifs. A screenshot is saved beside the page (and
into ARGMINN_DOCS_SHOTS=DIR when set). Without chromium or playwright the test skips, unless
ARGMINN_REQUIRE_DOCS=1, which turns the skip into a failure."""
import os
import shutil
from pathlib import Path

import pytest

from test_docs_site import Visit, serve_folder


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    "A folder holding report.html for the shipped TAL/GATA run (quick read-out, 4 designs)."
    from argminn.design import design_run
    from argminn.html import write_report
    from argminn.report import interpret_run
    from argminn.runs import example_run
    d, run = tmp_path_factory.mktemp("report"), example_run("tal_gata")
    interpret_run(run, d / "interpret", n_seqs=300, n_shuffles=5)
    design_run(run, d / "designs", n=4, n_read=300)
    write_report(d / "report.html", run, d / "interpret", d / "designs", command="argminn report (test)")
    return d


@pytest.fixture(scope="module")
def served(report_dir):
    "The report folder served on 127.0.0.1 by a thread."
    yield from serve_folder(report_dir, "report.html")


def test_report_opens_with_every_figure(browser, served, report_dir):
    v = Visit(browser, served)
    try:
        assert v.response and v.response.status == 200, f"{served}: HTTP {v.response and v.response.status}"
        v.page.evaluate("""() => Promise.all([...document.images].map(i =>
                           i.complete ? 1 : new Promise(r => { i.onload = i.onerror = r; })))""")
        sizes = v.page.eval_on_selector_all("img", "els => els.map(e => [e.alt, e.naturalWidth, e.naturalHeight])")
        v.page.screenshot(path=str(report_dir / "report.png"), full_page=True)
        if os.environ.get("ARGMINN_DOCS_SHOTS"):
            Path(os.environ["ARGMINN_DOCS_SHOTS"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(report_dir / "report.png", Path(os.environ["ARGMINN_DOCS_SHOTS"]) / "report.png")
        text = v.page.inner_text("body")
        # filters, attention, spacings, designs, design scores, training curves
        assert len(sizes) == 6, f"expected 6 figures, found {len(sizes)}: {[a for a, *_ in sizes]}"
        assert all(w > 0 and h > 0 for _, w, h in sizes), f"images that did not decode: {[a for a, w, h in sizes if not w]}"
        assert "TAL1" in text and "GATA1" in text, text[:2000]
        assert "Learned motifs" in text and "Designed sequences" in text and "Reproduce" in text
        assert not v.outside, f"requests off 127.0.0.1: {v.outside}"
        assert not v.errors and not v.failed, (v.errors, v.failed)
        assert (report_dir / "report.png").stat().st_size > 10_000
    finally:
        v.context.close()
