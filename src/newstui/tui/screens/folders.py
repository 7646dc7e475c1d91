"""The folder picker: the library's subfolders (a feed's folder among them) with their counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newstui.core.library import shown_name
from newstui.core.sanitize import clean_line
from newstui.tui.screens.overlay import ListOverlay

if TYPE_CHECKING:
    from newstui.core.library import FolderInfo

ALL = "\x00all"  # the option id of the whole library (no folder name can hold NUL)


def folder_prompt(folder: FolderInfo) -> Content:
    name = clean_line(folder.name.rsplit("/", 1)[-1]) if folder.name else "All articles"
    counts = f"{folder.total:,}" + (f", {folder.unread:,} unread" if folder.unread else "")
    if folder.query is not None:  # a saved search
        name = clean_line(shown_name(folder.name))
        return Content.assemble((name, "bold"), "  ", (counts, "dim"), "  ", (folder.query, "dim"))
    if folder.feed:  # a feed's folder: its name says more than the folder's
        name = f"{clean_line(folder.feed)} ({name})"
    return Content.assemble("  " * folder.depth, (name, "bold"), "  ", (counts, "dim"))


class FoldersScreen(ListOverlay[str | None]):
    """Picks a folder: dismissed with its name ("" for the whole library), or None."""

    BINDING_GROUP_TITLE = "Folders and feeds view"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f", "dismiss(None)", "Close", id="close_overlay"),
    ]

    def __init__(self, folders: Sequence[FolderInfo], current: str | None) -> None:
        super().__init__()
        self.folders = list(folders)
        self.current = current or ""

    def compose(self) -> ComposeResult:
        picker = OptionList(markup=False, id="folders-list")
        picker.border_title = "Folders, feeds and saved searches"
        picker.border_subtitle = "enter shows one · escape closes"
        picker.add_options(
            Option(folder_prompt(folder), id=folder.name or ALL) for folder in self.folders
        )
        yield picker

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        names = [folder.name for folder in self.folders]
        picker.highlighted = names.index(self.current) if self.current in names else 0
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        self.dismiss("" if chosen in (None, ALL) else chosen)
