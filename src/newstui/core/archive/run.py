"""`newstui import` and `newstui save`: entries to article files, with their state.

    report = import_export(path, base_folder, state, progress=callback)
    path = save_url(url, base_folder)

Callable from any thread without an event loop (each runs its own). Files go to
`<base folder>/<service>/`, one per entry (see `writer`); nothing else is written but the
state database. An import is resumable and idempotent: an entry whose file exists is
skipped, and an entry's state is stored *before* its file is written, so a `kill -9` at
any moment loses no state of a written file. Entries that are only a URL have their page
fetched with the fetcher's HTTP client (its limits, address checks and per-host cap) and
extracted like a saved page (`fetch.fulltext`); a page that cannot be had keeps the entry
with its title and URL, marked "page not fetched: <reason>".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from newstui.core.archive.detect import read_export
from newstui.core.archive.entries import Entry, ExportError
from newstui.core.archive.writer import (
    article_id,
    article_of,
    not_fetched,
    write_article,
    written_ids,
)
from newstui.core.fetch.addresses import AddressPolicy
from newstui.core.fetch.files import folder_lock
from newstui.core.fetch.http import HttpClient, Limits, Resolver, system_resolver
from newstui.core.models import Article
from newstui.core.state.store import StateStore

__all__ = ["EntryOutcome", "ExportError", "ImportReport", "import_export", "save_url"]

Outcome = Literal["written", "fetched", "not fetched"]
SAVED_SERVICE = "saved"  # the folder `newstui save` writes into


@dataclass
class EntryOutcome:
    done: int
    total: int
    title: str
    url: str | None
    outcome: Outcome
    path: str
    reason: str | None = None  # why the page was not fetched


Progress = Callable[[EntryOutcome], None]


@dataclass
class ImportReport:
    service: str
    folder: str
    entries: int = 0
    written: int = 0  # new files, with the export's text or a fetched page
    not_fetched: int = 0  # new files kept with title and URL only
    already: int = 0  # skipped: imported before
    read: int = 0  # state carried over, for the new files
    starred: int = 0
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def import_export(
    path: Path,
    base: Path,
    state: StateStore,
    *,
    progress: Progress | None = None,
    policy: AddressPolicy | None = None,
    limits: Limits | None = None,
    resolver: Resolver = system_resolver,
) -> ImportReport:
    """Raises `ExportError` (a one-line reason) when `path` is no export newstui reads."""
    export = read_export(path)
    folder = base / export.service
    report = ImportReport(export.service, str(folder), len(export.entries))
    report.problems = export.problems[:100]
    folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder / ".import.lock"):
        for leftover in folder.glob(".*.part"):  # an import killed mid-write (we hold the lock)
            leftover.unlink(missing_ok=True)
        existing = written_ids(folder)
        todo: dict[str, Entry] = {}
        for entry in export.entries:
            key = article_id(export.service, entry.key)
            if key in existing or key in todo:
                report.already += key in existing
                continue
            todo[key] = entry
        _store_state(state, todo, report)  # before the files: see the module's docstring
        _Importer(export.service, folder, report, progress, len(todo)).run(
            todo, policy or AddressPolicy(), limits or Limits(), resolver
        )
    return report


def _store_state(state: StateStore, todo: dict[str, Entry], report: ImportReport) -> None:
    read = [key for key, entry in todo.items() if entry.read]
    starred = [key for key, entry in todo.items() if entry.starred]
    if read:
        state.set_read(read)
    if starred:
        state.set_starred(starred, True)
    report.read, report.starred = len(read), len(starred)


class _Importer:
    def __init__(
        self,
        service: str,
        folder: Path,
        report: ImportReport,
        progress: Progress | None,
        total: int,
    ) -> None:
        self.service = service
        self.folder = folder
        self.report = report
        self.progress = progress
        self.total = total
        self.done = 0

    def run(
        self, todo: dict[str, Entry], policy: AddressPolicy, limits: Limits, resolver: Resolver
    ) -> None:
        to_fetch = []
        for entry in todo.values():
            if entry.blocks is None and entry.url:
                to_fetch.append(entry)
            else:
                self._write(entry, article_of(entry, self.service), "written")
        if to_fetch:
            asyncio.run(self._fetch_all(to_fetch, policy, limits, resolver))

    def _write(
        self, entry: Entry, article: Article, outcome: Outcome, reason: str | None = None
    ) -> None:
        """Write the entry's article (marked as such when its page was not fetched), count it."""
        path = write_article(self.folder, not_fetched(article, reason) if reason else article)
        self.done += 1
        if outcome == "not fetched":
            self.report.not_fetched += 1
        else:
            self.report.written += 1
        if self.progress is not None:
            self.progress(
                EntryOutcome(
                    self.done, self.total, entry.title, entry.url, outcome, str(path), reason
                )
            )

    async def _fetch_all(
        self, entries: list[Entry], policy: AddressPolicy, limits: Limits, resolver: Resolver
    ) -> None:
        from newstui.core.fetch.fulltext import with_full_text

        gate = asyncio.Semaphore(4 * limits.overall)  # pages start a few dozen at a time
        async with HttpClient(limits, resolver=resolver) as client:

            async def one(entry: Entry) -> None:
                async with gate:
                    article, outcome = await with_full_text(
                        article_of(entry, self.service), client, policy
                    )
                if outcome == "ok":
                    self._write(entry, article, "fetched")
                else:
                    self._write(entry, article, "not fetched", outcome)

            await asyncio.gather(*(one(entry) for entry in entries))


def save_url(
    url: str,
    base: Path,
    *,
    limits: Limits | None = None,
    resolver: Resolver = system_resolver,
) -> tuple[Path, bool]:
    """Fetch one page and write it into `<base>/saved/`: (its path, whether it was new).

    The URL is the user's own choice, so it may be at any address (like a subscription);
    its redirects may reach only public addresses and the class it was found at.
    Raises `ExportError` with the reason when the page cannot be had or read.
    """
    from newstui.core.formats._fields import safe_url

    checked = safe_url(url)
    if checked is None:
        raise ExportError(f"{url!r} is not an http(s) URL")
    entry = Entry(key=checked, title="", url=checked)
    folder = base / SAVED_SERVICE
    existing = written_ids(folder).get(article_id(SAVED_SERVICE, checked))
    if existing is not None:
        return existing, False
    article, outcome = asyncio.run(_fetch_one(article_of(entry, SAVED_SERVICE), limits, resolver))
    if outcome != "ok":
        raise ExportError(f"{checked}: {outcome}")
    return write_article(folder, article), True


async def _fetch_one(
    article: Article, limits: Limits | None, resolver: Resolver
) -> tuple[Article, str]:
    from newstui.core.fetch.fulltext import with_full_text

    async with HttpClient(limits or Limits(), resolver=resolver) as client:
        return await with_full_text(article, client, AddressPolicy(), user_chosen=True)
