"""Pilot tests for the reader: every key path ends in an assertion on state."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget

from app_fixtures import settle, write_library
from libhelpers import open_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.core.sources import HitRows, LibraryRows
from newstui.core.state.store import StateStore
from newstui.tui.app import NewsApp
from newstui.tui.screens.help import HelpScreen
from newstui.tui.screens.main import MainScreen
from newstui.tui.screens.problems import ProblemsScreen
from newstui.tui.widgets.article_list import ArticleList
from newstui.tui.widgets.reader import ReaderPane
from newstui.tui.widgets.search_bar import SearchBar

WIDE = (200, 50)
NARROW = (80, 24)
AppFactory = Callable[..., NewsApp]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "articles")


@pytest.fixture
def make_app(library: Path) -> AppFactory:
    def make(**settings: Any) -> NewsApp:
        return NewsApp(library, AppPaths.default(), Settings(**settings), watch=False)

    return make


# Read afresh: an assert on the attribute itself would narrow it, for mypy, through the
# awaits that change it (and flag the asserts after them as unreachable).
def displayed(widget: Widget) -> bool:
    return widget.display


def side_open(screen: MainScreen) -> bool:
    return screen.side_open


def main_screen(app: App[Any]) -> MainScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen


async def open_first(pilot: Pilot[Any]) -> MainScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return main_screen(pilot.app)


# --- list and opening --------------------------------------------------------------------


async def test_list_paints_newest_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        articles = screen.articles
        assert articles.row_count == 6
        assert articles.current_id == "harbour-reopens"
        assert articles.row_at(5) is not None
        assert articles.row_at(5).id == "wide-scripts"  # type: ignore[union-attr]
        assert screen.total == 6 and screen.unread == 6
        assert screen.problem_count == 1
        assert screen.has_focus is False and articles.has_focus


async def test_cursor_moves_with_j_k_and_arrows(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "down", "k")
        articles = main_screen(app).articles
        assert articles.cursor == 2
        assert articles.current_id == "fishermen-count-losses"
        await pilot.press("G")
        assert articles.cursor == 5
        await pilot.press("g")
        assert articles.cursor == 0
        await pilot.press("end", "up")
        assert articles.cursor == 4


async def test_enter_opens_article_marks_read_and_focuses_reader(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        assert reader.article_id == "harbour-reopens"
        assert reader.has_focus
        text = reader.text
        assert text.startswith("Harbour Reopens After Week-Long Closure")
        assert "Ferries resumed sailing on Tuesday" in text
        assert "Ada Lindqvist · 6 January 2026 · 2 min read" in text
        assert '┃ "We are open, but we are not back to normal yet."' in text
        assert app.state.get("harbour-reopens").read
        assert screen.unread == 5
        assert app.state.last_opened(str(screen.folder)) == "harbour-reopens"
        row = screen.articles.row_at(0)
        assert row is not None and row.read


@pytest.mark.parametrize("policy", ["manual", "end"])
async def test_mark_read_policies(make_app: AppFactory, policy: str) -> None:
    app = make_app(mark_read=policy)
    async with app.run_test(size=NARROW) as pilot:
        await open_first(pilot)
        assert not app.state.get("harbour-reopens").read
        await pilot.press("G")
        await settle(pilot)
        assert app.state.get("harbour-reopens").read is (policy == "end")


async def test_reader_centres_text_in_a_wide_pane(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        assert max(line.content.cell_length for line in reader.lines) <= 76
        strip = reader.render_line(0)
        margin = len(strip.text) - len(strip.text.lstrip(" "))
        assert margin >= 5


# --- panes and focus ---------------------------------------------------------------------


async def test_tab_cycles_all_panes_when_wide(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("shift+tab")
        assert screen.articles.has_focus
        visited = []
        for _ in range(4):
            await pilot.press("tab")
            visited.append(app.focused.id if app.focused else None)
        assert visited == ["reader", "author-articles", "related", "articles"]


async def test_narrow_hides_side_and_a_r_reveal_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        assert screen.has_class("-narrow")
        assert not displayed(screen.side)
        await pilot.press("tab")
        assert screen.articles.has_focus  # reader -> list: the hidden side is skipped
        await pilot.press("a")
        await pilot.pause()
        assert side_open(screen) and displayed(screen.side)
        assert app.focused is not None and app.focused.id == "author-articles"
        await pilot.press("r")
        await pilot.pause()
        assert screen.related.has_focus
        await pilot.press("r")  # again: close, back to the reader
        await pilot.pause()
        assert not screen.side_open and screen.reader.has_focus


async def test_author_panel_shows_author_and_opens_their_article(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        panel = screen.author_panel
        assert [author.name for author in panel.authors] == ["Ada Lindqvist"]
        heading = str(panel.query_one("#author-heading").render())
        assert "Ada Lindqvist" in heading and "2 articles" in heading
        assert "covers the coast" in heading
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.reader.article_id == "storm-closes-harbour"
        assert screen.articles.current_id == "storm-closes-harbour"
        assert screen.reader.has_focus


async def test_related_lists_ymal_first_and_opens(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        related = screen.related
        prompts = [str(related.get_option_at_index(i).prompt) for i in range(related.option_count)]
        assert prompts[0].startswith("◆ Storm Closes Harbour")
        assert "listed by the article" in prompts[0]
        assert prompts[1].startswith("◆ Fishermen Count Their Losses")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("j", "enter")
        await settle(pilot)
        assert screen.reader.article_id == "fishermen-count-losses"


# --- reader paging and positions ---------------------------------------------------------


async def test_space_and_b_page_the_reader_from_any_pane(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        await pilot.press("shift+tab")
        assert screen.articles.has_focus
        await pilot.press("space")
        first = reader.scroll_y
        assert first > 0
        await pilot.press("pagedown")
        assert reader.scroll_y > first
        await pilot.press("b", "pageup")
        assert reader.scroll_y == 0
        assert screen.articles.cursor == 0  # paging did not move the list


async def test_reader_keys_scroll_and_show_progress(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        await pilot.press("j", "j", "down")
        assert reader.scroll_y == 3
        await pilot.press("k")
        assert reader.scroll_y == 2
        await pilot.press("G")
        assert reader.scroll_y == reader.max_scroll_y
        assert reader.border_subtitle == "100%"
        await pilot.press("g")
        assert reader.border_subtitle == "0%"


async def test_position_survives_restart(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        await pilot.press("space", "space")
        before = screen.reader.scroll_y
        block = screen.reader.top_block()
        assert before > 0 and block > 0
        await pilot.press("q", "q")  # back to the list, then quit
    saved = StateStore(AppPaths.default().state_db)
    assert saved.get("harbour-reopens").block == block
    saved.close()
    again = make_app()
    async with again.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(again)
        assert screen.reader.article_id == "harbour-reopens"
        assert screen.articles.current_id == "harbour-reopens"
        assert screen.reader.top_block() == block
        assert screen.reader.scroll_y == before


async def test_position_survives_resize(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        reader = screen.reader
        await pilot.press("G")
        await pilot.press(*["k"] * 6)
        block = reader.top_block()
        assert block > 0
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert reader.top_block() == block
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert reader.top_block() == block


async def test_position_saved_when_leaving_an_article(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        await pilot.press("space")
        fraction, block = screen.reader.position()
        await pilot.press("shift+tab", "j", "enter")
        await settle(pilot)
        saved = app.state.get("harbour-reopens")
        assert saved.position == pytest.approx(fraction) and saved.block == block
        row = screen.articles.row_at(0)
        assert row is not None and row.position == pytest.approx(fraction)


# --- unread navigation, star, read, filter, sort -----------------------------------------


async def test_n_and_p_go_to_next_and_previous_unread(make_app: AppFactory) -> None:
    app = make_app()
    app.state.set_read(["storm-closes-harbour", "fishermen-count-losses"])
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("n")
        await settle(pilot)
        assert screen.articles.current_id == "headline-markup"
        assert screen.reader.article_id == "headline-markup"
        assert app.state.get("headline-markup").read
        await pilot.press("p")
        await settle(pilot)
        assert screen.articles.current_id == "harbour-reopens"


async def test_s_stars_and_unstars(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j", "s")
        await settle(pilot)
        assert app.state.get("storm-closes-harbour").starred
        assert "★" in screen.articles.render_line(1).text
        await pilot.press("s")
        await settle(pilot)
        assert not app.state.get("storm-closes-harbour").starred
        assert "★" not in screen.articles.render_line(1).text


async def test_s_in_the_reader_stars_the_open_article(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        assert screen.reader.has_focus
        await pilot.press("s")
        await settle(pilot)
        assert app.state.get("harbour-reopens").starred


async def test_m_toggles_read(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("m")
        await settle(pilot)
        assert app.state.get("harbour-reopens").read
        assert screen.unread == 5
        assert "●" not in screen.articles.render_line(0).text
        await pilot.press("m")
        await settle(pilot)
        assert not app.state.get("harbour-reopens").read
        assert screen.unread == 6


async def test_u_shows_unread_only_and_is_remembered(make_app: AppFactory) -> None:
    app = make_app()
    app.state.set_read(["storm-closes-harbour"])
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("u")
        assert screen.articles.row_count == 5
        assert screen.articles.source.index_of("storm-closes-harbour") is None
        assert app.state.pref("unread_only") == "1"
    again = make_app()
    async with again.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert main_screen(again).articles.row_count == 5
        await pilot.press("u")
        assert main_screen(again).articles.row_count == 6


async def test_sort_cycles_date_title_author(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("S")
        source = screen.articles.source
        assert isinstance(source, LibraryRows) and source.sort == "title"
        first = screen.articles.row_at(0)
        assert first is not None and first.title == "[@click=app.quit]Read more[/]"
        assert screen.articles.current_id == "harbour-reopens"  # the selection is kept
        await pilot.press("S")
        assert screen.sort == "author"
        assert app.state.pref("sort") == "author"


# --- search ------------------------------------------------------------------------------


async def test_search_shows_hits_and_escape_restores(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "search"
        await pilot.press(*"harbour", "enter")
        await settle(pilot)
        source = screen.articles.source
        assert isinstance(source, HitRows)
        ids = [hit.row.id for hit in source.hits]
        assert set(ids) >= {"harbour-reopens", "storm-closes-harbour"}
        assert "fishermen-count-losses" not in ids
        assert screen.articles.has_focus
        assert "harbour" in (screen.articles.border_title or "")
        await pilot.press("escape")
        assert isinstance(screen.articles.source, LibraryRows)
        assert screen.articles.row_count == 6


async def test_empty_search_restores_and_bad_query_is_a_message(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash", *"is:bogus", "enter")
        await settle(pilot)
        assert isinstance(screen.articles.source, LibraryRows)
        assert any("is:bogus" in str(n.message) for n in app._notifications)
        assert app.focused is not None and app.focused.id == "search"  # to fix the query
        await pilot.press("escape")
        await pilot.press("slash", *"ferries", "enter")
        await settle(pilot)
        assert isinstance(screen.articles.source, HitRows)
        await pilot.press("slash")
        await pilot.pause()
        search = app.focused
        assert search is not None and search.id == "search"
        search.value = ""  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(screen.articles.source, LibraryRows)


async def test_narrow_search_from_the_side_column_shows_the_results(
    make_app: AppFactory,
) -> None:
    """At 80 columns the side column takes the list's place; a search brings the list back."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert side_open(screen) and not displayed(screen.articles)
        await pilot.press("slash", *"harbour", "enter")
        await settle(pilot)
        assert not screen.side_open
        assert displayed(screen.articles) and screen.articles.has_focus
        assert isinstance(screen.articles.source, HitRows)


