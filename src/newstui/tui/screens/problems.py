"""The problems view: files in the library that could not be read, and why; then the files
read with trouble (their articles recovered), marked as such."""

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


RECOVERED = "recovered"


def problem_prompt(problem: Problem) -> Content:
    # file names come from the disk, not through the article model: clean them here
    path, reason = clean_line(problem.path), clean_line(problem.reason)
    if problem.recovered:
        return Content.assemble((path, "bold"), "\n  ", (RECOVERED, "italic"), ": ", reason)
    return Content.assemble((path, "bold"), "\n  ", reason)


class ProblemsScreen(ListOverlay[None]):
    BINDING_GROUP_TITLE = "Problems view"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,P,exclamation_mark", "dismiss", "Close", id="close_overlay"),
    ]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        problems = OptionList(markup=False, id="problems-list")
        recovered = sum(1 for problem in self.problems if problem.recovered)
        title = f"Problems ({len(self.problems) - recovered})"
        problems.border_title = title + (f", {recovered} {RECOVERED}" if recovered else "")
        problems.border_subtitle = "escape closes"
        listed = sorted(self.problems, key=lambda problem: problem.recovered)  # (stable)
        if listed:
            problems.add_options(Option(problem_prompt(problem)) for problem in listed)
        else:
            problems.add_option(Option(Content("No problems: every file was read."), disabled=True))
        yield problems
