"""Pilot tests: `|` pipes the article as Markdown to a command typed (or pre-filled) in a
worker; macros run theirs with one key; a failing command is named with its first line of
errors, and the reader goes on."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import sys
from pathlib import Path

from textual.widgets import Input

from app_fixtures import settle, write_library
from newstui.core.config import Macro, Settings
from newstui.core.paths import AppPaths
from newstui.core.render import render_markdown
from newstui.tui.app import NewsApp
from newstui.tui.screens.main import MainScreen
from newstui.tui.screens.pipe import PipeScreen

SIZE = (120, 40)
FIRST = "harbour-reopens"  # the article under the cursor at start
COPY = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(sys.stdin.read())"
FAIL = "import sys; sys.stderr.write('wallabag: no token set\\nsecond line\\n'); sys.exit(3)"


def python(code: str, *args: str) -> str:
    return shlex.join([sys.executable, "-c", code, *args])


def reader(tmp_path: Path, **settings: object) -> NewsApp:
    library = write_library(tmp_path / "articles")
    return NewsApp(library, AppPaths.default(), Settings(**settings), watch=False)  # type: ignore[arg-type]


def messages(app: NewsApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def pipe(app: NewsApp, pilot: object, command: str | None) -> None:
    await pilot.press("vertical_line")  # type: ignore[attr-defined]
    assert isinstance(app.screen, PipeScreen)
    if command is not None:
        app.screen.query_one(Input).value = command
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_pipe_sends_the_article_as_markdown(tmp_path: Path) -> None:
    out = tmp_path / "piped.md"
    app = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pipe(app, pilot, python(COPY, str(out)))
        assert isinstance(app.screen, MainScreen)
        article = app.library.article(FIRST)
        assert article is not None
        assert out.read_text(encoding="utf-8") == render_markdown(article)
        assert any(message.startswith("Pipe done") for message in messages(app))


async def test_pipe_command_is_pre_filled_and_history_is_kept(tmp_path: Path) -> None:
    default = python(COPY, str(tmp_path / "default.md"))
    other = python(COPY, str(tmp_path / "other.md"))
    app = reader(tmp_path, pipe_command=default)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pipe(app, pilot, None)  # enter runs the pre-filled command
        assert (tmp_path / "default.md").read_text(encoding="utf-8").startswith("# ")
        await pipe(app, pilot, other)
        assert (tmp_path / "other.md").exists()
        await pilot.press("vertical_line")
        field = app.screen.query_one(Input)
        assert field.value == default
        await pilot.press("up")
        assert field.value == other
        await pilot.press("up")
        assert field.value == default
        await pilot.press("down", "down")
        assert field.value == default  # past the newest: the pre-filled line again
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert json.loads(app.state.pref("pipe_history") or "") == [default, other]


async def test_history_survives_a_restart(tmp_path: Path) -> None:
    command = python(COPY, str(tmp_path / "once.md"))
    app = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pipe(app, pilot, command)
    again = reader(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("vertical_line")
        assert again.screen.query_one(Input).value == command


async def test_a_failing_command_shows_its_first_error_line_and_the_reader_goes_on(
    tmp_path: Path,
) -> None:
    app = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pipe(app, pilot, python(FAIL))
        failed = [m for m in messages(app) if "Pipe failed" in m]
        assert len(failed) == 1
        assert failed[0].endswith("exit status 3: wallabag: no token set")
        await pipe(app, pilot, "no-such-command-for-newstui --flag")
        assert any("no-such-command-for-newstui: command not found" in m for m in messages(app))
        await pilot.press("s")  # the reader goes on
        await settle(pilot)
        assert app.state.get(FIRST).starred


async def test_a_macro_runs_its_command_with_one_key(tmp_path: Path) -> None:
    out = tmp_path / "macro.md"
    macros = {
        "keep_copy": Macro("x", python(COPY, str(out))),
        "broken": Macro("ctrl+b", python(FAIL)),
        "clash": Macro("s", "true"),  # s stars: the macro is named and left out
    }
    app = reader(tmp_path, macros=macros)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        article = app.library.article(FIRST)
        assert article is not None and out.read_text(encoding="utf-8") == render_markdown(article)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert any(
            m.startswith("Macro broken failed") and m.endswith("wallabag: no token set")
            for m in messages(app)
        )
        await pilot.press("s")
        await settle(pilot)
        assert app.state.get(FIRST).starred
    assert set(app.settings.macros) == {"keep_copy", "broken"}
    [warning] = app.startup_warnings
    assert "macros: clash: 's' is taken by star" in warning


async def test_closing_the_reader_stops_a_running_command(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    code = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)"
    app = reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("vertical_line")
        app.screen.query_one(Input).value = python(code, str(pid_file))
        await pilot.press("enter")
        for _ in range(100):
            if pid_file.exists() and pid_file.read_text():
                break
            await asyncio.sleep(0.05)
        pid = int(pid_file.read_text())
        await pilot.press("q")
    for _ in range(100):  # the worker kills it within a poll (0.2 s)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the command still runs after the reader closed")
