"""Miniflux's own API (`/v1/...`), through the official `miniflux` client library.

The library is synchronous (requests): each call runs in a worker thread. Authentication is
an API token (`token_command`: the `X-Auth-Token` header) or the user and password.

New entries: `get_entries(after_entry_id=cursor, order="id", direction="asc")`, a page at a
time; the cursor is the highest entry id. Marks: `get_entries(changed_after=...)` gives the
entries whose status changed since the last sync (the cursor is the newest `changed_at`
seen, less a second: "after" is strict, and two changes may share a second). Read and
unread go in batches (`update_entries`); a star is `toggle_bookmark`, sent only when the
entry's star differs (`get_entry` first), so that sending it twice cannot undo it.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import miniflux
import requests

from newstui.core.fetch.http import USER_AGENT, Limits
from newstui.core.state.outbox import PendingMark
from newstui.core.sync.adapter import (
    ItemGone,
    LoginRefused,
    RemoteFeed,
    RemoteItem,
    SyncFailed,
    http_failure,
)
from newstui.core.sync.settings import SyncSettings

PAGE = 250  # entries per get_entries page
MARK_BATCH = 500  # entry ids per update_entries
_T = TypeVar("_T")
_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$")


class MinifluxAdapter:
    service = "miniflux"
    batch_size = 2 * MARK_BATCH

    def __init__(self, limits: Limits, settings: SyncSettings, secret: str) -> None:
        self._settings = settings
        session = requests.Session()
        session.max_redirects = limits.max_redirects
        session.hooks["response"].append(_size_check(limits.max_bytes))
        token = secret if settings.token_command is not None else None
        self._client = miniflux.Client(
            settings.url.rstrip("/"),
            username=None if token else settings.user,
            password=None if token else secret,
            api_key=token,
            timeout=limits.deadline,
            user_agent=USER_AGENT,
            session=session,
        )
        self._newest_change = 0

    async def _call(self, call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        try:
            return await asyncio.to_thread(call, *args, **kwargs)
        except (miniflux.AccessUnauthorized, miniflux.AccessForbidden):
            secret = next(
                key
                for key in ("token_command", "password_env", "password_command")
                if getattr(self._settings, key) is not None
            )
            what = secret if secret == "token_command" else f"user and {secret}"
            host = self._settings.host
            raise LoginRefused(f"sync: login refused by {host}; check {what}") from None
        except miniflux.ResourceNotFound:
            raise ItemGone(f"sync: {self._settings.host}: no such entry", answered=True) from None
        except miniflux.ClientError as error:
            response = getattr(error, "_response", None)  # (the library keeps it there)
            headers = getattr(response, "headers", None) or {}
            status = error.status_code
            raise http_failure(
                self._settings.host,
                f"HTTP {status}",
                status,
                {"retry-after": str(headers.get("Retry-After", ""))},
            ) from None
        except (requests.RequestException, ValueError) as error:
            reason = type(error).__name__  # (its text may hold the URL's query; keep it short)
            raise SyncFailed(f"sync: {self._settings.host}: network error ({reason})") from None

    async def login(self) -> None:
        await self._call(self._client.me)

    async def push(self, marks: list[PendingMark]) -> list[PendingMark]:
        accepted: list[PendingMark] = []
        reads: dict[bool, list[PendingMark]] = defaultdict(list)
        for mark in marks:
            if mark.field == "read":
                reads[mark.value].append(mark)
        try:
            for value, group in reads.items():
                for start in range(0, len(group), MARK_BATCH):
                    batch = group[start : start + MARK_BATCH]
                    ids = [int(mark.remote_id) for mark in batch]
                    await self._call(
                        self._client.update_entries, ids, "read" if value else "unread"
                    )
                    accepted.extend(batch)
            for mark in marks:
                if mark.field == "starred":
                    await self._star(mark)
                    accepted.append(mark)
        except LoginRefused:
            raise
        except SyncFailed:
            if not accepted:
                raise
        return accepted

    async def _star(self, mark: PendingMark) -> None:
        try:
            entry = await self._call(self._client.get_entry, int(mark.remote_id))
        except ItemGone:
            return  # deleted on the server: nothing left to mark
        if bool(entry.get("starred")) != mark.value:
            await self._call(self._client.toggle_bookmark, int(mark.remote_id))

    async def feeds(self) -> list[RemoteFeed]:
        found = []
        for feed in _dicts(await self._call(self._client.get_feeds)):
            url = _text(feed.get("feed_url"))
            category = feed.get("category")
            name = _text(category.get("title")) if isinstance(category, dict) else ""
            if url and feed.get("id") is not None:
                title = _text(feed.get("title")) or url
                found.append(RemoteFeed(str(feed.get("id")), title, url, name or None))
        return found

    async def items_after(self, cursor: str | None) -> tuple[list[RemoteItem], str | None]:
        after = int(cursor) if cursor and cursor.isdigit() else 0
        answer = await self._call(
            self._client.get_entries,
            after_entry_id=after,
            order="id",
            direction="asc",
            limit=PAGE,
        )
        entries = _dicts(answer.get("entries") if isinstance(answer, dict) else None)
        items = [item for raw in entries if (item := self._item(raw)) is not None]
        if not items:
            return [], None
        return items, str(max(int(item.id) for item in items))

    async def marks(self) -> tuple[set[str], set[str]]:
        raise NotImplementedError  # (changed_marks instead)

    async def changed_marks(
        self, cursor: str | None
    ) -> tuple[dict[str, tuple[bool, bool]], str | None]:
        changed: dict[str, tuple[bool, bool]] = {}
        if cursor is not None and cursor.isdigit():
            for offset in range(0, 10_000_000, PAGE):
                answer = await self._call(
                    self._client.get_entries,
                    changed_after=int(cursor),
                    order="id",
                    direction="asc",
                    limit=PAGE,
                    offset=offset,
                )
                entries = _dicts(answer.get("entries") if isinstance(answer, dict) else None)
                for raw in entries:
                    item = self._item(raw)
                    if item is not None:
                        changed[item.id] = (item.read, item.starred)
                if len(entries) < PAGE:
                    break
        newest = max(self._newest_change - 1, int(cursor) if cursor and cursor.isdigit() else 0)
        return changed, str(newest) if newest > 0 else cursor

    def _item(self, raw: dict[str, Any]) -> RemoteItem | None:
        entry_id, feed_id = raw.get("id"), raw.get("feed_id")
        if not isinstance(entry_id, int) or not isinstance(feed_id, int):
            return None
        self._newest_change = max(self._newest_change, _stamp(raw.get("changed_at")))
        return RemoteItem(
            id=str(entry_id),
            feed_id=str(feed_id),
            title=_text(raw.get("title")),
            url=_text(raw.get("url")) or None,
            author=_text(raw.get("author")) or None,
            html=_text(raw.get("content")),
            published=float(_stamp(raw.get("published_at"))),
            read=raw.get("status") == "read",
            starred=bool(raw.get("starred")),
        )


def _size_check(cap: int) -> Callable[..., None]:
    def check(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            response.close()
            raise requests.exceptions.ContentDecodingError(f"too large: {declared} bytes")

    return check


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _stamp(value: object) -> int:
    """Seconds from Miniflux's RFC 3339 times (0 when missing or not one)."""
    if not isinstance(value, str):
        return 0
    match = _RFC3339.match(value.strip())
    if match is None:
        return 0
    zone = match.group(2) or "+00:00"
    try:
        stamp = datetime.fromisoformat(match.group(1) + ("+00:00" if zone == "Z" else zone))
    except ValueError:
        return 0
    return int(stamp.timestamp())
