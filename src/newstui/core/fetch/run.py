"""Fetch subscriptions into the news folder: the one entry point for the CLI and the reader.

    report = fetch_subscriptions(subscriptions, news_folder, paths,
                                 progress=callback, should_stop=callback)

Callable from any thread without an event loop (it runs its own); `progress` is called in
that thread after each feed. Each feed is fetched with a conditional GET; its entries go to
JSON article files in `news_folder/<feed folder>/` (named from the feed's title when it is
first written: `folder_names`), one per day of publication (see
`entries`), merged by article id, so a changed entry is rewritten in place (same article
id, reading state kept) and a repeated or interrupted fetch never duplicates. Files are
written whole (temp + rename) before the feed's state. A feed with `keep = N` (or the
config's `keep`) is then pruned to its N newest entries plus the starred ones (`retention`).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from newstui.core.fetch.addresses import AddressPolicy, address_class
from newstui.core.fetch.files import folder_lock
from newstui.core.fetch.folder_names import (
    mark_folder,
    marked_folders,
    readable_slug,
    unused_folder,
)
from newstui.core.fetch.http import HttpClient, Limits, Resolver
from newstui.core.fetch.http import system_resolver as _system_resolver
from newstui.core.fetch.retention import Pruned, ReadingState, prune, retain
from newstui.core.fetch.schedule import next_allowed, retry_at
from newstui.core.fetch.state import (
    EntryState,
    FeedState,
    StateCache,
    feed_folder_name,
    load_state,
    save_state,
    state_folder,
)
from newstui.core.fetch.subscriptions import Subscription
from newstui.core.fetch.urls import FetchError, mask_url
from newstui.core.formats import ArticleError
from newstui.core.paths import AppPaths
from newstui.core.sanitize import clean_line
from newstui.core.state.db import StateError

if TYPE_CHECKING:  # (multiprocessing is imported for a pool only: a 304 fetch needs none)
    from concurrent.futures import ProcessPoolExecutor

    from newstui.core.fetch.entries import Change, Prepared

Outcome = Literal["new", "updated", "unchanged", "failed"]
Progress = Callable[[int, int, "FeedReport"], None]  # (feeds done, feeds in all, the last one)


@dataclass
class FeedReport:
    name: str
    url: str  # masked: never shows a password
    outcome: Outcome
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0  # entries removed by retention (`keep`)
    retold: int = 0  # new entries not kept: the story is already there (another feed...)
    reason: str | None = None  # why it failed, or why it was not asked
    status: int | None = None
    skipped: bool = False  # not asked: not due yet (Retry-After, max-age, interval) or stopped
    moved_to: str | None = None  # a permanent redirect, used from now on
    problems: list[str] = field(default_factory=list)  # per entry: full text, refused links
    new_titles: list[str] = field(default_factory=list)  # the new entries' titles (notify)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FetchReport:
    feeds: list[FeedReport]

    @property
    def failed(self) -> list[FeedReport]:
        return [feed for feed in self.feeds if feed.outcome == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def totals(self) -> dict[str, int]:
        return {
            "new": sum(feed.new for feed in self.feeds),
            "updated": sum(feed.updated for feed in self.feeds),
            "failed": len(self.failed),
        }

    def as_json(self) -> dict[str, Any]:
        return {"feeds": [feed.as_json() for feed in self.feeds], **self.totals()}


def fetch_subscriptions(
    subscriptions: list[Subscription],
    news_folder: Path,
    paths: AppPaths,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    force: bool = False,
    limits: Limits | None = None,
    resolver: Resolver | None = None,
    classify: Callable[[str], str] = address_class,
    keep: int | None = None,
) -> FetchReport:
    """Fetch every subscription given (concurrently); never raises for one feed's trouble.

    `force` asks feeds that are not due yet (and ones that answered 410 Gone). `keep` is
    the config's: entries kept per feed whose subscription does not say (None: all).
    `classify` and `resolver` are for tests: which class an address is in, and DNS.
    """
    folder = state_folder(paths, news_folder)
    fetcher = _Fetcher(
        news_folder, folder, force, limits or Limits(), resolver or _system_resolver, classify
    )
    fetcher.keep, fetcher.stars = keep, ReadingState(paths.state_db)
    expected = sum(  # bytes of full answers to parse: feeds that cannot answer 304
        # (a full-text feed's pages are each more work than a feed)
        POOL_FROM if s.full_text else (state.size or UNKNOWN_SIZE)
        for s in subscriptions
        if not _has_validators(state := fetcher.states.peek(s.key))
    )
    # The pool first: its workers must not inherit (and outlive us holding) the lock.
    try:
        with _parse_pool(expected) as fetcher.pool, folder_lock(folder / "lock"):
            return asyncio.run(fetcher.run(subscriptions, progress, should_stop))
    finally:
        fetcher.stars.close()


def prune_feeds(
    subscriptions: list[Subscription],
    news_folder: Path,
    paths: AppPaths,
    keep: int | None,
    *,
    dry_run: bool = False,
) -> list[tuple[Subscription, list[Pruned]]]:
    """Retention by hand (`newstui feeds prune`): per feed with a `keep`, what goes (went).

    Raises `StateError` when the reader's stars cannot be read (then nothing is pruned)."""
    folder = state_folder(paths, news_folder)
    stars = ReadingState(paths.state_db)
    done = []
    try:
        with folder_lock(folder / "lock"):
            for subscription in subscriptions:
                limit = subscription.keep or keep
                if limit is None:
                    continue
                state = load_state(folder, subscription.key)
                feed_folder = news_folder / feed_folder_name(subscription.key, state)
                gone = retain(feed_folder, state, limit, stars, dry_run=dry_run)
                if gone and not dry_run:
                    save_state(folder, subscription.key, state)
                done.append((subscription, gone))
    finally:
        stars.close()
    return done


