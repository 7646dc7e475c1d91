"""RSS/Atom/RDF feeds through feedparser: entries, identity, encodings, malformed feeds."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from newstui.core.formats import ArticleError, parse_bytes, parse_file
from newstui.core.formats._html_blocks import html_to_blocks
from newstui.core.formats.feeds import entry_id

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def rss(*items: str, channel: str = "<title>Test Feed</title>") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}{body}</channel></rss>'.encode()
    )


def test_rss2_entry_fields() -> None:
    result = parse_file(FIXTURES / "rss20.xml")
    assert result.warnings == []
    first = result.articles[0]
    assert first.title == "Lock Gates Reopen After Winter Repairs"
    assert first.id == entry_id("courier-2026-1041")
    assert first.slug is None
    assert first.author is not None and first.author.name == "Ines Harrow"
    assert first.published == datetime(2026, 10, 6, 5, 30, tzinfo=timezone.utc)
    assert first.url == "https://courier.example/2026/10/lock-gates"
    assert first.tags == ["Harbour", "Infrastructure"]
    assert first.summary == "The east lock is open again after six weeks of repairs."
    assert first.source.name == "The Quayside Courier"
    assert first.source.format == "rss"
    assert first.source.path == str(FIXTURES / "rss20.xml")


def test_content_html_becomes_blocks_without_scripts_or_pixels() -> None:
    first = parse_file(FIXTURES / "rss20.xml").articles[0]
    assert [(b.kind, b.text, b.url) for b in first.blocks] == [
        ("heading", "Six weeks, three cranes", None),
        (
            "paragraph",
            "The east lock is open again after six weeks of repairs, the port office said on Tuesday.",
            None,
        ),
        ("quote", "Every gate has new seals.", None),
        ("list_item", "New seals", None),
        ("list_item", "New hinges", None),
        ("code", "Tide table: 07:30 high", None),
        ("image", "The east lock at dawn", "https://img.courier.example/lock.jpg"),
    ]


def test_untitled_entries_are_kept_and_feed_author_fills_in() -> None:
    _, untitled, html_title = parse_file(FIXTURES / "rss20.xml").articles
    assert untitled.title.startswith("A short item with no title and no guid")
    assert untitled.title.endswith("…") and len(untitled.title) <= 81
    assert untitled.id == entry_id("https://courier.example/2026/10/briefs")  # no guid: the link
    # managingEditor "desk@courier.example (Quayside Desk)": the name, not a mangled e-mail
    assert untitled.author is not None and untitled.author.name == "Quayside Desk"
    assert html_title.title == "Pilot Boats Back on Station"
    assert html_title.url is None


def test_entry_without_id_or_link_is_identified_by_title_and_date() -> None:
    third = parse_file(FIXTURES / "rss20.xml").articles[2]
    assert third.id == entry_id("Pilot Boats Back on Station\n2026-10-07T09:00:00+00:00")


def test_empty_entry_is_untitled_not_dropped() -> None:
    result = parse_bytes(Path("f.xml"), rss("<title></title>", "<title>Second</title>"))
    assert [a.title for a in result.articles] == ["(untitled)", "Second"]
    assert result.articles[0].blocks == []


def test_resaving_a_feed_keeps_the_ids_of_old_entries() -> None:
    old = [
        "<title>Old one</title><guid>g-1</guid>",
        "<title>Old two</title><link>https://x.example/2</link>",
    ]
    before = parse_bytes(Path("f.xml"), rss(*old)).articles
    after = parse_bytes(Path("f.xml"), rss("<title>New</title><guid>g-3</guid>", *old)).articles
    assert [a.id for a in after[1:]] == [a.id for a in before]
    assert len({a.id for a in after}) == 3


def test_duplicate_guids_stay_distinct_within_a_file() -> None:
    articles = parse_bytes(
        Path("f.xml"), rss(*["<title>Same</title><guid>dup</guid>"] * 3)
    ).articles
    assert [a.id for a in articles] == [
        entry_id("dup"),
        entry_id("dup") + "-2",
        entry_id("dup") + "-3",
    ]


def test_every_entry_of_a_long_feed_appears() -> None:
    items = [f"<title>Item {n}</title><guid>id-{n}</guid>" for n in range(120)]
    articles = parse_bytes(Path("f.rss"), rss(*items)).articles
    assert [a.title for a in articles] == [f"Item {n}" for n in range(120)]


def test_atom_entries() -> None:
    result = parse_file(FIXTURES / "atom.xml")
    assert result.warnings == []
    eels, ferries = result.articles
    assert eels.source.format == "atom"
    assert eels.source.name == "Tidewatch Weekly"  # an HTML title loses its markup
    assert eels.url == "https://tidewatch.example/2026/10/eels"  # resolved against xml:base
    assert eels.published == datetime(2026, 10, 11, 17, 45, tzinfo=timezone.utc)
    assert eels.author is not None and eels.author.name == "Tidewatch Desk"
    assert eels.tags == ["Ecology", "estuary"]
    assert [(b.kind, b.text) for b in eels.blocks] == [
        ("paragraph", "Counts at four weirs fell for a third year, the survey team reported."),
        ("heading", "Why it matters"),
        ("paragraph", "Eels are a marker of the estuary's health."),
        ("list_item", "Weir one: down"),
        ("list_item", "Weir two: flat"),
    ]
    assert eels.summary == ""  # the summary only repeats the start of the content
    assert ferries.title == "Ferry Timetable & Fares for Winter"
    assert ferries.author is not None and ferries.author.name == "Rhea Castellan, Oskar Vint"
    assert ferries.published == datetime(2026, 10, 12, 9, tzinfo=timezone.utc)  # updated only
    assert [b.text for b in ferries.blocks] == [
        "Winter sailings start in November.",
        "Fares stay the same.",
    ]


def test_rss_091_with_netscape_doctype() -> None:
    result = parse_file(FIXTURES / "rss091.xml")
    assert result.warnings == []
    assert [a.title for a in result.articles] == [
        "Lighthouse Keeper Retires",
        "Gulls Nest on the Old Customs House",
    ]
    assert result.articles[0].url == "https://almanac.example/keeper"


def test_rss_10_rdf() -> None:
    bridges, barges = parse_file(FIXTURES / "rss10.rdf").articles
    assert bridges.published == datetime(2026, 10, 9, 6, tzinfo=timezone.utc)
    assert bridges.author is not None and bridges.author.name == "Canal Ledger Staff"
    assert bridges.tags == ["Canals"]
    assert barges.author is not None and barges.author.name == "Pia Lund"
    assert barges.source.name == "Canal Ledger"


@pytest.mark.parametrize("name", ["latin1.xml", "utf16.xml", "wrong-encoding.xml"])
def test_encodings(name: str) -> None:
    result = parse_file(FIXTURES / name)
    assert [a.title for a in result.articles] == [
        "Crème brûlée festival returns",
        "Señora Ibáñez opens a bakery",
    ]
    assert "naïve" in result.articles[0].body_text


def test_utf16_feed_title_with_non_latin_text() -> None:
    assert parse_file(FIXTURES / "utf16.xml").articles[0].source.name == "Café Gazette — 港口"


@pytest.mark.parametrize("encoding", ["utf-32", "utf-16-le", "utf-8-sig"])
def test_more_unicode_encodings(encoding: str) -> None:
    text = (FIXTURES / "latin1.xml").read_bytes().decode("latin-1")
    data = text.replace("ISO-8859-1", encoding.removesuffix("-sig").upper()).encode(encoding)
    assert parse_bytes(Path("f.xml"), data).articles[1].title == "Señora Ibáñez opens a bakery"


def test_declared_encoding_that_lies_is_a_problem_record() -> None:
    result = parse_file(FIXTURES / "wrong-encoding.xml")
    assert len(result.warnings) == 1 and result.warnings[0].startswith("malformed feed:")


def test_truncated_feed_keeps_what_was_read() -> None:
    result = parse_file(FIXTURES / "truncated.xml")
    assert result.articles[0].title == "Lock Gates Reopen After Winter Repairs"
    assert len(result.articles) == 1
    assert result.warnings == [
        "malformed feed: line 28, column 53: no element found",
        "entry 2: empty, skipped",  # cut off before any of its fields closed
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not-a-feed.xml", "not an RSS, Atom or RDF feed"),
        ("empty-feed.xml", "feed has no entries"),
    ],
)
def test_files_without_entries(name: str, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        parse_file(FIXTURES / name)


@pytest.mark.parametrize("data", [b"", b"   ", b"\x00\xff garbage \x01", b"<rss><channel><item>"])
def test_unreadable_feeds_raise_article_error(data: bytes) -> None:
    with pytest.raises(ArticleError):
        parse_bytes(Path("f.atom"), data)


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LOCAL-FILE")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY local SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "http://entities.invalid/remote.txt">
  <!ENTITY % dtd SYSTEM "http://entities.invalid/evil.dtd">
  <!ENTITY plain "plain words">
  %dtd;
]>
<rss version="2.0"><channel><title>Entities</title>
<item><title>Title &local; &remote; &plain;</title><description>Body &local;.</description></item>
</channel></rss>""".encode()
    result = parse_bytes(Path("entities.xml"), data)
    (article,) = result.articles
    text = article.title + article.body_text
    assert "TOP-SECRET" not in text
    assert "plain words" in article.title  # a plain internal entity is fine


