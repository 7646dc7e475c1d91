"""The command palette: every action of the main screen and the app, with its live key."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget

from newstui.core.sanitize import clean_line
from newstui.tui.keymap import BindingInfo, live_bindings

HIDDEN_ACTIONS = {"command_palette"}


class NewsCommands(Provider):
    """Offers the reader's actions (star, search, sort, problems, help, …) by name."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        from newstui.tui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        infos: list[BindingInfo] = live_bindings(
            self.app, screen.settings.keymap, [("", screen), ("", self.app)]
        )
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        for info in infos:
            if info.action in HIDDEN_ACTIONS:
                continue
            node = info.node
            if isinstance(node, (App, Widget)):
                run = partial(node.run_action, info.action)
                commands.append((info.description, f"key: {info.keys}", run))
        return commands + self._library_commands()

    def _library_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """One command a library to switch to: news, imports, configured folder, recent."""
        choices = getattr(self.app, "library_choices", None)
        open_library = getattr(self.app, "open_library", None)
        if choices is None or open_library is None:
            return []
        return [
            (f"Open library: {label}", clean_line(str(folder)), partial(open_library, folder))
            for label, folder in choices()
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
