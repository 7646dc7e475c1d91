"""Fit text into terminal cells: wide (CJK, emoji) characters count twice."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded with spaces."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + ELLIPSIS


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells (with an ellipsis), not padded."""
    if cell_len(text) <= width:
        return text
    return fit(text, width)


# The reader's three ways of writing a date, one place for all of them.


def iso_date(when: datetime | None) -> str:
    """2026-01-06: the list's date column when wide, and the author panel."""
    return when.strftime("%Y-%m-%d") if when else ""


def short_date(when: datetime | None, this_year: int) -> str:
    """06 Jan this year, Apr 2022 another: the list's date column when narrow (a date
    without its year would mislead)."""
    if when is None:
        return ""
    if when.year == this_year:
        return when.strftime("%d %b")
    return when.strftime("%b %Y")


def spelled_date(when: datetime) -> str:
    """6 January 2026: the reader's byline."""
    return f"{when.day} {when:%B %Y}"


PROGRESS_GLYPHS = " ▁▂▃▄▅▆▇█"


def progress_glyph(position: float) -> str:
    """One cell showing how far an article has been read (blank when not started)."""
    if position <= 0:
        return " "
    level = max(1, min(8, round(position * 8)))
    return PROGRESS_GLYPHS[level]
