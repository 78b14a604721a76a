"""Build the docs website offline: `python tools/build_docs.py [--out _build/site] [--reuse]`.

nbdev 2 renders its site with Quarto, which we cannot install; this follows the route of DOCS.md instead:

1. stage: copy `nbs/` to `_build/nbs/`. Cells that nbdev would run for the docs only because they import
   something, but that also hold other code (nbdev's FAQ: "cells containing imports and other code"),
   are split there: their imports run in a hidden cell, the cell itself is shown with its saved outputs.
2. process: nbdev's own processing, `nbdev.serve.proc_nbs(force=True)`, writes `_proc/` (hidden cells
   removed, show_doc cells added and run, backticked names turned into doc links).
3. convert: rewrite the Quarto-only constructs of `_proc/` for MyST into `_build/src/`: the frontmatter
   raw cell becomes the title, `#| output: asis` show_doc cells become markdown, callouts become
   admonitions, links with `{attrs}` become HTML links, nbdev's absolute doc links
   (`<doc_host><doc_baseurl>/seq.html#name`) and links to notebooks become relative links that Sphinx
   checks. Pages are named as nbdev names them (`00_seq.ipynb` -> `seq.html`,
   `tutorials/01_x.ipynb` -> `tutorials/x.html`), and every heading carries the anchor Quarto gives it.
4. write `conf.py` and the table of contents (top-level notebooks in notebook order, then one section
   per sub-folder of `nbs/`, e.g. Tutorials), and vendor MathJax into `_static/`: `mathjax@3.2.2` is fetched
   once with `npm pack` into the git-ignored `.cache/npm/` (checked against its sha256); the single file
   `es5/tex-svg-full.js` holds every TeX extension, so the page never loads another script.
5. `sphinx-build -W` (myst-nb, Furo theme; notebooks are not re-executed) writes the site to `--out`.

The build makes no network request except that one `npm pack`. nbdev's processing runs the cells that
export, call show_doc or import (OMP_NUM_THREADS=1), one notebook after the other: about 15 s on our 2-core
machine, no notebook slower than 3 s (00_seq, which imports torch first); the whole build about 30 s.
Unsplit, 04_model's `from tangermeme.deep_lift_shap import BilinearOp` cell fails under nbdev (it uses
names from cells the docs do not run) and 09_cli's cells run the command line for ~9 s.
`--reuse` skips the build when `--out` holds a site built from the same inputs (tests/test_docs_site.py).
"""
import argparse
import ast
import hashlib
import html
import importlib.util
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import time
from configparser import ConfigParser
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
CACHE = ROOT / ".cache" / "npm"
MATHJAX_TGZ, MATHJAX_SHA256 = "mathjax-3.2.2.tgz", "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09"
MATHJAX_FILE = "es5/tex-svg-full.js"
STAMP = ".argminn-docs-inputs"
SHOW_DIRECTIVES = {"export", "exports", "exporti", "exec_doc"}


class BuildError(Exception):
    "A build step failed; the message is one line for the user."


def settings():
    cfg = ConfigParser(delimiters=["="])
    cfg.read(ROOT / "settings.ini", encoding="utf-8")
    return cfg["DEFAULT"]


# ---- pages and anchors, named as nbdev and Quarto name them

def page_name(rel):
    "Page of the notebook `rel` (relative to nbs/), as nbdev names it: 00a_io.ipynb -> io (io.html)."
    rel = Path(rel)
    return rel.with_name(re.sub(r"^\d+[a-zA-Z0-9]*_", "", rel.name.lower())).with_suffix("").as_posix()  # nbdev.doclinks._nbpath2html


def pandoc_id(text):
    "Anchor Quarto (pandoc) gives a heading: lowercase, only letters, digits, _ - . kept, spaces to -."
    text = re.sub(r"[^\w\s.-]", "", text.strip().lower())
    text = re.sub(r"^[^a-z]+", "", re.sub(r"\s+", "-", text))  # pandoc drops everything up to the first letter
    return text or "section"


def directives(source):
    "The `#| key: value` lines at the top of a code cell, as {key: value}."
    out = {}
    for line in source.splitlines():
        m = re.match(r"\s*#\|\s*([\w-]+):?\s*(.*?)\s*$", line)
        if not m:
            if line.strip(): break
            continue
        out[m.group(1)] = m.group(2)
    return out


