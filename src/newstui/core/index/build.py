"""Bringing the index up to date with the folder: scan, parse what changed, store it.

Files are compared by (size, mtime_ns); new and changed ones are parsed (by a pool of
worker processes when there are many) and stored a batch per transaction, so readers see
progress and a stopped refresh leaves a consistent index behind.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from newstui.core.index import db as index
from newstui.core.index import related
from newstui.core.index.scan import FileStat, ParsedFile, parse_files, walk
from newstui.core.index.summary import Problem, RefreshSummary
from newstui.core.sqlite import transaction
from newstui.core.workers import start_method as _start_method
from newstui.core.workers import start_resource_tracker as _start_resource_tracker

POOL_MIN_FILES = 1500  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 200  # files per parse job, at least...
MAX_CHUNK_FILES = 1000  # ...and at most: big jobs, fewer results to merge (see parse_chunks)
BATCH_FILES = 2000  # files per transaction, at most...
FIRST_BATCH_FILES = 50  # ...and in the first: doubling from here, a first build shows soon
FIRST_CHUNK_FILES = 50  # the first parse job is small too


def refresh_index(
    conn: sqlite3.Connection,
    folder: Path,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    pool_min_files: int | None = None,  # default: POOL_MIN_FILES
    committed: Callable[[int], object] | None = None,  # files stored, after each commit
) -> RefreshSummary:
    changes = find_changes(conn, folder)
    if progress:
        progress(0, len(changes.todo))
    parsed = 0
    if changes.todo or changes.gone or _problems_changed(conn, changes):  # else: no write
        least = POOL_MIN_FILES if pool_min_files is None else pool_min_files
        parsed = _store(conn, changes, should_stop, progress, least, committed)
    problems = [Problem(path, reason) for path, reason in index.problem_list(conn, False)]
    warnings = [Problem(path, reason, True) for path, reason in index.problem_list(conn, True)]
    return RefreshSummary(parsed, changes.unchanged, len(changes.gone), problems, warnings)


@dataclass
class Changes:
    """How the folder differs from the index."""

    todo: list[FileStat]  # new or changed files, in path order
    gone: list[str]  # files the index holds that are no longer there
    unchanged: int
    scan_problems: list[tuple[str, str]]  # (path, reason) met while walking the folder
    vanished: list[str]  # files with a parse problem on record that are no longer there


def find_changes(conn: sqlite3.Connection, folder: Path) -> Changes:
    """Walk the folder and compare each file with the index as it comes: only the index's
    list of files is held in memory, not a second one of the folder's."""
    known = index.known_files(conn)
    with_problems = index.parse_problem_paths(conn)
    scan_problems: list[tuple[str, str]] = []
    todo: list[FileStat] = []
    unchanged = 0
    still_there: set[str] = set()
    for file in walk(folder, scan_problems):
        if known.pop(file.path, None) == (file.size, file.mtime_ns):
            unchanged += 1
        else:
            todo.append(file)
        if file.path in with_problems:
            still_there.add(file.path)
    todo.sort()  # path order: a first build numbers articles by path
    vanished = sorted(with_problems - still_there)
    return Changes(todo, list(known), unchanged, scan_problems, vanished)


def _problems_changed(conn: sqlite3.Connection, changes: Changes) -> bool:
    stored = set(conn.execute("SELECT path, reason FROM problems WHERE from_scan"))
    return stored != set(changes.scan_problems) or bool(changes.vanished)


def _store(
    conn: sqlite3.Connection,
    changes: Changes,
    should_stop: Callable[[], bool] | None,
    progress: Callable[[int, int], None] | None,
    pool_min_files: int,
    committed: Callable[[int], object] | None = None,
) -> int:
    """Apply the changes, a batch per transaction; returns how many files were parsed.

    Readers see each batch as it is committed (the first ones small, so that a first build
    shows articles soon, then growing to `BATCH_FILES`); a stop (or a crash) keeps the
    batches committed so far, and the next refresh goes on from there."""
    todo, gone = changes.todo, changes.gone
    stop = should_stop or (lambda: False)
    chunks = parse_chunks(todo, stop, use_pool=len(todo) >= pool_min_files, with_words=True)
    counted = related.Counted()
    parsed = 0
    if todo:
        conn.execute("PRAGMA cache_size = -65536")  # KiB: bulk writes touch many pages
    try:
        batch = FIRST_BATCH_FILES
        with transaction(conn):
            if gone:
                index.remove_files(conn, gone)
                index.bump_generation(conn)
            stored, exhausted = _store_batch(
                conn, chunks, counted, parsed, batch, progress, len(todo)
            )
            parsed += stored
        while not exhausted:
            if committed and stored:
                committed(parsed)
            batch = min(batch * 2, BATCH_FILES)
            with transaction(conn):
                stored, exhausted = _store_batch(
                    conn, chunks, counted, parsed, batch, progress, len(todo)
                )
                parsed += stored
        with transaction(conn):
            index.replace_scan_problems(conn, changes.scan_problems)
            index.forget_parse_problems(conn, changes.vanished)
            if parsed or gone:
                related.finish(conn, counted)
    finally:
        conn.execute(f"PRAGMA cache_size = -{index.READ_CACHE_KIB}")
    if parsed or gone:
        conn.execute("PRAGMA optimize")
    return parsed


