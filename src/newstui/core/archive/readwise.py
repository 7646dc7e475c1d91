"""Readwise Reader's library CSV export:
`Title,URL,ID,Document tags,Saved date,Reading progress,Location,Seen`.

`Location` is "new", "later", "shortlist", "archive" or "feed": "archive" is read, the
shortlist (Reader's star) is starred, and feed items (from subscriptions, never saved by
the user) are left out. `Document tags` is a list written the Python way (`['a', 'b']`).
The article's text is not in the export: each entry's page is fetched.
"""

from __future__ import annotations

import ast

from newstui.core.archive._common import csv_rows, parse_datetime, row_url, tag_list, title_of
from newstui.core.archive.entries import Entry, Export

CSV_COLUMNS = frozenset({"title", "url", "location", "saved date"})


def parse_csv(text: str) -> Export:
    export = Export("readwise", [])
    feed_items = 0
    for line, row in csv_rows(text):
        location = row.get("location", "").strip().lower()
        if location == "feed":
            feed_items += 1
            continue
        url = row_url(row, line, export.problems)
        if url is None:
            continue
        export.entries.append(
            Entry(
                key=row.get("id", "").strip()[:200] or url,
                title=title_of(row.get("title"), url),
                url=url,
                read=location == "archive",
                starred=location == "shortlist",
                tags=_tags(row.get("document tags", "")),
                saved=parse_datetime(row.get("saved date", "")),
            )
        )
    if feed_items:
        export.problems.append(f"{feed_items:,} feed items left out (not saved to the library)")
    return export


def _tags(cell: str) -> list[str]:
    cell = cell.strip()
    if cell.startswith("[") and len(cell) < 20_000:
        try:
            value = ast.literal_eval(cell)  # literals only: never runs code
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
        if isinstance(value, list):
            return tag_list(value)
        cell = cell.strip("[]")
    return tag_list(cell.replace("'", "").replace('"', ""))
