"""Pilot test: "Save a URL" from the palette's key saves the page in a worker; it appears
in the list through the refresh, and a page that cannot be had says why. 127.0.0.1 only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app_fixtures import settle
from archive_pages import serve_pages
from feedserver import FeedServer
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.save_url import SaveUrlScreen


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        serve_pages(server)
        yield server


async def test_save_a_url_and_read_it(site: FeedServer, tmp_path: Path) -> None:
    news = tmp_path / "news"
    (news / "mine").mkdir(parents=True)
    (news / "mine" / "note.md").write_text("# A note\n\nSomething I wrote myself.\n")
    app = NewsApp(news, AppPaths.default(), Settings(news_folder=news), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.main
        assert screen is not None and screen.articles.row_count == 1
        await pilot.press("W")
        overlay: object = app.screen
        assert isinstance(overlay, SaveUrlScreen)
        await pilot.press(*site.url("/page/lighthouses"), "enter")
        await settle(pilot)  # the save, then the refresh it starts
        await settle(pilot)
        assert app.screen is screen and screen.articles.row_count == 2
        titles = {screen.articles.row_at(i).title for i in range(2)}  # type: ignore[union-attr]
        assert titles == {"A note", "Page about lighthouses"}
        saved = list((news / "imports" / "saved").glob("*.json"))
        assert len(saved) == 1
        assert any(f"Saved: {saved[0]}" in str(n.message) for n in app._notifications)
        await pilot.press("W", *site.url("/missing"), "enter")
        await settle(pilot)
        assert screen.articles.row_count == 2
        assert any("HTTP 404" in str(n.message) for n in app._notifications)
        await pilot.press("W", "escape")
        assert app.screen is screen
