"""Every parser, fed junk or broken files, returns a result or raises ArticleError; none
of them ever touches the network."""

from __future__ import annotations

import contextlib
import random
import socket
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newstui.core.formats import ArticleError, ParseResult, parse_bytes, parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
EXTENSIONS = (".md", ".markdown", ".json", ".xml", ".rss", ".atom", ".rdf", ".html", ".htm")
SOUP = [
    b"<",
    b">",
    b"</",
    b"<rss>",
    b"<item>",
    b"<entry>",
    b"<![CDATA[",
    b"]]>",
    b"<!DOCTYPE x [",
    b"<!ENTITY a 'b'>",
    b"&a;",
    b"&#0;",
    b"---\n",
    b"+++\n",
    b"{",
    b"}",
    b"[",
    b'"',
    b":",
    b"# ",
    b"> ",
    b"```",
    b"\n",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x1b[31m",
    b"caf\xe9",
    "港口".encode(),
    b"<p>",
    b"<script>",
    b"<img src=http://x.invalid/a.png>",
    b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
    b'{"title": ',
]


def junk(seed: int) -> bytes:
    rng = random.Random(seed)
    if seed % 2:
        return rng.randbytes(rng.choice([1, 7, 100, 3000]))
    return b"".join(rng.choice(SOUP) for _ in range(rng.randint(1, 400)))


def damaged(data: bytes, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for cut in sorted(rng.sample(range(1, len(data)), min(6, len(data) - 1))):
        yield data[:cut]
    flipped = bytearray(data)
    for _ in range(max(1, len(data) // 50)):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    yield bytes(flipped)


def assert_result_or_article_error(path: Path, data: bytes) -> None:
    try:
        result = parse_bytes(path, data)
    except ArticleError as error:
        assert str(error), f"an ArticleError needs a reason ({path.name})"
        return
    assert isinstance(result, ParseResult)
    assert result.articles or result.warnings


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_random_bytes_never_crash_a_parser(extension: str) -> None:
    for seed in range(24):
        assert_result_or_article_error(Path(f"junk{extension}"), junk(seed))


@pytest.mark.parametrize(
    "fixture",
    sorted(p for p in FIXTURES.iterdir() if p.suffix in EXTENSIONS),
    ids=lambda path: path.name,
)
def test_truncated_and_corrupted_fixtures_never_crash(fixture: Path) -> None:
    data = fixture.read_bytes()
    for seed, broken in enumerate(damaged(data, seed=len(data))):
        assert_result_or_article_error(fixture, broken)
        # and through another parser too: a file with the wrong extension
        other = Path("wrong" + EXTENSIONS[(seed + len(data)) % len(EXTENSIONS)])
        assert_result_or_article_error(other, broken)


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and refuse) every attempt to resolve a name or open a connection."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., None]:
        def refused(*args: object, **kwargs: object) -> None:
            attempts.append(f"{name}{args[-1:] if args else ''}")
            raise OSError("network access during parsing")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_the_network_guard_itself_notices_access(network_attempts: list[str]) -> None:
    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.invalid/", timeout=1)
    assert network_attempts


REMOTE_PAGE = b"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
 "http://dtd.invalid/xhtml1-strict.dtd">
<html><head><base href="http://base.invalid/">
<title>Remote Everything</title>
<link rel="stylesheet" href="http://css.invalid/site.css">
<link rel="preload" href="http://fonts.invalid/a.woff2">
<script src="http://js.invalid/app.js"></script>
<meta http-equiv="refresh" content="0; url=http://refresh.invalid/">
</head><body><article><h1>Remote Everything</h1>
<p>This page refers to remote images, stylesheets, scripts, frames and a DTD, and none of them
may be fetched while it is read. It has enough words to count as an article for the extractor.</p>
<img src="http://img.invalid/a.jpg" srcset="http://img.invalid/b.jpg 2x" alt="remote">
<iframe src="http://frame.invalid/"></iframe>
<object data="http://object.invalid/x.swf"></object>
<p>A second paragraph, so the extractor has a little more to work with than one block of text.</p>
</article></body></html>"""

REMOTE_FEED = b"""<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="http://xsl.invalid/feed.xsl"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://dtd.invalid/rss-0.91.dtd" [
  <!ENTITY remote SYSTEM "http://entity.invalid/e.txt">
  <!ENTITY % param SYSTEM "http://param.invalid/p.dtd">
  %param;
]>
<rss version="0.91"><channel><title>Remote</title>
<item><title>Remote &remote;</title><link>http://link.invalid/1</link>
<description>&lt;img src="http://img.invalid/a.jpg"&gt; Body.</description></item>
</channel></rss>"""


def test_no_network_while_parsing(network_attempts: list[str], tmp_path: Path) -> None:
    (tmp_path / "remote.html").write_bytes(REMOTE_PAGE)
    (tmp_path / "remote.xml").write_bytes(REMOTE_FEED)
    parsed = 0
    for path in [*sorted(FIXTURES.iterdir()), tmp_path / "remote.html", tmp_path / "remote.xml"]:
        with contextlib.suppress(ArticleError):
            parsed += len(parse_file(path).articles)
    assert parsed > 20
    assert network_attempts == []
