"""The status line says "offline · N pending" while marks wait for the sync server."""

from __future__ import annotations

from pathlib import Path

from app_fixtures import settle, write_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore
from newstui.core.sync.settings import sync_settings_from
from newstui.tui.app import NewsApp
from newstui.tui.widgets.status import StatusLine

SYNC = sync_settings_from(
    {"service": "fever", "url": "http://127.0.0.1:9/fever/", "user": "u", "password_env": "X"}
)


def status_text(app: NewsApp) -> str:
    return app.screen.query_one(StatusLine).render().plain


async def test_pending_marks_and_a_failed_sync_show_in_the_status_line(tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles")
    paths = AppPaths.default()
    seed = StateStore(paths.state_db)
    seed.add_sync_items("fever", [("storm-closes-harbour", "41")])
    seed.set_pref("sync.last_error", "sync: 127.0.0.1: network error: refused")
    seed.close()
    app = NewsApp(library, paths, Settings(sync=SYNC), watch=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert "offline" in status_text(app) and "pending" not in status_text(app)
        app.main.articles.select_id("storm-closes-harbour")  # type: ignore[union-attr]
        await pilot.press("s")
        await settle(pilot)
        await settle(pilot)
        assert "offline · 1 pending" in status_text(app)
        await pilot.press("U")  # undone before it was sent: nothing waits
        await settle(pilot)
        await settle(pilot)
        assert "pending" not in status_text(app)


async def test_without_sync_the_status_line_says_nothing_of_it(tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles")
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "pending" not in status_text(app) and "offline" not in status_text(app)
