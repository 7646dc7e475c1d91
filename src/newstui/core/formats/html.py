"""Saved web pages (`.html`, `.htm`): the main article text, via trafilatura.

trafilatura (imported lazily: it is slow to import) is given the page as a string, so it
never fetches anything; scripts are never run. It finds the title, author, date, outlet and
the main text, keeping headings, paragraphs, quotes, lists, code and images. If it finds
nothing, the page's <title> and its visible text outside navigation are used instead.
The canonical URL (<link rel=canonical>, else og:url) is kept as the article's URL.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.formats._fields import guarded, parse_datetime, safe_url, shorten, title_from_name
from newstui.core.formats._html_blocks import escape_declarations, html_to_blocks
from newstui.core.formats.text import decode, looks_binary
from newstui.core.models import (
    Article,
    Author,
    Block,
    BlockKind,
    Source,
    content_id,
    normalise_title,
)
from newstui.core.sanitize import clean_line

SUMMARY_MAX_CHARS = 400
MIN_EXTRACTED_CHARS = 200
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_KINDS: dict[str, BlockKind] = {"head": "heading", "quote": "quote", "code": "code"}
_PUBLISHED_META = ("article:published_time", "date", "dc.date", "dcterms.date", "pubdate")


@guarded
def parse(path: Path, data: bytes) -> ParseResult:
    if not data.strip():
        raise ArticleError("empty file")
    if looks_binary(data):
        raise ArticleError("binary data, not a web page")
    page = decode_html(data)
    meta = PageMeta.read(page)
    return ParseResult([_extracted(path, page, meta) or _fallback(path, page, meta)])


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


class PageMeta(HTMLParser):
    """<title>, <meta name|property=... content=...> and <link rel=canonical> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self._in_title = False

    @classmethod
    def read(cls, page: str) -> PageMeta:
        reader = cls()
        try:
            reader.feed(page)
            reader.close()
        except AssertionError:
            reader = cls()
            reader.feed(escape_declarations(page))
            reader.close()
        return reader

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "title" and not self.title:
            self._in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    @property
    def url(self) -> str | None:
        return safe_url(self.canonical) or safe_url(self.meta.get("og:url"))


def _extracted(path: Path, page: str, meta: PageMeta) -> Article | None:
    document = _trafilatura(page)
    if document is None or document.body is None:
        return None
    blocks = list(_body_blocks(document.body))
    if sum(len(block.text) for block in blocks if block.kind != "image") < MIN_EXTRACTED_CHARS:
        return None  # a scrap, often navigation: the fallback judges small pages better
    title = clean_line(document.title or "") or clean_line(meta.title) or title_from_name(path)
    if blocks[0].kind == "heading" and normalise_title(blocks[0].text) == normalise_title(title):
        blocks = blocks[1:]
    published = None
    for key in _PUBLISHED_META:
        published = published or parse_datetime(meta.meta.get(key))
    tags = [*(document.tags or []), *(document.categories or [])]
    return _article(
        path,
        title=title,
        blocks=blocks,
        author=clean_line(document.author or ""),
        summary=clean_line(document.description or ""),
        published=published or parse_datetime(document.date),
        url=meta.url or safe_url(document.url),
        site=clean_line(document.sitename or "") or None,
        tags=[clean_line(str(tag)) for tag in tags],
    )


def _trafilatura(page: str) -> Any:
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).addHandler(logging.NullHandler())
    return trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_formatting=True,
        include_links=False,
        date_extraction_params={"outputformat": _DATE_FORMAT, "original_date": True},
    )


def _body_blocks(body: Any) -> Iterator[Block]:
    """trafilatura's element tree (head, p, quote, list/item, code, graphic, table) to blocks."""
    for element in body:
        tag = element.tag
        if tag == "graphic":
            url = safe_url(element.get("src"))
            alt = clean_line(element.get("alt") or element.get("title") or "")
            if url or alt:
                yield Block(kind="image", text=alt, url=url)
        elif tag == "list":
            yield from _list_items(element)
        elif tag == "quote" and len(element) and all(child.tag == "p" for child in element):
            for child in element:
                yield from _text_block("quote", child)
        elif tag == "table":
            for row in element.iter("row"):
                cells = (clean_line(_element_text(cell)) for cell in row)
                yield from _text_block("paragraph", " | ".join(cell for cell in cells if cell))
        else:
            yield from _text_block(_KINDS.get(tag, "paragraph"), element)
        # graphics nested inside paragraphs follow them
        if tag != "graphic":
            for graphic in element.iter("graphic"):
                url = safe_url(graphic.get("src"))
                alt = clean_line(graphic.get("alt") or "")
                if url or alt:
                    yield Block(kind="image", text=alt, url=url)


def _list_items(element: Any) -> Iterator[Block]:
    for item in element:
        if item.tag == "item":
            yield from _text_block("list_item", _element_text(item, skip="list"))
            for child in item:
                if child.tag == "list":
                    yield from _list_items(child)


def _element_text(element: Any, skip: str = "") -> str:
    """An element's text with <lb/> as a line break, leaving out `skip` children."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag != skip:
            parts.append(_element_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _text_block(kind: BlockKind, source: Any) -> Iterator[Block]:
    raw = source if isinstance(source, str) else _element_text(source)
    text = raw.strip("\n") if kind == "code" else clean_line(raw)
    if text.strip():
        yield Block(kind=kind, text=text)


def _fallback(path: Path, page: str, meta: PageMeta) -> Article:
    """No main text found: the page's title and its visible text outside navigation."""
    blocks = html_to_blocks(page, skip_chrome=True)
    if not any(block.kind != "image" for block in blocks):
        raise ArticleError("no article text found")
    title = clean_line(meta.title) or clean_line(meta.meta.get("og:title", ""))
    if not title and blocks[0].kind == "heading":
        title, blocks = blocks[0].text, blocks[1:]
    published = None
    for key in _PUBLISHED_META:
        published = published or parse_datetime(meta.meta.get(key))
    return _article(
        path,
        title=title or title_from_name(path),
        blocks=blocks,
        author=clean_line(meta.meta.get("author", "")),
        summary=clean_line(meta.meta.get("description", "")),
        published=published,
        url=meta.url,
        site=clean_line(meta.meta.get("og:site_name", "")) or None,
        tags=[],
    )


def _article(
    path: Path,
    *,
    title: str,
    blocks: list[Block],
    author: str,
    summary: str,
    published: datetime | None,
    url: str | None,
    site: str | None,
    tags: list[str],
) -> Article:
    body = "\n".join(block.text for block in blocks)
    return Article(
        id=content_id(title, body),
        title=title,
        summary=shorten(summary, SUMMARY_MAX_CHARS),
        author=Author(name=author) if author else None,
        blocks=blocks,
        source=Source(path=str(path), format="html", name=site),
        published=published,
        url=url,
        tags=list(dict.fromkeys(tag for tag in tags if tag)),
    )
