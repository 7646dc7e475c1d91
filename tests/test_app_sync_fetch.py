"""Pilot test: with [sync] set, F syncs with the feed server instead of fetching feeds:
the server's entries appear, its marks are taken, marks made here are sent. Loopback only."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_fixtures import settle
from feverserver import FeverData, fever_server
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.core.sync.articles import item_article_id
from newstui.core.sync.settings import sync_settings_from
from newstui.tui.app import NewsApp


async def test_f_syncs_instead_of_fetching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = FeverData(password="pilot-pass")
    data.feeds = {10: ("Harbour Gazette", "https://gazette.test/feed.xml", None)}
    data.add_item(10, "ferry-timetable", is_read=True)
    data.add_item(10, "lighthouse-repaint")
    monkeypatch.setenv("NEWSTUI_TEST_FEVER", "pilot-pass")
    news = tmp_path / "news"
    news.mkdir()
    with fever_server(data) as server:
        sync = sync_settings_from(
            {"service": "fever", "url": server.url, "user": data.email,
             "password_env": "NEWSTUI_TEST_FEVER"}
        )  # fmt: skip
        app = NewsApp(news, AppPaths.default(), Settings(news_folder=news, sync=sync), watch=False)
        async with app.run_test(size=(100, 24)) as pilot:
            await settle(pilot)
            screen = app.main
            assert screen is not None and screen.articles.row_count == 0
            await pilot.press("F")
            await settle(pilot)
            await settle(pilot)
            assert screen.articles.row_count == 2
            assert any("Synced with 127.0.0.1" in str(n.message) for n in app._notifications)
            first = item_article_id(server.url, "1")
            second = item_article_id(server.url, "2")
            assert screen.state.get(first).read and not screen.state.get(second).read
            screen.articles.select_id(second)
            await pilot.press("s")  # star it here: queued, then sent by the next F
            await settle(pilot)
            await pilot.press("F")
            await settle(pilot)
            await settle(pilot)
            assert data.items[2].is_saved
            assert server.marks_sent() == [("saved", "2")]
            assert all(f.get("api") is not None for f in server.log)  # only the sync API
