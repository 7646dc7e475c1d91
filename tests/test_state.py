"""Reader state: survives reopen, merges imports, recovers from corruption, upgrades, shares."""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from libhelpers import run_together
from newstui.core.paths import AppPaths
from newstui.core.state import db as state_db
from newstui.core.state.store import SCHEMA_VERSION, ArticleState, StateError, StateStore

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[StateStore]:
    opened = StateStore(db)
    yield opened
    opened.close()


def test_fresh_store_is_empty_wal_and_current(store: StateStore, db: Path) -> None:
    assert store.warnings == []
    assert store.get("nope") == ArticleState("nope", None, False, 0.0, 0)
    assert not store.get("nope").read
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_state_survives_reopen(db: Path) -> None:
    first = StateStore(db)
    first.set_read(["a", "b"])
    first.set_starred(["b", "c"], True)
    first.set_position("a", 0.4, 7)
    first.set_last_opened("/lib", "c")
    first.set_pref("theme", "nord")
    before = first.get_many(["a", "b", "c", "d"])
    first.close()

    second = StateStore(db)
    assert second.get_many(["a", "b", "c", "d"]) == before
    assert before["a"].read and not before["a"].starred
    assert before["a"].position == 0.4 and before["a"].block == 7
    assert before["b"].read and before["b"].starred
    assert before["c"].starred and not before["c"].read
    assert before["d"] == ArticleState("d")
    assert second.last_opened("/lib") == "c"
    assert second.pref("theme") == "nord"
    assert second.warnings == []
    second.close()


def test_toggles_flip_and_return_the_new_value(store: StateStore) -> None:
    assert store.toggle_read("x") is True
    assert store.get("x").read
    assert store.toggle_read("x") is False
    assert not store.get("x").read
    assert store.toggle_starred("x") is True
    assert store.toggle_starred("x") is False
    assert store.get("x") == ArticleState("x")


def test_marking_read_again_keeps_the_first_read_time(store: StateStore) -> None:
    store.set_read(["x"])
    first = store.get("x").read_at
    store.set_read(["x", "x"])
    assert store.get("x").read_at == first
    store.set_read(["x"], read=False)
    assert store.get("x").read_at is None


def test_marks_leave_the_other_fields_alone(store: StateStore) -> None:
    store.set_position("x", 0.5, 3)
    store.set_starred(["x"], True)
    store.set_read(["x"])
    store.set_starred(["x"], False)
    state = store.get("x")
    assert (state.read, state.starred, state.position, state.block) == (True, False, 0.5, 3)


@pytest.mark.parametrize(
    ("position", "block", "expected"),
    [(0.25, 2, (0.25, 2)), (1.5, 4, (1.0, 4)), (-0.5, -3, (0.0, 0)), (math.nan, 1, (0.0, 1))],
)
def test_positions_are_clamped(
    store: StateStore, position: float, block: int, expected: tuple[float, int]
) -> None:
    store.set_read(["x"])
    store.set_position("x", position, block)
    state = store.get("x")
    assert (state.position, state.block) == expected
    assert state.read  # saving a position never unmarks


def test_get_many_covers_every_id_even_past_the_parameter_limit(store: StateStore) -> None:
    ids = [f"id-{n}" for n in range(1_234)]
    store.set_read(ids[::2])
    states = store.get_many([*ids, "id-0"])
    assert list(states) == ids
    assert [states[i].read for i in ids] == [n % 2 == 0 for n in range(1_234)]


def test_last_opened_is_per_library(store: StateStore) -> None:
    assert store.last_opened("/one") is None
    store.set_last_opened("/one", "a")
    store.set_last_opened("/two", "b")
    store.set_last_opened("/one", "c")
    assert (store.last_opened("/one"), store.last_opened("/two")) == ("c", "b")


def test_prefs_remember_the_latest_value(store: StateStore) -> None:
    assert store.pref("sort") is None
    store.set_pref("sort", "date")
    store.set_pref("sort", "title")
    assert store.pref("sort") == "title"


