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
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from html.entities import html5
from pathlib import Path
from time import struct_time
from typing import Any
from urllib.parse import urljoin, urlsplit

from newstui.core.formats import ArticleError, NoEntries, ParseResult
from newstui.core.formats._fields import UNTITLED, guarded, parse_datetime, safe_url, shorten
from newstui.core.formats._html_blocks import html_to_blocks, html_to_text, text_to_blocks
from newstui.core.lang import primary_subtag
from newstui.core.models import (
    MAX_AUTHORS,
    Article,
    Author,
    Block,
    Enclosure,
    Source,
    content_id,
    opens_with,
)
from newstui.core.sanitize import clean_bytes, clean_line, clean_text

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


def parse_xml_feed(path: Path, data: bytes, *, keep_html: bool = False) -> FeedResult:
    """RSS, Atom or RDF bytes: fastfeedparser (lxml) reads them, feedparser what it cannot.

    A malformed document keeps what lxml's recovering parser reads of it, with a warning."""
    data = _INVALID_CHARACTER_REFERENCE.sub(_replace_invalid_reference, data)
    if data[:1].isspace():
        data = data.lstrip()  # (white space before `<?xml`: a common slip, and no feed's text)
    problem, recoverable, tree = _xml_problem(data)
    for repair in (_without_control_characters, _with_numeric_references):
        if problem and recoverable and (repaired := repair(data)) != data:
            data = repaired
            problem, recoverable, tree = _xml_problem(data)
    if recoverable:
        try:
            return _parse_fast(path, data, problem, tree, keep_html)
        except ArticleError:  # not a feed to it (or nothing read): feedparser decides
            pass
    return _parse_with_feedparser(path, data, keep_html)


_NAMED_REFERENCE = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_NAMES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def _without_control_characters(data: bytes) -> bytes:
    """No escape sequences or C0 controls, which XML forbids and lxml's recovery reads on
    badly from (in an encoding where they are never part of a character: not UTF-16/32)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return data
    return clean_bytes(data)


def _with_numeric_references(data: bytes) -> bytes:
    """HTML's named references (`&nbsp;`), undeclared in XML, as numeric ones."""
    return data if b"<!ENTITY" in data else _NAMED_REFERENCE.sub(_numeric_reference, data)


def _numeric_reference(match: re.Match[bytes]) -> bytes:
    """An HTML named reference as numeric ones; an unknown name stays as text."""
    name = match.group(1)
    if name in _XML_NAMES:
        return match.group()
    characters = html5.get(name.decode("ascii") + ";")
    if characters is None:
        return b"&amp;" + match.group()[1:]
    return "".join(f"&#{ord(c)};" for c in characters).encode("ascii")


_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b")
_ROOT_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)\s*>\s*$")


def _xml_problem(data: bytes) -> tuple[str | None, bool, Any]:
    """Why the bytes are not well-formed XML (or None), and whether lxml's recovery is
    trusted with them. It is not with a wrong encoding (feedparser tries others), a cut
    document (its last entry is debris, which would come back whole as another article),
    or entity declarations (lxml, never resolving entities, would drop even plain ones)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        message = str(error.msg).split(", line ")[0]
        problem = clean_line(f"malformed feed: line {line}, column {column}: {message}")
        cut = not _ROOT_END.search(data[-200:])
        return problem, error.code != etree.ErrorTypes.ERR_INVALID_ENCODING and not cut, None
    except ValueError as error:
        return clean_line(f"malformed feed: {error}"), False, None
    return None, b"<!ENTITY" not in data, tree


_ATOM, _DC = "{http://www.w3.org/2005/Atom}", "{http://purl.org/dc/elements/1.1/}"
_MEDIA = "{http://search.yahoo.com/mrss/}"
_ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
_ENTRY_TAGS = (f"{_ATOM}entry", "item", "{http://purl.org/rss/1.0/}item")
_AUTHOR_TAGS = (f"{_ATOM}author", f"{_DC}creator", "author")
_FEED_AUTHOR_TAGS = (*_AUTHOR_TAGS, "managingEditor", f"{_ITUNES}author")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SUMMARY_TAGS = ("description", f"{_ATOM}summary", "{http://purl.org/rss/1.0/}description")


@dataclass
class _Details:
    """What fastfeedparser leaves out, read from the document: every author (it keeps the
    first, and no feed-level `dc:creator`), `xml:lang`, and a video's `media:description`."""

    lang: str | None = None
    authors: list[str] = field(default_factory=list)
    # each entry's authors, xml:lang, media:description, and whether it has a summary of
    # its own (fastfeedparser makes one of the content's start)
    entries: list[tuple[list[str], str, str, bool]] = field(default_factory=list)


