"""The wheel holds every package, the migrations and the resources (so an install is complete)."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_packages_migrations_and_resources(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("jlexam-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(ROOT)) for p in ROOT.glob("jlexam/**/__init__.py")}
    packages |= {str(p.parent.relative_to(ROOT)) for p in ROOT.glob("ui/**/__init__.py")}
    for package in packages:
        assert f"{package}/__init__.py" in names, f"package {package} missing from the wheel: list it in pyproject"
    for migration in (ROOT / "jlexam/store/migrations/versions").glob("*.py"):
        assert f"jlexam/store/migrations/versions/{migration.name}" in names
    resources = [p for p in (ROOT / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert resources
    for path in resources:
        assert "jlexam/resources/" + str(path.relative_to(ROOT / "resources")) in names, path
