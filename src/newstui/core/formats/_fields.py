"""Small field helpers shared by the Markdown, JSON, feed and HTML formats."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, time, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from newstui.core.formats import ArticleError, ParseResult
from newstui.core.sanitize import clean_line

_LINKABLE_SCHEMES = frozenset({"http", "https"})
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]*")
_PUBLISHED_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:\D|$)")
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+")
UNTITLED = "(untitled)"
TITLE_FROM_TEXT_CHARS = 80


def guarded(parse: Callable[[Path, bytes], ParseResult]) -> Callable[[Path, bytes], ParseResult]:
    """A parser whose unexpected exceptions become `ArticleError`s: weird files never crash."""

    @functools.wraps(parse)
    def wrapper(path: Path, data: bytes) -> ParseResult:
        try:
            return parse(path, data)
        except ArticleError:
            raise
        except RecursionError:
            raise ArticleError("nested too deeply to read") from None
        except Exception as error:  # any parser bug on hostile input
            detail = clean_line(str(error))[:200]
            raise ArticleError(f"cannot read: {type(error).__name__}: {detail}") from None

    return wrapper


def safe_url(value: object) -> str | None:
    """An absolute http(s) URL, or None: nothing else is worth opening from a reader."""
    if not isinstance(value, str):
        return None
    url = clean_line(value)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINKABLE_SCHEMES or not parts.netloc or " " in url:
        return None
    return url


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive time is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def parse_datetime(value: object) -> datetime | None:
    """A date from front matter or JSON: datetime/date objects, ISO 8601 or RFC 2822 text."""
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=timezone.utc)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    iso = text[:-1] + "+00:00" if text[-1:] in {"Z", "z"} else text
    try:
        return as_utc(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        return as_utc(datetime.combine(date.fromisoformat(text[:10]), time()))
    except ValueError:
        pass
    try:
        return as_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def published_from_name(path: Path) -> datetime | None:
    """`2026-10-03-some-story.txt` was published on 3 October 2026 (UTC midnight)."""
    match = _PUBLISHED_PREFIX.match(path.name)
    if not match:
        return None
    try:
        year, month, day = map(int, match.groups())
        return datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None


def title_from_name(path: Path) -> str:
    """`2026-10-03-harbour-ferries.md` -> "Harbour ferries"."""
    stem = _DATE_PREFIX.sub("", path.stem).replace("-", " ").replace("_", " ")
    stem = clean_line(stem)
    return stem[:1].upper() + stem[1:] if stem else UNTITLED


def shorten(text: str, limit: int = TITLE_FROM_TEXT_CHARS) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = clean_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-") + "…"


def split_names(byline: str) -> list[str]:
    """ "Ann Lee, Bo Chan and Cy Dor" -> the three names; kept whole unless every part has two
    words or more ("Procter & Gamble" and "Lee, Ann" stay one name)."""
    whole = clean_line(byline)
    parts = _NAME_SEPARATOR.split(whole)
    if len(parts) > 1 and all(len(part.split()) >= 2 for part in parts):
        return parts
    return [whole] if whole else []
