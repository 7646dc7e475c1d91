"""Related stories: "You Might Also Like" entries found locally first, then similar articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newstui.tui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from newstui.core.library import RelatedItem

LISTED_MARK = "◆ "
SIMILAR_MARK = "◇ "


def related_prompt(item: RelatedItem) -> Content:
    mark = LISTED_MARK if item.listed else SIMILAR_MARK
    return Content.assemble((mark, "bold"), item.row.title, "\n  ", (item.reason, "dim italic"))


class RelatedStories(StoryList):
    """The top related articles with their reason; enter opens one."""

    BORDER_TITLE = "Related stories"

    class Chosen(Message):
        """A related story was chosen."""

        def __init__(self, related: RelatedStories, article_id: str) -> None:
            super().__init__()
            self.related = related
            self.article_id = article_id

        @property
        def control(self) -> RelatedStories:
            return self.related

    def show(self, items: Sequence[RelatedItem]) -> None:
        seen: set[str] = set()
        ordered = []
        for item in sorted(items, key=lambda item: not item.listed):  # stable: listed first
            if item.row.id not in seen:
                seen.add(item.row.id)
                ordered.append(item)
        self.clear_options()
        if not ordered:
            self.add_option(Option(Content("No related stories found."), disabled=True))
            return
        self.add_options(Option(related_prompt(item), id=item.row.id) for item in ordered)
        self.highlighted = 0

    def clear(self, message: str = "No article open.") -> None:
        self.clear_options()
        self.add_option(Option(Content(message), disabled=True))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self, event.option.id))
