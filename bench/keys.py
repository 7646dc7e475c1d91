"""Key latency in the article list: small library vs large, and a burst of 100 keys.

    python bench/keys.py [--sizes 100,100000] [--libraries DIR]

Headless (Textual's Pilot driver), on the same generated, indexed libraries as
bench/startup.py. A key's latency is the time from posting the key event until the
cursor has moved and the frame has been composed; one frame at 60 Hz is 16.7 ms.
The burst posts 100 cursor-down keys at once and measures until the last one is on screen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import bench_env, prepare

FRAME = 1 / 60


async def until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < deadline:  # type: ignore[operator]
        await asyncio.sleep(0)


async def measure(folder: Path) -> dict[str, float]:
    from textual import events

    from newstui.core.config import Settings
    from newstui.core.paths import AppPaths
    from newstui.tui.app import NewsApp

    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    results: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        articles = app.main.articles if app.main else None
        assert articles is not None
        screen = app.screen

        async def press(key: str, expected: int) -> float:
            started = time.perf_counter()
            app.post_message(events.Key(key, None))
            await until(lambda: articles.cursor == expected)
            screen._on_timer_update()  # compose and write the frame now
            return time.perf_counter() - started

        latencies = []
        for step in range(60):
            latencies.append(await press("down", step + 1))
        for step in range(60):
            latencies.append(await press("up", 59 - step))
        results["key median ms"] = statistics.median(latencies) * 1000
        results["key p95 ms"] = sorted(latencies)[int(len(latencies) * 0.95)] * 1000
        results["end ms"] = await press("end", articles.row_count - 1) * 1000
        results["home ms"] = await press("home", 0) * 1000

        started = time.perf_counter()
        for _ in range(100):
            app.post_message(events.Key("down", None))
        target = min(100, articles.row_count - 1)
        await until(lambda: articles.cursor == target)
        screen._on_timer_update()
        results["burst of 100 ms"] = (time.perf_counter() - started) * 1000
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,100000")
    parser.add_argument(
        "--libraries", type=Path, default=Path(tempfile.gettempdir()) / "newstui-bench"
    )
    args = parser.parse_args()
    args.libraries.mkdir(parents=True, exist_ok=True)
    env = bench_env(args.libraries / "home")
    os.environ.update(env)
    rows = []
    for size in (int(size) for size in args.sizes.split(",") if size):
        folder, _title = prepare(args.libraries, size, env)
        figures = asyncio.run(measure(folder.resolve()))
        rows.append((size, figures))
        summary = ", ".join(f"{name} {value:.1f}" for name, value in figures.items())
        print(f"{size:>7,} articles: {summary}", flush=True)
    names = list(rows[0][1]) if rows else []
    print("\n| articles | " + " | ".join(names) + " |")
    print("|---:|" + "---:|" * len(names))
    for size, figures in rows:
        print(f"| {size:,} | " + " | ".join(f"{figures[name]:.1f}" for name in names) + " |")
    print(f"(one frame at 60 Hz: {FRAME * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
