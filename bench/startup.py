"""Time to first screen: the real `newstui` in tmux, launch -> article titles visible.

    python bench/startup.py [--sizes 10000,50000,100000] [--runs 5] [--libraries DIR]
                            [--newsboat 10000,50000]

For each size a synthetic library is generated once (bench/generate.py) and indexed once
(`newstui index`), so every timed launch starts from a warm index. In the same run, and
alternating with it, a minimal Textual app showing one line is timed the same way: that is
the floor (mostly the cost of importing Textual). Reported: median seconds, the ratio to the
floor, and the peak RSS of newstui once its background check for changed files is done.

When `newsboat` is installed it is timed too (at the `--newsboat` sizes), launch -> its feed
list on screen, over a cache of the same articles: RSS feeds of 1,000 items, the full text as
each item's description, written from the library's files and loaded once with
`newsboat -x reload`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

BENCH = Path(__file__).resolve().parent
NEWSTUI = Path(sys.executable).with_name("newstui")
SOCKET = f"newstui-bench-{os.getpid()}"
SESSIONS = itertools.count(1)
FLOOR_APP = """
from textual.app import App, ComposeResult
from textual.widgets import Static


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("floor-ready")


Floor().run()
"""


def tmux(*args: str, check: bool = True) -> str:
    result = subprocess.run(
        ["tmux", "-u", "-L", SOCKET, *args], capture_output=True, text=True, check=check
    )
    return result.stdout


def bench_env(home: Path) -> dict[str, str]:
    return {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "LANG": "C.UTF-8",
        "TERM": "screen-256color",
    }


def compile_bytecode() -> None:
    """Byte-compile newstui as an installed wheel would be: a checkout run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module at every launch."""
    import newstui

    package = Path(newstui.__file__).parent
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(libraries: Path, size: int, env: dict[str, str]) -> tuple[Path, str]:
    """Generate and index the library once; return it and the text of its first title."""
    folder = libraries / str(size)
    if not folder.is_dir():
        print(f"generating {size:,} articles in {folder} …", flush=True)
        subprocess.run(
            [sys.executable, str(BENCH / "generate.py"), str(folder), "--count", str(size)],
            check=True,
        )
    started = time.perf_counter()
    subprocess.run(
        [str(NEWSTUI), "index", str(folder)],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"index of {size:,} warm ({time.perf_counter() - started:.1f} s)", flush=True)
    probe = (
        "import sys; from pathlib import Path; from newstui.core.paths import AppPaths; "
        "from newstui.core.state.store import StateStore; "
        "from newstui.core.library import Library; "
        "paths = AppPaths.default(); state = StateStore(paths.state_db); "
        "print(Library(Path(sys.argv[1]), paths, state).page(0, 1)[0].title)"
    )
    title = subprocess.run(
        [sys.executable, "-c", probe, str(folder)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return folder, title[:16]


FEED_ITEMS = 1000
FEED_TITLE = "bench feed {:03d}"
NEWSBOAT_CONFIG = "max-items 0\nshow-read-feeds yes\nreload-threads 2\n"


def prepare_newsboat(libraries: Path, size: int, folder: Path) -> list[str] | None:
    """A newsboat cache of the library's articles, built once; the command that opens it."""
    if shutil.which("newsboat") is None:
        return None
    home = libraries / f"newsboat-{size}"
    cache, urls, config = home / "cache.db", home / "urls", home / "config"
    command = ["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(config)]
    if (home / "done").exists():
        return command
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    files = sorted(folder.rglob("*.txt"))
    feeds = []
    for number, start in enumerate(range(0, len(files), FEED_ITEMS), start=1):
        feed = home / f"feed{number:03d}.xml"
        items = "".join(rss_item(path) for path in files[start : start + FEED_ITEMS])
        feed.write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{FEED_TITLE.format(number)}</title><link>file://{feed}</link>"
            f"<description>newstui bench</description>{items}</channel></rss>\n",
            encoding="utf-8",
        )
        feeds.append(f"file://{feed}")
    urls.write_text("\n".join(feeds) + "\n", encoding="utf-8")
    config.write_text(NEWSBOAT_CONFIG, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([*command, "-x", "reload"], check=True, stdout=subprocess.DEVNULL)
    with sqlite3.connect(cache) as conn:
        items = conn.execute("SELECT count(*) FROM rss_item").fetchone()[0]
    print(f"newsboat cache of {items:,} items ({time.perf_counter() - started:.1f} s)", flush=True)
    (home / "done").touch()
    return command


def shows_first_feed(screen: str) -> bool:
    return FEED_TITLE.format(1) in screen


def rss_item(path: Path) -> str:
    title, _, text = path.read_text(encoding="utf-8").partition("\n")
    day = time.strptime(path.name[:10], "%Y-%m-%d")
    published = format_datetime(datetime(*day[:3], 12, tzinfo=timezone.utc))
    return (
        f"<item><title>{escape(title)}</title><link>file://{escape(str(path))}</link>"
        f"<guid>{escape(str(path))}</guid><pubDate>{published}</pubDate>"
        f"<description>{escape(text.strip())}</description></item>"
    )


def descendants(pid: int) -> list[int]:
    found = [pid]
    for candidate in Path("/proc").iterdir():
        if not candidate.name.isdigit():
            continue
        try:
            fields = (candidate / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) in found:
            found.append(int(candidate.name))
    return found


def peak_rss_mb(pid: int) -> float:
    peak = 0
    for process in descendants(pid):
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def launch(
    command: list[str],
    ready: Callable[[str], bool],
    size: tuple[int, int],
    settled: Callable[[str], bool] | None = None,
) -> tuple[float, float]:
    """Seconds from launch until `ready(screen)`, and the peak RSS (MB) once `settled`."""
    session = f"bench{next(SESSIONS)}"
    width, height = size
    shell_command = " ".join(command)
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), shell_command)
    deadline = started + 120
    elapsed = float("nan")
    while time.perf_counter() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session, check=False)
        if ready(screen):
            elapsed = time.perf_counter() - started
            break
        time.sleep(0.004)
    rss = 0.0
    if settled is not None:
        while time.perf_counter() < deadline:
            if settled(tmux("capture-pane", "-p", "-t", session, check=False)):
                break
            time.sleep(0.05)
        pid = int(tmux("display", "-p", "-t", session, "#{pane_pid}").strip() or 0)
        rss = peak_rss_mb(pid) if pid else 0.0
    tmux("kill-session", "-t", session, check=False)
    return elapsed, rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated library sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--libraries", type=Path, default=Path(tempfile.gettempdir()) / "newstui-bench"
    )
    parser.add_argument(
        "--newsboat", default="10000,50000", help="sizes to time newsboat at, if installed"
    )
    parser.add_argument("--width", type=int, default=120)
    parser.add_argument("--height", type=int, default=40)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("bench/startup.py needs tmux", file=sys.stderr)
        return 2
    sizes = [int(size) for size in args.sizes.split(",") if size]
    compile_bytecode()
    args.libraries.mkdir(parents=True, exist_ok=True)
    env = bench_env(args.libraries / "home")
    floor_file = args.libraries / "floor.py"
    floor_file.write_text(FLOOR_APP, encoding="utf-8")
    floor_command = ["env", *(f"{k}={v}" for k, v in env.items()), sys.executable, str(floor_file)]
    terminal = (args.width, args.height)
    rows = []
    # a session that lives for the whole run, so the server never exits between launches
    tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 100000")
    try:
        for size in sizes:
            folder, title = prepare(args.libraries, size, env)
            newsboat = None
            if str(size) in args.newsboat.split(","):
                newsboat = prepare_newsboat(args.libraries, size, folder)
            app_command = ["env", *(f"{k}={v}" for k, v in env.items()), str(NEWSTUI), str(folder)]
            floors, apps, peaks, boats = [], [], [], []
            for _ in range(args.runs):
                floor_time, _ = launch(floor_command, lambda s: "floor-ready" in s, terminal)
                app_time, peak = launch(
                    app_command,
                    lambda s, title=title: title in s,
                    terminal,
                    settled=lambda s: "articles," in s and "checking" not in s,
                )
                floors.append(floor_time)
                apps.append(app_time)
                peaks.append(peak)
                if newsboat:
                    Path(newsboat[4] + ".lock").unlink(missing_ok=True)  # left by the kill
                    boats.append(launch(newsboat, shows_first_feed, terminal)[0])
            floor, app = statistics.median(floors), statistics.median(apps)
            boat = statistics.median(boats) if boats else None
            rows.append((size, floor, app, app / floor, max(peaks), boat))
            versus = f", newsboat {boat:.3f} s ({app / boat:.2f}x)" if boat else ""
            print(
                f"{size:>7,} articles: floor {floor:.3f} s, newstui {app:.3f} s "
                f"({app / floor:.2f}x), peak RSS {max(peaks):.0f} MB{versus}",
                flush=True,
            )
    finally:
        tmux("kill-server", check=False)
        socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_dir / SOCKET).unlink(missing_ok=True)
    print("\n| articles | floor (s) | newstui (s) | ratio | peak RSS (MB) | newsboat (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, floor, app, ratio, peak, boat in rows:
        boat_cell = f"{boat:.3f} ({app / boat:.2f}x)" if boat else "-"
        print(f"| {size:,} | {floor:.3f} | {app:.3f} | {ratio:.2f}x | {peak:.0f} | {boat_cell} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
