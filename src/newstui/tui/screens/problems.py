"""The problems view: files in the library that could not be read, and why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newstui.core.sanitize import clean_line
from newstui.tui.screens.overlay import ListOverlay

if TYPE_CHECKING:
    from newstui.core.library import Problem


def problem_prompt(problem: Problem) -> Content:
    # file names come from the disk, not through the article model: clean them here
    return Content.assemble((clean_line(problem.path), "bold"), "\n  ", clean_line(problem.reason))


class ProblemsScreen(ListOverlay[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,P,exclamation_mark", "dismiss", "Close", id="close_overlay"),
    ]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        problems = OptionList(markup=False, id="problems-list")
        count = len(self.problems)
        problems.border_title = f"Problems ({count})"
        problems.border_subtitle = "escape closes"
        if self.problems:
            problems.add_options(Option(problem_prompt(problem)) for problem in self.problems)
        else:
            problems.add_option(Option(Content("No problems: every file was read."), disabled=True))
        yield problems
