"""`newstui sync` against a loopback Google Reader API server (tests/greaderserver.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from greaderserver import READ, STARRED, GReaderData, GReaderServer, greader_server, tag_id
from newstui.cli import main
from newstui.core.fetch.subscriptions import load_subscriptions, subscriptions_file
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore
from newstui.core.sync import greader
from newstui.core.sync.articles import item_article_id
from newstui.core.sync.greader import decimal_id

PASSWORD = "api-pass"


@pytest.fixture
def data() -> GReaderData:
    data = GReaderData(password=PASSWORD)
    data.feeds = {
        1: ("Harbour Gazette", "https://gazette.test/feed.xml", "World"),
        2: ("Valley Notes", "https://valley.test/rss", None),
    }
    data.add_item(1, "ferry-timetable", read=True)
    data.add_item(1, "lighthouse-repaint", starred=True)
    data.add_item(2, "orchard-frost", author="Ana Vale")
    return data


@pytest.fixture
def server(data: GReaderData, monkeypatch: pytest.MonkeyPatch) -> Iterator[GReaderServer]:
    monkeypatch.setenv("NEWSTUI_TEST_GREADER", PASSWORD)
    with greader_server(data) as running:
        configure(running.url)
        yield running


def configure(url: str) -> None:
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[sync]\nservice = "greader"\nurl = "{url}"\nuser = "reader"\n'
        'password_env = "NEWSTUI_TEST_GREADER"\n',
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
    return found


def store() -> StateStore:
    return StateStore(AppPaths.default().state_db, outbox=True)


def ids(data: GReaderData) -> list[int]:
    return list(data.items)


def aid(server: GReaderServer, item_id: int) -> str:
    return item_article_id(server.url, str(item_id))


def test_both_item_id_forms_are_one_id() -> None:
    item_id = 1_700_000_001_000_002
    assert decimal_id(tag_id(item_id)) == decimal_id(str(item_id)) == str(item_id)
    assert decimal_id("tag:google.com,2005:reader/item/zz") is None
    assert decimal_id("-5") is None


def test_first_sync_brings_feeds_articles_and_marks(
    server: GReaderServer, data: GReaderData, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "sync", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["new_items"], report["new_feeds"], report["pending"]) == (3, 2, 0)
    first, second, third = ids(data)
    found = articles()
    assert set(found) == {aid(server, i) for i in ids(data)}
    assert found[aid(server, first)]["url"] == "https://site.test/ferry-timetable"
    assert found[aid(server, first)]["feed"] == "https://gazette.test/feed.xml"
    assert found[aid(server, third)]["authors"] == ["Ana Vale"]
    feeds = load_subscriptions(subscriptions_file(AppPaths.default().config_dir)).subscriptions
    assert {(f.name, f.category) for f in feeds} == {
        ("Harbour Gazette", "World"),
        ("Valley Notes", None),
    }
    state = store()
    assert state.get(aid(server, first)).read and not state.get(aid(server, second)).read
    assert state.get(aid(server, second)).starred
    login = server.requests_to("/accounts/ClientLogin")
    assert len(login) == 1 and ("Email", "reader") in login[0]


def test_incremental_pulls_page_by_continuation_and_fetch_only_what_is_new(
    server: GReaderServer,
    data: GReaderData,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(greader, "IDS_PAGE", 25)
    monkeypatch.setattr(greader, "CONTENTS_BATCH", 10)
    assert run(capsys, "sync")[0] == 0
    for n in range(60):  # several pages
        data.add_item(2, f"note-{n}")
    data.items[ids(data)[2]].read = True  # read on the phone
    server.log.clear()
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["new_items"] == 60
    assert len(articles()) == 63
    assert store().get(aid(server, ids(data)[2])).read
    pages = server.requests_to("/stream/items/ids")
    new_pages = [
        dict(p) for p in pages if dict(p)["s"].endswith("reading-list") and "xt" not in dict(p)
    ]
    assert all(p["r"] == "o" for p in new_pages)
    assert new_pages[0]["ot"] == "1700000003"  # added since the newest item of the last sync
    assert any("c" in p for p in new_pages)  # continued
    sent = [len([k for k, _ in f if k == "i"]) for f in server.requests_to("/items/contents")]
    assert sum(sent) <= 63 and max(sent) == 10  # (the newest second again, and what is new)
    server.log.clear()
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["new_items"] == 0
    assert len(articles()) == 63
    assert len(server.log) <= 8  # nothing new: a handful of small requests


def test_marks_are_pushed_in_batches_with_the_write_token(
    server: GReaderServer,
    data: GReaderData,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for n in range(600):
        data.add_item(2, f"bulk-{n}")
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_read([aid(server, i) for i in ids(data)[2:]])  # 601 unread made read
    state.set_read([aid(server, ids(data)[0])], read=False)
    state.toggle_starred(aid(server, ids(data)[1]))  # unstar
    state.close()
    server.log.clear()
    code, out, _ = run(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["pushed"] == 603
    requests = server.requests_to("/edit-tag")
    edits = [dict(fields) for fields in requests]
    sizes = [len([key for key, _ in fields if key == "i"]) for fields in requests]
    assert len(edits) <= 4  # 603 marks: a few requests, not 603
    assert all(e["T"] == server.token() for e in edits)
    assert {(e.get("a"), e.get("r")) for e in edits} == {
        (READ, None),
        (None, READ),
        (None, STARRED),
    }
    assert sum(sizes) == 603
    items = list(data.items.values())
    assert not items[0].read and not items[1].starred and all(i.read for i in items[2:])
    assert store().pending_count() == 0


def test_a_stale_write_token_is_fetched_again_once(
    server: GReaderServer, data: GReaderData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_starred([aid(server, ids(data)[2])], True)
    state.close()
    server.log.clear()
    real = GReaderServer.token
    calls = {"n": 0}

    def rotating(self: GReaderServer) -> str:  # the token changes after it was handed out
        calls["n"] += 1
        self.token_generation = 1 if calls["n"] > 1 else 0
        return real(self)

    server.token = rotating.__get__(server)  # type: ignore[method-assign]
    server.token_generation = 0
    code, _, err = run(capsys, "sync")
    assert (code, err) == (0, "")
    assert len(server.requests_to("/reader/api/0/token")) == 2
    assert data.items[ids(data)[2]].starred


def test_server_down_keeps_marks_and_says_so(
    server: GReaderServer, data: GReaderData, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "sync")[0] == 0
    state = store()
    state.set_read([aid(server, ids(data)[2])])
    state.close()
    server.fail_status = 502
    code, _, err = run(capsys, "sync")
    assert code == 1 and "502" in err
    assert json.loads(run(capsys, "sync", "status", "--json")[1])["pending"] == 1
    server.fail_status = None
    state = store()
    state.set_pref("sync.next_try", "1")  # as if the wait it asked for were over
    state.close()
    assert run(capsys, "sync")[0] == 0
    assert data.items[ids(data)[2]].read and store().pending_count() == 0


def test_a_refused_login_is_one_line_without_the_password(
    server: GReaderServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSTUI_TEST_GREADER", "not-the-" + PASSWORD)
    code, out, err = run(capsys, "sync", "--json")
    assert code == 1
    assert err == "sync: login refused by 127.0.0.1; check user and password_env\n"
    assert PASSWORD not in out + err
    assert len(server.log) == 1  # no retry storm


def test_two_homes_against_one_server_converge(
    server: GReaderServer,
    data: GReaderData,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    import os

    homes = [tmp_path_factory.mktemp(name) for name in ("laptop", "phone")]

    def use(home: object) -> None:
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            monkeypatch.setenv(variable, os.path.join(str(home), variable.lower()))
        configure(server.url)

    for home in homes:
        use(home)
        assert run(capsys, "sync")[0] == 0
    use(homes[0])
    state = store()
    state.set_read([aid(server, ids(data)[2])])
    state.set_starred([aid(server, ids(data)[0])], True)
    state.close()
    assert run(capsys, "sync")[0] == 0
    use(homes[1])
    assert run(capsys, "sync")[0] == 0
    state = store()
    assert state.get(aid(server, ids(data)[2])).read
    assert state.get(aid(server, ids(data)[0])).starred


@pytest.mark.parametrize(("status", "retry_after", "wait"), [(429, "120", 120), (503, None, 30)])
def test_a_busy_server_is_left_alone_until_the_time_it_is_told(
    server: GReaderServer,
    capsys: pytest.CaptureFixture[str],
    status: int,
    retry_after: str | None,
    wait: int,
) -> None:
    import time
    from datetime import datetime

    server.fail_status, server.retry_after = status, retry_after
    before = time.time()
    code, out, err = run(capsys, "sync", "--json")
    report = json.loads(out)
    assert code == 1 and str(status) in err and "next try at" in err
    next_try = datetime.fromisoformat(report["next_try"].replace("Z", "+00:00")).timestamp()
    assert before + wait - 2 <= next_try <= time.time() + wait + 1
    for _ in range(3):  # no retry storm: nothing is sent before then
        assert run(capsys, "sync")[0] == 1
    assert len(server.log) == 1
    code, out, _ = run(capsys, "sync", "status")
    assert "next try: not before" in out
    server.fail_status = None
    state = store()
    state.set_pref("sync.next_try", "1")
    state.close()
    assert run(capsys, "sync")[0] == 0
    assert "next try" not in run(capsys, "sync", "status")[1]


def test_back_off_doubles_up_to_its_cap() -> None:
    from newstui.core.sync.adapter import retry_after
    from newstui.core.sync.engine import MAX_BACKOFF, backoff

    assert [backoff(n, None) for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(40, None) == MAX_BACKOFF and backoff(9, 5.0) == 5.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # (a date gone by)
    assert retry_after("soon") is None and retry_after("99999999") == 6 * 3600
