"""The docs website, built by tools/build_docs.py and opened in headless Chromium.

The site is built once per session into _build/site (or reused when it was built from the same inputs),
served on 127.0.0.1, and each checked page must answer 200, load every image, log no console error (but
Chromium's /favicon.ico 404), send no request off 127.0.0.1, and have every local link and anchor resolve;
the search page must find an exported name. Pages are found by module name through nbdev's symbol index,
so renumbered notebooks need no change here.

The browser is Debian's chromium (apt-get install chromium) driven by PyPI playwright; never `playwright
install`. Without them (or without the docs packages) these tests skip, unless ARGMINN_REQUIRE_DOCS=1
(set by .ci/run), which turns the skip into a failure. ARGMINN_DOCS_SHOTS=DIR saves a screenshot per page."""
import functools
import html.parser
import importlib.util
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "site"
CHROMIUM = os.environ.get("ARGMINN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRED = os.environ.get("ARGMINN_REQUIRE_DOCS") == "1"
# The exported name the search must find. read_model is what main will have: switch to it after the merge.
SEARCH_NAME = os.environ.get("ARGMINN_DOCS_SEARCH", "read_model")
MODULE_PAGES = ["model", "interpret"]  # argminn.<module>: its page is looked up in nbdev's index


def _unavailable(reason):
    if REQUIRED: pytest.fail(f"{reason} (ARGMINN_REQUIRE_DOCS=1: the docs tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site():
    "The built site folder (built now unless _build/site is current)."
    for mod in ("sphinx", "myst_nb", "furo"):
        if importlib.util.find_spec(mod) is None: _unavailable(f"{mod} is not installed: pip install -e '.[dev]'")
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "build_docs.py"), "--out", str(SITE), "--reuse"],
                       capture_output=True, text=True)
    assert r.returncode == 0, f"docs build failed:\n{(r.stdout + r.stderr)[-6000:]}"
    return SITE


def serve_folder(folder, page=""):
    "Serve `folder` on 127.0.0.1 from a thread; yields the URL of `page` (a generator for fixtures)."
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{page}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(site):
    "The site served on 127.0.0.1 by a thread."
    yield from serve_folder(site)


def open_browser():
    "Debian's chromium through playwright, for the session's `browser` fixture (tests/conftest.py: one per session,\n    since a second sync_playwright cannot start while the first runs)."
    try: from playwright.sync_api import sync_playwright
    except ImportError: _unavailable("playwright is not installed: pip install -e '.[dev]'")
    if not os.access(CHROMIUM, os.X_OK): _unavailable(f"no chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    "One page opened in a fresh context, with what it logged and requested."
    def __init__(self, browser, url):
        self.context = browser.new_context(service_workers="block")
        self.errors, self.outside, self.failed = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.response = self.page.goto(url, wait_until="networkidle")
        self.page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => 1) : 1")

    def _route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1": return route.continue_()
        self.outside.append(route.request.url)
        route.abort()

    def _console(self, msg):
        if msg.type == "error" and not (msg.location or {}).get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"console: {msg.text} ({(msg.location or {}).get('url')})")


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k in ("id", "name") and v)


def _page_url(module, base_url):
    "URL of the page documenting argminn.<module>, from nbdev's symbol index (argminn/_modidx.py)."
    from argminn._modidx import d
    syms = d["syms"].get(f"argminn.{module}")
    assert syms, f"argminn.{module} has no documented symbols in argminn/_modidx.py"
    return urljoin(base_url, next(iter(syms.values()))[0].split("#")[0])


def _pages(base_url, site):
    pages = {"home": base_url, **{m: _page_url(m, base_url) for m in MODULE_PAGES}}
    tutorials = sorted((site / "tutorials").glob("*.html"))
    if tutorials: pages["tutorial"] = urljoin(base_url, f"tutorials/{tutorials[0].name}")
    return pages


def check_links(visit, base_url):
    "Every local link answers 200 and every #anchor exists on its page."
    hrefs = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    ids, broken = {}, []
    for href in sorted(set(hrefs)):
        url, frag = urldefrag(href)
        if not url.startswith(base_url): continue
        if url not in ids:
            r = visit.context.request.get(url)
            ids[url] = None if r.status != 200 else _parse_ids(r.text()) if "html" in r.headers.get("content-type", "") else set()
            if r.status != 200: broken.append(f"{href}: HTTP {r.status}")
        if frag and ids[url] is not None and unquote(frag) not in ids[url]: broken.append(f"{href}: no such anchor")
    return broken


def _parse_ids(text):
    p = _Ids()
    p.feed(text)
    return p.ids


def test_site_builds(site):
    assert (site / "index.html").is_file() and (site / "search.html").is_file()
    assert (site / "_static" / "mathjax" / "tex-svg-full.js").is_file(), "MathJax is not vendored"


