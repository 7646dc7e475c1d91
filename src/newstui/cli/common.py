"""What every command that works on a library shares: the arguments naming it, opening it,
and one way of printing dates and JSON.

A new command that works on a library:

    def register(commands):
        parser = commands.add_parser("thing", help="...")
        add_library_args(parser)          # [DIR] and --dir DIR, and --json
        parser.set_defaults(handler=run)

    def run(args):
        with refreshed_library(library_dir(args)) as library:
            print_json({...}) if args.json else print(...)

Rules (docs/command-line.md): DIR is given as `[DIR]` or `--dir DIR`
alike, and defaults to the library the reader opens without one; `--json` prints compact
JSON, one document per line; times are ISO 8601 UTC to the second (`2024-05-01T09:30:00Z`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from newstui.core.library import Library
from newstui.core.paths import AppPaths

if TYPE_CHECKING:
    from newstui.core.config import Settings

DIR_HELP = "the library folder (default: the one the reader opens without a DIR)"


class WordsParser(argparse.ArgumentParser):
    """A parser for which a word starting with one `-` that is none of the command's options
    is a word: `newstui search -said` searches for articles without "said". Options are
    spelt in full (no abbreviations), and `--` still ends them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def _parse_optional(self, arg_string: str) -> Any:
        one_dash = arg_string[:1] == "-" and arg_string[:2] != "--" and len(arg_string) > 1
        known = arg_string.partition("=")[0] in self._option_string_actions
        if one_dash and not known and arg_string not in self._option_string_actions:
            return None  # a word, not an option
        return super()._parse_optional(arg_string)


def add_library_args(parser: argparse.ArgumentParser, *, json_output: bool = True) -> None:
    """`[DIR]` (after the command's own positional arguments) and `--dir DIR`; `--json`."""
    parser.add_argument(
        "directory_argument", nargs="?", type=Path, metavar="DIR", help=DIR_HELP, default=None
    )
    parser.add_argument("--dir", dest="directory_option", type=Path, metavar="DIR", help=DIR_HELP)
    if json_output:
        add_json_arg(parser)


def add_json_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help="compact JSON, one document per line (see docs/command-line.md)",
    )


def library_dir(args: argparse.Namespace) -> Path | None:
    """The DIR of `add_library_args`, given either way (None: the default library)."""
    from newstui.cli import CliError

    given: Path | None = getattr(args, "directory_argument", None)
    option: Path | None = getattr(args, "directory_option", None)
    if given is not None and option is not None and given.resolve() != option.resolve():
        raise CliError(f"two libraries given: {given} and --dir {option}; give one")
    return option if option is not None else given


# opening a library


def told_settings(paths: AppPaths) -> Settings:
    """The config's settings; each of its warnings (a bad key, ignored) on stderr."""
    from newstui.core.config import load_settings

    loaded = load_settings(paths.config_file)
    for warning in loaded.warnings:
        print(f"newstui: warning: {warning}", file=sys.stderr)
    return loaded.settings


def sync_is_set(paths: AppPaths) -> bool:
    """[sync] is configured: marks on the server's articles go to the outbox."""
    from newstui.core.config import load_settings

    return load_settings(paths.config_file).settings.sync is not None


def default_library(paths: AppPaths, last_used: str | None) -> Path:
    """The folder the reader opens without a DIR (see `cli.tui.default_folder`)."""
    from newstui.cli.tui import default_folder

    return default_folder(told_settings(paths), paths, last_used)


def library_of(path: Path, paths: AppPaths) -> Path:
    """The library an article file belongs to: the nearest folder above it that has an
    index, else the file's own folder (indexed then)."""
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        if paths.index_db(candidate).exists():
            return candidate
    return folder


@contextlib.contextmanager
def open_library(directory: Path | None) -> Iterator[Library]:
    """The library at `directory` (else the reader's default); not refreshed yet."""
    from newstui.cli import CliError
    from newstui.cli.tui import check_library, default_folder
    from newstui.core.libraries import LAST_LIBRARY
    from newstui.core.state.store import StateError, StateStore

    paths = AppPaths.default()
    try:
        state = StateStore(paths.state_db, outbox=sync_is_set(paths))
    except StateError as error:
        raise CliError(str(error)) from None
    try:
        for warning in state.warnings:
            print(f"newstui: warning: {warning}", file=sys.stderr)
        settings = told_settings(paths)
        if directory is None:
            directory = default_folder(settings, paths, state.pref(LAST_LIBRARY))
        folder = check_library(directory)
        try:
            library = Library(folder, paths, state, settings.rules)
        except (OSError, sqlite3.Error) as error:
            where = paths.index_db(folder)
            raise CliError(f"{where}: cannot open the index: {error}") from None
        try:
            yield library
        finally:
            library.close()
    finally:
        state.close()


@contextlib.contextmanager
def refreshed_library(directory: Path | None) -> Iterator[Library]:
    """`open_library`, brought up to date. When the set of unreadable files has changed
    since it was last said (by any command, or the reader), one line on stderr says so."""
    with open_library(directory) as library:
        library.refresh()
        announce_problems(library)
        yield library


def announce_problems(library: Library) -> None:
    problems = library.problems_to_announce()
    if problems:
        count = len(problems)
        files = "file" if count == 1 else "files"
        print(
            f"newstui: {count} {files} could not be loaded; see `newstui check {library.folder}`",
            file=sys.stderr,
        )


# printing


def iso_utc(moment: datetime | float | None) -> str | None:
    """`2024-05-01T09:30:00Z`: the one way a time is written (naive times are UTC, numbers
    Unix seconds)."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(moment, timezone.utc)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def unix_seconds(text: str) -> float:
    """The moment an ISO 8601 time names (`iso_utc`'s, or any with a zone; naive is UTC);
    ValueError if it names none."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def json_line(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False)


def print_json(document: Any, out: TextIO | None = None) -> None:
    """One JSON document on one line."""
    (out or sys.stdout).write(json_line(document) + "\n")


def write_json_lines(items: Iterable[Any], out: TextIO | None = None) -> None:
    """One JSON document per line, written as produced (JSON Lines)."""
    stream = out or sys.stdout
    for item in items:
        stream.write(json_line(item) + "\n")


def write_json_array(items: Iterable[Any], out: TextIO | None = None) -> None:
    """A JSON array, one item per line, written as produced: memory stays flat."""
    stream = out or sys.stdout
    stream.write("[")
    empty = True
    for item in items:
        stream.write("\n" if empty else ",\n")
        stream.write(json_line(item))
        empty = False
    stream.write("]\n" if empty else "\n]\n")
