"""Saved web pages (`.html`, `.htm`): the article's metadata, text, links and images.

The page is parsed once with lxml (nothing is fetched, scripts never run). Its metadata
comes from JSON-LD, OpenGraph, meta tags, `<time>` and bylines (`_html_meta`); its text
from trafilatura or readability-lxml, whichever judged better for the page, after the
site's furniture is removed (`_html_body`). If neither finds enough text, the page's
visible text outside navigation is used instead. trafilatura, readability and lxml are
imported lazily: they are slow to import.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.formats._fields import guarded, safe_url, shorten, title_from_name
from newstui.core.formats._html_blocks import html_to_blocks
from newstui.core.formats.text import decode, looks_binary
from newstui.core.models import Article, Author, Block, Source, content_id
from newstui.core.sanitize import clean_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from newstui.core.formats._html_meta import PageMeta

SUMMARY_MAX_CHARS = 400
MIN_EXTRACTED_CHARS = 200
_BYLINE_LINES = 3  # paragraphs at each end of the text where a byline may stand
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


@guarded
def parse(path: Path, data: bytes) -> ParseResult:
    if not data.strip():
        raise ArticleError("empty file")
    if looks_binary(data):
        raise ArticleError("binary data, not a web page")
    from newstui.core.formats._html_body import extract_blocks, strip_furniture, tidy
    from newstui.core.formats._html_meta import people, read_meta

    page = decode_html(data)
    tree = _tree(page)
    meta = read_meta(tree)
    blocks, document = extract_blocks(strip_furniture(tree), meta.url)
    title = meta.title or clean_line(getattr(document, "title", None) or "")
    if sum(len(block.text) for block in blocks if block.kind != "image") < MIN_EXTRACTED_CHARS:
        blocks = html_to_blocks(page, skip_chrome=True, base=meta.url)
        title = title or (blocks[0].text if blocks and blocks[0].kind == "heading" else "")
    named = meta.authors or _byline_in(blocks, meta.site)  # what the page says: its byline goes
    authors = named or people([getattr(document, "author", None) or ""], meta.site)
    blocks = tidy(blocks, title, named)
    if not any(block.kind != "image" for block in blocks):
        raise ArticleError("no article text found")
    return ParseResult([_article(path, title, authors, blocks, meta, document)])


def _byline_in(blocks: list[Block], site: str | None) -> list[str]:
    """The names of a byline line at the article's top or end ("von Ann Lee", "Por EFE")."""
    from newstui.core.formats._html_meta import byline_names

    lines = [block for block in blocks if block.kind == "paragraph"]
    for block in lines[:_BYLINE_LINES] + lines[-_BYLINE_LINES:]:
        names = byline_names(block.text, site)
        if names:
            return names
    return []


def decode_html(data: bytes) -> str:
    """BOM, then valid UTF-8, then the <meta charset> the page declares, then a guess."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _tree(page: str) -> HtmlElement:
    import lxml.html

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", page), parser=parser)
    except Exception:  # lxml's ParserError for pages with no elements at all
        return lxml.html.document_fromstring("<html><body><p></p></body></html>", parser=parser)


def _article(
    path: Path, title: str, authors: list[str], blocks: list[Block], meta: PageMeta, document: Any
) -> Article:
    published: datetime | None = meta.published or _document_date(document)
    title = title or title_from_name(path)
    body = "\n".join(block.text for block in blocks)
    summary = meta.description or clean_line(getattr(document, "description", None) or "")
    return Article(
        id=content_id(title, body),
        title=title,
        summary=shorten(summary, SUMMARY_MAX_CHARS),
        authors=[Author(name=name) for name in authors],
        blocks=blocks,
        source=Source(path=str(path), format="html", name=meta.site),
        published=published,
        url=meta.url or safe_url(getattr(document, "url", None)),
        lang=meta.lang,
        direction="rtl" if meta.direction == "rtl" else None,
        tags=list(dict.fromkeys(tag for tag in meta.tags if tag)),
    )


def _document_date(document: Any) -> datetime | None:
    """trafilatura's date (htmldate's), unless it is only a year: the page's copyright line."""
    from newstui.core.formats._html_meta import parse_date

    date = parse_date(getattr(document, "date", None))
    return None if date is None or (date.month, date.day) == (1, 1) else date
