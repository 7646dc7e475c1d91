"""Messages posted by the reader's background workers to the main screen.

Workers run in threads and only ever `post_message` (thread-safe); the screen applies the
results on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from newstui.library import ArticleRow, AuthorInfo, RefreshSummary, RelatedItem, SearchHit
    from newstui.models import Article


@dataclass
class RefreshProgress(Message):
    """`done` of `total` files checked; floods coalesce to the latest."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgress)


@dataclass
class RefreshFinished(Message):
    summary: RefreshSummary
    total: int
    unread: int
    problems: int


@dataclass
class FilesChanged(Message):
    """The watcher saw files appear, change or disappear in the library folder."""

    count: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FilesChanged)


@dataclass
class CountsLoaded(Message):
    total: int
    unread: int
    problems: int
    refreshes_seen: int = 0  # refreshes finished when counting began: a later one is fresher


@dataclass
class ArticleLoaded(Message):
    """The full article for the reader (None: it is gone or unreadable)."""

    article_id: str
    article: Article | None
    position: float = 0.0
    block: int = 0
    marked_read: bool = False


@dataclass
class AuthorLoaded(Message):
    article_id: str
    author: AuthorInfo | None
    articles: list[ArticleRow] = field(default_factory=list)


@dataclass
class RelatedLoaded(Message):
    article_id: str
    items: list[RelatedItem] = field(default_factory=list)
    failed: bool = False


@dataclass
class SearchFinished(Message):
    query: str
    hits: list[SearchHit]


@dataclass
class SearchFailed(Message):
    query: str
    reason: str


@dataclass
class UnreadFound(Message):
    """Where the next/previous unread article is in the current listing (None: none)."""

    index: int | None
    forward: bool


@dataclass
class LinkResolved(Message):
    """The link (or file path) of an article, to open or to copy."""

    action: Literal["open", "copy"]
    link: str
