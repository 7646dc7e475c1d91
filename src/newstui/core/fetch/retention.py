"""Retention: a feed with `keep = N` keeps its N newest entries, plus every starred one.

Only a feed's own folder in the news folder is pruned, and in it only what a fetch wrote:
entries with a fetched article's id (`f-...`) in day files (`entries.file_for`). A folder
that is a symlink (it may lead into a person's own files) is left alone. An entry goes by
rewriting its day file whole (temp + rename), or unlinking the file when nothing is left:
a kill at any moment leaves the old file or the new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from newstui.core.fetch.state import FeedState
from newstui.core.sanitize import clean_line
from newstui.core.state.store import StateStore

_DAY_FILE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Pruned:
    article_id: str
    title: str
    published: str  # ISO 8601, as stored
    day: str  # its day file, without `.json`


def to_prune(folder: Path, keep: int, stars: ReadingState) -> list[Pruned]:
    """The entries beyond the `keep` newest in a feed's folder that are not starred.

    Raises `StateError` when the reader's state cannot be read (stars unknown: keep all)."""
    from newstui.core.fetch.entries import read_day  # (a 304 fetch needs no parser)

    if folder.is_symlink() or not folder.is_dir():
        return []
    found = [
        Pruned(
            item["id"],
            clean_line(str(item.get("title") or "")),
            str(item.get("published") or ""),
            path.stem,
        )
        for path in folder.glob("*.json")
        if _DAY_FILE.fullmatch(path.stem) and not path.is_symlink()
        for item in read_day(path)
        if item["id"].startswith("f-")
    ]
    found.sort(key=lambda entry: (_when(entry), entry.article_id), reverse=True)
    beyond = found[keep:]
    starred = stars.starred(entry.article_id for entry in beyond) if beyond else set()
    return [entry for entry in beyond if entry.article_id not in starred]


def prune(folder: Path, entries: list[Pruned]) -> None:
    """Remove `entries` from their day files (a file left empty goes)."""
    from newstui.core.fetch.entries import read_day, write_day

    by_day: dict[str, set[str]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, set()).add(entry.article_id)
    for day, ids in sorted(by_day.items()):
        path = folder / f"{day}.json"
        articles = {item["id"]: item for item in read_day(path)}
        if ids.isdisjoint(articles):  # (unreadable now: left as it is, never deleted)
            continue
        for article_id in ids:
            articles.pop(article_id, None)
        write_day(path, articles)


def _when(entry: Pruned) -> float:
    text = entry.published.replace("Z", "+00:00")  # (Python 3.10 reads no "Z")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat((entry.day + "-01-01")[:10])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


class ReadingState:
    """The reader's stars and per-article rows, opened when first needed (if it exists)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: StateStore | None = None

    def _open(self) -> StateStore | None:
        if self._store is None and self.path.exists():
            self._store = StateStore(self.path)
        return self._store

    def starred(self, ids: Iterable[str]) -> set[str]:
        store = self._open()
        if store is None:
            return set()
        return {key for key, state in store.get_many(ids).items() if state.starred}

    def forget(self, ids: Iterable[str]) -> None:
        store = self._open()
        if store is not None:
            store.forget(ids)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def retain(
    folder: Path, state: FeedState, keep: int, stars: ReadingState, *, dry_run: bool = False
) -> list[Pruned]:
    """Prune a feed's folder to `keep` entries and forget the rest (`state` is updated, the
    caller saves it); `dry_run` only says what would go. Raises `StateError` (see `to_prune`)."""
    gone = to_prune(folder, keep, stars)
    if gone and not dry_run:
        prune(folder, gone)
        ids = {entry.article_id for entry in gone}
        for article_id in ids:
            state.entries.pop(article_id, None)
        state.pruned = sorted(set(state.pruned) | ids)  # not written again while listed
        stars.forget(ids)
    return gone
