"""`newstui [DIR]`: resolve the library folder, then start the Textual reader."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newstui.config import load_settings
from newstui.paths import AppPaths
from newstui.resources import sample_articles_dir


def default_library(paths: AppPaths) -> Path:
    """The configured folder, else the bundled samples."""
    loaded = load_settings(paths.config_file)
    for warning in loaded.warnings:
        print(f"newstui: {warning}", file=sys.stderr)
    return loaded.settings.folder or sample_articles_dir()


def check_library(directory: Path) -> Path:
    from newstui.cli import CliError

    if not directory.exists():
        raise CliError(f"{directory}: no such directory")
    if not directory.is_dir():
        raise CliError(f"{directory}: not a directory")
    if not os.access(directory, os.R_OK | os.X_OK):
        raise CliError(f"{directory}: permission denied")
    return directory.resolve()


def run_tui(args: argparse.Namespace) -> int:
    paths = AppPaths.default()
    library = check_library(Path(args.directory) if args.directory else default_library(paths))
    from newstui.app import NewsApp

    NewsApp(library=library, paths=paths).run()
    return 0
