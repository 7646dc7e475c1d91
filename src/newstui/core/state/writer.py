"""State writes on a thread of their own, in order, so that the caller never waits.

Another process (a second reader, a CLI `mark-read`, a fetch) may hold the state database's
writer lock for seconds; a reader that wrote from its UI thread would freeze that long. The
faces update the screen first and `submit()` the write; it lands when the lock is free. A write
that fails is reported through `on_error` and tried again, in order, until it lands or the
writer is closed; `close()` waits (a bounded time) for what is still queued.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from newstui.core.state.store import StateStore

Write = Callable[[StateStore], object]
RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)  # seconds before each new try of a failed write


class StateWriter:
    def __init__(
        self,
        store: StateStore,
        on_error: Callable[[str, Exception], object] | None = None,
        on_recovered: Callable[[str], object] | None = None,
    ) -> None:
        self.store = store
        self._on_error = on_error
        self._on_recovered = on_recovered
        self._queue: deque[tuple[str, Write]] = deque()
        self._changed = threading.Condition()
        self._busy = False  # a write is being made (it has left the queue)
        self._closing = False
        self.dropped = 0  # writes submitted after `close()`
        self._thread = threading.Thread(target=self._run, name="state-writer", daemon=True)
        self._thread.start()

    def submit(self, description: str, write: Write) -> None:
        """Queue `write(store)`; `description` names it in error reports ("star", ...)."""
        with self._changed:
            if self._closing:
                self.dropped += 1  # too late: `close()` has reported what it could not make
                return
            self._queue.append((description, write))
            self._changed.notify_all()

    def after_pending(self, callback: Callable[[], object]) -> None:
        """Call `callback` (on the writer's thread) once everything queued so far has landed."""
        self.submit("", lambda _: callback())

    @property
    def pending(self) -> int:
        with self._changed:
            return len(self._queue) + self._busy

    def flush(self, timeout: float) -> bool:
        """Wait until every write submitted so far has landed; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._queue and not self._busy, timeout)

    def close(self, timeout: float) -> int:
        """Flush (at most `timeout` seconds) and stop; returns how many writes were dropped."""
        self.flush(timeout)
        with self._changed:
            self._closing = True
            dropped = len(self._queue) + self._busy
            self._queue.clear()
            self._changed.notify_all()
        return dropped

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queue or self._closing)
                if self._closing:
                    return
                description, write = self._queue.popleft()
                self._busy = True
            self._make(description, write)
            with self._changed:
                self._busy = False
                self._changed.notify_all()

    def _make(self, description: str, write: Write) -> None:
        failures = 0
        while True:
            try:
                write(self.store)
            except Exception as error:  # reported, and tried again: the write is the user's
                if self._on_error is not None:
                    self._on_error(description, error)
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                failures += 1
                with self._changed:
                    if self._changed.wait_for(lambda: self._closing, delay):
                        return
                continue
            if failures and self._on_recovered is not None:
                self._on_recovered(description)
            return
