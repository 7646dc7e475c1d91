"""`newstui [DIR]`: resolve the library folder, then start the Textual reader."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from newstui.cli import CliError
from newstui.core.config import Settings, load_settings, news_folder_of
from newstui.core.paths import AppPaths
from newstui.core.resources import sample_articles_dir


def default_library(paths: AppPaths) -> Path:
    """The configured folder, else the bundled samples."""
    loaded = load_settings(paths.config_file)
    for warning in loaded.warnings:
        print(f"newstui: {warning}", file=sys.stderr)
    return default_folder(loaded.settings, paths)


def default_folder(settings: Settings, paths: AppPaths) -> Path:
    """`folder`, else the news folder when there are subscriptions, else the samples."""
    if settings.folder is not None:
        return settings.folder
    from newstui.core.fetch.subscriptions import has_subscriptions

    if has_subscriptions(paths.config_dir):
        return news_folder_of(settings, paths.data_dir)
    return sample_articles_dir()


def check_library(directory: Path) -> Path:
    if not directory.exists():
        raise CliError(f"{directory}: no such directory")
    if not directory.is_dir():
        raise CliError(f"{directory}: not a directory")
    if not os.access(directory, os.R_OK | os.X_OK):
        raise CliError(f"{directory}: permission denied")
    return directory.resolve()


def run_tui(directory: str | None) -> int:
    """Open the reader; every failure before the first screen is one line and exit 2."""
    paths = AppPaths.default()
    loaded = load_settings(paths.config_file)
    folder = default_folder(loaded.settings, paths)
    if directory is None and folder == news_folder_of(loaded.settings, paths.data_dir):
        folder.mkdir(parents=True, exist_ok=True)  # subscribed, never fetched yet
    library = check_library(Path(directory) if directory else folder)
    from newstui.core.state.store import StateError
    from newstui.tui.app import NewsApp

    try:
        app = NewsApp(library, paths, loaded.settings, warnings=loaded.warnings)
    except StateError as error:
        raise CliError(str(error)) from None
    except (OSError, sqlite3.Error) as error:
        raise CliError(f"{paths.index_db(library)}: cannot open the index ({error})") from None
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
