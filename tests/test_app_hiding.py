"""Pilot tests: `x` hides the article and shows a hidden one again; undo; rules in the reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_fixtures import settle, write_library
from newstui.core.config import Rule, Settings
from newstui.core.paths import AppPaths
from newstui.core.sources import HitRows
from newstui.tui.app import NewsApp
from newstui.tui.screens.main import MainScreen

NARROW = (80, 24)


def make_app(tmp_path: Path, **settings: Any) -> NewsApp:
    library = write_library(tmp_path / "articles")
    return NewsApp(library, AppPaths.default(), Settings(**settings), watch=False)


def screen_of(app: NewsApp) -> MainScreen:
    assert app.main is not None
    return app.main


def listed(screen: MainScreen) -> list[str]:
    rows = [screen.articles.row_at(i) for i in range(screen.articles.row_count)]
    return [row.id for row in rows if row is not None]


async def test_x_hides_then_is_hidden_finds_it_and_x_shows_it_again(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        before = listed(screen)
        total = screen.total
        target = screen.articles.current_id
        assert target is not None and target in before
        await pilot.press("d")
        await settle(pilot)
        assert app.state.hidden([target]) == {target}
        assert target not in listed(screen)
        assert screen.total == total - 1
        await pilot.press("slash", *"is:hidden", "enter")
        await settle(pilot)
        source = screen.articles.source
        assert isinstance(source, HitRows)
        assert [hit.row.id for hit in source.hits] == [target]
        assert screen.articles.current_id == target
        await pilot.press("d")  # one key shows it again
        await settle(pilot)
        assert app.state.hidden([target]) == set()
        await pilot.press("escape")
        await settle(pilot)
        assert listed(screen) == before
        assert screen.total == total


async def test_undo_puts_a_hidden_article_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        before = listed(screen)
        await pilot.press("j", "d")
        await settle(pilot)
        assert len(listed(screen)) == len(before) - 1
        await pilot.press("U")
        await settle(pilot)
        assert listed(screen) == before
        assert app.state.hidden(before) == set()


async def test_rules_act_on_what_a_refresh_brings(tmp_path: Path) -> None:
    app = make_app(tmp_path, rules=(Rule(1, "harbour", "hide"),))
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)  # the first index of a folder: its articles arrive
        screen = screen_of(app)
        assert listed(screen)
        assert not any("harbour" in row_id for row_id in listed(screen))
        hidden = app.library.search("harbour is:hidden")
        assert hidden and all(app.state.hidden([hit.row.id]) for hit in hidden)
        assert any("Rules: rule 1:" in str(n.message) for n in app._notifications)
