"""Pocket's exports (Pocket closed in 2025).

- The CSV export: `title,url,time_added,tags,status`; `status` is "unread" or "archive",
  `tags` are separated by `|`, `time_added` is in Unix seconds. A `favorite` column, when a
  tool added one, stars the entry.
- The older HTML export: `<h1>Unread</h1><ul><li><a href="URL" time_added="…"
  tags="a,b">Title</a></li>…</ul>`, then `<h1>Read Archive</h1>` and its list.

Neither holds the article's text: each entry's page is fetched.
"""

from __future__ import annotations

from newstui.core.archive._common import (
    clean_line,
    csv_rows,
    row_url,
    safe_url,
    tag_list,
    title_of,
    unix_time,
)
from newstui.core.archive.entries import Entry, Export

CSV_COLUMNS = frozenset({"title", "url", "time_added"})
_TRUE = frozenset({"1", "true", "yes"})


def parse_csv(text: str) -> Export:
    export = Export("pocket", [])
    for line, row in csv_rows(text):
        url = row_url(row, line, export.problems)
        if url is None:
            continue
        favourite = row.get("favorite") or row.get("favourite") or row.get("starred") or ""
        export.entries.append(
            Entry(
                key=url,
                title=title_of(row.get("title"), url),
                url=url,
                read=row.get("status", "").strip().lower() in ("archive", "archived", "read"),
                starred=favourite.strip().lower() in _TRUE,
                tags=tag_list(row.get("tags", ""), "|,"),
                saved=unix_time(row.get("time_added")),
            )
        )
    return export


def looks_like_html_export(text: str) -> bool:
    head = text[:4096].lower()
    return "<h1>unread</h1>" in head.replace(" ", "") or "pocket export" in head


def parse_html(text: str) -> Export:
    import lxml.html

    export = Export("pocket", [])
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except Exception:  # lxml's ParserError: no elements at all
        return export
    read = False
    for element in tree.iter("h1", "h2", "a"):
        if element.tag in ("h1", "h2"):
            heading = clean_line(element.text_content()).lower()
            read = "archive" in heading or heading.startswith("read")
            continue
        url = safe_url(element.get("href"))
        if url is None:
            continue
        export.entries.append(
            Entry(
                key=url,
                title=title_of(element.text_content(), url),
                url=url,
                read=read,
                tags=tag_list(element.get("tags") or ""),
                saved=unix_time(element.get("time_added")),
            )
        )
    return export
