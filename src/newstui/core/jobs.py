"""Count the background jobs that are using the library, so it is closed only when idle."""

from __future__ import annotations

import threading
from types import TracebackType


class Jobs:
    """`with jobs:` around a worker's use of the library; `wait_idle()` before closing it."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = threading.Condition()

    def __enter__(self) -> Jobs:
        with self._idle:
            self._running += 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._idle:
            self._running -= 1
            if self._running == 0:
                self._idle.notify_all()

    @property
    def running(self) -> int:
        return self._running

    def wait_idle(self, timeout: float) -> bool:
        """True once no job runs; False if some still do after `timeout` seconds."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout)
