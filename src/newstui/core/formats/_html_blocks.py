"""HTML fragments (feed content, Markdown's raw HTML, extracted page text) to `Block`s.

Parsed by lxml's HTML parser (libxml2) feeding the builder's start/data/end events, so no
tree is built: it never fetches anything, never raises on bad markup, and closes what bad
markup leaves open as browsers do. Scripts, styles, hidden elements and other invisible
parts are dropped; headings, paragraphs, quotes, list items, preformatted text and images
map to the block kinds of the same name; a formula (`<math>`) is its `alttext`. `<a href>`
becomes a `Link` over its text (relative links resolved against `base`); an image keeps its
alt text, else its figure's caption, and an image with neither (decoration) or an icon-sized
one is dropped.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newstui.core.formats._fields import safe_url
from newstui.core.models import Block, BlockKind, Link
from newstui.core.sanitize import clean_text

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content is never shown (and `template`/`svg` whose text is not prose).
_INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe"}
)
# Elements that are not article text on a whole page (used for the saved-page fallback).
_PAGE_CHROME = frozenset({"nav", "header", "footer", "aside", "form", "button", "select"})
_BREAKS_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "figure",
        "figcaption",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "hr",
        "center",
        "address",
        "details",
        "summary",
        "body",
        "html",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
    }
)
_CONTAINERS: dict[str, BlockKind] = {"blockquote": "quote", "li": "list_item"}
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
# Where a link starts (with its number) and ends, and where a <br> stood, in the text being
# gathered: private-use characters, removed from the page's own text first.
_OPEN, _NUMBER_END, _CLOSE, _BREAK = "\ue000", "\ue002", "\ue001", "\ue003"
_MARKERS = re.compile("[\ue000-\ue003]")
# Two line breaks in a row (blank between): a new paragraph; one is a line break in it.
_BREAKS = re.compile("\ue003(?:\\s*\ue003)+")
_MARK = re.compile("\ue000(\\d+)\ue002|\ue001")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ICON_PIXELS = 48  # an image this small (width or height attribute) is an icon or a badge
# An image's alt text that is only its file's name.
_FILE_NAME = re.compile(r"^[\w.+~-]+\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SPACES = re.compile(r"\s+")


def _breaks_block(tag: str) -> bool:
    return tag in _BREAKS_BLOCK or tag in _HEADINGS or tag in _CONTAINERS or tag == "pre"


def link_url(href: str | None, base: str | None = None) -> str | None:
    """An http(s) or mailto: URL worth following from a reader, `href` resolved against `base`."""
    href = (href or "").strip()
    if href.lower().startswith("mailto:"):
        return href if "@" in href and " " not in href else None
    if base and not href.startswith("#"):
        try:
            href = urljoin(base, href)
        except ValueError:
            return None
    url = safe_url(href)
    if url and base and urlsplit(url)._replace(fragment="") == urlsplit(base)._replace(fragment=""):
        return None  # a link to the page itself (a "#section" anchor)
    return url


def image_url(attrs: Mapping[str, str | None], base: str | None = None) -> str | None:
    """The picture of an <img>: `src`, or the `data-src` lazy loaders fill it from."""
    for name in ("src", "data-src", "data-original", "data-lazy-src"):
        value = (attrs.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return link_url(value, base) if not value.lower().startswith("mailto:") else None
    return None


def is_icon(attrs: Mapping[str, str | None]) -> bool:
    """Tracking pixels, icons and badges: an image given a tiny width or height."""
    for name in ("width", "height"):
        value = (attrs.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _ICON_PIXELS:
            return True
    return False


def _linked_text(raw: str, urls: list[str]) -> tuple[str, tuple[Link, ...]]:
    """`raw` with its white space folded and its link markers turned into `Link`s."""
    text, links, opened = "", [], []
    position = 0
    for mark in _MARK.finditer(raw + _CLOSE * raw.count(_OPEN)):
        text = _append(text, raw[position : mark.start()])
        position = min(mark.end(), len(raw))
        if mark.group(1) is not None:
            opened.append((len(text), urls[int(mark.group(1))]))
        elif opened:
            start, url = opened.pop()
            if not opened:  # links nested in links (bad markup): the outer one counts
                start += text[start : start + 1] in {" ", "\n"}
                end = len(text.rstrip(" \n"))
                if start < end:
                    links.append(Link(start=start, end=end, url=url))
    text = _append(text, raw[position:]).rstrip(" \n")
    return text, tuple(link for link in links if link.end <= len(text))


def _append(text: str, piece: str) -> str:
    """`piece` after `text`, its white space folded and its <br>s line breaks."""
    for number, line in enumerate(piece.split(_BREAK)):
        if number and text and not text.endswith("\n"):
            text = text.rstrip(" ") + "\n"
        line = _SPACES.sub(" ", line)
        text += line.lstrip(" ") if not text or text.endswith((" ", "\n")) else line
    return text


class _BlockBuilder:
    """lxml's parser target: `start`, `data`, `end` and `close` are called as it parses."""

    def __init__(self, *, skip_chrome: bool, base: str | None) -> None:
        self.blocks: list[Block] = []
        self._hidden = _INVISIBLE | _PAGE_CHROME if skip_chrome else _INVISIBLE
        self._base = base
        self._open: list[str] = []  # open elements, innermost last
        self._hidden_tag: str | None = None  # inside this invisible element ...
        self._hidden_depth = 0  # ... nested this many times
        self._text: list[str] = []
        self._urls: list[str] = []  # of the links marked in `_text`, by number
        self._links_open: list[bool] = []  # for each open <a>: whether it was marked
        self._figure_image: str | None = None  # an image without alt, waiting for a caption

    # -- the current block's kind, from the open elements
    def _kind(self) -> BlockKind:
        for tag in reversed(self._open):
            if tag == "pre":
                return "code"
            if tag in _HEADINGS:
                return "heading"
            if tag in _CONTAINERS:
                return _CONTAINERS[tag]
        return "paragraph"

    def _flush(self) -> None:
        if not self._text:
            return
        raw = "".join(self._text)
        self._text = []
        if raw.isspace():
            return
        raw = clean_text(raw)
        kind = self._kind()
        if kind == "code":
            code = _MARKERS.sub("", raw.replace(_BREAK, "\n")).strip("\n")
            if code.strip():
                self.blocks.append(Block(kind="code", text=code))
            return
        for part in _PARAGRAPH_BREAK.split(_BREAKS.sub("\n\n", raw)):
            text, links = _linked_text(part, self._urls)
            if text and self._figure_image and "figcaption" in self._open:
                self.blocks.append(Block(kind="image", text=text, url=self._figure_image))
                self._figure_image = None
            elif _MARKERS.sub("", text).strip():
                self.blocks.append(Block(kind=kind, text=text, links=links))

    def start(self, tag: str, values: Mapping[str, str]) -> None:
        if self._hidden_tag:
            self._hidden_depth += tag == self._hidden_tag
            return
        if tag in self._hidden or _is_hidden(values):
            if tag == "math" and (values.get("alttext") or "").strip():
                self._text.append(f" {_MARKERS.sub('', values['alttext'])} ")  # its TeX
            if tag not in _VOID:
                self._hidden_tag, self._hidden_depth = tag, 1
            return
        if tag == "br":
            self._text.append(_BREAK)
        elif tag == "img":
            self._image(values)
        elif tag == "hr":
            self._flush()
        elif tag not in _VOID:
            if _breaks_block(tag):
                self._flush()
            elif tag in {"td", "th"}:
                self._text.append(" ")
            elif tag == "a":
                url = link_url(values.get("href"), self._base)
                if url:
                    self._text.append(f"{_OPEN}{len(self._urls)}{_NUMBER_END}")
                    self._urls.append(url)
                self._links_open.append(url is not None)
            if tag == "figure":
                self._figure_image = None
            self._open.append(tag)

    def end(self, tag: str) -> None:
        if self._hidden_tag:
            if tag == self._hidden_tag:
                self._hidden_depth -= 1
                if not self._hidden_depth:
                    self._hidden_tag = None
            return
        if tag in _VOID:
            return
        if self._open and self._open[-1] == tag and tag != "a":  # (the parser nests properly)
            if _breaks_block(tag):
                self._flush()
            self._open.pop()
            if tag == "figure":
                self._figure_image = None
            return
        if tag not in self._open:
            if tag == "p":  # a stray </p>: browsers make an empty paragraph of it
                self._text.append("\n\n")
            return
        # Close everything opened since `tag` (browsers' recovery for unclosed elements).
        start = len(self._open) - 1 - self._open[::-1].index(tag)
        for _ in range(self._open[start:].count("a")):
            if self._links_open.pop():
                self._text.append(_CLOSE)
        if any(_breaks_block(open_tag) for open_tag in self._open[start:]):
            self._flush()
        del self._open[start:]
        if tag == "figure":
            self._figure_image = None

    def data(self, data: str) -> None:
        if not self._hidden_tag:
            self._text.append(_MARKERS.sub("", data))

    def _image(self, attrs: Mapping[str, str]) -> None:
        if is_icon(attrs):
            return
        url = image_url(attrs, self._base)
        alt = _SPACES.sub(" ", attrs.get("alt") or attrs.get("title") or "").strip()
        if _FILE_NAME.match(alt):
            alt = ""  # "airpods-pro-2.jpg" says nothing of the picture
        if not alt:  # decoration, unless its figure has a caption
            if url and "figure" in self._open:
                self._figure_image = url
            return
        self._flush()
        self.blocks.append(Block(kind="image", text=alt, url=url))

    def close(self) -> None:
        self._flush()


