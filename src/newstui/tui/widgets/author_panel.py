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


class AuthorPanel(Vertical):
    """Name, bio, number of articles and their other articles (enter opens one)."""

    BORDER_TITLE = "Author"

    class Chosen(Message):
        """An article of this author was chosen."""

        def __init__(self, panel: AuthorPanel, article_id: str) -> None:
            super().__init__()
            self.panel = panel
            self.article_id = article_id

        @property
        def control(self) -> AuthorPanel:
            return self.panel

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.author: AuthorInfo | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content("No article open."), id="author-heading", markup=False)
        yield StoryList(id="author-articles")

    def show(
        self, author: AuthorInfo | None, articles: Sequence[ArticleRow], current_id: str | None
    ) -> None:
        self.author = author
        heading = self.query_one("#author-heading", Static)
        stories = self.query_one(StoryList)
        stories.clear_options()
        if author is None:
            heading.update(Content("This article names no author."))
            return
        count = author.article_count
        parts: list[str | tuple[str, str]] = [
            (author.name, "bold"),
            "\n",
            (f"{count} article{'s' if count != 1 else ''}", "dim"),
        ]
        if author.bio:
            parts += ["\n\n", author.bio]
        heading.update(Content.assemble(*parts))
        seen = {current_id}
        others = []
        for row in articles:
            if row.id not in seen:
                seen.add(row.id)
                others.append(row)
        if others:
            stories.add_options(Option(article_prompt(row), id=row.id) for row in others)
            stories.highlighted = 0
        else:
            stories.add_option(Option(Content("No other articles by this author."), disabled=True))

    def clear(self, message: str = "No article open.") -> None:
        self.author = None
        self.query_one("#author-heading", Static).update(Content(message))
        self.query_one(StoryList).clear_options()

    def focus_list(self) -> None:
        self.query_one(StoryList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self, event.option.id))
