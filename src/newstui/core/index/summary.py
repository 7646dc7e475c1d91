"""What a refresh reports. Apart from the refresh itself, so that the faces can name these
types without importing the parsers (and pydantic) before their first paint. Named
tuples: a dataclass costs half a millisecond of start-up each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from newstui.core.rules import RuleResult


class Problem(NamedTuple):
    path: str
    reason: str
    recovered: bool = False  # a warning: the file's articles were read all the same


class RefreshSummary(NamedTuple):
    parsed: int  # files read and parsed (new or changed)
    unchanged: int  # files skipped because size and mtime agree with the index
    removed: int  # files gone from the folder (their articles dropped)
    problems: list[Problem]  # every file known to be unreadable, old and new
    warnings: Sequence[Problem] = ()  # files read with trouble: their articles were kept
    ruled: Sequence[RuleResult] = ()  # what the rules did to the articles that came
