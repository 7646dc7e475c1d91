"""Markdown articles (`.md`, `.markdown`) with optional YAML (`---`) or TOML (`+++`) front matter.

Front matter keys: title, author (a name, or a mapping with name and bio), author_bio,
date, slug, summary, tags, related, url, lang (or language). Unknown keys are ignored.
Front matter that is not a key/value mapping, or not valid YAML/TOML, is skipped with a
problem record; the body is still read. The body is parsed by markdown-it-py (CommonMark
plus tables) into blocks; inline markup is flattened to its text. Without a title in the
front matter, the first level-1 heading is the title (and leaves the body); failing that,
the file name.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.formats._fields import (
    guarded,
    parse_datetime,
    published_from_name,
    safe_url,
    title_from_name,
)
from newstui.core.formats._html_blocks import html_to_blocks
from newstui.core.formats.text import decode, looks_binary
from newstui.core.lang import primary_subtag
from newstui.core.models import (
    Article,
    Author,
    Block,
    BlockKind,
    Source,
    content_id,
    normalise_title,
)
from newstui.core.sanitize import clean_line, clean_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_FRONT_MATTER = re.compile(
    r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)
_TEXT_KEYS = ("title", "author_bio", "slug", "summary", "url", "lang", "language")


@dataclass
class FrontMatter:
    fields: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@guarded
def parse(path: Path, data: bytes) -> ParseResult:
    if not data.strip():
        raise ArticleError("empty file")
    if looks_binary(data):
        raise ArticleError("binary data, not Markdown text")
    text = clean_text(decode(data))
    front, body = split_front_matter(text)
    blocks, first_h1 = markdown_blocks(body)
    if not blocks and not front.fields.get("title"):
        raise ArticleError("no article text")
    article = build_article(path, front, blocks, first_h1)
    return ParseResult([article], front.problems)


def build_article(
    path: Path, front: FrontMatter, blocks: list[Block], first_h1: int | None
) -> Article:
    meta = front.fields
    title = clean_line(meta.get("title") or "")
    if title:
        if blocks and blocks[0].kind == "heading" and _same_title(blocks[0].text, title):
            blocks = blocks[1:]  # the front matter title repeated as the first heading
    elif first_h1 is not None:
        title = blocks[first_h1].text
        blocks = blocks[:first_h1] + blocks[first_h1 + 1 :]
    else:
        title = title_from_name(path)
    slug = clean_line(meta.get("slug") or "") or None
    body = "\n".join(block.text for block in blocks)
    author = None
    if meta.get("author"):
        author = Author(name=meta["author"], bio=meta.get("author_bio") or None)
    return Article(
        id=slug or content_id(title, body),
        slug=slug,
        title=title,
        summary=meta.get("summary") or "",
        author=author,
        blocks=blocks,
        related=meta.get("related", []),
        source=Source(path=str(path), format="markdown"),
        published=meta.get("date") or published_from_name(path),
        url=safe_url(meta.get("url")),
        lang=primary_subtag(meta.get("lang") or meta.get("language")),
        tags=meta.get("tags", []),
    )


def _same_title(heading: str, title: str) -> bool:
    return normalise_title(heading) == normalise_title(title)


# -- front matter


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return FrontMatter(), text
    body = text[match.end() :]
    front = FrontMatter()
    raw, is_toml = match.group("body"), match.group("fence") == "+++"
    try:
        loaded = _load_toml(raw) if is_toml else _load_yaml(raw)
    except ValueError as error:
        front.problems.append(f"front matter ignored: {error}")
        return front, body
    if loaded is None:
        return front, body
    if not isinstance(loaded, dict):
        front.problems.append("front matter ignored: not a list of key: value fields")
        return front, body
    front.fields = _read_fields(loaded, front.problems)
    return front, body


def _load_yaml(raw: str) -> object:
    import yaml

    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = getattr(error, "problem", None) or "cannot be read"
        raise ValueError(f"invalid YAML: {reason}{where}") from None


def _load_toml(raw: str) -> object:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"invalid TOML: {error}") from None


def _read_fields(meta: dict[Any, Any], problems: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in _TEXT_KEYS:
        if meta.get(key) is not None:
            value = _scalar(meta[key])
            if value is None:
                problems.append(f"front matter: {key!r} should be text, ignored")
            else:
                fields[key] = value
    author = meta.get("author")
    if isinstance(author, dict):
        fields["author"] = _scalar(author.get("name")) or ""
        if author.get("bio") is not None and "author_bio" not in fields:
            fields["author_bio"] = _scalar(author["bio"]) or ""
    elif author is not None:
        fields["author"] = _scalar(author) or ""
        if not fields["author"]:
            problems.append("front matter: 'author' should be a name, ignored")
    date_value = meta.get("date", meta.get("published"))
    if date_value is not None:
        published = parse_datetime(date_value)
        if published is None:
            shown = clean_line(_scalar(date_value) or "")[:80]  # never str() a YAML alias bomb
            problems.append(f"front matter: unrecognised date {shown!r}")
        else:
            fields["date"] = published
    for key in ("tags", "related"):
        if meta.get(key) is not None:
            fields[key] = _list(meta[key], key, problems)
    return fields


def _scalar(value: object) -> str | None:
    """Text, numbers and dates as text; anything else (mappings, lists, booleans) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return None


def _list(value: object, key: str, problems: list[str]) -> list[str]:
    if isinstance(value, str):
        items: list[object] = list(value.split(",")) if key == "tags" else [value]
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    texts = [_scalar(item) for item in items]
    if any(text is None for text in texts):
        problems.append(f"front matter: {key!r} should be a list of text, some items ignored")
    return [clean_line(text) for text in texts if text and clean_line(text)]


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
            self._add(" | ".join(cell for cell in self.row if cell))
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

    def _add(self, text: str) -> None:
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        if not text:
            return
        kind = self._kind()
        if kind == "list_item" and self.item_prefix:
            text, self.item_prefix = self.item_prefix + text, ""
        if self.heading == "h1" and not self.containers and self.first_h1 is None:
            self.first_h1 = len(self.blocks)
        self.blocks.append(Block(kind=kind, text=text))

    def _inline(self, children: list[Token]) -> None:
        """Flatten inline markup to text; images follow their paragraph as blocks of their own."""
        parts: list[str] = []
        images: list[Block] = []
        for child in children:
            if child.type in {"text", "code_inline"}:
                parts.append(child.content)
            elif child.type == "softbreak":
                parts.append(" ")
            elif child.type == "hardbreak":
                parts.append("\n")
            elif child.type == "image":
                url = safe_url(child.attrGet("src"))
                if self.row is not None:
                    parts.append(child.content)
                elif url or child.content.strip():
                    images.append(Block(kind="image", text=child.content, url=url))
        if self.row is not None:
            self.row.append(" ".join("".join(parts).split()))
            return
        self._add("".join(parts))
        self.blocks.extend(images)
