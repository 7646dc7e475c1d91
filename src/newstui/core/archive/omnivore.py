"""Omnivore's exports (Omnivore closed in 2024).

- The service's own export, a zip: `metadata_N_to_M.json` files (lists of `id`, `slug`,
  `title`, `description`, `author`, `url`, `state` "archived"/"active", `labels`,
  `savedAt`, `publishedAt`, ...) and the article's HTML in `content/<slug>.html`.
- Markdown as Omnivore's Obsidian plugin wrote it (a folder of `.md` files, or a zip of
  them): front matter with `id`, `title`, `author`, `tags`, `date_saved`, `date_published`
  and, when the template had it, `state` (ARCHIVED or COMPLETED are read), and the
  "[Read on Omnivore]" / "[Read Original](url)" lines, read by the Markdown format.
Entries without content have their page fetched. Markdown files without a trace of
Omnivore are imported all the same, as the "markdown" service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newstui.core.archive._common import clean_line, parse_datetime, safe_url, tag_list, title_of
from newstui.core.archive.entries import Entry, Export
from newstui.core.formats import ArticleError
from newstui.core.formats._html_blocks import html_to_blocks

MAX_CONTENT_CHARS = 5_000_000
_READ_STATES = frozenset({"archived", "completed"})


def is_metadata(document: object) -> bool:
    return (
        isinstance(document, list)
        and bool(document)
        and any(
            isinstance(item, dict) and {"slug", "savedAt"} <= set(item) for item in document[:20]
        )
    )


def parse_metadata(items: list[Any], contents: dict[str, str]) -> Export:
    """`items` from every metadata file; `contents` maps a slug to its HTML."""
    export = Export("omnivore", [])
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            export.problems.append(f"item {number}: not an object; skipped")
            continue
        url = safe_url(item.get("url"))
        slug = str(item.get("slug") or "")
        html = contents.get(slug, "")
        blocks = (html_to_blocks(html[:MAX_CONTENT_CHARS], base=url) or None) if html else None
        if url is None and blocks is None:
            export.problems.append(f"item {number}: neither a URL nor content; skipped")
            continue
        key = item.get("id")
        author = item.get("author")
        export.entries.append(
            Entry(
                key=str(key)[:200] if isinstance(key, str) and key else (url or slug),
                title=title_of(item.get("title"), url),
                url=url,
                read=str(item.get("state", "")).lower() in _READ_STATES,
                tags=tag_list(item.get("labels") or []),
                summary=clean_line(item.get("description") or "")[:2000],
                authors=[clean_line(author)[:200]] if isinstance(author, str) and author else [],
                published=parse_datetime(item.get("publishedAt")),
                saved=parse_datetime(item.get("savedAt")),
                blocks=blocks,
            )
        )
    return export


def parse_markdown(files: list[tuple[str, bytes]]) -> Export:
    """Each `(name, bytes)` of an exported `.md` file."""
    from newstui.core.formats._front_matter import front_matter_table
    from newstui.core.formats.markdown import parse
    from newstui.core.formats.text import decode

    omnivore = any(b"omnivore" in data.lower() for _, data in files[:50])
    export = Export("omnivore" if omnivore else "markdown", [])
    for name, data in files:
        try:
            article = parse(Path(name), data).articles[0]
        except (ArticleError, IndexError) as error:
            export.problems.append(f"{name}: {error}; skipped")
            continue
        table = front_matter_table(decode(data))
        key = table.get("id")
        state = str(table.get("state", "")).lower()
        export.entries.append(
            Entry(
                key=str(key)[:200] if isinstance(key, (str, int)) and key else article.url or name,
                title=article.title,
                url=article.url,
                read=state in _READ_STATES,
                tags=[tag for tag in article.tags if tag.lower() != "omnivore"],
                summary=article.summary,
                authors=[article.author.name] if article.author else [],
                published=article.published,
                saved=parse_datetime(table.get("date_saved")),
                blocks=article.blocks or None,
                lang=article.lang,
            )
        )
    return export
