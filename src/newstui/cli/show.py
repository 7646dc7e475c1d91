"""`newstui show FILE|ID [DIR] [--json]`: an article file's article(s), or one article of a
library by its id, as plain text or JSON.

A FILE is read as it is now (no index needed, DIR is not used); an ID is looked up in the
library (`[DIR]` or `--dir DIR`, default the reader's). `--json` prints each article as one
JSON object on its own line: a file of one article prints one object, a feed file one per
entry (JSON Lines). Times are ISO 8601 UTC to the second.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
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

MEASURE = 78


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "show",
        help="print an article file (or an article by id) as text or JSON",
        description="FILE is read as it is; an ID is looked up in the library DIR.",
    )
    parser.add_argument("article", metavar="FILE|ID", help="an article file, or an article id")
    add_library_args(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    articles = _articles(args.article, args)
    if args.json:
        for article in articles:
            sys.stdout.write(article_json(article) + "\n")
    else:
        print("\n\n".join(render_plain(article) for article in articles))
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


def render_plain(article: Article) -> str:
    """A readable rendering for pipes and pagers (already sanitised text, no styling)."""
    out = [article.title, "=" * min(len(article.title), MEASURE)]
    if article.standfirst:
        out += ["", *textwrap.wrap(article.standfirst, MEASURE)]
    byline = [part for part in (article.author and f"By {article.author.name}",) if part]
    if article.published:
        byline.append(article.published.date().isoformat())
    byline.append(f"{article.reading_minutes} min read")
    out += ["", " · ".join(byline)]
    for block in article.blocks:
        out.append("")
        if block.kind == "heading":
            out += [block.text, "-" * min(len(block.text), MEASURE)]
        elif block.kind == "quote":
            out += textwrap.wrap(
                block.text, MEASURE - 4, initial_indent="  > ", subsequent_indent="    "
            )
        elif block.kind == "list_item":
            out += textwrap.wrap(
                block.text, MEASURE, initial_indent="  • ", subsequent_indent="    "
            )
        elif block.kind == "code":
            out += ["    " + line for line in block.text.splitlines()]
        elif block.kind == "image":
            out.append(f"[image: {block.text}]" + (f" <{block.url}>" if block.url else ""))
        else:
            out += textwrap.wrap(block.text, MEASURE)
    for author in article.authors:  # each person's own bio
        if author.bio:
            out += ["", f"About {author.name}", *textwrap.wrap(author.bio, MEASURE)]
    if article.related:
        out += ["", "You might also like:", *(f"  - {title}" for title in article.related)]
    return "\n".join(out)