@pytest.mark.parametrize("which", ["home", *MODULE_PAGES, "tutorial"])
def test_page(which, browser, base_url, site):
    pages = _pages(base_url, site)
    if which not in pages: pytest.skip("nbs/ has no tutorials/ folder")
    v = Visit(browser, pages[which])
    try:
        assert v.response and v.response.status == 200, f"{pages[which]}: HTTP {v.response and v.response.status}"
        v.page.evaluate("""() => Promise.all([...document.images].map(i => { i.loading = 'eager';
                           return i.complete ? 1 : new Promise(r => { i.onload = i.onerror = r; }); }))""")
        bad_images = v.page.eval_on_selector_all("img", "els => els.filter(e => !(e.naturalWidth > 0)).map(e => e.src)")
        problems = ["no title (h1)"] * (v.page.locator("h1").count() == 0) + \
                   [f"image not loaded: {src}" for src in bad_images] + \
                   [f"broken link: {b}" for b in check_links(v, base_url)] + \
                   [f"request off 127.0.0.1: {u}" for u in v.outside] + \
                   [f"failed request: {u}" for u in v.failed if not any(o in u for o in v.outside)] + v.errors
        if os.environ.get("ARGMINN_DOCS_SHOTS"):
            Path(os.environ["ARGMINN_DOCS_SHOTS"]).mkdir(parents=True, exist_ok=True)
            v.page.screenshot(path=str(Path(os.environ["ARGMINN_DOCS_SHOTS"]) / f"{which}.png"))
        assert not problems, f"{pages[which]}:\n  " + "\n  ".join(problems[:20])
    finally:
        v.context.close()


def check_search(browser, base_url, name="read_model"):
    "The search page lists the show_doc section of `name` and finds it without errors."
    v = Visit(browser, urljoin(base_url, f"search.html?q={name}"))
    try:
        v.page.wait_for_function("() => /Search finished|did not match/.test(document.querySelector('.search-summary')?.textContent)")
        hits = v.page.eval_on_selector_all("#search-results ul li a", "els => els.map(e => [e.textContent, e.href])")
        assert any(text.strip().endswith(name) and href.startswith(base_url) for text, href in hits), \
            f"search for {name!r} does not list its section: {hits[:10]}"
        assert not v.errors and not v.outside and not v.failed, (v.errors, v.outside, v.failed)
    finally:
        v.context.close()


def test_search_finds_exported_name(browser, base_url):
    check_search(browser, base_url, SEARCH_NAME)


# ---- the converter's rules, without building or a browser

@pytest.fixture(scope="module")
def bd():
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "tools" / "build_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_page_names_follow_nbdev(bd):
    from nbdev.doclinks import _nbpath2html
    for nb in ["00_seq.ipynb", "00a_io.ipynb", "12b_Data_Loaders.ipynb", "index.ipynb", "tutorials/01_first.ipynb", "tutorials/demo.ipynb"]:
        assert bd.page_name(nb) + ".html" == _nbpath2html(Path(nb)).as_posix()


def test_anchors_are_quartos(bd):
    assert bd.pandoc_id("one_hot") == "one_hot" and bd.pandoc_id("ARGMINN.read") == "argminn.read"
    assert bd.pandoc_id("interpret_run: everything for a run") == "interpret_run-everything-for-a-run"
    assert bd.pandoc_id("2 Cost (ms)") == "cost-ms"


def test_convert_markdown(bd):
    pages = {"00_seq.ipynb": "seq", "05_losses.ipynb": "losses", "tutorials/01_a.ipynb": "tutorials/a"}
    ctx = bd.Ctx("tutorials/01_a.ipynb", "tutorials/a", pages, "https://argminn.github.io/argminn/", {"seq": {"one_hot"}})
    md = bd.convert_markdown("[`one_hot`](https://argminn.github.io/argminn/seq.html#one_hot), "
                             "[`_private`](https://argminn.github.io/argminn/seq.html#_private), [l](../05_losses.ipynb#cost), "
                             "[s](https://github.com/x){target=\"_blank\"}\n"
                             "::: {.callout-tip}\nhi\n:::\n::: {.column-margin}\nside\n:::\n## Head {#my_id}\n"
                             "```python\ndef f(x:[`Task`](https://argminn.github.io/argminn/simulate.html#task)): pass\n```", ctx)
    assert md.split("\n") == [
        "[`one_hot`](../seq.ipynb#one_hot), `_private`, [l](../losses.ipynb#cost), "
        '<a href="https://github.com/x" target="_blank">s</a>',
        ":::{tip}", "hi", ":::", "side", "(my_id)=", "## Head", "", '<div id="my_id"></div>', "",
        "```python", "def f(x:Task): pass", "```"]


def test_mixed_import_cells_run_only_their_imports(bd):
    cell = lambda src: {"cell_type": "code", "source": src, "outputs": []}
    assert bd._mixed_import_cell(cell("import os\nx = os.sep")) == ["import os"]
    assert bd._mixed_import_cell(cell("import os, json")) is None  # nbdev runs it as it is
    assert bd._mixed_import_cell(cell("#| export\nimport os\nx = 1")) is None
    assert bd._mixed_import_cell(cell("#| eval: false\nimport os\nx = 1")) is None
