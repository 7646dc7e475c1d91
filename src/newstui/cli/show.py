"""`newstui show PATH [--json]`: one file's article(s), as JSON or as plain text."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from newstui.core.formats import ArticleError, parse_file
from newstui.core.lang import with_language
from newstui.core.models import Article

MEASURE = 78


def register(commands: Any) -> None:
    parser = commands.add_parser("show", help="print one article file as text or JSON")
    parser.add_argument("path", type=Path, help="an article file")
    parser.add_argument("--json", action="store_true", help="print the Article model as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from newstui.cli import CliError

    path: Path = args.path
    if path.is_dir():
        raise CliError(f"{path}: is a directory, not an article file")
    try:
        result = parse_file(path)
    except ArticleError as error:
        raise CliError(f"{path}: {error}") from None
    for problem in result.problems:
        print(f"newstui: {path}: {problem}", file=sys.stderr)
    result.articles[:] = [with_language(article) for article in result.articles]
    if args.json:
        if len(result.articles) == 1:
            print(result.articles[0].model_dump_json(indent=2))
        else:
            print("[" + ",\n".join(a.model_dump_json(indent=2) for a in result.articles) + "]")
    else:
        print("\n\n".join(render_plain(article) for article in result.articles))
    return 0


def render_plain(article: Article) -> str:
    """A readable rendering for pipes and pagers (already sanitised text, no styling)."""
    out = [article.title, "=" * min(len(article.title), MEASURE)]
    if article.summary:
        out += ["", *textwrap.wrap(article.summary, MEASURE)]
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
    if article.author and article.author.bio:
        out += ["", f"About {article.author.name}", *textwrap.wrap(article.author.bio, MEASURE)]
    if article.related:
        out += ["", "You might also like:", *(f"  - {title}" for title in article.related)]
    return "\n".join(out)
