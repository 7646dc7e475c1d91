"""`newstui sync` against a loopback Miniflux API server (tests/minifluxserver.py), through
the official `miniflux` client library."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from minifluxserver import MinifluxData, MinifluxServer, miniflux_server
from newstui.cli import main
from newstui.core.fetch.subscriptions import load_subscriptions, subscriptions_file
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore
from newstui.core.sync import miniflux as adapter_module
from newstui.core.sync.articles import item_article_id

TOKEN = "token-abc123"


@pytest.fixture
def data() -> MinifluxData:
    data = MinifluxData(token=TOKEN)
    data.categories = {1: "World", 2: "All"}
    data.feeds = {
        10: ("Harbour Gazette", "https://gazette.test/feed.xml", 1),
        11: ("Valley Notes", "https://valley.test/rss", 2),
    }
    data.add_entry(10, "ferry-timetable", status="read")
    data.add_entry(10, "lighthouse-repaint", starred=True)
    data.add_entry(11, "orchard-frost", author="Ana Vale")
    return data


@pytest.fixture
def server(
    data: MinifluxData, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[MinifluxServer]:
    script = tmp_path / "token.sh"
    script.write_text(f"#!/bin/sh\necho {TOKEN}\n")
    script.chmod(0o700)
    with miniflux_server(data) as running:
        configure(running.url, f'token_command = "{script}"')
        yield running


def configure(url: str, secret: str) -> None:
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[sync]\nservice = "miniflux"\nurl = "{url}"\n{secret}\n', encoding="utf-8")


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
    return found


def store() -> StateStore:
    return StateStore(AppPaths.default().state_db, outbox=True)


def aid(server: MinifluxServer, entry_id: int) -> str:
    return item_article_id(server.url, str(entry_id))


def test_first_sync_brings_feeds_articles_and_marks(
    server: MinifluxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "sync", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["new_items"], report["new_feeds"]) == (3, 2)
    found = articles()
    assert found[aid(server, 1)]["url"] == "https://site.test/ferry-timetable"
    assert found[aid(server, 1)]["feed"] == "https://gazette.test/feed.xml"
    assert found[aid(server, 3)]["authors"] == ["Ana Vale"]
    feeds = load_subscriptions(subscriptions_file(AppPaths.default().config_dir)).subscriptions
    assert {(f.name, f.category) for f in feeds} == {
        ("Harbour Gazette", "World"),
        ("Valley Notes", "All"),
    }
    state = store()
    assert state.get(aid(server, 1)).read and not state.get(aid(server, 2)).read
    assert state.get(aid(server, 2)).starred and not state.get(aid(server, 3)).starred


def test_a_second_sync_asks_only_for_what_changed(
    server: MinifluxServer,
    data: MinifluxData,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(adapter_module, "PAGE", 20)
    assert run(capsys, "sync")[0] == 0
    for n in range(50):
        data.add_entry(11, f"note-{n}")
    data.entries[3].status = "read"  # read on the phone
    data.touch(data.entries[3])
    server.log.clear()
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["new_items"] == 50
    assert len(articles()) == 53 and store().get(aid(server, 3)).read
    queries = [fields for method, path, fields in server.log if path == "/v1/entries"]
    assert all("changed_after" in q or "after_entry_id" in q for q in queries)
    assert {q["after_entry_id"] for q in queries if "after_entry_id" in q} >= {"3", "23", "43"}
    server.log.clear()
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["new_items"] == 0
    changed = [f for _m, p, f in server.log if p == "/v1/entries" and "changed_after" in f]
    assert changed and all(int(f["changed_after"]) >= data.clock - 1 for f in changed)


def test_marks_are_pushed_in_batches_and_stars_only_when_they_differ(
    server: MinifluxServer, data: MinifluxData, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(600):
        data.add_entry(11, f"bulk-{n}")
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_read([aid(server, i) for i in range(2, 604)])
    state.set_read([aid(server, 1)], read=False)
    state.set_starred([aid(server, 3)], True)
    state.toggle_starred(aid(server, 2))  # unstar
    state.close()
    data.entries[3].starred = True  # starred on the phone too, before the push
    server.log.clear()
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["pushed"] == 605
    puts = [f for method, path, f in server.log if method == "PUT" and path == "/v1/entries"]
    assert len(puts) <= 3 and sum(len(f["entry_ids"]) for f in puts) == 603
    toggles = [p for m, p, _f in server.log if p.endswith("/bookmark")]
    assert toggles == ["/v1/entries/2/bookmark"]  # entry 3 was starred already
    assert data.entries[1].status == "unread" and not data.entries[2].starred
    assert data.entries[3].starred
    assert all(data.entries[i].status == "read" for i in range(2, 604))
    assert store().pending_count() == 0


def test_user_and_password_work_too(
    data: MinifluxData, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSTUI_TEST_MINIFLUX", data.password)
    with miniflux_server(data) as running:
        configure(running.url, 'user = "reader"\npassword_env = "NEWSTUI_TEST_MINIFLUX"')
        assert run(capsys, "sync")[0] == 0
        assert len(articles()) == 3


def test_a_refused_token_is_one_line_and_never_shown(
    data: MinifluxData, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    script = tmp_path / "token.sh"
    script.write_text("#!/bin/sh\necho wrong-token-xyz\n")
    script.chmod(0o700)
    with miniflux_server(data) as running:
        configure(running.url, f'token_command = "{script}"')
        code, out, err = run(capsys, "sync", "--json")
        assert code == 1
        assert err == "sync: login refused by 127.0.0.1; check token_command\n"
        assert "wrong-token-xyz" not in out + err
        assert len(running.log) == 1  # no retry storm


def test_server_down_keeps_marks(
    server: MinifluxServer, data: MinifluxData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_read([aid(server, 3)])
    state.close()
    server.fail_status = 500
    code, _, err = run(capsys, "sync")
    assert code == 1 and "500" in err
    assert store().pending_count() == 1
    server.fail_status = None
    state = store()
    state.set_pref("sync.next_try", "1")  # as if the wait it asked for were over
    state.close()
    assert run(capsys, "sync")[0] == 0
    assert data.entries[3].status == "read" and store().pending_count() == 0
