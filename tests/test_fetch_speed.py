"""What the fetch's speed-ups must not change: worker processes parse as this process does,
hostile entry HTML is neutralised on that path too, and a feed's state is read once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import newstui.core.fetch.run as run
import newstui.core.formats.feeds as feeds
from feedserver import FeedServer, Reply, item, rss
from newstui.core.fetch.entries import parse_feed
from newstui.core.fetch.run import fetch_subscriptions
from newstui.core.fetch.state import EntryState, FeedState, StateCache, save_state
from newstui.core.fetch.subscriptions import Subscription
from newstui.core.formats._html_blocks import html_to_blocks
from newstui.core.formats.jsonfile import article_from_json
from newstui.core.models import Block
from newstui.core.paths import AppPaths

HOSTILE = (
    '<p onclick="steal()">Before <script>alert("x")</script>after '
    '<a href="javascript:alert(1)">bad link</a> <a href="/relative">relative</a> '
    '<a href="https://example.org/ok">good link</a></p>'
    '<iframe src="https://evil.example/"></iframe><style>p { color: red }</style>'
    '<img src="x" onerror="alert(2)" alt="a picture">'
    "<p>\x1b]52;c;cGF5bG9hZA==\x07Esc\x1b[2Jape \u202eevil\u202c text</p>"
)
FEEDS = 10
DEFAULT_POOL_FROM = run.POOL_FROM


def workers_from(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """(The test's server thread makes workers unforked here: both thresholds alike.)"""
    monkeypatch.setattr(run, "POOL_FROM", size)
    monkeypatch.setattr(run, "UNFORKED_POOL_FROM", size)


@pytest.fixture(autouse=True)
def workers_for_ten_feeds(monkeypatch: pytest.MonkeyPatch) -> None:
    workers_from(monkeypatch, 8 * run.UNKNOWN_SIZE)


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        for n in range(FEEDS):
            entries = [item(n * 100 + e) for e in range(4)]
            entries.append({**item(n * 100 + 99), "description": HOSTILE, "title": "T\x1b[31m"})
            server.route(f"/f{n}.xml", Reply(200, rss(f"Feed {n}", entries)))
        yield server


def fetch_all(site: FeedServer, news: Path) -> dict[str, object]:
    subscriptions = [Subscription(site.url(f"/f{n}.xml")) for n in range(FEEDS)]
    report = fetch_subscriptions(subscriptions, news, AppPaths.default())
    assert [feed.outcome for feed in report.feeds] == ["new"] * FEEDS
    return {
        str(path.relative_to(news)): json.loads(path.read_bytes())
        for path in sorted(news.rglob("*.json"))
    }


def test_worker_processes_write_what_this_process_would(
    site: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[object] = []
    real_pool = run._parse_pool

    @contextmanager
    def watched(fresh: int) -> Iterator[object]:
        with real_pool(fresh) as pool:
            pools.append(pool)
            yield pool

    monkeypatch.setattr(run, "_parse_pool", watched)
    in_workers = fetch_all(site, tmp_path / "a")
    workers_from(monkeypatch, 2**40)
    in_process = fetch_all(site, tmp_path / "b")
    assert pools[0] is not None and pools[1] is None  # both paths were taken
    assert len(in_workers) == FEEDS
    assert in_workers == in_process


def test_workers_start_only_for_many_bytes_to_parse(
    site: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newstui.core.fetch.state import load_state, state_folder

    pools: list[object] = []
    real_pool = run._parse_pool

    @contextmanager
    def watched(expected: int) -> Iterator[object]:
        with real_pool(expected) as pool:
            pools.append(pool)
            yield pool

    monkeypatch.setattr(run, "_parse_pool", watched)
    workers_from(monkeypatch, DEFAULT_POOL_FROM)
    news = tmp_path / "news"
    fetch_all(site, news)  # a first fetch of ten small feeds: in this process
    folder = state_folder(AppPaths.default(), news)
    sizes = [
        load_state(folder, Subscription(site.url(f"/f{n}.xml")).key).size for n in range(FEEDS)
    ]
    assert sizes == [len(site.routes[f"/f{n}.xml"](None).body) for n in range(FEEDS)]  # type: ignore[arg-type]
    # Without validators they answer in full again: their last sizes decide.
    subscriptions = [Subscription(site.url(f"/f{n}.xml")) for n in range(FEEDS)]
    workers_from(monkeypatch, sum(sizes) + 1)
    fetch_subscriptions(subscriptions, news, AppPaths.default())
    workers_from(monkeypatch, sum(sizes))
    fetch_subscriptions(subscriptions, news, AppPaths.default())
    assert pools[0] is None and pools[1] is None and pools[2] is not None


def test_hostile_entry_html_is_neutralised_on_the_worker_path(
    site: FeedServer, tmp_path: Path
) -> None:
    written = fetch_all(site, tmp_path / "news")
    hostile = [
        article
        for articles in written.values()
        for article in articles  # type: ignore[attr-defined]
        if article["title"].startswith("T")
    ]
    assert len(hostile) == FEEDS
    for article in hostile:
        text = json.dumps(article, ensure_ascii=False)
        assert not any(ch in text for ch in "\x1b\x07\u202e\u202c")
        assert article["title"] == "T"
        assert "blocks" not in article  # the entry's HTML is stored, made blocks when read:
        read = article_from_json(Path("day.json"), article)
        text = json.dumps(read.model_dump(mode="json"), ensure_ascii=False)
        for forbidden in ("alert", "steal", "<script", "javascript:", "evil.example", "color"):
            assert forbidden not in text
        blocks = read.blocks
        urls = [link.url for block in blocks for link in block.links]
        assert urls == ["https://example.org/ok"]  # (no base: a relative link is no link)
        words = " ".join(block.text for block in blocks)
        assert "Before after bad link relative good link" in words
        assert "a picture" in words and "Escape evil text" in words


def test_a_lone_content_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """feedparser copies a <content> without a summary into the summary: one parse, no summary."""
    parsed: list[str] = []
    real = html_to_blocks

    def counted(html: str) -> list[Block]:
        parsed.append(html)
        return real(html)

    monkeypatch.setattr(feeds, "html_to_blocks", counted)
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        b"<entry><id>1</id><title>One</title><updated>2026-12-01T10:00:00Z</updated>"
        b'<content type="html">&lt;p&gt;The whole story, told once.&lt;/p&gt;</content></entry>'
        b"<entry><id>2</id><title>Two</title><updated>2026-12-01T11:00:00Z</updated>"
        b'<summary type="html">&lt;p&gt;A short summary.&lt;/p&gt;</summary>'
        b'<content type="html">&lt;p&gt;The long story, with more.&lt;/p&gt;</content></entry>'
        b"</feed>"
    )
    one, two = parse_feed(atom).articles
    assert [b.text for b in one.blocks] == ["The whole story, told once."] and one.summary == ""
    assert [b.text for b in two.blocks] == ["The long story, with more."]
    assert two.summary == "A short summary."
    assert len(parsed) == 3  # one's content; two's content and summary


def test_a_state_replaced_while_waiting_for_the_lock_is_read_again(tmp_path: Path) -> None:
    save_state(tmp_path, "feed", FeedState(etag='"v1"', entries={"a": EntryState("h", 1.0)}))
    cache = StateCache(tmp_path)
    assert cache.peek("feed").etag == '"v1"'
    save_state(tmp_path, "feed", FeedState(etag='"v2"'))  # another fetch saved it
    taken = cache.take("feed")
    assert taken.etag == '"v2"' and taken.entries == {}
    # Unchanged: what was peeked, once; then read afresh.
    peeked = cache.peek("feed")
    assert cache.take("feed") is peeked
    assert cache.take("feed") is not peeked
    assert cache.peek("missing") == FeedState() == cache.take("missing")


def test_state_round_trips_through_its_json(tmp_path: Path) -> None:
    state = FeedState(
        moved_to="http://127.0.0.1/new",
        etag='W/"x"',
        last_modified="Tue, 01 Dec 2026 10:00:00 GMT",
        not_before=5.0,
        gone=False,
        last_error="HTTP 500",
        last_success=4.0,
        entries={"f-1": EntryState("abc", 1.5, "ok", "2026-12-01")},
    )
    save_state(tmp_path, "k", state)
    assert StateCache(tmp_path).take("k") == state
