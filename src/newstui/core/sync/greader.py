"""The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux).

`url` is the API's base: `URL/accounts/ClientLogin` takes Email and Passwd and answers
`Auth=...`, sent after as `Authorization: GoogleLogin auth=...`; `URL/reader/api/0/...` is
the rest. A write (`edit-tag`) also carries `T`, a token from `reader/api/0/token`, fetched
again once when the server says it went stale (401 with `Google-Bad-Token`).

New items: `stream/items/ids` of the reading list with `ot` (added at or after, seconds) and
`r=o` (oldest first), paged by `continuation`; then their contents, many `i=` per POST to
`stream/items/contents`. The cursor is "ot" or "ot:continuation". Marks: the ids of the
unread (`xt=.../read`) and of the starred stream. Marks are sent in batches: one `edit-tag`
per (add or remove, state) with many `i=`.

An item id comes in two forms, `tag:google.com,2005:reader/item/<16 hex>` and decimal;
both are kept here as the decimal form.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from newstui.core.fetch.http import HttpClient, Response
from newstui.core.fetch.urls import FetchError
from newstui.core.state.outbox import PendingMark
from newstui.core.sync.adapter import (
    LoginRefused,
    RemoteFeed,
    RemoteItem,
    SyncFailed,
    http_failure,
)
from newstui.core.sync.settings import SyncSettings

READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
_ITEM_PREFIX = "tag:google.com,2005:reader/item/"
IDS_PAGE = 1_000  # ids per stream/items/ids page
CONTENTS_BATCH = 250  # ids per stream/items/contents request
EDIT_BATCH = 500  # ids per edit-tag request
_STATE = {"read": READ, "starred": STARRED}


def decimal_id(value: object) -> str | None:
    """An item id in either form, as decimal; None when it is neither."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.startswith(_ITEM_PREFIX):
        tail = text[len(_ITEM_PREFIX) :]
        try:
            return str(int(tail, 16)) if tail else None
        except ValueError:
            return None
    return str(int(text)) if text.isdigit() and len(text) <= 20 else None


