"""The library switcher: the news folder, the imports, the configured folder and the
libraries opened lately; enter opens one (at the article last open there)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newstui.core.libraries import LibraryChoice
from newstui.core.sanitize import clean_line
from newstui.tui.screens.overlay import ListOverlay


def library_prompt(choice: LibraryChoice, current: bool) -> Content:
    mark = "• " if current else "  "
    return Content.assemble(
        mark, (choice.label, "bold"), "  ", (clean_line(str(choice.folder)), "dim")
    )


class LibrariesScreen(ListOverlay[Path | None]):
    """Picks a library: dismissed with its folder, or None."""

    BINDING_GROUP_TITLE = "Library switcher"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,O", "dismiss(None)", "Close", id="close_overlay"),
    ]

    def __init__(
        self, choices: Sequence[LibraryChoice], current: Path, previous: str | None
    ) -> None:
        super().__init__()
        self.choices = list(choices)
        self.current = os.path.abspath(current)
        self.previous = os.path.abspath(previous) if previous else None

    def compose(self) -> ComposeResult:
        picker = OptionList(markup=False, id="libraries-list")
        picker.border_title = "Libraries"
        picker.border_subtitle = "enter opens one · escape closes"
        picker.add_options(
            Option(library_prompt(choice, self._is_current(choice)), id=str(number))
            for number, choice in enumerate(self.choices)
        )
        yield picker

    def _is_current(self, choice: LibraryChoice) -> bool:
        return os.path.abspath(choice.folder) == self.current

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        # The library open before this one, so that O enter goes back and forth.
        folders = [os.path.abspath(choice.folder) for choice in self.choices]
        others = [n for n, folder in enumerate(folders) if folder != self.current]
        before = [n for n in others if folders[n] == self.previous]
        picker.highlighted = (before or others or [0])[0]
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)].folder)
