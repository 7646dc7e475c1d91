"""`newstui [DIR]`: resolve the library folder, then start the Textual reader."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from newstui.cli import CliError
from newstui.core.config import Settings, load_settings, news_folder_of
from newstui.core.libraries import LAST_LIBRARY, LibraryError, checked_library
from newstui.core.paths import AppPaths
from newstui.core.resources import sample_articles_dir


def default_folder(settings: Settings, paths: AppPaths, last_used: str | None = None) -> Path:
    """The library without a DIR: the configured `folder`; else the last DIR the reader was
    opened on (while it is still there); else the news folder when there are
    subscriptions or it holds something (an import, a saved page); else the bundled samples."""
    if settings.folder is not None:
        return settings.folder
    if last_used and os.path.isdir(last_used):
        return Path(last_used)
    from newstui.core.fetch.subscriptions import has_subscriptions

    news = news_folder_of(settings, paths.data_dir)
    if has_subscriptions(paths.config_dir) or _holds_anything(news):
        return news
    return sample_articles_dir()


def _holds_anything(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(not entry.name.startswith(".") for entry in entries)
    except OSError:
        return False


def check_library(directory: Path) -> Path:
    try:
        return checked_library(directory)
    except LibraryError as error:
        raise CliError(str(error)) from None


def run_tui(directory: str | None) -> int:
    """Open the reader; every failure before the first screen is one line and exit 2."""
    paths = AppPaths.default()
    loaded = load_settings(paths.config_file)
    from newstui.core.state.store import StateError, StateStore
    from newstui.tui.app import NewsApp

    try:
        state = StateStore(paths.state_db, outbox=loaded.settings.sync is not None)
    except StateError as error:
        raise CliError(str(error)) from None
    if directory is None:
        folder = default_folder(loaded.settings, paths, state.pref(LAST_LIBRARY))
        if folder == news_folder_of(loaded.settings, paths.data_dir):
            folder.mkdir(parents=True, exist_ok=True)  # subscribed, never fetched yet
    else:
        folder = Path(directory)
    try:
        library = check_library(folder)
        app = NewsApp(library, paths, loaded.settings, warnings=loaded.warnings, state=state)
    except (OSError, sqlite3.Error) as error:
        state.close()
        raise CliError(f"{paths.index_db(folder)}: cannot open the index ({error})") from None
    except BaseException:
        state.close()
        raise
    if directory is not None:  # the library the commands and a bare `newstui` use from now on
        app.session.set_pref(LAST_LIBRARY, str(library))
    app.run()
    code = app.return_code or 0
    if app.unsaved_writes:
        print(
            f"newstui: {app.unsaved_writes} change(s) to read/star marks or positions could not "
            f"be saved: {paths.state_db} stayed locked by another program",
            file=sys.stderr,
        )
    if app.jobs.running:
        # A background re-index is still running; its transaction is simply rolled back.
        # Exit now rather than wait for it (the thread cannot be interrupted).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
