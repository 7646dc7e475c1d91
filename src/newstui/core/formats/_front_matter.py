"""Markdown front matter (YAML `---` or TOML `+++`) read the way clippers and site tools write it.

Keys are matched without regard to case, at the top level and then in Hugo's `params` and
Zola's `[extra]` tables. Each field takes the first key present (the table in docs/formats.md):
a value of the wrong shape is a problem record, never a failure. Unknown keys (of the top level,
then of those tables) are kept as they are spelled in `meta`; the Article model makes them text.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from newstui.core.formats._fields import parse_datetime, safe_url
from newstui.core.models import MAX_AUTHORS, Author, MetaFields, meta_fields
from newstui.core.sanitize import clean_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_FENCE = re.compile(
    r"\A(?P<fence>---|\+\+\+)[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)
_NESTED = ("params", "extra")  # Hugo's and Zola's tables of the site's own keys
TITLE_KEYS = ("title",)
AUTHOR_KEYS = ("author", "authors", "by", "creator")
URL_KEYS = ("source", "url", "link", "original_url", "canonical_url")
SUMMARY_KEYS = ("summary", "description", "excerpt", "subtitle", "dek")
PUBLISHED_KEYS = ("published", "date", "date_published", "pubdate", "publishdate")
SAVED_KEYS = ("created", "date_saved", "updated", "lastmod")  # only when nothing says published
TAG_KEYS = ("tags", "categories", "keywords")
LANG_KEYS = ("lang", "language")
_OTHER_KEYS = ("slug", "author_bio", "related", "taxonomies", *_NESTED)
KNOWN_KEYS = frozenset(
    (*TITLE_KEYS, *AUTHOR_KEYS, *URL_KEYS, *SUMMARY_KEYS, *PUBLISHED_KEYS, *SAVED_KEYS)
).union(TAG_KEYS, LANG_KEYS, _OTHER_KEYS)
_WIKILINK = re.compile(r"\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")
_LANG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")
_DATE_NOTE = re.compile(r"\s*\((?:UTC|GMT)\s*([+-]\d{2}:?\d{2})\)\s*$")  # MarkDownload's
_ZONE = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) *([+-]\d{2}):?(\d{2})$")
_DATE_FORMATS = ("%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y")


@dataclass
class FrontMatter:
    title: str = ""
    authors: list[Author] = field(default_factory=list)
    slug: str = ""
    summary: str = ""
    url: str | None = None
    published: datetime | None = None
    lang: str | None = None
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    meta: MetaFields = field(default_factory=dict)  # the unknown keys, as text
    problems: list[str] = field(default_factory=list)


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """The front matter at the start of `text` (empty when there is none), and the body."""
    match = _FENCE.match(text)
    if match is None:
        return FrontMatter(), text
    body = text[match.end() :]
    front = FrontMatter()
    raw, is_toml = match.group("body"), match.group("fence") == "+++"
    try:
        loaded = _load_toml(raw) if is_toml else _load_yaml(raw)
    except ValueError as error:
        front.problems.append(f"front matter ignored: {error}")
        return front, body
    if loaded is None:
        return front, body
    if not isinstance(loaded, dict):
        front.problems.append("front matter ignored: not a list of key: value fields")
        return front, body
    _read(_Keys(loaded), front)
    front.meta = unknown_keys(loaded)
    return front, body


def unknown_keys(loaded: dict[Any, Any]) -> MetaFields:
    """The keys no field takes, top level first, then those of `params` and `extra`."""
    tables = [loaded, *(value for key, value in loaded.items() if _is_nested(key))]
    found: dict[str, object] = {}
    for table in tables:
        for key, value in table.items() if isinstance(table, dict) else ():
            if isinstance(key, str) and key.casefold() not in KNOWN_KEYS:
                found.setdefault(key, value)
    return meta_fields(found)


def _is_nested(key: object) -> bool:
    return isinstance(key, str) and key.casefold() in _NESTED


def front_matter_table(text: str) -> dict[str, object]:
    """The front matter's raw keys (case folded), for readers of keys this module skips
    (an export's `id` and `state`); empty when there is none or it cannot be read."""
    match = _FENCE.match(text)
    if match is None:
        return {}
    try:
        loaded = (_load_toml if match.group("fence") == "+++" else _load_yaml)(match.group("body"))
    except ValueError:
        return {}
    return _folded(loaded)


# `title: Elections: the results` is invalid YAML, but clippers and people write it.
_PLAIN_VALUE_WITH_COLON = re.compile(
    r"^([A-Za-z_][\w-]*):[ \t]+([^\s\"'\[{|>&*!#%@`-].*:\s.*?)[ \t]*$", re.M
)


def _load_yaml(raw: str) -> object:
    import yaml

    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as error:
        repaired = _PLAIN_VALUE_WITH_COLON.sub(_quoted, raw)
        if repaired != raw:
            with contextlib.suppress(yaml.YAMLError):
                return yaml.safe_load(repaired)
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = getattr(error, "problem", None) or "cannot be read"
        raise ValueError(f"invalid YAML: {reason}{where}") from None


def _quoted(match: re.Match[str]) -> str:
    """The line with its value as one double-quoted YAML string."""
    return f"{match.group(1)}: {json.dumps(match.group(2), ensure_ascii=False)}"


def _load_toml(raw: str) -> object:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"invalid TOML: {error}") from None


