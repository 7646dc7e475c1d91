"""Reading a library: the rules both faces follow, over the index, the state and its writer.

When an article counts as read (`mark_read`: on open, at its end, or only by hand), what
opening one records, and how the next unread article is found. Writes go through the
`StateWriter`, so none of these calls waits for the state database's lock: the face shows
the change at once and the write follows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from newstui.core.config import MarkRead
from newstui.core.index.listing import ArticleRow
from newstui.core.library import AuthorInfo, Library
from newstui.core.state.writer import StateWriter

if TYPE_CHECKING:
    from newstui.core.models import Article

UNREAD_SCAN_PAGE = 500
AUTHOR_ARTICLES = 51
UNDO_DEPTH = 50
Mark = Literal["read", "starred", "hidden"]


class Change(NamedTuple):
    """A marking or starring the user made, with what it replaced: undo puts that back."""

    what: str  # "Marked 120 articles read", "Starred", ...
    field: Mark
    before: dict[str, bool]  # article id -> the value it had


class Opened(NamedTuple):
    article: Article | None  # None: no longer in the library
    position: float
    block: int
    marked_read: bool  # opening it marked it read


class ReadingSession:
    """One library open for reading. Methods that read may be called from any thread (the
    reader calls them from workers); methods that write only queue the write."""

    def __init__(self, library: Library, writer: StateWriter, mark_read: MarkRead) -> None:
        self.library = library
        self.state = library.state
        self.writer = writer
        self.mark_read = mark_read
        self.on_marked: Callable[[], object] | None = None  # on the writer's thread, once landed
        self._changes: list[Change] = []  # undoable, newest last (only the UI thread uses it)

    # what opening and reading do

    def open(self, article_id: str, *, by_user: bool = True) -> Opened:
        """Load an article to read; it becomes the library's last opened one. Opened by the
        user (not reopened at start-up or reloaded), with `mark_read = "open"` it is read."""
        article = self.library.article(article_id)
        state = self.state.get(article_id)
        marks = by_user and self.mark_read == "open" and not state.read and article is not None
        if article is not None:
            folder = str(self.library.folder)
            self.writer.submit("last opened", lambda s: s.set_last_opened(folder, article_id))
        if marks:
            self._write("read", [article_id], True)
        return Opened(article, state.position, state.block, marks)

    def reached_end(self, article_id: str, already_read: bool) -> bool:
        """The reader scrolled to the end; True when that marks it read (now queued)."""
        if self.mark_read != "end" or already_read:
            return False
        self._write("read", [article_id], True)
        return True

    def authors_of(self, article: Article) -> list[tuple[AuthorInfo, list[ArticleRow]]]:
        """Each author of the article as the library knows them (else as the article has
        them), with their articles, newest first."""
        found = []
        for author in article.authors:
            info = self.library.author(author.name) or AuthorInfo(author.name, author.bio, 1)
            found.append((info, self.library.articles_by(author.name, limit=AUTHOR_ARTICLES)))
        return found

    # marks, positions, preferences: queued

    # changes the user makes by hand: undoable

    def toggle_read(self, article_id: str, read_now: bool) -> Change:
        change = Change(
            "Marked unread" if read_now else "Marked read", "read", {article_id: read_now}
        )
        self._apply(change, not read_now)
        return change

    def toggle_starred(self, article_id: str, starred_now: bool) -> Change:
        what = "Star removed" if starred_now else "Starred"
        change = Change(what, "starred", {article_id: starred_now})
        self._apply(change, not starred_now)
        return change

    def toggle_hidden(self, article_id: str, hidden_now: bool) -> Change:
        """Hide the article (it leaves the list, the counts, related stories; `is:hidden`
        finds it), or show a hidden one again."""
        what = "Shown again" if hidden_now else "Hidden"
        change = Change(what, "hidden", {article_id: hidden_now})
        self._apply(change, not hidden_now)
        return change

    def mark_all_read(self, rows: Sequence[ArticleRow]) -> Change:
        """Mark every row read (one write, however many); undo makes unread just those that
        were unread."""
        unread = {row.id: False for row in rows if not row.read}
        count = len(unread)
        change = Change(f"Marked {count:,} article{'s' if count != 1 else ''} read", "read", unread)
        self._apply(change, True)
        return change

    def undo(self) -> Change | None:
        """Put back what the last change replaced; returns that change (None: nothing to undo)."""
        if not self._changes:
            return None
        change = self._changes.pop()
        for value in (False, True):
            ids = [article_id for article_id, old in change.before.items() if old is value]
            if ids:
                self._write(change.field, ids, value)
        return change

    def _apply(self, change: Change, value: bool) -> None:
        if change.before:
            self._write(change.field, list(change.before), value)
        self._changes = [*self._changes[-(UNDO_DEPTH - 1) :], change]

    def _write(self, field: Mark, ids: list[str], value: bool) -> None:
        if field == "read":
            self.writer.submit("read marks", lambda s: s.set_read(ids, value))
        elif field == "starred":
            self.writer.submit("stars", lambda s: s.set_starred(ids, value))
        else:
            self.writer.submit("hiding", lambda s: s.set_hidden(ids, value))
        if self.on_marked is not None:
            self.writer.after_pending(self.on_marked)

    def save_position(self, article_id: str, position: float, block: int) -> None:
        self.writer.submit(
            "reading position", lambda s: s.set_position(article_id, position, block)
        )

    def set_pref(self, key: str, value: str) -> None:
        self.writer.submit(f"preference {key}", lambda s: s.set_pref(key, value))


def find_unread(
    rows: Callable[[int, int], Sequence[ArticleRow]],
    start: int,
    forward: bool,
    cancelled: Callable[[], bool],
) -> int | None:
    """The index of the nearest unread row after (or before) `start`, paging `rows(offset,
    limit)` a few hundred at a time; None when there is none (or on `cancelled()`)."""
    if forward:
        offset = start + 1
        while not cancelled():
            page = rows(offset, UNREAD_SCAN_PAGE)
            for number, row in enumerate(page):
                if not row.read:
                    return offset + number
            if len(page) < UNREAD_SCAN_PAGE:
                return None
            offset += len(page)
        return None
    end = start
    while end > 0 and not cancelled():
        offset = max(0, end - UNREAD_SCAN_PAGE)
        page = rows(offset, end - offset)
        for number in range(len(page) - 1, -1, -1):
            if not page[number].read:
                return offset + number
        end = offset
    return None
