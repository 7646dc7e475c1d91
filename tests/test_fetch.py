"""Fetching feeds from a loopback server: conditional GET, faults, dedup, update in place."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from feedserver import FeedServer, Reply, Request, item, rss
from newstui.core.fetch.entries import Job, file_for, prepare
from newstui.core.fetch.http import Limits
from newstui.core.fetch.run import FetchReport, fetch_subscriptions
from newstui.core.fetch.subscriptions import Subscription
from newstui.core.formats import parse_file
from newstui.core.models import Article
from newstui.core.paths import AppPaths


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return tmp_path / "news"


def fetch(news: Path, *subscriptions: Subscription, **options: object) -> FetchReport:
    return fetch_subscriptions(list(subscriptions), news, AppPaths.default(), **options)  # type: ignore[arg-type]


def files(news: Path) -> list[Path]:
    return sorted(news.rglob("*.json"))


def stored(news: Path) -> list[tuple[Path, Article]]:
    """Every fetched article with its file (a file holds one feed's articles of a day)."""
    return [(path, article) for path in files(news) for article in parse_file(path).articles]


def conditional(body: bytes, etag: str = '"v1"', modified: str = "Tue, 01 Dec 2026 10:00:00 GMT"):  # type: ignore[no-untyped-def]
    def route(request: Request) -> Reply:
        if (
            request.headers.get("if-none-match") == etag
            or request.headers.get("if-modified-since") == modified
        ):
            return Reply(304, b"", {"ETag": etag})
        return Reply(
            200,
            body,
            {"ETag": etag, "Last-Modified": modified, "Content-Type": "application/rss+xml"},
        )

    return route


def test_first_fetch_writes_articles_then_304_writes_nothing(site: FeedServer, news: Path) -> None:
    site.route("/feed.xml", conditional(rss("Daily", [item(n) for n in range(5)])))
    feed = Subscription(site.url("/feed.xml"), name="Daily")
    first = fetch(news, feed)
    assert (first.feeds[0].outcome, first.feeds[0].new) == ("new", 5)
    written = {path: path.stat().st_mtime_ns for path in files(news)}
    assert len(stored(news)) == 5
    second = fetch(news, feed)
    assert second.feeds[0].outcome == "unchanged" and second.feeds[0].status == 304
    assert site.log[-1].headers["if-none-match"] == '"v1"'
    assert site.log[-1].headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert {path: path.stat().st_mtime_ns for path in files(news)} == written
    assert site.log[-1].headers["user-agent"].startswith("newstui/")


def test_written_files_read_back_with_every_field(site: FeedServer, news: Path) -> None:
    entry = item(
        1,
        text="<h2>Head</h2><p>Body with <a href='http://x.test/l'>a link</a>.</p><blockquote>Quoted</blockquote><ul><li>One</li></ul>",
    )
    entry["category"] = "politics"
    site.route("/feed.xml", Reply(200, rss("Daily", [entry])))
    fetch(news, Subscription(site.url("/feed.xml"), name="Daily Name"))
    [(path, article)] = stored(news)
    assert article.title == "Story 1"
    assert article.author is not None and article.author.name == "Ann Writer"
    assert article.url == "http://127.0.0.1/story/1"
    assert article.feed == site.url("/feed.xml")
    assert article.source.name == "Daily Name"
    assert article.tags == ["politics"]
    assert article.published is not None
    assert [b.kind for b in article.blocks] == ["heading", "paragraph", "quote", "list_item"]
    assert path.name == file_for("2026-12-01", time.time()) + ".json"
    assert path.parent.parent == news


def test_an_entry_that_changes_is_updated_in_place(site: FeedServer, news: Path) -> None:
    items = [item(n) for n in range(3)]
    site.route("/feed.xml", Reply(200, rss("Daily", items)))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    before = {a.id: p for p, a in stored(news)}
    items[1] = {**items[1], "title": "Story 1, corrected"}
    site.route("/feed.xml", Reply(200, rss("Daily", items[:2])))  # item 2 vanishes
    report = fetch(news, feed).feeds[0]
    assert (report.outcome, report.new, report.updated, report.unchanged) == ("updated", 0, 1, 1)
    after = {a.id: p for p, a in stored(news)}
    assert after == before  # same ids, same files, the vanished entry kept
    titles = sorted(a.title for _, a in stored(news))
    assert titles == ["Story 0", "Story 1, corrected", "Story 2"]


def test_dedup_falls_back_to_link_then_title_and_date(site: FeedServer, news: Path) -> None:
    no_guid = [{k: v for k, v in item(n).items() if k != "guid"} for n in range(2)]
    no_link = [{k: v for k, v in item(n).items() if k not in ("guid", "link")} for n in range(2, 4)]
    site.route("/feed.xml", Reply(200, rss("D", no_guid + no_link)))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    assert fetch(news, feed).feeds[0].unchanged == 4
    assert len(stored(news)) == 4


def test_an_entry_whose_date_changes_moves_to_its_new_day(site: FeedServer, news: Path) -> None:
    entry = item(1)
    site.route("/feed.xml", Reply(200, rss("D", [entry, item(2)])))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    site.route(
        "/feed.xml",
        Reply(200, rss("D", [{**entry, "pubDate": "Wed, 02 Dec 2026 08:00:00 GMT"}, item(2)])),
    )
    assert fetch(news, feed).feeds[0].updated == 1
    days = {a.title: p.stem for p, a in stored(news)}
    now = time.time()
    assert days == {"Story 1": file_for("2026-12-02", now), "Story 2": file_for("2026-12-01", now)}


def test_old_entries_share_month_and_year_files_and_stay_where_they_are() -> None:
    day = 86400
    now = datetime(2026, 12, 2, 12, tzinfo=timezone.utc).timestamp()
    assert file_for("2026-12-01", now) == "2026-12-01"  # a day of the last month
    assert file_for("2026-10-20", now) == "2026-10"
    assert file_for("2025-06-30", now) == "2025"
    job = Job(Path("unused"), "k", "http://127.0.0.1/f.xml", None, {}, now, write=False)
    body = rss("D", [{**item(1), "pubDate": "Tue, 01 Dec 2026 10:00:00 GMT"}])
    (change,) = prepare(body, job).changes
    later = Job(
        job.folder,
        "k",
        job.feed_url,
        None,
        {change.article_id: ("x", now, "2026-12-01")},
        now + 90 * day,
        write=False,
    )
    (again,) = prepare(body, later).changes  # (a changed hash: it is rewritten...)
    assert (again.day, again.moved_from) == ("2026-12-01", None)  # ... where it was


def test_a_lost_state_rewrites_no_duplicates(site: FeedServer, news: Path) -> None:
    site.route("/feed.xml", Reply(200, rss("D", [item(1), item(2)])))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    for state in (AppPaths.default().data_dir / "fetch").rglob("*.json"):
        state.unlink()
    fetch(news, feed)
    assert sorted(a.title for _, a in stored(news)) == ["Story 1", "Story 2"]


def test_the_same_entry_in_two_feeds_is_one_article(site: FeedServer, news: Path) -> None:
    site.route("/rss.xml", Reply(200, rss("A", [item(1), item(2)])))
    site.route("/atom.xml", Reply(200, rss("B", [item(1), item(3)])))  # the blog's other feed
    rss_feed, atom_feed = Subscription(site.url("/rss.xml")), Subscription(site.url("/atom.xml"))
    report = fetch(news, rss_feed, atom_feed)
    assert sorted(a.title for _, a in stored(news)) == ["Story 1", "Story 2", "Story 3"]
    assert sum(feed.retold for feed in report.feeds) == 1
    again = fetch(news, rss_feed, atom_feed)  # (no validators: both answer in full)
    assert [(feed.new, feed.retold) for feed in again.feeds] == [(0, 0), (0, 0)]
    assert len(stored(news)) == 3


def test_the_same_address_is_one_story_and_one_guid_on_two_sites_is_two(
    site: FeedServer, news: Path
) -> None:
    first = item(1, link="https://blog.example/2026/ferries/")
    retold = item(7, link="http://BLOG.example/2026/ferries?utm_source=rss#comments")
    one = {**item(20, link="https://one.example/post"), "guid": "123"}
    two = {**item(21, link="https://two.example/post"), "guid": "123"}
    site.route("/a.xml", Reply(200, rss("A", [first, one])))
    site.route("/b.xml", Reply(200, rss("B", [two, retold, {**retold, "guid": "urn:again"}])))
    fetch(news, Subscription(site.url("/a.xml")))
    report = fetch(news, Subscription(site.url("/b.xml")))  # later, on its own
    assert (report.feeds[0].new, report.feeds[0].retold) == (1, 2)
    assert sorted(a.title for _, a in stored(news)) == ["Story 1", "Story 20", "Story 21"]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(500, b"oops"), "HTTP 500"),
        (Reply(404, b"no"), "HTTP 404"),
        (Reply(200, b"just some text, not a feed"), "not a feed"),
        (
            Reply(200, b"<html><body><p>a page</p></body></html>", {"Content-Type": "text/html"}),
            "not a feed",
        ),
        (Reply(200, b'{"hello": 1}'), "not a feed"),
        (Reply(200, b""), "not a feed"),
    ],
)
def test_faults_fail_that_feed_only(
    site: FeedServer, news: Path, reply: Reply, reason: str
) -> None:
    site.route("/bad.xml", reply)
    site.route("/good.xml", Reply(200, rss("Good", [item(1)])))
    report = fetch(news, Subscription(site.url("/bad.xml")), Subscription(site.url("/good.xml")))
    bad, good = report.feeds
    assert bad.outcome == "failed" and reason in (bad.reason or ""), bad.reason
    assert good.outcome == "new"
    assert report.exit_code == 1
    assert len(stored(news)) == 1


