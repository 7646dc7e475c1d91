"""The counts in the main screen's status: figures counted before a refresh that has since
reported newer ones never overwrite them."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from app_fixtures import ARTICLES, settle, write_library
from libhelpers import article_text
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.main import MainScreen


def total_of(screen: MainScreen) -> int:
    return screen.total


async def test_counts_begun_before_a_refresh_do_not_overwrite_its_figures(tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.main
        assert isinstance(screen, MainScreen)
        before = total_of(screen)
        assert before == len(ARTICLES)

        # A count that reads the library now and reports only after a refresh has finished.
        counted, release = threading.Event(), threading.Event()
        count = screen._counts

        def slow_first_count() -> tuple[int, int]:
            figures = count()
            if not counted.is_set():
                counted.set()
                release.wait(10)
            return figures

        screen._counts = slow_first_count  # type: ignore[method-assign]
        screen.count_articles()
        assert await asyncio.to_thread(counted.wait, 10)

        (library / "2026-02-01-new.txt").write_text(
            article_text("Quay Lights Restored", slug="quay-lights"), encoding="utf-8"
        )
        finished = screen.refreshes_finished
        screen.start_refresh()
        for _ in range(400):
            if screen.refreshes_finished > finished:
                break
            await pilot.pause(0.02)
        assert total_of(screen) == before + 1

        release.set()  # the old figures arrive now
        await settle(pilot)
        assert total_of(screen) == before + 1
        assert f"{before + 1}" in str(screen.query_one("#status").render())
