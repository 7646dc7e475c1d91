"""The Textual reader: a thin App that opens the library and pushes the main screen."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from newstui.core import clock as clocks
from newstui.core.clock import Clock
from newstui.core.config import Settings, load_settings
from newstui.core.jobs import Jobs
from newstui.core.libraries import (
    LAST_LIBRARY,
    RECENT_LIBRARIES,
    LibraryError,
    checked_library,
    library_choices,
    recent_libraries,
    with_recent,
)
from newstui.core.library import Library
from newstui.core.paths import AppPaths
from newstui.core.reading import ReadingSession
from newstui.core.resources import styles_dir
from newstui.core.sanitize import clean_line
from newstui.core.state.store import StateStore
from newstui.core.state.writer import StateWriter
from newstui.tui.messages import (
    LibraryFailed,
    LibraryOpened,
    LibraryWanted,
    StateWriteFailed,
    StateWriteRecovered,
)
from newstui.tui.screens.main import MainScreen

CLOSE_TIMEOUT = 3.0
"""Seconds to wait at exit for background jobs to let go of the library, and again for
queued state writes to land."""


def news_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens."""
    from newstui.tui.commands import NewsCommands

    return NewsCommands


class NewsApp(App[None]):
    """newstui: article list, reader, author panel and related stories."""

    TITLE = "newstui"
    CSS_PATH = styles_dir() / "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {news_commands}
    BINDING_GROUP_TITLE = "Application"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="palette", priority=True),
        Binding("colon", "command_palette", "Commands", show=False, id="palette_colon"),
    ]

    def __init__(
        self,
        library: Path,
        paths: AppPaths,
        settings: Settings | None = None,
        *,
        warnings: list[str] | None = None,
        watch: bool = True,
        state: StateStore | None = None,  # opened already (it is closed with the app)
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.clock = clock or clocks.system_clock  # (looked up now: tests pin it)
        self.watch_files = watch
        self.paths = paths
        self.main: MainScreen | None = None
        warnings = list(warnings or [])
        if settings is None:
            loaded = load_settings(paths.config_file)
            settings, warnings = loaded.settings, loaded.warnings
        self.startup_warnings = list(warnings)
        if settings.keymap:  # checked against every binding of the reader (imports them all)
            from newstui.tui.keymap import checked_keymap

            keymap, keymap_warnings = checked_keymap(settings.keymap)
            settings = replace(settings, keymap=keymap)
            self.startup_warnings += [f"{paths.config_file}: {w}" for w in keymap_warnings]
        if settings.macros:  # each key checked against the bindings, the keymap applied
            from newstui.tui.macros import checked_macros

            macros, macro_warnings = checked_macros(settings.macros, settings.keymap)
            settings = replace(settings, macros=macros)
            self.startup_warnings += [f"{paths.config_file}: {w}" for w in macro_warnings]
        self.settings = settings  # its keymap and macros are the parts that apply
        self.state = state or StateStore(paths.state_db, outbox=settings.sync is not None)
        self.library = Library(library, paths, self.state, settings.rules)
        self.libraries = {self.library.folder: self.library}  # each opened once, closed at exit
        self.recent = with_recent(recent_libraries(self.state.pref(RECENT_LIBRARIES)), library)
        self.writer = StateWriter(
            self.state,
            on_error=lambda what, error: self.post_message(StateWriteFailed(what, str(error))),
            on_recovered=lambda what: self.post_message(StateWriteRecovered(what)),
        )
        self.session = ReadingSession(self.library, self.writer, settings.mark_read)
        self.jobs = Jobs()  # workers using the library: it is closed only when they are done
        self.unsaved_writes = 0  # state writes still queued when the reader closed
        self.startup_warnings += self.state.warnings
        self._theme_ready = False
        theme = self.state.pref("theme") or settings.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.startup_warnings.append(f"unknown theme {theme!r}; using the default")

    def get_default_screen(self) -> Screen[None]:
        return self._main_screen()

    def _main_screen(self, feed: str = "", title: str = "") -> MainScreen:
        main = MainScreen(
            self.session,
            self.jobs,
            self.settings,
            self.paths,
            clock=self.clock,
            watch=self.watch_files,
            folder_shown=feed,
            feed_title=clean_line(title),
        )
        self.main = main
        return main

    # --- moving between libraries: news, imports, the configured folder, recent ones ---------

    def library_choices(self) -> list[tuple[str, Path]]:
        choices = library_choices(self.settings, self.paths, self.recent)
        return [(choice.label, choice.folder) for choice in choices]

    def action_libraries(self) -> None:
        from newstui.tui.screens.libraries import LibrariesScreen

        choices = library_choices(self.settings, self.paths, self.recent)
        previous = self.recent[1] if len(self.recent) > 1 else None

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.open_library(folder)

        self.push_screen(LibrariesScreen(choices, self.library.folder, previous), chosen)

    @on(LibraryWanted)
    def _library_wanted(self, message: LibraryWanted) -> None:
        self.open_library(message.folder, message.feed, message.title)

    @work(
        thread=True,
        exclusive=True,
        group="open-library",
        exit_on_error=False,
        description="Opening the library",
    )
    def open_library(self, folder: Path, feed: str = "", title: str = "") -> None:
        """Open `folder` off the UI thread (its index may take a moment); `feed`: show only
        that subfolder of it."""
        own = {f.resolve() for _, f in self.library_choices()[:2]}  # news and imports: ours
        try:
            if folder.resolve() in own:
                folder.mkdir(parents=True, exist_ok=True)
            resolved = checked_library(folder)
            library = self.libraries.get(resolved) or Library(
                resolved, self.paths, self.state, self.settings.rules
            )
        except LibraryError as error:
            self.post_message(LibraryFailed(str(error)))
        except (OSError, sqlite3.Error) as error:
            self.post_message(LibraryFailed(f"{folder}: cannot open ({error})"))
        else:
            self.post_message(LibraryOpened(library, feed, title))

    @on(LibraryFailed)
    def _library_failed(self, message: LibraryFailed) -> None:
        self.notify(clean_line(message.reason), severity="error", markup=False)

    @on(LibraryOpened)
    def _library_opened(self, message: LibraryOpened) -> None:
        library = message.library
        if library.folder == self.library.folder and self.main is not None:
            if message.feed:
                self.main.show_folder(message.feed, clean_line(message.title))
            return
        if self.main is not None:  # its place (the open article) is kept for coming back
            self.main.save_session()
            self.main.stop_jobs()
        self.libraries[library.folder] = self.library = library
        self.session = ReadingSession(library, self.writer, self.settings.mark_read)
        self.recent = with_recent(self.recent, library.folder)
        self.session.set_pref(RECENT_LIBRARIES, json.dumps(self.recent))
        self.session.set_pref(LAST_LIBRARY, str(library.folder))
        main = self._main_screen(message.feed, message.title)
        if len(self.screen_stack) > 1:  # a main screen pushed by a switch before: replaced
            self.switch_screen(main)
        else:  # the first one stays under the others (it is the default screen), asleep
            self.push_screen(main)

    def on_mount(self) -> None:
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        for warning in self.startup_warnings:
            self.notify(clean_line(warning), severity="warning", timeout=8, markup=False)
        self._theme_ready = True

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready:
            self.session.set_pref("theme", theme)

    async def action_quit(self) -> None:
        if self.main is not None:
            self.main.save_session()
        self.exit()

    def on_unmount(self) -> None:
        # The open article's place, then every queued write lands; the databases close
        # once no worker still uses them.
        if self.main is not None:
            self.main.save_session()
        self.unsaved_writes = self.writer.close(CLOSE_TIMEOUT)
        if self.jobs.wait_idle(CLOSE_TIMEOUT):
            for library in self.libraries.values():
                library.close()
            self.state.close()
