"""Sync against a real Fever server: Coldsweat, on loopback, set up by its own CLI.

Its fixture installs Coldsweat into a venv of its own (tests/coldsweat_files/requirements.txt,
cached in .pytest_cache) and keeps every request on this machine (tests/coldsweat_server.py).
Two reader homes against one server must converge.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from coldsweat_server import ColdsweatServer, coldsweat_python
from feedserver import FeedServer, Reply, item, rss
from newstui.cli import main
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

pytestmark = pytest.mark.slow

EMAIL, PASSWORD = "reader@home.test", "loopback-only-pass"


@pytest.fixture(scope="session")
def python(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(pytestconfig, "cache", None)  # (None with -p no:cacheprovider)
    folder = cache.mkdir("coldsweat") if cache is not None else tmp_path_factory.mktemp("cs")
    return coldsweat_python(folder)


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as site:
        site.route("/harbour.xml", _feed("Harbour", [1, 2, 3]))
        site.route("/valley.xml", _feed("Valley", [11, 12]))
        yield site


def _feed(title: str, numbers: list[int]) -> Reply:
    return Reply(
        200, rss(title, [item(n) for n in numbers]), {"Content-Type": "application/rss+xml"}
    )


@pytest.fixture
def server(python: Path, feeds: FeedServer, tmp_path: Path) -> Iterator[ColdsweatServer]:
    folder = tmp_path / "coldsweat"
    folder.mkdir()
    with ColdsweatServer(python, folder, EMAIL, PASSWORD) as running:
        running.subscribe(
            {
                feeds.url("/harbour.xml"): ("Harbour", "Coast"),
                feeds.url("/valley.xml"): ("Valley", "Inland"),
            }
        )
        yield running


def use_home(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    home = tmp_path / name
    for variable, folder in {"XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data",
                             "XDG_STATE_HOME": "state", "XDG_CACHE_HOME": "cache"}.items():  # fmt: skip
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[sync]\nservice = "fever"\nurl = "{url}"\nuser = "{EMAIL}"\n'
        'password_env = "NEWSTUI_TEST_COLDSWEAT"\n'
    )


def sync(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code = main(["sync", "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    report: dict[str, object] = json.loads(out)
    return report


def article_ids() -> dict[str, str]:
    """url -> article id, from the article files."""
    found = {}
    for path in (AppPaths.default().data_dir / "news").rglob("*.json"):
        for entry in json.loads(path.read_bytes()):
            assert entry["url"] not in found
            found[entry["url"]] = entry["id"]
    return found


def test_two_homes_converge_through_coldsweat(
    server: ColdsweatServer,
    feeds: FeedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NEWSTUI_TEST_COLDSWEAT", PASSWORD)
    use_home("laptop", tmp_path, monkeypatch, server.url)
    report = sync(capsys)
    assert (report["new_items"], report["new_feeds"]) == (5, 2)
    laptop = article_ids()
    assert len(laptop) == 5
    state = StateStore(AppPaths.default().state_db, outbox=True)
    story1, story12 = laptop["http://127.0.0.1/story/1"], laptop["http://127.0.0.1/story/12"]
    state.set_read([story1, story12])
    state.set_starred([story12], True)
    state.close()
    assert sync(capsys)["pushed"] == 3

    use_home("phone", tmp_path, monkeypatch, server.url)
    assert sync(capsys)["new_items"] == 5
    phone = article_ids()
    assert phone == laptop  # the same article ids in both homes
    state = StateStore(AppPaths.default().state_db, outbox=True)
    assert state.get(story1).read and state.get(story12).read and state.get(story12).starred
    assert not state.get(laptop["http://127.0.0.1/story/2"]).read
    state.set_read([story1], read=False)
    state.set_starred([story12], False)
    state.close()
    assert sync(capsys)["pushed"] == 2

    feeds.route("/hills.xml", _feed("Hills", [21, 22]))  # subscribed to on the server
    server.subscribe({feeds.url("/hills.xml"): ("Hills", "Inland")})
    use_home("laptop", tmp_path, monkeypatch, server.url)
    report = sync(capsys)
    assert (report["new_items"], report["new_feeds"], report["marks_changed"]) == (2, 1, 2)
    state = StateStore(AppPaths.default().state_db, outbox=True)
    assert not state.get(story1).read and not state.get(story12).starred
    assert state.get(story12).read
    assert len(article_ids()) == 7
    assert sync(capsys)["new_items"] == 0


def test_a_wrong_password_is_refused_by_coldsweat(
    server: ColdsweatServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NEWSTUI_TEST_COLDSWEAT", "not-" + PASSWORD)
    use_home("laptop", tmp_path, monkeypatch, server.url)
    assert main(["sync"]) == 1
    out, err = capsys.readouterr()
    assert err == "sync: login refused by 127.0.0.1; check user and password_env\n"
    assert PASSWORD not in out + err