def test_410_gone_stops_asking(site: FeedServer, news: Path) -> None:
    site.route("/gone.xml", Reply(410, b""))
    feed = Subscription(site.url("/gone.xml"))
    first = fetch(news, feed).feeds[0]
    assert first.outcome == "failed" and "gone" in (first.reason or "")
    second = fetch(news, feed).feeds[0]
    assert second.outcome == "failed" and second.skipped and "gone" in (second.reason or "")
    assert site.hits("/gone.xml") == 1


def test_429_retry_after_is_honoured(site: FeedServer, news: Path) -> None:
    site.route("/busy.xml", Reply(429, b"", {"Retry-After": "120"}))
    feed = Subscription(site.url("/busy.xml"))
    assert fetch(news, feed).feeds[0].outcome == "failed"
    again = fetch(news, feed).feeds[0]
    assert again.skipped and "not due" in (again.reason or "")
    assert site.hits("/busy.xml") == 1
    fetch(news, feed, force=True)
    assert site.hits("/busy.xml") == 2


@pytest.mark.parametrize(
    "headers",
    [{"Cache-Control": "max-age=600"}, {"Expires": "Wed, 01 Dec 2100 00:00:00 GMT"}],
)
def test_cache_headers_defer_the_next_fetch(
    site: FeedServer, news: Path, headers: dict[str, str]
) -> None:
    site.route("/feed.xml", Reply(200, rss("C", [item(1)]), headers))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    assert fetch(news, feed).feeds[0].skipped
    assert site.hits("/feed.xml") == 1


