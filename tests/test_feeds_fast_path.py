"""Feeds read by fastfeedparser (lxml), feedparser for what it cannot: the same articles,
repairs of common slips, and the fetcher's stored HTML."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from feedserver import FeedServer, Reply, rss
from newstui.core.fetch.entries import parse_feed
from newstui.core.formats import ArticleError, feeds, parse_bytes
from newstui.core.formats.jsonfile import article_from_json

ATOM = "http://www.w3.org/2005/Atom"


def rss_bytes(items: str, head: str = "<?xml version='1.0' encoding='utf-8'?>") -> bytes:
    return (
        f"{head}<rss version='2.0' xmlns:media='http://search.yahoo.com/mrss/'"
        " xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        f"<channel><title>Desk</title><link>https://desk.example/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def parsers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which parser read each feed: "fast" or "feedparser"."""
    used: list[str] = []
    fast, slow = feeds._parse_fast, feeds._parse_with_feedparser
    monkeypatch.setattr(
        feeds,
        "_parse_fast",
        lambda *a: used.append("fast") or fast(*a),  # type: ignore[func-returns-value]
    )
    monkeypatch.setattr(
        feeds,
        "_parse_with_feedparser",
        lambda *a: used.append("feedparser") or slow(*a),  # type: ignore[func-returns-value]
    )
    return used


def test_a_well_formed_feed_is_read_by_the_fast_parser(parsers: list[str]) -> None:
    data = rss_bytes(
        "<item><title>Vote &amp; count</title><guid>1</guid><link>/2026/vote</link>"
        "<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>"
        "<dc:creator>Ann Lee</dc:creator><dc:creator>Bo Chan</dc:creator>"
        "<description>&lt;p&gt;The council &lt;a href='https://desk.example/x'&gt;voted&lt;/a&gt;."
        "&lt;/p&gt;</description></item>"
    )
    (article,) = parse_bytes(Path("feed.xml"), data).articles
    assert parsers == ["fast"]
    assert article.title == "Vote & count"
    assert [a.name for a in article.authors] == ["Ann Lee", "Bo Chan"]  # every author
    assert article.url == "https://desk.example/2026/vote"  # resolved against the feed's link
    assert article.published is not None and article.published.isoformat().startswith(
        "2026-12-01T10"
    )
    (block,) = article.blocks
    assert block.text == "The council voted."
    assert [link.url for link in block.links] == ["https://desk.example/x"]


def test_slips_are_repaired_not_lost(parsers: list[str]) -> None:
    """HTML entities in XML, control characters, white space before the declaration."""
    data = rss_bytes(
        "<item><title>Re&colon; the harbour&nbsp;plan</title><guid>1</guid>"
        "<description>Quay\x02 works \x1b[31mstart today.</description></item>",
        head="\n  <?xml version='1.0' encoding='utf-8'?>",
    )
    result = parse_bytes(Path("feed.xml"), data)
    (article,) = result.articles
    assert parsers == ["fast"]
    assert article.title == "Re: the harbour\xa0plan" or article.title == "Re: the harbour plan"
    assert article.body_text == "Quay works start today."
    assert result.warnings == []  # repaired, not malformed


def test_a_cut_or_wrongly_encoded_feed_goes_to_feedparser(parsers: list[str]) -> None:
    whole = rss_bytes("<item><title>Whole</title><guid>1</guid></item>")
    cut = whole[: whole.index(b"</channel>")] + b"<item><title>Cu"
    assert [a.title for a in parse_bytes(Path("cut.xml"), cut).articles] == ["Whole"]
    latin = rss_bytes("<item><title>Caf\xe9</title><guid>1</guid></item>".replace("\xe9", "é"))
    latin = latin.replace("é".encode(), b"\xe9")  # declared UTF-8, written Latin-1
    result = parse_bytes(Path("latin.xml"), latin)
    assert parsers == ["feedparser", "feedparser"]
    assert result.articles[0].title == "Café" and result.warnings


