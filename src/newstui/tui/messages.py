"""Messages posted by the reader's background workers to the main screen.

Workers run in threads and only ever `post_message` (thread-safe); the screen applies the
results on the UI thread. Plain classes, as Textual's own: a dataclass costs half a
millisecond of start-up each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from pathlib import Path

    from newstui.core.commands import CommandResult
    from newstui.core.fetch.feed_list import FeedList
    from newstui.core.index.summary import Problem
    from newstui.core.library import (
        ArticleRow,
        AuthorInfo,
        FolderInfo,
        Library,
        RefreshSummary,
        RelatedItem,
        SearchHit,
    )
    from newstui.core.models import Article
    from newstui.core.notify import NewArticles
    from newstui.core.sources import RowSource


class RefreshProgress(Message):
    """`done` of `total` files checked; floods coalesce to the latest."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgress)


class RefreshFinished(Message):
    def __init__(self, summary: RefreshSummary, total: int, unread: int, problems: int) -> None:
        super().__init__()
        self.summary = summary
        self.total = total
        self.unread = unread
        self.problems = problems


class RefreshCommitted(Message):
    """A batch of the refresh is committed: `stored` files so far are in the index."""

    def __init__(self, stored: int) -> None:
        super().__init__()
        self.stored = stored

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshCommitted)


class FilesChanged(Message):
    """The watcher saw files appear, change or disappear in the library folder."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FilesChanged)


class CountsLoaded(Message):
    def __init__(self, total: int, unread: int, problems: int, refreshes_seen: int = 0) -> None:
        super().__init__()
        self.total = total
        self.unread = unread
        self.problems = problems
        # Refreshes finished when counting began: a later one is fresher.
        self.refreshes_seen = refreshes_seen


class ArticleLoaded(Message):
    """The full article for the reader (None: it is gone or unreadable)."""

    def __init__(
        self,
        article_id: str,
        article: Article | None,
        position: float = 0.0,
        block: int = 0,
        marked_read: bool = False,
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self.article = article
        self.position = position
        self.block = block
        self.marked_read = marked_read


class AuthorLoaded(Message):
    """The open article's authors, each with their articles (none: it names no author)."""

    def __init__(
        self, article_id: str, authors: list[tuple[AuthorInfo, list[ArticleRow]]] | None = None
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self.authors = authors or []


class RelatedLoaded(Message):
    def __init__(
        self, article_id: str, items: list[RelatedItem] | None = None, failed: bool = False
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self.items = items or []
        self.failed = failed


class SearchFinished(Message):
    def __init__(self, query: str, hits: list[SearchHit]) -> None:
        super().__init__()
        self.query = query
        self.hits = hits


class SearchFailed(Message):
    def __init__(self, query: str, reason: str) -> None:
        super().__init__()
        self.query = query
        self.reason = reason


class UnreadFound(Message):
    """Where the next/previous unread article is in the current listing (None: none)."""

    def __init__(self, index: int | None, forward: bool) -> None:
        super().__init__()
        self.index = index
        self.forward = forward


class LinkOpened(Message):
    """An opener was started for `link`; `error` says why it failed (None: it did not)."""

    def __init__(self, link: str, error: str | None) -> None:
        super().__init__()
        self.link = link
        self.error = error


class LinkResolved(Message):
    """The link (or file path) of an article, to open or to copy."""

    def __init__(self, action: Literal["open", "copy"], link: str) -> None:
        super().__init__()
        self.action = action
        self.link = link


class StateWriteFailed(Message):
    """A queued state write failed; it is tried again until it lands."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__()
        self.what = what
        self.reason = reason


class StateWriteRecovered(Message):
    """A state write that had failed has now landed."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what


class RowsCollected(Message):
    """Every row a source lists (for marking them all read)."""

    def __init__(self, source: RowSource, rows: list[ArticleRow]) -> None:
        super().__init__()
        self.source = source
        self.rows = rows


class MarksSaved(Message):
    """Queued writes of many marks at once have landed."""


class SyncStatusLoaded(Message):
    """What the status line says of sync ("offline · 3 pending", or "")."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class FoldersLoaded(Message):
    def __init__(self, folders: list[FolderInfo]) -> None:
        super().__init__()
        self.folders = folders


FeedStep = Literal["list", "next", "previous", "next_unread"]


class FeedListLoaded(Message):
    """The feed list, read for `then`: show it, or move to another feed."""

    def __init__(self, feeds: FeedList, then: FeedStep) -> None:
        super().__init__()
        self.feeds = feeds
        self.then = then


class FetchProgress(Message):
    """`done` of `total` feeds fetched; floods coalesce to the latest."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FetchProgress)


class FeedProblemsLoaded(Message):
    """The feeds whose last fetch failed, remembered from an earlier fetch (any process)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems


class FetchFinished(Message):
    def __init__(
        self,
        summary: str,
        problems: list[Problem],
        changed: bool,
        news_folder: Path,
        new: NewArticles | None = None,
    ) -> None:
        super().__init__()
        self.new = new  # the new articles, for the notification
        self.summary = summary  # one line for a person: "12 new, 1 updated, 1 failed"
        self.problems = problems  # each feed whose last fetch failed (by title): when and why
        self.changed = changed  # some article file was written
        self.news_folder = news_folder


class CommandFinished(Message):
    """A pipe, macro or `notify_command` ran (in a worker): `result.error` says how it failed."""

    def __init__(self, what: str, result: CommandResult) -> None:
        super().__init__()
        self.what = what  # "Pipe", "Macro save_to_wallabag", "notify_command"
        self.result = result


class UrlSaved(Message):
    def __init__(self, url: str, path: Path | None, reason: str | None, new: bool = True) -> None:
        super().__init__()
        self.url = url
        self.path = path  # where the article was written (or had been, `new` False)
        self.reason = reason  # why it could not be saved
        self.new = new


class LibraryOpened(Message):
    """A library opened off the UI thread, to show (`feed`: that feed's folder in it)."""

    def __init__(self, library: Library, feed: str, title: str) -> None:
        super().__init__()
        self.library = library
        self.feed = feed
        self.title = title


class LibraryFailed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class LibraryWanted(Message):
    """To the app: open `folder` (showing its subfolder `feed`, if one)."""

    def __init__(self, folder: Path, feed: str = "", title: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.feed = feed
        self.title = title  # the feed's name