def test_hostile_text_is_sanitised() -> None:
    result = parse_bytes(
        Path("f.xml"), rss("<title>Alarm \x1b[31mred</title><description>ok</description>")
    )
    # an ESC byte is not even legal XML; whatever feedparser recovers is clean
    assert all("\x1b" not in a.title for a in result.articles)


def test_html_blocks_edge_cases() -> None:
    html = (
        "Loose text<br><br>after a double break"
        "<ul><li>outer<ul><li>inner</li></ul></li></ul>"
        "<nav><li>unclosed<li>items</nav><p>after nav"
        "<pre>  keep\n    indent</pre>"
        "<p>a <img src='data:image/png;base64,AAA' alt=''> b</p>"
        "<table><tr><td>c1</td><td>c2</td></tr></table>"
    )
    assert [(b.kind, b.text) for b in html_to_blocks(html)] == [
        ("paragraph", "Loose text"),
        ("paragraph", "after a double break"),
        ("list_item", "outer"),
        ("list_item", "inner"),
        ("list_item", "unclosed"),
        ("list_item", "items"),
        ("paragraph", "after nav"),
        ("code", "  keep\n    indent"),
        ("paragraph", "a b"),
        ("paragraph", "c1 c2"),
    ]
    assert [b.text for b in html_to_blocks(html, skip_chrome=True)][4:5] == ["after nav"]
