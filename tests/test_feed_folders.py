"""Feed folders are named from titles (once, never renamed); the feed list reads by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from feedserver import FeedServer, Reply, item, rss
from newstui.core.config import Settings
from newstui.core.fetch.feed_list import feed_list
from newstui.core.fetch.folder_names import readable_slug
from newstui.core.fetch.run import FetchReport, feed_folder, fetch_subscriptions
from newstui.core.fetch.subscriptions import Subscription, save_subscriptions, subscriptions_file
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def fetch(news: Path, *subscriptions: Subscription) -> FetchReport:
    return fetch_subscriptions(list(subscriptions), news, AppPaths.default())


def folders(news: Path) -> list[str]:
    return sorted(path.name for path in news.iterdir() if path.is_dir())


def test_slugs_are_readable_and_safe() -> None:
    assert readable_slug("Tender Lovemaking") == "tender-lovemaking"
    assert readable_slug("Café Müller: Ünïcode!") == "cafe-muller-unicode"
    assert readable_slug("../../etc/passwd") == "etc-passwd"
    assert readable_slug("\x1b[31m") == "31m"
    assert readable_slug("…") == "feed"
    assert len(readable_slug("word " * 100)) <= 60


def test_a_new_feed_gets_its_titles_folder_and_keeps_it(site: FeedServer, tmp_path: Path) -> None:
    news = tmp_path / "news"
    site.route("/a.xml", Reply(200, rss("Tender Lovemaking", [item(1)])))
    site.route("/b.xml", Reply(200, rss("Tender Lovemaking", [item(2, link="http://127.0.0.1/b")])))
    unnamed, twin = Subscription(site.url("/a.xml")), Subscription(site.url("/b.xml"))
    named = Subscription(site.url("/c.xml"), name="World Desk")
    site.route("/c.xml", Reply(200, rss("Other", [item(3, link="http://127.0.0.1/c")])))
    fetch(news, unnamed, twin, named)
    assert folders(news) == ["tender-lovemaking", "tender-lovemaking-2", "world-desk"]
    assert feed_folder(named, news, AppPaths.default()) == news / "world-desk"
    site.route("/a.xml", Reply(200, rss("Renamed Blog", [item(1), item(4)])))
    fetch(news, unnamed, twin, Subscription(named.url, name="New Name"))
    assert folders(news) == ["tender-lovemaking", "tender-lovemaking-2", "world-desk"]
    assert len(list((news / "tender-lovemaking").glob("*.json"))) >= 1


def test_a_machine_named_folder_keeps_working(site: FeedServer, tmp_path: Path) -> None:
    news = tmp_path / "news"
    site.route("/a.xml", Reply(200, rss("Daily", [item(1)])))
    feed = Subscription(site.url("/a.xml"))
    (news / feed.key).mkdir(parents=True)  # as fetches before titles named folders left it
    fetch(news, feed)
    assert folders(news) == [feed.key]
    assert feed_folder(feed, news, AppPaths.default()) == news / feed.key


def test_the_feed_list_names_counts_and_groups(site: FeedServer, tmp_path: Path) -> None:
    paths = AppPaths.default()
    news = tmp_path / "news"
    site.route("/a.xml", Reply(200, rss("Own Title", [item(1), item(2)])))
    feeds = [
        Subscription(site.url("/a.xml"), category="World/Europe"),
        Subscription(site.url("/missing.xml"), name="Broken", category="World"),
        Subscription(site.url("/none.xml"), name="Zed"),
    ]
    save_subscriptions(subscriptions_file(paths.config_dir), feeds)
    fetch(news, *feeds[:2])
    state = StateStore(paths.state_db)
    try:
        listed = feed_list(paths, Settings(news_folder=news), state)
    finally:
        state.close()
    rows = [(r.title, r.category, r.total, r.unread) for r in listed.feeds]
    assert rows == [
        ("Zed", (), 0, 0),
        ("Broken", ("World",), 0, 0),
        ("Own Title", ("World", "Europe"), 2, 2),
    ]
    assert listed.feeds[1].last_error and listed.feeds[2].last_success
    assert listed.feeds[2].folder == "own-title"
