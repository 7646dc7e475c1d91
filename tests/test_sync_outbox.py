"""Sync part 1: the [sync] settings, the password never shown, and the outbox of marks."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from newstui.core.config import settings_from
from newstui.core.state.store import SCHEMA_VERSION, StateStore
from newstui.core.sync.settings import SyncSettingError, obtain_secret, sync_settings_from

GOOD = {
    "service": "fever",
    "url": "https://rss.home.test/api/fever.php",
    "user": "reader@home.test",
    "password_env": "NEWSTUI_TEST_SYNC_SECRET",
}


# -- settings --------------------------------------------------------------------------


def test_a_good_sync_table_is_read() -> None:
    loaded = settings_from({"sync": GOOD})
    assert loaded.warnings == []
    sync = loaded.settings.sync
    assert sync is not None and sync.service == "fever" and sync.host == "rss.home.test"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"service": "newsblur"}, "sync.service"),
        ({"url": "ftp://rss.home.test/"}, "sync.url"),
        ({"url": "https://me:pw@rss.home.test/"}, "sync.url"),
        ({"user": None}, "sync.user"),
        ({"password_env": None}, "password_command, password_env"),
        ({"password_command": "pass show rss"}, "exactly one"),
        ({"colour": "red"}, "sync.colour"),
        ({"user": 7}, "sync.user"),
        ({"password_env": None, "token_command": "pass x"}, "sync.token_command"),
    ],
)
def test_a_bad_sync_setting_is_named(change: dict[str, object], named: str) -> None:
    table = {**GOOD, **change}
    table = {key: value for key, value in table.items() if value is not None}
    loaded = settings_from({"sync": table}, "config.toml")
    assert loaded.settings.sync is None
    assert len(loaded.warnings) == 1
    assert named in loaded.warnings[0] and "sync is off" in loaded.warnings[0]


def test_miniflux_may_use_a_token_command_without_a_user() -> None:
    table = {"service": "miniflux", "url": "http://10.0.0.2:8080", "token_command": "pass mf"}
    assert sync_settings_from(table).token_command == "pass mf"


def test_the_password_comes_from_the_command_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSTUI_TEST_SYNC_SECRET", "hunter2-env")
    assert obtain_secret(sync_settings_from(GOOD)) == "hunter2-env"
    command = f"{sys.executable} -c \"print('hunter2-cmd'); print('second line')\""
    table = {**GOOD, "password_env": None, "password_command": command}
    del table["password_env"]
    assert obtain_secret(sync_settings_from(table)) == "hunter2-cmd"


def test_a_failing_or_slow_password_command_never_shows_its_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEWSTUI_TEST_SYNC_SECRET", raising=False)
    with pytest.raises(SyncSettingError, match="NEWSTUI_TEST_SYNC_SECRET is not set"):
        obtain_secret(sync_settings_from(GOOD))
    base = {key: value for key, value in GOOD.items() if key != "password_env"}
    failing = f"{sys.executable} -c \"import sys; print('hunter2-out'); sys.exit(3)\""
    with pytest.raises(SyncSettingError) as failed:
        obtain_secret(sync_settings_from({**base, "password_command": failing}))
    assert "exit status 3" in str(failed.value) and "hunter2" not in str(failed.value)
    slow = f'{sys.executable} -c "import time; time.sleep(5)"'
    with pytest.raises(SyncSettingError, match="no answer within"):
        obtain_secret(sync_settings_from({**base, "password_command": slow}), timeout=0.3)
    with pytest.raises(SyncSettingError, match="cannot run"):
        obtain_secret(sync_settings_from({**base, "password_command": "/nonexistent/pw"}))


# -- outbox ----------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    store = StateStore(tmp_path / "state.sqlite3", outbox=True)
    store.add_sync_items("fever", [("a1", "101"), ("a2", "102"), ("a3", "103")])
    return store


def _pending(store: StateStore) -> set[tuple[str, str, bool]]:
    return {(m.remote_id, m.field, m.value) for m in store.pending_marks("fever")}


def test_a_mark_on_a_server_article_is_queued_with_it(store: StateStore) -> None:
    store.set_read(["a1", "a2", "local-only"])
    store.toggle_starred("a3")
    assert _pending(store) == {
        ("101", "read", True),
        ("102", "read", True),
        ("103", "starred", True),
    }
    assert store.pending_count() == 3
    assert store.get("local-only").read  # marked, but nothing to send for it


def test_an_undo_before_sending_cancels_the_mark(store: StateStore) -> None:
    store.set_read(["a1"])
    store.set_read(["a1"], read=False)
    store.toggle_starred("a2")
    store.toggle_starred("a2")
    store.set_starred(["a3"], True)
    store.set_position("a3", 0.5, 2)  # not a mark: changes nothing queued
    assert _pending(store) == {("103", "starred", True)}
    store.set_starred(["a3"], False)
    assert _pending(store) == set() and store.pending_count() == 0


def test_without_sync_nothing_is_queued(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite3")
    store.add_sync_items("fever", [("a1", "101")])
    store.set_read(["a1"])
    assert store.pending_count() == 0


def test_the_mark_and_its_outbox_row_are_one_transaction(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newstui.core.state import outbox

    def broken(*_: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(outbox, "_save", broken)
    with pytest.raises(sqlite3.OperationalError):
        store.set_read(["a1"])
    assert not store.get("a1").read  # the mark was rolled back with its outbox row


def test_settling_keeps_a_mark_made_while_sending(store: StateStore) -> None:
    store.set_read(["a1", "a2"])
    sent = store.pending_marks("fever")
    store.set_read(["a1"], read=False)  # made while the batch was on its way
    store.settle_marks(sent)
    assert _pending(store) == {("101", "read", False)}  # the server has it read now
    store.set_read(["a1"])  # and back: the server has that already
    assert _pending(store) == set()


def test_a_pull_never_overwrites_a_pending_mark(store: StateStore) -> None:
    store.set_read(["a1"])
    changed = store.apply_remote_marks({"a1": (False, True), "a2": (True, False)})
    assert store.get("a1").read and store.get("a1").starred  # read kept, star taken
    assert store.get("a2").read
    assert changed == 2
    assert _pending(store) == {("101", "read", True)}
    # the server already has a pending value: nothing left to send
    store.apply_remote_marks({"a1": (True, True)})
    assert _pending(store) == set()


def test_a_version_2_database_gains_the_outbox_and_keeps_its_data(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(
            """
            CREATE TABLE article_state(article_id TEXT PRIMARY KEY, read_at REAL,
                starred INTEGER NOT NULL DEFAULT 0, position REAL NOT NULL DEFAULT 0,
                updated_at REAL NOT NULL, block INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE last_opened(library TEXT PRIMARY KEY, article_id TEXT NOT NULL,
                updated_at REAL NOT NULL);
            CREATE TABLE prefs(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO article_state VALUES ('old', 1700000000.0, 1, 0.25, 1700000000.0, 3);
            INSERT INTO prefs VALUES ('theme', 'mono');
            PRAGMA user_version = 2;
            """
        )
    store = StateStore(db, outbox=True)
    assert store.warnings == []
    assert store.get("old").starred and store.get("old").block == 3
    assert store.pref("theme") == "mono"
    store.add_sync_items("fever", [("old", "7")])
    store.set_starred(["old"], False)
    assert _pending(store) == {("7", "starred", False)}
    store.close()
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
