"""An overlay over the main screen that is one `OptionList`, moved through with j and k."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList

T = TypeVar("T")


class ListOverlay(ModalScreen[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor(1)", "Down", show=False, id="cursor_down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="cursor_up"),
    ]

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
