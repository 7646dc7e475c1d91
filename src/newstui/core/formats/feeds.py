"""Feed files: RSS 0.9x/1.0/2.0 and Atom via feedparser, and JSON Feed 1.0/1.1.

Every entry becomes an Article: title (else a shortened summary, else "(untitled)"), authors
(else the feed's), published date in UTC, link, tags, and the content (else summary)
HTML as blocks. The feed's title is the article's `source.name`. The article id is a hash of
the entry's id/guid (else link, else title and date), so re-saving a feed keeps the state of
the entries it already had.

Safety: feedparser only ever sees bytes (never a URL or a path), so it cannot fetch; it
strips entity declarations other than plain text ones and tells the XML parser not to load
external entities or DTDs. A malformed feed keeps whatever entries could be read, plus a
problem record; it is an error only when nothing usable comes out.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from time import struct_time
from typing import Any

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.formats._fields import UNTITLED, guarded, parse_datetime, safe_url, shorten
from newstui.core.formats._html_blocks import html_to_blocks, html_to_text, text_to_blocks
from newstui.core.lang import primary_subtag
from newstui.core.models import (
    MAX_AUTHORS,
    Article,
    Author,
    Block,
    Source,
    content_id,
    normalise_title,
)
from newstui.core.sanitize import clean_line

SUMMARY_MAX_CHARS = 400
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_EMAIL_AND_NAME = re.compile(r"[^\s@()]+@[^\s@()]+\s*\((.+)\)")
_JSON_FEED_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


@guarded
def parse(path: Path, data: bytes) -> ParseResult:
    if not data.strip():
        raise ArticleError("empty file")
    return parse_xml_feed(path, data)


# -- RSS and Atom


_INVALID_CHARACTER_REFERENCE = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*5[5-7][0-9]{3});"
)


def _replace_invalid_reference(match: re.Match[bytes]) -> bytes:
    """`&#xD800;` names no character and makes feedparser drop the whole feed."""
    token = match.group()[2:-1]
    value = int(token[1:], 16) if token[:1] in (b"x", b"X") else int(token)
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF else match.group()


def parse_xml_feed(path: Path, data: bytes) -> ParseResult:
    import feedparser

    # A file-like object: feedparser never treats it as a URL or a file name.
    data = _INVALID_CHARACTER_REFERENCE.sub(_replace_invalid_reference, data)
    # No sanitize_html: the block builder keeps text only and drops scripts, styles and
    # frames itself, so feedparser's sanitizer would be a third more parsing time for nothing.
    # No resolve_relative_uris: bytes without a URL give it no base to resolve against.
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers={}, sanitize_html=False, resolve_relative_uris=False
    )
    entries: list[Any] = parsed.get("entries") or []
    problem = _bozo_problem(parsed) if parsed.get("bozo") else None
    if not entries:
        if not parsed.get("version"):
            reason = f" ({problem})" if problem else ""
            raise ArticleError(f"not an RSS, Atom or RDF feed{reason}")
        raise ArticleError(problem or "feed has no entries")
    feed: Mapping[str, Any] = parsed.get("feed") or {}
    version = str(parsed.get("version") or "")
    source = Source(
        path=str(path),
        format="atom" if version.startswith("atom") else "rss",
        name=_text(feed, "title") or None,
    )
    builder = _EntryBuilder(source, _authors(feed), skip_empty=problem is not None)
    builder.lang = primary_subtag(feed.get("language"))  # <language>, or the feed's xml:lang
    for number, entry in enumerate(entries, 1):
        builder.add(number, partial(_xml_entry, entry))
    problems = [problem] if problem else []
    return builder.result(problems)


def _bozo_problem(parsed: Mapping[str, Any]) -> str:
    error = parsed.get("bozo_exception")
    line = getattr(error, "getLineNumber", None)
    column = getattr(error, "getColumnNumber", None)
    message = getattr(error, "getMessage", None)
    if callable(line) and callable(column) and callable(message):
        reason = f"line {line()}, column {column()}: {message()}"
    else:
        reason = str(error) or type(error).__name__
    return "malformed feed: " + clean_line(reason)


def _text(item: Mapping[str, Any], key: str) -> str:
    """A feedparser text construct as plain text (HTML titles lose their markup)."""
    value = item.get(key)
    if not isinstance(value, str):
        return ""
    detail = item.get(f"{key}_detail") or {}
    if detail.get("type") in _HTML_TYPES and "<" in value:
        return clean_line(html_to_text(value))
    return clean_line(value)


def _authors(item: Mapping[str, Any]) -> list[str]:
    raw = clean_line(str(item.get("author") or ""))
    rss_style = _EMAIL_AND_NAME.fullmatch(raw)
    if rss_style:  # feedparser misreads "desk@example.news (Name)" with long domain endings
        return [clean_line(rss_style.group(1))]
    names = [
        clean_line(str(author.get("name") or ""))
        for author in (item.get("authors") or [])[:MAX_AUTHORS]
        if isinstance(author, Mapping)
    ]
    if any(names):
        return names
    detail = item.get("author_detail") or {}
    return [clean_line(str(detail.get("name") or raw))]


def _blocks(value: str, kind: str | None) -> list[Block]:
    if kind in _HTML_TYPES or kind is None:
        return html_to_blocks(value)
    return text_to_blocks(value)


def _utc(parsed: object) -> datetime | None:
    """feedparser's UTC `struct_time` as an aware datetime (leap seconds clamped)."""
    if not isinstance(parsed, struct_time):
        return None
    try:
        return datetime(*parsed[:5], min(parsed.tm_sec, 59), tzinfo=timezone.utc)
    except (ValueError, OverflowError):
        return None


