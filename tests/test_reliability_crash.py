"""Crash safety: a writer killed with SIGKILL at random moments loses no acknowledged write.

bench/crash_loop.py runs the same cycle a few hundred times and prints the figures.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newstui.core.library import Library
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from crash_harness import run_cycle, start_from_v1, verify
from libraries import write_many
from tally import record

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
CYCLES = 5


def test_sigkilled_writers_lose_no_acknowledged_write(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    db = tmp_path / "data" / "state.sqlite3"
    start_from_v1(db)  # the first kill may land in the schema migration
    cycles = []
    for number in range(CYCLES):
        cycles.append(run_cycle(db, f"c{number}", rng))
        verdict = verify(db, cycles, from_v1=True)  # after every kill, not only at the end
        context = f"seed {seed}, cycle {number}, {cycles[-1]}"
        assert verdict.integrity == "ok", context
        assert verdict.lost == [], context
        assert verdict.torn == [], context
        assert verdict.warnings == [] and verdict.moved_aside == [], context
    assert sum(cycle.last_ack + 1 for cycle in cycles) > 0, "no write was ever acknowledged"
    assert all("Traceback" not in cycle.stderr for cycle in cycles)
    record("crash: SIGKILL cycles survived", len(cycles))
    record("crash: acknowledged writes checked", verdict.acked_writes)


def test_the_checker_notices_a_lost_write(tmp_path: Path) -> None:
    db = tmp_path / "data" / "state.sqlite3"
    cycle = run_cycle(db, "c0", random.Random(1))
    cycle.last_ack += 8  # claim writes that were never made
    verdict = verify(db, [cycle])
    assert verdict.lost and verdict.integrity == "ok"


REFRESHER = Path(__file__).parent / "fixtures" / "reliability" / "refresher.py"


def test_sigkilled_refresh_leaves_an_index_that_reopens_silently(tmp_path: Path) -> None:
    """The index is a cache, but a refresh killed half way must not leave it unusable:
    the next run opens it without a word and finishes the job."""
    folder = tmp_path / "library"
    write_many(folder, 150)
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    for _ in range(3):
        refresher = subprocess.Popen(
            [sys.executable, str(REFRESHER), str(folder)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert refresher.stdout is not None and refresher.stdin is not None
        assert refresher.stdout.readline() == "ready\n"
        refresher.stdin.write("go\n")
        refresher.stdin.flush()
        time.sleep(rng.uniform(0.0, 0.4))  # the kill lands somewhere in the parse or commit
        refresher.send_signal(signal.SIGKILL)
        refresher.communicate(timeout=30)
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    summary = library.refresh()
    assert summary.problems == [] and library.count() == 150
    assert summary.parsed + summary.unchanged == 150
    assert len(library.search("harbour")) > 0
    library.close()
    assert state.warnings == []
    state.close()
    record("crash: SIGKILLed refreshes recovered", 3)
