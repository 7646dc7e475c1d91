"""The search input, docked under the panes while a query is being typed."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = (
    'Search: words, "a phrase", prefix*, -word, author:name, is:unread '
    "(enter searches, escape cancels)"
)


class SearchBar(Input):
    BINDING_GROUP_TITLE = "Search box"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel search", id="search_cancel"),
    ]

    class Cancelled(Message):
        """The user left the search box without searching."""

        def __init__(self, bar: SearchBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> SearchBar:
            return self.bar

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(placeholder=PLACEHOLDER, id=id)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # Textual maps no character to "slash"; without this the screen's "/" binding
        # (a priority one) would win over typing "/" in the box.
        return key == "slash" or super().check_consume_key(key, character)

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self))
