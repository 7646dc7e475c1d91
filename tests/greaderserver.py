"""A loopback Google Reader API server for sync tests (127.0.0.1 only), behaving as
FreshRSS's `p/api/greader.php` does (read there; written anew here):

- base `/api/greader.php`; `POST accounts/ClientLogin` (Email, Passwd) answers text lines
  `SID=`, `LSID=null`, `Auth=user/<hash>`; a wrong password is 401 `Unauthorized!` with
  `Google-Bad-Token: true`;
- `reader/api/0/...` wants `Authorization: GoogleLogin auth=<Auth>` (else 401);
- `token`: a 57-character write token; `edit-tag` wants it in `T` (else 401 with
  `Google-Bad-Token: true`), takes `a`/`r` (read, starred) and many `i`, answers `OK`;
- `subscription/list`, `tag/list` (`output=json`);
- `stream/items/ids`: `s` reading-list or starred, `xt`/`it` a state, `n` (default 20),
  `r=o` oldest first, `ot` added at or after (seconds), `c` continuation = the last id sent
  (the next page starts at it and drops it), `continuation` only when the page is full;
  `itemRefs` ids are decimal;
- `stream/items/contents`: POST many `i`, each decimal or `tag:google.com,2005:reader/item/`
  with 16 hex digits; items carry the tag form, `crawlTimeMsec`, `timestampUsec`,
  `published`, `canonical`, `summary`, `origin.streamId` and state `categories`.

Entry ids are the microsecond time each was added, as in FreshRSS. `fail_status` answers
everything with that status (and `retry_after` as its Retry-After); every request is logged.
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
from urllib.parse import parse_qsl, unquote, urlsplit

READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
PREFIX = "tag:google.com,2005:reader/item/"
BASE = "/api/greader.php"


@dataclass
class GItem:
    id: int  # microseconds when added
    feed_id: int
    title: str
    url: str
    html: str = "<p>Body text.</p>"
    author: str = ""
    published: int = 1_700_000_000
    read: bool = False
    starred: bool = False


@dataclass
class GReaderData:
    user: str = "reader"
    password: str = "api-pass"
    feeds: dict[int, tuple[str, str, str | None]] = field(default_factory=dict)  # title, url, cat
    items: dict[int, GItem] = field(default_factory=dict)
    clock: int = 1_700_000_000  # seconds: when the next item is added

    def add_item(self, feed_id: int, title: str, **more: Any) -> GItem:
        self.clock += 1
        item_id = self.clock * 1_000_000 + len(self.items) % 1000
        item = GItem(item_id, feed_id, title, f"https://site.test/{title}", **more)
        self.items[item.id] = item
        return item


def tag_id(item_id: int) -> str:
    return f"{PREFIX}{item_id:016x}"


def to_decimal(text: str) -> int:
    """Either id form, as FreshRSS reads it (a hex tail when not plain decimal)."""
    if text.isdigit() and not text.startswith("0"):
        return int(text)
    tail = text.rsplit("/", 1)[-1]
    try:
        return int(tail, 16)
    except ValueError:
        return 0


class GReaderServer:
    def __init__(self, data: GReaderData) -> None:
        self.data = data
        self.log: list[tuple[str, list[tuple[str, str]]]] = []
        self.fail_status: int | None = None
        self.retry_after: str | None = None
        self.token_generation = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # (headers and body are two writes)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                parts = urlsplit(self.path)
                fields = parse_qsl(parts.query, keep_blank_values=True)
                fields += parse_qsl(raw, keep_blank_values=True)
                auth = self.headers.get("Authorization", "")
                with server.lock:
                    server.log.append((unquote(parts.path), fields))
                    status, headers, body = server.answer(unquote(parts.path), fields, auth)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{BASE}"

    def requests_to(self, tail: str) -> list[list[tuple[str, str]]]:
        return [fields for path, fields in self.log if path.endswith(tail)]

    def _auth(self) -> str:
        data = self.data
        return (
            f"{data.user}/" + hashlib.sha1(f"salt{data.user}{data.password}".encode()).hexdigest()
        )

    def token(self) -> str:
        digest = hashlib.sha1(f"{self._auth()}{self.token_generation}".encode()).hexdigest()
        return digest.ljust(57, "Z")

    def answer(
        self, path: str, fields: list[tuple[str, str]], auth: str
    ) -> tuple[int, dict[str, str], bytes]:
        if self.fail_status is not None:
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return self.fail_status, headers, b"Failing on purpose"
        if not path.startswith(BASE):
            return 404, {}, b""
        parts = path[len(BASE) :].split("/")
        one = dict(fields)
        if parts[1:3] == ["accounts", "ClientLogin"]:
            if "Email" not in one or "Passwd" not in one:
                return _bad()
            if (one["Email"], one["Passwd"]) != (self.data.user, self.data.password):
                return _unauthorized()
            body = f"SID={self._auth()}\nLSID=null\nAuth={self._auth()}\n"
            return 200, {"Content-Type": "text/plain; charset=UTF-8"}, body.encode()
        if auth != f"GoogleLogin auth={self._auth()}":
            return _unauthorized()
        if parts[1:4] != ["reader", "api", "0"] or len(parts) < 5:
            return _bad()
        action = parts[4:]
        if action == ["token"]:
            return 200, {"Content-Type": "text/plain"}, (self.token() + "\n").encode()
        if action == ["subscription", "list"]:
            return _json({"subscriptions": self._subscriptions()})
        if action == ["tag", "list"]:
            tags = [{"id": STARRED}] + [
                {"id": f"user/-/label/{c}", "type": "folder"} for c in self._categories()
            ]
            return _json({"tags": tags})
        if action == ["stream", "items", "ids"] and "s" in one:
            return _json(self._ids(one))
        if action == ["stream", "items", "contents"]:
            wanted = [to_decimal(v) for k, v in fields if k == "i"]
            found = [self.data.items[i] for i in wanted if i in self.data.items]
            return _json(
                {"id": READING_LIST, "updated": 0, "items": [_item(i, self.data) for i in found]}
            )
        if action == ["edit-tag"]:
            if one.get("T", "") != self.token():
                return _unauthorized()
            ids = [to_decimal(v) for k, v in fields if k == "i"]
            for key, value in (("a", True), ("r", False)):
                for item_id in ids:
                    item = self.data.items.get(item_id)
                    if item is not None and one.get(key) == READ:
                        item.read = value
                    if item is not None and one.get(key) == STARRED:
                        item.starred = value
            return 200, {"Content-Type": "text/plain"}, b"OK"
        return _bad()

    def _categories(self) -> list[str]:
        return sorted({c for _t, _u, c in self.data.feeds.values() if c})

    def _subscriptions(self) -> list[dict[str, Any]]:
        return [
            {"id": f"feed/{f}", "title": title, "url": url, "htmlUrl": url, "iconUrl": "",
             "categories": [{"id": f"user/-/label/{cat}", "label": cat}] if cat else []}
            for f, (title, url, cat) in self.data.feeds.items()
        ]  # fmt: skip

    def _ids(self, one: dict[str, str]) -> dict[str, Any]:
        stream, count = one["s"], int(one.get("n") or 20)
        chosen = list(self.data.items.values())
        if stream == STARRED:
            chosen = [i for i in chosen if i.starred]
        for key, keep in (("xt", False), ("it", True)):
            if one.get(key) == READ:
                chosen = [i for i in chosen if i.read == keep]
            if one.get(key) == STARRED:
                chosen = [i for i in chosen if i.starred == keep]
        since = int(one.get("ot") or 0)
        chosen = [i for i in chosen if i.id >= since * 1_000_000]
        ascending = one.get("r") == "o"
        ids = sorted((i.id for i in chosen), reverse=not ascending)
        continuation = one.get("c", "")
        if continuation.isdigit():  # from that id on, itself included, then dropped
            mark = int(continuation)
            ids = [i for i in ids if (i >= mark if ascending else i <= mark)][: count + 1][1:]
        else:
            ids = ids[:count]
        answer: dict[str, Any] = {"itemRefs": [{"id": str(i)} for i in ids]}
        if len(ids) >= count and ids:
            answer["continuation"] = str(ids[-1])
        return answer

    def __enter__(self) -> GReaderServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _item(item: GItem, data: GReaderData) -> dict[str, Any]:
    title, _url, category = data.feeds[item.feed_id]
    labels = [READING_LIST] + ([f"user/-/label/{category}"] if category else [])
    labels += [READ] if item.read else []
    labels += [STARRED] if item.starred else []
    answer: dict[str, Any] = {
        "id": tag_id(item.id),
        "crawlTimeMsec": str(item.id // 1000),
        "timestampUsec": str(item.id),
        "published": item.published,
        "title": item.title,
        "canonical": [{"href": item.url}],
        "alternate": [{"href": item.url}],
        "categories": labels,
        "origin": {"streamId": f"feed/{item.feed_id}", "htmlUrl": "", "title": title},
        "summary": {"content": item.html},
    }
    if item.author:
        answer["author"] = item.author
    return answer


def _json(answer: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(answer).encode()


def _bad() -> tuple[int, dict[str, str], bytes]:
    return 400, {"Content-Type": "text/plain; charset=UTF-8"}, b"Bad Request!"


def _unauthorized() -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "text/plain; charset=UTF-8", "Google-Bad-Token": "true"}
    return 401, headers, b"Unauthorized!"


@contextlib.contextmanager
def greader_server(data: GReaderData) -> Iterator[GReaderServer]:
    with GReaderServer(data) as server:
        yield server
