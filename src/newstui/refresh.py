"""Bringing the index up to date with the folder: scan, parse what changed, store it.

Files are compared by (size, mtime_ns); new and changed ones are parsed (by a pool of
worker processes when there are many) and stored a batch per transaction, so readers see
progress and a stopped refresh leaves a consistent index behind.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from newstui import index
from newstui.scan import FileStat, ParsedFile, ScanResult, parse_files, scan

POOL_MIN_FILES = 1500  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 200  # files per parse job
BATCH_FILES = 2000  # files per transaction


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str


@dataclass(frozen=True)
class RefreshSummary:
    parsed: int  # files read and parsed (new or changed)
    unchanged: int  # files skipped because size and mtime agree with the index
    removed: int  # files gone from the folder (their articles dropped)
    problems: list[Problem]  # every known problem, old and new


def refresh_index(
    conn: sqlite3.Connection,
    folder: Path,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    pool_min_files: int = POOL_MIN_FILES,
) -> RefreshSummary:
    scanned = scan(folder)
    known = index.known_files(conn)
    todo = sorted(  # path order: a first build numbers articles by path
        FileStat(path, *stat) for path, stat in scanned.files.items() if known.get(path) != stat
    )
    gone = [path for path in known if path not in scanned.files]
    if progress:
        progress(0, len(todo))
    parsed = 0
    if todo or gone or _problems_changed(conn, scanned):  # else: no write at all
        parsed = _store(conn, scanned, todo, gone, should_stop, progress, pool_min_files)
    problems = [
        Problem(path, reason)
        for path, reason in conn.execute("SELECT path, reason FROM problems ORDER BY path, rowid")
    ]
    return RefreshSummary(parsed, len(scanned.files) - len(todo), len(gone), problems)


def _problems_changed(conn: sqlite3.Connection, scanned: ScanResult) -> bool:
    stored = set(conn.execute("SELECT path, reason FROM problems WHERE from_scan"))
    if stored != set(scanned.problems):
        return True
    parse_problems = conn.execute("SELECT DISTINCT path FROM problems WHERE NOT from_scan")
    return any(path not in scanned.files for (path,) in parse_problems)


def _store(
    conn: sqlite3.Connection,
    scanned: ScanResult,
    todo: list[FileStat],
    gone: list[str],
    should_stop: Callable[[], bool] | None,
    progress: Callable[[int, int], None] | None,
    pool_min_files: int,
) -> int:
    """Apply the changes, a batch per transaction; returns how many files were parsed."""
    scorer = index.related_module()
    stop = should_stop or (lambda: False)
    parsed = 0
    if todo:
        conn.execute("PRAGMA cache_size = -65536")  # KiB: bulk writes touch many pages
    conn.execute("BEGIN IMMEDIATE")
    try:
        if gone:
            index.remove_files(conn, gone, scorer)
            index.bump_generation(conn)
        in_transaction = 0
        for chunk in parse_chunks(todo, stop, use_pool=len(todo) >= pool_min_files):
            index.remove_files(conn, [file.path for file in chunk], scorer)
            index.add_files(conn, chunk, scorer)
            if not in_transaction:
                index.bump_generation(conn)
            parsed += len(chunk)
            in_transaction += len(chunk)
            if in_transaction >= BATCH_FILES:
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
                in_transaction = 0
            if progress:
                progress(parsed, len(todo))
        index.replace_scan_problems(conn, scanned.problems)
        index.forget_problems_of_missing_files(conn, scanned.files.keys())
        if (parsed or gone) and scorer is not None:
            scorer.finish(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA cache_size = -8192")
    if parsed or gone:
        conn.execute("PRAGMA optimize")
    return parsed


def parse_chunks(
    todo: Sequence[FileStat], stop: Callable[[], bool], *, use_pool: bool
) -> Iterator[list[ParsedFile]]:
    """Parsed files, a chunk at a time, in order; stops early when `stop()` says so."""
    chunks = [list(todo[i : i + CHUNK_FILES]) for i in range(0, len(todo), CHUNK_FILES)]
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not use_pool or (workers or 1) < 2:
        for chunk in chunks:
            if stop():
                return
            yield parse_files(chunk)
        return
    yield from _parse_in_pool(chunks, stop, workers or 2)


def _parse_in_pool(
    chunks: list[list[FileStat]], stop: Callable[[], bool], workers: int
) -> Iterator[list[ParsedFile]]:
    done = 0
    try:
        for result in _pool_results(chunks, stop, workers):
            done += 1
            yield result
    except (BrokenProcessPool, OSError):
        # No worker processes here (or one died): parse the rest in this process.
        for chunk in chunks[done:]:
            if stop():
                return
            yield parse_files(chunk)


def _start_method() -> str:
    """fork when this process has no other threads (fast, safe); else forkserver."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _pool_results(
    chunks: list[list[FileStat]], stop: Callable[[], bool], workers: int
) -> Iterator[list[ParsedFile]]:
    context = multiprocessing.get_context(_start_method())
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        pending: deque[Future[list[ParsedFile]]] = deque()
        queue = iter(chunks)
        for chunk in queue:  # keep a few jobs in flight, not all: bounded memory
            pending.append(pool.submit(parse_files, chunk))
            if len(pending) >= 2 * workers:
                break
        while pending:
            if stop():
                return
            result = pending.popleft().result()
            following = next(queue, None)
            if following is not None:
                pending.append(pool.submit(parse_files, following))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
