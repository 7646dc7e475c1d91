"""Two instances at once: no write lost, no "database is locked" reaches the user.

Real processes running the real CLI (`python -m newstui ...`) over the same user dirs, and
two library refreshes over the same folder and index.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest

from app_fixtures import write_library
from libhelpers import run_together
from newstui.core.config import Settings
from newstui.core.index import db as index
from newstui.core.library import Library
from newstui.core.paths import AppPaths
from newstui.core.resources import sample_articles_dir
from newstui.core.state.store import StateStore
from newstui.tui.app import NewsApp

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from tally import record

REFRESHER = Path(__file__).parent / "fixtures" / "reliability" / "refresher.py"
RUNS_PER_WORKER = 3
IDS_PER_RUN = 60


def newstui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newstui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def known(ids: list[str]) -> list[str]:
    """`ids`, given a (blank) record in the state: ids the CLI knows, with no library."""
    store = StateStore(AppPaths.default().state_db)
    store.set_read(ids, False)
    store.close()
    return ids


def test_two_clis_marking_and_starring_the_same_articles_lose_nothing() -> None:
    """One process marks read while the other stars the same ids: both fields must stick."""
    ids = known([f"shared-{n}" for n in range(RUNS_PER_WORKER * IDS_PER_RUN)])
    chunks = [ids[i : i + IDS_PER_RUN] for i in range(0, len(ids), IDS_PER_RUN)]
    results: dict[str, list[subprocess.CompletedProcess[str]]] = {"mark-read": [], "star": []}

    def worker(command: str) -> None:
        for chunk in chunks if command == "star" else reversed(chunks):
            results[command].append(newstui(command, *chunk))

    threads = [threading.Thread(target=worker, args=(command,)) for command in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    runs = results["mark-read"] + results["star"]
    assert len(runs) == 2 * RUNS_PER_WORKER
    for run in runs:
        assert run.returncode == 0, run
        assert run.stderr == "", run  # no "database is locked", no warning
    assert {run.stdout for run in results["mark-read"]} == {f"marked {IDS_PER_RUN} articles read\n"}
    assert {run.stdout for run in results["star"]} == {f"starred {IDS_PER_RUN} articles\n"}
    store = StateStore(AppPaths.default().state_db)
    states = store.get_many(ids)
    store.close()
    assert [n for n, i in enumerate(ids) if not states[i].read] == []
    assert [n for n, i in enumerate(ids) if not states[i].starred] == []
    record("concurrency: CLI writes checked (two processes, same ids)", 2 * len(ids))


def test_cli_unmarks_interleaved_with_marks_on_other_ids() -> None:
    """mark-read + star against mark-unread + unstar, at once, on disjoint ids."""
    first, second = known([f"a-{n}" for n in range(60)]), known([f"b-{n}" for n in range(60)])
    setup = newstui("star", *second)
    assert (setup.returncode, setup.stderr) == (0, "")
    runs: list[subprocess.CompletedProcess[str]] = []
    threads = [
        threading.Thread(target=lambda: runs.append(newstui("mark-read", *first, *second))),
        threading.Thread(target=lambda: runs.append(newstui("unstar", *second))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [(run.returncode, run.stderr) for run in runs] == [(0, "")] * 2
    store = StateStore(AppPaths.default().state_db)
    states = store.get_many(first + second)
    store.close()
    assert all(states[i].read and not states[i].starred for i in first + second)
    record("concurrency: CLI writes checked (marks against unmarks)", 3 * len(first))


def _start_refreshers(folder: Path, count: int) -> list[dict[str, int]]:
    command = [sys.executable, str(REFRESHER), str(folder)]
    outputs = run_together([command] * count, timeout=120)
    for code, _, err in outputs:
        assert code == 0, err
        assert err == "", err
    return [json.loads(out) for _, out, _ in outputs]


def _index_figures(folder: Path) -> tuple[int, int, int, str]:
    """(articles, distinct (path, id) pairs, files) in the index on disk, its integrity."""
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    conn = library._conn()
    (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    (distinct,) = conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT path, id FROM articles)"
    ).fetchone()
    (files,) = conn.execute("SELECT count(*) FROM files").fetchone()
    (check,) = conn.execute("PRAGMA integrity_check").fetchone()
    library.close()
    state.close()
    return articles, distinct, files, check


def _expected_counts(folder: Path, tmp_path: Path) -> tuple[int, int]:
    """(articles, files) from a refresh on its own, with a cache of its own."""
    paths = AppPaths(tmp_path / "c", tmp_path / "alone", tmp_path / "d")
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    summary = library.refresh()
    count = library.count()
    library.close()
    state.close()
    assert summary.problems == [] and count > 0
    return count, summary.parsed


@pytest.mark.parametrize("round_", range(1))
def test_two_refreshes_at_once_leave_a_consistent_index(round_: int, tmp_path: Path) -> None:
    folder = sample_articles_dir()
    expected, files = _expected_counts(folder, tmp_path)
    reports = _start_refreshers(folder, 2)
    assert [report["count"] for report in reports] == [expected] * 2
    assert [report["problems"] for report in reports] == [0, 0]
    # what is on disk, not what each process saw: nothing duplicated, nothing lost
    assert _index_figures(folder) == (expected, expected, files, "ok")
    again = _start_refreshers(folder, 1)[0]
    assert (again["parsed"], again["unchanged"], again["count"]) == (0, files, expected)
    record("concurrency: simultaneous refreshes, index consistent")


def test_opening_a_new_index_twice_at_once_never_throws_one_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two openers find the same empty index file; the other one creates the schema (and
    starts filling it) first. This one must then use that index, not delete it under the
    other process (the race behind an empty index after two simultaneous refreshes)."""
    db = tmp_path / "index.sqlite3"
    real_create = index.create_schema
    raced: list[bool] = []

    def create_after_the_other_opener(*args: object) -> object:
        if not raced:
            raced.append(True)
            index.open_index(db)  # the other process wins the race, right here
            with closing(sqlite3.connect(db)) as other:
                other.execute("INSERT INTO files VALUES ('/the/other/process', 1, 1)")
                other.commit()
        return real_create(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "create_schema", create_after_the_other_opener)
    index.open_index(db)
    assert raced
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT path FROM files").fetchall()
    assert rows == [("/the/other/process",)], "the other process's index was thrown away"


async def test_cli_marks_while_the_reader_marks_and_stars(tmp_path: Path) -> None:
    """The reader open on a library while a script marks articles from the command line."""

    folder = write_library(tmp_path / "articles", broken=False)
    ids = known([f"script-{n}" for n in range(150)])
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        script = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "newstui", "mark-read", *ids,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        toggles = 0
        while script.returncode is None and toggles < 200:
            await pilot.press("s", "m")  # star and mark the highlighted article, again and again
            toggles += 1
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(script.wait(), timeout=0.01)
        out, err = await script.communicate()
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        first = app.screen_stack[0].articles.current_id  # type: ignore[attr-defined]
    assert (script.returncode, err) == (0, b""), err
    assert out == b"marked 150 articles read\n"
    assert errors == []
    store = StateStore(AppPaths.default().state_db)
    assert all(state.read for state in store.get_many(ids).values())
    even = toggles % 2 == 0  # s and m toggle: an even number leaves the article as it was
    assert store.get(first).starred is not even and store.get(first).read is not even
    store.close()
    record("concurrency: reader and CLI at once, writes checked", len(ids) + 2 * toggles)
