"""The libraries the reader moves between: the news folder, the imports, the configured
`folder` and the ones opened lately (remembered in the state database's prefs)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from newstui.core.config import Settings, imports_folder_of, news_folder_of
from newstui.core.paths import AppPaths

LAST_LIBRARY = "library"  # the state pref naming the last DIR the reader was opened on
RECENT_LIBRARIES = "recent_libraries"  # the pref: a JSON list of paths, newest first
MAX_RECENT = 8


class LibraryError(ValueError):
    """A folder that cannot be a library; the message names it and says why."""


def checked_library(directory: Path) -> Path:
    """`directory` resolved, or `LibraryError` (missing, not a folder, not readable)."""
    if not directory.exists():
        raise LibraryError(f"{directory}: no such directory")
    if not directory.is_dir():
        raise LibraryError(f"{directory}: not a directory")
    if not os.access(directory, os.R_OK | os.X_OK):
        raise LibraryError(f"{directory}: permission denied")
    return directory.resolve()


@dataclass(frozen=True)
class LibraryChoice:
    label: str  # "News", "Imports", "Folder (config)", "Recent"
    folder: Path


def recent_libraries(pref: str | None) -> list[str]:
    """The pref's paths (a damaged pref is an empty list)."""
    try:
        value = json.loads(pref or "[]")
    except ValueError:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def with_recent(recent: list[str], folder: Path) -> list[str]:
    """`folder` first, then the others, at most `MAX_RECENT`."""
    return [str(folder), *(item for item in recent if item != str(folder))][:MAX_RECENT]


def library_choices(settings: Settings, paths: AppPaths, recent: list[str]) -> list[LibraryChoice]:
    """Each library once, in this order: news, imports, configured folder, recent ones."""
    named = [
        LibraryChoice("News", news_folder_of(settings, paths.data_dir)),
        LibraryChoice("Imports", imports_folder_of(settings, paths.data_dir)),
    ]
    if settings.folder is not None:
        named.append(LibraryChoice("Folder (config)", settings.folder))
    named += [LibraryChoice("Recent", Path(item)) for item in recent]
    seen: set[str] = set()
    choices = []
    for choice in named:
        key = os.path.abspath(choice.folder)
        if key not in seen:
            seen.add(key)
            choices.append(choice)
    return choices