def _store_batch(
    conn: sqlite3.Connection,
    chunks: Iterator[ParsedChunk],
    counted: related.Counted,
    done: int,
    most: int,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> tuple[int, bool]:
    """Store parsed chunks until `most` files are stored; returns the files stored, and
    whether the chunks have run out."""
    stored = 0
    for chunk in chunks:
        paths = [file.path for file in chunk.files]
        older = sorted(index.stored_paths(conn, paths))  # earlier versions of these files
        index.remove_files(conn, older)
        nums = index.add_files(conn, chunk.files)
        if chunk.df is not None:
            counted.add(nums, chunk.df)
        if not stored:
            index.bump_generation(conn)
        stored += len(chunk.files)
        if progress:
            progress(done + stored, total)
        if stored >= most:
            return stored, False
    return stored, True


class ParsedChunk(NamedTuple):
    files: list[ParsedFile]
    df: Counter[str] | None  # the related scorer's document frequencies of their articles


def parse_chunk(chunk: list[FileStat], with_words: bool) -> ParsedChunk:
    """Parse files (in a worker process), and with `with_words` also do the related-stories
    scorer's share of the work: each article's words, and how many articles use each."""
    if not with_words:
        return ParsedChunk(parse_files(chunk), None)
    files = parse_files(chunk, related.prepare)
    words = [record.words for file in files for record in file.records]
    prepared = [item for item in words if item is not None]
    complete = len(prepared) == len(words)
    return ParsedChunk(files, related.document_frequencies(prepared) if complete else None)


def parse_chunks(
    todo: Sequence[FileStat],
    stop: Callable[[], bool],
    *,
    use_pool: bool,
    with_words: bool = False,
) -> Iterator[ParsedChunk]:
    """Parsed files, a chunk at a time, in order; stops early when `stop()` says so.

    A big refresh parses in big chunks (each chunk's word frequencies are merged in this
    process, at a cost per distinct word), yet in eight or more per worker (balance)."""
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    size = min(MAX_CHUNK_FILES, max(CHUNK_FILES, len(todo) // (8 * (workers or 1))))
    first = min(FIRST_CHUNK_FILES, len(todo))  # on screen soon, however slow the parsing
    chunks = [list(todo[:first])] if first else []
    chunks += [list(todo[i : i + size]) for i in range(first, len(todo), size)]
    parse = functools.partial(parse_chunk, with_words=with_words)  # picklable: for workers
    if not use_pool or (workers or 1) < 2:
        for chunk in chunks:
            if stop():
                return
            yield parse(chunk)
        return
    yield from _parse_in_pool(chunks, stop, workers or 2, parse)


Parse = Callable[[list[FileStat]], ParsedChunk]


def _parse_in_pool(
    chunks: list[list[FileStat]], stop: Callable[[], bool], workers: int, parse: Parse
) -> Iterator[ParsedChunk]:
    done = 0
    try:
        for result in _pool_results(chunks, stop, workers, parse):
            done += 1
            yield result
    except (BrokenProcessPool, OSError):
        # No worker processes here (or one died): parse the rest in this process.
        for chunk in chunks[done:]:
            if stop():
                return
            yield parse(chunk)


def _pool_results(
    chunks: list[list[FileStat]], stop: Callable[[], bool], workers: int, parse: Parse
) -> Iterator[ParsedChunk]:
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() != "fork" and os.name == "posix":
        _start_resource_tracker()  # (forked workers need none; Windows has none)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        pending: deque[Future[ParsedChunk]] = deque()
        queue = iter(chunks)
        for chunk in queue:  # keep a few jobs in flight, not all: bounded memory
            pending.append(pool.submit(parse, chunk))
            if len(pending) >= 2 * workers:
                break
        while pending:
            if stop():
                return
            result = pending.popleft().result()
            following = next(queue, None)
            if following is not None:
                pending.append(pool.submit(parse, following))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