class _Keys:
    """The front matter's keys, case folded: the top level first, then `params`, `extra`."""

    def __init__(self, meta: dict[Any, Any]) -> None:
        self.tables = [_folded(meta)]
        self.tables += [_folded(self.tables[0][name]) for name in _NESTED if name in self.tables[0]]
        taxonomies = self.tables[0].get("taxonomies")  # Zola's tags and categories
        if isinstance(taxonomies, dict):
            self.tables.append(_folded(taxonomies))

    def present(self, keys: tuple[str, ...]) -> Iterator[tuple[str, object]]:
        """Each of `keys` given a value (not empty), in order of `keys`, then of the tables."""
        for key in keys:
            for table in self.tables:
                value = table.get(key)
                if value is not None and value != "" and value != []:
                    yield key, value
                    break

    def first(self, keys: tuple[str, ...]) -> tuple[str, object] | None:
        return next(self.present(keys), None)


def _folded(table: object) -> dict[str, Any]:
    if not isinstance(table, dict):
        return {}
    return {key.casefold(): value for key, value in table.items() if isinstance(key, str)}


def _read(keys: _Keys, front: FrontMatter) -> None:
    problems = front.problems
    for name, options in (("title", TITLE_KEYS), ("slug", ("slug",)), ("summary", SUMMARY_KEYS)):
        for key, value in keys.present(options):
            text = clean_line(_scalar(value) or "")
            if text:
                setattr(front, name, text)
                break
            problems.append(f"front matter: {key!r} should be text, ignored")
    for _key, value in keys.present(URL_KEYS):
        front.url = safe_url(_scalar(value))  # a site-relative `url: /posts/x/` is no address
        if front.url:
            break
    found = keys.first(AUTHOR_KEYS)
    if found is not None:
        front.authors = _authors(found[1])
        given = keys.first(("author_bio",))
        bio = clean_line((_scalar(given[1]) if given else None) or "")
        if bio and len(front.authors) == 1:  # `author_bio` is the lone author's
            front.authors = [front.authors[0].model_copy(update={"bio": bio})]
        if not front.authors:
            problems.append(f"front matter: {found[0]!r} should be a name, ignored")
    front.published = _date(keys, PUBLISHED_KEYS, problems) or _date(keys, SAVED_KEYS, problems)
    for key, value in keys.present(TAG_KEYS):
        front.tags += [tag for tag in _list(value, key, problems) if tag not in front.tags]
    found = keys.first(("related",))
    if found is not None:
        front.related = _list(found[1], "related", problems)
    found = keys.first(LANG_KEYS)
    if found is not None:
        match = _LANG.fullmatch(clean_line(_scalar(found[1]) or ""))
        front.lang = match.group(1).lower() if match else None


def _authors(value: object) -> list[Author]:
    """Authors from a string, `[[wikilinks]]`, `{name: …, bio: …}` or a list of those."""
    items = value if isinstance(value, list) else [value]
    authors: list[Author] = []
    for item in items[: MAX_AUTHORS * 4]:  # (a hostile list may be long: enough to fill)
        bio = None
        if isinstance(item, dict):
            item = _folded(item)
            bio = clean_line(_scalar(item.get("bio")) or "") or None
            item = item.get("name")
        if not isinstance(item, str):
            continue
        links = _WIKILINK.findall(item)
        names = [alias or page for page, alias in links] if links else [item]
        authors += [Author(name=name, bio=bio) for name in names[:MAX_AUTHORS]]
    return [author for author in authors if author.name]  # the Article keeps each name once


def _date(keys: _Keys, options: tuple[str, ...], problems: list[str]) -> datetime | None:
    for _key, value in keys.present(options):
        moment = read_date(value)
        if moment is not None:
            return moment
        shown = clean_line(_scalar(value) or "")[:80]  # never str() a YAML alias bomb
        problems.append(f"front matter: unrecognised date {shown!r}")
    return None


def read_date(value: object) -> datetime | None:
    """ISO 8601 and RFC 2822 dates, Jekyll's `2026-07-01 10:00:00 +0100`, MarkDownload's
    `2026-10-21T09:12:44 (UTC +02:00)` and Astro's `Oct 05 2026`."""
    if isinstance(value, str):
        text = _ZONE.sub(r"\1\2:\3", _DATE_NOTE.sub(r"\1", value.strip()))
        for form in _DATE_FORMATS:
            try:
                return parse_datetime(datetime.strptime(text, form))
            except ValueError:
                pass
        value = text
    return parse_datetime(value)


def _scalar(value: object) -> str | None:
    """Text, numbers and dates as text; anything else (mappings, lists, booleans) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return None


def _list(value: object, key: str, problems: list[str]) -> list[str]:
    if isinstance(value, str):  # "a, b" or Jekyll's "a b"
        separator = "," if "," in value else None
        items: list[object] = [value] if key == "related" else list(value.split(separator))
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    texts = [_scalar(item) for item in items]
    if any(text is None for text in texts):
        problems.append(f"front matter: {key!r} should be a list of text, some items ignored")
    return [clean_line(text) for text in texts if text and clean_line(text)]
