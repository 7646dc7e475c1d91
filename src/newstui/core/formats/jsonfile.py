"""JSON files (`.json`): one Article object, a list of them, one per line (JSON Lines, as
`newstui show --json` prints a feed file's), or a JSON Feed.

Articles are validated by the `Article` model itself, so what `newstui show FILE --json`
prints loads back as an equal Article, with one exception: `source` always describes the
file the article was read from now (`{path: this file, format: "json"}`); only the source's
`name` (the outlet) is kept from the input. `word_count` and `reading_minutes` are computed
and ignored on input; so is `author` (the byline) next to `authors`, while a file from before
`authors` gives its `author` (a name or `{name, bio}`). An article without an `id` gets its
slug, else a content hash. An article without `blocks` may give its body as `html`, and one
without a `summary` its summary as `summary_html` (as the fetcher stores a feed entry's
content), read like a feed's HTML.
A document with a `version` of "https://jsonfeed.org/version/..." is read as a JSON Feed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.formats._fields import as_utc, guarded, shorten
from newstui.core.formats._html_blocks import html_to_blocks, text_to_blocks
from newstui.core.formats.feeds import (
    SUMMARY_MAX_CHARS,
    is_json_feed,
    parse_json_feed,
    summary_of,
    without_lead,
)
from newstui.core.models import Article, content_id
from newstui.core.sanitize import clean_line

NOT_AN_ARTICLE = "not an Article or a JSON Feed"
_PLACEHOLDER_ID = "-"


@guarded
def parse(path: Path, data: bytes) -> ParseResult:
    if not data.strip():
        raise ArticleError("empty file")
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        document = _json_lines(data) if error.msg == "Extra data" else None
        if document is None:
            raise ArticleError(
                f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            ) from None
    except UnicodeDecodeError:
        raise ArticleError("not valid JSON: not UTF-8, UTF-16 or UTF-32 text") from None
    except ValueError as error:  # e.g. an integer with too many digits
        raise ArticleError(f"not valid JSON: {clean_line(str(error))[:200]}") from None
    if is_json_feed(document):
        return parse_json_feed(path, document)
    if isinstance(document, dict):
        try:
            return ParseResult([article_from_json(path, document)])
        except ValidationError as error:
            raise ArticleError(f"{NOT_AN_ARTICLE}: {describe(error)}") from None
    if isinstance(document, list):
        return _parse_list(path, document)
    raise ArticleError(f"{NOT_AN_ARTICLE}: the file holds a JSON {_json_type(document)}")


def _json_lines(data: bytes) -> list[Any] | None:
    """The objects of a JSON Lines file (one document a line), or None if it is not one."""
    try:
        lines = [line for line in data.decode("utf-8").splitlines() if line.strip()]
        documents = [json.loads(line) for line in lines]
    except ValueError:  # (UnicodeDecodeError and JSONDecodeError both are)
        return None
    return documents if all(isinstance(item, dict) for item in documents) else None


def _parse_list(path: Path, items: list[Any]) -> ParseResult:
    if not items:
        raise ArticleError("an empty list: no articles")
    result = ParseResult([])
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            result.warnings.append(f"item {number}: {NOT_AN_ARTICLE}: a JSON {_json_type(item)}")
            continue
        try:
            result.articles.append(article_from_json(path, item))
        except ValidationError as error:
            result.warnings.append(f"item {number}: {NOT_AN_ARTICLE}: {describe(error)}")
    if not result.articles:
        raise ArticleError(f"no readable articles: {result.warnings[0]}")
    return result


def article_from_json(path: Path, fields: dict[str, Any]) -> Article:
    fields = dict(fields)
    given_source = fields.pop("source", None)
    name = given_source.get("name") if isinstance(given_source, dict) else None
    fields["source"] = {
        "path": str(path),
        "format": "json",
        "name": name if isinstance(name, str) else None,
    }
    if not fields.get("id"):
        fields["id"] = fields.get("slug") or _PLACEHOLDER_ID
    html, summary_html = fields.pop("html", None), fields.pop("summary_html", None)
    if isinstance(summary_html, str) and not fields.get("summary"):
        fields["summary"] = shorten(summary_of(summary_html), SUMMARY_MAX_CHARS)
    if isinstance(html, str) and not fields.get("blocks"):
        fields["blocks"] = html_to_blocks(html)
        summary = fields.get("summary")
        if not fields["blocks"] and isinstance(summary, str):
            fields["blocks"], fields["summary"] = text_to_blocks(summary), ""
        elif isinstance(summary, str):
            body = "\n".join(b.text for b in fields["blocks"] if b.kind != "image")
            fields["summary"] = without_lead(summary, body)
    article = Article.model_validate(fields)
    update: dict[str, Any] = {}
    if article.id == _PLACEHOLDER_ID:
        update["id"] = content_id(article.title, article.body_text)
    if article.published is not None and article.published.tzinfo is None:
        update["published"] = as_utc(article.published)
    return article.model_copy(update=update) if update else article


def describe(error: ValidationError) -> str:
    """The first validation error in words: "missing field 'title'" (and how many more)."""
    errors = error.errors()
    first = errors[0]
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
    ).lstrip(".")
    if first["type"] == "missing":
        reason = f"missing field {where!r}"
    else:
        reason = f"field {where!r}: {first['msg']}" if where else str(first["msg"])
    more = len(errors) - 1
    return reason + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "null" if value is None else "object"