def _document_details(tree: Any, entries: int) -> _Details:
    if tree is None:
        return _Details()
    channel = tree.find("channel")
    head = tree if channel is None else channel
    details = _Details(
        lang=tree.get(_XML_LANG) or head.findtext("language"),
        authors=_names(head, _FEED_AUTHOR_TAGS)[:1] if head is not None else [],
    )
    for element in tree.iter(*_ENTRY_TAGS):
        text = element.findtext(f"{_MEDIA}group/{_MEDIA}description") or ""
        names = _names(element, _AUTHOR_TAGS)
        summary = next(element.iterchildren(*_SUMMARY_TAGS), None) is not None
        details.entries.append((names, element.get(_XML_LANG) or "", text, summary))
    if len(details.entries) != entries:
        details.entries = []  # (they do not line up with fastfeedparser's)
    return details


def _names(element: Any, tags: tuple[str, ...]) -> list[str]:
    names = []
    for author in element.iterchildren(*tags):
        raw = clean_line(author.text or "")
        raw = raw or clean_line(author.findtext(f"{_ATOM}name") or author.findtext("name") or "")
        names.append(_person(raw))
    return [name for name in names if name][:MAX_AUTHORS]


def _parse_fast(
    path: Path, data: bytes, problem: str | None, tree: Any, keep_html: bool
) -> FeedResult:
    import fastfeedparser

    try:
        parsed = fastfeedparser.parse(data)  # bytes: it never fetches (a str URL it would)
    except Exception as error:  # (hostile bytes: whatever it raises, feedparser decides)
        raise ArticleError(clean_line(str(error))[:200]) from None
    entries: list[Any] = parsed.get("entries") or []
    if not entries:
        raise ArticleError("feed has no entries")
    feed: Mapping[str, Any] = parsed.get("feed") or {}
    root = _ROOT.search(data[:4096])
    source = Source(
        path=str(path),
        format="atom" if root and root.group(1) == b"feed" else "rss",
        name=_markup_free(_string(feed.get("title"))) or None,
    )
    details = _document_details(tree, len(entries))
    feed_authors = [name for name in _authors(feed) if name] or details.authors
    builder = _EntryBuilder(source, feed_authors, skip_empty=problem is not None)
    builder.keep_html = keep_html
    builder.lang = primary_subtag(details.lang or feed.get("language"))
    base = _string(feed.get("link"))  # (for relative entry links, as xml:base would give)
    for number, entry in enumerate(entries, 1):
        more = details.entries[number - 1] if details.entries else ([], "", "", True)
        builder.add(number, partial(_fast_entry, entry, base, *more))
    return builder.result([problem] if problem else [])


def _fast_entry(
    entry: Mapping[str, Any],
    base: str,
    authors: list[str],
    lang: str,
    media_text: str,
    has_summary: bool,
) -> _Entry:
    content = _content(entry)
    published = parse_datetime(entry.get("published")) or parse_datetime(entry.get("updated"))
    return _Entry(
        key=str(entry.get("id") or entry.get("link") or ""),
        title=_markup_free(_string(entry.get("title"))),
        authors=authors or _authors(entry),
        content=_value(content),
        content_type=(content or {}).get("type"),
        summary=(_string(entry.get("description")) if has_summary else "") or media_text,
        summary_type=None if has_summary and entry.get("description") else "text",
        published=published,
        url=_absolute(_page_link(entry), _string((content or {}).get("base")) or base),
        tags=_tags(entry),
        lang=primary_subtag(lang or (content or {}).get("language")),
        enclosures=_enclosures(entry),
    )


