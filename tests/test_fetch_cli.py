"""`newstui feeds ...` and `newstui fetch`: subscriptions file, OPML, exit codes, JSON,
kill -9 in the middle of a fetch, two fetches at once. Loopback server only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedserver import FeedServer, Reply, item, rss
from newstui.cli import main
from newstui.core.fetch.subscriptions import load_subscriptions
from newstui.core.formats import parse_file
from newstui.core.paths import AppPaths


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def news_folder() -> Path:
    return AppPaths.default().data_dir / "news"


def feeds_toml() -> Path:
    return AppPaths.default().config_dir / "feeds.toml"


def test_add_list_fetch_remove(site: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    site.route("/feed.xml", Reply(200, rss("The Daily", [item(1), item(2)])))
    code, out, _ = run(capsys, "feeds", "add", site.url("/feed.xml"), "--json")
    assert code == 0 and json.loads(out)["subscription"]["name"] == "The Daily"
    code, out, _ = run(capsys, "feeds", "list", "--json")
    assert [f["url"] for f in json.loads(out)["feeds"]] == [site.url("/feed.xml")]
    code, out, _ = run(capsys, "fetch", "--json")
    report = json.loads(out)
    assert code == 0 and report["new"] == 2 and report["feeds"][0]["outcome"] == "new"
    paths = sorted(news_folder().rglob("*.json"))
    assert len(paths) == 1  # one file per feed and day
    code, out, _ = run(capsys, "show", "--json", str(paths[0]))
    shown = json.loads(out.splitlines()[0])  # JSON Lines: an object per article
    assert shown["feed"] == site.url("/feed.xml") and shown["url"].startswith(
        "http://127.0.0.1/story/"
    )
    code, out, _ = run(capsys, "fetch", "The Daily", "--json")
    assert code == 0 and json.loads(out)["feeds"][0]["outcome"] == "unchanged"
    code, _, err = run(capsys, "fetch", "nobody")
    assert code == 2 and "no subscription" in err
    code, out, _ = run(capsys, "feeds", "remove", "The Daily")
    assert code == 0 and "kept" in out
    assert load_subscriptions(feeds_toml()).subscriptions == []
    assert sum(len(parse_file(p).articles) for p in news_folder().rglob("*.json")) == 2


def test_add_finds_the_feed_of_a_page(site: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    site.route("/feed.xml", Reply(200, rss("Linked", [item(1)])))
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>x</body></html>'
    site.route("/", Reply(200, page, {"Content-Type": "text/html"}))
    code, out, _ = run(capsys, "feeds", "add", site.url("/"), "--full-text", "--name", "Mine")
    assert code == 0 and "web page" in out and site.url("/feed.xml") in out
    [subscription] = load_subscriptions(feeds_toml()).subscriptions
    assert (subscription.url, subscription.name, subscription.full_text) == (
        site.url("/feed.xml"),
        "Mine",
        True,
    )


def test_add_refuses_what_is_not_a_feed(
    site: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    site.route(
        "/page",
        Reply(200, b"<html><body>no feed here</body></html>", {"Content-Type": "text/html"}),
    )
    for url in (site.url("/page"), site.url("/missing"), "file:///etc/passwd"):
        code, _, err = run(capsys, "feeds", "add", url)
        assert code == 2 and "not subscribed" in err
    assert not feeds_toml().exists()


def test_fetch_exit_code_and_json_name_every_feed(
    site: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    site.route("/good.xml", Reply(200, rss("Good", [item(1)])))
    site.route("/bad.xml", Reply(500, b""))
    feeds_toml().parent.mkdir(parents=True, exist_ok=True)
    feeds_toml().write_text(
        f'[[feed]]\nurl = "{site.url("/good.xml")}"\nname = "Good"\n\n'
        f'[[feed]]\nurl = "{site.url("/bad.xml")}"\nname = "Bad"\n'
        '\n[[feed]]\nurl = "ftp://nope/"\n\n[[feed]]\nurl = "http://127.0.0.1:1/x"\nfull_text = "yes"\n'
    )
    code, out, err = run(capsys, "fetch", "--json")
    assert code == 1
    report = json.loads(out)
    assert {f["name"]: f["outcome"] for f in report["feeds"]} == {"Good": "new", "Bad": "failed"}
    assert "feeds.toml:9" in err and "url" in err  # the bad entries, by line and key
    assert "feeds.toml:12" in err and "full_text" in err


def test_opml_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        """<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
        <outline text="News"><outline text="World">
          <outline text="Alpha" xmlUrl="http://127.0.0.1:9/alpha.xml"/>
        </outline>
          <outline type="rss" title="Beta &amp; Co" text="ignored" xmlUrl="http://127.0.0.1:9/beta.xml" htmlUrl="http://x/"/>
        </outline>
        <outline text="Gamma" xmlUrl="https://127.0.0.1:9/gamma.xml"/>
        <outline text="Bad" xmlUrl="javascript:alert(1)"/>
        <outline text="just a note"/>
        </body></opml>"""
    )
    code, out, err = run(capsys, "feeds", "import", str(opml), "--json")
    assert code == 0 and json.loads(out)["added"] == 3 and "javascript" in err
    first = load_subscriptions(feeds_toml()).subscriptions
    assert [(s.name, s.category) for s in first] == [
        ("Alpha", "News/World"),
        ("Beta & Co", "News"),
        ("Gamma", None),
    ]
    exported = tmp_path / "out.opml"
    assert run(capsys, "feeds", "export", str(exported))[0] == 0
    code, out, _ = run(capsys, "feeds", "export")
    assert out == exported.read_text() and 'version="2.0"' in out
    feeds_toml().unlink()
    run(capsys, "feeds", "import", str(exported))
    assert load_subscriptions(feeds_toml()).subscriptions == first
    code, out, _ = run(capsys, "feeds", "import", str(exported), "--json")
    assert json.loads(out)["added"] == 0


def test_opml_with_entities_or_garbage_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaa">]><opml><body/></opml>')
    assert run(capsys, "feeds", "import", str(bomb))[0] == 2
    junk = tmp_path / "junk.opml"
    junk.write_text("not xml")
    assert run(capsys, "feeds", "import", str(junk))[0] == 2


def _fetch_process() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newstui", "fetch", "--json", "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def _subscribe_many(site: FeedServer, feeds: int, entries: int, slow: bool = False) -> None:
    """Each feed also lists the next one's first story (each story is kept once)."""
    lines = []
    for n in range(feeds):
        shared = item((n + 1) % feeds * 1000)
        body = rss(f"Feed {n}", [*(item(n * 1000 + e) for e in range(entries)), shared])
        if slow and n == 0:
            site.route(
                f"/f{n}.xml",
                Reply(
                    200, chunks=[body[i : i + 200] for i in range(0, len(body), 200)], delay=0.05
                ),
            )
        else:
            site.route(f"/f{n}.xml", Reply(200, body))
        lines.append(f'[[feed]]\nurl = "{site.url(f"/f{n}.xml")}"\n')
    feeds_toml().parent.mkdir(parents=True, exist_ok=True)
    feeds_toml().write_text("\n".join(lines))