async def test_search_results_open_with_enter(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("slash", *"income", "enter")
        await settle(pilot)
        assert screen.articles.row_count == 1
        snippet = screen.articles.render_line(1).text
        assert "income" in snippet and "\x02" not in snippet
        await pilot.press("enter")
        await settle(pilot)
        assert screen.reader.article_id == "fishermen-count-losses"


# --- links, clipboard, problems, help, palette, theme, quit ------------------------------


async def test_y_copies_the_path(make_app: AppFactory, library: Path) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == str(library / "2026-01-06-harbour-reopens.txt")


async def test_o_opens_with_the_system_opener(
    make_app: AppFactory, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("newstui.tui.opener.system_open", opened.append)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("j", "o")
        await settle(pilot)
        assert opened == [str(library / "2026-01-05-storm-closes-harbour.txt")]


async def test_o_reports_a_missing_opener(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(target: str) -> None:
        raise OSError("no system opener found")

    monkeypatch.setattr("newstui.tui.opener.system_open", fail)
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.is_running
        assert any("no system opener found" in str(n.message) for n in app._notifications)
        assert any("no system opener" in str(n.message) for n in app._notifications)


async def test_problems_view_lists_unreadable_files(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        assert [Path(p.path).name for p in screen.problems] == ["2025-12-31-empty.txt"]
        assert "empty" in screen.problems[0].reason
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_live_bindings_with_keymap(make_app: AppFactory) -> None:
    app = make_app(keymap={"star": "x"})
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        stars = [b for b in help_screen.bindings if b.action == "star"]
        assert [b.keys for b in stars] == ["x"]
        assert any(b.action == "search" and b.keys == "/" for b in help_screen.bindings)
        text = str(help_screen.query_one("#help-text").render())
        assert "Star" in text and "Next unread" in text
        await pilot.press("escape")
        await pilot.press("x")
        await settle(pilot)
        assert app.state.get("harbour-reopens").starred
        await pilot.press("s")
        await settle(pilot)
        assert app.state.get("harbour-reopens").starred  # s is no longer star


async def test_palette_runs_actions(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Star", "enter")
        await settle(pilot)
        await pilot.pause()
        assert app.state.get("harbour-reopens").starred


async def test_theme_choice_is_remembered(make_app: AppFactory) -> None:
    app = make_app(theme="nord")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        app.theme = "gruvbox"
        await pilot.pause()
    saved = StateStore(AppPaths.default().state_db)
    assert saved.pref("theme") == "gruvbox"
    saved.close()
    again = make_app(theme="nord")
    async with again.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert again.theme == "gruvbox"


async def test_q_quits(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_escape_is_never_essential(make_app: AppFactory) -> None:
    """Every action escape does has another key: here, leaving the side pane."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert not screen.side_open and screen.reader.has_focus


# --- the library changing under the reader -----------------------------------------------


async def test_new_files_appear_without_restart(library: Path) -> None:
    app = NewsApp(library, AppPaths.default(), Settings(), watch=True)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j")
        assert screen.articles.current_id == "storm-closes-harbour"
        (library / "2026-02-01-new-story.txt").write_text(
            "A Brand New Story\n\nIt arrived while the reader was open.\nnew-story\n\nBody.\n",
            encoding="utf-8",
        )
        for _ in range(400):
            await pilot.pause(0.05)
            if screen.articles.row_count == 7:
                break
        assert screen.articles.row_count == 7
        assert screen.articles.current_id == "storm-closes-harbour"  # selection kept
        assert screen.articles.row_at(0).id == "new-story"  # type: ignore[union-attr]


async def test_keys_typed_right_after_slash_go_to_the_search_box(make_app: AppFactory) -> None:
    """A fast typist (or tmux send-keys) sends "/harbour" in one burst."""
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        for key, character in [("slash", "/"), ("h", "h"), ("a", "a"), ("r", "r")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        screen = main_screen(app)
        search = screen.query_one(SearchBar)
        assert search.has_focus and search.value == "har"
        assert not screen.side_open  # "a" and "r" were not taken as pane keys
        await pilot.press("slash", "b")
        assert search.value == "har/b"  # "/" types itself inside the box


async def test_list_posts_highlighted_and_opened_messages(make_app: AppFactory) -> None:
    messages: list[Message] = []
    app = make_app()
    async with app.run_test(size=NARROW, message_hook=messages.append) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        await pilot.press("space", "shift+tab", "k", "enter")  # leaving reports the place
        await settle(pilot)
    # (the hook sees a bubbling message once per node it reaches: keep each message once)
    unique = list({id(m): m for m in messages}.values())
    highlighted = [
        m.article_id for m in unique if isinstance(m, ArticleList.Highlighted) and m.article_id
    ]
    opened = [m.article_id for m in unique if isinstance(m, ArticleList.Opened)]
    assert highlighted[:2] == ["harbour-reopens", "storm-closes-harbour"]
    assert opened == ["storm-closes-harbour", "harbour-reopens"]
    positions = [m for m in unique if isinstance(m, ReaderPane.PositionChanged)]
    assert positions and positions[-1].article_id == "storm-closes-harbour"


async def test_reopening_the_open_article_keeps_the_place(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_first(pilot)
        await pilot.press("space")
        place = screen.reader.scroll_y
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert screen.reader.has_focus and screen.reader.scroll_y == place


async def test_the_open_article_shows_its_file_changing_and_keeps_the_place(
    library: Path,
) -> None:
    path = library / "2026-01-05-storm-closes-harbour.txt"
    more = "".join(f"\nPart {n} of the story goes on for a while.\n" for n in range(30))
    path.write_text(path.read_text(encoding="utf-8").replace("\nAda", more + "\nAda", 1))
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert screen.reader.article_id == "storm-closes-harbour"
        await pilot.press("space")
        await settle(pilot)
        place = screen.reader.scroll_y
        assert place > 0
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("The harbour closed on Monday", "The harbour closed on Tuesday"),
            encoding="utf-8",
        )
        screen.start_refresh()
        await settle(pilot)
        assert "closed on Tuesday" in screen.reader.text
        assert "closed on Monday" not in screen.reader.text
        assert screen.reader.scroll_y == place
        path.unlink()
        screen.start_refresh()
        await settle(pilot)
        assert screen.reader.article is None
        assert "no longer in the library" in screen.reader.placeholder


async def test_deleted_files_disappear(library: Path) -> None:
    app = NewsApp(library, AppPaths.default(), Settings(), watch=True)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        (library / "2026-01-05-storm-closes-harbour.txt").unlink()
        for _ in range(400):
            await pilot.pause(0.05)
            if screen.articles.row_count == 5:
                break
        assert screen.articles.row_count == 5
        assert screen.articles.source.index_of("storm-closes-harbour") is None


# --- a first refresh big enough for worker processes ----------------------------------------

POOL_UNDER_TEXTUAL = """
import asyncio, sys
from pathlib import Path
from newstui.core.index import build as refresh
from newstui.tui.app import NewsApp
from newstui.core.config import Settings
from newstui.core.paths import AppPaths

refresh.POOL_MIN_FILES = 2
pools = []
parse_in_pool = refresh._parse_in_pool
refresh._parse_in_pool = lambda *args: pools.append(1) or parse_in_pool(*args)

async def main():
    app = NewsApp(Path(sys.argv[1]), AppPaths.default(), Settings(), watch=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(app.main.articles.row_count, len(pools))

asyncio.run(main())
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="worker processes need two cores")
def test_a_first_refresh_parses_in_worker_processes_while_textual_runs(tmp_path: Path) -> None:
    """Textual captures stderr (its file number is -1) while it runs, and multiprocessing hands
    that number to its resource tracker: opening a big library failed with "bad value(s) in
    fds_to_keep" and showed nothing. A fresh interpreter, so no tracker is running yet."""
    folder = write_library(tmp_path / "articles")
    with open_library(folder) as library:  # the same refresh, in this process, to compare
        count = library.count()
    fresh_cache = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "fresh-cache")}
    result = subprocess.run(
        [sys.executable, "-c", POOL_UNDER_TEXTUAL, str(folder)],
        env=fresh_cache,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [str(count), "1"]
