"""The one HTTP client every fetch goes through: feeds, full-text pages, discovery (issue 18).

- Only http and https; redirects are followed here, hop by hop, each hop checked again.
- The host is resolved here and every address checked against the subscription's
  `AddressPolicy`; the connection goes to the checked address (no second lookup), while TLS
  still verifies the certificate against the host name. Verification is never turned off.
- No cookies are kept at all; credentials in a URL go only to that URL's host and port.
- Limits: at most `overall` requests at once and `per_host` per host; a connect timeout and
  a deadline for the whole exchange (a trickling server cannot hold it); a size cap counted
  on the decompressed body while it streams (gzip bombs stop at the cap); at most
  `max_redirects` hops, loops detected.

httpcore does the HTTP/1.1 and TLS work; decompression is ours so the cap is exact.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import select
import socket
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import httpcore

from newstui import __version__
from newstui.core.fetch.addresses import UNRESTRICTED, AddressPolicy
from newstui.core.fetch.urls import FetchError, Refused, check_url, mask_url, without_credentials
from newstui.core.sanitize import clean_line

USER_AGENT = f"newstui/{__version__} (+https://github.com/newstui/newstui)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})

Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 10.0
    deadline: float = 30.0  # seconds for one exchange, body included (queueing excluded)
    max_bytes: int = 10 * 2**20  # after decompression
    max_redirects: int = 5
    overall: int = 16
    per_host: int = 2


@dataclass
class Response:
    url: str  # the final URL (without credentials)
    status: int  # 200..299 or 304
    headers: dict[str, str]
    body: bytes
    policy: AddressPolicy  # what links found in this answer may reach
    permanent_url: str | None = None  # where 301/308 hops from the first URL ended
    redirects: list[str] = field(default_factory=list)


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, and connects to a checked one: nothing else."""

    def __init__(
        self,
        policy: AddressPolicy,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.policy = policy
        self.resolver = resolver
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = [str(ip_literal(host))]
        except ValueError:
            try:
                addresses = await asyncio.wait_for(self.resolver(host, port), timeout)
            except (OSError, asyncio.TimeoutError) as failure:
                raise FetchError(f"cannot resolve {host}: {failure}") from None
        if not addresses:
            raise FetchError(f"cannot resolve {host}: no address")
        allowed = [address for address in addresses if self.policy.permits(address)]
        if not allowed:
            raise Refused(self.policy.refusal(host, addresses[0]))
        for address in allowed[:2]:
            try:
                stream = await self.inner.connect_tcp(
                    address, port, timeout=timeout, socket_options=socket_options
                )
                return _Stream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError):
                if address == allowed[:2][-1]:
                    raise
        raise AssertionError("unreachable")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise Refused("refused: not a network address")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _Stream(httpcore.AsyncNetworkStream):
    """A connection whose fixed facts (socket, addresses, TLS object) are looked up once.

    Before each request httpcore's pool asks every idle connection whether its socket is
    readable (the server closed it), and anyio answers each question by building a table
    of all its attributes: with dozens of connections that was a good part of a fetch's
    CPU. The readability itself is still checked every time."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._facts: dict[str, Any] = {}

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return _readable(self.get_extra_info("socket"))
        if info not in self._facts:
            self._facts[info] = self._inner.get_extra_info(info)
        return self._facts[info]


def _readable(sock: socket.socket | None) -> bool:
    """Data (or the end) waiting on the socket; a closed or unknown socket counts as ended."""
    number = sock.fileno() if sock is not None else -1
    if number < 0:
        return True
    if not hasattr(select, "poll"):  # pragma: no cover (Windows)
        return bool(select.select([number], [], [], 0)[0])
    poll = select.poll()
    poll.register(number, select.POLLIN)
    return bool(poll.poll(0))


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return ipaddress.ip_address(host.strip("[]"))


class HttpClient:
    """One per fetch run, used from one event loop. `async with HttpClient() as client`."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        resolver: Resolver = system_resolver,
        inner: httpcore.AsyncNetworkBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self._resolver = resolver
        self._inner = inner
        self._ssl = ssl_context  # made for the first https URL (reading the CAs takes time)
        self._pools: dict[tuple[frozenset[str] | None, bool], httpcore.AsyncConnectionPool] = {}
        self._overall = asyncio.Semaphore(self.limits.overall)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for pool in self._pools.values():
            await pool.aclose()

    def _pool(self, policy: AddressPolicy, https: bool) -> httpcore.AsyncConnectionPool:
        pool = self._pools.get((policy.allowed, https))
        if pool is None:
            if https and self._ssl is None:
                self._ssl = ssl.create_default_context(cafile=certifi.where())
            pool = self._pools[policy.allowed, https] = httpcore.AsyncConnectionPool(
                ssl_context=self._ssl if https else None,  # (an http pool never starts TLS)
                max_connections=2 * self.limits.overall,
                keepalive_expiry=15,
                network_backend=GuardedBackend(policy, self._resolver, self._inner),
            )
        return pool

    async def get(
        self,
        url: str,
        policy: AddressPolicy,
        *,
        headers: dict[str, str] | None = None,
        accept: str = FEED_ACCEPT,
        subscription_allow: frozenset[str] | None = None,
    ) -> Response:
        """GET `url` under `policy`, following redirects.

        With `subscription_allow` set, `url` is a subscription: its first hop may go to any
        address (the user chose it), and the class of the address it reached, plus the
        allowed classes, becomes the policy for its redirects and for the links in it.
        """
        check_url(url)
        origin = urlsplit(url)
        credentials = _basic_auth(origin)
        seen: set[str] = set()
        current = without_credentials(url)
        permanent: str | None = None
        all_permanent = True
        hops: list[str] = []
        for hop in range(self.limits.max_redirects + 1):
            if current in seen:
                raise FetchError(f"redirect loop at {mask_url(current)}")
            seen.add(current)
            parts = urlsplit(current)
            request_headers = {
                "User-Agent": USER_AGENT,
                "Accept": accept,
                "Accept-Encoding": "gzip, deflate",
                **(headers or {}),
            }
            if credentials and (parts.hostname, parts.port) == (origin.hostname, origin.port):
                request_headers["Authorization"] = credentials
            first = subscription_allow is not None and hop == 0
            status, response_headers, body, peer = await self._exchange(
                current, UNRESTRICTED if first else policy, request_headers
            )
            if first and subscription_allow is not None:
                policy = _subscription_policy(policy, peer, subscription_allow)
            location = response_headers.get("location")
            if status in _REDIRECTS and location:
                target = urljoin(current, clean_line(location))
                check_url(target)
                target = without_credentials(target)
                all_permanent = all_permanent and status in _PERMANENT
                if all_permanent:
                    permanent = target
                hops.append(f"{status} {mask_url(target)}")
                current = target
                continue
            if status == 304 or 200 <= status < 300:
                return Response(current, status, response_headers, body, policy, permanent, hops)
            raise FetchError(_status_reason(status), status, response_headers)
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    async def post_form(
        self,
        url: str,
        fields: dict[str, str] | list[tuple[str, str]],
        *,
        policy: AddressPolicy = UNRESTRICTED,
        accept: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> Response:
        """POST `fields` as a form to `url` (a sync service's API: the user's own server, so
        any address by default). Redirects are not followed: they are an error naming where."""
        return await self.api_call(
            "POST", url, fields, policy=policy, accept=accept, headers=headers
        )

    async def api_call(
        self,
        method: str,
        url: str,
        fields: dict[str, str] | list[tuple[str, str]] | None = None,
        *,
        policy: AddressPolicy = UNRESTRICTED,
        accept: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One request to a sync service's API: GET with `fields` in the query, or POST them
        as a form; `headers` (an Authorization) go only to this URL, since redirects are
        not followed but are an error naming where."""
        from urllib.parse import urlencode

        check_url(url)
        current = without_credentials(url)
        encoded = urlencode(fields or {})
        request_headers = {
            "User-Agent": USER_AGENT,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            **(headers or {}),
        }
        body = b""
        if method == "POST":
            body = encoded.encode("ascii")
            request_headers["Content-Type"] = "application/x-www-form-urlencoded"
            request_headers["Content-Length"] = str(len(body))
        elif encoded:
            current = f"{current}{'&' if '?' in current else '?'}{encoded}"
        status, response_headers, answer, _peer = await self._exchange(
            current, policy, request_headers, method, body
        )
        if 200 <= status < 300:
            return Response(current, status, response_headers, answer, policy)
        location = response_headers.get("location")
        if status in _REDIRECTS and location:
            target = mask_url(urljoin(current, clean_line(location)))
            raise FetchError(f"redirected to {target}", status, response_headers)
        raise FetchError(_status_reason(status), status, response_headers)

    async def _exchange(
        self,
        url: str,
        policy: AddressPolicy,
        headers: dict[str, str],
        method: str = "GET",
        content: bytes = b"",
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        host = (urlsplit(url).hostname or "").lower()
        semaphore = self._hosts.setdefault(host, asyncio.Semaphore(self.limits.per_host))
        async with semaphore, self._overall:
            try:
                return await asyncio.wait_for(
                    self._request(url, policy, headers, method, content), self.limits.deadline
                )
            except asyncio.TimeoutError:
                raise FetchError(f"no complete answer within {self.limits.deadline:g} s") from None

    async def _request(
        self,
        url: str,
        policy: AddressPolicy,
        headers: dict[str, str],
        method: str = "GET",
        content: bytes = b"",
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_url = httpcore.URL(
            scheme=parts.scheme.lower(),
            host=parts.hostname or "",
            port=parts.port,
            target=target,
        )
        timeout = {
            "connect": self.limits.connect_timeout,
            "read": self.limits.deadline,
            "write": self.limits.deadline,
            "pool": self.limits.deadline,
        }
        try:
            async with self._pool(policy, parts.scheme.lower() == "https").stream(
                method,
                request_url,
                headers=[("Host", netloc), *headers.items()],
                content=content or None,
                extensions={"timeout": timeout},
            ) as response:
                response_headers = _headers(response.headers)
                stream = response.extensions.get("network_stream")
                peer = stream.get_extra_info("server_addr") if stream is not None else None
                body = b""
                if 200 <= response.status < 300:
                    body = await self._body(response, response_headers)
                elif 300 <= response.status < 400:
                    await _drain(response)  # so that the connection can be used again
                return response.status, response_headers, body, peer[0] if peer else None
        except FetchError:
            raise
        except httpcore.ConnectTimeout:
            raise FetchError(f"no connection within {self.limits.connect_timeout:g} s") from None
        except (httpcore.TimeoutException, TimeoutError):
            raise FetchError(f"no complete answer within {self.limits.deadline:g} s") from None
        except (httpcore.NetworkError, httpcore.ProtocolError, OSError) as error:
            raise FetchError(_network_reason(error)) from None

    async def _body(self, response: httpcore.Response, headers: dict[str, str]) -> bytes:
        cap = self.limits.max_bytes
        declared = headers.get("content-length", "")
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if declared.isdigit() and int(declared) > cap and encoding == "identity":
            raise FetchError(f"too large: {int(declared)} bytes (the limit is {cap})")
        decoder = _Decoder(encoding, cap)
        stream: Any = response.aiter_stream()
        async for chunk in stream:
            decoder.feed(chunk)
        return decoder.finish()


async def _drain(response: httpcore.Response, limit: int = 65536) -> None:
    """Read a small body to its end (a 304 or redirect); a big one just closes."""
    read = 0
    stream: Any = response.aiter_stream()
    async for chunk in stream:
        read += len(chunk)
        if read > limit:
            break


class _Decoder:
    """Decompresses as the body arrives and stops the moment it passes the cap."""

    def __init__(self, encoding: str, cap: int) -> None:
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0
        self.raw = 0
        if encoding in ("identity", ""):
            self.zlib: Any = None
        elif encoding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.zlib = zlib.decompressobj(zlib.MAX_WBITS)  # zlib-wrapped, as RFC 9110 says
        else:
            raise FetchError(f"unsupported Content-Encoding {clean_line(encoding)[:40]!r}")

    def feed(self, chunk: bytes) -> None:
        self.raw += len(chunk)
        if self.raw > self.cap:
            self._too_large()
        if self.zlib is None:
            self._add(chunk)
            return
        try:
            self._add(self.zlib.decompress(chunk, self.cap - self.size + 1))
            if self.zlib.unconsumed_tail:
                self._too_large()
        except zlib.error as error:
            raise FetchError(f"bad compressed body: {error}") from None

    def finish(self) -> bytes:
        if self.zlib is not None:
            self._add(self.zlib.flush())
        return b"".join(self.parts)

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            self._too_large()
        self.parts.append(data)

    def _too_large(self) -> None:
        raise FetchError(f"too large: more than {self.cap} bytes")


def _subscription_policy(
    base: AddressPolicy, peer: str | None, allow: frozenset[str]
) -> AddressPolicy:
    if peer is None:
        return AddressPolicy(frozenset({*(base.allowed or ()), *allow}), base.classify)
    return AddressPolicy.for_subscription(base.classify(peer), allow, base.classify)


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _basic_auth(parts: Any) -> str | None:
    if parts.username is None:
        return None
    from urllib.parse import unquote

    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def _status_reason(status: int) -> str:
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "unexpected status"
    return f"HTTP {status} {phrase}"


def _network_reason(error: BaseException) -> str:
    text = clean_line(str(error))[:300] or type(error).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
        return f"TLS certificate not trusted: {text}"
    if "SSL" in text or "TLS" in text:
        return f"TLS error: {text}"
    return f"network error: {text}"