def test_rss_ttl_defers_the_next_fetch(site: FeedServer, news: Path) -> None:
    site.route("/feed.xml", Reply(200, rss("C", [item(1)], ttl=30)))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    assert fetch(news, feed).feeds[0].skipped


def test_redirect_loop_fails(site: FeedServer, news: Path) -> None:
    site.route("/a.xml", Reply(302, b"", {"Location": "/b.xml"}))
    site.route("/b.xml", Reply(302, b"", {"Location": "/a.xml"}))
    report = fetch(news, Subscription(site.url("/a.xml")))
    assert "redirect loop" in (report.feeds[0].reason or "")


def test_too_many_redirects_fail(site: FeedServer, news: Path) -> None:
    for n in range(10):
        site.route(f"/r{n}", Reply(307, b"", {"Location": f"/r{n + 1}"}))
    report = fetch(news, Subscription(site.url("/r0")))
    assert "more than 5 redirects" in (report.feeds[0].reason or "")
    assert site.hits("/r6") == 0


def test_301_to_another_feed_is_recorded_and_kept(site: FeedServer, news: Path) -> None:
    site.route("/old.xml", Reply(301, b"", {"Location": "/new.xml"}))
    site.route("/new.xml", Reply(200, rss("New", [item(1)])))
    feed = Subscription(site.url("/old.xml"))
    report = fetch(news, feed).feeds[0]
    assert report.outcome == "new" and report.moved_to == site.url("/new.xml")
    site.route("/new.xml", Reply(200, rss("New", [item(1), item(2)])))
    again = fetch(news, feed).feeds[0]
    assert (again.new, again.unchanged) == (1, 1)
    assert site.hits("/old.xml") == 1  # asked at its new address from then on
    assert len(stored(news)) == 2 and len({p.parent for p in files(news)}) == 1


def test_a_trickling_server_cannot_hold_the_fetch(site: FeedServer, news: Path) -> None:
    body = rss("Slow", [item(1)])
    site.route(
        "/slow.xml", Reply(200, chunks=[body[i : i + 1] for i in range(len(body))], delay=0.05)
    )
    started = time.monotonic()
    report = fetch(news, Subscription(site.url("/slow.xml")), limits=Limits(deadline=1.0))
    assert time.monotonic() - started < 5
    assert "within 1 s" in (report.feeds[0].reason or "")


