"""wallabag's JSON export: a list of entries, each with the article's cleaned HTML.

Fields read: `id`, `title`, `url`, `content` (HTML), `is_archived`, `is_starred` (0/1 or
booleans), `tags` (labels), `published_by` (a list of authors), `published_at`,
`created_at`, `language`. An entry without content has its page fetched.
"""

from __future__ import annotations

from typing import Any

from newstui.core.archive._common import clean_line, parse_datetime, safe_url, tag_list, title_of
from newstui.core.archive.entries import Entry, Export
from newstui.core.formats._html_blocks import html_to_blocks

MAX_CONTENT_CHARS = 5_000_000
KEYS = frozenset({"is_archived", "is_starred", "content", "published_by", "reading_time"})


def is_wallabag(document: object) -> bool:
    return (
        isinstance(document, list)
        and bool(document)
        and any(isinstance(item, dict) and len(KEYS & set(item)) >= 2 for item in document[:20])
    )


def parse(document: list[Any]) -> Export:
    export = Export("wallabag", [])
    for number, item in enumerate(document, 1):
        if not isinstance(item, dict):
            export.problems.append(f"entry {number}: not an object; skipped")
            continue
        url = safe_url(item.get("url") or item.get("given_url"))
        content = item.get("content")
        blocks = None
        if isinstance(content, str) and content.strip():
            blocks = html_to_blocks(content[:MAX_CONTENT_CHARS], base=url) or None
        if url is None and blocks is None:
            export.problems.append(f"entry {number}: neither a URL nor content; skipped")
            continue
        key = item.get("id")
        export.entries.append(
            Entry(
                key=str(key)[:200] if isinstance(key, (int, str)) and key != "" else url or "",
                title=title_of(item.get("title"), url),
                url=url,
                read=_flag(item.get("is_archived")),
                starred=_flag(item.get("is_starred")),
                tags=tag_list([_label(tag) for tag in _listed(item.get("tags"))]),
                authors=tag_list(_listed(item.get("published_by"))),
                published=parse_datetime(item.get("published_at")),
                saved=parse_datetime(item.get("created_at")),
                blocks=blocks,
                lang=_lang(item.get("language")),
            )
        )
    return export


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true")
    return value is True or (isinstance(value, int) and value == 1)


def _listed(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, str) else []


def _label(tag: object) -> object:
    return tag.get("label") if isinstance(tag, dict) else tag


def _lang(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    primary = clean_line(value).replace("_", "-").split("-")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None
