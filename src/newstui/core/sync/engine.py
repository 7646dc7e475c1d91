"""One sync: push the outbox, then pull what changed. Any service, through its adapter.

    report = sync_now(settings, paths, store, news_folder)

1. The password is asked for (`settings.obtain_secret`) and the service logs in.
2. Push: the pending marks, oldest first, a batch at a time; each accepted batch is settled
   in the state database at once. A mark not accepted stays queued for the next sync.
3. Pull: subscriptions into `feeds.toml`; items newer than the saved cursor into article
   files (files first, then which item each is, then the cursor: a sync killed at any
   moment repeats a page, and writing is by article id, so nothing is duplicated); then the
   server's read and starred marks, except where a mark of ours is still pending.

Callable from any thread without an event loop (it runs its own).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from newstui.core.fetch.files import folder_lock
from newstui.core.fetch.http import HttpClient, Limits
from newstui.core.fetch.state import state_folder
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore
from newstui.core.sync.adapter import (
    Adapter,
    IncrementalMarks,
    LoginRefused,
    RemoteItem,
    SyncFailed,
)
from newstui.core.sync.articles import save_feeds, write_items
from newstui.core.sync.settings import SyncSettings, obtain_secret

WRITE_BATCH = 2_000  # items read before their files are written (a day file is written once)
MAX_PAGES = 10_000  # pages of items in one sync (a server that never stops answering)
_LAST_OK, _LAST_TRY, _LAST_ERROR = "sync.last_ok", "sync.last_attempt", "sync.last_error"
_NEXT_TRY, _BUSY_COUNT = "sync.next_try", "sync.busy_failures"
FIRST_BACKOFF, MAX_BACKOFF = 30.0, 900.0  # seconds after a 429/5xx: 30 s, 1, 2, 4... 15 min


@dataclass
class SyncReport:
    ok: bool = False
    pushed: int = 0
    new_items: int = 0
    new_feeds: int = 0
    marks_changed: int = 0
    pending: int = 0
    error: str | None = None
    login_refused: bool = False
    next_try: float | None = None  # after a 429/5xx: not before this (Unix time)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SyncStatus:
    service: str
    url: str
    user: str | None
    last_sync: float | None
    last_attempt: float | None
    pending: int
    last_error: str | None = None
    next_try: float | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def make_adapter(client: HttpClient, settings: SyncSettings, secret: str) -> Adapter:
    if settings.service == "fever":
        from newstui.core.sync.fever import FeverAdapter

        return FeverAdapter(client, settings, secret)
    if settings.service == "greader":
        from newstui.core.sync.greader import GReaderAdapter

        return GReaderAdapter(client, settings, secret)
    if settings.service == "miniflux":
        from newstui.core.sync.miniflux import MinifluxAdapter

        return MinifluxAdapter(client.limits, settings, secret)
    raise SyncFailed(f"sync: service {settings.service!r} is not supported yet (docs/sync.md)")


def sync_now(
    settings: SyncSettings,
    paths: AppPaths,
    store: StateStore,
    news_folder: Path,
    *,
    limits: Limits | None = None,
) -> SyncReport:
    """Push, then pull. Raises `SyncSettingError` when the password cannot be had; every
    trouble with the service is in the report (and remembered for `sync_status`)."""
    report = SyncReport()
    waiting = _when(store, _NEXT_TRY)
    if waiting is not None and waiting > time.time():  # the server said "not now": no storm
        report.error = store.pref(_LAST_ERROR) or f"sync: next try at {_clock(waiting)}"
        report.next_try, report.pending = waiting, store.pending_count()
        return report
    secret = obtain_secret(settings)
    store.set_pref(_LAST_TRY, repr(time.time()))
    busy = 0
    try:
        with folder_lock(state_folder(paths, news_folder) / "lock"):
            asyncio.run(_sync(settings, secret, paths, store, news_folder, limits, report))
        report.ok = True
    except SyncFailed as failure:
        report.error = str(failure)
        report.login_refused = isinstance(failure, LoginRefused)
        if failure.busy:
            busy = int(store.pref(_BUSY_COUNT) or "0") + 1
            report.next_try = time.time() + backoff(busy, failure.retry_after)
            report.error += f"; next try at {_clock(report.next_try)}"
    report.pending = store.pending_count()
    if report.ok:
        store.set_pref(_LAST_OK, repr(time.time()))
    store.set_pref(_LAST_ERROR, report.error or "")
    store.set_pref(_BUSY_COUNT, str(busy))
    store.set_pref(_NEXT_TRY, repr(report.next_try) if report.next_try else "")
    return report


def backoff(failures: int, retry_after: float | None) -> float:
    """Seconds to wait after the `failures`-th 429/5xx in a row: the server's Retry-After
    if it gave one, else doubling from FIRST_BACKOFF up to MAX_BACKOFF."""
    if retry_after is not None:
        return max(retry_after, 1.0)
    return min(FIRST_BACKOFF * 2.0 ** min(failures - 1, 20), MAX_BACKOFF)


def _clock(stamp: float) -> str:
    """A local time of day for messages: "14:05:30", with the date when not today."""
    when = time.localtime(stamp)
    same_day = time.strftime("%Y-%m-%d", when) == time.strftime("%Y-%m-%d")
    return time.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S", when)


def _when(store: StateStore, key: str) -> float | None:
    value = store.pref(key)
    try:
        return float(value) if value else None
    except ValueError:
        return None


async def _sync(
    settings: SyncSettings,
    secret: str,
    paths: AppPaths,
    store: StateStore,
    news_folder: Path,
    limits: Limits | None,
    report: SyncReport,
) -> None:
    async with HttpClient(limits or Limits()) as client:
        adapter = make_adapter(client, settings, secret)
        await adapter.login()
        try:
            await _push(adapter, store, report)
        except SyncFailed as failure:
            if isinstance(failure, LoginRefused) or not failure.answered:
                raise
            # the server is there but refused a change: it stays queued, and the pull
            # still runs (it leaves the queued change alone); the pull went through, so
            # the server is not overloaded (no back-off) unless it said 429
            await _pull(adapter, settings, paths, store, news_folder, report)
            if failure.status == 429:
                raise
            raise SyncFailed(str(failure), answered=True) from None
        await _pull(adapter, settings, paths, store, news_folder, report)


async def _push(adapter: Adapter, store: StateStore, report: SyncReport) -> None:
    pending = store.pending_marks(adapter.service)
    for start in range(0, len(pending), adapter.batch_size):
        batch = pending[start : start + adapter.batch_size]
        accepted = await adapter.push(batch)
        store.settle_marks(accepted)
        report.pushed += len(accepted)
        if len(accepted) < len(batch):
            raise SyncFailed(
                f"sync: {len(pending) - report.pushed} change(s) not accepted; kept for next time",
                answered=True,
            )


async def _pull(
    adapter: Adapter,
    settings: SyncSettings,
    paths: AppPaths,
    store: StateStore,
    news_folder: Path,
    report: SyncReport,
) -> None:
    service = adapter.service
    feeds = {feed.id: feed for feed in await adapter.feeds()}
    report.new_feeds = save_feeds(paths.config_dir, list(feeds.values()))
    cursor_key = f"sync.{service}.cursor"
    cursor = store.pref(cursor_key)
    known = store.sync_items(service)
    waiting: dict[str, RemoteItem] = {}  # read, not written yet: written in big batches
    fresh: dict[str, tuple[bool, bool]] = {}  # marks of the items written in this sync

    def write_waiting() -> None:
        pairs = write_items(news_folder, settings.url, list(waiting.values()), feeds)
        fresh.update({remote_id: (waiting[remote_id].read, waiting[remote_id].starred)
                      for _article_id, remote_id in pairs})  # fmt: skip
        store.add_sync_items(service, pairs)
        known.update({remote_id: article_id for article_id, remote_id in pairs})
        report.new_items += len(pairs)
        waiting.clear()
        if cursor is not None:
            store.set_pref(cursor_key, cursor)  # only once what it passed is written

    for _page in range(MAX_PAGES):
        items, after = await adapter.items_after(cursor)
        if after is None or after == cursor:
            break
        waiting.update({item.id: item for item in items if item.id not in known})
        cursor = after
        if len(waiting) >= WRITE_BATCH:
            write_waiting()
    write_waiting()
    if isinstance(adapter, IncrementalMarks):
        marks_key = f"sync.{service}.marks_cursor"
        changed, marks_cursor = await adapter.changed_marks(store.pref(marks_key))
        by_item = {**fresh, **changed}
        remote = {known[item]: marks for item, marks in by_item.items() if item in known}
        report.marks_changed = store.apply_remote_marks(remote)
        if marks_cursor is not None:
            store.set_pref(marks_key, marks_cursor)
        return
    unread, starred = await adapter.marks()
    remote = {article_id: (remote_id not in unread, remote_id in starred)
              for remote_id, article_id in known.items()}  # fmt: skip
    report.marks_changed = store.apply_remote_marks(remote)


def status_line(store: StateStore) -> str:
    """For the reader's status line: "offline · 3 pending" while the last sync failed,
    "3 pending" otherwise, "" when nothing waits and all went well."""
    pending, failed = store.pending_count(), bool(store.pref(_LAST_ERROR))
    parts = (["offline"] if failed else []) + ([f"{pending:,} pending"] if pending else [])
    return " · ".join(parts)


def sync_status(settings: SyncSettings, store: StateStore) -> SyncStatus:
    def when(key: str) -> float | None:
        return _when(store, key)

    next_try = when(_NEXT_TRY)
    return SyncStatus(
        service=settings.service,
        url=settings.url,
        user=settings.user,
        last_sync=when(_LAST_OK),
        last_attempt=when(_LAST_TRY),
        pending=store.pending_count(),
        last_error=store.pref(_LAST_ERROR) or None,
        next_try=next_try if next_try and next_try > time.time() else None,
    )
