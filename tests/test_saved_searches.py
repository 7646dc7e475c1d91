"""Saved searches (`[searches]` in config.toml): counted and opened like a folder."""

from __future__ import annotations

from pathlib import Path

from app_fixtures import settle, write_library
from libhelpers import open_library
from newstui.core.config import Settings
from newstui.core.library import SAVED_SEARCH, shown_filter
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.folders import FoldersScreen

SEARCHES = {"ada": "author:lindqvist", "fish": "fishermen"}


def test_saved_searches_are_counted_like_folders(tmp_path: Path) -> None:
    with open_library(write_library(tmp_path / "articles")) as library:
        infos = {info.name: info for info in library.saved_searches(SEARCHES)}
        ada = infos[SAVED_SEARCH + "ada"]
        assert (ada.total, ada.unread, ada.query) == (2, 2, "author:lindqvist")
        library.state.set_read(["harbour-reopens"])
        library.state.set_hidden(["storm-closes-harbour"], True)
        ada = library.saved_searches(SEARCHES)[0]
        assert (ada.total, ada.unread) == (1, 0)  # the hidden one is not counted
        rows = library.page(0, 10, flt=shown_filter(SAVED_SEARCH + "ada", SEARCHES))
        assert [row.id for row in rows] == ["harbour-reopens"]
        gone = shown_filter(SAVED_SEARCH + "removed since", SEARCHES)
        assert library.count(gone) == 0


async def test_a_saved_search_opens_from_the_folders_view(tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, AppPaths.default(), Settings(searches=SEARCHES), watch=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        screen = app.main
        assert screen is not None and screen.articles.row_count == 6
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FoldersScreen)
        prompts = [str(folder.name) for folder in app.screen.folders]
        assert prompts == ["", SAVED_SEARCH + "ada", SAVED_SEARCH + "fish"]
        await pilot.press("j", "enter")  # @ada
        await settle(pilot)
        assert screen.folder_shown == SAVED_SEARCH + "ada"
        rows = [screen.articles.row_at(i) for i in range(screen.articles.row_count)]
        assert {row.id for row in rows if row} == {"harbour-reopens", "storm-closes-harbour"}
        assert (screen.total, screen.unread) == (2, 2)
        assert "@ada" in str(screen.articles.border_title)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.folder_shown == "" and screen.articles.row_count == 6
