"""An `OptionList` of articles whose option ids are article ids; shares the list's keys."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class StoryList(OptionList, inherit_bindings=False):
    """j/k and g/G as in the article list; page keys stay with the reader."""

    BINDING_GROUP_TITLE = "Author and related stories"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g,home", "first", "First", show=False, id="top"),
        Binding("G,end", "last", "Last", show=False, id="bottom"),
        Binding("enter", "select", "Open", id="open"),
        Binding("q", "screen.back", "Back", show=False, id="back_q"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes, markup=False)
