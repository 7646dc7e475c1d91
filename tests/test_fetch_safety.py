"""Issue 18: what a fetch may connect to. Only 127.0.0.x is ever contacted; other address
classes are exercised through the address check, a resolver stub and a recording backend."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpcore
import pytest

from feedserver import FeedServer, Reply, item, rss
from newstui.core.fetch.addresses import AddressPolicy, address_class, parse_allow
from newstui.core.fetch.http import GuardedBackend, HttpClient, Limits
from newstui.core.fetch.run import fetch_subscriptions
from newstui.core.fetch.subscriptions import Subscription
from newstui.core.fetch.urls import FetchError, Refused, check_url, mask_url
from newstui.core.paths import AppPaths

CLASSES = {
    "loopback": ["127.0.0.1", "127.9.9.9", "::1"],
    "private": ["10.0.0.1", "172.16.5.4", "192.168.1.1", "fd00::1", "fc00::7"],
    "link-local": ["169.254.169.254", "169.254.0.1", "fe80::1"],
    "cgnat": ["100.64.0.1", "100.127.255.254"],
    "multicast": ["224.0.0.1", "239.1.2.3", "ff02::1"],
    "unspecified": ["0.0.0.0", "::"],
}


@pytest.mark.parametrize(("kind", "address"), [(k, a) for k, v in CLASSES.items() for a in v])
def test_each_class_is_refused_from_public_and_allowed_from_its_own(
    kind: str, address: str
) -> None:
    assert address_class(address) == kind
    public = AddressPolicy.for_subscription("public", frozenset())
    assert not public.permits(address)
    assert "refused" in public.refusal("host", address)
    assert AddressPolicy.for_subscription(kind, frozenset()).permits(address)
    assert AddressPolicy.for_subscription("public", frozenset({kind})).permits(address)


def test_embedded_ipv4_cannot_smuggle_a_private_address() -> None:
    for address in (
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:0a00:0001::1",
    ):
        assert address_class(address) != "public"
    assert address_class("::ffff:8.8.8.8") == "public"
    assert address_class("93.184.216.34") == "public"


def test_a_loopback_subscription_may_not_reach_the_lan_or_metadata() -> None:
    loopback = AddressPolicy.for_subscription("loopback", frozenset())
    assert loopback.permits("127.0.0.1")
    for address in ("10.0.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1"):
        assert not loopback.permits(address)


def test_allow_setting_is_checked() -> None:
    assert parse_allow(["private", "loopback"]) == frozenset({"private", "loopback"})
    with pytest.raises(ValueError, match="unknown address class"):
        parse_allow(["everything"])
    with pytest.raises(ValueError):
        parse_allow("private")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/x",
        "gopher://x/",
        "javascript:alert(1)",
        "data:,x",
        "http://",
    ],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(Refused):
        check_url(url)


class Recorder(httpcore.AsyncNetworkBackend):
    """Stands in for the network: records where it was asked to connect, connects nowhere."""

    def __init__(self) -> None:
        self.connects: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append(host)
        raise httpcore.ConnectError("recorder: no network in tests")


def test_dns_answering_differently_the_second_time_cannot_bypass_the_check() -> None:
    answers = [["203.0.113.10"], ["169.254.169.254"]]
    calls: list[str] = []

    async def flipping(host: str, port: int) -> list[str]:
        calls.append(host)
        return answers[min(len(calls) - 1, 1)]

    recorder = Recorder()
    classify = lambda a: "public" if a == "203.0.113.10" else address_class(a)  # noqa: E731
    backend = GuardedBackend(AddressPolicy(classify=classify), flipping, recorder)
    with pytest.raises(httpcore.ConnectError):
        asyncio.run(backend.connect_tcp("rebind.test", 80))
    # One lookup, and the connection went to the address that was checked.
    assert calls == ["rebind.test"]
    assert recorder.connects == ["203.0.113.10"]
    # The second answer (a metadata address) is refused before any connection.
    with pytest.raises(Refused, match="link-local"):
        asyncio.run(backend.connect_tcp("rebind.test", 80))
    assert recorder.connects == ["203.0.113.10"]


def test_a_name_resolving_to_mixed_addresses_connects_only_to_allowed_ones() -> None:
    async def mixed(host: str, port: int) -> list[str]:
        return ["10.0.0.5", "192.168.0.9", "203.0.113.7"]

    recorder = Recorder()
    classify = lambda a: "public" if a.startswith("203.") else address_class(a)  # noqa: E731
    backend = GuardedBackend(AddressPolicy(classify=classify), mixed, recorder)
    with pytest.raises(httpcore.ConnectError):
        asyncio.run(backend.connect_tcp("mixed.test", 443))
    assert recorder.connects == ["203.0.113.7"]


def test_ip_literals_in_urls_are_checked_without_connecting() -> None:
    recorder = Recorder()
    client = HttpClient(inner=recorder)

    async def go(url: str) -> None:
        async with client:
            await client.get(url, AddressPolicy())

    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://10.0.0.1/admin",
        "http://0.0.0.0/",
    ):
        with pytest.raises(Refused):
            asyncio.run(go(url))
    assert recorder.connects == []


def test_credentials_are_masked() -> None:
    assert mask_url("https://ann:s3cret@feeds.test/x") == "https://ann:***@feeds.test/x"
    assert mask_url("https://tok3n@feeds.test/x") == "https://***@feeds.test/x"
    assert mask_url("https://feeds.test/x") == "https://feeds.test/x"


# -- end to end on loopback: 127.0.0.2 plays a public host (by the classify stub)


def public_127_0_0_2(address: str) -> str:
    return "public" if address == "127.0.0.2" else address_class(address)


@pytest.fixture
def public_site() -> Iterator[FeedServer]:
    with FeedServer("127.0.0.2") as server:
        yield server


@pytest.fixture
def lan_site() -> Iterator[FeedServer]:
    """127.0.0.1: the 'local network' a public feed must not reach."""
    with FeedServer("127.0.0.1") as server:
        yield server


PAGE = (
    b"<html><head><title>P</title></head><body><article>"
    + b"".join(b"<p>Sentence %d of the page, about the harbour and its ferries.</p>" % n
               for n in range(12))
    + b"</article></body></html>"
)  # fmt: skip


def test_public_feed_linking_into_the_lan_is_refused_and_keeps_the_summary(
    public_site: FeedServer, lan_site: FeedServer, tmp_path: Path
) -> None:
    lan_site.route("/admin", Reply(200, PAGE, {"Content-Type": "text/html"}))
    public_site.route("/redirect", Reply(302, b"", {"Location": lan_site.url("/admin")}))
    public_site.route("/page", Reply(200, PAGE, {"Content-Type": "text/html"}))
    links = [
        lan_site.url("/admin"),
        "http://169.254.169.254/latest/meta-data/",
        public_site.url("/redirect"),
        public_site.url("/page"),
    ]
    public_site.route(
        "/feed.xml", Reply(200, rss("Pub", [item(n, link=link) for n, link in enumerate(links)]))
    )
    subscription = Subscription(public_site.url("/feed.xml"), name="Pub", full_text=True)
    report = fetch_subscriptions(
        [subscription], tmp_path / "news", AppPaths.default(), classify=public_127_0_0_2
    )
    feed = report.feeds[0]
    assert feed.outcome == "new" and feed.new == 4
    assert lan_site.hits("/admin") == 0  # neither directly nor through the redirect
    assert public_site.hits("/redirect") == 1 and public_site.hits("/page") == 1
    refused = [p for p in feed.problems if "refused" in p]
    assert len(refused) == 3, feed.problems
    assert any("link-local" in p for p in refused)
    assert report.exit_code == 0


def test_loopback_feed_may_link_to_loopback(lan_site: FeedServer, tmp_path: Path) -> None:
    lan_site.route("/page", Reply(200, PAGE, {"Content-Type": "text/html"}))
    lan_site.route("/feed.xml", Reply(200, rss("Local", [item(1, link=lan_site.url("/page"))])))
    subscription = Subscription(lan_site.url("/feed.xml"), full_text=True)
    report = fetch_subscriptions([subscription], tmp_path / "news", AppPaths.default())
    assert report.feeds[0].problems == []
    assert lan_site.hits("/page") == 1


def test_allow_in_the_subscription_lets_a_public_feed_reach_loopback(
    public_site: FeedServer, lan_site: FeedServer, tmp_path: Path
) -> None:
    lan_site.route("/page", Reply(200, PAGE, {"Content-Type": "text/html"}))
    public_site.route("/feed.xml", Reply(200, rss("Pub", [item(1, link=lan_site.url("/page"))])))
    subscription = Subscription(
        public_site.url("/feed.xml"), full_text=True, allow=frozenset({"loopback"})
    )
    report = fetch_subscriptions(
        [subscription], tmp_path / "news", AppPaths.default(), classify=public_127_0_0_2
    )
    assert report.feeds[0].problems == []
    assert lan_site.hits("/page") == 1


def test_a_public_feed_redirecting_into_the_lan_is_refused(
    public_site: FeedServer, lan_site: FeedServer, tmp_path: Path
) -> None:
    lan_site.route("/feed.xml", Reply(200, rss("LAN", [item(1)])))
    public_site.route("/feed.xml", Reply(301, b"", {"Location": lan_site.url("/feed.xml")}))
    report = fetch_subscriptions(
        [Subscription(public_site.url("/feed.xml"))],
        tmp_path / "news",
        AppPaths.default(),
        classify=public_127_0_0_2,
    )
    assert report.feeds[0].outcome == "failed"
    assert "refused" in (report.feeds[0].reason or "")
    assert lan_site.hits("/feed.xml") == 0


def test_credentials_go_only_to_their_host_and_are_never_shown(
    public_site: FeedServer, lan_site: FeedServer, tmp_path: Path
) -> None:
    seen: dict[str, str | None] = {}

    def feed(request):  # type: ignore[no-untyped-def]
        seen["feed"] = request.headers.get("authorization")
        return Reply(200, rss("Private", [item(1, link=public_site.url("/page"))]))

    def page(request):  # type: ignore[no-untyped-def]
        seen["page"] = request.headers.get("authorization")
        return Reply(200, PAGE, {"Content-Type": "text/html"})

    lan_site.route("/feed.xml", feed)
    public_site.route("/page", page)
    url = lan_site.url("/feed.xml").replace("http://", "http://ann:hunter2@")
    subscription = Subscription(url, full_text=True, allow=frozenset())
    report = fetch_subscriptions(
        [subscription],
        tmp_path / "news",
        AppPaths.default(),
        classify=lambda a: "loopback" if a == "127.0.0.1" else "public",
    )
    assert seen["feed"] == "Basic YW5uOmh1bnRlcjI="  # ann:hunter2
    assert seen["page"] is None
    text = str(report.as_json())
    assert "hunter2" not in text and "ann:***@" in text
    for path in (tmp_path / "news").rglob("*.json"):
        assert "hunter2" not in path.read_text()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_a_self_signed_certificate_is_refused_and_not_retried(tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    with FeedServer("127.0.0.1") as server:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
        server.route("/feed.xml", Reply(200, rss("T", [item(1)])))
        url = server.url("/feed.xml").replace("http://", "https://")
        report = fetch_subscriptions([Subscription(url)], tmp_path / "news", AppPaths.default())
        assert report.feeds[0].outcome == "failed"
        assert "certificate" in (report.feeds[0].reason or "").lower()
        assert server.hits("/feed.xml") == 0  # never asked without verification

        # The same server, its certificate trusted: the check is verification, nothing else.
        async def trusted() -> int:
            async with HttpClient(
                ssl_context=ssl.create_default_context(cafile=str(cert))
            ) as client:
                response = await client.get(url, AddressPolicy(), subscription_allow=frozenset())
                return response.status

        assert asyncio.run(trusted()) == 200


def test_tls_is_verified(tmp_path: Path) -> None:
    """A plain-HTTP server answering an https:// request: the TLS handshake fails, no retry."""
    with FeedServer("127.0.0.1") as server:
        server.route("/feed.xml", Reply(200, rss("T", [item(1)])))
        url = server.url("/feed.xml").replace("http://", "https://")

        async def go() -> None:
            async with HttpClient(Limits(deadline=5)) as client:
                await client.get(url, AddressPolicy(), subscription_allow=frozenset())

        with pytest.raises(FetchError) as error:
            asyncio.run(go())
        assert "TLS" in error.value.reason or "network" in error.value.reason
        assert server.hits("/feed.xml") == 0


