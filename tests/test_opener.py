"""Opening links: the configured opener or the desktop's, failures reported, and over SSH
(no display) the link copied instead."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from app_fixtures import settle, write_library
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui import opener
from newstui.tui.app import NewsApp


def test_an_opener_that_fails_at_once_says_why() -> None:
    with pytest.raises(OSError, match="exited with status 1: no browser here"):
        opener.configured_open(
            f"{sys.executable} -c \"import sys; sys.exit('no browser here')\"", "x"
        )


def test_an_opener_that_keeps_running_has_taken_the_link() -> None:
    started = time.monotonic()
    opener.configured_open(f"{sys.executable} -c 'import time; time.sleep(3)'", "x")
    assert time.monotonic() - started < 2.5  # it did not wait for the browser to close


def test_a_missing_or_unreadable_opener_is_an_error() -> None:
    with pytest.raises(OSError):
        opener.configured_open("/nonexistent/browser", "https://example.org/")
    with pytest.raises(OSError, match="cannot be read"):
        opener.configured_open('firefox "unclosed', "x")


def test_no_display_over_ssh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    assert opener.display_missing()
    monkeypatch.setenv("DISPLAY", "localhost:10.0")  # X forwarded
    assert opener.display_missing() is (sys.platform == "darwin")


async def test_without_a_display_o_copies_the_link_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("newstui.tui.opener.system_open", opened.append)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    library = write_library(tmp_path / "articles")
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == []
        assert app.clipboard == str(library / "2026-01-06-harbour-reopens.txt")
        assert any("No display" in str(n.message) for n in app._notifications)


async def test_the_configured_opener_is_used_and_its_failure_shown(tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles")
    failing = f"{sys.executable} -c \"import sys; sys.exit('cannot open that')\""
    app = NewsApp(library, AppPaths.default(), Settings(opener=failing), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert any("cannot open that" in str(n.message) for n in app._notifications)
