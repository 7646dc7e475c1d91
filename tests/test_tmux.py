"""Drive the real `newstui` in tmux at 80x24: open, star, scroll, quit, start again.

The second start must show the article starred and the reader resumed where it was left.
Each step polls `tmux capture-pane` until the screen shows what it should (no fixed sleeps).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app_fixtures import write_library
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

NEWSTUI = Path(sys.executable).with_name("newstui")
TIMEOUT = 30.0
PERCENT = re.compile(r"(\d+)% ")


class Tmux:
    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env
        self.session = "newstui"

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-u", "-L", self.socket, *args], capture_output=True, text=True, check=check
        )
        return result.stdout

    def start(self, *argv: str) -> None:
        assignments = [f"{key}={value}" for key, value in self.env.items()]
        # no COLORTERM, as over SSH: colours come from TERM alone
        command = " ".join(["env", "-u", "COLORTERM", *assignments, str(NEWSTUI), *argv])
        self.run("new-session", "-d", "-s", self.session, "-x", "80", "-y", "24", command)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, check=False)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def wait_for(self, predicate: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        pytest.fail(f"timed out waiting for {what}; the screen was:\n{screen}")

    def wait_for_text(self, text: str) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text))

    def alive(self) -> bool:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", self.session], capture_output=True
        )
        return result.returncode == 0

    def wait_for_exit(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.05)
        pytest.fail(f"newstui did not quit; the screen was:\n{self.screen()}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    home = Path(os.environ["HOME"])
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_STATE_HOME": os.environ["XDG_STATE_HOME"],
        "LANG": "C.UTF-8",
        "TERM": "screen-256color",
    }
    driver = Tmux(f"newstui-test-{os.getpid()}-{tmp_path.name}", env)
    yield driver
    driver.run("kill-server", check=False)
    socket_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
    (socket_dir / driver.socket).unlink(missing_ok=True)


def reader_percent(screen: str) -> int | None:
    """The reader's progress, from its border (the last percentage on the bottom border)."""
    for line in reversed(screen.splitlines()):
        found = PERCENT.findall(line)
        if found:
            return int(found[-1])
    return None


def test_star_scroll_quit_and_resume(tmux: Tmux, tmp_path: Path) -> None:
    library = write_library(tmp_path / "articles")
    tmux.start(str(library))
    tmux.wait_for_text("6 articles, 6 unread")
    tmux.keys("Enter")
    tmux.wait_for_text("Ferries resumed sailing")
    tmux.keys("s")
    tmux.wait_for(lambda screen: "★" in screen, "the star in the list")
    tmux.keys("space")
    first = tmux.wait_for(lambda s: (reader_percent(s) or 0) > 0, "the reader to scroll")
    tmux.keys("space")
    screen = tmux.wait_for(
        lambda s: (reader_percent(s) or 0) > (reader_percent(first) or 0), "a second page"
    )
    percent = reader_percent(screen)
    assert percent is not None and 0 < percent < 100
    tmux.keys("q")  # in the reader: back to the list
    tmux.wait_for(lambda s: reader_percent(s) == percent and "┏━ Articles" in s, "the list")
    tmux.keys("q")  # in the list: quit
    tmux.wait_for_exit()

    state = StateStore(AppPaths.default().state_db)
    try:
        saved = state.get("harbour-reopens")
        assert saved.starred and saved.read and saved.position > 0
    finally:
        state.close()

    tmux.start(str(library))

    def resumed(screen: str) -> bool:
        lines = screen.splitlines()
        top_of_reader = lines[1][31:] if len(lines) > 1 else ""
        return (
            "★" in screen
            and reader_percent(screen) == percent
            and "Harbour Reopens" not in top_of_reader  # scrolled past the headline
            and "Harbour Reopens" in lines[1]  # the list's cursor is on it, first row
        )

    tmux.wait_for(resumed, f"the starred article resumed at {percent}%")
    tmux.keys("q")
    tmux.wait_for_exit()


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(NEWSTUI), str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "no such directory" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("colours", [{"NO_COLOR": "1"}, {"TERM": "xterm"}])
def test_selection_visible_without_colour_and_in_16_colours(
    tmux: Tmux, tmp_path: Path, colours: dict[str, str]
) -> None:
    """The cursor row is told apart from the others by more than colour alone."""
    library = write_library(tmp_path / "articles")
    tmux.env.update(colours)
    tmux.start(str(library))
    tmux.wait_for_text("6 articles, 6 unread")
    screen = tmux.run("capture-pane", "-e", "-p", "-t", tmux.session)
    lines = screen.splitlines()
    cursor_row, next_row = lines[1], lines[2]
    sgr = re.compile(r"\x1b\[([0-9;]*)m")
    cursor_codes = set(";".join(sgr.findall(cursor_row)).split(";"))
    assert "Harbour Reopens" in sgr.sub("", cursor_row)
    assert sgr.findall(cursor_row) != sgr.findall(next_row)
    assert cursor_codes & {"1", "4", "7"}  # bold, underline or reverse: visible without colour
    tmux.keys("q")
    tmux.wait_for_exit()