def _check_library(expected: int) -> list[str]:
    """The stories' addresses, each once, `expected` of them."""
    paths = list(news_folder().rglob("*.json"))
    articles = [article for path in paths for article in parse_file(path).articles]
    ids = [article.id for article in articles]
    assert len(ids) == len(set(ids)) == expected
    assert not list(news_folder().rglob(".*.part"))
    urls = sorted(str(article.url) for article in articles)
    assert len(set(urls)) == len(urls)
    return urls


def test_kill_9_mid_fetch_then_fetch_again(site: FeedServer) -> None:
    _subscribe_many(site, feeds=12, entries=40)
    calm = _fetch_process()  # uninterrupted, to compare with
    assert calm.communicate(timeout=60)[0] and calm.returncode == 0
    expected = _check_library(12 * 40)
    shutil.rmtree(AppPaths.default().data_dir)
    _subscribe_many(site, feeds=12, entries=40, slow=True)
    process = _fetch_process()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(news_folder().rglob("*.json"))) < 6:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    for path in news_folder().rglob("*.json"):  # only whole files
        assert parse_file(path).articles
    _subscribe_many(site, feeds=12, entries=40)
    again = _fetch_process()
    out, _ = again.communicate(timeout=60)
    assert again.returncode == 0, out
    assert _check_library(12 * 40) == expected