def _src(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def read_nb(path):
    try: return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e: raise BuildError(f"cannot read notebook {path}: {e}")


def write_nb(nb, path):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# ---- step 1: stage the notebooks

def _mixed_import_cell(cell):
    "Top-level imports of a cell nbdev would run only for its imports although it holds other code, else None."
    src = _src(cell)
    if cell["cell_type"] != "code" or "nbdev_export()" in src: return None
    d = directives(src)
    if d.keys() & SHOW_DIRECTIVES or d.get("eval", "").lower() == "false": return None
    code = "\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!")))
    try: body = ast.parse(code).body
    except SyntaxError: return None
    imports = [ast.get_source_segment(code, n) for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return imports if imports and len(imports) < len(body) else None


def stage_notebooks(stage):
    "Copy nbs/ to `stage`, splitting cells that mix imports with other code; returns how many were split."
    nbs = ROOT / settings().get("nbs_path", "nbs")
    if not nbs.is_dir(): raise BuildError(f"no notebook folder {nbs}")
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(nbs, stage, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    split = 0
    for path in sorted(stage.rglob("*.ipynb")):
        nb, cells = read_nb(path), []
        for cell in nb["cells"]:
            imports = _mixed_import_cell(cell)
            if imports:
                split += 1
                cells.append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                              "source": "#| hide\n" + "\n".join(imports), **({"id": cell["id"] + "-imports"} if "id" in cell else {})})
                cell = {**cell, "source": "#| eval: false\n" + _src(cell)}
            cells.append(cell)
        nb["cells"] = cells
        write_nb(nb, path)
    return split


# ---- step 2: nbdev's processing

def process(stage):
    "Run nbdev's docs processing on the staged notebooks; returns the `_proc` folder."
    from nbdev.serve import proc_nbs
    # n_workers=0: one notebook after the other in this process; on 2 cores that is faster than nbdev's
    # default of one spawned worker per core, each importing torch again
    try: return Path(proc_nbs(path=str(stage), force=True, n_workers=0))
    except Exception as e: raise BuildError(f"nbdev processing failed: {' '.join(str(e).split())[:400]}")


# ---- step 3: convert _proc/ for MyST

class Ctx(NamedTuple):
    "Where a converted cell lives: its notebook (relative to nbs/), page, all pages, nbdev's doc URL base."
    nb: str
    page: str
    pages: dict
    doc_base: str
    anchors: dict = None  # page -> its heading anchors, once known


def _link(name, anchor, ctx):
    "Relative link from the current page to page `name` (to its source notebook: Sphinx resolves and checks it)."
    rel = posixpath.relpath(name + ".ipynb", posixpath.dirname(ctx.page) or ".")
    return rel + ("#" + anchor if anchor else "")


def fix_url(url, ctx):
    """nbdev's absolute doc links, and links to notebooks or to their pages -> relative links; others unchanged.
    None for an nbdev link to a symbol without a show_doc heading (private or a method): it shows as plain text."""
    if ctx.doc_base and url.startswith(ctx.doc_base):
        name, _, anchor = url[len(ctx.doc_base):].partition("#")
        name = name.removesuffix(".html") or "index"
        if name not in ctx.pages.values(): return url
        if anchor and ctx.anchors is not None and anchor not in ctx.anchors.get(name, ()): return None
        return _link(name, anchor, ctx)
    path, _, anchor = url.partition("#")
    if re.match(r"^[a-z][a-z0-9+.-]*:|^/", url) or not path.endswith((".ipynb", ".html")): return url
    target = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.nb), path))
    name = ctx.pages.get(target) or (target[:-5] if target[:-5] in ctx.pages.values() else None)
    return _link(name, anchor, ctx) if name else url


