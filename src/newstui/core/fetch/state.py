"""What a fetch remembers about each feed, one small JSON file per feed, written atomically.

Kept under the user data dir (`fetch/<news folder>/<feed key>.json`), never in the news
folder: validators (ETag, Last-Modified, exactly as received), when the feed may be asked
again, a permanent redirect, 410 Gone, the last error, and per entry the hash of what the
feed said (to tell new, updated and unchanged entries apart); the ids retention removed
while the feed still lists them (so they are not written again).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from newstui.core.fetch.files import write_atomic
from newstui.core.paths import AppPaths


@dataclass
class EntryState:
    hash: str
    first_seen: float
    full_text: str | None = None  # "ok", or why the page could not be used
    day: str = ""  # its file in the feed's folder, without `.json` (`entries.file_for`)
    keys: list[str] = field(default_factory=list)  # `entries.story_keys`: one story once


@dataclass
class FeedState:
    moved_to: str | None = None  # a 301/308 target, asked instead of the subscription URL
    etag: str | None = None
    last_modified: str | None = None
    not_before: float = 0.0  # epoch seconds: not asked again before (Retry-After, max-age...)
    gone: bool = False
    last_error: str | None = None  # why the last fetch failed (None: it did not)
    last_error_at: float | None = None  # when it failed
    last_success: float | None = None
    unreadable: bool = False  # the body the validators name is not a feed (a 304: still so)
    pruned: list[str] = field(default_factory=list)  # ids retention removed, still listed
    title: str | None = None  # the feed's own title, as its last fetch gave it
    folder: str | None = None  # its folder in the news folder, once chosen (never renamed)
    entries: dict[str, EntryState] = field(default_factory=dict)

    def remembered(self) -> tuple[object, ...]:
        """What must be saved when it changes (timestamps alone are not worth a write)."""
        return (
            self.moved_to,
            self.etag,
            self.last_modified,
            self.not_before,
            self.gone,
            self.last_error,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedState:
        entries = {
            key: EntryState(**value)
            for key, value in (data.pop("entries", None) or {}).items()
            if isinstance(value, dict)
        }
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known, entries=entries)

    def as_json(self) -> dict[str, Any]:
        """What `from_json` reads (`asdict` would deep-copy every entry on the way)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _FEED_FIELDS}
        data["entries"] = {key: vars(entry) for key, entry in self.entries.items()}
        return data


_FEED_FIELDS = tuple(f.name for f in fields(FeedState) if f.name != "entries")


def feed_folder_name(key: str, state: FeedState) -> str:
    """The feed's folder in the news folder: the one recorded, else its machine name (`key`,
    as every feed had before folders were named from titles)."""
    return state.folder or key


def state_folder(paths: AppPaths, news_folder: Path) -> Path:
    resolved = str(news_folder.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return paths.data_dir / "fetch" / digest


def load_state(folder: Path, key: str) -> FeedState:
    """The feed's state; a missing or damaged file is a fresh start (the files stay)."""
    try:
        data = json.loads((folder / f"{key}.json").read_bytes())
        return FeedState.from_json(data) if isinstance(data, dict) else FeedState()
    except (OSError, ValueError, TypeError):
        return FeedState()


def save_state(folder: Path, key: str, state: FeedState) -> None:
    data = json.dumps(state.as_json(), ensure_ascii=False, separators=(",", ":"))
    write_atomic(folder / f"{key}.json", data.encode("utf-8"))


class StateCache:
    """Each feed's state read once per fetch: `peek` before the lock, `take` under it.

    `take` gives what `peek` read unless the file was replaced since (another fetch saved
    it while this one waited for the lock), which `os.stat` tells without parsing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._peeked: dict[str, tuple[tuple[int, int, int] | None, FeedState]] = {}

    def peek(self, key: str) -> FeedState:
        signature = _signature(self.folder / f"{key}.json")
        state = load_state(self.folder, key) if signature else FeedState()
        self._peeked[key] = (signature, state)
        return state

    def take(self, key: str) -> FeedState:
        peeked = self._peeked.pop(key, None)  # handed out once: the caller changes it
        if peeked is not None and peeked[0] == _signature(self.folder / f"{key}.json"):
            return peeked[1]
        return load_state(self.folder, key)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