class GReaderAdapter:
    service = "greader"
    batch_size = 2 * EDIT_BATCH

    def __init__(self, client: HttpClient, settings: SyncSettings, password: str) -> None:
        self._client = client
        self._settings = settings
        self._password = password
        self._base = settings.url.rstrip("/")
        self._auth: str | None = None
        self._token: str | None = None

    async def _request(
        self, method: str, path: str, fields: list[tuple[str, str]], *, write: bool = False
    ) -> Response:
        for attempt in range(2):
            headers = {"Authorization": f"GoogleLogin auth={self._auth}"} if self._auth else {}
            sent = fields
            if write:
                if self._token is None:
                    self._token = await self._fetch_token()
                sent = [*fields, ("T", self._token)]
            try:
                return await self._client.api_call(
                    method, f"{self._base}/{path}", sent, headers=headers
                )
            except FetchError as error:
                stale = write and error.headers.get("google-bad-token", "").lower() == "true"
                if error.status == 401 and stale and attempt == 0:
                    self._token = None  # a write token expires: fetch a new one, once
                    continue
                raise self._failure(error) from None
        raise AssertionError("unreachable")

    async def _json(self, path: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        response = await self._request("GET", path, [*fields, ("output", "json")])
        try:
            answer = json.loads(response.body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise SyncFailed(f"sync: {self._settings.host}: not a Google Reader API answer")
        return answer

    def _failure(self, error: FetchError) -> SyncFailed:
        if error.status in (401, 403):
            secret = "password_env" if self._settings.password_env else "password_command"
            host = self._settings.host
            return LoginRefused(f"sync: login refused by {host}; check user and {secret}")
        return http_failure(self._settings.host, error.reason, error.status, error.headers)

    async def _fetch_token(self) -> str:
        response = await self._request("GET", "reader/api/0/token", [])
        token = response.body.decode("utf-8", "replace").strip()
        if not token or len(token) > 1024:
            raise SyncFailed(f"sync: {self._settings.host}: no write token in its answer")
        return token

    async def login(self) -> None:
        fields = [("Email", self._settings.user or ""), ("Passwd", self._password)]
        response = await self._request("POST", "accounts/ClientLogin", fields)
        for line in response.body.decode("utf-8", "replace").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "Auth" and value.strip():
                self._auth = value.strip()
                return
        raise SyncFailed(f"sync: {self._settings.host}: no Auth in its ClientLogin answer")

    async def push(self, marks: list[PendingMark]) -> list[PendingMark]:
        groups: dict[tuple[str, bool], list[PendingMark]] = defaultdict(list)
        for mark in marks:
            groups[(mark.field, mark.value)].append(mark)
        accepted: list[PendingMark] = []
        for (field, value), group in groups.items():
            for start in range(0, len(group), EDIT_BATCH):
                batch = group[start : start + EDIT_BATCH]
                fields = [("a" if value else "r", _STATE[field])]
                fields += [("i", mark.remote_id) for mark in batch]
                try:
                    await self._request("POST", "reader/api/0/edit-tag", fields, write=True)
                except LoginRefused:
                    raise
                except SyncFailed:
                    if not accepted:
                        raise
                    return accepted  # sent so far is settled; the rest stay queued
                accepted.extend(batch)
        return accepted

    async def feeds(self) -> list[RemoteFeed]:
        answer = await self._json("reader/api/0/subscription/list", [])
        found = []
        for raw in _dicts(answer.get("subscriptions")):
            feed_id, url = _text(raw.get("id")), _text(raw.get("url"))
            if not url and feed_id.startswith("feed/http"):
                url = feed_id[5:]  # (The Old Reader, Inoreader: the URL is in the id)
            if not feed_id or not url:
                continue
            labels = [_text(c.get("label")) for c in _dicts(raw.get("categories"))]
            category = next((label for label in labels if label), None)
            found.append(RemoteFeed(feed_id, _text(raw.get("title")) or url, url, category))
        return found

    async def _ids(self, stream: str, extra: list[tuple[str, str]]) -> tuple[list[str], str]:
        """One page of a stream's item ids (decimal) and its continuation ("" at the end)."""
        fields = [("s", stream), ("n", str(IDS_PAGE)), *extra]
        answer = await self._json("reader/api/0/stream/items/ids", fields)
        ids = [i for ref in _dicts(answer.get("itemRefs")) if (i := decimal_id(ref.get("id")))]
        return ids, _text(answer.get("continuation"))

    async def _all_ids(self, stream: str, extra: list[tuple[str, str]]) -> set[str]:
        found: set[str] = set()
        continuation = ""
        for _page in range(10_000):
            page = [*extra, ("c", continuation)] if continuation else extra
            ids, after = await self._ids(stream, page)
            found.update(ids)
            if not after or after == continuation or not ids:
                break
            continuation = after
        return found

    async def items_after(self, cursor: str | None) -> tuple[list[RemoteItem], str | None]:
        since, _, continuation = (cursor or "0").partition(":")
        since = since if since.isdigit() else "0"
        extra = [("r", "o"), ("ot", since)] + ([("c", continuation)] if continuation else [])
        ids, after = await self._ids(READING_LIST, extra)
        if not ids:
            return [], None
        crawled = await self._contents(ids)
        if crawled and all(when < int(since) for _item, when in crawled):
            return [], None  # (a server that ignores `ot` would page on for ever)
        items = [item for item, _when in crawled]
        if after and after != continuation:
            return items, f"{since}:{after}"  # more of this window on the next page
        # (`ot` is "at or after": the newest second comes again, and is known by then)
        newest = max((when for _item, when in crawled), default=0)
        return items, str(max(newest, int(since)))

    async def _contents(self, ids: list[str]) -> list[tuple[RemoteItem, int]]:
        found: list[tuple[RemoteItem, int]] = []
        for start in range(0, len(ids), CONTENTS_BATCH):
            fields = [("i", item_id) for item_id in ids[start : start + CONTENTS_BATCH]]
            response = await self._request("POST", "reader/api/0/stream/items/contents", fields)
            try:
                answer = json.loads(response.body)
            except ValueError:
                answer = None
            if not isinstance(answer, dict):
                raise SyncFailed(f"sync: {self._settings.host}: not a Google Reader API answer")
            found.extend(item for raw in _dicts(answer.get("items")) if (item := _item(raw)))
        return found

    async def marks(self) -> tuple[set[str], set[str]]:
        unread = await self._all_ids(READING_LIST, [("xt", READ)])
        starred = await self._all_ids(STARRED, [])
        return unread, starred


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _seconds(raw: dict[str, Any], key: str, scale: int) -> int:
    value = raw.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return value // scale
    if isinstance(value, str) and value.isdigit() and len(value) <= 20:
        return int(value) // scale
    return 0


def _link(raw: dict[str, Any]) -> str | None:
    for key in ("canonical", "alternate"):
        for link in _dicts(raw.get(key)):
            href = _text(link.get("href"))
            if urlsplit(href).scheme in ("http", "https"):
                return href
    return None


def _item(raw: dict[str, Any]) -> tuple[RemoteItem, int] | None:
    """An item of `stream/items/contents` and when it was added (seconds)."""
    item_id = decimal_id(raw.get("id"))
    origin = raw.get("origin") if isinstance(raw.get("origin"), dict) else {}
    feed_id = _text(origin.get("streamId")) if isinstance(origin, dict) else ""
    if item_id is None or not feed_id:
        return None
    body = raw.get("content") if isinstance(raw.get("content"), dict) else raw.get("summary")
    html = _text(body.get("content")) if isinstance(body, dict) else ""
    labels = {label for label in raw.get("categories") or [] if isinstance(label, str)}
    crawled = _seconds(raw, "timestampUsec", 1_000_000) or _seconds(raw, "crawlTimeMsec", 1000)
    item = RemoteItem(
        id=item_id,
        feed_id=feed_id,
        title=_text(raw.get("title")),
        url=_link(raw),
        author=_text(raw.get("author")) or None,
        html=html,
        published=float(_seconds(raw, "published", 1) or crawled),
        read=READ in labels,
        starred=STARRED in labels,
    )
    return item, crawled
