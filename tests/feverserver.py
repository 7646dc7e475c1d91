"""A loopback Fever API server for sync tests (127.0.0.1 only), after the published spec:

- every request is `POST /fever/?api[&...]` with `api_key` = md5("email:password") in the
  form body; the answer is JSON with `api_version` and `auth` (0 for a wrong key);
- `groups` and `feeds` (each with `feeds_groups`), `items` (50 at most, ids above
  `since_id`, ascending), `unread_item_ids` and `saved_item_ids` (comma-separated);
- `mark=item&as=read|unread|saved|unsaved&id=N` (form fields or query) changes one item.

`fail_status` answers every request with that HTTP status; `refuse_marks` fails marks of
those item ids with 500. Every request is logged (path and form fields) for assertions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE = 50


@dataclass
class FeverItem:
    id: int
    feed_id: int
    title: str
    url: str
    html: str = "<p>Body text.</p>"
    author: str = ""
    created_on_time: int = 1_700_000_000
    is_read: bool = False
    is_saved: bool = False


@dataclass
class FeverData:
    email: str = "reader@home.test"
    password: str = "s3cret-pass"
    groups: dict[int, str] = field(default_factory=dict)
    feeds: dict[int, tuple[str, str, int | None]] = field(default_factory=dict)  # title, url, group
    items: dict[int, FeverItem] = field(default_factory=dict)

    def add_item(self, feed_id: int, title: str, **more: Any) -> FeverItem:
        item = FeverItem(len(self.items) + 1, feed_id, title, f"https://site.test/{title}", **more)
        self.items[item.id] = item
        return item


class FeverServer:
    def __init__(self, data: FeverData) -> None:
        self.data = data
        self.log: list[dict[str, str]] = []
        self.fail_status: int | None = None
        self.refuse_marks: set[int] = set()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # (headers and body are two writes)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
                fields = {k: v[0] for k, v in {**query, **form}.items()}
                with server.lock:
                    server.log.append(fields)
                    status, answer = server.answer(urlsplit(self.path).path, fields)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/fever/"

    def marks_sent(self) -> list[tuple[str, str]]:
        return [(f["as"], f["id"]) for f in self.log if f.get("mark") == "item"]

    def answer(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if self.fail_status is not None:
            return self.fail_status, {"error": "failing on purpose"}
        if path != "/fever/" or "api" not in fields:
            return 404, {}
        data = self.data
        key = hashlib.md5(f"{data.email}:{data.password}".encode()).hexdigest()
        answer: dict[str, Any] = {"api_version": 3, "auth": int(fields.get("api_key") == key)}
        if not answer["auth"]:
            return 200, answer
        answer["last_refreshed_on_time"] = 1_700_000_000
        if fields.get("mark") == "item":
            item = data.items.get(int(fields.get("id", "0")))
            if item is None:
                return 404, {"error": "no such item"}  # as Coldsweat answers
            if item.id in self.refuse_marks:
                return 500, {"error": "cannot mark"}
            if item is not None:
                as_ = fields.get("as")
                if as_ in ("read", "unread"):
                    item.is_read = as_ == "read"
                if as_ in ("saved", "unsaved"):
                    item.is_saved = as_ == "saved"
        links = [
            {
                "group_id": g,
                "feed_ids": ",".join(str(f) for f, v in data.feeds.items() if v[2] == g),
            }
            for g in data.groups
        ]
        if "groups" in fields:
            answer["groups"] = [{"id": g, "title": t} for g, t in data.groups.items()]
            answer["feeds_groups"] = links
        if "feeds" in fields:
            answer["feeds"] = [
                {"id": f, "favicon_id": 0, "title": t, "url": u, "site_url": u, "is_spark": 0,
                 "last_updated_on_time": 1_700_000_000}
                for f, (t, u, _g) in data.feeds.items()
            ]  # fmt: skip
            answer["feeds_groups"] = links
        if "items" in fields:
            since = int(fields.get("since_id") or 0)
            chosen = sorted(i for i in data.items if i > since)[:PAGE]
            answer["items"] = [self._item(data.items[i]) for i in chosen]
            answer["total_items"] = len(data.items)
        if "unread_item_ids" in fields or fields.get("mark"):
            answer["unread_item_ids"] = ",".join(
                str(i) for i, item in data.items.items() if not item.is_read
            )
        if "saved_item_ids" in fields or fields.get("mark"):
            answer["saved_item_ids"] = ",".join(
                str(i) for i, item in data.items.items() if item.is_saved
            )
        return 200, answer

    @staticmethod
    def _item(item: FeverItem) -> dict[str, Any]:
        return {
            "id": item.id, "feed_id": item.feed_id, "title": item.title, "author": item.author,
            "html": item.html, "url": item.url, "is_saved": int(item.is_saved),
            "is_read": int(item.is_read), "created_on_time": item.created_on_time,
        }  # fmt: skip

    def __enter__(self) -> FeverServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def fever_server(data: FeverData) -> Iterator[FeverServer]:
    with FeverServer(data) as server:
        yield server
