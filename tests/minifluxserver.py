"""A loopback Miniflux API server for sync tests (127.0.0.1 only), after Miniflux's API
documentation (miniflux.app/docs/api.html):

- `X-Auth-Token: <token>` or HTTP Basic user and password, else 401 with
  `{"error_message": "Access Unauthorized"}`;
- `GET /v1/me`, `/v1/feeds` (each with its `category`), `/v1/categories`;
- `GET /v1/entries`: `status`, `starred`, `after_entry_id`, `changed_after` (strictly
  after, Unix seconds), `order=id`, `direction`, `limit`, `offset`; answers
  `{"total": N, "entries": [...]}` with RFC 3339 times;
- `GET /v1/entries/ID`; `PUT /v1/entries` `{"entry_ids": [...], "status": "read"}` and
  `PUT /v1/entries/ID/bookmark` (a toggle) answer 204; each change sets `changed_at`.

`fail_status` answers everything with that status (`retry_after` its Retry-After).
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class MEntry:
    id: int
    feed_id: int
    title: str
    url: str
    content: str = "<p>Body text.</p>"
    author: str = ""
    published: int = 1_700_000_000
    status: str = "unread"
    starred: bool = False
    changed: int = 1_700_000_000


@dataclass
class MinifluxData:
    user: str = "reader"
    password: str = "mini-pass"
    token: str = "token-abc123"
    categories: dict[int, str] = field(default_factory=dict)
    feeds: dict[int, tuple[str, str, int]] = field(default_factory=dict)  # title, url, category
    entries: dict[int, MEntry] = field(default_factory=dict)
    clock: int = 1_700_000_000  # seconds: the server's "now", moved on by each change

    def add_entry(self, feed_id: int, title: str, **more: Any) -> MEntry:
        self.clock += 1
        entry = MEntry(len(self.entries) + 1, feed_id, title, f"https://site.test/{title}", **more)
        entry.changed = self.clock
        self.entries[entry.id] = entry
        return entry

    def touch(self, entry: MEntry) -> None:
        self.clock += 1
        entry.changed = self.clock


def rfc3339(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat().replace("+00:00", "Z")


class MinifluxServer:
    def __init__(self, data: MinifluxData) -> None:
        self.data = data
        self.log: list[tuple[str, str, dict[str, Any]]] = []
        self.fail_status: int | None = None
        self.retry_after: str | None = None
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # (headers and body are two writes)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                body = json.loads(raw) if raw else {}
                with server.lock:
                    server.log.append((self.command, parts.path, {**query, **body}))
                    status, headers, answer = server.answer(
                        self.command, parts.path, query, body, dict(self.headers)
                    )
                payload = json.dumps(answer).encode() if answer is not None else b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if payload:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def _authorised(self, headers: dict[str, str]) -> bool:
        data = self.data
        if headers.get("X-Auth-Token") == data.token:
            return True
        basic = base64.b64encode(f"{data.user}:{data.password}".encode()).decode()
        return headers.get("Authorization") == f"Basic {basic}"

    def answer(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: dict[str, Any],
        headers: dict[str, str],
    ) -> tuple[int, dict[str, str], Any]:
        if self.fail_status is not None:
            extra = {"Retry-After": self.retry_after} if self.retry_after else {}
            return self.fail_status, extra, {"error_message": "failing on purpose"}
        if not self._authorised(headers):
            return 401, {}, {"error_message": "Access Unauthorized"}
        data = self.data
        parts = path.strip("/").split("/")
        if parts[0] != "v1":
            return 404, {}, {"error_message": "Not Found"}
        rest = parts[1:]
        if method == "GET" and rest == ["me"]:
            return 200, {}, {"id": 1, "username": data.user, "is_admin": False}
        if method == "GET" and rest == ["categories"]:
            return (
                200,
                {},
                [{"id": c, "title": t, "user_id": 1} for c, t in data.categories.items()],
            )
        if method == "GET" and rest == ["feeds"]:
            return 200, {}, [self._feed(f) for f in data.feeds]
        if method == "GET" and rest == ["entries"]:
            return 200, {}, self._entries(query)
        if method == "PUT" and rest == ["entries"]:
            if body.get("status") not in ("read", "unread") or not body.get("entry_ids"):
                return 400, {}, {"error_message": "Invalid status or entry ids"}
            for entry_id in body["entry_ids"]:
                entry = data.entries.get(entry_id)
                if entry is not None and entry.status != body["status"]:
                    entry.status = body["status"]
                    data.touch(entry)
            return 204, {}, None
        if len(rest) >= 2 and rest[0] == "entries" and rest[1].isdigit():
            entry = data.entries.get(int(rest[1]))
            if entry is None:
                return 404, {}, {"error_message": "Not Found"}
            if method == "GET" and len(rest) == 2:
                return 200, {}, self._entry(entry)
            if method == "PUT" and rest[2:] == ["bookmark"]:
                entry.starred = not entry.starred
                data.touch(entry)
                return 204, {}, None
        return 404, {}, {"error_message": "Not Found"}

    def _feed(self, feed_id: int) -> dict[str, Any]:
        title, url, category = self.data.feeds[feed_id]
        return {"id": feed_id, "user_id": 1, "title": title, "feed_url": url, "site_url": url,
                "category": {"id": category, "title": self.data.categories[category]}}  # fmt: skip

    def _entry(self, entry: MEntry) -> dict[str, Any]:
        return {
            "id": entry.id, "user_id": 1, "feed_id": entry.feed_id, "status": entry.status,
            "hash": f"h{entry.id}", "title": entry.title, "url": entry.url,
            "published_at": rfc3339(entry.published), "created_at": rfc3339(entry.changed),
            "changed_at": rfc3339(entry.changed), "content": entry.content,
            "author": entry.author, "starred": entry.starred, "reading_time": 1,
            "enclosures": [], "feed": self._feed(entry.feed_id),
        }  # fmt: skip

    def _entries(self, query: dict[str, str]) -> dict[str, Any]:
        chosen = list(self.data.entries.values())
        if "status" in query:
            chosen = [e for e in chosen if e.status == query["status"]]
        if query.get("starred") in ("true", "1"):
            chosen = [e for e in chosen if e.starred]
        if "after_entry_id" in query:
            chosen = [e for e in chosen if e.id > int(query["after_entry_id"])]
        if "changed_after" in query:
            chosen = [e for e in chosen if e.changed > int(query["changed_after"])]
        chosen.sort(key=lambda e: e.id, reverse=query.get("direction") == "desc")
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 0) or len(chosen))
        page = chosen[offset : offset + limit]
        return {"total": len(chosen), "entries": [self._entry(e) for e in page]}

    def __enter__(self) -> MinifluxServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def miniflux_server(data: MinifluxData) -> Iterator[MinifluxServer]:
    with MinifluxServer(data) as server:
        yield server