def convert_markdown(md, ctx):
    "Quarto/pandoc markdown -> MyST markdown."
    # links with pandoc attributes: [text](url){target="_blank" style="..."} -> an HTML link
    def html_link(m):
        attrs = " ".join(f'{k}="{html.escape(v)}"' for k, v in re.findall(r'([\w-]+)="([^"]*)"', m.group(3)))
        return f'<a href="{html.escape(fix_url(m.group(2), ctx))}" {attrs}>{html.escape(m.group(1))}</a>'
    md = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)\{([^}]*)\}", html_link, md)
    out, fence, divs = [], None, []
    for line in md.split("\n"):
        f = re.match(r"^\s*(```+|~~~+)", line)
        if fence:  # inside a code block: nbdev's [`name`](url) doc links show as plain names
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence): fence = None
            out.append(re.sub(r"\[`([^`\]]+)`\]\((?:https?://[^)\s]+)\)", r"\1", line))
            continue
        if f:
            fence = f.group(1)
            out.append(line)
            continue
        # callouts: ::: {.callout-note title="T"} ... ::: -> :::{note} ... :::  (other divs: content only)
        div = re.match(r"^\s*:::+\s*\{([^}]*)\}\s*$", line)
        if div:
            kind, title = re.search(r"\.callout-(\w+)", div.group(1)), re.search(r'title="([^"]*)"', div.group(1))
            divs.append(bool(kind))
            if kind and title: out += [f":::{{admonition}} {title.group(1)}", f":class: {kind.group(1)}"]
            elif kind: out.append(f":::{{{kind.group(1)}}}")
            continue
        if re.match(r"^\s*:::+\s*$", line) and divs:
            if divs.pop(): out.append(":::")
            continue
        # headings: drop pandoc {#id .class} attributes; an explicit #id becomes a MyST label (for links)
        # and, when docutils would spell its id differently, an HTML anchor of that exact name
        h = re.match(r"^(#{1,6}\s+.*?)\s+\{([^}]*)\}\s*$", line)
        if h:
            hid = re.search(r"#([\w.-]+)", h.group(2))
            label = [f"({hid.group(1)})="] if hid else []
            docutils_spelling = hid and re.fullmatch(r"[a-z](-?[a-z0-9])*", hid.group(1))
            anchor = ["", f'<div id="{hid.group(1)}"></div>', ""] if hid and not docutils_spelling else []
            out += label + [h.group(1)] + anchor
            continue
        out.append(line)
    # plain links; the link text may hold `code` and one level of [brackets]; the URL has no spaces or parentheses
    def link(m):
        url = fix_url(m.group(2), ctx)
        return m.group(1) if url is None else f"[{m.group(1)}]({url})"
    return re.sub(r"(?<!!)\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]\(([^)\s]+)\)", link, "\n".join(out))