def test_oversize_and_gzip_bombs_stop_at_the_cap(site: FeedServer, news: Path) -> None:
    site.route("/big.xml", Reply(200, b"<rss>" + b" " * 3_000_000))
    site.route(
        "/bomb.xml", Reply(200, gzip.compress(b" " * 50_000_000), {"Content-Encoding": "gzip"})
    )
    site.route("/chunked.xml", Reply(200, chunks=[b" " * 100_000] * 30))
    limits = Limits(max_bytes=1_000_000)
    report = fetch(
        news,
        *(Subscription(site.url(p)) for p in ("/big.xml", "/bomb.xml", "/chunked.xml")),
        limits=limits,
    )
    for feed in report.feeds:
        assert feed.outcome == "failed" and "too large" in (feed.reason or ""), feed.reason


def test_gzip_is_decoded(site: FeedServer, news: Path) -> None:
    site.route(
        "/feed.xml", Reply(200, gzip.compress(rss("Z", [item(1)])), {"Content-Encoding": "gzip"})
    )
    assert fetch(news, Subscription(site.url("/feed.xml"))).feeds[0].new == 1


def test_malformed_xml_keeps_what_can_be_read(site: FeedServer, news: Path) -> None:
    body = rss("M", [item(1), item(2)]).replace(b"</channel></rss>", b"<item><title>Broken &bad; <")
    site.route("/feed.xml", Reply(200, body))
    report = fetch(news, Subscription(site.url("/feed.xml"))).feeds[0]
    assert report.new >= 2 and report.outcome == "new"
    assert any("malformed" in problem for problem in report.problems)


def test_non_utf8_feed(site: FeedServer, news: Path) -> None:
    body = rss("Café", [{**item(1), "title": "Café à Zürich"}]).replace(
        b'encoding="utf-8"', b'encoding="iso-8859-1"'
    )
    site.route("/feed.xml", Reply(200, body.decode().encode("iso-8859-1")))
    fetch(news, Subscription(site.url("/feed.xml")))
    [(_, article)] = stored(news)
    assert article.title == "Café à Zürich"


def test_json_feed(site: FeedServer, news: Path) -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": [{"id": "1", "title": "Hello", "content_text": "Text"}],
    }
    site.route(
        "/feed.json",
        Reply(200, json.dumps(document).encode(), {"Content-Type": "application/feed+json"}),
    )
    assert fetch(news, Subscription(site.url("/feed.json"))).feeds[0].new == 1


PAGE = (
    "<html><head><title>Page title</title><meta name='author' content='Page Author'></head><body>"
    "<nav>Home | World</nav><article><h1>Page title</h1>"
    + "".join(
        f"<p>Paragraph {n} of the full article, with enough words to be kept by the extractor.</p>"
        for n in range(8)
    )
    + "</article><footer>Copyright</footer></body></html>"
).encode()


def test_full_text_replaces_the_summary_and_keeps_the_feed_fields(
    site: FeedServer, news: Path
) -> None:
    site.route("/page/1", Reply(200, PAGE, {"Content-Type": "text/html; charset=utf-8"}))
    site.route(
        "/feed.xml",
        Reply(
            200,
            rss("F", [item(1, link=site.url("/page/1")), item(2, link=site.url("/page/missing"))]),
        ),
    )
    report = fetch(news, Subscription(site.url("/feed.xml"), full_text=True)).feeds[0]
    assert report.new == 2
    assert len(report.problems) == 1 and "404" in report.problems[0]
    articles = {a.title: a for _, a in stored(news)}
    full = articles["Story 1"]
    assert "Paragraph 7 of the full article" in full.body_text
    assert full.author is not None and full.author.name == "Ann Writer"  # the feed's author wins
    assert articles["Story 2"].body_text == "Summary of story 2."
    # Pages are fetched for new entries only.
    fetch(news, Subscription(site.url("/feed.xml"), full_text=True), force=True)
    assert site.hits("/page/1") == 1


def test_stop_and_progress_callbacks(site: FeedServer, news: Path) -> None:
    site.route("/feed.xml", Reply(200, rss("P", [item(1)])))
    seen: list[tuple[int, int]] = []
    feeds = [Subscription(site.url("/feed.xml") + f"?n={n}") for n in range(3)]
    report = fetch(news, *feeds, progress=lambda done, total, _r: seen.append((done, total)))
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    assert sorted(f.outcome for f in report.feeds) == ["new", "unchanged", "unchanged"]
    assert sum(f.retold for f in report.feeds) == 2  # one feed at three addresses: one story
    stopped = fetch(news, *feeds, should_stop=lambda: True, force=True)
    assert all(f.skipped and f.reason == "stopped" for f in stopped.feeds)


