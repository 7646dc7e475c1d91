"""`newstui import` and `newstui save` from the command line: output, exit codes, a kill -9
in the middle of an import, and `save` against the loopback server (127.0.0.1 only)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive_pages import FIXTURES, fixture, page, serve_pages
from feedserver import FeedServer, Reply
from newstui.cli import main
from newstui.core.formats import parse_file
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        serve_pages(server)
        yield server


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def imports_folder() -> Path:
    return AppPaths.default().data_dir / "news" / "imports"


def test_import_prints_progress_and_a_summary(
    site: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = fixture("instapaper.csv", site, tmp_path)
    code, out, err = run(capsys, "import", str(export), "--allow", "loopback")
    assert code == 0 and "[4/4] fetched" in err
    assert out.startswith("Imported 4 new articles from instapaper (1 read, 1 starred)")
    assert str(imports_folder() / "instapaper") in out
    code, out, _ = run(capsys, "import", str(export), "--allow", "loopback")
    assert code == 0 and "Imported 0 new articles" in out and "4 imported before" in out


def test_import_json_lines(
    site: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = fixture("pocket.csv", site, tmp_path)
    into = tmp_path / "archive"
    code, out, _ = run(
        capsys, "import", str(export), "--into", str(into), "--allow", "loopback", "--json"
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 5
    outcomes = sorted(line["entry"]["outcome"] for line in lines[:4])
    assert outcomes == ["fetched", "fetched", "fetched", "not fetched"]
    report = lines[-1]["report"]
    assert report["folder"] == str(into / "pocket") and report["not_fetched"] == 1
    assert len(list((into / "pocket").glob("*.json"))) == 4 and not imports_folder().exists()


def test_a_file_that_is_no_export_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.csv"
    notes.write_text("name,phone\nann,123\n")
    code, out, err = run(capsys, "import", str(notes))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"newstui: {notes}: a CSV with columns name, phone")
    code, _, err = run(capsys, "import", str(tmp_path / "nothing.json"))
    assert code == 2 and "no such file" in err and "Traceback" not in err


def test_save_a_url(site: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "save", site.url("/page/tides"))
    path = Path(out.strip())
    assert code == 0 and path.parent == imports_folder() / "saved"
    [article] = parse_file(path).articles
    assert article.title == "Page about tides" and article.url == site.url("/page/tides")
    assert "tides sentence number 2" in article.body_text
    assert article.source.name == "Example Site"  # the page names its site; else the host
    code, out, _ = run(capsys, "save", site.url("/page/tides"))
    assert code == 0 and out.strip() == f"{path} (saved before)"
    code, out, err = run(capsys, "save", site.url("/missing"), "--json")
    assert code == 2 and out == "" and err.strip().endswith("/missing: HTTP 404 Not Found")
    code, _, err = run(capsys, "save", "file:///etc/passwd")
    assert code == 2 and "not an http(s) URL" in err
    assert len(list((imports_folder() / "saved").iterdir())) == 1


def _many(site: FeedServer, folder: Path, count: int, delay: float) -> Path:
    lines = ["title,url,time_added,tags,status"]
    for n in range(count):
        body = page(f"p{n}")
        headers = {"Content-Type": "text/html"}
        reply = (
            Reply(200, headers=headers, chunks=[body], delay=delay)
            if delay
            else Reply(200, body, headers)
        )
        site.route(f"/page/p{n}", reply)
        lines.append(
            f"Entry {n},{site.url(f'/page/p{n}')},{1700000000 + n},,{'archive' if n % 2 else 'unread'}"
        )
    export = folder / "many.csv"
    export.write_text("\n".join(lines) + "\n")
    return export


def _import_process(export: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newstui", "import", str(export), "--allow", "loopback", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def test_kill_9_mid_import_then_import_again(site: FeedServer, tmp_path: Path) -> None:
    export = _many(site, tmp_path, 40, delay=0.15)
    process = _import_process(export)
    folder = imports_folder() / "pocket"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(folder.glob("*.json"))) < 6:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = list(folder.glob("*.json"))
    assert 6 <= len(written) < 40
    state = StateStore(AppPaths.default().state_db)
    for path in written:  # whole files only, and their state already stored
        [article] = parse_file(path).articles
        number = int(article.title.split()[-1])
        assert state.get(article.id).read == bool(number % 2)
    export = _many(site, tmp_path, 40, delay=0)
    again = _import_process(export)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    report = json.loads(out.splitlines()[-1])["report"]
    assert report["already"] == len(written) and report["written"] == 40 - len(written)
    ids = [parse_file(path).articles[0].id for path in folder.glob("*.json")]
    assert len(ids) == len(set(ids)) == 40 and not list(folder.glob(".*.part"))
    marks = state.get_many(ids)
    assert sum(mark.read for mark in marks.values()) == 20


def test_markup_in_an_export_is_kept_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", str(FIXTURES / "wallabag.json"))
    assert code == 0 and "\x1b" not in err and "[b]Not bold[/b]" in err
