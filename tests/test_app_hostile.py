"""Article text is data: markup-looking titles, bios and bodies show literally and do nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from app_fixtures import settle, write_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.main import MainScreen

WIDE = (200, 50)


@pytest.fixture
def app(tmp_path: Path) -> NewsApp:
    library = write_library(tmp_path / "articles")
    return NewsApp(library, AppPaths.default(), Settings(), watch=False)


def screen_lines(app: NewsApp) -> list[str]:
    """What the terminal would show, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def main_screen(app: App[Any]) -> MainScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


async def open_article(pilot: Pilot[Any], article_id: str) -> MainScreen:
    screen = main_screen(pilot.app)
    assert screen.articles.select_id(article_id)
    await pilot.pause()
    screen.articles.focus()
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def test_hostile_titles_show_literally_in_the_list(app: NewsApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert "Headline [/x]" in text
        assert "[@click=app.quit]Read more[/]" in text
        assert "\x1b" not in text


async def test_hostile_body_byline_and_bio_show_literally(app: NewsApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = await open_article(pilot, "headline-markup")
        reader_text = screen.reader.text
        assert reader_text.startswith("Headline [/x]")
        assert "A standfirst with [b]bold[/b] that must stay literal." in reader_text
        assert "[@click=app.quit]click me[/]" in reader_text
        assert "[link=http://x]y[/link]" in reader_text
        assert "[b]Mallory[/b] · 3 January 2026" in reader_text
        # control sequences and bidi overrides never reach the screen
        assert "\x1b" not in reader_text and "pwned" not in reader_text
        assert "\u202e" not in reader_text and "override" in reader_text
        text = "\n".join(screen_lines(app))
        assert "[b]Mallory[/b]" in text  # the author panel's name, not bold "Mallory"
        heading = str(screen.author_panel.query_one("#author-heading").render())
        assert "A bio with [link=http://x]y[/link] and [@click=app.quit]quit[/]" in heading
        assert "[link=http://x]y[/link]" in text
        assert "\x1b" not in text and "\u202e" not in text


async def test_clicking_hostile_text_does_not_quit(app: NewsApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        index = screen.articles.source.index_of("click-title")
        assert index is not None
        await pilot.click(screen.articles, offset=(10, index + 1))
        await pilot.click(screen.articles, offset=(10, index + 1))
        await settle(pilot)
        assert app.is_running
        assert screen.reader.article_id == "click-title"
        await pilot.click(screen.reader, offset=(20, 1))  # on the headline
        await pilot.click(screen.reader, offset=(5, 1))
        await pilot.pause()
        assert app.is_running
        assert "[@click=app.quit]Read more[/]" in "\n".join(screen_lines(app))


async def test_hostile_author_panel_click_and_search_query(app: NewsApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = await open_article(pilot, "headline-markup")
        heading = screen.author_panel.query_one("#author-heading")
        await pilot.click(heading, offset=(2, 0))
        await pilot.click(heading, offset=(12, 3))
        await pilot.pause()
        assert app.is_running
        await pilot.press("slash", *"[/x] [@click=app.quit]", "enter")
        await settle(pilot)
        assert app.is_running
        assert any("Search: [/x] [@click=app.quit]" in line for line in screen_lines(app))


async def test_wide_scripts_keep_columns_aligned(app: NewsApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        articles = main_screen(app).articles
        from rich.cells import cell_len

        widths = {articles.render_line(y).cell_length for y in range(articles.row_count)}
        assert widths == {articles.scrollable_content_region.width}
        wide = articles.source.index_of("wide-scripts")
        plain = articles.source.index_of("storm-closes-harbour")
        assert wide is not None and plain is not None
        wide_text = articles.render_line(wide).text
        plain_text = articles.render_line(plain).text
        assert "東京で大雪" in wide_text
        # the date column starts at the same cell in both rows
        assert cell_len(wide_text[: wide_text.index("2026-01-01")]) == cell_len(
            plain_text[: plain_text.index("2026-01-05")]
        )


async def test_hostile_file_names_are_cleaned_in_problems_and_notices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = write_library(tmp_path / "articles")
    (library / "bad\x1b]0;pwned\x07name.txt").write_text("")
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "badname.txt" in text
        assert "\x1b" not in text and "\x07" not in text
        assert all("\x1b" not in str(n.message) for n in app._notifications)
