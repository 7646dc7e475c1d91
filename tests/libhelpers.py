"""Small article files and an open-library helper shared by the library tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from newstui.core.library import Library
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

WriteFile = Callable[[str, "str | bytes"], Path]
"""The `write_file` fixture (conftest.py): (name, text or bytes) -> the file written."""

FILLER = (
    "The council met on Monday to discuss the plans for the coming year.",
    "Officials said the budget would be published before the end of the month.",
    "Residents were invited to comment on the proposals at a public meeting.",
)


def article_text(
    title: str,
    body: Sequence[str] = FILLER,
    *,
    summary: str = "A short standfirst for the story.",
    slug: str | None = None,
    author: str | None = None,
    bio: str | None = None,
    related: Sequence[str] = (),
) -> str:
    """A file in the scraped `.txt` format (see newstui.core.formats.scraped)."""
    lines = [title, "", summary]
    if slug:
        lines.append(slug)
    lines.append("")
    lines.append("\n\n".join(body))
    if author:
        lines += ["", author, author]
        if bio:
            lines += ["", bio, "", "Read full bio →"]
    if related:
        lines += ["", "You Might Also Like", *related]
    return "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


@contextmanager
def open_library(folder: Path, refresh: bool = True) -> Iterator[Library]:
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    library = Library(folder, paths, state)
    try:
        if refresh:
            library.refresh()
        yield library
    finally:
        library.close()
        state.close()


def modules_loaded(setup: str, prefixes: tuple[str, ...], *args: str) -> list[str]:
    """Run `setup` in a fresh interpreter (`args` in its sys.argv[1:]); the loaded modules
    whose names start with one of `prefixes`, sorted."""
    code = (
        f"{setup}\nimport sys\n"
        f"print(*sorted(m for m in sys.modules if m.startswith({prefixes!r})), sep=',')"
    )
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    last = run.stdout.splitlines()[-1] if run.stdout.strip() else ""
    return [name for name in last.split(",") if name]


def run_together(commands: Sequence[Sequence[str]], timeout: float) -> list[tuple[int, str, str]]:
    """Start each command, wait until every one has printed "ready", then tell them all
    "go" at once (so they really race); their (return code, stdout, stderr)."""
    procs = [
        subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=timeout) for proc in procs]
    return [(proc.returncode, out, err) for proc, (out, err) in zip(procs, outputs, strict=True)]


def build_wheel(out: Path) -> Path:
    """Build newstui's wheel from this checkout into `out`; its path."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=root,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("newstui-*.whl")
    return wheel
