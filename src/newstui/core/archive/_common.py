"""Helpers the export parsers share: CSV rows by column name, dates, tags, bounded values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timezone

from newstui.core.archive.entries import MAX_ENTRIES, ExportError
from newstui.core.formats._fields import parse_datetime, safe_url
from newstui.core.sanitize import clean_line

MAX_FIELD_CHARS = 1_000_000  # one CSV cell (a long Instapaper selection fits)
MAX_TAGS = 50

__all__ = ["clean_line", "parse_datetime", "safe_url"]


def csv_header(text: str) -> list[str]:
    """The first row, lower case: how a CSV export is recognised."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        row = next(csv.reader([first]), [])
    except csv.Error:
        return []
    return [cell.strip().lower() for cell in row]


def csv_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {lower-case column: cell}) for every data row; `ExportError` when the
    CSV itself is broken (an unclosed quote, a cell larger than `MAX_FIELD_CHARS`)."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        for number, row in enumerate(reader, 2):
            if number > MAX_ENTRIES + 1:
                raise ExportError(f"more than {MAX_ENTRIES:,} rows")
            if any(cell.strip() for cell in row):
                yield reader.line_num, dict(zip(header, row, strict=False))
    except csv.Error as error:
        raise ExportError(f"malformed CSV at line {reader.line_num}: {error}") from None


def row_url(row: dict[str, str], line: int, problems: list[str]) -> str | None:
    """The row's http(s) `url`; a row without one is named in `problems` (and skipped)."""
    url = safe_url(row.get("url"))
    if url is None:
        problems.append(f"line {line}: no http(s) URL; skipped")
    return url


def unix_time(value: str | None) -> datetime | None:
    """Seconds since 1970 (Pocket, Instapaper), else any date `parse_datetime` reads."""
    text = (value or "").strip()
    if text.isdigit() and len(text) <= 12:
        try:
            return datetime.fromtimestamp(int(text), timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_datetime(text) if text else None


def tag_list(values: object, separators: str = ",") -> list[str]:
    """Tags from a list or a separated string: cleaned, unique, at most `MAX_TAGS`."""
    if isinstance(values, str):
        for separator in separators[1:]:
            values = values.replace(separator, separators[0])
        values = values.split(separators[0])
    if not isinstance(values, list):
        return []
    tags: list[str] = []
    for value in values:
        tag = clean_line(value)[:80] if isinstance(value, str) else ""
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def title_of(value: object, url: str | None) -> str:
    """The entry's title; an empty title (or one that is just the URL) is left to the page."""
    title = clean_line(value)[:500] if isinstance(value, str) else ""
    return "" if not title or title == url else title
