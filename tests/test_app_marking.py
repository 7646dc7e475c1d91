"""Pilot tests: mark all shown read, undo, and the keys that go back (q, escape)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_fixtures import settle, write_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.core.sources import HitRows, LibraryRows
from newstui.core.state.store import StateStore
from newstui.tui.app import NewsApp
from newstui.tui.screens.main import MainScreen

NARROW = (80, 24)


def make_app(tmp_path: Path, **settings: Any) -> NewsApp:
    library = write_library(tmp_path / "articles")
    return NewsApp(library, AppPaths.default(), Settings(**settings), watch=False)


def screen_of(app: NewsApp) -> MainScreen:
    assert app.main is not None
    return app.main


def side_open(screen: MainScreen) -> bool:
    """(A call, so that mypy does not keep a narrowed value across the awaits.)"""
    return screen.side_open


def unread_rows(screen: MainScreen) -> list[str]:
    rows = [screen.articles.row_at(i) for i in range(screen.articles.row_count)]
    return [row.id for row in rows if row is not None and not row.read]


async def test_mark_all_shown_read_then_undo(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("j", "m")  # one read by hand first
        await settle(pilot)
        assert len(unread_rows(screen)) == 5
        await pilot.press("A")
        await settle(pilot)
        assert unread_rows(screen) == []
        assert screen.unread == 0
        ids = [hit.id for hit in app.library.page(0, 10)]
        assert all(state.read for state in app.state.get_many(ids).values())
        await pilot.press("U")
        await settle(pilot)
        assert len(unread_rows(screen)) == 5  # the one read before stays read
        assert screen.unread == 5
        assert app.state.get("storm-closes-harbour").read
        await pilot.press("U")  # then the hand-made mark is undone too
        await settle(pilot)
        assert not app.state.get("storm-closes-harbour").read


async def test_mark_all_in_search_results_marks_only_the_hits(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("slash", *"harbour", "enter")
        await settle(pilot)
        source = screen.articles.source
        assert isinstance(source, HitRows)
        hits = {hit.row.id for hit in source.hits}
        await pilot.press("A")
        await settle(pilot)
        states = app.state.get_many(row.id for row in app.library.page(0, 10))
        assert {key for key, state in states.items() if state.read} == hits
        assert len(hits) < len(states)


async def test_undo_of_a_star_and_nothing_to_undo(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("U")
        await settle(pilot)
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)
        await pilot.press("s")
        await settle(pilot)
        assert app.state.get("harbour-reopens").starred
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not app.state.get("harbour-reopens").starred
        current = screen_of(app).articles.current_row
        assert current is not None and not current.starred


async def test_q_in_the_reader_goes_back_to_the_list_and_q_in_the_list_quits(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.reader.has_focus
        await pilot.press("q")
        await pilot.pause()
        assert screen.articles.has_focus and app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_escape_from_a_side_pane_returns_and_keeps_the_search(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        await pilot.press("slash", *"harbour", "enter")
        await settle(pilot)
        await pilot.press("enter")  # open a result: the reader has focus
        await settle(pilot)
        assert screen.reader.has_focus
        await pilot.press("a")
        await pilot.pause()
        assert side_open(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.reader.has_focus and not side_open(screen)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.articles.has_focus
        assert isinstance(screen.articles.source, HitRows)  # the search is still there
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(screen.articles.source, LibraryRows)


async def test_the_palette_lists_mark_all_and_undo(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        from newstui.tui.commands import NewsCommands

        provider = NewsCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Mark all shown read" in names
        assert "Undo marking or starring" in names


async def test_the_place_is_saved_however_the_reader_is_closed(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "space")
        block = screen_of(app).reader.top_block()
        assert block > 0
        app.exit()  # not by a key: the place must still be saved
        await pilot.pause()
    saved = StateStore(AppPaths.default().state_db)
    try:
        assert saved.get("harbour-reopens").block == block
    finally:
        saved.close()
