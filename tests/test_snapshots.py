"""Snapshots of the reader at 80x24 and 200x50 on the fixed fixture library.

Update only after looking at the report: `pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from app_fixtures import settle, write_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp

SnapCompare = Callable[..., bool]
NARROW = (80, 24)
WIDE = (200, 50)


@pytest.fixture
def app(tmp_path: Path) -> NewsApp:
    library = write_library(tmp_path / "articles", broken=False)
    return NewsApp(library, AppPaths.default(), Settings(), watch=False)


def after(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Settle, press `keys` (settling after each), then settle again."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_list_at_80x24(snap_compare: SnapCompare, app: NewsApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=after())


def test_article_open_at_80x24(snap_compare: SnapCompare, app: NewsApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=after("enter"))


def test_author_panel_at_80x24(snap_compare: SnapCompare, app: NewsApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=after("enter", "a"))


def test_related_at_80x24(snap_compare: SnapCompare, app: NewsApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=after("enter", "r"))


def test_help_at_80x24(snap_compare: SnapCompare, app: NewsApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=after("question_mark"))


def test_all_panes_at_200x50(snap_compare: SnapCompare, app: NewsApp) -> None:
    assert snap_compare(app, terminal_size=WIDE, run_before=after("j", "j", "enter", "j"))


def test_search_results_at_200x50(snap_compare: SnapCompare, app: NewsApp) -> None:
    keys = ("slash", *"harbour", "enter")
    assert snap_compare(app, terminal_size=WIDE, run_before=after(*keys))


def test_hostile_article_at_200x50(snap_compare: SnapCompare, app: NewsApp) -> None:
    keys = ("j", "j", "j", "enter")
    assert snap_compare(app, terminal_size=WIDE, run_before=after(*keys))


def test_no_color_at_80x24(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without colour the cursor row and the focused pane are still visible."""
    monkeypatch.setenv("NO_COLOR", "1")
    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    assert snap_compare(app, terminal_size=NARROW, run_before=after("j", "enter", "shift+tab"))
