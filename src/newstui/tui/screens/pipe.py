"""The pipe overlay: one input line for a command, pre-filled with the config's
`pipe_command` (else the last one run); up and down walk the history of commands."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Input


class PipeScreen(ModalScreen[str | None]):
    BINDING_GROUP_TITLE = "Pipe box"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close_overlay"),
        Binding("up", "history(-1)", "Earlier command", id="history_previous"),
        Binding("down", "history(1)", "Later command", id="history_next"),
    ]

    def __init__(self, history: list[str], default: str | None) -> None:
        super().__init__()
        self.history = history  # oldest first
        self.at = len(history)  # the history entry shown; len(history) is the new line
        self.default = default or (history[-1] if history else "")

    def compose(self) -> ComposeResult:
        field = Input(value=self.default, placeholder="a command, e.g. wc -w", id="pipe-command")
        field.border_title = "Pipe the article (as Markdown) to"
        field.border_subtitle = "enter runs · up/down history · escape closes"
        yield field

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self.at = max(0, min(len(self.history), self.at + step))
        field = self.query_one(Input)
        field.value = self.history[self.at] if self.at < len(self.history) else self.default
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#pipe-command")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_close(self) -> None:
        self.dismiss(None)
