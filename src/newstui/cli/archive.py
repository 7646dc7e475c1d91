"""`newstui import FILE` and `newstui save URL`: a reading archive, or one page, into a folder.

    newstui import FILE [--into DIR] [--allow CLASS] [--json]
    newstui save URL [--into DIR] [--json]

Files go to `DIR/<service>/` (default DIR: `imports` in the news folder); read and starred
marks go to the state database. Progress goes to stderr, or, with `--json`, one JSON line
per entry to stdout, then the report as the last line. Exit 0 on success, 2 when the file
is no export newstui reads (or the page cannot be had, for `save`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newstui.cli.common import told_settings
from newstui.core.config import imports_folder_of
from newstui.core.paths import AppPaths


def register(commands: Any) -> None:
    from newstui.core.fetch.addresses import ADDRESS_CLASSES

    importer = commands.add_parser(
        "import",
        help="import a read-later export (wallabag, Omnivore, Instapaper, Pocket, Readwise)",
        description="Write each entry of an export file as an article file, carrying its "
        "read and starred state; entries that are only a URL have their page fetched. "
        "Importing the same file again adds nothing.",
    )
    importer.add_argument("file", metavar="FILE", help="the export file (or a folder of .md)")
    _into(importer, "<service>")
    importer.add_argument(
        "--allow",
        action="append",
        default=[],
        choices=[name for name in ADDRESS_CLASSES if name != "unspecified"],
        metavar="CLASS",
        help="let the entries' pages be fetched from this class of address too "
        "(private, loopback, ...); by default only public addresses",
    )
    importer.add_argument("--json", action="store_true", help="JSON lines on stdout")
    importer.set_defaults(handler=run_import)
    saver = commands.add_parser("save", help="fetch one web page and save it as an article")
    saver.add_argument("url", metavar="URL")
    _into(saver, "saved")
    saver.add_argument("--json", action="store_true", help="print the result as JSON")
    saver.set_defaults(handler=run_save)


def _into(parser: argparse.ArgumentParser, subfolder: str) -> None:
    parser.add_argument(
        "--into",
        metavar="DIR",
        help=f"write under DIR/{subfolder}/ (default: the imports folder in the news folder)",
    )


def base_folder(into: str | None, paths: AppPaths) -> Path:
    if into:
        return Path(into).expanduser()
    return imports_folder_of(told_settings(paths), paths.data_dir)


def run_import(args: argparse.Namespace) -> int:
    from newstui.cli import CliError
    from newstui.core.archive.run import EntryOutcome, ExportError, import_export
    from newstui.core.fetch.addresses import PUBLIC, AddressPolicy
    from newstui.core.state.store import StateError, StateStore

    paths = AppPaths.default()
    base = base_folder(args.into, paths)
    try:
        state = StateStore(paths.state_db)
    except StateError as error:
        raise CliError(str(error)) from None

    def progress(entry: EntryOutcome) -> None:
        if args.json:
            print(json.dumps({"entry": entry.__dict__}, ensure_ascii=False), flush=True)
            return
        what = entry.title or entry.url or "(untitled)"
        line = f"[{entry.done:,}/{entry.total:,}] {entry.outcome}: {what}"
        print(line + (f" ({entry.reason})" if entry.reason else ""), file=sys.stderr)

    policy = AddressPolicy(frozenset({PUBLIC, *args.allow}))
    try:
        report = import_export(Path(args.file), base, state, progress=progress, policy=policy)
    except ExportError as error:
        raise CliError(f"{args.file}: {error}") from None
    except OSError as error:
        raise CliError(f"{error.filename or base}: cannot write ({error.strerror})") from None
    if args.json:
        print(json.dumps({"report": report.as_json()}, ensure_ascii=False))
        return 0
    for problem in report.problems[:10]:
        print(f"newstui: {args.file}: {problem}", file=sys.stderr)
    new = report.written + report.not_fetched
    parts = [f"{report.read:,} read", f"{report.starred:,} starred"]
    if report.not_fetched:
        parts.append(f"{report.not_fetched:,} kept without their page")
    if report.already:
        parts.append(f"{report.already:,} imported before")
    print(
        f"Imported {new:,} new article{'s' * (new != 1)} from {report.service} "
        f"({', '.join(parts)}) into {report.folder}"
    )
    return 0


def run_save(args: argparse.Namespace) -> int:
    from newstui.cli import CliError
    from newstui.core.archive.run import ExportError, save_url

    paths = AppPaths.default()
    base = base_folder(args.into, paths)
    try:
        path, new = save_url(args.url, base)
    except ExportError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"{error.filename or base}: cannot write ({error.strerror})") from None
    if args.json:
        print(json.dumps({"path": str(path), "new": new}))
    else:
        print(path if new else f"{path} (saved before)")
    return 0
