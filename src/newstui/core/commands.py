"""Running the user's own commands (pipes, macros, `notify_command`): from the config or a
prompt only, never from an article. The command string is split with `shlex` and run with
no shell (a user who wants one writes `sh -c '...'`); the article is only ever its standard
input. Every run has a timeout; its output is read from files, capped, never a pipe that
could fill up."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

TIMEOUT = 30.0  # seconds a command has to finish
OUTPUT_CAP = 4096  # bytes of its output and errors kept (only the first line is shown)
POLL = 0.2  # seconds between two looks at `should_stop` while a command runs


@dataclass(frozen=True)
class CommandResult:
    command: str
    error: str | None  # why it failed, for a person ("exit status 2: no such file"), or None
    output: str = ""  # the first line of its standard output

    @property
    def ok(self) -> bool:
        return self.error is None


def command_words(command: str) -> list[str]:
    """`command` split as a shell would (no expansion); ValueError with a reason."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise ValueError(f"cannot be read ({error})") from None
    if not words:
        raise ValueError("is empty")
    return words


def first_line(data: bytes) -> str:
    text = data[:OUTPUT_CAP].decode("utf-8", "replace")
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def run_command(
    command: str,
    stdin: str,
    args: tuple[str, ...] = (),
    timeout: float | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CommandResult:
    """Run `command` (with `args` after its own words) with `stdin` as its standard input.

    Never raises: a command that cannot be read, is not found, exits with a status other
    than 0 or runs longer than `timeout` (it is then killed, with what it started) gives a
    result whose `error` says so, with the first line of the command's own errors. When
    `should_stop()` turns true (the reader is closing) the command is killed as well."""
    timeout = TIMEOUT if timeout is None else timeout
    try:
        words = command_words(command)
    except ValueError as error:
        return CommandResult(command, f"the command {error}")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = subprocess.Popen(
                [*words, *args],
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group: a timeout kills it all
            )
        except FileNotFoundError:
            return CommandResult(command, f"{words[0]}: command not found")
        except OSError as error:
            return CommandResult(command, f"{words[0]}: cannot run ({error.strerror or error})")
        stopped = _wait(process, stdin.encode("utf-8", "replace"), timeout, should_stop)
        if stopped is not None:
            _kill_group(process)
            return CommandResult(command, stopped)
        err.seek(0)
        out.seek(0)
        reason, output = first_line(err.read(OUTPUT_CAP)), first_line(out.read(OUTPUT_CAP))
    if process.returncode != 0:
        status = process.returncode
        what = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
        return CommandResult(command, f"{what}: {reason}" if reason else what, output)
    return CommandResult(command, None, output)


def _wait(
    process: subprocess.Popen[bytes],
    data: bytes,
    timeout: float,
    should_stop: Callable[[], bool] | None,
) -> str | None:
    """Feed `data` to the process (from a thread: it may read slowly, or never) and wait
    for it to end; why it must be stopped, or None."""
    feeder = threading.Thread(target=_feed, args=(process, data), daemon=True)
    feeder.start()
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        try:
            process.wait(timeout=max(0.0, min(POLL, left)))
            break
        except subprocess.TimeoutExpired:
            if should_stop is not None and should_stop():
                return "stopped: the reader is closing"
            if left <= POLL:
                return f"timed out after {timeout:g} s"
    feeder.join(POLL)  # (it ended with the process: its pipe is closed)
    return None


def _feed(process: subprocess.Popen[bytes], data: bytes) -> None:
    stdin = process.stdin
    assert stdin is not None
    try:
        stdin.write(data)
        stdin.close()
    except (BrokenPipeError, OSError, ValueError):  # it stopped reading, or ended
        pass


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover (Windows)
            process.kill()
    except OSError:  # gone already
        pass
    process.wait()
