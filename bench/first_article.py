"""Time to the first article on screen during a first index: the real `newstui DIR` in tmux.

    python bench/first_article.py [--count 10000] [--runs 3] [--libraries DIR]
                                  [--against OTHER/bin/newstui]

A synthetic library (bench/generate.py) is generated once; every run starts the reader on it
with fresh XDG dirs (no index at all), polls `tmux capture-pane -p` until the title of an
article is on screen, then until the status line says every article is in
(`10,000 articles`, no `indexing`): the time to the first article and of the whole build.
A first build commits its first batch of 50 files at once (then doubling), so the first
figure should be about the time of one small batch, not of the build. Reported: the median
of the runs of each, and their ratio. With `--against`, another newstui (another checkout's)
is timed in alternation with this one, for a before/after in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import BENCH, NEWSTUI, SESSIONS, bench_env, compile_bytecode, tmux

FIRST_BATCH = 50  # build.FIRST_BATCH_FILES: the first batch is the first files by path


def first_titles(folder: Path) -> list[str]:
    """The titles of the files the first batch stores (the first by path), as the list
    shows them at 120 columns (their first 16 characters)."""
    files = sorted(str(path) for path in folder.rglob("*.txt"))[:FIRST_BATCH]
    return [Path(path).read_text("utf-8").partition("\n")[0].strip()[:16] for path in files]


def one_run(
    newstui: Path, folder: Path, count: int, titles: list[str], home: Path
) -> tuple[float, float]:
    shutil.rmtree(home, ignore_errors=True)
    env = bench_env(home)
    command = ["env", *(f"{k}={v}" for k, v in env.items()), str(newstui), str(folder)]
    session = f"first{next(SESSIONS)}"
    done_text = f"{count:,} articles"
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", " ".join(command))
    first = whole = float("nan")
    deadline = started + 600
    try:
        while time.perf_counter() < deadline:
            screen = tmux("capture-pane", "-p", "-t", session, check=False)
            now = time.perf_counter() - started
            if first != first and any(title in screen for title in titles):
                first = now
            if first == first and done_text in screen and "indexing" not in screen:
                whole = now
                break
            time.sleep(0.01)
    finally:
        tmux("kill-session", "-t", session, check=False)
    return first, whole


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another newstui, timed in alternation")
    parser.add_argument(
        "--libraries", type=Path, default=Path(tempfile.gettempdir()) / "newstui-bench"
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("bench/first_article.py needs tmux", file=sys.stderr)
        return 2
    compile_bytecode()
    folder = args.libraries / str(args.count)
    if not folder.is_dir():
        print(f"generating {args.count:,} articles in {folder} …", flush=True)
        subprocess.run(
            [sys.executable, str(BENCH / "generate.py"), str(folder), "--count", str(args.count)],
            check=True,
        )
    titles = first_titles(folder)
    tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 100000")
    commands = {"this": NEWSTUI, **({"against": args.against} if args.against else {})}
    figures: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    try:
        for run in range(1, args.runs + 1):
            for name, newstui in commands.items():
                home = args.libraries / f"first-home-{os.getpid()}"
                first, whole = one_run(newstui, folder.resolve(), args.count, titles, home)
                figures[name][0].append(first)
                figures[name][1].append(whole)
                print(f"run {run} ({name}): first article {first:.2f} s, whole build {whole:.2f} s")
                shutil.rmtree(home, ignore_errors=True)
    finally:
        tmux("kill-server", check=False)
    print()
    for name, (firsts, wholes) in figures.items():
        first, whole = statistics.median(firsts), statistics.median(wholes)
        print(
            f"{name} ({commands[name]}): {args.count:,} files, median of {args.runs}: first "
            f"article on screen {first:.2f} s, whole first build {whole:.2f} s "
            f"({first / whole:.0%} of it)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
