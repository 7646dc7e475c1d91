"""Rows of the article list and of search results, and the SQL that fetches them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple, get_args

MARK_START, MARK_END = "\x02", "\x03"


class ArticleRow(NamedTuple):
    """One line of the article list; cheap to fetch (a 100,000-row listing makes a lot)."""

    rowid: int
    id: str
    title: str
    author: str | None
    published: datetime | None
    path: str
    format: str
    word_count: int
    read: bool
    starred: bool
    position: float


@dataclass(frozen=True)
class SearchHit:
    """One search result. `snippet` marks matched terms with "\\x02" ... "\\x03" (article
    text never contains them). Snippets cost ~0.1 ms each, so a search makes them on first
    use of `snippet`, a screenful at a time, on the calling thread."""

    row: ArticleRow
    score: float  # higher is better
    _snippet: str | Callable[[], str] = field(default="", repr=False, compare=False)

    @property
    def snippet(self) -> str:
        made = self._snippet
        return made if isinstance(made, str) else made()


ROW_COLUMNS = (
    "a.num, a.id, a.title, a.author, a.published, a.path, a.format, a.word_count, "
    "s.read_at IS NOT NULL, ifnull(s.starred, 0), ifnull(s.position, 0.0)"
)
STATE_JOIN = "LEFT JOIN state.article_state s ON s.article_id = a.id"
ROWS = f"articles a {STATE_JOIN}"
HIDDEN = "a.id IN (SELECT article_id FROM state.hidden)"  # hidden articles: only is:hidden
VISIBLE = f"NOT {HIDDEN}"  # ...the rest: the list, counts, related stories, searches
# Changes whenever the set of hidden articles does (a cached order is then made again).
HIDDEN_MARK = "SELECT count(*), total(hidden_at) FROM state.hidden"
Sort = Literal["date", "title", "author"]
SORTS: tuple[Sort, ...] = get_args(Sort)
ORDER_BY: dict[Sort, str] = {
    "date": "a.date_key DESC, a.num",
    "title": "a.title_key, a.num",
    "author": "a.author_sort, a.date_key DESC, a.num",
}
RowTuple = tuple[int, str, str, str | None, str | None, str, str, int, int, int, float]


def to_row(values: RowTuple) -> ArticleRow:
    num, article_id, title, author, published, path, fmt, words, read, starred, position = values
    return ArticleRow(
        num,
        article_id,
        title,
        author,
        datetime.fromisoformat(published) if published else None,
        path,
        fmt,
        words,
        bool(read),
        bool(starred),
        float(position),
    )
