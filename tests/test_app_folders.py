"""Pilot tests: the folder picker shows one subfolder (a feed's, say) with unread counts."""

from __future__ import annotations

import shutil
from pathlib import Path

from app_fixtures import settle, write_library
from libhelpers import open_library
from newstui.core.config import Settings
from newstui.core.library import ListFilter
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.folders import FoldersScreen


def nested_library(tmp_path: Path) -> Path:
    library = write_library(tmp_path / "articles", broken=False)
    sub = library / "harbour news" / "ferries"
    sub.mkdir(parents=True)
    for name in ("2026-01-06-harbour-reopens.txt", "2026-01-05-storm-closes-harbour.txt"):
        shutil.move(library / name, sub / name)
    return library


def test_folders_count_their_articles_and_those_below(tmp_path: Path) -> None:
    library = nested_library(tmp_path)
    with open_library(library) as opened:
        folders = {folder.name: folder for folder in opened.folders()}
        assert set(folders) == {"", "harbour news", "harbour news/ferries"}
        assert folders[""].total == 6 and folders["harbour news"].total == 2
        assert folders["harbour news/ferries"].depth == 2
        opened.state.set_read(["harbour-reopens"])
        assert {f.name: f.unread for f in opened.folders()}["harbour news/ferries"] == 1
        shown = opened.page(0, 10, flt=ListFilter(folder="harbour news"))
        assert {row.id for row in shown} == {"harbour-reopens", "storm-closes-harbour"}
        assert opened.count(ListFilter(folder="harbour")) == 0  # a folder, not a prefix


async def test_picking_a_folder_lists_only_it_and_escape_shows_all(tmp_path: Path) -> None:
    app = NewsApp(nested_library(tmp_path), AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.main
        assert screen is not None and screen.articles.row_count == 6
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FoldersScreen)
        await pilot.press("j", "enter")  # "harbour news"
        await settle(pilot)
        assert screen.folder_shown == "harbour news"
        assert screen.articles.row_count == 2
        assert "harbour news" in str(screen.articles.border_title)
        assert (screen.total, screen.unread) == (2, 2)
        await pilot.press("A")  # marks only what is shown
        await settle(pilot)
        assert app.state.get("harbour-reopens").read
        assert not app.state.get("fishermen-count-losses").read
        await pilot.press("escape")
        await settle(pilot)
        assert screen.folder_shown == "" and screen.articles.row_count == 6
