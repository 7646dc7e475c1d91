"""Shared fixtures: every test runs with its own XDG dirs, never the developer's."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newstui.core import clock

if TYPE_CHECKING:
    from libhelpers import WriteFile


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for variable, folder in {
        "XDG_CONFIG_HOME": "config",
        "XDG_CACHE_HOME": "cache",
        "XDG_DATA_HOME": "data",
        "XDG_STATE_HOME": "state",
    }.items():
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    return home


PINNED_NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
"""The reader's "now" in every test: the snapshots and dates read the same in any year."""


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(clock, "system_clock", lambda: PINNED_NOW)
    return PINNED_NOW


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """Write bytes or text (UTF-8) to a file under tmp_path/articles and return its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return write
