"""Sync's part of the state database: the server's item for each article, and the outbox.

`sync_items` maps an article to its item on the server. The outbox holds, per article, the
marks the server has not been told: `read`/`starred` is the value to send (NULL: nothing),
`*_before` the value the server was last known to have. A mark undone before it was sent
comes back to `*_before` and cancels itself; a row with nothing to send is deleted. Only
articles that came from the server are queued (nothing else could be sent).

Functions of a connection inside a write transaction (`StateStore` calls them), so a mark and
its outbox row are one transaction.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from typing import NamedTuple

_CHUNK = 500  # ids per statement, under SQLite's host-parameter limit
Marks = tuple[bool, bool]  # (read, starred)
_FIELDS = ("read", "starred")


class PendingMark(NamedTuple):
    article_id: str
    remote_id: str
    field: str  # "read" or "starred"
    value: bool


def _chunks(ids: Sequence[str]) -> Iterable[tuple[list[str], str]]:
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        yield chunk, ",".join("?" * len(chunk))


def _mapped(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk, marks in _chunks(ids):
        query = f"SELECT article_id FROM sync_items WHERE article_id IN ({marks})"
        found.update(row[0] for row in conn.execute(query, chunk))
    return found


def _outbox_rows(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[int | None]]:
    rows: dict[str, list[int | None]] = {}
    for chunk, marks in _chunks(ids):
        query = (
            "SELECT article_id, read, starred, read_before, starred_before FROM outbox"
            f" WHERE article_id IN ({marks})"
        )
        rows.update({row[0]: list(row[1:]) for row in conn.execute(query, chunk)})
    return rows


def _save(conn: sqlite3.Connection, rows: dict[str, list[int | None]]) -> None:
    now = time.time()
    keep = [(i, *row, now) for i, row in rows.items() if row[0] is not None or row[1] is not None]
    gone = [(i,) for i, row in rows.items() if row[0] is None and row[1] is None]
    conn.executemany(
        "INSERT INTO outbox(article_id, read, starred, read_before, starred_before, queued_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET read = excluded.read,"
        " starred = excluded.starred, read_before = excluded.read_before,"
        " starred_before = excluded.starred_before",
        keep,
    )
    conn.executemany("DELETE FROM outbox WHERE article_id = ?", gone)


def queue_marks(
    conn: sqlite3.Connection, before: dict[str, Marks], after: Sequence[tuple[object, ...]]
) -> None:
    """Queue the changes from `before` to the article_state rows `after` (same transaction)."""
    new = {str(row[0]): (row[1] is not None, bool(row[2])) for row in after}
    changed = [i for i, marks in new.items() if marks != before.get(i, (False, False))]
    if not changed:
        return
    mapped = _mapped(conn, changed)
    ids = [i for i in changed if i in mapped]
    rows = _outbox_rows(conn, ids)
    for article_id in ids:
        old, now = before.get(article_id, (False, False)), new[article_id]
        row = rows.setdefault(article_id, [None, None, int(old[0]), int(old[1])])
        for n in range(2):
            if old[n] == now[n]:
                continue
            row[n] = None if int(now[n]) == row[n + 2] else int(now[n])
    _save(conn, rows)


def pending(conn: sqlite3.Connection, service: str) -> list[PendingMark]:
    """Every mark still to send to `service`, oldest first."""
    found: list[PendingMark] = []
    query = (
        "SELECT o.article_id, s.remote_id, o.read, o.starred FROM outbox o"
        " JOIN sync_items s ON s.article_id = o.article_id WHERE s.service = ?"
        " ORDER BY o.queued_at, o.article_id"
    )
    for article_id, remote_id, read, starred in conn.execute(query, (service,)):
        for field, value in zip(_FIELDS, (read, starred), strict=True):
            if value is not None:
                found.append(PendingMark(article_id, remote_id, field, bool(value)))
    return found


def count(conn: sqlite3.Connection) -> int:
    total: int = conn.execute(
        "SELECT COALESCE(SUM((read IS NOT NULL) + (starred IS NOT NULL)), 0) FROM outbox"
    ).fetchone()[0]
    return total


def settle(conn: sqlite3.Connection, sent: Sequence[PendingMark]) -> None:
    """The server accepted `sent`: it now has those values. A mark made meanwhile stays queued
    (against the value the server now has)."""
    ids = list(dict.fromkeys(mark.article_id for mark in sent))
    local = _local_marks(conn, ids)
    rows = _outbox_rows(conn, ids)
    for mark in sent:
        n = _FIELDS.index(mark.field)
        row = rows.setdefault(mark.article_id, [None, None, 0, 0])
        now = local.get(mark.article_id, (False, False))[n]
        row[n + 2] = int(mark.value)
        row[n] = None if now == mark.value else int(now)
    _save(conn, rows)


def _local_marks(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Marks]:
    found: dict[str, Marks] = {}
    for chunk, marks in _chunks(ids):
        query = (
            f"SELECT article_id, read_at, starred FROM article_state WHERE article_id IN ({marks})"
        )
        for article_id, read_at, starred in conn.execute(query, chunk):
            found[article_id] = (read_at is not None, bool(starred))
    return found


def items_of(conn: sqlite3.Connection, service: str) -> dict[str, str]:
    """remote id -> article id, for every item of `service` written here."""
    query = "SELECT remote_id, article_id FROM sync_items WHERE service = ?"
    return dict(conn.execute(query, (service,)).fetchall())


def apply_remote(conn: sqlite3.Connection, remote: dict[str, Marks]) -> int:
    """Take the server's marks (by article id) where no mark of ours is still to be sent:
    a pull never overwrites a pending change. Returns how many articles changed."""
    ids = list(remote)
    local = _local_marks(conn, ids)
    waiting = _outbox_rows(conn, ids)
    now = time.time()
    changed: list[tuple[str, float | None, int, float]] = []
    for article_id, (read, starred) in remote.items():
        row = waiting.get(article_id, [None, None])
        have = local.get(article_id, (False, False))
        want = (have[0] if row[0] is not None else read, have[1] if row[1] is not None else starred)
        if want != have:
            changed.append((article_id, now if want[0] else None, int(want[1]), now))
    conn.executemany(
        "INSERT INTO article_state(article_id, read_at, starred, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(article_id) DO UPDATE SET starred = excluded.starred,"
        " updated_at = excluded.updated_at, read_at = CASE WHEN excluded.read_at IS NULL"
        " THEN NULL ELSE COALESCE(article_state.read_at, excluded.read_at) END",
        changed,
    )
    for article_id, row in waiting.items():  # what the server has: the base an undo returns to
        row[2], row[3] = (int(mark) for mark in remote[article_id])
        for n in range(2):
            if row[n] == row[n + 2]:
                row[n] = None  # (the server has it already: nothing to send)
    _save(conn, waiting)
    return len(changed)


def add_items(conn: sqlite3.Connection, service: str, pairs: Sequence[tuple[str, str]]) -> None:
    """Remember (article id, remote id) pairs written to the news folder."""
    conn.executemany(
        "INSERT OR IGNORE INTO sync_items(article_id, service, remote_id) VALUES (?, ?, ?)",
        [(article_id, service, remote_id) for article_id, remote_id in pairs],
    )
