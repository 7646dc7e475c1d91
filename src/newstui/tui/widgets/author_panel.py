"""The author panel: who wrote the open article, and what else they wrote."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newstui.tui.widgets.cells import iso_date
from newstui.tui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from newstui.core.library import ArticleRow, AuthorInfo


def article_prompt(row: ArticleRow) -> Content:
    """Title, then the date: markup-free."""
    marker = "  " if row.read else "● "
    parts: list[str | tuple[str, str]] = [(marker, "bold"), row.title]
    if row.published:
        parts += ["\n  ", (iso_date(row.published), "dim")]
    return Content.assemble(*parts)


NO_OTHERS = "No other articles by this author."
BIO_CHARS_SEVERAL = 160  # each bio is cut to this when several authors share the heading


def about(author: AuthorInfo, *, short: bool = False) -> Content:
    """Name, number of articles and bio: markup-free."""
    count = author.article_count
    parts: list[str | tuple[str, str]] = [
        (author.name, "bold"),
        "\n",
        (f"{count} article{'s' if count != 1 else ''}", "dim"),
    ]
    if author.bio:
        bio = author.bio
        if short and len(bio) > BIO_CHARS_SEVERAL:
            bio = bio[:BIO_CHARS_SEVERAL].rsplit(" ", 1)[0] + "…"
        parts += ["\n", bio] if short else ["\n\n", bio]
    return Content.assemble(*parts)


class AuthorPanel(Vertical):
    """Each author of the open article: name, number of articles and bio, then their other
    articles (enter opens one), under a heading per author when there are several."""

    BORDER_TITLE = "Author"

    class Chosen(Message):
        """An article of one of the authors was chosen."""

        def __init__(self, panel: AuthorPanel, article_id: str) -> None:
            super().__init__()
            self.panel = panel
            self.article_id = article_id

        @property
        def control(self) -> AuthorPanel:
            return self.panel

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.authors: list[AuthorInfo] = []
        self._targets: dict[str, str] = {}  # option id -> article id (one may be by several)

    def compose(self) -> ComposeResult:
        yield Static(Content("No article open."), id="author-heading", markup=False)
        yield StoryList(id="author-articles")

    def show(
        self, authors: Sequence[tuple[AuthorInfo, Sequence[ArticleRow]]], current_id: str | None
    ) -> None:
        self.authors = [info for info, _ in authors]
        self.border_title = "Authors" if len(authors) > 1 else "Author"
        heading = self.query_one("#author-heading", Static)
        stories = self.query_one(StoryList)
        stories.clear_options()
        self._targets = {}
        if not authors:
            heading.update(Content("This article names no author."))
            return
        several = len(authors) > 1
        heading.update(Content("\n\n").join(about(info, short=several) for info, _ in authors))
        options: list[Option] = []
        for number, (info, rows) in enumerate(authors):
            if several:
                options.append(Option(Content.styled(f"By {info.name}", "bold"), disabled=True))
            others = list({row.id: row for row in rows if row.id != current_id}.values())
            for row in others:
                option_id = f"author-{number}-{len(self._targets)}"
                self._targets[option_id] = row.id
                options.append(Option(article_prompt(row), id=option_id))
            if not others:
                text = f"No other articles by {info.name}." if several else NO_OTHERS
                options.append(Option(Content(text), disabled=True))
        stories.add_options(options)
        if self._targets:
            stories.highlighted = next(i for i, o in enumerate(options) if not o.disabled)

    def clear(self, message: str = "No article open.") -> None:
        self.authors = []
        self._targets = {}
        self.border_title = "Author"
        self.query_one("#author-heading", Static).update(Content(message))
        self.query_one(StoryList).clear_options()

    def focus_list(self) -> None:
        self.query_one(StoryList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        article_id = self._targets.get(event.option.id or "")
        if article_id is not None:
            self.post_message(self.Chosen(self, article_id))