def test_a_video_feed_keeps_its_description(parsers: list[str]) -> None:
    data = (
        f"<?xml version='1.0'?><feed xmlns='{ATOM}' xmlns:media='http://search.yahoo.com/mrss/'>"
        "<title>Channel</title><entry><id>yt:1</id><title>A rock is light</title>"
        "<updated>2026-12-01T10:00:00Z</updated><media:group><media:title>A rock</media:title>"
        "<media:description>Why stone glows.\n\nFull video linked.</media:description>"
        "</media:group></entry></feed>"
    ).encode()
    (article,) = parse_bytes(Path("videos.xml"), data).articles
    assert parsers == ["fast"]
    assert [b.text for b in article.blocks] == ["Why stone glows.", "Full video linked."]


def test_the_parser_never_fetches_what_looks_like_a_url() -> None:
    with FeedServer() as server:
        server.route("/feed.xml", Reply(200, rss("F", [])))
        with pytest.raises(ArticleError):
            parse_feed(server.url("/feed.xml").encode())
        assert server.hits("/feed.xml") == 0


def test_stored_html_keeps_no_escapes_and_reads_as_neutral_blocks() -> None:
    html = (
        '<p onclick="x()">Tide <a href="https://a.example/">tables</a> '
        '<a href="javascript:alert(1)">run</a></p><script>alert(2)</script>'
        '<iframe src="https://evil.example/"></iframe>\x1b]52;c;cGF5\x07\u202eok'
    )
    data = rss_bytes(
        f"<item><title>T</title><guid>1</guid><description>{escape(html)}</description></item>"
    )
    result = parse_feed(data.replace(b"\x1b", b"").replace(b"\x07", b""), keep_html=True)
    (stored,) = result.html
    assert stored is not None and "\u202e" not in stored
    stored_article = result.articles[0].model_dump(mode="json", exclude={"blocks", "source"})
    read = article_from_json(Path("d.json"), {**stored_article, "html": stored})
    assert [block.text for block in read.blocks] == ["Tide tables run", "]52;c;cGF5ok"]
    assert [link.url for block in read.blocks for link in block.links] == ["https://a.example/"]


def test_the_fetcher_stores_the_entry_html_and_reads_it_back() -> None:
    data = rss_bytes(
        "<item><title>Ferry</title><guid>1</guid><description>Winter timetable.</description>"
        "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        "&lt;h2&gt;Sailings&lt;/h2&gt;&lt;p&gt;Two a day.&lt;/p&gt;</content:encoded></item>"
    )
    result = parse_feed(data, keep_html=True)
    (article,) = result.articles
    assert article.blocks == [] and result.html == ["<h2>Sailings</h2><p>Two a day.</p>"]
    stored = article.model_dump(mode="json", exclude={"blocks", "source"})
    stored["html"] = result.html[0]
    read = article_from_json(Path("2026-12-01.json"), json.loads(json.dumps(stored)))
    assert [(b.kind, b.text) for b in read.blocks] == [
        ("heading", "Sailings"),
        ("paragraph", "Two a day."),
    ]
    assert read.summary == "Winter timetable."
    assert parse_bytes(Path("feed.xml"), data).articles[0].blocks == read.blocks


def test_a_summary_with_markup_is_stored_as_html_and_read_as_text() -> None:
    data = rss_bytes(
        "<item><title>Ferry</title><guid>1</guid>"
        "<description>&lt;p&gt;Winter &lt;b&gt;timetable&lt;/b&gt;.&lt;/p&gt;</description>"
        "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        "&lt;p&gt;Two a day.&lt;/p&gt;</content:encoded></item>"
    )
    result = parse_feed(data, keep_html=True)
    assert result.articles[0].summary == ""
    assert result.summary_html == ["<p>Winter <b>timetable</b>.</p>"]
    stored = result.articles[0].model_dump(mode="json", exclude={"blocks", "source"})
    stored.update(html=result.html[0], summary_html=result.summary_html[0])
    read = article_from_json(Path("d.json"), stored)
    assert read.summary == "Winter timetable."
    assert read == parse_bytes(Path("feed.xml"), data).articles[0].model_copy(
        update={"source": read.source}
    )
