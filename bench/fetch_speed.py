"""Fetch speed on loopback: 200 feeds x 50 entries, an all-304 second fetch, newsboat, full text.

    python bench/fetch_speed.py [--feeds 200] [--entries 50] [--pages 100] [--runs 5] [--work DIR]
    python bench/fetch_speed.py --feeds 20,100,200 --entries 20 --pages 0   # one set after another
    python bench/fetch_speed.py --real DIR [--feeds 20,100] [--runs 5]   # real feed files instead

`--real DIR` serves every file in DIR as a feed (for example the 200 real feeds of
kagisearch/fastfeedparser's `benchmark_data`, kept outside the repository) in place of the
generated ones (with `--feeds`, the first N files in name order); the full-text part still
uses generated feeds and pages.

Serves the feeds from 20 loopback addresses (127.0.1.1-20, ten feeds each: real feeds come
from many hosts, and newstui allows 2 connections per host) with ETag and Last-Modified.
Each run uses fresh XDG dirs. Reported: medians of `--runs` runs of
- newstui first fetch (`newstui fetch --json`): wall time, CPU (user + system, worker
  processes included) and peak RSS of the main process,
- newstui second fetch, every feed answering 304: wall, CPU and files written (must be 0),
- newsboat (`newsboat -x reload`, reload-threads 8) over the same URLs, when installed,
  right after newstui in the same run: wall, CPU, peak RSS, and newstui's wall over its,
- full text: 10 feeds linking to `--pages` article pages, pages per second.
newstui runs with its bytecode cached, as after `pip install` (this machine's environment
sets PYTHONDONTWRITEBYTECODE, which would compile every module on every start).
Only 127.x addresses are ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ENTRIES = 50  # set from --entries
HOSTS = [f"127.0.1.{n}" for n in range(1, 21)]
LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT"
PARAGRAPH = (
    "The council met on Tuesday to discuss the harbour plan, which has divided the town "
    "for a decade; supporters say it brings jobs while critics fear for the old quay. "
)


def feed_xml(number: int, entries: int, host: str, port: int) -> bytes:
    items = []
    for entry in range(entries):
        items.append(
            f"<item><title>Feed {number} story {entry}: harbour plan vote</title>"
            f"<link>http://{host}:{port}/page/{number}/{entry}</link>"
            f"<guid>urn:feed:{number}:{entry}</guid>"
            f"<pubDate>Tue, 01 Dec 2026 {entry % 24:02d}:{entry % 60:02d}:00 GMT</pubDate>"
            f"<author>desk@example.news (Writer {entry % 7})</author>"
            f"<description>&lt;p&gt;{PARAGRAPH}&lt;/p&gt;&lt;p&gt;{PARAGRAPH}&lt;/p&gt;</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench feed {number}</title><link>http://{host}/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def page_html(number: int, entry: int) -> bytes:
    body = "".join(f"<p>{PARAGRAPH} Paragraph {n}.</p>" for n in range(12))
    return (
        f"<html><head><title>Story {number}/{entry}</title></head><body><nav>Home</nav>"
        f"<article><h1>Story {number}/{entry}</h1>{body}</article><footer>c</footer></body></html>"
    ).encode()


class Site:
    def __init__(self, feeds: int, entries: int, real: list[bytes] | None = None) -> None:
        self.bodies: dict[str, bytes] = {}
        self.requests = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.requests += 1
                if self.path.startswith("/page/"):
                    _, _, number, entry = self.path.split("/")
                    self._reply(200, page_html(int(number), int(entry)), "text/html")
                    return
                body = site.bodies.get(self.path)
                if body is None:
                    self._reply(404, b"", "text/plain")
                elif self.headers.get("If-None-Match") == '"v1"':
                    self._reply(304, b"", None)
                else:
                    self._reply(200, body, "application/rss+xml")

            def _reply(self, status: int, body: bytes, kind: str | None) -> None:
                self.send_response(status)
                self.send_header("ETag", '"v1"')
                self.send_header("Last-Modified", LAST_MODIFIED)
                if kind:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.servers = [ThreadingHTTPServer((host, 0), Handler) for host in HOSTS]
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.urls = []
        for number in range(len(real) if real else feeds):
            server = self.servers[number % len(self.servers)]
            host, port = server.server_address[0], server.server_address[1]
            path = f"/feed/{number}.xml"
            if real:
                self.bodies[path] = real[number]
            else:
                self.bodies[path] = feed_xml(number, entries, str(host), int(port))
            self.urls.append(f"http://{host}:{port}{path}")

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


def subscribe(home: Path, urls: list[str], full_text: bool = False) -> None:
    config = home / "config" / "newstui"
    config.mkdir(parents=True, exist_ok=True)
    extra = "full_text = true\n" if full_text else ""
    (config / "feeds.toml").write_text("".join(f'[[feed]]\nurl = "{u}"\n{extra}\n' for u in urls))


CPU: dict[str, float] = {}  # CPU seconds (user + system) of the last timed command, children too


def timed(
    command: list[str], env: dict[str, str], output: Path | None = None
) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB, exit status of one child process (CPU into `CPU`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    stdout = open(output, "wb") if output else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if output:
        stdout.close()  # type: ignore[union-attr]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["last"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU["last"] = max(CPU["last"], usage.ru_utime + usage.ru_stime)
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def snapshot(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


def newstui_command() -> list[str]:
    return [sys.executable, "-m", "newstui", "fetch", "--json"]


def run_once(site: Site, work: Path, pages: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    home = work / "newstui"
    subscribe(home, site.urls)
    env = environment(home)
    news = home / "data" / "newstui" / "news"
    wall, rss, code = timed(newstui_command(), env, work / "first.json")
    report = json.loads((work / "first.json").read_bytes())
    for feed in report["feeds"]:
        if feed["outcome"] == "failed":
            print(f"  newstui: {feed['url']}: {feed['reason']}", file=sys.stderr)
    assert code in (0, 1), f"newstui fetch exited {code}"
    files = sum(len(json.loads(path.read_bytes())) for path in news.rglob("*.json"))
    figures.update(first_s=wall, first_cpu_s=CPU["last"], first_rss_mb=rss, articles=files)
    figures["failed"] = report["failed"]
    before = snapshot(news)
    requests = site.requests
    # --force: ask every feed again now (a fetch honours max-age/ttl; this bench sends none)
    wall, _, code = timed([*newstui_command(), "--force"], env)
    assert code in (0, 1)
    after = snapshot(news)
    figures.update(
        second_s=wall,
        second_cpu_s=CPU["last"],
        second_written=sum(1 for p, m in after.items() if before.get(p) != m),
        second_requests=site.requests - requests,
    )
    if shutil.which("newsboat"):
        figures["newsboat_s"], figures["newsboat_rss_mb"] = newsboat_once(
            site.urls, work / "newsboat"
        )
        figures["newsboat_cpu_s"] = CPU["last"]
        figures["newstui_over_newsboat"] = figures["first_s"] / figures["newsboat_s"]
    if pages:
        figures["pages_per_s"] = full_text_once(site, work / "fulltext", pages)
    return figures


def newsboat_once(urls: list[str], home: Path) -> tuple[float, float]:
    home.mkdir(parents=True)
    (home / "urls").write_text("\n".join(urls) + "\n")
    (home / "config").write_text("reload-threads 8\nshow-read-feeds yes\n")
    command = [
        "newsboat",
        "-x",
        "reload",
        "-u",
        str(home / "urls"),
        "-c",
        str(home / "cache.db"),
        "-C",
        str(home / "config"),
    ]
    env = environment(home)
    wall, rss, code = timed(command, env)
    assert code == 0, f"newsboat exited {code}"
    with sqlite3.connect(home / "cache.db") as db:
        items = db.execute("SELECT count(*) FROM rss_item").fetchone()[0]
    assert ENTRIES == 0 or items == len(urls) * ENTRIES, f"newsboat stored {items} items"
    return wall, rss


def full_text_once(site: Site, home: Path, pages: int) -> float:
    per_feed = 10
    feeds = []
    for number in range(pages // per_feed):
        server = site.servers[number % len(site.servers)]
        host, port = server.server_address[0], server.server_address[1]
        path = f"/fulltext/{number}.xml"
        site.bodies[path] = feed_xml(10_000 + number, per_feed, str(host), int(port))
        feeds.append(f"http://{host}:{port}{path}")
    subscribe(home, feeds, full_text=True)
    wall, _, code = timed(newstui_command(), environment(home))
    assert code == 0
    return pages / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", default="200", help="a number, or several: 20,100,200")
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--work", type=Path, default=Path(__file__).parent / "out", help="scratch folder"
    )
    parser.add_argument("--real", type=Path, help="serve the feed files in this folder")
    args = parser.parse_args()
    global ENTRIES
    ENTRIES = 0 if args.real else args.entries  # (real feeds: newsboat's count is not checked)
    real = [path.read_bytes() for path in sorted(args.real.iterdir())] if args.real else None
    import newstui  # its bytecode written once, as pip does on install

    package = str(Path(newstui.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)
    for feeds in (int(number) for number in args.feeds.split(",")):
        one_set(args, feeds, real[:feeds] if real else None)


def one_set(args: argparse.Namespace, feeds: int, real: list[bytes] | None) -> None:
    site = Site(feeds, args.entries, real)
    runs = []
    try:
        for run in range(args.runs):
            args.work.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(prefix="fetch-", dir=args.work) as work:
                figures = run_once(site, Path(work), args.pages)
            runs.append(figures)
            print(f"run {run + 1}: " + ", ".join(f"{k}={v:.3g}" for k, v in figures.items()))
    finally:
        site.close()
    what = f"{len(real)} real feeds" if real else f"{feeds} feeds x {args.entries} entries"
    print(f"\nmedians of {len(runs)} runs, {what}:")
    for key in runs[0]:
        values = sorted(r[key] for r in runs)
        print(f"  {key:22} {statistics.median(values):8.3g}   ({values[0]:.3g}-{values[-1]:.3g})")
    print(flush=True)


if __name__ == "__main__":
    main()
