"""Reader state: read/unread, stars, reading positions, last opened article, remembered prefs.

User data, never rebuilt: a SQLite file under the user data dir (`AppPaths.state_db`), separate
from the index, keyed by article id so renaming or moving a file keeps its state. Every write is
one transaction; the file handling (WAL, busy retries, migrations, moving a corrupt file aside)
lives in `newstui.core.state.db`. Pure Python + sqlite3; any method may be called from any thread.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from newstui.core.sqlite import Begin, transaction
from newstui.core.state import outbox as _outbox
from newstui.core.state.db import (
    MIGRATIONS,
    SCHEMA_VERSION,
    StateError,
    WriterTurns,
    lock_path,
    open_database,
    retrying,
)
from newstui.core.state.outbox import Marks, PendingMark, queue_marks

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "ArticleState", "StateError", "StateStore"]

EXPORT_FORMAT = "newstui-state"
EXPORT_VERSION = 1  # version of the JSON document, independent of the schema version
_CHUNK = 500  # ids per statement, under SQLite's host-parameter limit

T = TypeVar("T")

_Row = tuple[str, float | None, int, float, int, float]  # as stored in article_state
_COLUMNS = "article_id, read_at, starred, position, block, updated_at"
_UPSERT = (
    f"INSERT INTO article_state({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(article_id) DO UPDATE SET read_at = excluded.read_at, "
    "starred = excluded.starred, position = excluded.position, block = excluded.block, "
    "updated_at = excluded.updated_at"
)


class ArticleState(NamedTuple):
    article_id: str
    read_at: float | None = None  # Unix time first read; None = unread
    starred: bool = False
    position: float = 0.0  # fraction 0..1 of the article scrolled past
    block: int = 0  # index of the first visible block

    @property
    def read(self) -> bool:
        return self.read_at is not None


class StateStore:
    """The reader-state database. Any method may be called from any thread.

    Opening never fails because of a corrupt file (it is moved aside, see `warnings`); it
    raises `StateError` naming the file for trouble a person must fix (permissions, a full
    disk, a file from a newer newstui this one cannot read).
    """

    def __init__(self, path: Path, *, outbox: bool = False) -> None:
        self.path = path
        self.outbox = outbox  # [sync] is set: marks on the server's articles are queued
        self.warnings: list[str] = []  # for the faces to show: a file moved aside, ...
        self._lock = threading.RLock()  # the connection
        self._writing = threading.Lock()  # this process's writers, one at a time
        try:
            self._conn = open_database(path, self.warnings)
        except OSError as error:
            raise StateError(f"{error.filename or path}: {error.strerror or error}") from None
        except sqlite3.Error as error:
            raise StateError(f"{path}: cannot open the state database: {error}") from None
        self._turns = WriterTurns(lock_path(path))  # its file exists: opening used it

    def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return retrying(self.path, lambda: _in_transaction(self._conn, "BEGIN", work))

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        # The turn (another process may hold it for seconds) before the connection: reads
        # never wait behind a writer that waits for its turn.
        with self._writing, self._turns.turn(), self._lock:
            return retrying(self.path, lambda: _in_transaction(self._conn, "BEGIN IMMEDIATE", work))

    @staticmethod
    def _rows(conn: sqlite3.Connection, ids: list[str]) -> dict[str, _Row]:
        found: dict[str, _Row] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT {_COLUMNS} FROM article_state WHERE article_id IN ({marks})"
            for row in conn.execute(query, chunk):
                found[row[0]] = row
        return found

    # article state

    def get(self, article_id: str) -> ArticleState:
        return self.get_many([article_id])[article_id]

    def get_many(self, ids: Iterable[str]) -> dict[str, ArticleState]:
        """State for every id asked for (the default state for unknown ones)."""
        wanted = list(dict.fromkeys(ids))
        rows = self._read(lambda conn: self._rows(conn, wanted))
        return {
            article_id: _state(rows[article_id]) if article_id in rows else ArticleState(article_id)
            for article_id in wanted
        }

    def held(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` the state has a record of (read, starred, opened... once)."""
        wanted = list(dict.fromkeys(ids))
        return set(self._read(lambda conn: self._rows(conn, wanted)))

    def _update(self, ids: Iterable[str], change: Callable[[_Row, float], _Row]) -> None:
        wanted = list(dict.fromkeys(ids))

        def work(conn: sqlite3.Connection) -> None:
            now = time.time()
            rows = self._rows(conn, wanted)
            new = [change(rows.get(i) or (i, None, 0, 0.0, 0, now), now) for i in wanted]
            conn.executemany(_UPSERT, new)
            self._queue(conn, rows, new)

        self._write(work)

    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        """Mark read (keeping the time it was first read) or unread."""

        def change(row: _Row, now: float) -> _Row:
            read_at = (row[1] if row[1] is not None else now) if read else None
            return (row[0], read_at, row[2], row[3], row[4], now)

        self._update(ids, change)

    def set_starred(self, ids: Iterable[str], starred: bool) -> None:
        self._update(ids, lambda row, now: (row[0], row[1], int(starred), row[3], row[4], now))

    def forget(self, ids: Iterable[str]) -> None:
        """Drop the rows of articles that are gone (retention); a starred one is kept."""
        wanted = list(dict.fromkeys(ids))

        def work(conn: sqlite3.Connection) -> None:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                conn.execute(
                    f"DELETE FROM article_state WHERE starred = 0 AND article_id IN ({marks})",
                    chunk,
                )

        self._write(work)

    def toggle_read(self, article_id: str) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            now = time.time()
            row = self._rows(conn, [article_id]).get(article_id)
            read_at = None if row is not None and row[1] is not None else now
            old = row or (article_id, None, 0, 0.0, 0, now)
            new: _Row = (article_id, read_at, old[2], old[3], old[4], now)
            conn.execute(_UPSERT, new)
            self._queue(conn, {article_id: old}, [new])
            return read_at is not None

        return self._write(work)

    def toggle_starred(self, article_id: str) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            now = time.time()
            old = self._rows(conn, [article_id]).get(article_id)
            old = old or (article_id, None, 0, 0.0, 0, now)
            starred = not old[2]
            new: _Row = (article_id, old[1], int(starred), old[3], old[4], now)
            conn.execute(_UPSERT, new)
            self._queue(conn, {article_id: old}, [new])
            return starred

        return self._write(work)

    def _queue(self, conn: sqlite3.Connection, old: dict[str, _Row], new: list[_Row]) -> None:
        """In the mark's own transaction: what the server must be told (see `outbox`)."""
        if self.outbox:
            queue_marks(conn, {row[0]: _marks(old.get(row[0])) for row in new}, new)

    def set_position(self, article_id: str, position: float, block: int) -> None:
        """Reading position: fraction 0..1 (clamped) and index of the first visible block."""
        fraction = min(max(position, 0.0), 1.0) if math.isfinite(position) else 0.0
        first = max(int(block), 0)
        self._update([article_id], lambda row, now: (*row[:3], fraction, first, now))

    # hidden articles (see `core.rules`)

    def hidden(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` that are hidden."""
        wanted = list(dict.fromkeys(ids))
        return self._read(lambda conn: _among(conn, "hidden", wanted))

    def set_hidden(self, ids: Iterable[str], hidden: bool) -> None:
        wanted = [(article_id, time.time()) for article_id in dict.fromkeys(ids)]
        if hidden:
            sql = "INSERT OR IGNORE INTO hidden(article_id, hidden_at) VALUES (?, ?)"
            self._write(lambda conn: conn.executemany(sql, wanted))
        else:
            sql = "DELETE FROM hidden WHERE article_id = ?"
            self._write(lambda conn: conn.executemany(sql, [(i,) for i, _ in wanted]))

    def toggle_hidden(self, article_id: str) -> bool:
        """Hide the article, or show it again when it is hidden; returns whether it is now."""

        def work(conn: sqlite3.Connection) -> bool:
            gone = conn.execute("DELETE FROM hidden WHERE article_id = ?", (article_id,))
            if gone.rowcount:
                return False
            sql = "INSERT INTO hidden(article_id, hidden_at) VALUES (?, ?)"
            conn.execute(sql, (article_id, time.time()))
            return True

        return self._write(work)

    def unseen_by_rules(self, ids: Iterable[str]) -> list[str]:
        """Those of `ids` no rule has met yet, and from now on all of them are met: the
        rules apply to an article once, when it arrives, never again (a rebuilt index)."""
        wanted = list(dict.fromkeys(ids))

        def work(conn: sqlite3.Connection) -> list[str]:
            seen = _among(conn, "rules_seen", wanted)
            fresh = [article_id for article_id in wanted if article_id not in seen]
            sql = "INSERT OR IGNORE INTO rules_seen(article_id) VALUES (?)"
            conn.executemany(sql, [(article_id,) for article_id in fresh])
            return fresh

        return self._write(work)

    # per-library and UI memory

    def last_opened(self, library: str) -> str | None:
        """The article last opened in `library` (a stable key such as its resolved path)."""
        query = "SELECT article_id FROM last_opened WHERE library = ?"
        row = self._read(lambda conn: conn.execute(query, (library,)).fetchone())
        return None if row is None else str(row[0])

    def set_last_opened(self, library: str, article_id: str) -> None:
        self._write(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO last_opened(library, article_id, updated_at)"
                " VALUES (?, ?, ?)",
                (library, article_id, time.time()),
            )
        )

    def pref(self, key: str) -> str | None:
        row = self._read(
            lambda conn: conn.execute("SELECT value FROM prefs WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else str(row[0])

    def set_pref(self, key: str, value: str) -> None:
        self._write(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO prefs(key, value) VALUES (?, ?)", (key, value)
            )
        )

    # moving state between machines

    def export_data(self) -> dict[str, Any]:
        """Everything worth carrying to another machine, as a JSON-able document.

        Times are Unix seconds. Prefs (theme, sort, ...) stay with the machine.
        """

        def work(conn: sqlite3.Connection) -> dict[str, Any]:
            articles = conn.execute(f"SELECT {_COLUMNS} FROM article_state ORDER BY article_id")
            opened = conn.execute(
                "SELECT library, article_id, updated_at FROM last_opened ORDER BY library"
            ).fetchall()
            hidden = conn.execute("SELECT article_id, hidden_at FROM hidden ORDER BY article_id")
            return {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "articles": [
                    {
                        "id": r[0],
                        "read_at": r[1],
                        "starred": bool(r[2]),
                        "position": r[3],
                        "block": r[4],
                        "updated_at": r[5],
                    }
                    for r in articles
                ],
                "last_opened": [
                    {"library": r[0], "article_id": r[1], "updated_at": r[2]} for r in opened
                ],
                "hidden": [{"id": r[0], "hidden_at": r[1]} for r in hidden],
            }

        return self._read(work)

    def import_data(self, data: Any) -> int:
        """Merge an `export_data()` document; returns how many article records changed here.

        Per article the record with the newer `updated_at` wins as a whole (so an unread or
        unstar made later on either machine sticks). On a tie nothing is lost: read if either
        is read (the earlier time), starred if either is starred, the further position.
        `last_opened`: the newer entry per library wins. The document is checked completely
        before anything is written (ValueError naming the problem); the merge is one
        transaction.
        """
        incoming, opened = _parse_export(data)
        hidden = _parse_hidden(data)

        def work(conn: sqlite3.Connection) -> int:
            local = self._rows(conn, list(incoming))
            changed = [
                merged
                for article_id, row in incoming.items()
                if (merged := _merge(local.get(article_id), row)) != local.get(article_id)
            ]
            conn.executemany(_UPSERT, changed)
            conn.executemany(
                "INSERT INTO last_opened(library, article_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(library) DO UPDATE SET article_id = excluded.article_id, "
                "updated_at = excluded.updated_at WHERE excluded.updated_at > updated_at",
                opened,
            )
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO hidden(article_id, hidden_at) VALUES (?, ?)", hidden
            )
            return len(changed) + conn.total_changes - before

        return self._write(work)

    # sync (newstui.core.sync): the server's items and the marks still to send it

    def pending_marks(self, service: str) -> list[PendingMark]:
        return self._read(lambda conn: _outbox.pending(conn, service))

    def pending_count(self) -> int:
        return self._read(_outbox.count)

    def settle_marks(self, sent: list[PendingMark]) -> None:
        """The server accepted `sent`."""
        self._write(lambda conn: _outbox.settle(conn, sent))

    def sync_items(self, service: str) -> dict[str, str]:
        """remote id -> article id of every item of `service` written to the news folder."""
        return self._read(lambda conn: _outbox.items_of(conn, service))

    def add_sync_items(self, service: str, pairs: list[tuple[str, str]]) -> None:
        self._write(lambda conn: _outbox.add_items(conn, service, pairs))

    def apply_remote_marks(self, remote: dict[str, Marks]) -> int:
        """The server's (read, starred) by article id, except where a mark is still pending."""
        return self._write(lambda conn: _outbox.apply_remote(conn, remote))

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            self._turns.close()


def _in_transaction(
    conn: sqlite3.Connection, begin: Begin, work: Callable[[sqlite3.Connection], T]
) -> T:
    with transaction(conn, begin):
        return work(conn)


def _marks(row: _Row | None) -> tuple[bool, bool]:
    """(read, starred) of a stored row; an article without a row is neither."""
    return (row is not None and row[1] is not None, row is not None and bool(row[2]))


def _among(conn: sqlite3.Connection, table: str, ids: list[str]) -> set[str]:
    """Those of `ids` listed in `table` (one of this module's id tables)."""
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT article_id FROM {table} WHERE article_id IN ({marks})"
        found.update(article_id for (article_id,) in conn.execute(query, chunk))
    return found


def _state(row: _Row) -> ArticleState:
    return ArticleState(row[0], row[1], bool(row[2]), row[3], row[4])


def _merge(local: _Row | None, incoming: _Row) -> _Row:
    if local is None or incoming[5] > local[5]:
        return incoming
    if incoming[5] < local[5]:
        return local
    times = [t for t in (local[1], incoming[1]) if t is not None]
    further = max(local, incoming, key=lambda row: (row[3], row[4]))
    starred = int(bool(local[2] or incoming[2]))
    return (local[0], min(times) if times else None, starred, further[3], further[4], local[5])


# -- checking an import document -----------------------------------------------------------


def _parse_export(data: Any) -> tuple[dict[str, _Row], list[tuple[str, str, float]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValueError(f'not a newstui state export (no "format": "{EXPORT_FORMAT}")')
    version = data.get("version")
    if type(version) is not int or not 1 <= version <= EXPORT_VERSION:
        raise ValueError(
            f"unsupported export version {version!r} (this newstui reads 1 to {EXPORT_VERSION})"
        )
    articles, opened = data.get("articles", []), data.get("last_opened", [])
    if not isinstance(articles, list) or not isinstance(opened, list):
        raise ValueError('"articles" and "last_opened" must be lists')
    rows: dict[str, _Row] = {}
    for n, item in enumerate(articles):
        row = _article_row(item, f"articles[{n}]")
        rows[row[0]] = _merge(rows.get(row[0]), row)
    entries: dict[str, tuple[str, str, float]] = {}
    for n, item in enumerate(opened):
        where = f"last_opened[{n}]"
        entry = (
            _text(item, "library", where),
            _text(item, "article_id", where),
            _number(item, "updated_at", where),
        )
        if entry[0] not in entries or entry[2] > entries[entry[0]][2]:
            entries[entry[0]] = entry
    return rows, list(entries.values())


def _parse_hidden(data: dict[str, Any]) -> list[tuple[str, float]]:
    """The hidden articles of an export (absent from those of older newstuis): merged in,
    never shown again by an import (hiding wins, as a star does on a tie)."""
    items = data.get("hidden", [])
    if not isinstance(items, list):
        raise ValueError('"hidden" must be a list')
    return [
        (_text(item, "id", f"hidden[{n}]"), _number(item, "hidden_at", f"hidden[{n}]"))
        for n, item in enumerate(items)
    ]


def _article_row(item: Any, where: str) -> _Row:
    article_id = _text(item, "id", where)
    starred = item.get("starred", False)
    if not isinstance(starred, bool):
        raise ValueError(f'{where}: "starred" must be true or false')
    read_at = None if item.get("read_at") is None else _number(item, "read_at", where)
    position = _number(item, "position", where) if "position" in item else 0.0
    block = _number(item, "block", where) if "block" in item else 0
    updated_at = _number(item, "updated_at", where)
    return (article_id, read_at, int(starred), min(max(position, 0.0), 1.0),
            max(int(block), 0), updated_at)  # fmt: skip


def _text(item: Any, key: str, where: str) -> str:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: expected an object")
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f'{where}: "{key}" must be a non-empty string')
    return value


def _number(item: dict[str, Any], key: str, where: str) -> float:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f'{where}: "{key}" must be a number')
    return value
