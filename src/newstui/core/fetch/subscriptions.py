"""Subscriptions: `feeds.toml` in the config dir, one `[[feed]]` table per feed.

    [[feed]]
    url = "https://example.com/feed.xml"   # required
    name = "Example News"                  # shown in lists and searchable as feed:NAME
    category = "World/Europe"              # folder (OPML outlines nest with "/")
    full_text = true                       # fetch each new entry's page
    interval = 60                          # minutes at least between two fetches
    allow = ["private"]                    # address classes its links may reach
    keep = 200                             # only the 200 newest entries stay (and starred)

Hand edits work: a bad entry is reported by its line and key and skipped; the rest load.
newstui rewrites the file (without comments) when `feeds add/remove/import` change it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newstui.core.fetch.addresses import ADDRESS_CLASSES, parse_allow
from newstui.core.fetch.files import write_atomic
from newstui.core.fetch.urls import FetchError, check_url, mask_url
from newstui.core.sanitize import clean_line

FILE_NAME = "feeds.toml"
_HEADER = (
    "# newstui subscriptions: one [[feed]] table per feed (see docs/fetching.md).\n"
    "# Keys: url (required), name, category, full_text, interval (minutes), keep (entries),"
    f" allow ({', '.join(ADDRESS_CLASSES)}).\n"
)
_TABLE = re.compile(r"^[ \t]*\[\[[ \t]*feed[ \t]*\]\]", re.M)


@dataclass(frozen=True)
class Subscription:
    url: str
    name: str | None = None
    category: str | None = None
    full_text: bool = False
    interval: int | None = None  # minutes
    allow: frozenset[str] = frozenset()
    keep: int | None = None  # entries kept after a fetch (and every starred one); None: all

    @property
    def key(self) -> str:
        """The feed's folder name in the news folder: stable while the URL is unchanged."""
        host = urlsplit(self.url).hostname or "feed"
        stem = "".join(c if c.isalnum() or c in ".-" else "-" for c in host)[:40]
        digest = hashlib.sha256(self.url.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        return f"{stem}-{digest}"

    @property
    def title(self) -> str:
        return self.name or mask_url(self.url)

    def matches(self, wanted: str) -> bool:
        return wanted in (self.url, mask_url(self.url)) or (
            self.name is not None and self.name.casefold() == wanted.casefold()
        )


@dataclass
class LoadedSubscriptions:
    subscriptions: list[Subscription] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def subscriptions_file(config_dir: Path) -> Path:
    return config_dir / FILE_NAME


def has_subscriptions(config_dir: Path) -> bool:
    """Cheap (the reader's start-up calls it): any [[feed]] table in the file."""
    try:
        return bool(_TABLE.search(subscriptions_file(config_dir).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False


def load_subscriptions(path: Path) -> LoadedSubscriptions:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSubscriptions()
    except (OSError, UnicodeDecodeError) as error:
        return LoadedSubscriptions([], [f"{path}: cannot read ({error})"])
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        return LoadedSubscriptions([], [f"{path}: not valid TOML ({error}); no feeds loaded"])
    lines = [raw.count("\n", 0, match.start()) + 1 for match in _TABLE.finditer(raw)]
    loaded = LoadedSubscriptions()
    for key in data:
        if key != "feed":
            loaded.warnings.append(f"{path}: unknown key {key!r}; ignored")
    tables = data.get("feed", [])
    if not isinstance(tables, list):
        loaded.warnings.append(f"{path}: 'feed' should be [[feed]] tables; no feeds loaded")
        return loaded
    seen: set[str] = set()
    for number, table in enumerate(tables):
        where = f"{path}:{lines[number]}" if number < len(lines) else f"{path}: feed {number + 1}"
        try:
            subscription = subscription_from(table, loaded.warnings, where)
        except ValueError as error:
            loaded.warnings.append(f"{where}: {error}; feed skipped")
            continue
        if subscription.url in seen:
            loaded.warnings.append(
                f"{where}: {mask_url(subscription.url)} is listed twice; skipped"
            )
            continue
        seen.add(subscription.url)
        loaded.subscriptions.append(subscription)
    return loaded


def subscription_from(table: object, warnings: list[str], where: str) -> Subscription:
    """One [[feed]] table; raises ValueError naming the bad key."""
    if not isinstance(table, dict):
        raise ValueError("not a table")
    url = table.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError("key 'url': missing (the feed's address)")
    try:
        check_url(url.strip())
    except FetchError as error:
        raise ValueError(f"key 'url': {error}") from None
    values: dict[str, Any] = {"url": url.strip()}
    for key, value in table.items():
        if key == "url":
            continue
        if key in ("name", "category"):
            if not isinstance(value, str):
                raise ValueError(f"key {key!r}: should be a string")
            values[key] = clean_line(value) or None
        elif key == "full_text":
            if not isinstance(value, bool):
                raise ValueError("key 'full_text': should be true or false")
            values[key] = value
        elif key == "interval":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError("key 'interval': should be a whole number of minutes, >= 1")
            values[key] = value
        elif key == "keep":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError("key 'keep': should be a whole number of entries, >= 1")
            values[key] = value
        elif key == "allow":
            try:
                values[key] = parse_allow(value)
            except ValueError as error:
                raise ValueError(f"key 'allow': {error}") from None
        else:
            warnings.append(f"{where}: key {key!r}: unknown feed setting; ignored")
    return Subscription(**values)


def save_subscriptions(path: Path, subscriptions: list[Subscription]) -> None:
    parts = [_HEADER]
    for subscription in subscriptions:
        parts.append("\n[[feed]]\n" + f"url = {_string(subscription.url)}\n")
        if subscription.name:
            parts.append(f"name = {_string(subscription.name)}\n")
        if subscription.category:
            parts.append(f"category = {_string(subscription.category)}\n")
        if subscription.full_text:
            parts.append("full_text = true\n")
        if subscription.interval:
            parts.append(f"interval = {subscription.interval}\n")
        if subscription.keep:
            parts.append(f"keep = {subscription.keep}\n")
        if subscription.allow:
            parts.append(f"allow = [{', '.join(_string(a) for a in sorted(subscription.allow))}]\n")
    write_atomic(path, "".join(parts).encode("utf-8"))


def merged(existing: list[Subscription], new: list[Subscription]) -> tuple[list[Subscription], int]:
    """`existing` plus those of `new` whose URL is not there yet, and how many were added."""
    result = list(existing)
    urls = {subscription.url for subscription in existing}
    for subscription in new:
        if subscription.url not in urls:
            urls.add(subscription.url)
            result.append(subscription)
    return result, len(result) - len(existing)


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are all valid TOML)."""
    return json.dumps(value, ensure_ascii=False)