def test_from_a_thread_as_the_reader_does(site: FeedServer, news: Path) -> None:
    """Many feeds (worker processes) from a thread while other threads run: no fork then."""
    import threading

    feeds = []
    for n in range(10):
        site.route(f"/t{n}.xml", Reply(200, rss(f"T{n}", [item(n * 100 + e) for e in range(5)])))
        feeds.append(Subscription(site.url(f"/t{n}.xml")))
    reports: list[FetchReport] = []
    worker = threading.Thread(target=lambda: reports.append(fetch(news, *feeds)))
    worker.start()
    worker.join(120)
    assert [f.outcome for f in reports[0].feeds] == ["new"] * 10
    assert len(stored(news)) == 50


def test_a_304_after_a_failure_clears_the_remembered_error(site: FeedServer, news: Path) -> None:
    from newstui.core.fetch.state import load_state, state_folder

    body = rss("Daily", [item(1)])
    site.route("/feed.xml", conditional(body))
    feed = Subscription(site.url("/feed.xml"))
    fetch(news, feed)
    site.route("/feed.xml", Reply(500, b"down"))
    assert fetch(news, feed).feeds[0].outcome == "failed"
    folder = state_folder(AppPaths.default(), news)
    failed = load_state(folder, feed.key)
    assert failed.last_error.startswith("HTTP 500") and failed.last_error_at is not None  # type: ignore[union-attr]
    site.route("/feed.xml", conditional(body))
    assert fetch(news, feed).feeds[0].status == 304
    assert (
        load_state(folder, feed.key).last_error,
        load_state(folder, feed.key).last_error_at,
    ) == (None, None)


def test_every_second_request_is_conditional_when_the_server_gave_validators(
    site: FeedServer, news: Path
) -> None:
    bodies = {
        "/plain.xml": rss("Plain", [item(1)]),
        "/empty.xml": rss("Nothing yet", []),  # a feed, with no entries today
        "/page.html": b"<html><body><p>Not a feed at all</p></body></html>",
        "/cut.xml": rss("Cut", [item(2), item(3)])[:-40],
    }
    for path, body in bodies.items():
        site.route(path, conditional(body))
    site.route("/moved.xml", Reply(302, b"", {"Location": "/plain.xml"}))
    feeds = [Subscription(site.url(path)) for path in [*bodies, "/moved.xml"]]
    first = {feed.url.rsplit("/", 1)[1]: feed for feed in fetch(news, *feeds).feeds}
    assert (first["empty.xml"].outcome, first["empty.xml"].reason) == ("unchanged", None)
    assert first["page.html"].outcome == "failed"
    asked = len(site.log)
    second = {feed.url.rsplit("/", 1)[1]: feed for feed in fetch(news, *feeds, force=True).feeds}
    unconditional = [r.path for r in site.log[asked:] if "if-none-match" not in r.headers]
    assert unconditional == [] and len(site.log) - asked == 6  # (the redirect hop too)
    # The same bytes as before: a body that was not a feed still is not one.
    assert (second["page.html"].outcome, second["page.html"].status) == ("failed", 304)
    assert second["page.html"].reason == first["page.html"].reason
    assert second["empty.xml"].outcome == "unchanged"


def test_a_crash_between_the_files_and_the_state_leaves_no_duplicate(
    site: FeedServer, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    twice = {**item(4), "guid": "urn:story:4-again"}  # the same story under a second id
    site.route("/a.xml", Reply(200, rss("A", [item(2), item(3)])))
    site.route("/b.xml", Reply(200, rss("B", [item(1), item(2), item(4), twice])))
    feeds = [Subscription(site.url("/a.xml")), Subscription(site.url("/b.xml"))]
    fetch(tmp_path / "calm", *feeds)  # uninterrupted, in another news folder
    expected = sorted((a.title, a.url) for _, a in stored(tmp_path / "calm"))
    assert len(expected) == 4
    import newstui.core.fetch.run as run

    with monkeypatch.context() as killed:  # killed once the files were written
        killed.setattr(run, "save_state", lambda *args: None)
        killed.setattr(run, "prune", lambda *args: None)
        fetch(news, *feeds)
    fetch(news, *feeds)
    assert sorted((a.title, a.url) for _, a in stored(news)) == expected
    fetch(news, *feeds)
    assert sorted((a.title, a.url) for _, a in stored(news)) == expected
