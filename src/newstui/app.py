"""The Textual reader (placeholder until the reader issue lands)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from newstui.paths import AppPaths


class NewsApp(App[None]):
    TITLE = "newstui"
    BINDINGS: ClassVar = [("q", "quit", "Quit")]

    def __init__(self, library: Path, paths: AppPaths) -> None:
        super().__init__()
        self.library = library
        self.paths = paths

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(str(self.library), markup=False)
        yield Footer()
