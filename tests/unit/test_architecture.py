"""The core never imports Qt or the windows (DESIGN.md "The layers"), checked on the source text too.

import-linter (`lint-imports`, run by scripts/test.sh) checks the import graph; this test also catches a
Qt import hidden inside a function, which the graph check sees as well but a reader might not expect.
"""

import ast
from pathlib import Path

import jlexam

FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_never_imports_qt_or_ui():
    root = Path(jlexam.__file__).parent
    offenders = [
        f"{path.relative_to(root.parent)}: {name}"
        for path in root.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    # jlexam/cli.py may start the window through a lazy import of ui.app; nothing else may.
    assert offenders == ["jlexam/cli.py: ui.app"]


def test_the_check_itself_finds_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n", encoding="utf-8")
    assert _imports(bad) == ["PySide6.QtWidgets"]
