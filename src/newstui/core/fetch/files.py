"""Whole files only: every write is a temp file in the same folder, then a rename.

A reader, the watcher or a `kill -9` at any moment sees either the old file or the new one,
never half of one. (No fsync: a killed process loses nothing the kernel already has.)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, make_folder: bool = True) -> None:
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def folder_lock(lock_file: Path) -> Iterator[None]:
    """One fetch at a time per news folder (a second one waits for the first)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover (Windows: writes are idempotent anyway)
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
