"""Notifications after a fetch that brought new articles: `notify_command` (the summary its
last argument, the titles its standard input), the reader's own notification, OSC 9, and a
failing command named while everything goes on. Feeds are served on 127.0.0.1 only."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app_fixtures import settle
from feedserver import FeedServer, Reply, item, rss
from newstui.cli import main
from newstui.core.config import Rule, Settings
from newstui.core.fetch.run import FeedReport, FetchReport
from newstui.core.fetch.subscriptions import Subscription, save_subscriptions, subscriptions_file
from newstui.core.notify import NewArticles, new_articles, osc9
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp

RECORD = (
    "import sys; open(sys.argv[1], 'w', encoding='utf-8')"
    ".write(repr(sys.argv[2:]) + '\\n' + sys.stdin.read())"
)
FAIL = "import sys; sys.stderr.write('notifier: no display\\nmore\\n'); sys.exit(2)"


def python(code: str, *args: str) -> str:
    return shlex.join([sys.executable, "-c", code, *args])


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def subscribe(site: FeedServer, feeds: dict[str, list[int]]) -> None:
    for path, numbers in feeds.items():
        items = [
            {**item(n), "guid": f"urn:{path}:{n}", "title": f"{path} story {n}"} for n in numbers
        ]
        site.route(f"/{path}.xml", Reply(200, rss(path, items)))
    subscriptions = [Subscription(site.url(f"/{path}.xml")) for path in feeds]
    save_subscriptions(subscriptions_file(AppPaths.default().config_dir), subscriptions)


def write_config(text: str) -> None:
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")


def test_summary_and_titles() -> None:
    report = FetchReport(
        [
            FeedReport("a", "ua", "new", new=2, new_titles=["One", "Two"]),
            FeedReport("b", "ub", "unchanged"),
            FeedReport("c", "uc", "new", new=1, new_titles=["Three"]),
        ]
    )
    news = new_articles(report)
    assert news == NewArticles(["One", "Two", "Three"], ["ua", "ua", "uc"])
    assert news.summary == "3 new articles in 2 feeds"
    assert news.without({"Three"}) == NewArticles(["One", "Two"], ["ua", "ua"])
    assert news.without({"One", "Two", "Three"}) is None
    assert NewArticles(["x"], ["u"]).summary == "1 new article in 1 feed"
    assert new_articles(FetchReport([FeedReport("b", "u", "unchanged")])) is None


def test_osc9_has_no_control_characters() -> None:
    sequence = osc9("New \x1b]52;c;ZXZpbA==\x07 stuff\x9c\u202e\nnext")
    assert sequence == "\x1b]9;New stuff next\x07"  # the escape sequence as a whole
    inner = osc9("a\x07b\x1b\\c\x9dd\x00e" + "f" * 500)[4:-1]
    assert inner.startswith("ab") and len(inner) == 200
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in inner)


def test_cli_fetch_runs_notify_command(
    site: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "told.txt"
    write_config(f"notify_command = {json.dumps(python(RECORD, str(record)))}\n")
    subscribe(site, {"harbour": [1, 2], "hills": [3]})
    assert main(["fetch"]) == 0
    said = record.read_text(encoding="utf-8").splitlines()
    assert said[0] == "['3 new articles in 2 feeds']"
    assert sorted(said[1:]) == ["harbour story 1", "harbour story 2", "hills story 3"]
    record.unlink()
    assert main(["fetch", "--force"]) == 0  # nothing new: no notification
    assert not record.exists()


def test_cli_fetch_names_a_failing_notify_command(
    site: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(f"notify_command = {json.dumps(python(FAIL))}\n")
    subscribe(site, {"harbour": [1]})
    assert main(["fetch"]) == 0  # the fetch went well
    err = capsys.readouterr().err
    assert err.startswith("newstui: warning: notify_command (")
    assert err.endswith(" failed: exit status 2: notifier: no display\n") and err.count("\n") == 1


def reader(tmp_path: Path, **settings: object) -> NewsApp:
    news = tmp_path / "news"
    news.mkdir(exist_ok=True)
    chosen = Settings(news_folder=news, **settings)  # type: ignore[arg-type]
    return NewsApp(news, AppPaths.default(), chosen, watch=False)


def messages(app: NewsApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_the_reader_notifies_and_sends_osc9(site: FeedServer, tmp_path: Path) -> None:
    subscribe(site, {"harbour": [1, 2], "hills": [3]})
    app = reader(tmp_path, notify="osc9")
    written: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app._driver is not None
        app._driver.write = written.append  # type: ignore[method-assign,assignment]
        await pilot.press("F")
        await settle(pilot)
        [told] = [m for m in messages(app) if m.startswith("3 new articles in 2 feeds.")]
        assert "• harbour story 1" in told and "• hills story 3" in told
        assert "\x1b]9;newstui: 3 new articles in 2 feeds\x07" in written


async def test_titles_a_hide_rule_takes_are_not_told(site: FeedServer, tmp_path: Path) -> None:
    record = tmp_path / "told.txt"
    subscribe(site, {"harbour": [1, 2], "hills": [3]})
    rules = (Rule(1, '"hills story"', "hide"),)
    app = reader(tmp_path, notify_command=python(RECORD, str(record)), rules=rules)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        for _ in range(3):  # the fetch, the refresh that applies the rules, the command
            await settle(pilot)
        said = record.read_text(encoding="utf-8").splitlines()
        assert said[0] == "['2 new articles in 1 feed']"
        assert sorted(said[1:]) == ["harbour story 1", "harbour story 2"]


async def test_the_reader_runs_notify_command_not_a_notification(
    site: FeedServer, tmp_path: Path
) -> None:
    record = tmp_path / "told.txt"
    subscribe(site, {"harbour": [1]})
    app = reader(tmp_path, notify_command=python(RECORD, str(record)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        await settle(pilot)
        assert (
            record.read_text(encoding="utf-8") == "['1 new article in 1 feed']\nharbour story 1\n"
        )
        assert not any(m.startswith("1 new article") for m in messages(app))


async def test_a_failing_notify_command_is_named_and_the_reader_goes_on(
    site: FeedServer, tmp_path: Path
) -> None:
    subscribe(site, {"harbour": [1, 2]})
    app = reader(tmp_path, notify_command=python(FAIL))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        await settle(pilot)
        failed = [m for m in messages(app) if m.startswith("notify_command failed")]
        assert len(failed) == 1 and failed[0].endswith("exit status 2: notifier: no display")
        screen = app.main
        assert screen is not None and screen.articles.row_count == 2  # the fetch is shown
        chosen = screen.articles.current_id
        await pilot.press("s")
        await settle(pilot)
        assert chosen is not None and app.state.get(chosen).starred
