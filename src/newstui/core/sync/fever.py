"""The Fever API (FreshRSS, Miniflux, Tiny Tiny RSS with its plugin, Coldsweat).

Every call is a POST of `api_key` = md5("user:password") to `URL?api&...`; answers are JSON
with `auth` 1 when the key was accepted. Items come 50 at a time by `since_id`; the unread
and saved ids as comma-separated lists. A mark is one item per request (`mark=item`): Fever
has no batch form. Fever cannot add or remove feeds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from newstui.core.fetch.http import HttpClient
from newstui.core.fetch.urls import FetchError
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

_AS = {("read", True): "read", ("read", False): "unread",
       ("starred", True): "saved", ("starred", False): "unsaved"}  # fmt: skip


def api_key(user: str, password: str) -> str:
    return hashlib.md5(f"{user}:{password}".encode()).hexdigest()  # the API's own scheme


class FeverAdapter:
    service = "fever"
    batch_size = 50

    def __init__(self, client: HttpClient, settings: SyncSettings, password: str) -> None:
        self._client = client
        self._settings = settings
        self._key = api_key(settings.user or "", password)

    async def _call(self, query: str, **fields: str) -> dict[str, Any]:
        base = self._settings.url
        url = f"{base}{'&' if '?' in base else '?'}api{'&' + query if query else ''}"
        try:
            response = await self._client.post_form(url, {"api_key": self._key, **fields})
        except FetchError as error:
            if error.status in (401, 403):
                raise _refused(self._settings) from None
            if error.status == 404 and "mark" in fields:
                raise ItemGone(f"sync: {self._settings.host}: no item {fields.get('id')}") from None
            raise http_failure(
                self._settings.host, error.reason, error.status, error.headers
            ) from None
        try:
            answer = json.loads(response.body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise SyncFailed(f"sync: {self._settings.host}: not a Fever API answer (no JSON)")
        if answer.get("auth") != 1:
            raise _refused(self._settings)
        return answer

    async def login(self) -> None:
        await self._call("")

    async def push(self, marks: list[PendingMark]) -> list[PendingMark]:
        accepted: list[PendingMark] = []
        for mark in marks:
            state = _AS[(mark.field, mark.value)]
            try:
                await self._call("", mark="item", **{"as": state}, id=mark.remote_id)
            except ItemGone:
                pass  # (Coldsweat: 404) deleted on the server; nothing left to mark
            except LoginRefused:
                raise
            except SyncFailed:
                if not accepted:
                    raise
                break  # sent so far is settled; the rest stay queued
            accepted.append(mark)
        return accepted

    async def feeds(self) -> list[RemoteFeed]:
        groups = await self._call("groups")
        names = {str(g.get("id")): _text(g.get("title")) for g in _list(groups, "groups")}
        category: dict[str, str] = {}
        for link in _list(groups, "feeds_groups"):
            name = names.get(str(link.get("group_id")))
            for feed_id in _ids(link.get("feed_ids")):
                if name:
                    category.setdefault(feed_id, name)
        answer = await self._call("feeds")
        found = []
        for feed in _list(answer, "feeds"):
            feed_id, url = str(feed.get("id")), _text(feed.get("url"))
            if url:
                title = _text(feed.get("title")) or url
                found.append(RemoteFeed(feed_id, title, url, category.get(feed_id)))
        return found

    async def items_after(self, cursor: str | None) -> tuple[list[RemoteItem], str | None]:
        since = cursor if cursor and cursor.isdigit() else "0"
        answer = await self._call(f"items&since_id={since}")
        items = [item for raw in _list(answer, "items") if (item := _item(raw)) is not None]
        if not items:
            return [], None
        return items, str(max(int(item.id) for item in items))

    async def marks(self) -> tuple[set[str], set[str]]:
        unread = await self._call("unread_item_ids")
        saved = await self._call("saved_item_ids")
        return set(_ids(unread.get("unread_item_ids"))), set(_ids(saved.get("saved_item_ids")))


def _refused(settings: SyncSettings) -> LoginRefused:
    secret = "password_env" if settings.password_env else "password_command"
    return LoginRefused(f"sync: login refused by {settings.host}; check user and {secret}")


def _list(answer: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = answer.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _ids(value: object) -> list[str]:
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(",") if part.strip().isdigit()]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _item(raw: dict[str, Any]) -> RemoteItem | None:
    item_id, feed_id = _number(raw.get("id")), _number(raw.get("feed_id"))
    if item_id is None or feed_id is None:
        return None
    return RemoteItem(
        id=str(item_id),
        feed_id=str(feed_id),
        title=_text(raw.get("title")),
        url=_text(raw.get("url")) or None,
        author=_text(raw.get("author")) or None,
        html=_text(raw.get("html")),
        published=float(_number(raw.get("created_on_time")) or 0),
        read=bool(_number(raw.get("is_read"))),
        starred=bool(_number(raw.get("is_saved"))),
    )
