"""Reader state from the command line.

    newstui mark-read ID_OR_PATH... [--dir DIR]     newstui mark-unread ID_OR_PATH...
    newstui star ID_OR_PATH...                      newstui unstar ID_OR_PATH...
    newstui hide ID_OR_PATH...                      newstui unhide ID_OR_PATH...
    newstui state                       where the state lives, and how much of it
    newstui state export FILE|-         JSON, written atomically (`-`: stdout)
    newstui state import FILE|-         merge a JSON export (`-`: stdin)

An export is one line of compact JSON with times in ISO 8601 UTC (`2026-12-08T10:00:00Z`),
as everything the CLI prints; import reads those and the Unix seconds of older exports.

An argument naming an existing file stands for the article(s) in it (parsed, no index
needed); anything else is an article id, of an article in the library (`--dir DIR`, else the
one the reader opens without a DIR) or one the state already holds. An unknown id is refused
(exit 2) and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newstui.cli.common import (
    DIR_HELP,
    iso_utc,
    json_line,
    open_library,
    sync_is_set,
    unix_seconds,
)
from newstui.core.formats import ArticleError, parse_file, supported_extensions
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateError, StateStore

# command -> (StateStore method, value, help, confirmation)
_MARKS = {
    "mark-read": ("set_read", True, "mark articles read", "marked {} read"),
    "mark-unread": ("set_read", False, "mark articles unread", "marked {} unread"),
    "star": ("set_starred", True, "star articles", "starred {}"),
    "unstar": ("set_starred", False, "remove the star from articles", "unstarred {}"),
    "hide": ("set_hidden", True, "hide articles (is:hidden finds them)", "hid {}"),
    "unhide": ("set_hidden", False, "show hidden articles again", "unhid {}"),
}


def register(commands: Any) -> None:
    for name, (_, _, help_text, _) in _MARKS.items():
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument(
            "items", nargs="+", metavar="ID_OR_PATH", help="an article id, or a file (its articles)"
        )
        parser.add_argument(
            "--dir", dest="directory_option", type=Path, metavar="DIR", help=f"for ids: {DIR_HELP}"
        )
        parser.set_defaults(handler=run_mark, mark=name)
    state = commands.add_parser(
        "state",
        help="show, export or import reader state",
        description="Without an action: where the reader state lives and how much it holds.",
    )
    state.set_defaults(handler=run_info)
    actions = state.add_subparsers(dest="action", metavar="ACTION")
    export = actions.add_parser("export", help="write all reader state as JSON")
    export.add_argument("file", help="output file, or - for stdout")
    export.set_defaults(handler=run_export)
    import_ = actions.add_parser("import", help="merge reader state from a JSON export")
    import_.add_argument("file", help="input file, or - for stdin")
    import_.set_defaults(handler=run_import)


@contextmanager
def open_store() -> Iterator[StateStore]:
    from newstui.cli import CliError

    try:
        paths = AppPaths.default()
        store = StateStore(paths.state_db, outbox=sync_is_set(paths))
    except StateError as error:
        raise CliError(str(error)) from None
    for warning in store.warnings:
        print(f"newstui: warning: {warning}", file=sys.stderr)
    try:
        yield store
    except StateError as error:
        raise CliError(str(error)) from None
    finally:
        store.close()


def resolve_ids(items: list[str]) -> tuple[list[str], list[str]]:
    """Article ids for ids and file paths, in order, without repeats; and those of them
    given as ids (not files), which are still to be checked."""
    from newstui.cli import CliError

    ids: list[str] = []
    given: list[str] = []
    for item in items:
        path = Path(item)
        if path.exists():
            try:
                articles = parse_file(path).articles
            except ArticleError as error:
                raise CliError(f"{item}: {error}") from None
            if not articles:
                raise CliError(f"{item}: no articles in this file")
            ids += [article.id for article in articles]
        elif path.suffix.lower() in supported_extensions():
            raise CliError(f"{item}: no such file")  # a typo, not an article id
        else:
            ids.append(item)
            given.append(item)
    return list(dict.fromkeys(ids)), given


def check_known(given: list[str], directory: Path | None) -> None:
    """Refuse the first id neither already in the state nor in the library."""
    from newstui.cli import CliError

    if not given:
        return
    with open_store() as store:
        held = store.held(given)
    unheld = [article_id for article_id in given if article_id not in held]
    if not unheld:
        return
    with open_library(directory) as library:
        library.refresh()
        for article_id in unheld:
            if library.resolve(article_id) != article_id:
                raise CliError(
                    f"{article_id}: no such article in {library.folder} "
                    "(give its file, or --dir its library)"
                )


def _articles(count: int) -> str:
    return f"{count} article" + ("" if count == 1 else "s")


def run_mark(args: argparse.Namespace) -> int:
    method, value, _, done = _MARKS[args.mark]
    ids, given = resolve_ids(args.items)
    check_known(given, args.directory_option)
    with open_store() as store:
        getattr(store, method)(ids, value)
    print(done.format(_articles(len(ids))))
    return 0


def run_info(args: argparse.Namespace) -> int:
    del args
    with open_store() as store:
        articles = store.export_data()["articles"]
        path = store.path
    read = sum(1 for item in articles if item["read_at"] is not None)
    starred = sum(1 for item in articles if item["starred"])
    print(f"state database: {path}")
    print(f"{read} read, {starred} starred, {_articles(len(articles))} with any state")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with open_store() as store:
        data = store.export_data()
    data = with_times(data, to_iso)
    data["exported_at"] = iso_utc(unix_seconds(data["exported_at"]))
    text = json_line(data) + "\n"
    if args.file == "-":
        sys.stdout.write(text)
        return 0
    write_atomically(Path(args.file), text)
    print(f"exported {_articles(len(data['articles']))} to {args.file}")
    return 0


# The times of an export document: (list, key) of each.
TIMES = (("articles", "read_at"), ("articles", "updated_at"), ("last_opened", "updated_at"))


def with_times(data: dict[str, Any], convert: Callable[[Any, str], Any]) -> dict[str, Any]:
    """`data` with each of its `TIMES` that is there and not null through `convert(value,
    where)` (`where`: `articles[3]: "read_at"`); anything else is left for the store to check."""
    converted = dict(data)
    for part in ("articles", "last_opened"):
        items = data.get(part)
        if not isinstance(items, list):
            continue
        keys = [key for name, key in TIMES if name == part]
        converted[part] = [dict(item) if isinstance(item, dict) else item for item in items]
        for n, item in enumerate(converted[part]):
            for key in keys:
                if isinstance(item, dict) and item.get(key) is not None:
                    item[key] = convert(item[key], f'{part}[{n}]: "{key}"')
    return converted


def to_iso(value: Any, where: str) -> Any:
    del where
    return iso_utc(value)


def from_iso(value: Any, where: str) -> Any:
    """An ISO 8601 time as Unix seconds; a number as it is (an export before ISO times)."""
    from newstui.cli import CliError

    if not isinstance(value, str):
        return value
    try:
        return unix_seconds(value)
    except ValueError:
        raise CliError(f"{where} is not an ISO 8601 time: {value!r}") from None


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target, flush to disk, then rename over it: never a half file."""
    from newstui.cli import CliError

    if path.is_dir():
        raise CliError(f"{path}: is a directory")
    folder = path.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise CliError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise CliError(f"{path}: cannot write: {error.strerror or error}") from None


def run_import(args: argparse.Namespace) -> int:
    from newstui.cli import CliError

    name = "stdin" if args.file == "-" else args.file
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CliError(f"{name}: cannot read: {reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(f"{name}: not valid JSON: {error}") from None
    if isinstance(data, dict):
        try:
            data = with_times(data, from_iso)
        except CliError as error:
            raise CliError(f"{name}: {error}") from None
    with open_store() as store:
        try:
            changed = store.import_data(data)
        except ValueError as error:
            raise CliError(f"{name}: {error}") from None
    total = len(data["articles"]) if isinstance(data.get("articles"), list) else 0
    print(f"imported {_articles(total)} from {name}: {changed} changed here")
    return 0