@pytest.mark.parametrize("other_host", ["127.0.0.1", "127.0.0.2"], ids=["other-port", "other-ip"])
def test_feed_credentials_go_to_the_feeds_own_host_only(other_host: str) -> None:
    """user:pass@host: sent on the hops to that host and port, never after a redirect away."""
    with FeedServer("127.0.0.1") as origin, FeedServer(other_host) as elsewhere:
        elsewhere.route("/feed.xml", Reply(302, b"", {"Location": origin.url("/final.xml")}))
        origin.route("/feed.xml", Reply(302, b"", {"Location": origin.url("/moved.xml")}))
        origin.route("/moved.xml", Reply(302, b"", {"Location": elsewhere.url("/feed.xml")}))
        origin.route("/final.xml", Reply(200, rss("T", [item(1)])))
        url = origin.url("/feed.xml").replace("://", "://reader:s%40cret@")

        async def go() -> int:
            async with HttpClient() as client:
                response = await client.get(url, AddressPolicy(), subscription_allow=frozenset())
                return response.status

        assert asyncio.run(go()) == 200
        sent = {(r.host, r.path): r.headers.get("authorization") for r in origin.log}
        basic = "Basic cmVhZGVyOnNAY3JldA=="  # reader:s@cret
        assert sent == {
            ("127.0.0.1", "/feed.xml"): basic,
            ("127.0.0.1", "/moved.xml"): basic,
            ("127.0.0.1", "/final.xml"): basic,  # back on the feed's own host and port
        }
        assert [(r.path, r.headers.get("authorization")) for r in elsewhere.log] == [
            ("/feed.xml", None)
        ]
