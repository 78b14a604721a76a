"""The package's shape: modules layered in reading order (each imports only the ones before it), and no
function longer than a screen."""
import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "argminn"
# reading order = import order: sequences -> model -> read-out -> reports
LAYERS = ["io", "seq", "motifs", "grammar", "simulate", "datasets", "genome", "tutorial_data", "baselines", "model", "losses", "runs",
          "distributed", "train", "interpret", "syntax", "design", "explore", "report", "bench", "html", "cli", "__main__"]
MAX_BODY = 60


def _modules():
    return sorted(p.stem for p in PKG.glob("*.py") if p.stem not in ("__init__", "_modidx"))


def _imports(name):
    "argminn modules imported by module `name` (at any depth of its code)."
    tree = ast.parse((PKG / f"{name}.py").read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            mod = node.module if node.level == 0 else f"argminn.{node.module}"
            if mod.startswith("argminn."): out.add(mod.split(".")[1])
            elif mod == "argminn" or node.level == 1 and node.module is None:
                out.update(a.name for a in node.names if (PKG / f"{a.name}.py").exists())
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("argminn."))
    return out


def test_every_module_has_a_layer():
    assert set(_modules()) == set(LAYERS), f"add new modules to LAYERS: {sorted(set(_modules()) ^ set(LAYERS))}"


@pytest.mark.parametrize("name", LAYERS)
def test_imports_only_lower_layers(name):
    above = set(LAYERS[LAYERS.index(name):])
    bad = _imports(name) & above
    assert not bad, f"argminn.{name} imports {sorted(bad)}, which sit at or above it in {LAYERS}"


def test_functions_fit_on_a_screen():
    long = []
    for name in _modules():
        for node in ast.walk(ast.parse((PKG / f"{name}.py").read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.body[0].lineno + 1
                if n > MAX_BODY: long.append(f"{name}.{node.name}: {n} lines")
    assert not long, f"function bodies over {MAX_BODY} lines: {long}"
