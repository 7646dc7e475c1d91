"""The "Save a URL" overlay: one input line; enter saves the page, escape closes."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Input


class SaveUrlScreen(ModalScreen[str | None]):
    BINDING_GROUP_TITLE = "Save a URL box"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close_overlay"),
    ]

    def compose(self) -> ComposeResult:
        field = Input(placeholder="https://…", id="save-url")
        field.border_title = "Save a URL"
        field.border_subtitle = "enter saves · escape closes"
        yield field

    @on(Input.Submitted, "#save-url")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        self.dismiss(None)
