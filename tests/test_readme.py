"""README.md is generated from nbs/index.ipynb; it must be current and hold the three commands."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("make_readme", ROOT / "tools" / "make_readme.py")
make_readme = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_readme)


def test_readme_is_current():
    assert (ROOT / "README.md").read_text(encoding="utf-8") == make_readme.render_readme(), \
        "README.md is out of date: run `python tools/make_readme.py`"


def test_readme_has_the_three_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for cmd in ('pip install -c constraints.txt -e ".[dev]"', "argminn demo", "pytest"):
        assert cmd in text, f"README lacks `{cmd}`"


def test_hidden_cells_are_dropped(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "source": ["# T"]},
                    {"cell_type": "code", "source": ["#| hide\n", "secret = 1"], "outputs": []},
                    {"cell_type": "code", "source": ["1+1"], "outputs": [{"output_type": "execute_result", "data": {"text/plain": ["2"]}}]}]}
    p = tmp_path / "index.ipynb"
    import json
    p.write_text(json.dumps(nb))
    assert make_readme.render_readme(p) == "# T\n\n```python\n1+1\n```\n\n```\n2\n```\n"


def test_readme_stops_at_the_end_mark(tmp_path):
    import json
    nb = {"cells": [{"cell_type": "markdown", "source": ["# T"]},
                    {"cell_type": "markdown", "source": ["<!-- end of README -->\n", "## Quick start"]},
                    {"cell_type": "code", "source": ["train()"], "outputs": []}]}
    p = tmp_path / "index.ipynb"
    p.write_text(json.dumps(nb))
    assert make_readme.render_readme(p) == "# T\n"
