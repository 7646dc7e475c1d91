"""Where newstui keeps its files: resolved at run time, never at import, never created early."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import NamedTuple

import platformdirs

APP_NAME = "newstui"


class AppPaths(NamedTuple):
    config_dir: Path
    cache_dir: Path
    data_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        return cls(
            config_dir=platformdirs.user_config_path(APP_NAME, appauthor=False),
            cache_dir=platformdirs.user_cache_path(APP_NAME, appauthor=False),
            data_dir=platformdirs.user_data_path(APP_NAME, appauthor=False),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def state_db(self) -> Path:
        return self.data_dir / "state.sqlite3"

    def index_db(self, library: Path) -> Path:
        """One index per library folder, named after its resolved path."""
        resolved = str(library.resolve())
        digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        stem = "".join(c if c.isalnum() else "-" for c in library.resolve().name)[:40] or "root"
        return self.cache_dir / "indexes" / f"{stem}-{digest}.sqlite3"
