"""Speed and memory of the library core on synthetic libraries.

    python bench/index_speed.py                      # quick: 2,000 articles
    python bench/index_speed.py --sizes 10000,100000 --runs 3

For each size: generates a library with bench/generate.py (kept under --work, default
bench/out/, and reused), then reports medians of --runs runs of

- floor: reading and decoding every file in one process (page cache warm);
- cold index: `newstui index DIR` into an empty cache (a subprocess, as a user runs it),
  and the CPU time it used, worker processes included (steadier on a shared machine);
- warm open: `Library(...)` + `refresh()` with nothing changed;
- page: a screenful (50 rows) at the top, middle and end of the date-sorted list;
- search p50/p95 over a mix of rare, mid-frequency and common words, two-word queries,
  phrases, prefixes and qualifiers, picked from the index's own vocabulary (the time
  to the hits and the snippets of the first 20, what the reader waits for);
- related p50/p95 over sampled articles;
- peak RSS of `newstui list DIR --json > /dev/null`, and the index size on disk.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from newstui.core.formats.text import decode  # noqa: E402
from newstui.core.index.scan import walk  # noqa: E402
from newstui.core.library import Library  # noqa: E402
from newstui.core.paths import AppPaths  # noqa: E402
from newstui.core.state.store import StateStore  # noqa: E402

PYTHON = sys.executable
TARGETS_100K = {
    "cold index s": 30.0,
    "warm open s": 1.0,
    "search p50 ms": 10.0,
    "search p95 ms": 150.0,
    "related p50 ms": 10.0,
    "list --json peak MB": 150.0,
}


def generated(work: Path, size: int, seed: int) -> Path:
    folder = work / f"lib-{size}-seed{seed}"
    stamp = work / f"lib-{size}-seed{seed}.done"
    if not stamp.exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [
                PYTHON,
                str(HERE / "generate.py"),
                str(folder),
                "--count",
                str(size),
                "--seed",
                str(seed),
            ],
            check=True,
        )
        stamp.touch()
    return folder


@contextmanager
def user_dirs(root: Path) -> Iterator[dict[str, str]]:
    """XDG dirs under `root`, set for this process and returned for subprocesses."""
    variables = {
        "XDG_CACHE_HOME": str(root / "cache"),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CONFIG_HOME": str(root / "config"),
    }
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield {**os.environ, **variables}
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def read_floor(folder: Path) -> float:
    paths = [file.path for file in walk(folder, [])]

    def read_all() -> None:
        for path in paths:
            with open(path, "rb") as stream:
                decode(stream.read())

    return timed(read_all)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_index(folder: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a first `newstui index DIR`."""
    shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    command = [PYTHON, "-m", "newstui", "index", str(folder)]
    cpu = children_cpu()
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, children_cpu() - cpu


