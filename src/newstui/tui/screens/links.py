"""The links overlay: an article's numbered links; enter opens one, y copies it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newstui.core.sanitize import clean_line
from newstui.tui.screens.overlay import ListOverlay

if TYPE_CHECKING:
    from newstui.core.links import NumberedLink

LinkChoice = tuple[Literal["open", "copy"], str]


def link_prompt(link: NumberedLink) -> Content:
    words = clean_line(link.text) or "(image)"
    return Content.assemble((f"[{link.number}] ", "dim"), (words, "bold"), "\n    ", link.url)


class LinksScreen(ListOverlay[LinkChoice | None]):
    BINDING_GROUP_TITLE = "Links view"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,l", "dismiss(None)", "Close", id="close_overlay"),
        Binding("y", "choose('copy')", "Copy the link", id="copy_chosen_link"),
        Binding("o", "choose('open')", "Open the link", id="open_chosen_link"),
    ]

    def __init__(self, links: Sequence[NumberedLink], number: int = 0) -> None:
        super().__init__()
        self.links = list(links)
        self.number = number

    def compose(self) -> ComposeResult:
        picker = OptionList(markup=False, id="links-list")
        picker.border_title = f"Links ({len(self.links)})"
        picker.border_subtitle = "enter/o opens · y copies · escape closes"
        picker.add_options(Option(link_prompt(link)) for link in self.links)
        yield picker

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        picker.highlighted = min(max(self.number - 1, 0), len(self.links) - 1)
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("open", self.links[event.option_index].url))

    def action_choose(self, action: Literal["open", "copy"]) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.dismiss((action, self.links[highlighted].url))
