"""The hostile-text properties with many more examples than CI runs.

    python bench/hostile_fuzz.py [--scale 20] [-k EXPRESSION]

Runs tests/test_reliability_hostile.py with every property's `max_examples` multiplied by
SCALE (the generated-library TUI tour runs too, SCALE/4 libraries), then prints how many
inputs each property tried. Exit status: pytest's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "reliability"))

from tally import read  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("-k", dest="keyword", default=None, help="pytest -k expression")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newstui-fuzz-") as folder:
        tally_file = Path(folder) / "tally.tsv"
        env = {
            **os.environ,
            "NEWSTUI_FUZZ_SCALE": str(args.scale),
            "NEWSTUI_TALLY_FILE": str(tally_file),
        }
        test_file = str(ROOT / "tests" / "test_reliability_hostile.py")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file]
        if args.keyword:
            command += ["-k", args.keyword]
        started = time.monotonic()
        run = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        seconds = time.monotonic() - started
        totals = read(tally_file)
    print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:])
    if run.returncode:
        print(run.stdout[-6000:])
    width = max((len(name) for name in totals), default=10)
    for name, count in sorted(totals.items()):
        print(f"  {name:<{width}}  {count:>7,}")
    print(f"hostile fuzz: scale {args.scale:g}, {sum(totals.values()):,} inputs, {seconds:.0f} s")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