def peak_rss_mb(command: list[str], env: dict[str, str]) -> float:
    """Peak RSS of `command`, measured by a wrapper whose only child it is."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [PYTHON, "-c", probe, *command], env=env, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip()) / 1024


def query_mix(db: Path, rng: random.Random) -> list[str]:
    """Queries from the index's own vocabulary, by document frequency."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search, row)")
    frequency = dict(conn.execute("SELECT term, doc FROM temp.vocab"))
    terms = [(term, docs) for term, docs in frequency.items() if term.isalpha() and len(term) > 3]
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    rare = [t for t, d in terms if 2 <= d <= max(3, total // 2000)]
    mid = [t for t, d in terms if total // 200 <= d <= total // 20]
    common = [t for t, d in terms if d >= total // 4]
    bodies = [body for (body,) in conn.execute("SELECT body FROM texts ORDER BY random() LIMIT 20")]
    authors = [a for (a,) in conn.execute("SELECT DISTINCT author FROM articles LIMIT 50") if a]
    conn.close()

    def some(pool: list[str], count: int) -> list[str]:
        return rng.sample(pool, min(count, len(pool))) if pool else []

    # Phrases people search for hold at least one word that is not everywhere:
    # adjacent pairs from real bodies, one of them no more common than "mid".
    phrases: list[str] = []
    for body in bodies:
        words = [w.strip(".,“”\"'").casefold() for w in body.split()]
        pairs = [
            (a, b)
            for a, b in itertools.pairwise(words)
            if min(frequency.get(a, 0), frequency.get(b, 0)) <= total // 20
        ]
        if pairs and len(phrases) < 6:
            phrases.append('"{} {}"'.format(*rng.choice(pairs)))
    mix = [
        *some(rare, 8),
        *some(mid, 8),
        *some(common, 3),
        *[f"{a} {b}" for a, b in zip(some(mid, 3), some(mid, 3), strict=False)],
        *[f"{a} {b}" for a, b in zip(some(common, 2), some(mid, 2), strict=False)],
        *phrases,
        *[term[:5] + "*" for term in some(mid, 3)],
        *[
            f"author:{name.split()[-1]} {term}"
            for name, term in zip(some(authors, 2), some(mid, 2), strict=False)
        ],
        *[f"is:unread {term}" for term in some(mid, 2)],
        *[f"{term} -{other}" for term, other in zip(some(mid, 2), some(mid, 2), strict=False)],
    ]
    return mix


def first_screen(library: Library, query: str) -> list[str]:
    return [hit.snippet for hit in library.search(query)[:20]]


def measure(size: int, args: argparse.Namespace) -> dict[str, float]:
    rng = random.Random(size)
    folder = generated(args.work, size, args.seed)
    results: dict[str, float] = {"articles": size}
    with contextlib.ExitStack() as stack:
        if args.home:
            home = args.home / f"home-{size}"
        else:
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newstui-")))
        env = stack.enter_context(user_dirs(home))
        read_floor(folder)  # warm the page cache once
        results["floor s"] = statistics.median(read_floor(folder) for _ in range(args.runs))
        if args.cold_runs:
            colds = [cold_index(folder, env) for _ in range(args.cold_runs)]
            results["cold index s"] = statistics.median(wall for wall, _ in colds)
            results["cold index cpu s"] = statistics.median(cpu for _, cpu in colds)
            results["cold / floor"] = results["cold index s"] / results["floor s"]
        else:  # reuse the index kept in --home (built once if missing)
            subprocess.run([PYTHON, "-m", "newstui", "index", str(folder)], env=env, check=True)
        paths = AppPaths.default()
        state = StateStore(paths.state_db)

        def warm() -> None:
            library = Library(folder, paths, state)
            library.refresh()
            library.close()

        results["warm open s"] = statistics.median(timed(warm) for _ in range(args.runs))
        library = Library(folder, paths, state)
        count = library.count()
        pages = [
            timed(lambda offset=offset: library.page(offset, 50))  # type: ignore[misc]
            for _ in range(args.runs * 5)
            for offset in (0, count // 2, max(0, count - 50))
        ]
        results["page p50 ms"] = statistics.median(pages) * 1000
        results["count ms"] = statistics.median(timed(library.count) for _ in range(5)) * 1000
        mix = query_mix(paths.index_db(folder), rng)
        latencies = []
        slowest = ("", 0.0)
        for _ in range(args.runs):
            for query in mix:
                # what a face waits for: the hits, and the snippets of the first screenful
                elapsed = timed(lambda query=query: first_screen(library, query))  # type: ignore[misc]
                latencies.append(elapsed * 1000)
                slowest = max(slowest, (query, elapsed * 1000), key=lambda item: item[1])
        results["search p50 ms"] = percentile(latencies, 0.5)
        results["search p95 ms"] = percentile(latencies, 0.95)
        results["search max ms"] = slowest[1]
        sample = [row.id for row in library.page(0, count)][:: max(1, count // 40)][:40]
        related = [timed(lambda i=i: library.related(i)) * 1000 for i in sample]  # type: ignore[misc]
        results["related p50 ms"] = percentile(related, 0.5)
        results["related p95 ms"] = percentile(related, 0.95)
        library.close()
        state.close()
        db = paths.index_db(folder)
        size_bytes = sum(
            p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists()
        )
        results["index MB"] = size_bytes / 1e6
        command = [PYTHON, "-m", "newstui", "list", str(folder), "--json"]
        results["list --json peak MB"] = max(peak_rss_mb(command, env) for _ in range(2))
        if args.verbose:
            print(f"slowest query at {size}: {slowest[0]!r} {slowest[1]:.1f} ms", file=sys.stderr)
    return results


def print_table(rows: list[dict[str, float]]) -> None:
    keys = list(dict.fromkeys(key for row in rows for key in row))
    width = max(len(key) for key in keys)
    print(
        f"{'':<{width}}  " + "  ".join(f"{int(r['articles']):>10,}" for r in rows) + "  target@100k"
    )
    for key in keys[1:]:
        cells = "  ".join(f"{r[key]:>10.2f}" if key in r else f"{'-':>10}" for r in rows)
        target = TARGETS_100K.get(key)
        print(f"{key:<{width}}  {cells}  {'< ' + format(target, 'g') if target else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000", help="comma-separated article counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--cold-runs", type=int, default=None, help="cold builds to time (default: --runs)"
    )
    parser.add_argument(
        "--home", type=Path, help="keep the XDG dirs (index, state) here between runs"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "out", help="generated libraries")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.cold_runs is None:
        args.cold_runs = args.runs
    rows = [measure(int(size), args) for size in args.sizes.split(",")]
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
