"""Instapaper's CSV export: `URL,Title,Selection,Folder[,Timestamp,Tags]`.

`Folder` is "Unread", "Archive", "Starred" or a folder of the user's own (kept as a tag);
`Timestamp` is in Unix seconds; `Tags` (exports since late 2025) a JSON list. `Selection`
is the text the user selected when saving, kept as the summary. The article's text is not
in the export: each entry's page is fetched.
"""

from __future__ import annotations

import json

from newstui.core.archive._common import (
    clean_line,
    csv_rows,
    row_url,
    tag_list,
    title_of,
    unix_time,
)
from newstui.core.archive.entries import Entry, Export

CSV_COLUMNS = frozenset({"url", "title", "selection", "folder"})
_STATUS_FOLDERS = frozenset({"unread", "archive", "starred"})


def parse_csv(text: str) -> Export:
    export = Export("instapaper", [])
    for line, row in csv_rows(text):
        url = row_url(row, line, export.problems)
        if url is None:
            continue
        folder = clean_line(row.get("folder", ""))
        tags = _tags(row.get("tags", ""))
        if folder and folder.lower() not in _STATUS_FOLDERS and folder not in tags:
            tags.insert(0, folder)
        export.entries.append(
            Entry(
                key=url,
                title=title_of(row.get("title"), url),
                url=url,
                read=folder.lower() == "archive",
                starred=folder.lower() == "starred",
                tags=tags,
                summary=clean_line(row.get("selection", ""))[:2000],
                saved=unix_time(row.get("timestamp")),
            )
        )
    return export


def _tags(cell: str) -> list[str]:
    cell = cell.strip()
    if not cell:
        return []
    if cell.startswith("["):
        try:
            return tag_list(json.loads(cell))
        except ValueError:
            pass
    return tag_list(cell)