# Worker processes pay (forking them, sending results back) from about this many bytes of
# feeds to parse; below, parsing stays in this process. A feed never answered in full yet
# (a first fetch) counts as `UNKNOWN_SIZE`, else as the size of its last full answer.
# Workers that cannot be forked (the reader has threads) import everything anew: they pay
# from `UNFORKED_POOL_FROM`.
POOL_FROM = 2**19
UNFORKED_POOL_FROM = 4 * 2**20
UNKNOWN_SIZE = 40 * 2**10


def _exit_with(parent: int) -> None:
    """In a worker: exit when the fetch that started it is gone (even by `kill -9`).

    Asked of the process itself: a forkserver's workers are the server's children, not the
    fetch's (watching `getppid()` made every such worker exit at once)."""
    import threading

    def watch() -> None:
        while _alive(parent):
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (it exists, under another user)
        return True
    return True


def _has_validators(state: FeedState) -> bool:
    return bool(state.etag or state.last_modified)


@contextmanager
def _parse_pool(expected_bytes: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for parsing when much will answer in full (a big first fetch).

    Started before the event loop (and its threads), every worker at once."""
    workers = min(2 * (os.cpu_count() or 1), 4)  # twice the cores: they also write files
    if expected_bytes < POOL_FROM:
        yield None
        return
    # The index build's rules: fork only without other threads, and (in the reader, whose
    # stderr Textual captures) multiprocessing's helper started with a real stderr.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Imported once, before the fork (else each worker imports them on its first feed).
    import courlan  # noqa: F401
    import fastfeedparser  # noqa: F401

    import newstui.core.fetch.entries
    import newstui.core.formats.feeds  # noqa: F401
    from newstui.core.workers import start_method, start_resource_tracker

    method = start_method()
    if method != "fork" and expected_bytes < UNFORKED_POOL_FROM:
        yield None
        return
    pool = None
    if method == "fork":  # (the workers' collector would copy every inherited page)
        import gc

        gc.freeze()
    try:
        if method != "fork" and os.name == "posix":
            start_resource_tracker()
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_exit_with,
            initargs=(os.getpid(),),
        )
        pool.submit(int).result()  # a fork start method launches every worker now
    except Exception:  # no workers to be had: parse in this process, as for a few feeds
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        yield None
        return
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def feed_folder(subscription: Subscription, news_folder: Path, paths: AppPaths) -> Path:
    """Where the feed's articles are (its folder may not exist yet)."""
    state = load_state(state_folder(paths, news_folder), subscription.key)
    return news_folder / feed_folder_name(subscription.key, state)


def feed_states(
    subscriptions: list[Subscription], news_folder: Path, paths: AppPaths
) -> dict[str, FeedState]:
    """Each subscription's remembered state (last error, last success...), by URL."""
    folder = state_folder(paths, news_folder)
    return {s.url: load_state(folder, s.key) for s in subscriptions}


class _Fetcher:
    def __init__(
        self,
        news_folder: Path,
        state_dir: Path,
        force: bool,
        limits: Limits,
        resolver: Resolver,
        classify: Callable[[str], str],
    ) -> None:
        self.news_folder = news_folder
        self.state_dir = state_dir
        self.force = force
        self.limits = limits
        self.resolver = resolver
        self.classify = classify
        self.pool: ProcessPoolExecutor | None = None
        self.states = StateCache(state_dir)
        self.keep: int | None = None  # the config's default
        self.stars = ReadingState(state_dir / "no-stars")  # (`fetch_subscriptions` sets it)
        self._owners: dict[str, str] | None = None  # see `_story_owners`
        self._claimed: set[str] = set()  # folder names given to new feeds in this fetch
        self._marks: dict[str, str] | None = None  # see `folder_names.marked_folders`

    async def run(
        self,
        subscriptions: list[Subscription],
        progress: Progress | None,
        should_stop: Callable[[], bool] | None,
    ) -> FetchReport:
        done = 0
        # Feeds start a few dozen at a time, so that `should_stop` can still hold the rest.
        gate = asyncio.Semaphore(4 * self.limits.overall)

        async with HttpClient(self.limits, resolver=self.resolver) as client:

            async def one(subscription: Subscription) -> FeedReport:
                nonlocal done
                async with gate:
                    if should_stop is not None and should_stop():
                        report = _report(subscription, "unchanged", skipped=True, reason="stopped")
                    else:
                        report = await self.feed(client, subscription)
                done += 1
                if progress is not None:
                    progress(done, len(subscriptions), report)
                return report

            reports = await asyncio.gather(*(one(s) for s in subscriptions))
        return FetchReport(list(reports))

    async def feed(self, client: HttpClient, subscription: Subscription) -> FeedReport:
        try:
            return await self._feed(client, subscription)
        except OSError as error:  # the news folder or the state folder cannot be written
            return _report(subscription, "failed", reason=f"cannot save: {error}")
        except BrokenExecutor:  # a parsing worker died (out of memory?)
            return _report(subscription, "failed", reason="the feed's parser process died")

    async def _feed(self, client: HttpClient, subscription: Subscription) -> FeedReport:
        state = self.states.take(subscription.key)  # (read before the lock: unless changed since)
        now = time.time()
        if state.gone and not self.force:
            reason = "gone: the server answered 410 Gone; not asked again (remove the feed)"
            return _report(subscription, "failed", reason=reason, status=410, skipped=True)
        if now < state.not_before and not self.force:
            when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(state.not_before))
            return _report(subscription, "unchanged", reason=f"not due until {when}", skipped=True)
        url = state.moved_to or subscription.url
        remembered = state.remembered()
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            response = await client.get(
                url,
                AddressPolicy(classify=self.classify),
                headers=headers,
                subscription_allow=subscription.allow,
            )
        except FetchError as error:
            return self._failed(subscription, state, error, now)
        report = _report(subscription, "unchanged", status=response.status)
        if response.permanent_url and response.permanent_url != url:
            state.moved_to = report.moved_to = response.permanent_url
        for key, header in (("etag", "etag"), ("last_modified", "last-modified")):
            if header in response.headers:
                setattr(state, key, response.headers[header])
        state.not_before = next_allowed(response.headers, response.body, now, subscription.interval)
        if response.status == 200:
            state.size = len(response.body)
            try:
                await self._save_entries(
                    client, subscription, state, response.body, response.policy, report
                )
            except ArticleError as error:  # (validators kept: the same bytes fail the same)
                state.unreadable = str(error)
                return self._failed(subscription, state, FetchError(str(error)), now)
            state.unreadable = None
        elif state.unreadable:  # a 304 for a body that is not a feed
            state.last_error, state.last_error_at = state.unreadable, now
            save_state(self.state_dir, subscription.key, state)
            return _report(subscription, "failed", reason=state.unreadable, status=304)
        self._retain(subscription, state, report)
        state.last_error = state.last_error_at = None  # (a plain 304 after a failure saves)
        if response.status == 200 or report.pruned or state.remembered() != remembered:
            state.last_success = now
            save_state(self.state_dir, subscription.key, state)  # (a plain 304 writes nothing)
        report.outcome = "new" if report.new else "updated" if report.updated else "unchanged"
        return report

    def _retain(self, subscription: Subscription, state: FeedState, report: FeedReport) -> None:
        keep = subscription.keep or self.keep
        if keep is None or len(state.entries) <= keep:
            return
        try:
            folder = self.news_folder / feed_folder_name(subscription.key, state)
            gone = retain(folder, state, keep, self.stars)
        except StateError as error:  # the stars are unknown: nothing goes
            report.problems.append(f"not pruned (keep = {keep}): {error}")
            return
        report.pruned = len(gone)

    def _failed(
        self, subscription: Subscription, state: FeedState, error: FetchError, now: float
    ) -> FeedReport:
        reason = error.reason
        if error.status == 410:
            state.gone = True
            reason = "gone: the server answered 410 Gone; not asked again (remove the feed)"
        elif error.status in (429, 503):
            state.not_before = retry_at(error.headers, now)
            when = time.strftime("%H:%M:%S UTC", time.gmtime(state.not_before))
            reason = f"{reason}; not asked again before {when}"
        state.last_error, state.last_error_at = reason, now
        save_state(self.state_dir, subscription.key, state)
        return _report(subscription, "failed", reason=reason, status=error.status)

    async def _save_entries(
        self,
        client: HttpClient,
        subscription: Subscription,
        state: FeedState,
        body: bytes,
        policy: AddressPolicy,
        report: FeedReport,
    ) -> None:
        """Raises `ArticleError` when the body is not a feed."""
        from newstui.core.fetch.entries import Job, known_days, prepare, write_days
        from newstui.core.fetch.fulltext import with_full_text

        if state.folder is None and (self.news_folder / subscription.key).is_dir():
            state.folder = subscription.key  # named before folders were named from titles
        elif state.folder is None and not state.entries:  # new, or its state was lost
            state.folder = self._marked().get(subscription.key)
        folder = self.news_folder / feed_folder_name(subscription.key, state)
        if not state.entries and folder.is_dir():  # the state was lost: the files know
            state.entries = {
                article_id: EntryState("", time.time(), day=day)
                for article_id, day in known_days(folder).items()
            }
        job = Job(
            folder=folder,
            feed_key=subscription.key,
            feed_url=subscription.url,
            outlet=subscription.name,
            known={
                key: (entry.hash, entry.first_seen, entry.day)
                for key, entry in state.entries.items()
            },
            now=time.time(),
            write=not subscription.full_text,
            pruned=frozenset(state.pruned),
        )
        if self.pool is None:
            prepared = prepare(body, job)
        else:
            loop = asyncio.get_running_loop()
            prepared = await loop.run_in_executor(self.pool, prepare, body, job)
        report.unchanged = prepared.unchanged
        state.pruned = prepared.still_pruned
        report.problems += prepared.problems
        self._drop_retold(folder, prepared, state, report, written=job.write)
        full_text: dict[str, str] = {}

        async def complete(change: Change) -> None:
            if change.article is None:
                return
            change.article, full_text[change.article_id] = await with_full_text(
                change.article, client, policy, pool=self.pool
            )
            if full_text[change.article_id] != "ok":
                where = mask_url(change.article.url or change.article.title)
                report.problems.append(f"{where}: {full_text[change.article_id]}")

        if subscription.full_text:
            await asyncio.gather(*(complete(change) for change in prepared.changes))
            write_days(prepared.changes, job)
        for change in prepared.changes:
            state.entries[change.article_id] = EntryState(
                change.digest,
                change.first_seen,
                full_text.get(change.article_id),
                change.day,
                list(change.keys),
            )
        report.new_titles = [change.title for change in prepared.changes if change.is_new]
        report.new = len(report.new_titles)
        report.updated = len(prepared.changes) - report.new
        state.title = clean_line(prepared.title or "") or None
        if state.folder is None and folder.is_dir():
            self._name_folder(subscription, state, folder)

    def _name_folder(self, subscription: Subscription, state: FeedState, written: Path) -> None:
        """A new feed's first files are in: its folder takes the name of its title (once)."""
        title = subscription.name or state.title or urlsplit(subscription.url).hostname or ""
        name = unused_folder(self.news_folder, readable_slug(title), self._claimed)
        mark_folder(written, subscription.key)
        os.rename(written, self.news_folder / name)
        self._claimed.add(name)
        state.folder = name

    def _marked(self) -> dict[str, str]:
        if self._marks is None:
            self._marks = marked_folders(self.news_folder)
        return self._marks

    def _drop_retold(
        self,
        folder: Path,
        prepared: Prepared,
        state: FeedState,
        report: FeedReport,
        *,
        written: bool,
    ) -> None:
        """Each story once: a new entry with the id or address of an article already kept
        (another feed's, or this feed's under another id) is dropped (removed if written)
        and remembered with the pruned ones, so it is not written again."""
        owners = self._story_owners()
        kept, dropped = [], []
        for change in prepared.changes:
            others = {owners.get(key, change.article_id) for key in change.keys}
            known = state.entries.get(change.article_id)
            # (an entry read back from the files, its state lost in a crash, counts as new)
            fresh = known is None or not known.hash
            if fresh and others != {change.article_id}:
                dropped.append(change)
                continue
            kept.append(change)
            for key in change.keys:
                owners.setdefault(key, change.article_id)
        if not dropped:
            return
        if written:
            prune(folder, [Pruned(change.article_id, "", "", change.day) for change in dropped])
        prepared.changes = kept
        state.pruned = sorted(set(state.pruned) | {change.article_id for change in dropped})
        report.retold = len(dropped)

    def _story_owners(self) -> dict[str, str]:
        """Story key (`entries.story_keys`) -> the article that tells it, over every feed of
        the news folder; read from the feeds' states once, then kept up to date."""
        if self._owners is None:
            self._owners = {}
            for path in sorted(self.state_dir.glob("*.json")):
                for article_id, entry in load_state(self.state_dir, path.stem).entries.items():
                    for key in entry.keys:
                        self._owners.setdefault(key, article_id)
        return self._owners


def _report(subscription: Subscription, outcome: Outcome, **fields: Any) -> FeedReport:
    return FeedReport(subscription.title, mask_url(subscription.url), outcome, **fields)
