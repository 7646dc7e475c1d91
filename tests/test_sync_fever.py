"""Sync part 2: `newstui sync` against a loopback Fever server (tests/feverserver.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from feverserver import FeverData, FeverServer, fever_server
from newstui.cli import main
from newstui.core.fetch.subscriptions import load_subscriptions, subscriptions_file
from newstui.core.formats import parse_file
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore
from newstui.core.sync.articles import item_article_id

PASSWORD = "s3cret-pass"


@pytest.fixture
def data() -> FeverData:
    data = FeverData(password=PASSWORD)
    data.groups = {1: "World"}
    data.feeds = {
        10: ("Harbour Gazette", "https://gazette.test/feed.xml", 1),
        11: ("Valley Notes", "https://valley.test/rss", None),
    }
    data.add_item(10, "ferry-timetable", is_read=True)
    data.add_item(10, "lighthouse-repaint", is_saved=True)
    data.add_item(11, "orchard-frost", author="Ana Vale")
    return data


@pytest.fixture
def server(data: FeverData, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeverServer]:
    monkeypatch.setenv("NEWSTUI_TEST_FEVER", PASSWORD)
    with fever_server(data) as running:
        configure(running.url)
        yield running


def configure(url: str, secret: str = 'password_env = "NEWSTUI_TEST_FEVER"') -> None:
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[sync]\nservice = "fever"\nurl = "{url}"\nuser = "reader@home.test"\n{secret}\n',
        encoding="utf-8",
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def articles() -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for path in sorted((AppPaths.default().data_dir / "news").rglob("*.json")):
        for item in json.loads(path.read_bytes()):
            assert item["id"] not in found, "an entry written twice"
            found[item["id"]] = item
        assert parse_file(path).articles  # the reader reads them
    return found


def store() -> StateStore:
    return StateStore(AppPaths.default().state_db, outbox=True)


def let_time_pass() -> None:
    """As if the wait a 429/5xx asked for were over."""
    state = store()
    state.set_pref("sync.next_try", "1")
    state.close()


def aid(server: FeverServer, item_id: int) -> str:
    return item_article_id(server.url, str(item_id))


def test_first_sync_brings_feeds_articles_and_marks(
    server: FeverServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "sync", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["new_items"], report["new_feeds"], report["pending"]) == (3, 2, 0)
    found = articles()
    assert len(found) == 3
    ferry = found[aid(server, 1)]
    assert ferry["url"] == "https://site.test/ferry-timetable"
    assert ferry["feed"] == "https://gazette.test/feed.xml"
    assert found[aid(server, 3)]["authors"] == ["Ana Vale"]
    feeds = load_subscriptions(subscriptions_file(AppPaths.default().config_dir)).subscriptions
    assert {(f.name, f.category) for f in feeds} == {
        ("Harbour Gazette", "World"),
        ("Valley Notes", None),
    }
    state = store()
    assert state.get(aid(server, 1)).read and not state.get(aid(server, 2)).read
    assert state.get(aid(server, 2)).starred


def test_a_second_sync_adds_only_what_is_new(
    server: FeverServer, data: FeverData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    for n in range(60):  # more than a page
        data.add_item(11, f"note-{n}")
    data.items[3].is_read = True  # read on the phone
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["new_items"] == 60
    assert len(articles()) == 63
    assert store().get(aid(server, 3)).read
    assert run(capsys, "sync")[0] == 0
    assert len(articles()) == 63


def test_marks_are_pushed_before_the_pull(
    server: FeverServer, data: FeverData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_read([aid(server, 2), aid(server, 3)])
    state.set_read([aid(server, 1)], read=False)
    state.toggle_starred(aid(server, 3))
    state.toggle_starred(aid(server, 2))  # unstar
    state.close()
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["pushed"] == 5
    assert [(i.is_read, i.is_saved) for i in data.items.values()] == [
        (False, False),
        (True, False),
        (True, True),
    ]
    state = store()
    assert state.pending_count() == 0
    assert not state.get(aid(server, 1)).read  # the pull agrees with what was pushed


def test_an_undo_before_sending_sends_nothing(
    server: FeverServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.toggle_read(aid(server, 3))
    state.toggle_read(aid(server, 3))
    state.close()
    assert run(capsys, "sync")[0] == 0
    assert server.marks_sent() == []


def test_a_refused_change_stays_queued_and_is_not_overwritten(
    server: FeverServer, data: FeverData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    server.refuse_marks = {3}
    state = store()
    state.set_read([aid(server, 3)])
    state.close()
    data.add_item(10, "pier-closed")
    code, out, err = run(capsys, "sync", "--json")
    assert code == 1 and err == "sync: 127.0.0.1: HTTP 500 Internal Server Error\n"
    assert json.loads(out)["new_items"] == 1  # the pull still ran
    state = store()
    assert state.pending_count() == 1
    assert state.get(aid(server, 3)).read  # the server still says unread: not taken
    server.refuse_marks = set()
    state.close()
    assert run(capsys, "sync")[0] == 0
    assert data.items[3].is_read and store().pending_count() == 0


def test_server_down_keeps_marks_and_says_so(
    server: FeverServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_starred([aid(server, 1)], True)
    state.close()
    server.fail_status = 503
    code, _, err = run(capsys, "sync")
    assert code == 1 and "503" in err and "; next try at " in err
    code, out, _ = run(capsys, "sync", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["pending"] == 1 and "503" in status["last_error"]
    assert status["next_try"] is not None
    server.fail_status = None
    asked = len(server.log)
    code, _, err = run(capsys, "sync")  # too soon: the server is not asked at all
    assert code == 1 and "next try at" in err and len(server.log) == asked
    let_time_pass()
    assert run(capsys, "sync")[0] == 0
    assert json.loads(run(capsys, "sync", "status", "--json")[1])["pending"] == 0


@pytest.mark.parametrize("how", ["wrong password", "401"])
def test_a_refused_login_is_one_line_without_the_password(
    server: FeverServer,
    data: FeverData,
    capsys: pytest.CaptureFixture[str],
    how: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if how == "401":
        server.fail_status = 401
    else:
        monkeypatch.setenv("NEWSTUI_TEST_FEVER", "not-the-" + PASSWORD)
    code, out, err = run(capsys, "sync", "--json")
    assert code == 1
    assert err == "sync: login refused by 127.0.0.1; check user and password_env\n"
    _, status, _ = run(capsys, "sync", "status", "--json")
    for text in (out, err, status):
        assert PASSWORD not in text
    assert "login refused" in json.loads(status)["last_error"]
    assert len(server.log) == 1  # no retry storm


def test_the_password_command_is_run_at_sync_time(
    server: FeverServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    script = tmp_path / "pw.sh"
    script.write_text(f"#!/bin/sh\necho {PASSWORD}\n")
    script.chmod(0o700)
    configure(server.url, f'password_command = "{script}"')
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and PASSWORD not in out
    for path in AppPaths.default().config_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD not in path.read_text(errors="replace")


def test_a_bad_or_missing_sync_setting_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "sync")
    assert code == 2 and "no [sync] table" in err
    configure("gopher://127.0.0.1/")
    code, _, err = run(capsys, "sync", "status")
    assert code == 2 and "sync.url" in err
    configure("http://127.0.0.1:9/", 'password_env = "NEWSTUI_TEST_UNSET_VARIABLE"')
    code, _, err = run(capsys, "sync")
    assert code == 2 and "NEWSTUI_TEST_UNSET_VARIABLE is not set" in err


def test_an_unreachable_server_is_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSTUI_TEST_FEVER", PASSWORD)
    configure("http://127.0.0.1:9/fever/")
    code, _, err = run(capsys, "sync")
    assert code == 1 and err.startswith("sync: 127.0.0.1: network error")


def test_a_cli_mark_goes_to_the_outbox_and_is_sent(
    server: FeverServer, data: FeverData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    assert run(capsys, "star", aid(server, 3))[0] == 0
    assert json.loads(run(capsys, "sync", "status", "--json")[1])["pending"] == 1
    assert run(capsys, "sync")[0] == 0
    assert server.marks_sent() == [("saved", "3")] and data.items[3].is_saved


def test_a_mark_on_an_item_deleted_on_the_server_is_dropped(
    server: FeverServer, data: FeverData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_read([aid(server, 2), aid(server, 3)])
    state.close()
    del data.items[2]
    assert run(capsys, "sync")[0] == 0
    assert data.items[3].is_read and store().pending_count() == 0


def test_a_big_first_sync_writes_each_entry_once(
    data: FeverData, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newstui.core.sync import engine

    monkeypatch.setattr(engine, "WRITE_BATCH", 120)  # several batches, not page-aligned
    for n in range(500):
        data.add_item(10 + n % 2, f"bulk-{n}", created_on_time=1_700_000_000 + n * 3600)
    monkeypatch.setenv("NEWSTUI_TEST_FEVER", PASSWORD)
    with fever_server(data) as running:
        configure(running.url)
        code, out, _ = run(capsys, "sync", "--json")
        assert code == 0 and json.loads(out)["new_items"] == 503
        assert len(articles()) == 503
        assert store().pref("sync.fever.cursor") == "503"


def test_a_sync_killed_after_writing_files_duplicates_nothing(
    server: FeverServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def killed(*_: object) -> None:
        raise SystemExit(137)  # (as if killed once the files were written)

    with monkeypatch.context() as patch:
        patch.setattr(StateStore, "add_sync_items", killed)
        with pytest.raises(SystemExit):
            main(["sync"])
    assert len(articles()) == 3 and store().pref("sync.fever.cursor") is None
    assert run(capsys, "sync")[0] == 0
    assert len(articles()) == 3
    assert store().get(aid(server, 1)).read


def test_fetch_syncs_when_sync_is_set(
    server: FeverServer, data: FeverData, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "fetch", "--json")
    assert code == 0 and json.loads(out)["new_items"] == 3
    assert len(articles()) == 3 and server.log  # from the server, not from the feeds
    code, _, err = run(capsys, "fetch", "Harbour Gazette")
    assert code == 2 and "no feed names" in err
