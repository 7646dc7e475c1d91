"""What the sync engine asks of a service; each service is a small adapter (Fever, ...)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol, runtime_checkable

from newstui.core.state.outbox import PendingMark

MAX_RETRY_AFTER = 6 * 3600  # seconds: a longer Retry-After is taken as this


class SyncFailed(Exception):
    """The service could not be reached or refused; the message is one line, safe to show
    (never the password). `answered`: the server was reached (it answered an error)."""

    def __init__(
        self,
        message: str,
        *,
        answered: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.answered = answered
        self.status = status  # the HTTP status that said no, if one did
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After)

    @property
    def busy(self) -> bool:
        """The server is overloaded or failing (429, 5xx): wait before the next try."""
        return self.status is not None and (self.status == 429 or self.status >= 500)


def http_failure(host: str, reason: str, status: int | None, headers: dict[str, str]) -> SyncFailed:
    """A failed request as a `SyncFailed`, with its status and any Retry-After."""
    return SyncFailed(
        f"sync: {host}: {reason}",
        answered=status is not None,
        status=status,
        retry_after=retry_after(headers.get("retry-after", "")),
    )


def retry_after(value: str) -> float | None:
    """Seconds from a Retry-After header (seconds, or an HTTP date); None without one."""
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_RETRY_AFTER))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(when.timestamp() - time.time(), 0.0), float(MAX_RETRY_AFTER))


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
