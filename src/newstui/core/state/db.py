"""The reader-state SQLite file: opening, schema migrations, recovery, transactions, retries.

- WAL with `synchronous=NORMAL`: a committed transaction is in the WAL file when COMMIT
  returns, so an acknowledged write survives the process being killed (SIGKILL, a crash); a
  power cut may lose the last moments since the previous checkpoint, never the database, and
  closing (a checkpoint, synced) makes everything durable. FULL would fsync every commit:
  0.1 ms here when the disk is idle, but 4 ms under load against 0.1 ms for NORMAL.
- Busy: SQLite's busy timeout plus `retrying()` with jittered backoff, so "database is locked"
  never reaches a person; after `LOCK_PATIENCE` it becomes a `StateError` naming the file.
- Schema version = `PRAGMA user_version`; `MIGRATIONS[n]` upgrades version n to n+1, all in
  one transaction with the version bump. Migrations only add, so an older newstui can still
  use a newer file (with a warning).
- A file SQLite cannot read (garbage, truncated, empty) is renamed aside to
  `<name>.corrupt-<YYYYmmdd-HHMMSS>` (its -wal/-shm alongside, so the copy still opens) and a
  fresh database is started. Nothing is deleted. Opening holds a lock file, so two processes
  never both "recover" the same file, and a new database appears in one rename, never as a
  half-made file another process could mistake for a corrupt one.
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from newstui.core.sqlite import is_busy, is_corruption, transaction

BUSY_TIMEOUT_MS = 10_000
SYNCHRONOUS = "NORMAL"  # see the module docstring
LOCK_PATIENCE = 30.0  # seconds of retrying a busy database before giving up

SQLITE_HEADER = b"SQLite format 3\x00"

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], T]


class StateError(Exception):
    """The state database cannot be used; the message names the file and the reason."""


# -- schema ------------------------------------------------------------------------------


def _to_v1(conn: sqlite3.Connection) -> None:
    """The first layout: read, starred, position fraction, last opened."""
    conn.execute(
        "CREATE TABLE article_state(article_id TEXT PRIMARY KEY, read_at REAL,"
        " starred INTEGER NOT NULL DEFAULT 0, position REAL NOT NULL DEFAULT 0,"
        " updated_at REAL NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE last_opened(library TEXT PRIMARY KEY, article_id TEXT NOT NULL,"
        " updated_at REAL NOT NULL)"
    )


def _to_v2(conn: sqlite3.Connection) -> None:
    """Reading position by block index; remembered UI choices."""
    conn.execute("ALTER TABLE article_state ADD COLUMN block INTEGER NOT NULL DEFAULT 0")
    conn.execute("CREATE TABLE prefs(key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _to_v3(conn: sqlite3.Connection) -> None:
    """Sync (issue 28): which article is which item on the server, and the marks to send.

    An outbox field is NULL when nothing is to be sent for it; `*_before` is what the server
    was last known to have, so a mark undone before it was sent cancels it."""
    conn.execute(
        "CREATE TABLE sync_items(article_id TEXT PRIMARY KEY, service TEXT NOT NULL,"
        " remote_id TEXT NOT NULL, UNIQUE(service, remote_id))"
    )
    conn.execute(
        "CREATE TABLE outbox(article_id TEXT PRIMARY KEY, read INTEGER, starred INTEGER,"
        " read_before INTEGER NOT NULL DEFAULT 0, starred_before INTEGER NOT NULL DEFAULT 0,"
        " queued_at REAL NOT NULL)"
    )


def _to_v4(conn: sqlite3.Connection) -> None:
    """Hidden articles (a rule's or the reader's), and the articles rules have already met."""
    conn.execute("CREATE TABLE hidden(article_id TEXT PRIMARY KEY, hidden_at REAL NOT NULL)")
    conn.execute("CREATE TABLE rules_seen(article_id TEXT PRIMARY KEY)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_to_v1, _to_v2, _to_v3, _to_v4)
SCHEMA_VERSION = len(MIGRATIONS)

_EXPECTED_COLUMNS = {
    "article_state": "article_id, read_at, starred, position, block, updated_at",
    "last_opened": "library, article_id, updated_at",
    "prefs": "key, value",
    "sync_items": "article_id, service, remote_id",
    "outbox": "article_id, read, starred, read_before, starred_before, queued_at",
    "hidden": "article_id, hidden_at",
    "rules_seen": "article_id",
}


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date; run inside a write transaction (the version is re-read
    there, so two processes upgrading at once do it exactly once)."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    for step in MIGRATIONS[version:]:
        step(conn)
    if version < SCHEMA_VERSION:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _schema_problem(conn: sqlite3.Connection) -> str | None:
    for table, columns in _EXPECTED_COLUMNS.items():
        try:
            conn.execute(f"SELECT {columns} FROM {table} LIMIT 0")
        except sqlite3.OperationalError as error:
            return f"unexpected layout ({error})"
    return None


# -- transactions and retries ------------------------------------------------------------------


def retrying(path: Path, attempt: Callable[[], T]) -> T:
    """Run `attempt` again while the database is busy, with jittered exponential backoff."""
    deadline = time.monotonic() + LOCK_PATIENCE
    delay = 0.002
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
            if time.monotonic() > deadline:
                raise StateError(
                    f"{path}: another program kept the state database busy "
                    f"for over {LOCK_PATIENCE:.0f} s"
                ) from None
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 0.2)


# -- opening, creating, recovering -------------------------------------------------------------


def open_database(path: Path, warnings: list[str]) -> sqlite3.Connection:
    """A checked, migrated connection to `path`, creating or replacing the file as needed.

    Messages for a person (a file moved aside, a newer schema) are appended to `warnings`.
    Raises `StateError` (or OSError / sqlite3.Error) for trouble that is not corruption:
    no permission, a full disk, a database kept busy.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # Every open checks the file under this lock, so no process is half way through checking
    # a file while another moves it aside (SQLite unlinks -wal/-shm by name when it closes).
    with _file_lock(lock_path(path)):
        conn = _open_checked(path, warnings)
        if conn is None:
            _move_orphans_aside(path)
            _create_fresh(path)
            conn = _open_checked(path, warnings)
            if conn is None:
                raise StateError(f"{path}: a freshly made state database is unusable")
        return conn


