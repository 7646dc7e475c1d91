"""Regenerate docs/newstui.svg: the four panes on the bundled samples at 200x50.

Runs headless with throwaway XDG dirs, so it never touches your own reading state:
    .venv/bin/python bench/screenshot.py [--size 200x50] [--out docs/newstui.svg]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def take(out: Path, size: tuple[int, int]) -> None:
    from newstui.core.paths import AppPaths
    from newstui.core.resources import sample_articles_dir
    from newstui.tui.app import NewsApp

    app = NewsApp(library=sample_articles_dir(), paths=AppPaths.default(), watch=False)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in ("j", "j", "j", "enter"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause(0.2)
        out.parent.mkdir(parents=True, exist_ok=True)
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="200x50")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "newstui.svg")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    with tempfile.TemporaryDirectory() as home:
        for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
            os.environ[variable] = str(Path(home) / variable.lower())
        asyncio.run(take(args.out, (width, height)))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