def _xml_entry(entry: Mapping[str, Any]) -> _Entry:
    # A plain dict: feedparser's own get() tries its key aliases first (costly, 20 times an
    # entry), and maps a missing date to another with a warning; its keys are what we ask.
    entry = dict(entry) if isinstance(entry, dict) else {}
    contents = [c for c in entry.get("content") or [] if isinstance(c, Mapping)]
    content = next((c for c in contents if c.get("type") in _HTML_TYPES), None)
    content = content or (contents[0] if contents else None)
    summary_detail = entry.get("summary_detail") or {}
    summary_html = entry.get("summary") if isinstance(entry.get("summary"), str) else ""
    blocks: list[Block] = []
    content_html = ""
    if content is not None and isinstance(content.get("value"), str):
        content_html = content["value"]
        blocks = _blocks(content_html, content.get("type"))
    if blocks and summary_html == content_html:
        summary = ""  # feedparser copies a lone <content> to the summary: not parsed twice
    else:
        summary_blocks = _blocks(summary_html or "", summary_detail.get("type"))
        summary = " ".join(b.text for b in summary_blocks if b.kind != "image")
        if not blocks:
            blocks, summary = summary_blocks, ""
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        published = published or _utc(entry.get(key))
    tags = [
        clean_line(str(tag.get("label") or tag.get("term") or ""))
        for tag in entry.get("tags") or []
        if isinstance(tag, Mapping)
    ]
    details = [content or {}, summary_detail, entry.get("title_detail") or {}]
    declared = (d.get("language") for d in details if isinstance(d, Mapping))  # xml:lang
    return _Entry(
        key=str(entry.get("id") or entry.get("link") or ""),
        title=_text(entry, "title"),
        authors=_authors(entry),
        blocks=blocks,
        summary=summary,
        published=published,
        url=safe_url(entry.get("link")),
        tags=tags,
        lang=next(filter(None, map(primary_subtag, declared)), None),
    )


# -- JSON Feed


def is_json_feed(document: object) -> bool:
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and version.startswith(_JSON_FEED_PREFIXES)


def parse_json_feed(path: Path, feed: Mapping[str, Any]) -> ParseResult:
    """A JSON Feed (https://jsonfeed.org) already loaded from JSON."""
    items = feed.get("items")
    if not isinstance(items, list):
        raise ArticleError("JSON Feed without an 'items' list")
    if not items:
        raise ArticleError("feed has no entries")
    title = feed.get("title")
    source = Source(
        path=str(path), format="jsonfeed", name=title if isinstance(title, str) else None
    )
    builder = _EntryBuilder(source, _json_authors(feed))
    builder.lang = primary_subtag(feed.get("language"))
    for number, item in enumerate(items, 1):
        builder.add(number, partial(_json_item, item))
    return builder.result([])


def _json_authors(item: Mapping[str, Any]) -> list[str]:
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]
    return [str(a.get("name") or "") for a in authors[:MAX_AUTHORS] if isinstance(a, Mapping)]


