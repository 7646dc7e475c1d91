"""User settings: TOML under the user config dir. Loading never fails; bad keys fall back.

Plain dataclasses and a check per key, not pydantic: the reader imports this before its
first paint, and pydantic would cost about a third of the start-up.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, get_args

from newstui.core.index.listing import SORTS, Sort
from newstui.core.sync.settings import SyncSettingError, SyncSettings, sync_settings_from

MarkRead = Literal["open", "end", "manual"]
Notify = Literal["on", "osc9", "off"]
MACRO_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True)
class Macro:
    """`[macros] NAME = { key = "K", command = "..." }`: K runs the command on the article."""

    key: str
    command: str


RuleAction = Literal["read", "star", "hide"]


@dataclass(frozen=True)
class Rule:
    """`[[rule]]`: what a search finds among arriving articles gets `action` (core.rules)."""

    number: int  # its place among the config's rules, from 1: how messages name it
    query: str
    action: RuleAction


@dataclass(frozen=True)
class Settings:
    folder: Path | None = None
    theme: str = "textual-dark"
    mark_read: MarkRead = "open"
    sort: Sort = "date"
    keymap: dict[str, str] = field(default_factory=dict)
    news_folder: Path | None = None  # where fetching writes; see `news_folder_of`
    fetch_every: int = 0  # minutes between fetches while the reader runs; 0 = off
    opener: str | None = None  # the command that opens links (else the desktop's)
    player: str | None = None  # the command that plays podcast and video files (else opener)
    sync: SyncSettings | None = None  # the reader's own feed server (docs/sync.md)
    keep: int | None = None  # entries each feed keeps after a fetch (feeds.toml may say)
    pipe_command: str | None = None  # pre-filled at `|` (docs/automation.md)
    macros: dict[str, Macro] = field(default_factory=dict)  # name -> key and command
    notify_command: str | None = None  # runs after a fetch that brought new articles
    notify: Notify = "on"  # "osc9": also tell the terminal; "off": no notification in the reader
    rules: tuple[Rule, ...] = ()
    searches: dict[str, str] = field(default_factory=dict)  # saved searches: name -> query


@dataclass
class LoadedSettings:
    settings: Settings
    warnings: list[str] = field(default_factory=list)


class _Invalid(ValueError):
    """A value a key cannot take; the message says what it should be."""


def _choice(options: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in options:
            raise _Invalid("should be " + " or ".join(repr(option) for option in options))
        return str(value)

    return check


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid("should be a string")
    return value


def _folder(value: object) -> Path:
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise _Invalid("should be the path of a folder, as a string")
    return Path(value).expanduser()


def _minutes(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Invalid("should be a whole number of minutes (0 = off)")
    return value


def _entries(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _Invalid("should be a whole number of entries, >= 1 (absent: keep all)")
    return value


@dataclass
class _Partly:
    """A value kept in part: each entry left out is named, with the reason, in `dropped`."""

    value: Any
    dropped: list[str]


def _keymap(value: object) -> _Partly:
    if not isinstance(value, dict):
        raise _Invalid("should be a table of binding id = keys")
    kept = {key: keys for key, keys in value.items() if isinstance(keys, str)}
    dropped = [
        f'the keys of {key!r} should be a string such as "j,down"; {key!r} skipped'
        for key in value
        if key not in kept
    ]
    return _Partly(kept, dropped)


def _command(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("should be a command, as a string")
    try:
        shlex.split(value)
    except ValueError as error:
        raise _Invalid(f"cannot be read as a command ({error})") from None
    return value


def _macros(value: object) -> _Partly:
    if not isinstance(value, dict):
        raise _Invalid('should be a table of NAME = { key = "K", command = "..." }')
    kept: dict[str, Macro] = {}
    dropped: list[str] = []
    for name, macro in value.items():
        try:
            if not MACRO_NAME.fullmatch(name):
                raise _Invalid("the name should be letters, digits, _ and - only")
            if not isinstance(macro, dict) or set(macro) != {"key", "command"}:
                raise _Invalid('should be { key = "K", command = "..." }')
            key = macro["key"]
            if not isinstance(key, str) or not key.strip():
                raise _Invalid('its key should be a key name such as "ctrl+w"')
            kept[name] = Macro(key.strip(), _command(macro["command"]))
        except _Invalid as error:
            dropped.append(f"{name!r}: {error}; skipped")
    return _Partly(kept, dropped)


def _sync(value: object) -> SyncSettings:
    try:
        return sync_settings_from(value)
    except SyncSettingError as error:
        raise _Invalid(str(error)) from None


def _query_problem(query: object) -> str | None:
    """Why `query` is no search (see core.index.query), or None."""
    from newstui.core.index.query import QueryError, parse_query

    if not isinstance(query, str) or not query.strip():
        return "its query should be a search, as a string"
    try:
        parse_query(query)
    except QueryError as error:
        return f"its query {query!r} does not parse: {error}"
    return None


def _rules(value: object, warnings: list[str]) -> tuple[Rule, ...]:
    """Each good `[[rule]]`; each bad one named by its number in `warnings` and skipped."""
    if not isinstance(value, list):
        raise _Invalid('should be tables: [[rule]] with query = "..." and action = "hide"')
    rules = []
    actions = get_args(RuleAction)
    for number, table in enumerate(value, start=1):
        problem = None
        if not isinstance(table, dict):
            problem = "should be a table with query and action"
        elif set(table) - {"query", "action"}:
            problem = f"unknown key {sorted(set(table) - {'query', 'action'})[0]!r}"
        elif table.get("action") not in actions:
            problem = "its action should be " + " or ".join(repr(a) for a in actions)
        else:
            problem = _query_problem(table.get("query"))
        if problem is None:
            rules.append(Rule(number, table["query"], table["action"]))
        else:
            warnings.append(f"rule {number}: {problem}; skipped")
    return tuple(rules)


def _searches(value: object, warnings: list[str]) -> dict[str, str]:
    """Each good saved search; each bad one named in `warnings` and skipped."""
    if not isinstance(value, dict):
        raise _Invalid('should be a table of name = "query"')
    searches = {}
    for name, query in value.items():
        problem = _query_problem(query)
        if not name.strip():
            problem = "the name is empty"
        if problem is None:
            searches[name] = query
        else:
            warnings.append(
                f"saved search {name!r}: {problem.replace('its query', 'the query')}; skipped"
            )
    return searches


# Checks of the keys that hold a list of things, each of which may be bad on its own.
_PARTS: dict[str, tuple[str, Callable[[object, list[str]], Any]]] = {
    "rule": ("rules", _rules),
    "searches": ("searches", _searches),
}

_CHECKS: dict[str, Callable[[object], Any]] = {
    "folder": _folder,
    "theme": _text,
    "mark_read": _choice(get_args(MarkRead)),
    "sort": _choice(SORTS),
    "keymap": _keymap,
    "news_folder": _folder,
    "fetch_every": _minutes,
    "opener": _text,
    "player": _text,
    "sync": _sync,
    "keep": _entries,
    "pipe_command": _command,
    "macros": _macros,
    "notify_command": _command,
    "notify": _choice(get_args(Notify)),
}


def news_folder_of(settings: Settings, data_dir: Path) -> Path:
    """Where fetched articles go: `news_folder`, else `news` under the user data dir."""
    return settings.news_folder or data_dir / "news"


def imports_folder_of(settings: Settings, data_dir: Path) -> Path:
    """Where `newstui import` and `save` write without `--into`: `imports` in the news folder."""
    return news_folder_of(settings, data_dir) / "imports"


def settings_from(data: dict[str, Any], origin: str = "settings") -> LoadedSettings:
    """Settings from parsed TOML: each bad or unknown key is named in a warning and ignored."""
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in data.items():
        if key in _PARTS:
            name, check_parts = _PARTS[key]
            problems: list[str] = []
            try:
                values[name] = check_parts(value, problems)
            except _Invalid as error:
                warnings.append(f"{origin}: key {key!r}: {error}; ignored")
            warnings += [f"{origin}: {problem}" for problem in problems]
            continue
        check = _CHECKS.get(key)
        if check is None:
            warnings.append(f"{origin}: key {key!r}: unknown setting; ignored")
            continue
        try:
            checked = check(value)
        except _Invalid as error:
            default = "sync is off" if key == "sync" else "using the default"
            warnings.append(f"{origin}: key {key!r}: {error}; {default}")
            continue
        if isinstance(checked, _Partly):
            warnings += [f"{origin}: key {key!r}: {reason}" for reason in checked.dropped]
            checked = checked.value
        values[key] = checked
    return LoadedSettings(replace(Settings(), **values), warnings)


def load_settings(path: Path) -> LoadedSettings:
    """Read `path`; every bad key is reported by name and replaced by its default."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (OSError, UnicodeDecodeError) as error:
        return LoadedSettings(Settings(), [f"{path}: cannot read ({error}); using defaults"])
    if sys.version_info >= (3, 11):  # (imported here: most users have no config file)
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        return LoadedSettings(Settings(), [f"{path}: not valid TOML ({error}); using defaults"])
    return settings_from(data, str(path))
