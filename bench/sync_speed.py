"""How long a sync takes against a loopback feed server: 20 feeds, 5,000 entries.

    python bench/sync_speed.py [--service fever|greader] [--entries 5000]

Three runs of `newstui sync`, each in a child process (its own wall, CPU and peak RSS):
the first sync (every entry new), a second one with nothing new, and one that pushes 500
read marks made in between. The server is tests/feverserver.py or tests/greaderserver.py on
127.0.0.1; the reader's folders are in a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from feverserver import FeverData, fever_server  # noqa: E402
from greaderserver import GReaderData, greader_server  # noqa: E402
from newstui.core.paths import AppPaths  # noqa: E402
from newstui.core.state.store import StateStore  # noqa: E402
from newstui.core.sync.articles import item_article_id  # noqa: E402

FEEDS, MARKS, PASSWORD = 20, 500, "bench-pass"
BODY = "".join(
    f"<p>Paragraph {n} of a story about the harbour, its ferries.</p>" for n in range(25)
)


def run_sync(env: dict[str, str]) -> dict[str, Any]:
    """One `newstui sync --json` in a child: its report, wall, CPU and peak RSS."""
    code = "from newstui.cli import main; raise SystemExit(main(['sync', '--json']))"
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(child.pid, 0)  # (this child's own usage)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"sync failed ({child.returncode}): {err.read().decode()[-500:]}")
        return {"report": json.loads(out.read()), "wall": wall, "usage": usage}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", choices=("fever", "greader"), default="fever")
    parser.add_argument("--entries", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newstui-sync-bench-") as home:
        env = {**os.environ, "NEWSTUI_BENCH_PASSWORD": PASSWORD, "HOME": home}
        env["PYTHONPATH"] = str(ROOT / "src")
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[variable] = os.environ[variable] = str(Path(home) / variable.lower())
        if args.service == "fever":
            fever = FeverData(password=PASSWORD)
            fever.feeds = {
                f: (f"Feed {f}", f"https://feed{f}.test/rss", None) for f in range(FEEDS)
            }
            for n in range(args.entries):
                fever.add_item(
                    n % FEEDS, f"story-{n}", html=BODY, created_on_time=1_700_000_000 + n * 60
                )
            context: Any = fever_server(fever)
            user = fever.email
        else:
            reader = GReaderData(password=PASSWORD)
            reader.feeds = {
                f: (f"Feed {f}", f"https://feed{f}.test/rss", None) for f in range(FEEDS)
            }
            for n in range(args.entries):
                reader.add_item(n % FEEDS, f"story-{n}", html=BODY)
            context = greader_server(reader)
            user = reader.user
        with context as server:
            config = AppPaths.default().config_file
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text(
                f'[sync]\nservice = "{args.service}"\nurl = "{server.url}"\nuser = "{user}"\n'
                'password_env = "NEWSTUI_BENCH_PASSWORD"\n',
                encoding="utf-8",
            )
            rows = [("first sync", run_sync(env))]
            rows.append(("second sync, nothing new", run_sync(env)))
            store = StateStore(AppPaths.default().state_db, outbox=True)
            remote = sorted(store.sync_items(args.service))[:MARKS]
            store.set_read([item_article_id(server.url, item) for item in remote])
            store.close()
            requests_before = len(server.log)
            rows.append((f"{MARKS} read marks pushed", run_sync(env)))
            pushed_requests = len(server.log) - requests_before
    print(f"service {args.service}, {FEEDS} feeds, {args.entries:,} entries (loopback)\n")
    print("| run | wall | CPU | peak RSS | new | pushed |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in rows:
        usage, report = row["usage"], row["report"]
        cpu = usage.ru_utime + usage.ru_stime
        print(
            f"| {name} | {row['wall']:.2f} s | {cpu:.2f} s | {usage.ru_maxrss / 1024:.0f} MB "
            f"| {report['new_items']:,} | {report['pushed']:,} |"
        )
    print(f"\nrequests for the {MARKS} marks' sync: {pushed_requests}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
