"""HTML fragments (feed content, Markdown's raw HTML, fallback page text) to `Block`s.

Built on the standard library's tolerant `html.parser`: it never fetches or resolves
anything, and it never raises on bad markup. Scripts, styles and other invisible parts
are dropped; headings, paragraphs, quotes, list items, preformatted text and images map
to the block kinds of the same name.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from newstui.core.formats._fields import safe_url
from newstui.core.models import Block, BlockKind

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
_DECLARATION = re.compile(r"<!(?!--)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SPACES = re.compile(r"\s+")


def _breaks_block(tag: str) -> bool:
    return tag in _BREAKS_BLOCK or tag in _HEADINGS or tag in _CONTAINERS or tag == "pre"


class _BlockBuilder(HTMLParser):
    def __init__(self, *, skip_chrome: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._hidden = _INVISIBLE | _PAGE_CHROME if skip_chrome else _INVISIBLE
        self._open: list[str] = []  # open elements, innermost last
        self._hidden_tag: str | None = None  # inside this invisible element ...
        self._hidden_depth = 0  # ... nested this many times
        self._text: list[str] = []

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
        raw = "".join(self._text)
        self._text = []
        kind = self._kind()
        if kind == "code":
            code = raw.strip("\n")
            if code.strip():
                self.blocks.append(Block(kind="code", text=code))
            return
        for part in _PARAGRAPH_BREAK.split(raw):
            text = _SPACES.sub(" ", part).strip()
            if text:
                self.blocks.append(Block(kind=kind, text=text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_tag:
            self._hidden_depth += tag == self._hidden_tag
            return
        if tag in self._hidden:
            self._hidden_tag, self._hidden_depth = tag, 1
            return
        if tag == "br":
            self._text.append("\n")
        elif tag == "img":
            self._image(dict(attrs))
        elif tag == "hr":
            self._flush()
        elif tag not in _VOID:
            if _breaks_block(tag):
                self._flush()
            elif tag in {"td", "th"}:
                self._text.append(" ")
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._hidden_tag:
            if tag == self._hidden_tag:
                self._hidden_depth -= 1
                if not self._hidden_depth:
                    self._hidden_tag = None
            return
        if tag not in self._open:
            if tag == "p":  # a stray </p>: browsers make an empty paragraph of it
                self._text.append("\n\n")
            return
        # Close everything opened since `tag` (browsers' recovery for unclosed elements).
        start = len(self._open) - 1 - self._open[::-1].index(tag)
        if any(_breaks_block(open_tag) for open_tag in self._open[start:]):
            self._flush()
        del self._open[start:]

    def handle_data(self, data: str) -> None:
        if not self._hidden_tag:
            self._text.append(data)

    def _image(self, attrs: dict[str, str | None]) -> None:
        if attrs.get("width") in {"0", "1"} or attrs.get("height") in {"0", "1"}:
            return  # tracking pixels
        url = safe_url(attrs.get("src"))
        alt = _SPACES.sub(" ", attrs.get("alt") or attrs.get("title") or "").strip()
        if url is None and not alt:
            return
        self._flush()
        self.blocks.append(Block(kind="image", text=alt, url=url))

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_blocks(html: str, *, skip_chrome: bool = False) -> list[Block]:
    """Blocks of an HTML fragment or page; `skip_chrome` also drops nav/header/footer/aside."""
    try:
        return _build(html, skip_chrome)
    except AssertionError:
        return _build(escape_declarations(html), skip_chrome)


def escape_declarations(html: str) -> str:
    """html.parser gives up (AssertionError) on some odd `<!...` declarations: make them text."""
    return _DECLARATION.sub("&lt;!", html)


def _build(html: str, skip_chrome: bool) -> list[Block]:
    builder = _BlockBuilder(skip_chrome=skip_chrome)
    builder.feed(html)
    builder.close()
    return builder.blocks


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment on one line (titles, summaries)."""
    return " ".join(block.text for block in html_to_blocks(html) if block.text)


def text_to_blocks(text: str) -> list[Block]:
    """Plain text: paragraphs separated by blank lines."""
    parts = (_SPACES.sub(" ", part).strip() for part in _PARAGRAPH_BREAK.split(text))
    return [Block(kind="paragraph", text=part) for part in parts if part]
