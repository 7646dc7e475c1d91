"""The core never imports textual: the CLI and the TUI are two faces over the same core."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "newstui.core.models",
    "newstui.core.sanitize",
    "newstui.core.formats",
    "newstui.core.formats.scraped",
    "newstui.core.config",
    "newstui.core.paths",
    "newstui.core.resources",
    "newstui.cli",
    "newstui.cli.show",
    "newstui.core.library",
    "newstui.core.index.db",
    "newstui.core.index.related",
    "newstui.core.state.store",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    probe = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
        "print(','.join(leaked))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    if "ModuleNotFoundError" in result.stderr and module.split(".")[-1] in result.stderr:
        pytest.fail(f"{module} is missing")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