def _parse_with_feedparser(path: Path, data: bytes, keep_html: bool) -> FeedResult:
    import feedparser

    # A file-like object: feedparser never treats it as a URL or a file name.
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
        if problem:
            raise ArticleError(problem)
        raise NoEntries("feed has no entries")
    feed: Mapping[str, Any] = parsed.get("feed") or {}
    version = str(parsed.get("version") or "")
    source = Source(
        path=str(path),
        format="atom" if version.startswith("atom") else "rss",
        name=_text(feed, "title") or None,
    )
    builder = _EntryBuilder(source, _authors(feed), skip_empty=problem is not None)
    builder.keep_html = keep_html
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
    if _EMAIL_AND_NAME.fullmatch(raw):  # (feedparser misreads it with long domain endings)
        return [_person(raw)]
    names = [
        clean_line(str(author.get("name") or ""))
        for author in (item.get("authors") or [])[:MAX_AUTHORS]
        if isinstance(author, Mapping)
    ]
    if any(names):
        return names
    detail = item.get("author_detail") or {}
    return [clean_line(str(detail.get("name") or raw))]


def _person(raw: str) -> str:
    """A name from RSS's "desk@example.news (Name)", else the text as it is."""
    email_and_name = _EMAIL_AND_NAME.fullmatch(raw)
    return clean_line(email_and_name.group(1)) if email_and_name else raw


