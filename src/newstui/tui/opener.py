"""Hand a link or a file to the desktop's opener, without waiting and without a shell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")


def link_or_path(url: str | None, path: str) -> str:
    """The article's web link when it is a plain http(s) URL, else its file."""
    if url and urlsplit(url).scheme.lower() in SAFE_SCHEMES:
        return url
    return path


def opener_command() -> list[str] | None:
    if sys.platform == "darwin":
        return ["open"]
    for name in ("xdg-open", "gio"):
        found = shutil.which(name)
        if found:
            return [found, "open"] if name == "gio" else [found]
    return None


def system_open(target: str) -> None:
    """Open `target` in the background; raises OSError with a reason on failure."""
    if sys.platform == "win32":  # pragma: no cover
        os.startfile(target)  # type: ignore[attr-defined,unused-ignore]
        return
    command = opener_command()
    if command is None:
        raise OSError("no system opener found (install xdg-utils)")
    if target.startswith("-"):
        target = "./" + target
    subprocess.Popen(
        [*command, target],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
