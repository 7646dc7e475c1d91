"""The problems view: unreadable files first, then files read with warnings, marked recovered;
only the unreadable ones count."""

from __future__ import annotations

from pathlib import Path

from app_fixtures import settle, write_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.main import MainScreen
from newstui.tui.screens.problems import ProblemsScreen

RECOVERED_FEED = (
    b'\n<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>'
    b"<item><title>Ferry Timetable Changes</title><guid>ferry-1</guid>"
    b"<description>The new timetable starts in June.</description></item>"
    b"</channel>"
)


async def test_a_recovered_feed_shows_as_a_warning(tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles")  # with one empty file: a problem
    (library / "herald.xml").write_bytes(RECOVERED_FEED)
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.problem_count == 1  # the empty file only
        assert "Ferry Timetable Changes" in {row.title for row in main.library.iter_rows()}
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        assert [(Path(p.path).name, p.recovered) for p in screen.problems] == [
            ("2025-12-31-empty.txt", False),
            ("herald.xml", True),
        ]
        listing = screen.query_one("#problems-list")
        assert listing.border_title == "Problems (1), 1 recovered"
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(2)]  # type: ignore[attr-defined]
        assert prompts[0].endswith("\n  empty file")
        assert "herald.xml" in prompts[1] and "recovered: malformed feed" in prompts[1]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
