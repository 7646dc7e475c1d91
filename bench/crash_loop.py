"""Kill reader-state writers with SIGKILL, many times; count what survives.

    python bench/crash_loop.py [--cycles 200] [--seed N] [--fresh-every 20]

Each cycle starts tests/fixtures/reliability/state_writer.py on the database, kills it at
a random moment (while opening: creating, checking or migrating; or while writing), then
checks with a raw `PRAGMA integrity_check` and a reopened StateStore that every
acknowledged write is there. Every FRESH_EVERY cycles the run starts again from the kept
schema-1 database, so kills also land in migrations; its rows must survive too.
Prints one line of figures (also as JSON with --json) and exits 1 if anything was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "fixtures" / "reliability"))

from crash_harness import Cycle, run_cycle, start_from_v1, verify


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--verify-every", type=int, default=10, help="check after every N kills")
    parser.add_argument("--fresh-every", type=int, default=20, help="new v1 database every N")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    figures: Counter[str] = Counter()  # events, summed over the run
    latest: dict[str, int] = {}  # the last verdict on the current database
    problems: list[str] = []
    started = time.monotonic()

    def close_database() -> None:
        for key, value in latest.items():
            figures[key] += value
        latest.clear()

    with tempfile.TemporaryDirectory(prefix="newstui-crash-") as folder:
        db = Path(folder) / "state.sqlite3"
        cycles: list[Cycle] = []
        for number in range(args.cycles):
            if number % args.fresh_every == 0:
                close_database()
                db = Path(folder) / f"db-{number}" / "state.sqlite3"
                start_from_v1(db)
                cycles = []
                figures["databases"] += 1
            cycle = run_cycle(db, f"c{number}", rng)
            cycles.append(cycle)
            figures[f"killed while {cycle.killed_while}"] += 1
            if "Traceback" in cycle.stderr:
                problems.append(f"cycle {number}: {cycle.stderr.strip().splitlines()[-1]}")
            last_of_db = (number + 1) % args.fresh_every == 0 or number + 1 == args.cycles
            if (number + 1) % args.verify_every == 0 or last_of_db:
                verdict = verify(db, cycles, from_v1=True)
                figures["checks"] += 1
                figures["integrity failures"] += verdict.integrity != "ok"
                if verdict.integrity != "ok":
                    problems.append(f"cycle {number}: integrity {verdict.integrity}")
                problems += [f"cycle {number}: lost {item}" for item in verdict.lost[:5]]
                problems += [f"cycle {number}: torn {item}" for item in verdict.torn[:5]]
                problems += [f"cycle {number}: warning {w}" for w in verdict.warnings]
                problems += [f"cycle {number}: moved aside {m}" for m in verdict.moved_aside]
                latest.update({
                    "acknowledged writes": verdict.acked_writes,
                    "lost writes": len(verdict.lost),
                    "torn transactions": len(verdict.torn),
                })  # fmt: skip
        close_database()
        size = db.stat().st_size
    result = {
        "seed": seed,
        "cycles": args.cycles,
        **dict(figures),
        "database bytes": size,
        "seconds": round(time.monotonic() - started, 1),
        "problems": problems,
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(
            f"crash loop: {args.cycles} SIGKILL cycles (seed {seed}; "
            f"{figures['killed while opening']} while opening, "
            f"{figures['killed while writing']} while writing), "
            f"{figures['acknowledged writes']} acknowledged writes, "
            f"{figures['lost writes']} lost, {figures['torn transactions']} torn, "
            f"{figures['integrity failures']} integrity failures "
            f"({figures['databases']} databases from schema 1, {figures['checks']} checks), "
            f"{len(problems)} problems, {result['seconds']} s"
        )
        for problem in problems[:20]:
            print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
