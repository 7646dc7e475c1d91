"""Placeholder: filled in by the state work."""

from __future__ import annotations

from typing import Any

COMMANDS: tuple[str, ...] = ()


def register(commands: Any) -> None:
    del commands