def heading_anchors(cells):
    "The anchors MyST gives the headings of converted markdown cells (our pandoc_id), and the explicit labels."
    found = set()
    for cell in cells:
        if cell["cell_type"] != "markdown": continue
        text = re.sub(r"^(```|~~~).*?^\1", "", _src(cell), flags=re.S | re.M)  # not in code blocks
        for h in re.findall(r"^#{1,6}\s+(.*?)\s*$", text, re.M):
            slug = pandoc_id(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", h).replace("`", "").replace("*", ""))
            n = 0
            while (slug if n == 0 else f"{slug}-{n}") in found: n += 1
            found.add(slug if n == 0 else f"{slug}-{n}")
        found.update(re.findall(r'^\(([^)\s]+)\)=\s*$', text, re.M))
    return found


def _showdoc_markdown(md):
    "show_doc output: drop the rule above it and put the [source] link after the heading (into its section)."
    md = re.sub(r"^\s*---\s*\n", "", md)
    return re.sub(r"^(\s*<a [^\n]*</a>\s*)\n+(#{1,6} [^\n]*)\n", r"\2\n\n\1\n", md, count=1)


def _md_cell(source, cid=None):
    return {"cell_type": "markdown", "metadata": {}, "source": source, **({"id": cid} if cid else {})}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _static_outputs(outputs):
    "Outputs a static page can show: a widget view is dropped, and with it a widget whose only fallback is text."
    keep = []
    for o in outputs:
        data = o.get("data", {})
        if WIDGET_VIEW in data:
            data = {k: v for k, v in data.items() if k not in (WIDGET_VIEW, "text/plain")}
            if not data: continue
            o = {**o, "data": data}
        keep.append(o)
    return keep


def convert_cell(cell, ctx):
    "The cells MyST shows for one `_proc` cell (none or one)."
    src, cid = _src(cell), cell.get("id")
    if cell["cell_type"] == "raw":  # nbdev's frontmatter
        m = re.match(r"^\s*---\s*\n(.*?)\n---\s*$", src, re.S)
        if not m: return []
        fm = yaml.safe_load(m.group(1)) or {}
        title = fm.get("title") or ctx.page.rsplit("/", 1)[-1]
        desc = convert_markdown(f"\n\n> {fm['description']}", ctx) if fm.get("description") else ""
        return [_md_cell(f"# {title}{desc}", cid)]
    if cell["cell_type"] == "markdown":
        return [_md_cell(convert_markdown(src, ctx), cid)] if src.strip() else []
    if cell["cell_type"] != "code": return []
    d = directives(src)
    if d.get("include", "").lower() == "false": return []
    outputs = _static_outputs(cell.get("outputs", []))
    if d.get("output", "").lower() == "asis":  # markdown produced by the cell (show_doc)
        parts = []
        for o in outputs:
            data = o.get("data", {})
            text = data.get("text/markdown", data.get("text/plain", o.get("text", "")))
            parts.append(_showdoc_markdown(convert_markdown("".join(text) if isinstance(text, list) else text, ctx)))
        return [_md_cell("\n\n".join(parts), cid)] if parts else []
    body = "\n".join(l for l in src.splitlines() if not re.match(r"\s*#\|", l)).strip("\n")
    tags = (["remove-input"] if d.get("echo", "").lower() == "false" or not body else []) + \
           (["remove-output"] if d.get("output", "").lower() == "false" else [])
    if "remove-input" in tags and ("remove-output" in tags or not outputs): return []
    meta = {k: v for k, v in cell.get("metadata", {}).items() if k != "tags"}
    return [{**cell, "source": body, "outputs": outputs, "metadata": {**meta, **({"tags": tags} if tags else {})}}]


def convert_notebook(src, ctx):
    "The converted notebook of the `_proc` notebook `src`."
    nb = read_nb(src)
    cells = [c for cell in nb["cells"] for c in convert_cell(cell, ctx)]
    if not cells or not _src(cells[0]).lstrip().startswith("# "):
        cells.insert(0, _md_cell(f"# {ctx.page.rsplit('/', 1)[-1]}"))  # Sphinx needs a page title
    for i, c in enumerate(cells): c["id"] = f"c{i}"
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python", "pygments_lexer": "ipython3"}}  # no widget state: it would load CDN scripts
    return {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def convert_all(proc, src):
    "Convert every notebook of `proc` into `src` (and copy the other files); returns {notebook path: page}."
    cfg = settings()
    doc_base = (cfg.get("doc_host", "").rstrip("/") + "/" + cfg.get("doc_baseurl", "").strip("/")).rstrip("/") + "/"
    notebooks = sorted(p.relative_to(proc).as_posix() for p in proc.rglob("*.ipynb"))
    pages = {nb: page_name(nb) for nb in notebooks}
    clash = [p for p in set(pages.values()) if list(pages.values()).count(p) > 1]
    if clash: raise BuildError(f"two notebooks give the page {clash[0]}.html: {[n for n, p in pages.items() if p == clash[0]]}")
    shutil.rmtree(src, ignore_errors=True)
    for f in proc.rglob("*"):  # images and other files the notebooks refer to
        if f.is_file() and f.suffix != ".ipynb":
            (src / f.relative_to(proc)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, src / f.relative_to(proc))
    anchors = None
    for _ in range(2):  # the second pass knows every page's anchors
        converted = {page: convert_notebook(proc / nb, Ctx(nb, page, pages, doc_base, anchors)) for nb, page in pages.items()}
        anchors = {page: heading_anchors(nb["cells"]) for page, nb in converted.items()}
    for page, nb in converted.items(): write_nb(nb, src / f"{page}.ipynb")
    return pages


# ---- step 4: table of contents, conf.py, MathJax

def write_index(src, pages):
    "Home page (nbs/index.ipynb, or one made from settings.ini) followed by the table of contents."
    groups = {}
    for page in pages.values():
        if page != "index": groups.setdefault(page.split("/")[0] if "/" in page else "", []).append(page)
    index = src / "index.ipynb"
    if not index.exists():
        cfg = settings()
        write_nb({"cells": [_md_cell(f"# {cfg['title']}\n\n> {cfg.get('description', '')}", "c0")], "metadata": {},
                  "nbformat": 4, "nbformat_minor": 5}, index)
    nb = read_nb(index)
    for folder in sorted(groups, key=lambda g: (g != "", g)):
        caption = "API" if folder == "" else folder.replace("_", " ").capitalize()
        entries = "\n".join(groups[folder])
        nb["cells"].append(_md_cell(f"```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{entries}\n```", f"toc-{folder or 'api'}"))
    write_nb(nb, index)


CONF = '''# Written by tools/build_docs.py: edit that file, not this one.
import sys

sys.path.insert(0, {tools!r})

project = {title!r}
author = {author!r}
copyright = {copyright!r}
release = version = {version!r}
language = "en"
extensions = ["myst_nb"]
source_suffix = {{".ipynb": "myst-nb"}}
exclude_patterns = ["**/*.md", "**/*.qmd", "**.ipynb_checkpoints"]
nb_execution_mode = "off"  # the outputs are those saved in the notebooks and refreshed by nbdev's processing
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 6  # headings get Quarto's anchors (seq.html#one_hot), links to them are checked

myst_heading_slug_func = "build_docs.pandoc_id"  # tools/build_docs.py, on sys.path above
suppress_warnings = ["myst.header"]  # nbdev pages put ### show_doc headings right under the # title
html_theme = "furo"
html_title = project
html_static_path = ["_static"]
html_copy_source = False
html_show_sourcelink = False
mathjax_path = "mathjax/tex-svg-full.js"  # vendored from npm, no CDN
'''


def write_conf(src):
    cfg = settings()
    (src / "conf.py").write_text(CONF.format(tools=str(Path(__file__).resolve().parent), title=cfg["title"], author=cfg["author"], copyright=cfg["copyright"],
                                             version=cfg["version"]), encoding="utf-8")


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def vendor_mathjax(static):
    "Copy MathJax (npm mathjax@3.2.2, fetched once into .cache/npm/) into `static`/mathjax/."
    tgz = CACHE / MATHJAX_TGZ
    if not tgz.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        if not shutil.which("npm"): raise BuildError(f"npm not found: install npm, or put {MATHJAX_TGZ} (npm pack mathjax@3.2.2) in {CACHE}")
        r = subprocess.run(["npm", "pack", "mathjax@3.2.2", "--pack-destination", str(CACHE)], capture_output=True, text=True)
        if r.returncode or not tgz.exists(): raise BuildError(f"npm pack mathjax@3.2.2 failed: {' '.join(r.stderr.split())[-300:]}")
    if _sha256(tgz) != MATHJAX_SHA256: raise BuildError(f"{tgz} is not the mathjax-3.2.2 tarball (sha256 differs): delete it")
    (static / "mathjax").mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz) as t:
        for name, dest in ((f"package/{MATHJAX_FILE}", Path(MATHJAX_FILE).name), ("package/LICENSE", "LICENSE")):
            (static / "mathjax" / dest).write_bytes(t.extractfile(name).read())


# ---- step 5: Sphinx

def sphinx(src, out):
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-d", str(BUILD / "doctrees"), str(src), str(out)]
    shutil.rmtree(out, ignore_errors=True)
    if subprocess.run(cmd, cwd=ROOT).returncode:
        raise BuildError("sphinx-build failed: its warnings above are errors (-W)")


def inputs_fingerprint():
    "sha256 over everything the site is built from."
    files = [ROOT / "settings.ini", Path(__file__).resolve()] + sorted((ROOT / settings().get("lib_path", "argminn")).rglob("*.py"))
    files += sorted(p for p in (ROOT / settings().get("nbs_path", "nbs")).rglob("*")
                    if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts)
    h = hashlib.sha256()
    for f in files: h.update(f.relative_to(ROOT).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def check_packages():
    missing = [m for m in ("sphinx", "myst_nb", "furo", "nbdev") if importlib.util.find_spec(m) is None]
    if missing: raise BuildError(f"missing {', '.join(missing)}: pip install -c constraints.txt -e '.[dev]'")


def build(out):
    t0 = time.time()
    check_packages()
    stage, src = BUILD / "nbs", BUILD / "src"
    split = stage_notebooks(stage)
    if split: print(f"build_docs: {split} cells mix imports with other code: only their imports run for the docs (nbdev FAQ)")
    proc = process(stage)
    print(f"build_docs: nbdev processing {time.time() - t0:.0f}s")
    pages = convert_all(proc, src)
    write_index(src, pages)
    write_conf(src)
    vendor_mathjax(src / "_static")
    sphinx(src, out)
    print(f"build_docs: {len(pages)} pages in {out} ({time.time() - t0:.0f}s)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--out", default=str(BUILD / "site"), help="site folder (default: _build/site)")
    ap.add_argument("--reuse", action="store_true", help="do nothing if --out holds a site built from the same inputs")
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    os.chdir(ROOT)  # nbdev finds settings.ini from the working directory
    for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"): os.environ.setdefault(k, "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    fingerprint = inputs_fingerprint()
    if args.reuse and (out / STAMP).is_file() and (out / STAMP).read_text().strip() == fingerprint:
        print(f"build_docs: {out} is up to date")
        return 0
    try: build(out)
    except BuildError as e:
        print(f"build_docs: error: {e}", file=sys.stderr)
        return 1
    (out / STAMP).write_text(fingerprint + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
