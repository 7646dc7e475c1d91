"""Finding article files in a library folder and turning them into index records.

`walk()` walks the folder (read-only: nothing is ever written there); `parse_files()`
reads and parses a batch of files into plain tuples, so it can run in a worker process
and hand back only picklable data.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from newstui.core.formats import ArticleError, parse_bytes, supported_extensions
from newstui.core.index.words import word_runs
from newstui.core.lang import effective_language

if TYPE_CHECKING:  # the models (pydantic) are imported where first used: a refresh that
    from newstui.core.index.related import Prepared
    from newstui.core.models import Article, Block  # finds nothing new never needs them

MAX_FILE_BYTES = 5 * 1024 * 1024


class FileStat(NamedTuple):
    path: str
    size: int
    mtime_ns: int


def walk(folder: Path, problems: list[tuple[str, str]]) -> Iterator[FileStat]:
    """Every supported, visible file under `folder`, following symbolic links, one at a
    time (a refresh compares them as they come: nothing of 100,000 files is kept twice).

    Hidden files and folders (name starting with ".") are skipped; a folder reached twice
    (a symlink loop or a second link to it) is walked only the first time; files over
    `MAX_FILE_BYTES`, unreadable folders and names that are not UTF-8 are appended to
    `problems` as (path, reason). The order is the file system's: sort where it matters.
    """
    suffixes = tuple(supported_extensions())
    is_file = stat.S_ISREG  # (a local: this loop runs 100,000 times)
    seen_dirs: set[tuple[int, int]] = set()
    root = os.path.abspath(folder)
    try:
        info = os.stat(root)
    except OSError as error:
        problems.append((root, _reason(error)))
        return
    seen_dirs.add((info.st_dev, info.st_ino))
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:
            problems.append((directory, _reason(error)))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                if not is_dir and not name.lower().endswith(suffixes):
                    continue
                if not name.isascii() and not _is_utf8(name):
                    shown = os.fsencode(entry.path).decode("utf-8", "replace")
                    problems.append((shown, "the name is not valid UTF-8; rename it"))
                    continue
                info = entry.stat()
            except OSError as error:
                if entry.is_symlink():
                    problems.append((entry.path, "broken symbolic link"))
                else:
                    problems.append((entry.path, _reason(error)))
                continue
            if is_dir:
                key = (info.st_dev, info.st_ino)
                if key not in seen_dirs:
                    seen_dirs.add(key)
                    pending.append(entry.path)
            elif not is_file(info.st_mode):
                continue
            elif info.st_size > MAX_FILE_BYTES:
                problems.append((entry.path, too_large(info.st_size)))
            else:
                yield FileStat(entry.path, info.st_size, info.st_mtime_ns)


def _is_utf8(name: str) -> bool:
    """False for names that are not UTF-8 on disk (kept by Python as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def too_large(size: int) -> str:
    return f"too large ({size / 1_048_576:.1f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB)"


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    return f"cannot read: {error.strerror or error}"


Prepare = Callable[[str, str, "str | None"], "Prepared"]  # related.prepare: title, text, lang


class Record(NamedTuple):
    """One article as the index stores it (picklable: made in worker processes)."""

    id: str
    title: str
    summary: str
    author: str | None  # the byline: every author's name (`Article.author`)
    body: str
    published: str | None  # ISO 8601
    date_key: float | None  # unix time; naive dates are taken as UTC
    title_key: str
    author_key: str | None  # the byline, casefolded (the author sort)
    authors: tuple[tuple[str, str | None], ...]  # (name, bio) of each, in order
    format: str
    word_count: int
    norm_title: str
    body_hash: str
    meta: str  # JSON: everything else needed to rebuild the Article
    lang: str | None = None  # declared, else detected (`lang.effective_language`)
    words: Prepared | None = None  # related.prepare(title, summary + body, lang), by the parser


@dataclass
class ParsedFile:
    path: str
    size: int
    mtime_ns: int
    records: list[Record]
    problems: list[str]  # why nothing could be read from it (then `records` is empty)
    retry: bool = False  # an I/O failure: try again next time even if size and mtime agree
    warnings: list[str] = field(default_factory=list)  # trouble its records were recovered from


def parse_files(files: Iterable[FileStat], prepare: Prepare | None = None) -> list[ParsedFile]:
    """Read and parse each file; a failure becomes a problem of that file only.

    With `prepare` (the related-stories scorer's), each record also carries its words:
    that work then happens here, in the worker processes, not in the one that stores."""
    return [parse_one(file, prepare) for file in files]


def parse_one(file: FileStat, prepare: Prepare | None = None) -> ParsedFile:
    path = Path(file.path)
    try:
        with open(file.path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return ParsedFile(file.path, file.size, file.mtime_ns, [], [_reason(error)], retry=True)
    if len(data) > MAX_FILE_BYTES:
        return ParsedFile(file.path, file.size, file.mtime_ns, [], [too_large(len(data))], True)
    try:
        result = parse_bytes(path, data)
        records = [to_record(article, file.path, prepare) for article in result.articles]
    except ArticleError as error:
        return ParsedFile(file.path, file.size, file.mtime_ns, [], [str(error) or "unreadable"])
    except Exception as error:  # a parser bug must not stop the scan
        reason = f"cannot parse: {type(error).__name__}: {error}".splitlines()[0][:300]
        return ParsedFile(file.path, file.size, file.mtime_ns, [], [reason])
    if not records:  # (a parser raises instead, but a file of no articles is still a problem)
        problems = list(result.warnings) or ["no articles in this file"]
        return ParsedFile(file.path, file.size, file.mtime_ns, [], problems)
    return ParsedFile(file.path, file.size, file.mtime_ns, records, [], warnings=result.warnings)


BLOCK_SEPARATOR = "\n\n"
# Block kinds stored as one letter; a kind added later is stored by its name.
KIND_CODES = {
    "heading": "h",
    "paragraph": "p",
    "quote": "q",
    "list_item": "l",
    "code": "c",
    "image": "i",
}
KINDS = {code: kind for kind, code in KIND_CODES.items()}


def to_record(article: Article, file_path: str, prepare: Prepare | None = None) -> Record:
    from newstui.core.models import normalise_title  # (loaded already: the parser made `article`)

    body = BLOCK_SEPARATOR.join(block.text for block in article.blocks)
    text = article.summary + "\n\n" + body
    language = effective_language(article.lang, article.title, text)
    published = article.published
    date_key = None
    if published is not None:
        aware = published if published.tzinfo else published.replace(tzinfo=timezone.utc)
        date_key = aware.timestamp()
    byline = article.author
    blocks = [_block_record(block) for block in article.blocks]
    meta: dict[str, object] = {"slug": article.slug, "blocks": blocks}
    if article.related:
        meta["related"] = article.related
    if article.source.path != file_path:
        meta["source_path"] = article.source.path
    extras = (
        ("source_name", article.source.name),
        ("url", article.url),
        ("feed", article.feed),
        ("lang", language),
        ("dir", article.direction),
    )
    for key, value in extras:
        if value:
            meta[key] = value
    if article.tags:
        meta["tags"] = article.tags
    if article.enclosures:
        meta["enclosures"] = [e.model_dump(exclude_none=True) for e in article.enclosures]
    if article.meta:
        meta["meta"] = article.meta
    return Record(
        id=article.id,
        title=article.title,
        summary=article.summary,
        author=byline.name if byline else None,
        body=body,
        published=published.isoformat() if published else None,
        date_key=date_key,
        title_key=article.title.casefold(),
        author_key=byline.name.casefold() if byline else None,
        authors=tuple((author.name, author.bio or None) for author in article.authors),
        format=article.source.format,
        word_count=word_count(body),
        norm_title=normalise_title(article.title),
        body_hash=body_hash(body),
        meta=json.dumps(meta, ensure_ascii=False, separators=(",", ":")),
        lang=language,
        words=prepare(article.title, text, language) if prepare else None,
    )


def _block_record(block: Block) -> list[object]:
    """[kind, length], then the image URL (or null) and the links as [start, end, url]."""
    record: list[object] = [KIND_CODES.get(block.kind, block.kind), len(block.text)]
    if block.url or block.links:
        record.append(block.url)
    if block.links:
        record.append([[link.start, link.end, link.url] for link in block.links])
    return record


_WORD_RUN = re.compile(r"\w+")
_APOSTROPHES = ("'", "’")


def word_count(text: str) -> int:
    """`models.count_words(text)`, two to four times as fast: runs of word characters, less
    the apostrophes that join two runs into one word ("it's", "rock'n'roll")."""
    runs = word_runs(text)
    count = len(runs if runs is not None else _WORD_RUN.findall(text))
    for apostrophe in _APOSTROPHES:
        position = text.find(apostrophe, 1)
        while position > 0:
            if (
                position + 1 < len(text)
                and _is_word_char(text[position - 1])
                and _is_word_char(text[position + 1])
            ):
                count -= 1
            position = text.find(apostrophe, position + 1)
    return count


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def body_hash(body: str) -> str:
    """Equal for bodies that differ only in case and white space: exact duplicates."""
    normalised = " ".join(body.casefold().split())
    return hashlib.blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def from_record(
    path: str,
    fmt: str,
    article_id: str,
    title: str,
    summary: str,
    authors: list[tuple[str, str | None]],
    body: str,
    published: str | None,
    meta_json: str,
) -> Article:
    """Rebuild the Article a record was made from (the inverse of `to_record`)."""
    from newstui.core.models import Article

    meta = json.loads(meta_json)
    blocks = []
    start = 0
    for kind, length, *rest in meta["blocks"]:
        text = body[start : start + length]
        links = [{"start": s, "end": e, "url": url} for s, e, url in rest[1]] if rest[1:] else []
        blocks.append(
            {
                "kind": KINDS.get(kind, kind),
                "text": text,
                "url": rest[0] if rest else None,
                "links": links,
            }
        )
        start += length + len(BLOCK_SEPARATOR)
    source = {"path": meta.get("source_path", path), "format": fmt, "name": meta.get("source_name")}
    return Article.model_validate(
        {
            "id": article_id,
            "slug": meta["slug"],
            "title": title,
            "summary": summary,
            "authors": [{"name": name, "bio": bio} for name, bio in authors],
            "blocks": blocks,
            "related": meta.get("related", []),
            "source": source,
            "published": datetime.fromisoformat(published) if published else None,
            "url": meta.get("url"),
            "feed": meta.get("feed"),
            "lang": meta.get("lang"),
            "direction": meta.get("dir"),
            "tags": meta.get("tags", []),
            "enclosures": meta.get("enclosures", []),
            "meta": meta.get("meta", {}),
        }
    )
