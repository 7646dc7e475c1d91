"""The main screen's background jobs: everything that touches the disk runs here.

Each job is a thread worker (`exclusive` per group, errors reported by the screen's one
`Worker.StateChanged` handler) that talks back only with `post_message`, which is
thread-safe. `jobs` counts the ones using the library, so it is closed only when idle.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from newstui.core.jobs import Jobs
from newstui.core.library import Library, ListFilter, QueryError, Sort
from newstui.core.state.store import StateStore
from newstui.tui.messages import (
    ArticleLoaded,
    AuthorLoaded,
    CountsLoaded,
    FilesChanged,
    LinkResolved,
    RefreshFinished,
    RefreshProgress,
    RelatedLoaded,
    SearchFailed,
    SearchFinished,
    UnreadFound,
)

if TYPE_CHECKING:
    from newstui.core.sources import RowSource

PROGRESS_INTERVAL = 0.1
"""Seconds between two refresh progress messages."""
WATCH_DEBOUNCE_MS = 400
UNREAD_SCAN_PAGE = 500

LinkAction = Literal["open", "copy"]


class LibraryScreen(Screen[None]):
    """A screen over one library: the thread workers that read and write it."""

    def __init__(self, library: Library, state: StateStore, name: str | None = None) -> None:
        super().__init__(name=name)
        self.library = library
        self.state = state
        self.folder: Path = library.folder
        self.jobs = Jobs()
        self._stop_jobs = threading.Event()
        self._last_progress = 0.0
        self.refreshes_finished = 0  # so a slow count never overwrites a newer refresh's figures
        self.sort: Sort = "date"

    def stop_jobs(self) -> None:
        """Ask running jobs to stop (the refresh between files, the watcher at once)."""
        self._stop_jobs.set()

    @work(
        thread=True,
        exclusive=True,
        group="refresh",
        exit_on_error=False,
        description="Checking the library for changes",
    )
    def refresh_library(self) -> None:
        with self.jobs:
            worker = get_current_worker()

            def progress(done: int, total: int) -> None:
                now = time.monotonic()
                if done >= total or now - self._last_progress >= PROGRESS_INTERVAL:
                    self._last_progress = now
                    self.post_message(RefreshProgress(done, total))

            def should_stop() -> bool:
                return worker.is_cancelled or self._stop_jobs.is_set()

            summary = self.library.refresh(progress=progress, should_stop=should_stop)
            if worker.is_cancelled:
                return
            self.library.warm_order(self.sort)
            total = self.library.count()
            unread = self.library.count(ListFilter(unread=True))
            problems = len(self.library.problems())
            self.post_message(RefreshFinished(summary, total, unread, problems))

    @work(
        thread=True,
        exclusive=True,
        group="watch",
        exit_on_error=False,
        description="Watching the library folder",
    )
    def watch_library(self) -> None:
        from watchfiles import watch

        for changes in watch(
            self.folder,
            stop_event=self._stop_jobs,
            debounce=WATCH_DEBOUNCE_MS,
            raise_interrupt=False,
        ):
            if self._stop_jobs.is_set():
                return
            self.post_message(FilesChanged(len(changes)))

    @work(
        thread=True,
        exclusive=True,
        group="counts",
        exit_on_error=False,
        description="Counting articles",
    )
    def count_articles(self) -> None:
        refreshes_seen = self.refreshes_finished
        with self.jobs:
            total = self.library.count()
            unread = self.library.count(ListFilter(unread=True))
            problems = len(self.library.problems())
            self.post_message(CountsLoaded(total, unread, problems, refreshes_seen))

    @work(
        thread=True,
        exclusive=True,
        group="article",
        exit_on_error=False,
        description="Loading the article",
    )
    def load_article(self, article_id: str, mark_read: bool) -> None:
        with self.jobs:
            worker = get_current_worker()

            def cancelled() -> bool:
                return worker.is_cancelled

            article = self.library.article(article_id)
            state = self.state.get(article_id)
            if article is not None:
                self.state.set_last_opened(str(self.folder), article_id)
                if mark_read and not state.read:
                    self.state.set_read([article_id])
            marked = article is not None and mark_read and not state.read
            self.post_message(
                ArticleLoaded(article_id, article, state.position, state.block, marked)
            )
            if article is None or cancelled():
                return
            name = article.author.name if article.author else None
            author = self.library.author(name) if name else None
            by_author = self.library.articles_by(name, limit=51) if name else []
            self.post_message(AuthorLoaded(article_id, author, by_author))
            if cancelled():
                return
            try:
                items = self.library.related(article_id)
            except Exception:
                self.post_message(RelatedLoaded(article_id, failed=True))
                raise  # reported by the worker error handler
            self.post_message(RelatedLoaded(article_id, items))

    @work(
        thread=True,
        exclusive=True,
        group="seek",
        exit_on_error=False,
        description="Looking for an unread article",
    )
    def seek_unread(self, source: RowSource, start: int, forward: bool) -> None:
        with self.jobs:
            worker = get_current_worker()
            if forward:
                offset = start + 1
                while not worker.is_cancelled:
                    rows = source.rows(offset, UNREAD_SCAN_PAGE)
                    for number, row in enumerate(rows):
                        if not row.read:
                            self.post_message(UnreadFound(offset + number, forward))
                            return
                    if len(rows) < UNREAD_SCAN_PAGE:
                        break
                    offset += len(rows)
            else:
                end = start
                while end > 0 and not worker.is_cancelled:
                    offset = max(0, end - UNREAD_SCAN_PAGE)
                    rows = source.rows(offset, end - offset)
                    for number in range(len(rows) - 1, -1, -1):
                        if not rows[number].read:
                            self.post_message(UnreadFound(offset + number, forward))
                            return
                    end = offset
            self.post_message(UnreadFound(None, forward))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def run_search(self, query: str) -> None:
        with self.jobs:
            try:
                hits = self.library.search(query)
            except QueryError as error:
                self.post_message(SearchFailed(query, str(error)))
                return
            self.post_message(SearchFinished(query, hits))

    @work(
        thread=True,
        exclusive=True,
        group="link",
        exit_on_error=False,
        description="Finding the article's link",
    )
    def resolve_link(self, article_id: str, action: LinkAction) -> None:
        with self.jobs:
            from newstui.tui.opener import link_or_path

            article = self.library.article(article_id)
            if article is None:
                return
            self.post_message(LinkResolved(action, link_or_path(article.url, article.source.path)))