def test_two_fetches_at_once_write_no_duplicates(site: FeedServer) -> None:
    _subscribe_many(site, feeds=10, entries=30)
    first, second = _fetch_process(), _fetch_process()
    for process in (first, second):
        process.communicate(timeout=60)
        assert process.returncode == 0
    _check_library(10 * 30)


def test_newstui_opens_the_news_folder_when_subscribed(tmp_path: Path) -> None:
    from newstui.cli.tui import default_folder
    from newstui.core.config import Settings

    paths = AppPaths.default()
    assert default_folder(Settings(), paths).name == "sample_articles"
    feeds_toml().parent.mkdir(parents=True, exist_ok=True)
    feeds_toml().write_text('[[feed]]\nurl = "http://127.0.0.1:9/x.xml"\n')
    assert default_folder(Settings(), paths) == paths.data_dir / "news"
    assert default_folder(Settings(news_folder=tmp_path / "n"), paths) == tmp_path / "n"
    assert default_folder(Settings(folder=tmp_path / "mine"), paths) == tmp_path / "mine"


def test_newstui_opens_the_news_folder_once_it_holds_an_import(tmp_path: Path) -> None:
    from newstui.cli.tui import default_folder
    from newstui.core.config import Settings

    paths = AppPaths.default()
    news = tmp_path / "news"
    settings = Settings(news_folder=news)
    assert default_folder(settings, paths).name == "sample_articles"
    (news / "imports" / "pocket").mkdir(parents=True)
    assert default_folder(settings, paths) == news
    assert default_folder(settings, paths, last_used=str(tmp_path)) == tmp_path


def test_fetch_and_list_name_failing_feeds_with_counts(
    site: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from newstui.core.fetch.subscriptions import Subscription, save_subscriptions
    from newstui.core.state.store import StateStore

    site.route("/ok.xml", Reply(200, rss("Harbour Desk", [item(1), item(2), item(3)])))
    site.route("/down.xml", Reply(503, b"busy"))
    feeds = [
        Subscription(site.url("/ok.xml"), name="Harbour Desk"),
        Subscription(site.url("/down.xml"), name="Ferry Times"),
    ]
    save_subscriptions(feeds_toml(), feeds)
    code, out, _ = run(capsys, "fetch")
    assert code == 1
    assert "  failed: Ferry Times: HTTP 503" in out and site.url("/down.xml") in out
    first = sorted(news_folder().rglob("*.json"))[0]
    store = StateStore(AppPaths.default().state_db)
    store.set_read([parse_file(first).articles[0].id])
    store.close()
    code, out, _ = run(capsys, "feeds", "list")
    ok, down = out.split("Ferry Times")
    assert "3 articles, 2 unread; fetched 20" in ok
    assert "0 articles, 0 unread; never fetched" in down
    assert "last error (20" in down and "HTTP 503" in down
    code, out, _ = run(capsys, "feeds", "list", "--json")
    listed = {feed["name"]: feed for feed in json.loads(out)["feeds"]}
    assert (listed["Harbour Desk"]["articles"], listed["Harbour Desk"]["unread"]) == (3, 2)
    assert listed["Ferry Times"]["last_error_at"].endswith("Z")
