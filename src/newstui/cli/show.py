"""`newstui show FILE|ID [DIR] [--format text|markdown|html|json]`: an article file's
article(s), or one article of a library by its id, as plain text, Markdown, HTML or JSON.

A FILE is read as it is now (no index needed, DIR is not used); an ID is looked up in the
library (`[DIR]` or `--dir DIR`, default the reader's). The renderings are `core.render`'s,
the ones the reader's pipes get. `--json` (the same as `--format json`) prints each article
as one JSON object on its own line: a file of one article prints one object, a feed file one per
entry (JSON Lines). Times are ISO 8601 UTC to the second.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newstui.cli.common import (
    add_library_args,
    iso_utc,
    json_line,
    library_dir,
    refreshed_library,
)
from newstui.core.formats import ArticleError, parse_file, supported_extensions
from newstui.core.lang import with_language
from newstui.core.models import Article
from newstui.core.render import render_html, render_markdown, render_text

FORMATS = ("text", "markdown", "html", "json")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "show",
        help="print an article file (or an article by id) as text, Markdown, HTML or JSON",
        description="FILE is read as it is; an ID is looked up in the library DIR.",
    )
    parser.add_argument("article", metavar="FILE|ID", help="an article file, or an article id")
    parser.add_argument(
        "--format", choices=FORMATS, default=None, help="what to print (default: text)"
    )
    add_library_args(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from newstui.cli import CliError

    if args.json and args.format not in (None, "json"):
        raise CliError(f"--json and --format {args.format} ask for two formats; give one")
    chosen = "json" if args.json else args.format or "text"
    articles = _articles(args.article, args)
    if chosen == "json":
        for article in articles:
            sys.stdout.write(article_json(article) + "\n")
    elif chosen == "markdown":
        sys.stdout.write("\n---\n\n".join(render_markdown(article) for article in articles))
    elif chosen == "html":
        sys.stdout.write(render_html(articles))
    else:
        print("\n\n".join(render_text(article) for article in articles))
    return 0


def _articles(given: str, args: argparse.Namespace) -> list[Article]:
    from newstui.cli import CliError

    path = Path(given)
    if path.is_dir():
        raise CliError(f"{path}: is a directory, not an article file")
    if path.exists() or path.suffix.lower() in supported_extensions():
        try:
            result = parse_file(path)
        except ArticleError as error:
            raise CliError(f"{path}: {error}") from None
        for warning in result.warnings:
            print(f"newstui: {path}: warning: {warning}", file=sys.stderr)
        return [with_language(article) for article in result.articles]
    with refreshed_library(library_dir(args)) as library:
        article = library.article(given)
        if article is None:
            raise CliError(f"{given}: no such file, nor an article id in {library.folder}")
        return [article]


def article_json(article: Article) -> str:
    """The Article model as one line of JSON, its time written as every command writes it."""
    document = article.model_dump(mode="json")
    document["published"] = iso_utc(article.published)
    return json_line(document)
