"""SQLite rules shared by the index and the state store: which errors mean what, and one
transaction helper (connections are autocommit: `isolation_level=None`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Literal

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CORRUPT, _SQLITE_NOTADB = 5, 6, 11, 26

# What damaged files say where no error code does (Python 3.10, or FTS5's own checks).
# Not "fts5:" alone: that prefixes every FTS5 *syntax* error too, which a query causes.
_CORRUPTION_MESSAGES = (
    "malformed",
    "not a database",
    "fts5: corruption",
    "vtable constructor failed",
)

Begin = Literal["BEGIN", "BEGIN IMMEDIATE"]


def error_code(error: sqlite3.Error) -> int | None:
    """The primary result code (Python 3.11+ carries it), or None."""
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(error: sqlite3.Error) -> bool:
    """Another connection holds a lock: try again later."""
    code = error_code(error)
    if code is not None:
        return code in (_SQLITE_BUSY, _SQLITE_LOCKED)
    message = str(error).lower()
    return "locked" in message or "busy" in message


def is_corruption(error: sqlite3.Error) -> bool:
    """The file is damaged or is not a database, as opposed to a full disk, a lock or a bad
    query. (A query error is never corruption: it says nothing about the file.)"""
    if error_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    message = str(error).lower()
    return any(known in message for known in _CORRUPTION_MESSAGES)


@contextmanager
def transaction(conn: sqlite3.Connection, begin: Begin = "BEGIN IMMEDIATE") -> Iterator[None]:
    """The block inside one transaction: committed, or rolled back if it raises."""
    conn.execute(begin)
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
