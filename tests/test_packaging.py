"""A built wheel (not only the editable install) must carry every module and the shipped data."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_modules_and_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("argminn-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"argminn/{p.name}" for p in (ROOT / "argminn").glob("*.py")}
    assert modules <= names, f"missing modules: {sorted(modules - names)}"
    data = {f"argminn/data/{p.relative_to(ROOT / 'data').as_posix()}" for p in (ROOT / "data").rglob("*") if p.is_file()}
    assert any(n.startswith("argminn/data/tasks/") for n in data) and any(n.startswith("argminn/data/models/") for n in data)
    assert data <= names, f"missing data files: {sorted(data - names)[:5]}"
