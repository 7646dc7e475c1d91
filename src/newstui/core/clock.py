"""The one clock: the reader is handed it, so every "this year" it shows can be pinned.

Widgets never read the time themselves; the app passes its clock down and tests pin it
(tests/conftest.py), so the suite reads the same on any day of any year.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]
"""What time it is now, in the reader's own zone."""


def system_clock() -> datetime:
    """The machine's time, in its local zone."""
    return datetime.now().astimezone()
