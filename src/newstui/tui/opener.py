"""Hand a link or a file to an opener (the config's `opener`, else the desktop's), without a
shell, and say when that cannot work: over SSH there is no local browser to open."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")
PATIENCE = 1.5  # seconds an opener has to fail at once (xdg-open without a browser does)


def link_or_path(url: str | None, path: str) -> str:
    """The article's web link when it is a plain http(s) URL, else its file."""
    if url and urlsplit(url).scheme.lower() in SAFE_SCHEMES:
        return url
    return path


def display_missing() -> bool:
    """No screen to open a browser on: a console, or SSH without a forwarded display."""
    over_ssh = bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))
    if sys.platform in ("darwin", "win32"):
        return over_ssh
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def opener_command() -> list[str] | None:
    if sys.platform == "darwin":
        return ["open"]
    for name in ("xdg-open", "gio"):
        found = shutil.which(name)
        if found:
            return [found, "open"] if name == "gio" else [found]
    return None


def system_open(target: str) -> None:
    """Open `target` with the desktop's opener; raises OSError with a reason on failure."""
    if sys.platform == "win32":  # pragma: no cover
        os.startfile(target)  # type: ignore[attr-defined,unused-ignore]
        return
    command = opener_command()
    if command is None:
        raise OSError("no system opener found (install xdg-utils, or set `opener`)")
    launch(command, target)


def configured_open(command: str, target: str, setting: str = "opener") -> None:
    """Open `target` with the config's `opener` ("firefox", "w3m", "open -a Safari"...) or
    `player` ("mpv", "vlc")."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise OSError(f"the {setting} {command!r} cannot be read: {error}") from None
    if not words:
        raise OSError(f"the {setting} setting is empty")
    launch(words, target)


def launch(command: list[str], target: str) -> None:
    """Start `command target` in its own session; raises OSError when it cannot start, or
    exits with an error within `PATIENCE` seconds (its first line of errors says why)."""
    if target.startswith("-"):
        target = "./" + target
    # Its errors go to a file, not a pipe: a browser that keeps running and logging would
    # block on a full pipe nobody reads.
    with tempfile.TemporaryFile() as errors_file:
        process = subprocess.Popen(
            [*command, target],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors_file,
            start_new_session=True,
        )
        try:
            code = process.wait(PATIENCE)
        except subprocess.TimeoutExpired:
            return  # still running: a browser (or a terminal one) took it
        errors_file.seek(0)
        errors = errors_file.read(2000).decode(errors="replace")
    if code != 0:
        first = next((line for line in errors.splitlines() if line.strip()), "")
        raise OSError(f"{command[0]} exited with status {code}" + (f": {first}" if first else ""))
