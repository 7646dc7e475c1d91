"""Article formats: a registry from file extension to parser.

A parser takes the file's path and bytes and returns a `ParseResult`. It raises
`ArticleError` with a reason a person can act on when nothing usable is in the file;
recoverable trouble (one bad entry of a feed, a missing `</rss>`) goes into
`ParseResult.warnings`: the file's articles were recovered, so it is not a problem.
Parsers never touch the file system themselves, so the library controls all I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parsers import the models (pydantic) themselves, when first used
    from newstui.core.models import Article


class ArticleError(Exception):
    """A file that cannot be turned into articles; the message is the reason."""


class NoEntries(ArticleError):
    """A well-formed feed that lists no entries (today): a fetch takes it as nothing new."""


@dataclass
class ParseResult:
    articles: list[Article]
    warnings: list[str] = field(default_factory=list)  # what was skipped or repaired


Parser = Callable[[Path, bytes], ParseResult]

# extension -> "module:function", imported on first use so start-up stays cheap.
_REGISTRY: dict[str, str] = {
    ".txt": "newstui.core.formats.scraped:parse",
    ".md": "newstui.core.formats.markdown:parse",
    ".markdown": "newstui.core.formats.markdown:parse",
    ".json": "newstui.core.formats.jsonfile:parse",
    ".xml": "newstui.core.formats.feeds:parse",
    ".rss": "newstui.core.formats.feeds:parse",
    ".atom": "newstui.core.formats.feeds:parse",
    ".rdf": "newstui.core.formats.feeds:parse",
    ".html": "newstui.core.formats.html:parse",
    ".htm": "newstui.core.formats.html:parse",
}


def register(extension: str, target: str) -> None:
    _REGISTRY[extension.lower()] = target


def supported_extensions() -> frozenset[str]:
    return frozenset(_REGISTRY)


def parser_for(path: Path) -> Parser | None:
    target = _REGISTRY.get(path.suffix.lower())
    if target is None:
        return None
    module_name, _, function_name = target.partition(":")
    parser: Parser = getattr(import_module(module_name), function_name)
    return parser


def parse_bytes(path: Path, data: bytes) -> ParseResult:
    parser = parser_for(path)
    if parser is None:
        raise ArticleError(f"unsupported file type {path.suffix or '(none)'!r}")
    return parser(path, data)


def parse_file(path: Path) -> ParseResult:
    """Read and parse one file; every failure becomes an `ArticleError` with a reason."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ArticleError("is a directory, not a file") from None
    except OSError as error:
        raise ArticleError(read_failure(error)) from None
    return parse_bytes(path, data)


def read_failure(error: OSError) -> str:
    """Why a file could not be read, in words: "no such file", "permission denied"..."""
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot read: {error.strerror or error}"
