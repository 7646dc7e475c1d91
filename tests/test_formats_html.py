"""Saved web pages: main text via trafilatura, metadata, fallback, lazy import."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newstui.core.formats import ArticleError, parse_bytes, parse_file

if TYPE_CHECKING:
    from libhelpers import WriteFile

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
LONG = "The survey counted boats in the harbour every morning for a month. " * 6


def test_saved_page_metadata() -> None:
    result = parse_file(FIXTURES / "page.html")
    assert result.warnings == []
    (article,) = result.articles
    assert article.title == "Harbour Ferries Approved"
    assert article.author is not None and article.author.name == "Marta Ilves"
    assert article.published == datetime(2026, 10, 3, 6, 15, tzinfo=timezone.utc)
    assert article.url == "https://courier.example/2026/10/ferries"  # canonical beats og:url
    assert article.source.name == "The Quayside Courier"
    assert article.source.format == "html"
    assert article.summary == "Regulators back a permanent late service."


def test_saved_page_main_text_only() -> None:
    article = parse_file(FIXTURES / "page.html").articles[0]
    kinds = [block.kind for block in article.blocks]
    assert kinds == [
        "paragraph",
        "heading",
        "paragraph",
        "quote",
        "list_item",
        "list_item",
        "image",
        "paragraph",
    ]
    assert article.blocks[6].url == "http://img.courier.example/ferry.jpg"
    text = article.body_text
    for chrome in ("INJECTED", "ADVERTISEMENT", "Subscribe", "Privacy", "Most read", "color"):
        assert chrome not in text


def test_og_url_when_there_is_no_canonical_link() -> None:
    page = f"""<html><head><title>T</title><meta property="og:url" content="https://x.example/a">
    </head><body><article><p>{LONG}</p></article></body></html>"""
    assert parse_bytes(Path("p.html"), page.encode()).articles[0].url == "https://x.example/a"


def test_declared_legacy_charset() -> None:
    article = parse_file(FIXTURES / "latin1.html").articles[0]
    assert article.title == "Café on the Quai Reopens"
    assert "crème brûlée" in article.body_text


def test_fallback_for_small_pages_skips_navigation() -> None:
    article = parse_file(FIXTURES / "short.html").articles[0]
    assert (article.title, article.body_text) == ("Notice", "Office closed Friday.")


def test_page_without_text_is_an_error() -> None:
    with pytest.raises(ArticleError, match="no article text found"):
        parse_file(FIXTURES / "no-text.html")


@pytest.mark.parametrize(
    "data",
    [b"", b"<html></html>", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8],
    ids=["empty", "no-body", "binary"],
)
def test_empty_or_binary_pages(data: bytes) -> None:
    with pytest.raises(ArticleError):
        parse_bytes(Path("p.htm"), data)


def test_title_falls_back_to_file_name(write_file: WriteFile) -> None:
    path = write_file("2026-10-21-saved-story.html", f"<p>{LONG}</p>")
    assert parse_file(path).articles[0].title == "Saved story"


def test_xhtml_with_xml_declaration(write_file: WriteFile) -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head>'
        f"<body><p>{LONG}</p></body></html>"
    )
    article = parse_file(write_file("x.html", page)).articles[0]
    assert article.title == "X" and "survey counted boats" in article.body_text


def test_trafilatura_is_imported_lazily() -> None:
    code = (
        "import sys, newstui.core.formats.html, newstui.core.formats.feeds, newstui.core.formats.markdown;"
        "print('trafilatura' in sys.modules, 'feedparser' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