def _open_checked(path: Path, warnings: list[str]) -> sqlite3.Connection | None:
    """A usable connection; None when there is no file or it was corrupt and moved aside."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return None
    if header != SQLITE_HEADER:  # never let SQLite near it: it would drop a -wal beside it
        _move_aside(path, "the file is empty" if not header else "not a database", warnings)
        return None
    conn = sqlite3.connect(
        path.resolve().as_uri() + "?mode=rw",  # never create a file here: see _create_fresh
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        problem = retrying(path, lambda: _prepare(conn, path, warnings))
    except sqlite3.DatabaseError as error:
        if not is_corruption(error):
            conn.close()
            raise
        problem = str(error)
    except BaseException:
        conn.close()
        raise
    if problem is None:
        return conn
    _move_aside(path, problem, warnings)  # first, so closing finds nothing left to tidy away
    conn.close()
    return None


def _prepare(conn: sqlite3.Connection, path: Path, warnings: list[str]) -> str | None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if result != ["ok"]:
        lines = [ln for row in result for ln in str(row).splitlines() if not ln.startswith("*")]
        return "integrity check failed: " + (lines[0] if lines else "no details")[:120]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        newer = f"written by a newer newstui (schema {version}, this one knows {SCHEMA_VERSION})"
        problem = _schema_problem(conn)
        if problem is not None:
            raise StateError(f"{path}: {newer} and not readable here: {problem}")
        warning = f"{path}: {newer}; using it as it is"
        if warning not in warnings:  # this step may be retried
            warnings.append(warning)
        return None
    if version < SCHEMA_VERSION:
        with transaction(conn):
            migrate(conn)
    return _schema_problem(conn)


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _move_aside(path: Path, problem: str, warnings: list[str]) -> None:
    base = f"{path.name}.corrupt-{_stamp()}"
    target, n = path.with_name(base), 1
    while target.exists():
        n += 1
        target = path.with_name(f"{base}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    warnings.append(
        f"the reader-state database {path} could not be read ({problem}); it was moved "
        f"aside to {target} (nothing was deleted) and a fresh one started"
    )


def _move_orphans_aside(path: Path) -> None:
    """A -wal/-shm without its database would be replayed onto the new file: move them."""
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, companion.with_name(f"{companion.name}.orphan-{_stamp()}"))


def _create_fresh(path: Path) -> None:
    """Build the schema in a temporary file, then move it into place in one rename."""
    temp = path.with_name(f".{path.name}.new-{os.getpid()}")
    for leftover in (temp, *(temp.with_name(temp.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)  # our own half-made file from a killed run
    conn = sqlite3.connect(temp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        with transaction(conn):
            migrate(conn)
    finally:
        conn.close()  # the last connection checkpoints: everything is in the main file
    os.replace(temp, path)
    _fsync_dir(path.parent)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class WriterTurns:
    """Writers take turns through a lock file: a waiting process wakes the moment the lock is
    free, where SQLite's busy handler sleeps in steps of up to 100 ms (and so starves under
    heavy contention). The busy timeout and `retrying()` still cover writers without it."""

    def __init__(self, path: Path) -> None:
        self._fd = -1
        if sys.platform != "win32":
            with suppress(OSError):  # without it writers still take turns, just less briskly
                self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def turn(self) -> Iterator[None]:
        if self._fd < 0 or sys.platform == "win32":
            yield
            return
        import fcntl

        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (POSIX; elsewhere creation is merely atomic)."""
    if sys.platform == "win32":
        yield
        return
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
