"""State writes never make the reader wait: another process holding the writer lock delays
the write, not the keys; the write lands once the lock is free, and quitting flushes it.
Writes land in the order they were submitted.

The async tests start and stop the lock's holder on threads: the event loop never waits."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app_fixtures import settle, write_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.core.state.db import lock_path
from newstui.core.state.store import StateStore
from newstui.core.state.writer import StateWriter
from newstui.tui.app import NewsApp

HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


def hold_writer_lock(state_db: Path) -> subprocess.Popen[str]:
    """Another process that holds the state database's writer lock until told to stop."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock_path(state_db))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def release(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(10)


def make_app(tmp_path: Path) -> NewsApp:
    library = write_library(tmp_path / "articles")
    return NewsApp(library, AppPaths.default(), Settings(), watch=False)


async def test_keys_and_the_star_respond_while_another_process_holds_the_lock(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.main is not None
        articles = app.main.articles
        holder = await asyncio.to_thread(hold_writer_lock, app.state.path)
        try:
            await pilot.press("s")
            await pilot.pause()
            assert articles.current_row is not None and articles.current_row.starred
            await pilot.press("j", "m")
            await pilot.pause()
            assert articles.cursor == 1
            assert articles.current_row is not None and articles.current_row.read
            # The screen shows both while the lock is still held: the keys did not wait for it.
            assert holder.poll() is None
            assert app.writer.pending >= 1  # the writes wait for the lock, not the keys
            assert not app.state.get("harbour-reopens").starred
        finally:
            await asyncio.to_thread(release, holder)
        assert app.writer.flush(10)
        assert app.state.get("harbour-reopens").starred
        assert app.state.get("storm-closes-harbour").read


async def test_quitting_flushes_queued_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    state_db = AppPaths.default().state_db
    releasing: list[threading.Thread] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        holder = await asyncio.to_thread(hold_writer_lock, app.state.path)
        await pilot.press("s")
        await pilot.pause()
        assert app.writer.pending == 1
        # Let go of the lock once the reader is closing: the queued star must still land.
        close = app.writer.close

        def close_while_the_lock_goes(timeout: float) -> int:
            releasing.append(threading.Thread(target=release, args=(holder,)))
            releasing[0].start()
            return close(timeout)

        monkeypatch.setattr(app.writer, "close", close_while_the_lock_goes)
        await pilot.press("q")
    await asyncio.to_thread(releasing[0].join, 10)
    assert app.unsaved_writes == 0
    with_state = StateStore(state_db)
    try:
        assert with_state.get("harbour-reopens").starred
    finally:
        with_state.close()


def test_a_failed_write_is_reported_and_tried_again(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite3")
    errors: list[tuple[str, str]] = []
    recovered: list[str] = []
    attempts: list[int] = []

    def flaky(state: StateStore) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise OSError("disk full")
        state.set_starred(["a"], True)

    writer = StateWriter(
        store,
        on_error=lambda what, error: errors.append((what, str(error))),
        on_recovered=recovered.append,
    )
    try:
        writer.submit("star", flaky)
        writer.submit("mark read", lambda state: state.set_read(["a"]))
        assert writer.flush(10)
    finally:
        assert writer.close(1) == 0
    assert errors == [("star", "disk full"), ("star", "disk full")]
    assert recovered == ["star"]
    assert store.get("a").starred and store.get("a").read  # in order, nothing lost
    store.close()


def test_writes_land_in_the_order_they_were_submitted(tmp_path: Path) -> None:
    """Queued behind a write that waits: first in, first out (the last star or unstar wins)."""
    store = StateStore(tmp_path / "state.sqlite3")
    writer = StateWriter(store)
    landed: list[int] = []
    gate = threading.Event()

    def write(number: int, starred: bool) -> None:
        def star(state: StateStore) -> None:
            landed.append(number)
            state.set_starred(["a"], starred)

        writer.submit("star", star)

    try:
        writer.submit("wait", lambda _: gate.wait(10))
        for number in range(6):
            write(number, starred=number % 2 == 0)  # star, unstar, ..., unstar last
        assert writer.pending == 7  # the first one is waiting: the others queue
        gate.set()
        assert writer.flush(10)
    finally:
        writer.close(1)
    assert landed == [0, 1, 2, 3, 4, 5]
    assert not store.get("a").starred
    store.close()


def test_close_reports_writes_it_could_not_make(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite3")
    holder = hold_writer_lock(store.path)
    writer = StateWriter(store)
    try:
        writer.submit("star", lambda state: state.set_starred(["a"], True))
        writer.submit("star", lambda state: state.set_starred(["b"], True))
        assert writer.close(0.3) == 2
    finally:
        release(holder)
    store.close()
