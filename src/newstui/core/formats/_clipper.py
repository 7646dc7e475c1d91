"""Clipper furniture: what web clippers put around an article, recognised and kept out of its body.

MarkDownload's `> ## Excerpt` blockquote (the summary), Omnivore's `[Read Original](url)` (the
article's address) and `[Read on Omnivore](…)` lines and its `#Omnivore` tag line (tags), and a site
name after ` | ` or ` - ` in a clipped title when it names the site the article came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newstui.core.formats._fields import safe_url

_EXCERPT = re.compile(
    r"^> ?#{1,6}[ \t]+Excerpt[ \t]*#*[ \t]*\n(?P<text>(?:>.*(?:\n|\Z))*)", re.MULTILINE | re.I
)
_QUOTE_MARK = re.compile(r"^> ?", re.MULTILINE)
_READ_LINE = re.compile(
    r"^[ \t]*\[(?P<label>Read Original|Read on [^\]\n]{1,40})\]"
    r"\(<?(?P<url>[^)\s>]*)>?\)[ \t]*(?:\n|\Z)",
    re.MULTILINE | re.I,
)
_HASHTAG_LINE = re.compile(r"#[^\s#]+(?:[ \t]+#[^\s#]+)*")
_HEADING_LINE = re.compile(r"#{1,6}(?:[ \t]|$)")
_SITE_SEPARATOR = re.compile(r"[ \t]+[|\-–—·][ \t]+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_MIN_SITE_CHARS = 3


@dataclass
class Furniture:
    body: str  # the Markdown body without the furniture
    excerpt: str = ""  # Markdown source of the excerpt block
    original_url: str | None = None
    tags: list[str] = field(default_factory=list)  # from a `#tag #tag` line at the top


def take_furniture(body: str) -> Furniture:
    furniture = Furniture(body)
    match = _EXCERPT.search(body)
    if match:
        furniture.excerpt = _QUOTE_MARK.sub("", match.group("text"))
        body = body[: match.start()] + body[match.end() :]
    for match in _READ_LINE.finditer(body):
        if match.group("label").lower() == "read original" and furniture.original_url is None:
            furniture.original_url = safe_url(match.group("url"))
    furniture.body = _READ_LINE.sub("", body)
    _take_leading_hashtags(furniture)
    return furniture


def _take_leading_hashtags(furniture: Furniture) -> None:
    """A `#tag #tag` line among the headings and blank lines the body starts with: tags."""
    lines = furniture.body.split("\n")
    for number, line in enumerate(lines):
        text = line.strip()
        if _HASHTAG_LINE.fullmatch(text):
            furniture.tags = [tag.lstrip("#") for tag in text.split()]
            furniture.body = "\n".join(lines[:number] + lines[number + 1 :])
            return
        if text and not _HEADING_LINE.match(text):
            return


def without_site_name(title: str, url: str | None) -> str:
    """`Tide tables | Harbour Weekly` -> `Tide tables` for a page on harbourweekly.example."""
    separators = list(_SITE_SEPARATOR.finditer(title))
    if not separators or not url:
        return title
    last = separators[-1]
    head, site = title[: last.start()].strip(), title[last.end() :]
    return head if head and names_site(site, url) else title


def names_site(name: str, url: str) -> bool:
    """Whether `name` ("Harbour Weekly", "BBC News") names the site of `url` (bbc.co.uk)."""
    folded = name.casefold()
    names = {_NOT_ALNUM.sub("", folded), _NOT_ALNUM.sub("", folded.removeprefix("the "))}
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = [_NOT_ALNUM.sub("", label) for label in host.split(".")[:-1]]
    return any(
        min(len(label), len(compact)) >= _MIN_SITE_CHARS
        and (compact.startswith(label) or label.startswith(compact))
        for label in labels
        for compact in names
    )