def _content(entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """An entry's content: the first HTML one, else the first."""
    contents = [c for c in entry.get("content") or [] if isinstance(c, Mapping)]
    return next((c for c in contents if c.get("type") in _HTML_TYPES), None) or (
        contents[0] if contents else None
    )


def _tags(entry: Mapping[str, Any]) -> list[str]:
    return [
        clean_line(str(tag.get("label") or tag.get("term") or ""))
        for tag in entry.get("tags") or []
        if isinstance(tag, Mapping)
    ]


def _is_html(kind: str | None) -> bool:
    """A declared type of HTML (no type: HTML, as RSS's description is)."""
    return kind in _HTML_TYPES or kind is None


def _blocks(value: str, kind: str | None) -> list[Block]:
    return html_to_blocks(value) if _is_html(kind) else text_to_blocks(value)


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
    content = _content(entry)
    summary_detail = entry.get("summary_detail") or {}
    summary_html = _string(entry.get("summary"))
    # (feedparser copies a lone <content> to the summary: `_body` parses it once)
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        published = published or _utc(entry.get(key))
    details = [content or {}, summary_detail, entry.get("title_detail") or {}]
    declared = (d.get("language") for d in details if isinstance(d, Mapping))  # xml:lang
    return _Entry(
        key=str(entry.get("id") or entry.get("link") or ""),
        title=_text(entry, "title"),
        authors=_authors(entry),
        content=_value(content),
        content_type=(content or {}).get("type"),
        summary=summary_html,
        summary_type=summary_detail.get("type"),
        published=published,
        url=safe_url(entry.get("link")),
        tags=_tags(entry),
        lang=next(filter(None, map(primary_subtag, declared)), None),
        enclosures=_enclosures(entry),
    )


def _page_link(entry: Mapping[str, Any]) -> str:
    """The entry's page: its alternate link (fastfeedparser takes an Atom entry's first link,
    which may be its enclosure)."""
    alternate = (
        link for link in _list(entry.get("links")) if link.get("rel") in (None, "alternate")
    )
    return _string(next(alternate, {}).get("href")) or _string(entry.get("link"))


_MEDIA_KINDS = ("audio/", "video/")


def _enclosures(entry: Mapping[str, Any]) -> list[Enclosure]:
    """An entry's audio and video files: RSS `<enclosure>`, Atom's `rel="enclosure"` links,
    `media:content` and JSON Feed attachments (an image is a picture, not an episode)."""
    links = [link for link in _list(entry.get("links")) if link.get("rel") == "enclosure"]
    found: list[Enclosure] = []
    for item in [*_list(entry.get("enclosures")), *_list(entry.get("media_content")), *links]:
        url = safe_url(item.get("url") or item.get("href"))
        if url is None:
            continue
        kind = clean_line(_string(item.get("type") or item.get("mime_type")))[:100].lower()
        medium = _string(item.get("medium")).lower()
        guessed = mimetypes.guess_type(urlsplit(url).path)[0] or ""
        if not (kind or (f"{medium}/" if medium else "") or guessed).startswith(_MEDIA_KINDS):
            continue
        size = str(item.get("length") or item.get("filesize") or item.get("size_in_bytes"))
        length = int(size) if size.isascii() and size.isdigit() and len(size) < 16 else None
        found.append(Enclosure(url=url, type=kind or guessed or None, length=length))
    return found


def _list(value: object) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _value(content: Mapping[str, Any] | None) -> str:
    return _string(content.get("value")) if content is not None else ""


def _absolute(link: str, base: str) -> str | None:
    if link and base and "://" not in link[:12]:
        try:
            link = urljoin(base, link)
        except ValueError:
            return None
    return safe_url(link)


def _markup_free(title: str) -> str:
    """A title as text: fastfeedparser does not say whether it is HTML, so markup goes."""
    return clean_line(html_to_text(title) if "<" in title or "&" in title else title)


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


# -- JSON Feed


def is_json_feed(document: object) -> bool:
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and version.startswith(_JSON_FEED_PREFIXES)


def parse_json_feed(path: Path, feed: Mapping[str, Any], *, keep_html: bool = False) -> FeedResult:
    """A JSON Feed (https://jsonfeed.org) already loaded from JSON."""
    items = feed.get("items")
    if not isinstance(items, list):
        raise ArticleError("JSON Feed without an 'items' list")
    if not items:
        raise NoEntries("feed has no entries")
    title = feed.get("title")
    source = Source(
        path=str(path), format="jsonfeed", name=title if isinstance(title, str) else None
    )
    builder = _EntryBuilder(source, _json_authors(feed))
    builder.keep_html = keep_html
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

    html = text("content_html")
    item_id = item.get("id")
    tags = item.get("tags")
    return _Entry(
        key=str(item_id) if isinstance(item_id, (str, int)) else text("url"),
        title=clean_line(text("title")),
        authors=_json_authors(item),
        content=html or text("content_text"),
        content_type="html" if html else "text",
        summary=text("summary"),
        summary_type="text",
        published=parse_datetime(item.get("date_published") or item.get("date_modified")),
        url=safe_url(item.get("url")) or safe_url(item.get("external_url")),
        tags=[clean_line(str(tag)) for tag in tags if isinstance(tag, (str, int))]
        if isinstance(tags, list)
        else [],
        lang=primary_subtag(item.get("language")),
        enclosures=_enclosures({"enclosures": item.get("attachments")}),
    )


# -- entries to articles


class _Entry:
    """What one feed entry says, before it becomes an Article: its content and summary as
    given (HTML or text, by their declared types; None: HTML)."""

    def __init__(
        self,
        *,
        key: str,
        title: str,
        authors: list[str],
        content: str,
        content_type: str | None,
        summary: str,
        summary_type: str | None,
        published: datetime | None,
        url: str | None,
        tags: list[str],
        lang: str | None = None,
        enclosures: list[Enclosure] | None = None,
    ) -> None:
        self.key, self.title, self.authors = clean_line(key), title, authors
        self.enclosures = enclosures or []
        self.content, self.content_type = content, content_type
        self.summary, self.summary_type = summary, summary_type
        self.published, self.url = published, url
        self.tags = [tag for tag in dict.fromkeys(tags) if tag]
        self.lang = lang

    @property
    def is_empty(self) -> bool:
        has_text = self.content.strip() or self.summary.strip()
        return not (self.key or self.title or has_text or self.url)

    @property
    def html(self) -> str | None:
        """The content when it is HTML worth keeping as it is (see `read_feed`)."""
        return self.content if _is_html(self.content_type) and self.content.strip() else None

    def blocks_and_summary(self) -> tuple[list[Block], str]:
        """The content as blocks (else the summary's), and the summary as text."""
        blocks = _blocks(self.content, self.content_type) if self.content else []
        if blocks and self.summary == self.content:
            return blocks, ""  # (feedparser copies a lone <content> to the summary)
        if not blocks:
            return _blocks(self.summary, self.summary_type), ""
        return blocks, self.summary_text()

    def summary_text(self) -> str:
        return "" if self.summary == self.content else summary_of(self.summary, self.summary_type)

    @property
    def summary_markup(self) -> str | None:
        """The summary when it is HTML that would need parsing (see `read_feed`)."""
        has_markup = "<" in self.summary or "&" in self.summary
        if _is_html(self.summary_type) and has_markup and self.summary != self.content:
            return self.summary
        return None


def summary_of(summary: str, kind: str | None = None) -> str:
    """A summary (HTML unless `kind` says text) as text, as far as an Article keeps it."""
    head = 5 * SUMMARY_MAX_CHARS  # (most of a summary's head is text: parse that first)
    text = _text_of(summary[:head], kind)
    if len(text) < SUMMARY_MAX_CHARS and len(summary) > head:
        text = _text_of(summary, kind)
    return text


def _text_of(summary: str, kind: str | None) -> str:
    if "<" not in summary and "&" not in summary:
        return clean_line(summary)  # (no markup: the same text, without parsing)
    return " ".join(b.text for b in _blocks(summary, kind) if b.kind != "image")


class _EntryBuilder:
    """Articles from entries: ids unique within the file, bad entries become problems.

    With `keep_html`, an entry with a title, an id and HTML content is not made blocks: its
    article has none, and its content goes to `html` (and a summary with markup to
    `summary_html`), in the order of `articles`, as the feed gave it but for escape
    sequences and unsafe characters, to be made blocks (sanitised) when it is read: the
    fetcher's files, read by `jsonfile`. Parsing it once, when the index or `show` reads it,
    costs less than cleaning it for storage and parsing it again."""

    def __init__(
        self, source: Source, feed_authors: list[str], *, skip_empty: bool = False
    ) -> None:
        self.source = source
        self.feed_authors = feed_authors
        self.skip_empty = skip_empty  # in a malformed feed, an empty entry is debris
        self.articles: list[Article] = []
        self.html: list[str | None] = []
        self.summary_html: list[str | None] = []
        self.keep_html = False
        self.problems: list[str] = []
        self._ids: set[str] = set()
        self.lang: str | None = None  # the feed's language, for entries that declare none

    def add(self, number: int, read: Callable[[], _Entry]) -> None:
        try:
            entry = read()
            if self.skip_empty and entry.is_empty:
                self.problems.append(f"entry {number}: empty, skipped")
                return
            html = entry.html if self.keep_html and entry.title and entry.key else None
            summary = entry.summary_markup if html is not None else None
            self.articles.append(self._article(entry, html, summary is None))
            self.html.append(clean_text(html) if html is not None else None)
            self.summary_html.append(clean_text(summary) if summary is not None else None)
        except Exception as error:  # one odd entry must not cost the others
            self.problems.append(f"entry {number}: cannot read: {clean_line(str(error))[:200]}")

    def _article(self, entry: _Entry, html: str | None, with_summary: bool) -> Article:
        if html is None:
            blocks, summary = entry.blocks_and_summary()
            body = "\n".join(block.text for block in blocks if block.kind != "image")
            summary = without_lead(summary, body)
        else:  # (the lead rule applies when the HTML is read: `without_lead`)
            blocks, body = [], ""
            summary = entry.summary_text() if with_summary else ""
        title = entry.title or shorten(summary or body) or UNTITLED
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
            blocks=blocks,
            source=self.source,
            published=entry.published,
            url=entry.url,
            lang=entry.lang or self.lang,
            tags=entry.tags,
            enclosures=entry.enclosures,
        )

    def _unique(self, article_id: str) -> str:
        candidate, n = article_id, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{article_id}-{n}"
        self._ids.add(candidate)
        return candidate

    def result(self, problems: list[str]) -> FeedResult:
        if not self.articles:
            reasons = "; ".join([*problems, *self.problems][:3])
            raise ArticleError(f"no readable entries: {reasons}" if reasons else "no entries")
        return FeedResult(self.articles, problems + self.problems, self.html, self.summary_html)


@dataclass
class FeedResult(ParseResult):
    # With `keep_html` (see `_EntryBuilder`), in the order of `articles`: the content and the
    # summary kept as HTML (else None)
    html: list[str | None] = field(default_factory=list)
    summary_html: list[str | None] = field(default_factory=list)


def without_lead(summary: str, body: str) -> str:
    """The summary, unless it is just the start of the body."""
    return "" if opens_with(body, summary) else summary


def entry_id(key: str) -> str:
    """A stable article id for a feed entry from its id/guid (or link, or title and date)."""
    return "f-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