def test_threads_sharing_one_store_lose_nothing(store: StateStore) -> None:
    def work(tag: str) -> None:
        for n in range(50):
            store.set_read([f"{tag}-{n}"])
            store.toggle_starred("shared")

    threads = [threading.Thread(target=work, args=(f"t{k}",)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [f"t{k}-{n}" for k in range(4) for n in range(50)]
    assert all(state.read for state in store.get_many(ids).values())
    assert store.get("shared").starred is False  # 200 toggles: none lost


# -- export and import -------------------------------------------------------------------


def test_export_import_round_trip_into_a_fresh_user_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = StateStore(AppPaths.default().state_db)
    here.set_read(["a", "b"])
    here.set_starred(["b"], True)
    here.set_position("a", 0.75, 12)
    here.set_last_opened("/lib", "a")
    exported = json.loads(json.dumps(here.export_data()))
    here.close()
    assert exported["format"] == "newstui-state" and exported["version"] == 1
    assert [item["id"] for item in exported["articles"]] == ["a", "b"]

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    there = StateStore(AppPaths.default().state_db)
    assert there.path != here.path
    assert there.import_data(exported) == 2
    again = there.export_data()
    assert again["articles"] == exported["articles"]
    assert again["last_opened"] == exported["last_opened"]
    assert there.get("a") == ArticleState("a", exported["articles"][0]["read_at"], False, 0.75, 12)
    assert there.import_data(exported) == 0  # importing twice changes nothing
    there.close()


def _record(article_id: str, updated_at: float, **fields: object) -> dict[str, object]:
    return {"id": article_id, "updated_at": updated_at, **fields}


def _document(*articles: object, opened: list[object] | None = None) -> object:
    return {"format": "newstui-state", "version": 1, "articles": list(articles),
            "last_opened": opened or []}  # fmt: skip


def test_import_newer_record_wins_as_a_whole(store: StateStore) -> None:
    store.set_read(["old-here", "new-here"])
    store.set_starred(["old-here"], True)
    now = store.export_data()["articles"][0]["updated_at"]
    changed = store.import_data(
        _document(
            _record("old-here", now + 100, read_at=None, starred=False, position=0.2, block=1),
            _record("new-here", now - 100, read_at=None, starred=True),
            _record("only-there", now - 100, read_at=5.0),
        )
    )
    assert changed == 2
    # a later unread and unstar elsewhere sticks; an older record does not undo a newer one
    assert store.get("old-here") == ArticleState("old-here", None, False, 0.2, 1)
    assert store.get("new-here").read and not store.get("new-here").starred
    assert store.get("only-there") == ArticleState("only-there", 5.0)


def test_import_tie_keeps_the_union(store: StateStore) -> None:
    store.import_data(_document(_record("x", 50.0, read_at=20.0, position=0.5, block=4)))
    changed = store.import_data(_document(_record("x", 50.0, read_at=10.0, starred=True)))
    assert changed == 1
    assert store.get("x") == ArticleState("x", 10.0, True, 0.5, 4)


def test_import_last_opened_newer_wins(store: StateStore) -> None:
    store.set_last_opened("/lib", "mine")
    store.import_data(
        _document(opened=[{"library": "/lib", "article_id": "old", "updated_at": 1.0}])
    )
    assert store.last_opened("/lib") == "mine"
    store.import_data(
        _document(opened=[{"library": "/lib", "article_id": "new", "updated_at": 4e9}])
    )
    assert store.last_opened("/lib") == "new"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "not a newstui state export"),
        ({"format": "other"}, "not a newstui state export"),
        ({"format": "newstui-state", "version": 99}, "unsupported export version 99"),
        ({"format": "newstui-state", "version": "1"}, "unsupported export version '1'"),
        ({"format": "newstui-state", "version": 1, "articles": {}}, "must be lists"),
        (_document({"updated_at": 1.0}), 'articles[0]: "id" must be a non-empty string'),
        (_document(_record("a", 1.0), "nope"), "articles[1]: expected an object"),
        (_document(_record("a", math.nan)), 'articles[0]: "updated_at" must be a number'),
        (_document(_record("a", 1.0, starred="yes")), '"starred" must be true or false'),
        (_document(_record("a", 1.0, read_at=True)), '"read_at" must be a number'),
        (_document(opened=[{"library": "/l"}]), 'last_opened[0]: "article_id" must be'),
    ],
)
def test_import_rejects_bad_documents_before_writing(
    store: StateStore, document: object, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        store.import_data(document)
    assert message in str(raised.value)
    assert store.export_data()["articles"] == []


def test_import_writes_nothing_when_any_record_is_bad(store: StateStore) -> None:
    with pytest.raises(ValueError, match=r"articles\[1\]: expected an object"):
        store.import_data(_document(_record("first", 1.0, read_at=1.0), "garbage"))
    assert store.export_data()["articles"] == []  # nothing half-imported


# -- corruption, upgrade, newer files ------------------------------------------------------


def _valid_database_bytes(db: Path) -> bytes:
    filled = StateStore(db)
    filled.set_read([f"id-{n}" for n in range(2_000)])
    filled.close()
    data = db.read_bytes()
    db.unlink()
    return data


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_corrupt_database_is_moved_aside_never_deleted(db: Path, damage: str) -> None:
    damaged: dict[str, Callable[[], bytes]] = {
        "truncated": lambda: _valid_database_bytes(db)[:20_000],
        "garbage": lambda: bytes(range(256)) * 64,
        "empty": lambda: b"",
    }
    data = damaged[damage]()
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(data)
    (db.parent / (db.name + "-wal")).write_bytes(b"wal bytes")

    store = StateStore(db)
    moved = sorted(db.parent.glob("state.sqlite3.corrupt-*"))  # SQLite may have added a -shm
    assert moved[0].name.startswith("state.sqlite3.corrupt-2")
    assert moved[0].read_bytes() == data  # the old file, untouched
    assert moved[0].with_name(moved[0].name + "-wal").read_bytes() == b"wal bytes"
    assert {path.name for path in moved} <= {moved[0].name + s for s in ("", "-wal", "-shm")}
    assert len(store.warnings) == 1
    assert str(db) in store.warnings[0] and str(moved[0]) in store.warnings[0]
    assert "moved aside" in store.warnings[0]
    store.set_read(["after"])
    store.close()
    reopened = StateStore(db)
    assert reopened.get("after").read and reopened.warnings == []
    reopened.close()


def test_a_second_recovery_gets_its_own_name(db: Path) -> None:
    db.parent.mkdir(parents=True)
    for _ in range(2):
        db.write_bytes(b"not a database at all" * 100)
        StateStore(db).close()
    assert len(list(db.parent.glob("state.sqlite3.corrupt-*"))) == 2


def test_orphan_wal_without_its_database_is_moved_aside_not_replayed(db: Path) -> None:
    db.parent.mkdir(parents=True)
    (db.parent / "state.sqlite3-wal").write_bytes(b"stale")
    store = StateStore(db)
    assert [p.read_bytes() for p in db.parent.glob("state.sqlite3-wal.orphan-*")] == [b"stale"]
    store.close()


def make_v1_database(path: Path) -> None:
    """Schema version 1 as it was: no `block` column, no `prefs` table (rollback journal)."""
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE article_state(article_id TEXT PRIMARY KEY, read_at REAL,
            starred INTEGER NOT NULL DEFAULT 0, position REAL NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL);
        CREATE TABLE last_opened(library TEXT PRIMARY KEY, article_id TEXT NOT NULL,
            updated_at REAL NOT NULL);
        INSERT INTO article_state VALUES ('read-one', 1700000000.0, 0, 0.0, 1700000000.0);
        INSERT INTO article_state VALUES ('starred-one', NULL, 1, 0.6, 1700000100.0);
        INSERT INTO last_opened VALUES ('/home/reader/news', 'starred-one', 1700000100.0);
        PRAGMA user_version = 1;
        """
    )
    conn.close()


def _assert_v1_data_migrated(db: Path) -> None:
    store = StateStore(db)
    assert store.warnings == []
    assert store.get("read-one") == ArticleState("read-one", 1700000000.0, False, 0.0, 0)
    assert store.get("starred-one") == ArticleState("starred-one", None, True, 0.6, 0)
    assert store.last_opened("/home/reader/news") == "starred-one"
    store.set_position("starred-one", 0.7, 5)  # the new column and table work
    store.set_pref("theme", "mono")
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert StateStore(db).get("starred-one").block == 5


def test_version_1_database_migrates_keeping_its_data(db: Path) -> None:
    db.parent.mkdir(parents=True)
    make_v1_database(db)
    _assert_v1_data_migrated(db)


def test_kept_version_1_fixture_migrates(db: Path) -> None:
    fixture = FIXTURES / "state_v1.sqlite3"
    db.parent.mkdir(parents=True)
    shutil.copyfile(fixture, db)
    _assert_v1_data_migrated(db)
    assert sqlite3.connect(fixture).execute("PRAGMA user_version").fetchone()[0] == 1


def test_newer_schema_is_used_as_is_with_a_warning(db: Path) -> None:
    StateStore(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE article_state ADD COLUMN future TEXT")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = StateStore(db)
    assert "newer newstui" in store.warnings[0]
    store.set_read(["x"])
    assert store.get("x").read
    store.close()
    assert not list(db.parent.glob("*.corrupt-*"))


def test_newer_schema_we_cannot_read_is_an_error_not_a_move(db: Path) -> None:
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE article_state_v9(x)")
        conn.execute("PRAGMA user_version = 9")
    with pytest.raises(StateError, match="newer newstui"):
        StateStore(db)
    assert db.exists() and not list(db.parent.glob("*.corrupt-*"))


# -- sharing between processes -----------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from newstui.core.state.store import StateStore

path, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = StateStore(path)
print("ready", flush=True)
sys.stdin.readline()
for n in range(count):
    if n % 2:
        store.set_starred([f"{tag}-{n}"], True)
    else:
        store.set_read([f"{tag}-{n}"])
    store.toggle_read("shared")
store.close()
print("done", count, flush=True)
"""


def test_two_processes_writing_at_once_lose_nothing(db: Path) -> None:
    count = 200
    commands = [[sys.executable, "-c", WRITER, str(db), tag, str(count)] for tag in ("a", "b")]
    results = run_together(commands, timeout=60)  # both race to create the database too
    assert [code for code, _, _ in results] == [0, 0], results
    assert [out for _, out, _ in results] == [f"done {count}\n"] * 2
    assert [err for _, _, err in results] == ["", ""]

    store = StateStore(db)
    states = store.get_many(f"{tag}-{n}" for tag in "ab" for n in range(count))
    assert sum(s.read for s in states.values()) == count  # the even ones of each writer
    assert sum(s.starred for s in states.values()) == count  # the odd ones
    assert all(s.read != s.starred for s in states.values())
    assert store.get("shared").read is False  # 400 toggles, none lost
    assert store.warnings == [] and not list(db.parent.glob("*.corrupt-*"))
    store.close()


def test_a_held_write_lock_is_waited_out_not_reported(
    store: StateStore, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store._conn.execute("PRAGMA busy_timeout = 0")  # SQLite gives up at once: our loop retries
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.2, other.execute, args=("COMMIT",))
    release.start()
    store.set_read(["x"])  # blocked until the other writer commits
    release.join()
    assert store.get("x").read
    other.close()


def test_a_lock_held_too_long_is_a_clear_error(
    store: StateStore, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_db, "LOCK_PATIENCE", 0.05)
    store._conn.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StateError, match="busy") as raised:
        store.set_read(["x"])
    assert str(db) in str(raised.value) and "locked" not in str(raised.value)
    other.execute("ROLLBACK")
    store.set_read(["x"])  # usable again afterwards
    assert store.get("x").read
    other.close()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores modes")
def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(StateError, match="locked"):
        StateStore(locked / "sub" / "state.sqlite3")
