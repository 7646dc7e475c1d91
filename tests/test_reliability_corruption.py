"""Damaged databases: the index is rebuilt silently; the reader state is moved aside (never
deleted) with a clear warning, and both faces still start.

Complements tests/test_state.py, which covers the StateStore side of the move-aside and the
v1 -> v2 state migration.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import warnings
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from app_fixtures import ARTICLES, write_library
from libhelpers import WriteFile
from newstui.cli import main
from newstui.core.config import Settings
from newstui.core.library import Library
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore
from newstui.tui.app import NewsApp

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from libraries import write_many
from tally import record

EXPECTED = len(ARTICLES)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_library(tmp_path / "articles", broken=False)


def build_index(folder: Path) -> Path:
    """A valid, populated index for `folder`; returns its path (closed)."""
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    assert library.refresh().problems == []
    assert library.count() == EXPECTED
    library.close()
    state.close()
    db = paths.index_db(folder)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # fold the WAL in: the bytes are the index
    conn.close()  # (a `with` block would leave it open, holding its locks)
    return db


def _root_page(db: Path, table: str) -> tuple[int, int]:
    with closing(sqlite3.connect(db)) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    return root, size


def _damage_table(db: Path, table: str) -> bytes:
    """The file with one table's root page overwritten: the header and `files` still read."""
    root, size = _root_page(db, table)
    data = bytearray(db.read_bytes())
    data[(root - 1) * size : root * size] = bytes((n * 37 + 11) % 256 for n in range(size))
    return bytes(data)


