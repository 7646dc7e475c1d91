"""The one place an imported or saved entry becomes an article file.

Each entry is one file, `<folder>/<title slug>-<article id>.json`, holding one Article in
the project's JSON format (`article.model_dump(mode="json")`), written whole with
`write_atomic`. The article id is derived from the service and the entry's key (the
service's id, else its URL), so importing the same export again finds every entry's file
by its id and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timezone
from pathlib import Path
from urllib.parse import urlsplit

from newstui.core.archive.entries import Entry
from newstui.core.fetch.files import write_atomic
from newstui.core.formats._fields import UNTITLED
from newstui.core.models import Article, Author, Block, Source

NOT_FETCHED_TAG = "page not fetched"
_ID_IN_NAME = re.compile(r"(i-[0-9a-f]{16})\.json$")
_SLUG_CHARS = re.compile(r"[^\w]+")


def article_id(service: str, key: str) -> str:
    digest = hashlib.sha256(f"{service}\n{key}".encode("utf-8", "surrogatepass")).hexdigest()
    return "i-" + digest[:16]


def written_ids(folder: Path) -> dict[str, Path]:
    """The article ids that already have a file in `folder` (from the file names)."""
    found: dict[str, Path] = {}
    try:
        for path in folder.iterdir():
            match = _ID_IN_NAME.search(path.name)
            if match and not path.name.startswith("."):
                found[match.group(1)] = path
    except FileNotFoundError:
        pass
    return found


def article_of(entry: Entry, service: str) -> Article:
    """The entry as an Article (without a body when its page is still to be fetched)."""
    published = entry.published or entry.saved
    return Article(
        id=article_id(service, entry.key),
        title=entry.title or UNTITLED,
        summary=entry.summary,
        authors=[Author(name=name) for name in entry.authors],
        blocks=entry.blocks or [],
        source=Source(path="", format="json"),  # its page may name the site; else the host
        published=published.astimezone(timezone.utc) if published else None,
        url=entry.url,
        lang=entry.lang,
        tags=entry.tags,
    )


def not_fetched(article: Article, reason: str) -> Article:
    """The article kept with its title and URL, marked: the reader shows why it is empty."""
    note = f"{NOT_FETCHED_TAG}: {reason}"
    blocks = [Block(kind="paragraph", text=note)]
    if article.url:
        blocks.append(Block(kind="paragraph", text=article.url))
    return article.model_copy(
        update={
            "title": article.title if article.title != UNTITLED else (article.url or UNTITLED),
            "summary": article.summary or note,
            "blocks": blocks,
            "tags": [*article.tags, NOT_FETCHED_TAG],
        }
    )


def write_article(folder: Path, article: Article) -> Path:
    path = folder / f"{_slug(article.title)}-{article.id}.json"
    fields = article.model_dump(mode="json", exclude={"word_count", "reading_minutes"})
    # (the path is where it is read from)
    fields["source"] = {"name": article.source.name or site_of(article.url)}
    data = json.dumps(fields, ensure_ascii=False, indent=1) + "\n"
    write_atomic(path, data.encode("utf-8"))
    return path


def site_of(url: str | None) -> str | None:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or None


def _slug(title: str) -> str:
    words = _SLUG_CHARS.sub("-", title.casefold()).strip("-_")[:60]
    while len(words.encode("utf-8", "surrogatepass")) > 150:  # file names have 255 bytes
        words = words[:-1]
    return words.rstrip("-_") or "article"
