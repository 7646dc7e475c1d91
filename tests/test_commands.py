"""The user's commands run without a shell, with a timeout, and every failure says why."""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

from newstui.core.commands import run_command


def python(code: str, *args: str) -> str:
    return shlex.join([sys.executable, "-c", code, *args])


def test_stdin_args_and_first_line_of_output(tmp_path: Path) -> None:
    code = "import sys; print(sys.argv[1:], len(sys.stdin.read()))"
    result = run_command(python(code, "a b"), "ünïcode\n" * 3, args=("last one",))
    assert result.ok and result.output == "['a b', 'last one'] 24"


def test_no_shell_reads_the_article_text(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    hostile = f"$(touch {marker}); `touch {marker}`"
    result = run_command(python("import sys; print(sys.argv[1])", hostile), hostile)
    assert result.ok and result.output == hostile and not marker.exists()
    assert run_command(f"sh -c {shlex.quote(f'touch {marker}')}", "").ok  # asked for: a shell
    assert marker.exists()


def test_failures_are_named() -> None:
    code = "import sys; sys.stderr.write('\\n  bad token  \\nmore\\n'); sys.exit(4)"
    assert run_command(python(code), "").error == "exit status 4: bad token"
    assert run_command(python("raise SystemExit(2)"), "").error == "exit status 2"
    missing = run_command("no-such-newstui-tool --x", "")
    assert missing.error == "no-such-newstui-tool: command not found"
    assert run_command("'unclosed", "").error == (
        "the command cannot be read (No closing quotation)"
    )
    assert run_command("   ", "").error == "the command is empty"


def test_a_slow_command_is_killed_at_the_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run_command(python("import time; time.sleep(30)"), "", timeout=0.5)
    assert result.error == "timed out after 0.5 s"
    assert time.monotonic() - started < 10


def test_a_command_that_ignores_a_big_stdin_is_fine() -> None:
    result = run_command(python("print('ok')"), "x" * 5_000_000)
    assert result.ok and result.output == "ok"


def test_a_command_is_stopped_when_asked() -> None:
    asked = time.monotonic() + 0.5
    started = time.monotonic()
    result = run_command(
        python("import time; time.sleep(30)"), "", should_stop=lambda: time.monotonic() > asked
    )
    assert result.error == "stopped: the reader is closing"
    assert time.monotonic() - started < 10


def test_a_big_stdin_reaches_a_slow_reader() -> None:
    code = "import sys, time; time.sleep(0.5); print(len(sys.stdin.buffer.read()))"
    result = run_command(python(code), "y" * 3_000_000, should_stop=lambda: False)
    assert result.ok and result.output == "3000000"
