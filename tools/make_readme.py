"""Write README.md from nbs/index.ipynb, offline (nbdev_readme needs Quarto).

Markdown cells are copied as they are; code cells are kept as ```python blocks unless a `#| hide`
directive hides them; text outputs follow their cell. The README ends at a markdown cell that starts with
`<!-- end of README` (what follows is the documentation's home page only). `python tools/make_readme.py --check` exits 1
when README.md is out of date (tests/test_readme.py runs the same check)."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "nbs" / "index.ipynb"
README = ROOT / "README.md"
END_MARK = "<!-- end of README"


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _hidden(source):
    return any(line.strip().replace(" ", "") in ("#|hide", "#|include:false") for line in source.splitlines())


def _code_block(source):
    body = "\n".join(l for l in source.splitlines() if not l.lstrip().startswith("#|")).strip()
    return f"```python\n{body}\n```" if body else ""


def _text_outputs(cell):
    for out in cell.get("outputs", []):
        text = out.get("text") or out.get("data", {}).get("text/plain")
        if text:
            yield "```\n" + ("".join(text) if isinstance(text, list) else text).rstrip() + "\n```"


def render_readme(index=INDEX):
    "README text rendered from the notebook `index`."
    try:
        nb = json.loads(Path(index).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise SystemExit(f"cannot read {index}: {e}")
    parts = []
    for cell in nb["cells"]:
        src = _source(cell)
        if cell["cell_type"] == "markdown" and src.lstrip().startswith(END_MARK): break
        if cell["cell_type"] == "markdown":
            parts.append(src.strip())
        elif cell["cell_type"] == "code" and not _hidden(src):
            parts += [p for p in [_code_block(src), *_text_outputs(cell)] if p]
    return "\n\n".join(p for p in parts if p) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    text = render_readme()
    if "--check" in argv:
        if README.read_text(encoding="utf-8") != text:
            print("README.md is out of date: run `python tools/make_readme.py`", file=sys.stderr)
            return 1
        return 0
    tmp = README.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(README)
    return 0


if __name__ == "__main__":
    sys.exit(main())
