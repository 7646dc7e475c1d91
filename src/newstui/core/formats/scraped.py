"""The scraped-article text format (`.txt`): the shape newstui was created from.

    Headline
    Standfirst (one line: a sentence or two)
    optional-slug-line

    Section heading
    Paragraphs and "pull quotes", separated by blank lines.

    Author Name            (twice, or once followed by a bio and "Read full bio →")
    Author Name
    Bio paragraph.
    Read full bio →
    You Might Also Like
    Related title, one per line

A plain headline-first file (headline, blank line, paragraphs) is the same format without
the optional parts. Rules, not a fit to one file:
see docs/formats.md ("The scraped-article text format").
"""

from __future__ import annotations

import re
from pathlib import Path

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.formats._fields import published_from_name, split_names
from newstui.core.formats.text import decode, looks_binary
from newstui.core.models import Article, Author, Block, BlockKind, Source, content_id, count_words
from newstui.core.sanitize import clean_text

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
OPENING_QUOTES = "\"“„«‘'‚‹"
CLOSING_QUOTES = "\"”»’'‹›“"
SENTENCE_END = ".!;:,…"
HEADING_MAX_WORDS = 14
NAME_MAX_WORDS = 8
HEADLINE_MAX_CHARS = 400
STANDFIRST_MAX_CHARS = 320
STANDFIRST_MAX_SENTENCES = 2
SENTENCE_BOUNDARY = re.compile(r"[.!?…][\"”’»)]*\s+\S")
YOU_MIGHT_ALSO_LIKE = "you might also like"
READ_FULL_BIO = re.compile(r"read (?:the )?full bio\b", re.IGNORECASE)
BYLINE = re.compile(r"by\s+(\S.*)", re.IGNORECASE)

Lines = list[str]


def parse(path: Path, data: bytes) -> ParseResult:
    if not data.strip():
        raise ArticleError("empty file")
    if looks_binary(data):
        raise ArticleError("binary data, not article text")
    return ParseResult([parse_text(decode(data), path)])


def parse_text(text: str, path: Path) -> Article:
    lines = [line.strip() for line in clean_text(text).split("\n")]
    title, summary, slug, rest = _split_header(lines)
    rest, related = _split_related(rest)
    blocks = _split_blocks(rest)
    blocks, authors = _split_authors(blocks)
    body = [_classify(block, is_last=i == len(blocks) - 1) for i, block in enumerate(blocks)]
    return Article(
        id=slug or content_id(title, "\n".join(block.text for block in body)),
        slug=slug,
        title=title,
        summary=summary,
        authors=authors,
        blocks=body,
        related=related,
        source=Source(path=str(path), format="txt"),
        published=published_from_name(path),
    )


def _split_header(lines: Lines) -> tuple[str, str, str | None, Lines]:
    """Headline, standfirst and slug; returns the remaining lines."""
    filled = [i for i, line in enumerate(lines) if line]
    if not filled:
        raise ArticleError("empty file")
    first = filled[0]
    title = lines[first]
    if len(title) > HEADLINE_MAX_CHARS or _is_marker(title):
        raise ArticleError("no headline: the first line is not a headline")
    if len(filled) < 2:
        return title, "", None, []
    second = filled[1]
    after = lines[second + 1] if second + 1 < len(lines) else ""
    if after and not SLUG.fullmatch(after):
        # The line under the headline continues into a paragraph: a plain headline-first file.
        return title, "", None, lines[second:]
    summary = lines[second]
    if SLUG.fullmatch(after):
        return title, summary, after, lines[second + 2 :]
    if not _is_standfirst(summary):
        return title, "", None, lines[second:]  # a long line under the headline: the body
    return title, summary, None, lines[second + 1 :]


def _is_standfirst(line: str) -> bool:
    """A sentence or two, not a paragraph."""
    return (
        len(line) <= STANDFIRST_MAX_CHARS
        and len(SENTENCE_BOUNDARY.findall(line)) < STANDFIRST_MAX_SENTENCES
    )


