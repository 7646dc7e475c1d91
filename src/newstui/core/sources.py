"""Where the article list gets its rows: the library listing, or a fixed list of search hits.

The list widget only ever asks for a window of rows, so a source must answer `rows(offset,
limit)` cheaply; `count()` is asked once per reload and cached by the widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from newstui.core.library import ArticleRow, Library, ListFilter, SearchHit, Sort
    from newstui.core.state.store import StateStore


class RowSource(Protocol):
    lines_per_row: int
    empty_message: str

    def count(self) -> int: ...

    def rows(self, offset: int, limit: int) -> Sequence[ArticleRow]: ...

    def index_of(self, article_id: str) -> int | None: ...

    def snippet(self, index: int) -> str | None: ...


class LibraryRows:
    """The library's listing in one sort order and filter."""

    lines_per_row = 1

    def __init__(self, library: Library, sort: Sort, flt: ListFilter) -> None:
        self.library = library
        self.sort: Sort = sort
        self.filter = flt
        if flt.unread:
            self.empty_message = "No unread articles (u shows all)"
        else:
            self.empty_message = "No articles in this folder yet"

    def count(self) -> int:
        return self.library.count(self.filter)

    def rows(self, offset: int, limit: int) -> Sequence[ArticleRow]:
        return self.library.page(offset, limit, self.sort, self.filter)

    def index_of(self, article_id: str) -> int | None:
        return self.library.index_of(article_id, self.sort, self.filter)

    def snippet(self, index: int) -> str | None:
        return None


class HitRows:
    """Search results: a fixed list of hits, each shown with its snippet on a second line.

    Hits are a snapshot, so read/star/progress are looked up again from the state store
    each time a window is fetched.
    """

    lines_per_row = 2

    def __init__(self, query: str, hits: Sequence[SearchHit], state: StateStore) -> None:
        self.empty_message = "No matches (escape restores the list)"
        self.query = query
        self.hits = list(hits)
        self.state = state
        self._positions = {hit.row.id: i for i, hit in enumerate(self.hits)}

    def count(self) -> int:
        return len(self.hits)

    def rows(self, offset: int, limit: int) -> Sequence[ArticleRow]:
        window = [hit.row for hit in self.hits[offset : offset + limit]]
        states = self.state.get_many(row.id for row in window)
        fresh: list[ArticleRow] = []
        for row in window:
            state = states.get(row.id)
            if state is None:
                fresh.append(row)
            else:
                fresh.append(
                    row._replace(read=state.read, starred=state.starred, position=state.position)
                )
        return fresh

    def index_of(self, article_id: str) -> int | None:
        return self._positions.get(article_id)

    def snippet(self, index: int) -> str | None:
        if 0 <= index < len(self.hits):
            return self.hits[index].snippet
        return None
