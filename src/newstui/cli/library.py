"""Library commands: the same core as the reader, for people (aligned text) and scripts (--json).

    newstui list [DIR] [--unread] [--starred] [--author NAME] [--sort date|title|author]
                 [--limit N]
    newstui search QUERY [DIR] [--limit N]
    newstui related ID_OR_PATH [DIR] [--limit N]
    newstui related --all [DIR] [--limit N]         (JSON lines, one per article)
    newstui authors [DIR]
    newstui index [DIR]                            (build or refresh the index)
    newstui check [DIR]                            (every problem; exit 1 if any)

DIR is given as `[DIR]` or `--dir DIR` alike (`cli.common`); every command brings the index
up to date first. An article given as a path is looked up in that path's own library. In
search snippets, matched terms are marked «like this», in JSON as in text.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from newstui.cli.common import (
    add_library_args,
    iso_utc,
    library_dir,
    library_of,
    open_library,
    print_json,
    refreshed_library,
    write_json_array,
    write_json_lines,
)
from newstui.core.index.listing import MARK_END, MARK_START
from newstui.core.index.query import author_match, parse_query
from newstui.core.index.search import folder_needle
from newstui.core.library import ArticleRow, Library, ListFilter, Problem, QueryError
from newstui.core.paths import AppPaths

MARK_OPEN, MARK_CLOSE = "«", "»"
AUTHOR_COLUMN_MAX = 24
EXIT_PROBLEMS = 1


def register(commands: Any) -> None:
    listing = commands.add_parser("list", help="list the articles of a library")
    add_library_args(listing)
    listing.add_argument("--unread", action="store_true", help="only unread articles")
    listing.add_argument("--starred", action="store_true", help="only starred articles")
    listing.add_argument(
        "--author", metavar="NAME", help="only articles by NAME, matched as search's author:NAME"
    )
    listing.add_argument("--sort", choices=("date", "title", "author"), default="date")
    listing.add_argument(
        "--limit", type=_positive, metavar="N", help="at most N articles (default: all)"
    )
    listing.set_defaults(handler=run_list)

    search = commands.add_parser(
        "search",
        help="full-text search",
        description='Words, "phrases", prefix*, -excluded, author:NAME, folder:NAME, '
        "feed:NAME, is:unread, is:read, is:starred, is:hidden; @NAME runs the saved search "
        "NAME of config.toml. A query may start with -: "
        "`search -said` (or `search -- -said`). Matches are marked «like this».",
    )
    search.add_argument("query")
    add_library_args(search)
    search.add_argument("--limit", type=_positive, default=20, metavar="N")
    search.set_defaults(handler=run_search)

    related = commands.add_parser("related", help="stories related to an article")
    related.add_argument(
        "article", nargs="?", metavar="ID_OR_PATH", help="an article id, or its file"
    )
    add_library_args(related)
    related.add_argument(
        "--all", action="store_true", help="every article, one JSON line each (for evaluation)"
    )
    related.add_argument("--limit", type=_positive, default=8, metavar="N")
    related.set_defaults(handler=run_related)

    authors = commands.add_parser("authors", help="authors with their article counts")
    add_library_args(authors)
    authors.set_defaults(handler=run_authors)

    build = commands.add_parser("index", help="build or refresh the index of a folder")
    add_library_args(build)
    build.set_defaults(handler=run_index)

    check = commands.add_parser("check", help="list the files that could not be loaded")
    add_library_args(check)
    check.set_defaults(handler=run_check)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


# list


def run_list(args: argparse.Namespace) -> int:
    from newstui.cli import CliError

    if args.author is not None:
        try:
            author_match(args.author)
        except QueryError as error:
            raise CliError(f"list --author: {error}") from None
    flt = ListFilter(unread=args.unread, starred=args.starred, author_words=args.author)
    with refreshed_library(library_dir(args)) as library:
        rows = itertools.islice(library.iter_rows(args.sort, flt), args.limit)
        if args.json:
            write_json_array(with_web_links(library, rows))
            return 0
        printed = print_rows(sys.stdout, rows, author_width=AUTHOR_COLUMN_MAX)  # streamed
        if not printed:
            say_empty(library, "no articles match these filters")
    return 0


def say_empty(library: Library, none_found: str) -> None:
    """On stderr: "no articles in DIR" if there are none, else `none_found` (if any)."""
    message = f"no articles in {library.folder}" if library.count() == 0 else none_found
    if message:
        print(f"newstui: {message}", file=sys.stderr)


def row_json(row: ArticleRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "author": {"name": row.author} if row.author else None,
        "published": iso_utc(row.published),
        "source": {"path": row.path, "format": row.format},
        "read": row.read,
        "starred": row.starred,
        "word_count": row.word_count,
    }


def with_web_links(library: Library, rows: Iterable[ArticleRow]) -> Iterator[dict[str, Any]]:
    """Each row as JSON with its `url` and `feed`, looked up a batch of rows at a time."""
    batch: list[ArticleRow] = []
    for row in itertools.chain(rows, [None]):
        if row is not None:
            batch.append(row)
            if len(batch) < 500:
                continue
        links = library.web_links([each.rowid for each in batch])
        for each in batch:
            url, feed = links.get(each.rowid, (None, None))
            yield {**row_json(each), "url": url, "feed": feed}
        batch = []


def print_rows(
    out: TextIO,
    rows: Iterable[ArticleRow],
    extra: list[str] | None = None,
    author_width: int | None = None,
) -> int:
    """DATE  FLAGS  TITLE  AUTHOR, aligned for the terminal (wide characters count twice);
    how many rows were printed.

    FLAGS: `*` starred, `N` not read yet. `extra[i]`, if given, is printed under row i.
    """
    width = shutil.get_terminal_size((100, 24)).columns
    if author_width is None:
        rows = list(rows)
        widest = max((text_width(row.author or "") for row in rows), default=0)
        author_width = min(AUTHOR_COLUMN_MAX, widest)
    title_width = max(20, width - 10 - 2 - 3 - 2 - author_width - 1)
    printed = 0
    for number, row in enumerate(rows):
        date = row.published.date().isoformat() if row.published else ""
        flags = ("*" if row.starred else " ") + (" " if row.read else "N")
        title, author = fit(row.title, title_width), fit(row.author or "", author_width)
        line = f"{date:<10}  {flags} {title}  {author}"
        out.write(line.rstrip() + "\n")
        if extra and extra[number]:
            out.write(extra[number] + "\n")
        printed += 1
    return printed


def text_width(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two, marks none."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """`text` cut with "…" to at most `width` cells, padded with spaces to exactly `width`."""
    if text_width(text) > width:
        kept, used = [], 0
        for char in text:
            cells = _char_width(char)
            if used + cells > width - 1:
                break
            kept.append(char)
            used += cells
        text = "".join(kept).rstrip() + "…"
    return text + " " * (width - text_width(text))


# search


def marked(snippet: str) -> str:
    return snippet.replace(MARK_START, MARK_OPEN).replace(MARK_END, MARK_CLOSE)


def run_search(args: argparse.Namespace) -> int:
    from newstui.cli import CliError

    query = saved_search(args.query) if args.query.startswith("@") else args.query
    with refreshed_library(library_dir(args)) as library:
        try:
            hits = library.search(query, limit=args.limit)
        except QueryError as error:
            raise CliError(f"search: {error}") from None
        if args.json:
            items = [
                {**row_json(hit.row), "score": round(hit.score, 4), "snippet": marked(hit.snippet)}
                for hit in hits
            ]
            write_json_array(items)
        elif not hits:
            say_no_match(library, args.query)
        else:
            snippets = ["    " + marked(hit.snippet) for hit in hits]
            print_rows(sys.stdout, [hit.row for hit in hits], snippets)
    return 0


def say_no_match(library: Library, query: str) -> None:
    """Why a search found nothing: no such folder (and the ones there are), no articles at
    all, or none that match."""
    from newstui.cli import CliError

    names = [info.name for info in library.folders() if info.name]
    for folder in parse_query(query).folders:
        if not any(folder_needle(folder, "/") in f"/{name}/" for name in names):
            there = ", ".join(names) if names else "none"
            raise CliError(f"search: no folder {folder!r} in {library.folder} (folders: {there})")
    say_empty(library, f"no articles match {query!r}")


def saved_search(name: str) -> str:
    """The query of the saved search `@name` (`[searches]` in config.toml)."""
    from newstui.cli import CliError
    from newstui.core.config import load_settings

    # (its warnings are told when the library opens)
    searches = load_settings(AppPaths.default().config_file).settings.searches
    query = searches.get(name[1:])
    if query is None:
        saved = ", ".join("@" + each for each in searches) or "none in config.toml"
        raise CliError(f"search: no saved search {name} (saved: {saved})")
    return query


# related


def run_related(args: argparse.Namespace) -> int:
    from newstui.cli import CliError

    directory = library_dir(args)
    if args.all:
        if args.article and directory is None:  # `related --all DIR`
            directory, args.article = Path(args.article), None
        if args.article:
            raise CliError("related: give either ID_OR_PATH or --all, not both")
        with refreshed_library(directory) as library:
            write_json_lines(
                {
                    "id": row.id,
                    "path": row.path,
                    "related": [
                        {"id": it.row.id, "path": it.row.path, "score": round(it.score, 4)}
                        for it in library.related(row.id, args.limit)
                    ],
                }
                for row in library.iter_rows("date")
            )
        return 0
    if not args.article:
        raise CliError("related: which article? give an id or a file path (or --all)")
    given = Path(args.article)
    if directory is None and given.is_file():  # the file's own library
        directory = library_of(given, AppPaths.default())
    with refreshed_library(directory) as library:
        article_id = library.resolve(args.article)
        found = library.row(article_id) if article_id else None
        if found is None:
            raise CliError(f"{args.article}: no such article in {library.folder}")
        items = library.related(found.id, args.limit)
        if args.json:
            document = {
                "id": found.id,
                "path": found.path,
                "title": found.title,
                "related": [
                    {
                        **row_json(item.row),
                        "score": round(item.score, 4),
                        "reason": item.reason,
                        "listed": item.listed,
                    }
                    for item in items
                ],
            }
            print_json(document)
        else:
            print(f"Related to: {found.title}")
            if not items:
                print("(nothing related found)")
            print_rows(sys.stdout, [item.row for item in items], [f"    {i.reason}" for i in items])
    return 0


# authors


def run_authors(args: argparse.Namespace) -> int:
    with refreshed_library(library_dir(args)) as library:
        authors = library.authors()
        if args.json:
            items = [
                {"name": a.name, "bio": a.bio, "article_count": a.article_count} for a in authors
            ]
            write_json_array(items)
            return 0
        if not authors:
            say_empty(library, "no article names its author")
        name_width = max((text_width(a.name) for a in authors), default=0)
        count_width = max((len(str(a.article_count)) for a in authors), default=0)
        for author in authors:
            print(f"{fit(author.name, name_width)}  {author.article_count:>{count_width}}")
    return 0


# index and check


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "reason": problem.reason, "recovered": problem.recovered}


def problem_line(problem: Problem) -> str:
    return f"{problem.path}: " + "recovered: " * problem.recovered + problem.reason


def run_index(args: argparse.Namespace) -> int:
    progress = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    with open_library(library_dir(args)) as library:
        try:
            summary = library.refresh(progress)
        finally:
            if progress:
                progress.finish()
        library.problems_to_announce()  # said here: the next commands need not repeat it
    if args.json:
        document = {
            "parsed": summary.parsed,
            "unchanged": summary.unchanged,
            "removed": summary.removed,
            "problems": [problem_json(p) for p in summary.problems],
            "warnings": [problem_json(p) for p in summary.warnings],
        }
        print_json(document)
    else:
        recovered = len({warning.path for warning in summary.warnings})
        print(
            f"parsed {summary.parsed}, unchanged {summary.unchanged}, "
            f"removed {summary.removed}, problems {len(summary.problems)}"
            + (f", {recovered} recovered with warnings (see check)" if recovered else "")
        )
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Unreadable files, then files read with warnings (recovered); exit 1 for the former."""
    with open_library(library_dir(args)) as library:
        summary = library.refresh()
        library.problems_to_announce()
        empty = library.count() == 0
    found = [*summary.problems, *summary.warnings]
    if args.json:
        write_json_array(problem_json(p) for p in found)
    else:
        for problem in found:
            print(problem_line(problem))
        if not found and empty:
            print(f"newstui: no articles in {library.folder}", file=sys.stderr)
    return EXIT_PROBLEMS if summary.problems else 0


class ProgressBar:
    """`indexing [#####.....] 1234/5000` on one line of a terminal, redrawn with \\r."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not total or (done < total and now - self.drawn < 0.1):
            return
        self.drawn = now
        filled = self.WIDTH * done // total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\rindexing [{bar}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 40) + "\r")
            self.stream.flush()
