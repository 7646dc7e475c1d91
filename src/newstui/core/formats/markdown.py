"""Markdown articles (`.md`, `.markdown`) with optional YAML (`---`) or TOML (`+++`) front matter.

Front matter is read as clippers and site generators write it (`_front_matter`: title, authors,
source URL, summary, dates, tags, lang); clipper furniture (`_clipper`: an excerpt block,
"Read Original" lines, a site name in the title) is recognised and kept out of the body. The
body is parsed by markdown-it-py (CommonMark plus tables) into blocks; inline markup is
flattened to its text, links kept as `Link`s. Without a title in the front matter, the first
level-1 heading is the title (and leaves the body); failing that, the file name. A title
repeated as the first heading leaves the body too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.formats._clipper import take_furniture, without_site_name
from newstui.core.formats._fields import guarded, published_from_name, safe_url, title_from_name
from newstui.core.formats._front_matter import FrontMatter, split_front_matter
from newstui.core.formats._html_blocks import html_to_blocks, link_url
from newstui.core.formats.text import decode, looks_binary
from newstui.core.models import (
    Article,
    Block,
    BlockKind,
    Link,
    Source,
    content_id,
    normalise_title,
)
from newstui.core.sanitize import clean_text


@guarded
def parse(path: Path, data: bytes) -> ParseResult:
    if not data.strip():
        raise ArticleError("empty file")
    if looks_binary(data):
        raise ArticleError("binary data, not Markdown text")
    text = clean_text(decode(data))
    front, body = split_front_matter(text)
    furniture = take_furniture(body)
    blocks, first_h1 = markdown_blocks(furniture.body)
    if not blocks and not front.title:
        raise ArticleError("no article text")
    if not front.summary and furniture.excerpt:
        front.summary = " ".join(block.text for block in markdown_blocks(furniture.excerpt)[0])
    front.url = front.url or furniture.original_url
    front.tags += [tag for tag in furniture.tags if tag not in front.tags]
    article = build_article(path, front, blocks, first_h1)
    return ParseResult([article], front.problems)


def build_article(
    path: Path, front: FrontMatter, blocks: list[Block], first_h1: int | None
) -> Article:
    title = front.title
    if title:
        if blocks and blocks[0].kind == "heading" and _same_title(blocks[0].text, title, front.url):
            blocks = blocks[1:]  # the front matter title repeated as the first heading
    elif first_h1 is not None:
        title = blocks[first_h1].text
        blocks = blocks[:first_h1] + blocks[first_h1 + 1 :]
    else:
        title = title_from_name(path)
    title = without_site_name(title, front.url)
    slug = front.slug or None
    body = "\n".join(block.text for block in blocks)
    return Article(
        id=slug or content_id(title, body),
        slug=slug,
        title=title,
        summary=front.summary,
        authors=front.authors,
        blocks=blocks,
        related=front.related,
        source=Source(path=str(path), format="markdown"),
        published=front.published or published_from_name(path),
        url=front.url,
        lang=front.lang,
        tags=front.tags,
        meta=front.meta,
    )


def _same_title(heading: str, title: str, url: str | None) -> bool:
    """Whether `heading` repeats `title`, either of them with or without its site name."""

    def forms(text: str) -> set[str]:
        return {normalise_title(text), normalise_title(without_site_name(text, url))}

    return not forms(heading).isdisjoint(forms(title))


# -- body


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_blocks(source: str) -> tuple[list[Block], int | None]:
    """The blocks of a Markdown body, and the index of its first top-level `#` heading."""
    walker = _BlockWalker()
    walker.walk(_markdown().parse(source))
    return walker.blocks, walker.first_h1


class _BlockWalker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.containers: list[BlockKind] = []  # open quotes and list items, innermost last
        self.heading: str | None = None  # tag of the open heading
        self.item_prefix = ""  # "3. " for the first paragraph of an ordered list item
        self.row: list[str] | None = None  # cells of the open table row
        self.first_h1: int | None = None

    def walk(self, tokens: list[Token]) -> list[Block]:
        for token in tokens:
            self.visit(token)
        return self.blocks

    def visit(self, token: Token) -> None:
        kind = token.type
        if kind == "blockquote_open":
            self.containers.append("quote")
        elif kind == "list_item_open":
            self.containers.append("list_item")
            self.item_prefix = f"{token.info}{token.markup} " if token.info else ""
        elif kind in {"blockquote_close", "list_item_close"} and self.containers:
            self.containers.pop()
        elif kind == "heading_open":
            self.heading = token.tag
        elif kind == "heading_close":
            self.heading = None
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self._add([" | ".join(cell for cell in self.row if cell)])
            self.row = None
        elif kind in {"fence", "code_block"}:
            code = token.content.strip("\n")
            if code.strip():
                self.blocks.append(Block(kind="code", text=code))
        elif kind == "html_block":
            for block in html_to_blocks(token.content):
                if block.kind == "paragraph" and self.containers:
                    block = block.model_copy(update={"kind": self.containers[-1]})
                self.blocks.append(block)
        elif kind == "inline":
            self._inline(token.children or [])

    def _kind(self) -> BlockKind:
        if self.heading:
            return "heading"
        return self.containers[-1] if self.containers else "paragraph"

    def _add(self, pieces: list[_Piece]) -> None:
        text, links = _linked_text(pieces)
        if not text:
            return
        kind = self._kind()
        if kind == "list_item" and self.item_prefix:
            shift = len(self.item_prefix)
            text, self.item_prefix = self.item_prefix + text, ""
            links = tuple(
                Link(start=link.start + shift, end=link.end + shift, url=link.url) for link in links
            )
        if self.heading == "h1" and not self.containers and self.first_h1 is None:
            self.first_h1 = len(self.blocks)
        self.blocks.append(Block(kind=kind, text=text, links=links))

    def _inline(self, children: list[Token]) -> None:
        """Flatten inline markup to text with its links; images follow their paragraph as
        blocks of their own."""
        pieces: list[_Piece] = []
        images: list[Block] = []
        for child in children:
            if child.type in {"text", "code_inline"}:
                pieces.append(child.content)
            elif child.type == "softbreak":
                pieces.append(" ")
            elif child.type == "hardbreak":
                pieces.append("\n")
            elif child.type == "link_open":
                href = child.attrGet("href")
                pieces.append(_Open(link_url(href if isinstance(href, str) else None)))
            elif child.type == "link_close":
                pieces.append(_CLOSE)
            elif child.type == "image":
                url = safe_url(child.attrGet("src"))
                if self.row is not None:
                    pieces.append(child.content)
                elif url or child.content.strip():
                    images.append(Block(kind="image", text=child.content, url=url))
        if self.row is not None:
            self.row.append(" ".join(_linked_text(pieces)[0].split()))
            return
        self._add(pieces)
        self.blocks.extend(images)


@dataclass(frozen=True)
class _Open:
    url: str | None  # None for a link not worth keeping (relative, javascript:)


_CLOSE = None
_WHITE_SPACE = re.compile(r"\s+")
_Piece = str | _Open | None  # text, a link's start, a link's end


def _linked_text(pieces: list[_Piece]) -> tuple[str, tuple[Link, ...]]:
    """The pieces' text, each line's white space folded, and its links as spans of it."""
    text, links = "", []
    opened: tuple[int, str | None] | None = None
    for piece in pieces:
        if isinstance(piece, _Open):
            opened = (len(text), piece.url)
        elif piece is None:
            if opened is not None and opened[1]:
                start = opened[0] + (text[opened[0] : opened[0] + 1] == " ")
                end = len(text.rstrip(" "))
                if start < end:
                    links.append(Link(start=start, end=end, url=opened[1]))
            opened = None
        else:
            for number, line in enumerate(piece.split("\n")):
                if number and text:
                    text = text.rstrip(" ") + "\n"
                words = _WHITE_SPACE.sub(" ", line)
                text += words.lstrip(" ") if not text or text.endswith((" ", "\n")) else words
    text = text.rstrip()
    return text, tuple(link for link in links if link.end <= len(text))
