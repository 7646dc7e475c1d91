"""What the sync engine asks of a service; each service is a small adapter (Fever, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from newstui.core.state.outbox import PendingMark


class SyncFailed(Exception):
    """The service could not be reached or refused; the message is one line, safe to show
    (never the password). `answered`: the server was reached (it answered an error)."""

    def __init__(self, message: str, *, answered: bool = False) -> None:
        super().__init__(message)
        self.answered = answered


class ItemGone(SyncFailed):
    """The server no longer has the item a mark is for: the mark can never be sent."""


class LoginRefused(SyncFailed):
    """401/403 or the service's own "not authenticated": retrying will not help."""


@dataclass(frozen=True)
class RemoteFeed:
    id: str
    title: str
    url: str  # the feed's own address
    category: str | None = None


@dataclass(frozen=True)
class RemoteItem:
    id: str
    feed_id: str
    title: str
    url: str | None
    author: str | None
    html: str
    published: float  # Unix time
    read: bool
    starred: bool


class Adapter(Protocol):
    service: str
    batch_size: int  # marks sent per `push` call

    async def login(self) -> None: ...

    async def push(self, marks: list[PendingMark]) -> list[PendingMark]:
        """Send marks; returns those the service accepted (raises when it is unreachable)."""
        ...

    async def feeds(self) -> list[RemoteFeed]: ...

    async def items_after(self, cursor: str | None) -> tuple[list[RemoteItem], str | None]:
        """Items newer than `cursor`, a page; the cursor after it (None: nothing newer)."""
        ...

    async def marks(self) -> tuple[set[str], set[str]]:
        """The ids of the items that are unread, and of those that are starred."""
        ...


@runtime_checkable
class IncrementalMarks(Protocol):
    """An adapter that can say which items' marks changed since a cursor (Miniflux's
    `changed_after`): the engine then asks for those only, and takes the marks of items
    new in this sync from the items themselves."""

    async def changed_marks(
        self, cursor: str | None
    ) -> tuple[dict[str, tuple[bool, bool]], str | None]:
        """(read, starred) by item id, of items changed after `cursor`; the next cursor."""
        ...
