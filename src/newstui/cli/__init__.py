"""Command line: `newstui [DIR]` opens the reader; named subcommands script the same core.

Every failure a user can cause ends as one line on stderr and exit status 2. Nothing
here imports textual until the reader itself is started.
"""

from __future__ import annotations

import io
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from typing import TYPE_CHECKING, Any, TextIO

from newstui import __version__
from newstui.core.sanitize import terminal_safe

if TYPE_CHECKING:  # argparse is imported for subcommands only: the reader starts without it
    import argparse

EXIT_USAGE = 2
EXIT_INTERNAL = 70

# Subcommand modules, each with `register(subparsers)`, and the commands each registers:
# named here so that `newstui [DIR]` (the reader, the default face) imports none of them.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "newstui.cli.show": ("show",),
    "newstui.cli.library": ("list", "search", "related", "authors", "index", "check"),
    "newstui.cli.state": ("mark-read", "mark-unread", "star", "unstar", "hide", "unhide", "state"),
    "newstui.cli.rules": ("rules",),
    "newstui.cli.config": ("config",),
    "newstui.cli.feeds": ("feeds",),
    "newstui.cli.fetch": ("fetch",),
    "newstui.cli.sync": ("sync",),
    "newstui.cli.archive": ("import", "save"),
}


class CliError(Exception):
    """A user-facing failure: the message names the thing and the reason."""


Handler = Callable[["argparse.Namespace"], int]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """All subcommands, or only the module of `command` (each costs imports: pydantic...)."""
    from newstui.cli.common import WordsParser  # `search -said`: a word, not an option

    parser = WordsParser(
        prog="newstui",
        description="A keyboard-driven terminal news reader. "
        "`newstui [DIR]` opens the reader on DIR (default: the configured folder, else "
        "the last DIR it was opened on, else the news folder or the bundled samples).",
    )
    parser.add_argument("--version", action="version", version=f"newstui {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name, names in COMMAND_MODULES.items():
        if command is None or command in names:
            import_module(module_name).register(commands)
    return parser


def reader_directory(args_list: Sequence[str]) -> str | None:
    """The DIR of `newstui [--debug] [DIR]`, the reader's whole command line."""
    rest = [arg for arg in args_list if arg != "--debug"]
    if len(rest) > 1:
        raise CliError(f"unexpected argument {rest[1]!r} (see newstui --help)")
    return rest[0] if rest else None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    return _run(args_list)


@contextmanager
def _terminal_safe_output() -> Iterator[None]:
    """Everything a subcommand prints passes `terminal_safe`: file names are data too."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(sys.stdout), _SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


class _SafeStream(io.TextIOBase):
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding


def _parse(parser: argparse.ArgumentParser, args_list: list[str], first: str | None) -> Any:
    """Options and positional arguments in any order: `search Brown --limit 5 DIR`."""
    import argparse

    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    command = commands.choices.get(first or "")
    if command is None or any(isinstance(a, argparse._SubParsersAction) for a in command._actions):
        return parser.parse_args(args_list)  # (no command, or one with actions: `feeds add`)
    rest = args_list[args_list.index(first or "") + 1 :]
    args = command.parse_intermixed_args([arg for arg in rest if arg != "--debug"])
    args.command = first
    return args


def _run(args_list: list[str]) -> int:
    command_names = {name for names in COMMAND_MODULES.values() for name in names}
    first = next((arg for arg in args_list if arg != "--debug"), None)
    debug = "--debug" in args_list
    try:
        if first is None or (first not in command_names and not first.startswith("-")):
            directory = reader_directory(args_list)
            from newstui.cli.tui import run_tui

            return run_tui(directory)
        args = _parse(build_parser(first if first in command_names else None), args_list, first)
        handler: Handler = args.handler
        with _terminal_safe_output():
            return handler(args)
    except CliError as error:
        print(terminal_safe(f"newstui: {error}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader of our output went away; nothing to report
        return 0
    except Exception as error:
        if debug:
            traceback.print_exc()
        else:
            message = f"internal error: {type(error).__name__}: {error}"
            print(
                f"newstui: {terminal_safe(message)} (run with --debug for details)", file=sys.stderr
            )
        return EXIT_INTERNAL
