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


def test_feed_list_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    from conftest import PINNED_NOW
    from newstui.core.fetch.state import EntryState, FeedState, save_state, state_folder
    from newstui.core.fetch.subscriptions import (
        Subscription,
        save_subscriptions,
        subscriptions_file,
    )

    paths = AppPaths.default()
    news = tmp_path / "news"
    feeds = [
        Subscription("https://one.example/feed.xml", name="Harbour Notes", category="Local"),
        Subscription("https://two.example/rss", category="World/Europe"),
        Subscription("https://three.example/atom", name="Coast Weather " * 6, category="Local"),
        Subscription("https://four.example/feed", name="Quiet Blog"),
    ]
    save_subscriptions(subscriptions_file(paths.config_dir), feeds)
    now = PINNED_NOW.timestamp()
    states = [
        FeedState(
            last_success=now - 7200, entries={f"a{n}": EntryState("", now) for n in range(12)}
        ),
        FeedState(
            last_success=now - 600, title="Continental Desk", entries={"b": EntryState("", now)}
        ),
        FeedState(last_error="HTTP 404 Not Found", last_error_at=now - 90000),
        FeedState(),
    ]
    for feed, state in zip(feeds, states, strict=True):
        save_state(state_folder(paths, news), feed.key, state)
    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, paths, Settings(news_folder=news), watch=False)
    assert snap_compare(app, terminal_size=NARROW, run_before=after("L"))
