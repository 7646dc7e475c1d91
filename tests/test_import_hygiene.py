"""The core never imports textual or rich: the CLI and the TUI are two faces over one core.

Checked twice: statically, every import statement in every file under `newstui/core` (lazy
ones inside functions too; import-linter's contract in pyproject.toml checks the same graph
in `make lint`), and at run time, importing every core module in a fresh interpreter.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import newstui.core

CORE = Path(newstui.core.__file__).parent
FACES = ("textual", "rich", "newstui.tui", "newstui.cli")


def core_modules() -> list[str]:
    found = pkgutil.walk_packages([str(CORE)], prefix="newstui.core.")
    return ["newstui.core", *sorted(module.name for module in found)]


def imported_names(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def is_face(name: str) -> bool:
    return any(name == face or name.startswith(face + ".") for face in FACES)


def test_the_walk_finds_the_whole_core() -> None:
    modules = core_modules()
    assert len(modules) >= 30
    for expected in ("newstui.core.index.related", "newstui.core.formats.html"):
        assert expected in modules


def test_no_file_under_core_imports_a_face() -> None:
    offenders = [
        f"{path.relative_to(CORE.parent)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in imported_names(path)
        if is_face(name)
    ]
    assert offenders == []


def test_the_static_check_would_see_a_lazy_textual_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def later():\n    from textual.widgets import Static\n")
    assert any(is_face(name) for name in imported_names(sample))


def test_importing_every_core_module_loads_no_face() -> None:
    probe = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}: importlib.import_module(name)\n"
        f"faces = {FACES!r}\n"
        "print(','.join(sorted(m for m in sys.modules "
        "if any(m == f or m.startswith(f + '.') for f in faces))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
