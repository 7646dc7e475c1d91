"""The help overlay: the bindings that are live right now, keymap changes included."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from newstui.core.sanitize import clean_line
from newstui.tui.keymap import BindingInfo
from newstui.tui.widgets.cells import fit

KEY_COLUMN = 22
DESCRIPTION_COLUMN = 34


def help_content(bindings: Sequence[BindingInfo]) -> Content:
    parts: list[str | tuple[str, str]] = []
    group = None
    width = min(KEY_COLUMN, max((cell_len(info.keys) for info in bindings), default=4) + 2)
    described = min(
        DESCRIPTION_COLUMN, max((cell_len(info.description) for info in bindings), default=4) + 2
    )
    for info in bindings:
        if info.group != group:
            group = info.group
            parts += ["\n" if parts else "", (group, "bold underline"), "\n"]
        keys = clean_line(info.keys)  # keys can come from the user's config file
        parts += ["  ", (fit(keys, width), "bold")]
        if info.binding_id:  # the name `[keymap]` in the config file knows it by
            parts += [fit(info.description, described), (info.binding_id, "dim"), "\n"]
        else:
            parts += [info.description, "\n"]
    return Content.assemble(*parts).rstrip()


class HelpScreen(ModalScreen[None]):
    """Lists every key with what it does; any of escape, q, ? or enter closes it."""

    BINDING_GROUP_TITLE = "Help view"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,enter", "dismiss", "Close", id="close_overlay"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="cursor_down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="cursor_up"),
        Binding("space,pagedown", "scroll(10)", "Page down", show=False, id="page_down"),
        Binding("b,pageup", "scroll(-10)", "Page up", show=False, id="page_up"),
    ]

    def __init__(self, bindings: Sequence[BindingInfo]) -> None:
        super().__init__()
        self.bindings = list(bindings)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "escape, q or ? closes"
            yield Static(help_content(self.bindings), id="help-text", markup=False)

    def action_scroll(self, lines: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)
