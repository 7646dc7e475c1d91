"""The reliability figures in one place: property-test inputs, kill cycles, corruptions
recovered, concurrent writes checked, and anything lost.

    python bench/reliability_report.py [--scale 1] [--crash-cycles 200] [--markdown]

Runs the five tests/test_reliability_*.py files once (hypothesis examples times SCALE),
counting what they tried (tests/fixtures/reliability/tally.py), then bench/crash_loop.py
for CRASH_CYCLES SIGKILL cycles (0 skips it), and prints a summary (a Markdown table with
--markdown, for bench/README.md). Failing tests are listed: a figure only counts passing checks.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "reliability"))

from tally import read  # noqa: E402

TEST_FILES = [
    f"tests/test_reliability_{name}.py"
    for name in ("hostile", "files", "crash", "corruption", "concurrency")
]


def run_tests(scale: float) -> tuple[Counter[str], list[str], str, float]:
    with tempfile.TemporaryDirectory(prefix="newstui-report-") as folder:
        tally_file = Path(folder) / "tally.tsv"
        env = {**os.environ, "NEWSTUI_FUZZ_SCALE": str(scale),
               "NEWSTUI_TALLY_FILE": str(tally_file)}  # fmt: skip
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", *TEST_FILES],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.monotonic() - started
        totals = read(tally_file)
    failed = re.findall(r"^FAILED (\S+)", run.stdout, re.MULTILINE)
    lines = run.stdout.strip().splitlines()
    return totals, failed, lines[-1] if lines else run.stderr[-500:], seconds


def run_crash_loop(cycles: int) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "crash_loop.py"), "--cycles", str(cycles), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        result: dict[str, object] = json.loads(run.stdout)
    except json.JSONDecodeError:
        return {"error": (run.stdout + run.stderr)[-500:]}
    return result


def total(totals: Counter[str], prefix: str, contains: str = "") -> int:
    return sum(n for name, n in totals.items() if name.startswith(prefix) and contains in name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--crash-cycles", type=int, default=200)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--details", action="store_true", help="every counter")
    args = parser.parse_args()
    totals, failed, verdict, seconds = run_tests(args.scale)
    crash = run_crash_loop(args.crash_cycles) if args.crash_cycles else {}
    property_inputs = total(totals, "parser") + total(totals, "cli:") + total(totals, "tui:")
    rows = [
        ("tests", f"{verdict} ({seconds:.0f} s, hypothesis scale {args.scale:g})"),
        ("hostile inputs tried by the property tests", f"{property_inputs:,}"),
        ("  through a parser", f"{total(totals, 'parser'):,}"),
        ("  through every CLI command (libraries)", f"{total(totals, 'cli:'):,}"),
        ("  through the TUI (full tours)", f"{total(totals, 'tui:'):,}"),
        ("bad files reported or loaded, rest of library intact",
         f"{len([n for n in totals if n.startswith('bad files')])} kinds"),
        ("SIGKILL cycles survived (tests)", f"{total(totals, 'crash: SIGKILL'):,}"),
        ("corruptions recovered", f"{total(totals, 'corruption:'):,}"),
        ("concurrent writes checked", f"{total(totals, 'concurrency:', 'writes'):,}"),
        ("simultaneous refreshes, index consistent", f"{total(totals, 'concurrency: simul'):,}"),
    ]  # fmt: skip
    if crash:
        if "error" in crash:
            rows.append(("crash loop", f"error: {crash['error']}"))
        else:
            rows += [
                ("crash loop: SIGKILL cycles", f"{crash['cycles']:,} (seed {crash['seed']})"),
                ("crash loop: acknowledged writes", f"{crash.get('acknowledged writes', 0):,}"),
                ("crash loop: lost / torn / integrity failures",
                 f"{crash.get('lost writes', 0)} / {crash.get('torn transactions', 0)} / "
                 f"{crash.get('integrity failures', 0)}"),
            ]  # fmt: skip
    rows.append(("failing checks", ", ".join(failed) if failed else "none"))
    if args.markdown:
        print("| check | figure |\n|---|---|")
        for name, value in rows:
            print(f"| {name.strip()} | {value} |")
    else:
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"{name:<{width}}  {value}")
    if args.details:
        for name, count in sorted(totals.items()):
            print(f"  {name}: {count:,}")
    lost = crash.get("lost writes", 0) if crash else 0
    return 1 if failed or lost else 0


if __name__ == "__main__":
    sys.exit(main())
