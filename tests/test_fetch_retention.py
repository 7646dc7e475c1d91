"""Retention: `keep = N` leaves a feed's N newest entries plus the starred ones, pruned
atomically, only in the news folder; `newstui feeds prune`. Loopback server only."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedserver import FeedServer, Reply, item, rss
from newstui.cli import main
from newstui.core.fetch.entries import article_id_in_feed
from newstui.core.fetch.run import FetchReport, feed_folder, fetch_subscriptions
from newstui.core.fetch.state import load_state, state_folder
from newstui.core.fetch.subscriptions import Subscription, save_subscriptions
from newstui.core.formats import parse_file
from newstui.core.formats.feeds import entry_id
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return tmp_path / "news"


def fetch(news: Path, *subscriptions: Subscription, keep: int | None = None) -> FetchReport:
    return fetch_subscriptions(list(subscriptions), news, AppPaths.default(), keep=keep)


def titles(folder: Path) -> set[str]:
    return {
        article.title
        for path in sorted(folder.rglob("*.json"))
        for article in parse_file(path).articles
    }


def stories(*numbers: int) -> set[str]:
    return {f"Story {n}" for n in numbers}


def article_id(feed: Subscription, number: int) -> str:
    return article_id_in_feed(feed.key, entry_id(f"urn:story:{number}"))


def test_keep_leaves_the_newest_and_the_starred(site: FeedServer, news: Path) -> None:
    site.route("/feed.xml", Reply(200, rss("Daily", [item(n) for n in range(5)])))
    feed = Subscription(site.url("/feed.xml"), keep=3)
    first = fetch(news, feed)
    assert (first.feeds[0].new, first.feeds[0].pruned) == (5, 2)
    assert titles(news) == stories(2, 3, 4)
    state = StateStore(AppPaths.default().state_db)
    state.set_starred([article_id(feed, 2)], True)
    state.set_read([article_id(feed, 3)])
    site.route("/feed.xml", Reply(200, rss("Daily", [item(n) for n in range(8)])))
    second = fetch(news, feed)
    assert titles(news) == stories(2, 5, 6, 7)
    assert (second.feeds[0].new, second.feeds[0].pruned) == (
        3,
        2,
    )  # the starred one stays beyond the three
    kept = load_state(state_folder(AppPaths.default(), news), feed.key).entries
    assert set(kept) == {article_id(feed, n) for n in (2, 5, 6, 7)}
    rows = {row["id"] for row in state.export_data()["articles"]}
    assert rows == {article_id(feed, 2)}  # the read one's row went with it
    state.close()


def test_an_entry_removed_is_not_written_again_while_listed(site: FeedServer, news: Path) -> None:
    site.route("/feed.xml", Reply(200, rss("Daily", [item(n) for n in range(6)])))
    feed = Subscription(site.url("/feed.xml"), keep=2)
    fetch(news, feed)
    again = fetch(news, feed)  # no validators: answered in full again
    assert (again.feeds[0].new, again.feeds[0].updated, again.feeds[0].pruned) == (0, 0, 0)
    assert titles(news) == stories(4, 5)
    site.route("/feed.xml", Reply(200, rss("Daily", [item(n) for n in range(4, 7)])))
    fetch(news, feed)  # stories 0-3 left the feed: no longer remembered; 4 went now
    pruned = load_state(state_folder(AppPaths.default(), news), feed.key).pruned
    assert pruned == [article_id(feed, 4)]
    assert titles(news) == stories(5, 6)


def test_the_config_keep_is_the_default_and_a_feed_may_say_otherwise(
    site: FeedServer, news: Path
) -> None:
    site.route("/a.xml", Reply(200, rss("A", [item(n) for n in range(5)])))
    other = [{**item(n, link=f"http://127.0.0.1/b/{n}"), "guid": f"urn:b:{n}"} for n in range(5)]
    site.route("/b.xml", Reply(200, rss("B", other)))
    by_default = Subscription(site.url("/a.xml"))
    own = Subscription(site.url("/b.xml"), keep=4)
    fetch(news, by_default, own, keep=1)
    assert titles(feed_folder(by_default, news, AppPaths.default())) == stories(4)
    assert titles(feed_folder(own, news, AppPaths.default())) == stories(1, 2, 3, 4)
    unlimited = fetch(news, by_default, own)
    assert all(feed.pruned == 0 for feed in unlimited.feeds)


def test_only_what_a_fetch_wrote_is_pruned(site: FeedServer, news: Path, tmp_path: Path) -> None:
    site.route("/feed.xml", Reply(200, rss("Daily", [item(n) for n in range(4)])))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    folder = feed_folder(feed, news, AppPaths.default())
    notes = folder / "1999.json"  # a person's own file in the feed's folder
    notes.write_text('[{"id": "mine", "title": "Mine", "published": "1999-01-01T00:00:00Z"}]')
    mine = tmp_path / "mine"  # and a person's folder the feed's folder leads to
    folder.rename(mine)
    folder.symlink_to(mine)
    before = {path.name: path.read_bytes() for path in mine.iterdir()}
    assert fetch(news, Subscription(feed.url, keep=1)).feeds[0].pruned == 0
    assert {path.name: path.read_bytes() for path in mine.iterdir()} == before
    folder.unlink()
    mine.rename(folder)
    assert fetch(news, Subscription(feed.url, keep=1)).feeds[0].pruned == 3
    assert notes.read_bytes() == before["1999.json"]


def test_a_write_that_fails_leaves_the_whole_old_file(
    site: FeedServer, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.route("/feed.xml", Reply(200, rss("Daily", [item(n) for n in range(4)])))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    day_files = {path: path.read_bytes() for path in news.rglob("*.json")}

    def killed(*_args: object) -> None:
        raise OSError("killed mid-write")

    monkeypatch.setattr(os, "replace", killed)
    report = fetch(news, Subscription(feed.url, keep=1))
    assert report.feeds[0].outcome == "failed"
    assert {path: path.read_bytes() for path in news.rglob("*.json")} == day_files
    assert not list(news.rglob(".*.part"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_feeds_prune_by_hand(site: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    site.route("/feed.xml", Reply(200, rss("Daily", [item(n) for n in range(5)])))
    paths = AppPaths.default()
    feed = Subscription(site.url("/feed.xml"), name="Daily")
    save_subscriptions(paths.config_dir / "feeds.toml", [feed])
    assert run(capsys, "fetch")[0] == 0
    news = paths.data_dir / "news"
    code, out = run(capsys, "feeds", "prune", "--dry-run")
    assert code == 0 and "nothing to do" in out
    paths.config_file.write_text("keep = 2\n")
    code, out = run(capsys, "feeds", "prune", "--dry-run")
    assert code == 0 and "Daily: would remove 3 (keep 2)" in out and "Story 0" in out
    assert titles(news) == stories(0, 1, 2, 3, 4)
    code, out = run(capsys, "feeds", "prune", "Daily", "--json")
    removed = json.loads(out)["feeds"][0]["removed"]
    assert code == 0 and {entry["title"] for entry in removed} == stories(0, 1, 2)
    assert titles(news) == stories(3, 4)
    code, out = run(capsys, "feeds", "prune")
    assert code == 0 and "Daily: removed 0 (keep 2)" in out


def test_keep_settings_are_checked(tmp_path: Path) -> None:
    from newstui.core.config import settings_from
    from newstui.core.fetch.subscriptions import load_subscriptions

    assert settings_from({"keep": 50}).settings.keep == 50
    bad = settings_from({"keep": 0}, "config.toml")
    assert bad.settings.keep is None and "key 'keep'" in bad.warnings[0]
    listed = tmp_path / "feeds.toml"
    listed.write_text(
        '[[feed]]\nurl = "http://127.0.0.1/a.xml"\nkeep = 20\n\n'
        '[[feed]]\nurl = "http://127.0.0.1/b.xml"\nkeep = "all"\n'
    )
    loaded = load_subscriptions(listed)
    assert [s.keep for s in loaded.subscriptions] == [20]
    assert f"{listed}:5: key 'keep': should be a whole number" in loaded.warnings[0]
    save_subscriptions(listed, loaded.subscriptions)
    assert load_subscriptions(listed).subscriptions[0].keep == 20
