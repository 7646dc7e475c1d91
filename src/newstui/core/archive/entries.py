"""What every export parser produces: one `Entry` per saved article, with its state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from newstui.core.models import Block

MAX_EXPORT_BYTES = 512 * 2**20  # an export file (or all of a zip's members) above this: refused
MAX_ENTRIES = 500_000


class ExportError(Exception):
    """A file that is no export newstui reads; the message is the one-line reason."""


@dataclass
class Entry:
    key: str  # the service's own id for it, else its URL: the article id is derived from it
    title: str
    url: str | None
    read: bool = False  # archived (or read) in the service
    starred: bool = False  # starred, favourite, liked
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    saved: datetime | None = None
    blocks: list[Block] | None = None  # None: only a URL, the page is to be fetched
    lang: str | None = None


@dataclass
class Export:
    service: str  # "wallabag", "pocket", ...: also the name of its folder
    entries: list[Entry]
    problems: list[str] = field(default_factory=list)  # entries skipped, and why
