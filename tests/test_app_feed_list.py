"""Pilot tests: the feed list (every feed by name, in its category, with counts), moving
from feed to feed, and switching libraries with one key, each at its last article."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList

from app_fixtures import settle, write_library
from feedserver import FeedServer, Reply, item, rss
from newstui.core.config import Settings
from newstui.core.fetch.run import fetch_subscriptions
from newstui.core.fetch.subscriptions import Subscription, save_subscriptions, subscriptions_file
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.feeds import FeedsScreen
from newstui.tui.screens.libraries import LibrariesScreen

SIZE = (80, 24)


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def stories(prefix: str, numbers: range) -> list[dict[str, str]]:
    return [
        {**item(n, link=f"http://127.0.0.1/{prefix}/{n}"), "guid": f"urn:{prefix}:{n}"}
        for n in numbers
    ]


async def fetched_news(site: FeedServer, tmp_path: Path) -> tuple[Path, Settings]:
    """Three feeds fetched from loopback: one in World/Europe, one in World, one without;
    a fourth never fetched (a hostile name)."""
    paths = AppPaths.default()
    news = tmp_path / "news"
    site.route("/eu.xml", Reply(200, rss("Euro Desk", stories("eu", range(3)))))
    site.route("/w.xml", Reply(200, rss("Wide World", stories("w", range(2)))))
    site.route("/t.xml", Reply(200, rss("Tender Lovemaking", stories("t", range(4)))))
    feeds = [
        Subscription(site.url("/eu.xml"), category="World/Europe"),
        Subscription(site.url("/w.xml"), category="World"),
        Subscription(site.url("/t.xml")),
        Subscription(
            site.url("/never.xml"), name="[red]Never[/] \x1b[2J" + " long" * 30, category="World"
        ),
    ]
    save_subscriptions(subscriptions_file(paths.config_dir), feeds)
    await asyncio.to_thread(fetch_subscriptions, feeds[:3], news, paths)
    return news, Settings(news_folder=news)


def prompts(app: NewsApp) -> list[str]:
    picker = app.screen.query_one(OptionList)
    return [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]


async def test_the_feed_list_names_groups_and_opens_feeds(site: FeedServer, tmp_path: Path) -> None:
    news, settings = await fetched_news(site, tmp_path)
    app = NewsApp(news, AppPaths.default(), settings, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        assert main is not None and main.articles.row_count == 9
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        lines = [line.rstrip() for line in prompts(app)]
        assert [line.split()[0] for line in lines] == [
            "Tender",
            "World",
            "[red]Never[/]",
            "Wide",
            "Europe",
            "Euro",
        ]
        assert lines[0].endswith("4/4") and lines[-1].endswith("3/3")
        assert lines[2].endswith("0/0") and "\x1b" not in lines[2]
        assert all(len(line) <= SIZE[0] - 4 for line in lines)  # one line each: nothing wraps
        await pilot.press("enter")  # Tender Lovemaking
        await settle(pilot)
        assert main.folder_shown == "tender-lovemaking" and main.articles.row_count == 4
        assert str(main.articles.border_title) == "Articles in Tender Lovemaking"
        await pilot.press("J")  # next feed: the one never fetched (no folder yet)
        await settle(pilot)
        assert main.articles.row_count == 0
        await pilot.press("J")
        await settle(pilot)
        assert main.folder_shown == "wide-world" and main.articles.row_count == 2
        await pilot.press("K", "K")
        await settle(pilot)
        assert main.folder_shown == "tender-lovemaking"
        await pilot.press("A")  # all of Tender Lovemaking read
        await settle(pilot)
        await pilot.press("N")  # next feed with unread: skips the empty one
        await settle(pilot)
        assert main.folder_shown == "wide-world"
        await pilot.press("N", "N")  # Euro Desk, then round to... not Tender (all read)
        await settle(pilot)
        assert main.folder_shown == "wide-world"
        await pilot.press("L")
        await settle(pilot)
        assert prompts(app)[0].rstrip().endswith("0/4")
        picker = app.screen.query_one(OptionList)
        assert picker.highlighted == 3  # the feed shown
        detail = str(app.screen.query_one("#feed-detail").render())
        assert "fetched" in detail and "127.0.0.1" in detail


async def test_o_switches_libraries_each_at_its_place(site: FeedServer, tmp_path: Path) -> None:
    news, settings = await fetched_news(site, tmp_path)
    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, AppPaths.default(), settings, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = app.main
        assert first is not None
        await pilot.press("j", "enter")  # an article open in the library
        await settle(pilot)
        opened = first.open_id
        assert opened is not None
        await pilot.press("escape", "O")
        await settle(pilot)
        assert isinstance(app.screen, LibrariesScreen)
        assert [line.split()[0] for line in prompts(app)] == ["News", "Imports", "•"]
        await pilot.press("enter")  # News: highlighted first (nothing opened before)
        await settle(pilot)
        assert app.library.folder == news.resolve()
        assert app.main is not first and app.main is not None
        assert app.main.folder == news.resolve() and app.main.articles.row_count == 9
        assert app.screen_stack[-1] is app.main  # (the reader, not an overlay)
        await pilot.press("O")
        await settle(pilot)
        picker = app.screen.query_one(OptionList)
        assert picker.highlighted == 2  # the library before: O enter goes back
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.folder == library.resolve()
        assert app.main.open_id == opened  # its place kept
        assert app.recent[:2] == [str(library.resolve()), str(news.resolve())]


async def test_a_feed_opens_from_another_library(site: FeedServer, tmp_path: Path) -> None:
    news, settings = await fetched_news(site, tmp_path)
    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, AppPaths.default(), settings, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert app.library.folder == news.resolve()
        assert app.main is not None and app.main.folder_shown == "tender-lovemaking"
        assert app.main.articles.row_count == 4


async def test_a_missing_library_is_named_and_the_reader_stays(tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        app.open_library(tmp_path / "gone")
        await settle(pilot)
        assert app.main is main and app.library.folder == library.resolve()
        assert any("gone: no such directory" in str(n.message) for n in app._notifications)


async def test_the_palette_offers_each_library(tmp_path: Path) -> None:
    from newstui.tui.commands import NewsCommands

    library = write_library(tmp_path / "articles", broken=False)
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        provider = NewsCommands(app.screen)
        titles = [title for title, _, _ in provider._commands()]
        assert "Open library: News" in titles and "Open library: Imports" in titles
        assert "Feed list" in titles and "Switch library" in titles
        run = dict((title, call) for title, _, call in provider._commands())
        run["Open library: News"]()
        await settle(pilot)
        assert app.library.folder.name == "news"


async def test_hidden_articles_leave_the_feed_lists_counts(
    site: FeedServer, tmp_path: Path
) -> None:
    from newstui.core.fetch.feed_list import feed_list
    from newstui.core.fetch.run import feed_states
    from newstui.core.state.store import StateStore

    news, settings = await fetched_news(site, tmp_path)
    paths = AppPaths.default()
    feeds = [Subscription(site.url("/eu.xml"), category="World/Europe")]
    (euro,) = [feed_states(feeds, news.resolve(), paths)[site.url("/eu.xml")]]
    state = StateStore(paths.state_db)
    try:
        state.set_hidden(list(euro.entries)[:1], True)
        state.set_read(list(euro.entries)[1:2])
        row = next(r for r in feed_list(paths, settings, state).feeds if r.title == "Euro Desk")
    finally:
        state.close()
    assert (row.total, row.unread) == (2, 1)