DAMAGE: dict[str, Callable[[Path], bytes]] = {
    "empty": lambda db: b"",
    "truncated": lambda db: db.read_bytes()[: db.stat().st_size // 3],
    "header only": lambda db: db.read_bytes()[:100],
    "garbage": lambda db: bytes((n * 7 + 3) % 256 for n in range(db.stat().st_size)),
    "garbage after the header": lambda db: db.read_bytes()[:100] + os.urandom(8192),
    "articles table damaged": lambda db: _damage_table(db, "articles"),
    "search table damaged": lambda db: _damage_table(db, "search_data"),
}


def damage(db: Path, how: str) -> None:
    data = DAMAGE[how](db)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    db.write_bytes(data)


def _exercise(library: Library) -> None:
    """Every read the faces make, once."""
    rows = library.page(0, 50)
    assert len(rows) == EXPECTED
    for row in rows:
        assert library.article(row.id) is not None
        library.related(row.id)
        assert library.index_of(row.id) is not None
    assert library.search("harbour")
    assert library.authors()
    assert library.problems() == []


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_index_is_rebuilt_silently(
    folder: Path, how: str, capfd: pytest.CaptureFixture[str]
) -> None:
    db = build_index(folder)
    damage(db, how)
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    state.set_read(["harbour-reopens"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        library = Library(folder, paths, state)
        summary = library.refresh()
        assert summary.problems == []
        assert library.count() == EXPECTED
        _exercise(library)
        row = library.row("harbour-reopens")
        assert row is not None and row.read  # the reader state is untouched by the rebuild
        library.close()
    assert state.warnings == []
    state.close()
    assert capfd.readouterr() == ("", "")
    assert not list(db.parent.glob("*.corrupt-*"))  # a cache: rebuilt, not kept
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    record(f"corruption: index {how}: rebuilt silently")


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_index_never_breaks_reads_before_the_refresh(folder: Path, how: str) -> None:
    """The TUI paints from the index before refreshing: a damaged one must read as empty
    (or as what survived), not raise."""
    db = build_index(folder)
    damage(db, how)
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    count = library.count()
    assert 0 <= count <= EXPECTED
    assert len(library.page(0, 50)) <= EXPECTED
    library.search("harbour")
    library.authors()
    library.close()
    state.close()
    record(f"corruption: index {how}: readable before the refresh")


@pytest.mark.parametrize("reads_first", [True, False], ids=["tui", "cli"])
@pytest.mark.parametrize("seed", range(3))
def test_damage_deep_inside_a_large_index_is_never_fatal_and_heals(
    tmp_path: Path, seed: int, reads_first: bool
) -> None:
    """Random pages (not only root pages) overwritten, as a torn write would leave them:
    reads never raise, and after one refresh every article is back. (The reader reads
    before its first refresh; the command line refreshes first.)"""
    folder = tmp_path / "many"
    write_many(folder, 120)
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    assert library.refresh().parsed == 120
    library.close()
    db = paths.index_db(folder)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(db.read_bytes())
    pages = len(data) // page_size
    rng = random.Random(seed)
    for page in rng.sample(range(1, pages), max(1, pages // 20)):  # never page 1: the header
        start = page * page_size + rng.randrange(page_size // 2)
        data[start : start + rng.randrange(64, page_size // 2)] = rng.randbytes(page_size // 2)
    db.write_bytes(bytes(data[: len(data)]))

    library = Library(folder, paths, state)
    reads = (
        lambda: library.count(),
        lambda: library.page(0, 200),
        lambda: library.search("harbour"),
        lambda: library.authors(),
        lambda: [library.article(row.id) for row in library.page(0, 200)],
    )
    for read in reads if reads_first else ():
        read()  # whatever it finds, it must not raise
    library.refresh()
    rows = library.page(0, 200)
    assert library.count() == len(rows) == 120, f"seed {seed}: not healed by one refresh"
    assert all(library.article(row.id) is not None for row in rows)
    assert len(library.search("harbour")) > 0
    library.close()
    state.close()
    record("corruption: index random deep pages: healed by one refresh")


def test_index_from_another_schema_version_is_rebuilt(folder: Path) -> None:
    db = build_index(folder)
    with closing(sqlite3.connect(db)) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("ALTER TABLE files RENAME TO files_before")  # an older layout
        conn.execute("CREATE TABLE files(path TEXT PRIMARY KEY, checked REAL)")
        conn.execute(f"PRAGMA user_version = {version - 1}")
        conn.commit()
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    assert library.count() == 0  # the stale index is gone before anything reads it
    summary = library.refresh()
    assert (summary.parsed, summary.problems) == (EXPECTED, [])
    _exercise(library)
    library.close()
    state.close()
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    record("corruption: index from another schema version: rebuilt")


def test_index_that_is_not_ours_is_rebuilt(folder: Path) -> None:
    db = AppPaths.default().index_db(folder)
    db.parent.mkdir(parents=True)
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE something_else(x)")
        conn.execute("INSERT INTO something_else VALUES (1)")
        conn.commit()
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    assert library.refresh().parsed == EXPECTED
    _exercise(library)
    library.close()
    state.close()
    record("corruption: foreign index file: rebuilt")


# -- the reader-state database, through the faces ---------------------------------------------

STATE_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda good: b"",
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: bytes(range(256)) * 40,
    "garbage after the header": lambda good: good[:100] + bytes(range(256)) * 40,
}


def damage_state(how: str) -> tuple[Path, bytes]:
    """A damaged state db at the user's path; returns (path, the bad bytes)."""
    db = AppPaths.default().state_db
    store = StateStore(db)
    store.set_read([f"id-{n}" for n in range(1_500)])  # several pages, so truncation bites
    store.close()
    bad = STATE_DAMAGE[how](db.read_bytes())
    db.write_bytes(bad)
    return db, bad


def moved_aside(db: Path, bad: bytes) -> list[Path]:
    found = sorted(db.parent.glob(f"{db.name}.corrupt-*"))
    main = [path for path in found if not path.name.endswith(("-wal", "-shm"))]
    assert [path.read_bytes() for path in main] == [bad], "the damaged file must be kept as is"
    return main


@pytest.mark.parametrize("how", list(STATE_DAMAGE))
def test_cli_warns_and_works_after_moving_a_damaged_state_db_aside(
    how: str, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    db, bad = damage_state(how)
    fresh = write_file("fresh.txt", "Fresh Story\nA standfirst.\nfresh-id\n\nThe text of it.\n")
    assert main(["mark-read", str(fresh)]) == 0
    out, err = capsys.readouterr()
    assert out == "marked 1 article read\n"
    (moved,) = moved_aside(db, bad)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newstui: warning: ")
    assert str(db) in lines[0] and str(moved) in lines[0] and "moved aside" in lines[0]
    store = StateStore(db)
    assert store.get("fresh-id").read and store.warnings == []
    store.close()
    assert main(["state"]) == 0
    assert capsys.readouterr().err == ""  # warned once, not every time
    record(f"corruption: state {how}: moved aside, CLI warned and worked")


def test_cli_library_commands_work_after_moving_a_damaged_state_db_aside(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, bad = damage_state("garbage")
    assert main(["list", str(folder), "--json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == EXPECTED
    assert "moved aside" in err and len(moved_aside(db, bad)) == 1
    record("corruption: state garbage: moved aside, `list` worked")


async def _settle(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete([w for w in app.workers if w.group != "watch"])
    await pilot.pause()


@pytest.mark.parametrize("how", ["garbage", "truncated"])
async def test_app_starts_and_notifies_after_moving_a_damaged_state_db_aside(
    folder: Path, how: str
) -> None:
    db, bad = damage_state(how)
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(pilot)
        (moved,) = moved_aside(db, bad)
        notes = [n for n in app._notifications if "moved aside" in n.message]
        assert len(notes) == 1 and notes[0].severity == "warning"
        assert str(db) in notes[0].message and str(moved) in notes[0].message
        assert app.library.count() == EXPECTED
        await pilot.press("s", "m")
        await _settle(pilot)
        assert app.is_running
    store = StateStore(db)
    assert store.get("harbour-reopens").read and store.get("harbour-reopens").starred
    store.close()
    record(f"corruption: state {how}: moved aside, app started and warned")


@pytest.mark.parametrize("how", ["articles table damaged", "garbage"])
async def test_app_starts_on_a_damaged_index(folder: Path, how: str) -> None:
    damage(build_index(folder), how)
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(pilot)
        assert app.is_running
        assert app.library.count() == EXPECTED
        assert [n.message for n in app._notifications if n.severity == "error"] == []
    record(f"corruption: index {how}: app started")