def _is_hidden(attrs: Mapping[str, str]) -> bool:
    return bool(attrs) and (
        "hidden" in attrs
        or (attrs.get("aria-hidden") or "").lower() == "true"
        or bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))
    )


def html_to_blocks(html: str, *, skip_chrome: bool = False, base: str | None = None) -> list[Block]:
    """Blocks of an HTML fragment or page; `skip_chrome` also drops nav/header/footer/aside.
    Relative links and images are resolved against `base` (the page's URL) when given."""
    if not html.strip():
        return []  # (libxml2 would give no events at all)
    builder = _BlockBuilder(skip_chrome=skip_chrome, base=base)
    parser, target = _thread_parser()
    target.builder = builder
    try:
        parser.feed(html.replace("\0", "") if "\0" in html else html)  # (NUL ends a C string)
        parser.close()
    except BaseException:
        del _PARSERS.parser  # (a parser stopped midway is not used again)
        raise
    return builder.blocks


class _Target:
    """lxml's parser target, handing events to the builder of the moment: one target and
    parser per thread, as lxml inspects a new target's methods (slower than a small page)."""

    builder: _BlockBuilder

    def start(self, tag: str, attributes: Mapping[str, str]) -> None:
        self.builder.start(tag, attributes)

    def end(self, tag: str) -> None:
        self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> None:
        self.builder.close()


_PARSERS = threading.local()


def _thread_parser() -> tuple[Any, _Target]:
    if not hasattr(_PARSERS, "parser"):
        target = _Target()
        _PARSERS.parser = (
            etree.HTMLParser(target=target, no_network=True, remove_comments=True, remove_pis=True),
            target,
        )
    parser: tuple[Any, _Target] = _PARSERS.parser
    return parser


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment on one line (titles, summaries)."""
    return " ".join(block.text for block in html_to_blocks(html) if block.text)


def text_to_blocks(text: str) -> list[Block]:
    """Plain text: paragraphs separated by blank lines."""
    parts = (_SPACES.sub(" ", part).strip() for part in _PARAGRAPH_BREAK.split(text))
    return [Block(kind="paragraph", text=part) for part in parts if part]
