"""Locate the bundled folders, from an installed wheel or from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the newstui package
_CHECKOUT_DIR = _PACKAGE_DIR.parent.parent


def _bundled(name: str) -> Path:
    """The wheel puts `name` inside the package; a checkout keeps it at the top level."""
    for candidate in (_PACKAGE_DIR / name, _CHECKOUT_DIR / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def styles_dir() -> Path:
    return _bundled("styles")


def sample_articles_dir() -> Path:
    return _bundled("sample_articles")
