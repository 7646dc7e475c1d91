"""The status line: library, counts, listing mode, refresh progress and problems."""

from __future__ import annotations

from typing import NamedTuple

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

SEPARATOR = ("  │  ", "dim")


class StatusInfo(NamedTuple):
    library: str = ""
    total: int = 0
    unread: int = 0
    sort: str = "date"
    unread_only: bool = False
    search: str | None = None
    hits: int = 0
    progress: str = ""
    problems: int = 0
    sync: str = ""  # "offline · 3 pending" (see core.sync.engine.status_line)


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class StatusLine(Widget):
    """One line under the panes; everything in it is plain text, never markup."""

    info: reactive[StatusInfo] = reactive(StatusInfo, layout=False)

    def render(self) -> Content:
        info = self.info
        parts: list[str | tuple[str, str]] = [(info.library, "bold")]
        parts += [SEPARATOR, plural(info.total, "article"), ", ", f"{info.unread:,} unread"]
        if info.search is not None:
            parts += [
                SEPARATOR,
                ("search: ", "bold"),
                info.search,
                f" ({plural(info.hits, 'hit')})",
            ]
        else:
            listing = "unread only" if info.unread_only else "all"
            parts += [SEPARATOR, f"{listing}, by {info.sort}"]
        if info.progress:
            parts += [SEPARATOR, (info.progress, "italic")]
        if info.sync:
            parts += [SEPARATOR, (info.sync, "italic")]
        if info.problems:
            parts += [SEPARATOR, (plural(info.problems, "problem"), "bold"), " (P)"]
        return Content.assemble(*parts)
