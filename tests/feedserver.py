"""A local HTTP server for fetch tests: 127.0.0.x only, routes set per test.

A route is a function of the request (path, headers) returning a `Reply`; `Reply.chunks`
with a delay makes a trickling server. Every request is logged for assertions.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # between chunks
    chunks: list[bytes] | None = None  # sent as they are, after the headers


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    host: str


Route = Callable[[Request], Reply]


class FeedServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                request = Request(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.server.server_address[0],  # type: ignore[index]
                )
                server.log.append(request)
                route = server.routes.get(self.path.split("?")[0])
                reply = route(request) if route else Reply(404, b"not found")
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send(reply)

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                headers = dict(reply.headers)
                if reply.chunks is None:
                    headers.setdefault("Content-Length", str(len(reply.body)))
                else:
                    headers.setdefault("Connection", "close")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.chunks is None:
                    self.wfile.write(reply.body)
                    return
                for chunk in reply.chunks:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    time.sleep(reply.delay)
                self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, reply: Reply | Route) -> None:
        if callable(reply):
            self.routes[path] = reply
            return
        fixed = reply

        def answer(_request: Request) -> Reply:
            return fixed

        self.routes[path] = answer

    def hits(self, path: str) -> int:
        return sum(1 for request in self.log if request.path.split("?")[0] == path)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(host: str = "127.0.0.1") -> Iterator[FeedServer]:
    with FeedServer(host) as server:
        yield server


def rss(title: str, items: list[dict[str, str]], *, ttl: int | None = None) -> bytes:
    """A small RSS 2.0 document; each item's keys are element names (title, link, guid...)."""
    body = "".join(
        "<item>" + "".join(f"<{k}>{_escape(v)}</{k}>" for k, v in item.items()) + "</item>"
        for item in items
    )
    ttl_element = f"<ttl>{ttl}</ttl>" if ttl is not None else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{_escape(title)}</title><link>http://127.0.0.1/</link><description>d</description>"
        f"{ttl_element}{body}</channel></rss>"
    ).encode()


def item(number: int, *, link: str | None = None, text: str | None = None) -> dict[str, str]:
    return {
        "title": f"Story {number}",
        "link": link or f"http://127.0.0.1/story/{number}",
        "guid": f"urn:story:{number}",
        "pubDate": f"Tue, 01 Dec 2026 10:{number % 60:02d}:00 GMT",
        "author": "desk@example.news (Ann Writer)",
        "description": text or f"<p>Summary of story {number}.</p>",
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
