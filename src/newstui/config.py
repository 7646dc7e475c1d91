"""User settings: TOML under the user config dir. Loading never fails; bad keys fall back."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MarkRead = Literal["open", "end", "manual"]
Sort = Literal["date", "title", "author"]


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    folder: Path | None = None
    theme: str = "textual-dark"
    mark_read: MarkRead = "open"
    sort: Sort = "date"
    keymap: dict[str, str] = Field(default_factory=dict)


@dataclass
class LoadedSettings:
    settings: Settings
    warnings: list[str] = field(default_factory=list)


def load_settings(path: Path) -> LoadedSettings:
    """Read `path`; every bad key is reported by name and replaced by its default."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (OSError, UnicodeDecodeError) as error:
        return LoadedSettings(Settings(), [f"{path}: cannot read ({error}); using defaults"])
    try:
        data: dict[str, Any] = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        return LoadedSettings(Settings(), [f"{path}: not valid TOML ({error}); using defaults"])
    warnings: list[str] = []
    while True:
        try:
            settings = Settings.model_validate(data)
        except ValidationError as error:
            bad = {str(err["loc"][0]) for err in error.errors() if err["loc"]}
            for err in error.errors():
                key = ".".join(str(part) for part in err["loc"]) or "(file)"
                warnings.append(f"{path}: key {key!r}: {err['msg']}; using the default")
            if not bad:
                return LoadedSettings(Settings(), warnings)
            data = {key: value for key, value in data.items() if key not in bad}
            continue
        if settings.folder is not None:
            settings = settings.model_copy(update={"folder": settings.folder.expanduser()})
        return LoadedSettings(settings, warnings)