def _is_marker(line: str) -> bool:
    return _folded(line) == YOU_MIGHT_ALSO_LIKE or bool(READ_FULL_BIO.match(line))


def _folded(line: str) -> str:
    return line.rstrip(":").strip().casefold()


def _split_related(lines: Lines) -> tuple[Lines, list[str]]:
    """Everything from the last "You Might Also Like" line on is the related list."""
    for i in range(len(lines) - 1, -1, -1):
        if _folded(lines[i]) == YOU_MIGHT_ALSO_LIKE:
            return lines[:i], [line for line in lines[i + 1 :] if line]
    return lines, []


def _split_blocks(lines: Lines) -> list[Lines]:
    blocks: list[Lines] = []
    current: Lines = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


def _is_name(block: Lines) -> bool:
    if len(block) == 2 and block[0] != block[1]:
        return False
    words = block[0].split()
    return (
        len(block) <= 2
        and 0 < len(words) <= NAME_MAX_WORDS
        and not _ends_sentence(block[0])
        and not _is_marker(block[0])
    )


def _split_authors(blocks: list[Lines]) -> tuple[list[Lines], list[Author]]:
    """Peel the author block off the end of the body: one name, or several ("Ann Lee and Bo
    Chan"; a bio goes with the first)."""
    blocks, author = _split_author(blocks)
    if author is None:
        return blocks, []
    names = split_names(author.name)
    if len(names) < 2:
        return blocks, [author]
    return blocks, [
        Author(name=name, bio=None if n else author.bio) for n, name in enumerate(names)
    ]


def _split_author(blocks: list[Lines]) -> tuple[list[Lines], Author | None]:
    if blocks and READ_FULL_BIO.match(blocks[-1][-1]):
        # "Read full bio" may share a block with the bio; drop just that line.
        blocks = [*blocks[:-1], blocks[-1][:-1]] if len(blocks[-1]) > 1 else blocks[:-1]
        if len(blocks) >= 2 and _is_name(blocks[-2]):
            return blocks[:-2], Author(name=blocks[-2][0], bio=" ".join(blocks[-1]))
        if blocks and _is_name(blocks[-1]):
            return blocks[:-1], Author(name=blocks[-1][0])
        # A two-line block "Name\nBio..." before the marker.
        if blocks and len(blocks[-1]) >= 2 and _is_name(blocks[-1][:1]):
            return blocks[:-1], Author(name=blocks[-1][0], bio=" ".join(blocks[-1][1:]))
        return blocks, None
    for position in (-1, -2):
        if len(blocks) >= -position:
            block = blocks[position]
            if len(block) == 2 and _is_name(block):
                bio = " ".join(blocks[-1]) if position == -2 else None
                return blocks[:position], Author(name=block[0], bio=bio)
    if blocks and len(blocks[-1]) == 1:
        byline = BYLINE.fullmatch(blocks[-1][0])
        if byline and _is_name([byline.group(1)]):
            return blocks[:-1], Author(name=byline.group(1))
    return blocks, None


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSING_QUOTES + " ")
    return not stripped or stripped[-1] in SENTENCE_END


def _is_quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] in OPENING_QUOTES and text[-1] in CLOSING_QUOTES


def _classify(lines: Lines, *, is_last: bool) -> Block:
    text = " ".join(lines)
    if (
        len(lines) == 1
        and not is_last
        and not _ends_sentence(text)
        and count_words(text) <= HEADING_MAX_WORDS
    ):
        return _block("heading", text)
    if _is_quoted(text):
        return _block("quote", text)
    return _block("paragraph", text)


def _block(kind: BlockKind, text: str) -> Block:
    """A Block without validating it again: its text is cut from text `parse_text` cleaned
    already (a piece of clean text is clean). A tenth of the parse time, on every file."""
    return Block.model_construct(kind=kind, text=text)
