"""How worker processes are started, for the index build and the fetch alike.

Kept apart from both so that choosing costs no import of either."""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
from multiprocessing import resource_tracker


def start_method() -> str:
    """fork when this process has no other threads (fast, safe); else forkserver."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def start_resource_tracker() -> None:
    """Start multiprocessing's helper process with a real stderr. It is handed `sys.stderr`'s
    file number, and a TUI captures stderr while it runs (Textual's capture answers -1): the
    pool would fail to start with "bad value(s) in fds_to_keep". Textual draws through
    `sys.__stderr__` itself, so pointing `sys.stderr` there for a moment changes nothing."""
    try:
        captured = sys.stderr.fileno() < 0
    except (AttributeError, OSError, ValueError):  # (None, or a stream without a file)
        captured = True
    real = sys.__stderr__ if captured else None
    with contextlib.redirect_stderr(real) if real else contextlib.nullcontext():
        resource_tracker.ensure_running()
