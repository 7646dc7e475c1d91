"""Import speed on loopback: a Pocket-style CSV of URLs, every page fetched and extracted.

    python bench/import_speed.py [--entries 5000] [--hosts 20] [--runs 3] [--work DIR]

Writes a Pocket CSV export (`title,url,time_added,tags,status`) of `--entries` URLs spread
over `--hosts` loopback addresses (127.0.1.x: an export's URLs come from many sites, and
the fetcher allows 2 connections per host, 16 in all), each serving article pages. Runs
`newstui import FILE --allow loopback --json` with fresh XDG dirs, the fetcher's default
limits in force (timeouts, size cap, per-host cap). Reported, medians of `--runs` runs:
wall time, pages per second, peak RSS; then a second import of the same file (must write
0 files) and its wall time. Only 127.x addresses are ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fetch_speed import environment  # the same dirs, and bytecode cached as after install

PARAGRAPH = (
    "The council met on Tuesday to discuss the harbour plan, which has divided the town "
    "for a decade; supporters say it brings jobs while critics fear for the old quay. "
)


def page_html(number: int) -> bytes:
    body = "".join(f"<p>{PARAGRAPH} Paragraph {n} of story {number}.</p>" for n in range(10))
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>Story {number} | The Bench Herald</title>"
        f"<meta name='author' content='Writer {number % 17}'></head><body><nav>Home</nav>"
        f"<article><h1>Story {number}</h1>{body}</article><footer>c</footer></body></html>"
    ).encode()


class Site:
    def __init__(self, hosts: int) -> None:
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(handler) -> None:
                self.requests += 1
                number = handler.path.rsplit("/", 1)[-1]
                body = page_html(int(number)) if number.isdigit() else b""
                handler.send_response(200 if body else 404)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        addresses = [f"127.0.1.{n}" for n in range(1, hosts + 1)]
        self.servers = [ThreadingHTTPServer((address, 0), Handler) for address in addresses]
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def url(self, number: int) -> str:
        host, port = self.servers[number % len(self.servers)].server_address[:2]
        return f"http://{host!s}:{port}/story/{number}"

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def write_export(site: Site, entries: int, path: Path) -> None:
    lines = ["title,url,time_added,tags,status"]
    for number in range(entries):
        status = "archive" if number % 3 == 0 else "unread"
        lines.append(f"Story {number},{site.url(number)},{1700000000 + number},bench,{status}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_import(export: Path, home: Path) -> tuple[float, dict[str, Any], float]:
    """Wall seconds, the import's report, and the child's peak RSS in MB."""
    command = [sys.executable, "-m", "newstui", "import", str(export), "--allow", "loopback"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--json"], env=environment(home), capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr.strip()[:500]}")
    report = json.loads(done.stdout.splitlines()[-1])["report"]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, report, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="default: a temporary folder")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="newstui-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    site = Site(args.hosts)
    export = work / "pocket.csv"
    write_export(site, args.entries, export)
    walls, again_walls, peaks = [], [], []
    try:
        for run in range(args.runs):
            home = work / f"home-{run}"
            shutil.rmtree(home, ignore_errors=True)
            wall, report, peak = run_import(export, home)
            if report["written"] != args.entries:
                raise SystemExit(f"run {run}: {report['written']} pages fetched: {report}")
            again, second, _ = run_import(export, home)
            if second["written"] or second["not_fetched"] or second["already"] != args.entries:
                raise SystemExit(f"run {run}: the second import wrote something: {second}")
            walls.append(wall)
            again_walls.append(again)
            peaks.append(peak)
            print(
                f"run {run + 1}: {wall:.1f} s, {args.entries / wall:.1f} pages/s, "
                f"second import {again:.2f} s (0 files written)",
                flush=True,
            )
    finally:
        site.close()
    wall = statistics.median(walls)
    print(
        json.dumps(
            {
                "entries": args.entries,
                "hosts": args.hosts,
                "runs": args.runs,
                "wall_s_median": round(wall, 2),
                "wall_s_range": [round(min(walls), 2), round(max(walls), 2)],
                "pages_per_s_median": round(args.entries / wall, 1),
                "peak_rss_mb_max": round(max(peaks), 1),
                "second_import_s_median": round(statistics.median(again_walls), 2),
                "cpus": os.cpu_count(),
                "load": [round(x, 1) for x in os.getloadavg()],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