def _json_item(item: object) -> _Entry:
    if not isinstance(item, Mapping):
        raise ValueError("not an object")

    def text(key: str) -> str:
        value = item.get(key)
        return value if isinstance(value, str) else ""

    if text("content_html"):
        blocks = html_to_blocks(text("content_html"))
    else:
        blocks = text_to_blocks(text("content_text"))
    summary = clean_line(text("summary"))
    if not blocks:
        blocks, summary = text_to_blocks(summary), ""
    item_id = item.get("id")
    tags = item.get("tags")
    return _Entry(
        key=str(item_id) if isinstance(item_id, (str, int)) else text("url"),
        title=clean_line(text("title")),
        authors=_json_authors(item),
        blocks=blocks,
        summary=summary,
        published=parse_datetime(item.get("date_published") or item.get("date_modified")),
        url=safe_url(item.get("url")) or safe_url(item.get("external_url")),
        tags=[clean_line(str(tag)) for tag in tags if isinstance(tag, (str, int))]
        if isinstance(tags, list)
        else [],
        lang=primary_subtag(item.get("language")),
    )


# -- entries to articles


class _Entry:
    """What one feed entry says, before it becomes an Article."""

    def __init__(
        self,
        *,
        key: str,
        title: str,
        authors: list[str],
        blocks: list[Block],
        summary: str,
        published: datetime | None,
        url: str | None,
        tags: list[str],
        lang: str | None = None,
    ) -> None:
        self.key, self.title, self.authors = clean_line(key), title, authors
        self.blocks, self.summary, self.published = blocks, summary, published
        self.url, self.tags = url, [tag for tag in dict.fromkeys(tags) if tag]
        self.lang = lang

    @property
    def is_empty(self) -> bool:
        return not (self.key or self.title or self.blocks or self.summary or self.url)


class _EntryBuilder:
    """Articles from entries: ids unique within the file, bad entries become problems."""

    def __init__(
        self, source: Source, feed_authors: list[str], *, skip_empty: bool = False
    ) -> None:
        self.source = source
        self.feed_authors = feed_authors
        self.skip_empty = skip_empty  # in a malformed feed, an empty entry is debris
        self.articles: list[Article] = []
        self.problems: list[str] = []
        self._ids: set[str] = set()
        self.lang: str | None = None  # the feed's language, for entries that declare none

    def add(self, number: int, read: Callable[[], _Entry]) -> None:
        try:
            entry = read()
            if self.skip_empty and entry.is_empty:
                self.problems.append(f"entry {number}: empty, skipped")
                return
            self.articles.append(self._article(entry))
        except Exception as error:  # one odd entry must not cost the others
            self.problems.append(f"entry {number}: cannot read: {clean_line(str(error))[:200]}")

    def _article(self, entry: _Entry) -> Article:
        body = "\n".join(block.text for block in entry.blocks if block.kind != "image")
        title = entry.title or shorten(entry.summary or body) or UNTITLED
        summary = entry.summary
        if summary and normalise_title(body).startswith(normalise_title(summary)[:200]):
            summary = ""  # the summary is just the start of the content
        published = entry.published.isoformat() if entry.published else ""
        key = entry.key or entry.url or (f"{entry.title}\n{published}" if entry.title else "")
        article_id = entry_id(key) if key else content_id(title, body)
        article_id = self._unique(article_id)
        names = [name for name in entry.authors if name.strip()] or self.feed_authors
        return Article(
            id=article_id,
            title=title,
            summary=shorten(summary, SUMMARY_MAX_CHARS),
            authors=[Author(name=name) for name in names],
            blocks=entry.blocks,
            source=self.source,
            published=entry.published,
            url=entry.url,
            lang=entry.lang or self.lang,
            tags=entry.tags,
        )

    def _unique(self, article_id: str) -> str:
        candidate, n = article_id, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{article_id}-{n}"
        self._ids.add(candidate)
        return candidate

    def result(self, problems: list[str]) -> ParseResult:
        if not self.articles:
            reasons = "; ".join([*problems, *self.problems][:3])
            raise ArticleError(f"no readable entries: {reasons}" if reasons else "no entries")
        return ParseResult(self.articles, problems + self.problems)


def entry_id(key: str) -> str:
    """A stable article id for a feed entry from its id/guid (or link, or title and date)."""
    return "f-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
