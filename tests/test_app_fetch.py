"""Pilot test: F fetches in the background; new articles appear, nothing the reader is
looking at moves. The feed is served on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from app_fixtures import settle
from feedserver import FeedServer, Reply, item, rss
from newstui.core.config import Settings
from newstui.core.fetch.news import fetch_news
from newstui.core.fetch.subscriptions import Subscription, save_subscriptions, subscriptions_file
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.messages import FetchProgress

LONG = "".join(
    f"<p>Paragraph {n} of the long story, about the harbour and ferries.</p>" for n in range(40)
)


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def serve_items(site: FeedServer, numbers: list[int]) -> None:
    items = [item(n, text=LONG if n == 1 else None) for n in numbers]
    headers = {"Content-Type": "application/rss+xml", "Cache-Control": "no-cache"}
    site.route("/feed.xml", Reply(200, rss("Harbour Desk", items), headers))


async def test_f_fetches_and_new_articles_appear_without_moving_the_reader(
    site: FeedServer, tmp_path: Path
) -> None:
    paths = AppPaths.default()
    news = tmp_path / "news"
    settings = Settings(news_folder=news)
    save_subscriptions(subscriptions_file(paths.config_dir), [Subscription(site.url("/feed.xml"))])
    serve_items(site, [1, 2])
    first = await asyncio.to_thread(fetch_news, paths, settings)  # (it runs its own loop)
    assert first.changed and not first.problems
    app = NewsApp(news, paths, settings, watch=False)
    posted: list[object] = []
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        await settle(pilot)
        screen = app.main
        assert screen is not None and screen.articles.row_count == 2
        await pilot.press("G")  # Story 1 is the older one
        await pilot.press("enter")
        await settle(pilot)
        assert screen.open_id is not None
        opened, reader = screen.open_id, screen.reader
        await pilot.press("space", "space")
        place = reader.scroll_y
        assert place > 0
        serve_items(site, [1, 2, 3, 4])
        await pilot.press("F")
        await settle(pilot)  # the fetch, then the refresh it starts
        await settle(pilot)
        assert screen.articles.row_count == 4
        assert {screen.articles.row_at(i).title for i in range(4)} == {  # type: ignore[union-attr]
            f"Story {n}" for n in (1, 2, 3, 4)
        }
        assert screen.open_id == opened and reader.article_id == opened
        assert reader.scroll_y == place
        assert screen.articles.current_id == opened  # the cursor stayed on it too
        assert any("2 new" in str(n.message) for n in app._notifications)
        assert (1, 1) in [(m.done, m.total) for m in posted if isinstance(m, FetchProgress)]


async def test_f_without_subscriptions_says_how_to_add_one(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert any("feeds add" in str(n.message) for n in app._notifications)


async def test_a_failing_feed_is_listed_in_the_problems_view(
    site: FeedServer, tmp_path: Path
) -> None:
    paths = AppPaths.default()
    site.route("/gone.xml", Reply(500, b"oops"))
    save_subscriptions(subscriptions_file(paths.config_dir), [Subscription(site.url("/gone.xml"))])
    news = tmp_path / "news"
    news.mkdir()
    app = NewsApp(news, paths, Settings(news_folder=news), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert app.main is not None
        assert [problem.path for problem in app.main.feed_problems] == [site.url("/gone.xml")]
        await pilot.press("P")
        await pilot.pause()
        from newstui.tui.screens.problems import ProblemsScreen

        assert isinstance(app.screen, ProblemsScreen)
        assert app.screen.problems[0].path == site.url("/gone.xml")


async def test_yesterdays_failing_feed_is_in_the_problems_view_by_name(
    site: FeedServer, tmp_path: Path
) -> None:
    paths = AppPaths.default()
    site.route("/ok.xml", Reply(200, rss("Harbour Desk", [item(1)])))
    site.route("/broken.xml", Reply(500, b"oops"))
    feeds = [
        Subscription(site.url("/ok.xml"), name="Harbour Desk"),
        Subscription(site.url("/broken.xml"), name="Ferry <b>Times</b> [red]x[/]"),
    ]
    save_subscriptions(subscriptions_file(paths.config_dir), feeds)
    news = tmp_path / "news"
    settings = Settings(news_folder=news)
    await asyncio.to_thread(fetch_news, paths, settings)  # as `newstui fetch` did yesterday
    app = NewsApp(news, paths, settings, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause()
        from newstui.tui.screens.problems import ProblemsScreen

        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        assert [problem.path for problem in screen.problems] == ["Ferry <b>Times</b> [red]x[/]"]
        reason = screen.problems[0].reason
        assert reason.startswith("fetch failed 20") and "HTTP 500" in reason
        listing = screen.query_one("#problems-list")
        prompt = str(listing.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert prompt.startswith("Ferry <b>Times</b> [red]x[/]\n")  # as written, no markup
        await pilot.press("escape")
        site.route("/broken.xml", Reply(200, rss("Ferry Times", [item(2)])))
        await pilot.press("F")
        await settle(pilot)
        assert app.main is not None and app.main.feed_problems == []


async def test_the_reader_says_which_feed_and_link_an_article_came_from(
    site: FeedServer, tmp_path: Path
) -> None:
    from newstui.tui.widgets.reader import linkable

    paths = AppPaths.default()
    hostile = "Harbour [bold red]Desk[/] \x1b]8;;http://evil\x07x"
    long_link = "http://127.0.0.1/story/" + "a" * 120 + "?[b]x[/b]"
    site.route("/feed.xml", Reply(200, rss("Ignored", [item(1, link=long_link)])))
    feeds = [Subscription(site.url("/feed.xml"), name=hostile)]
    save_subscriptions(subscriptions_file(paths.config_dir), feeds)
    news = tmp_path / "news"
    settings = Settings(news_folder=news)
    await asyncio.to_thread(fetch_news, paths, settings)
    app = NewsApp(news, paths, settings, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main is not None
        text = app.main.reader.text
        assert "\nFeed: Harbour [bold red]Desk[/] x\n" in text  # as written: no markup
        assert "Link: " + long_link in text.replace("\n", "")  # folded, whole
        assert "\x1b" not in text and "\x07" not in text
    assert linkable("https://example.org/a") and linkable("mailto:desk@example.org")
    assert not linkable("javascript:alert(1)") and not linkable("http://a/\x1b]8;;")
