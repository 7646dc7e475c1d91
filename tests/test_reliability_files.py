"""Bad files in a library: each one a clear problem (path + reason); the rest still loads.

Through `Library.refresh()` and through `newstui check DIR` (exit 1, one line per problem).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app_fixtures import ARTICLES, write_library
from newstui.cli import main
from newstui.core.index import build as refresh
from newstui.core.index import scan
from newstui.core.index.scan import FileStat, walk
from newstui.core.library import Library, Problem, RefreshSummary
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "reliability"))

from tally import record

GOOD = len(ARTICLES)
TEXT_ARTICLE = "A Headline For The Test\n\nA standfirst.\n\nThe body of the article.\n"
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system features")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_library(tmp_path / "articles", broken=False)


@pytest.fixture
def open_library(folder: Path) -> Iterator[Callable[[], Library]]:
    opened: list[tuple[Library, StateStore]] = []

    def make() -> Library:
        paths = AppPaths.default()
        state = StateStore(paths.state_db)
        library = Library(folder, paths, state)
        opened.append((library, state))
        return library

    yield make
    for library, state in opened:
        library.close()
        state.close()


def problems_by_name(summary: RefreshSummary, folder: Path) -> dict[str, str]:
    found = {os.path.relpath(p.path, folder): p.reason for p in summary.problems}
    assert len(found) == len(summary.problems), summary.problems  # one problem per file
    return found


def titles(library: Library) -> set[str]:
    return {row.title for row in library.page(0, 1_000)}


def assert_good_articles_loaded(library: Library, extra: int = 0) -> None:
    assert library.count() == GOOD + extra
    assert {"Harbour Reopens After Week-Long Closure", "Storm Closes Harbour"} <= titles(library)


# -- each bad file on its own ------------------------------------------------------------------


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(size)  # sparse: no disk space used

    return make


BAD_FILES: dict[str, tuple[str, bytes | Callable[[Path], None], str]] = {
    # case: (file name, content or maker, words the reason must contain)
    "empty": ("empty.txt", b"", "empty"),
    "blank": ("blank.md", b" \n\n\t\n", "empty"),
    "binary": ("binary.txt", bytes(range(256)) * 16, "binary"),
    "binary json": ("data.json", b"\x00\x01\x02\xff" * 64, "json"),
    "binary html": ("page.html", bytes(range(256)) * 4, "binary"),
    "binary feed": ("feed.xml", b"\x00\xff" * 200, ""),
    "over the size limit": ("huge.txt", _sparse(scan.MAX_FILE_BYTES + 1), "too large"),
    "far over the size limit": ("huger.md", _sparse(64 * 1024 * 1024), "too large"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_a_problem_and_the_rest_loads(
    folder: Path, open_library: Callable[[], Library], case: str
) -> None:
    name, content, reason_words = BAD_FILES[case]
    path = folder / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    library = open_library()
    summary = library.refresh()
    problems = problems_by_name(summary, folder)
    assert list(problems) == [name]
    assert problems[name].strip() and reason_words in problems[name].lower()
    assert_good_articles_loaded(library)
    assert library.problems() == summary.problems
    assert library.resolve(str(path)) is None
    record(f"bad files: {case}: reported, rest loaded")


ODD_ENCODINGS = {
    "invalid UTF-8": b"Caf\xe9 Owners Protest\n\nA standfirst \xff\xfe here.\n\nThe body na\xefve.\n",
    "UTF-16 LE without BOM": "Utf Sixteen Little\n\nStand.\n\nBody of it.\n".encode("utf-16-le"),
    "UTF-16 BE without BOM": "Utf Sixteen Big\n\nStand.\n\nBody of it.\n".encode("utf-16-be"),
    "Latin-1": "Crème Brûlée Festival\n\nStand.\n\nBody of it.\n".encode("latin-1"),
    "NUL in the middle": b"Nul Inside Title\n\nStand.\n\nBody \x00 of it.\n",
}


@pytest.mark.parametrize("case", list(ODD_ENCODINGS))
def test_odd_encoding_loads_or_is_a_problem(
    folder: Path, open_library: Callable[[], Library], case: str
) -> None:
    (folder / "odd.txt").write_bytes(ODD_ENCODINGS[case])
    library = open_library()
    summary = library.refresh()
    problems = problems_by_name(summary, folder)
    if problems:  # refused: with a reason
        assert list(problems) == ["odd.txt"] and problems["odd.txt"].strip()
        assert_good_articles_loaded(library)
        record(f"bad files: {case}: reported, rest loaded")
        return
    assert_good_articles_loaded(library, extra=1)
    (row,) = [r for r in library.page(0, 100) if r.path.endswith("odd.txt")]
    words = [w for w in row.title.split() if w.isascii()]
    assert words and " ".join(words) in ODD_ENCODINGS[case].decode("latin-1").replace("\x00", "")
    record(f"bad files: {case}: loaded")


@POSIX
def test_folder_named_like_an_article_is_walked_not_read(
    folder: Path, open_library: Callable[[], Library]
) -> None:
    inner = folder / "looks-like.txt" / "inside.txt"
    inner.parent.mkdir()
    inner.write_text(TEXT_ARTICLE)
    library = open_library()
    summary = library.refresh()
    assert summary.problems == []
    assert_good_articles_loaded(library, extra=1)
    assert library.resolve(str(inner)) is not None


@POSIX
def test_symbolic_link_loops_and_dangling_links(
    folder: Path, open_library: Callable[[], Library]
) -> None:
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink(".", folder / "self")  # a folder loop
    (folder / "sub").mkdir()
    os.symlink("../..", folder / "sub" / "up")  # leads out of the library and back in
    library = open_library()
    summary = library.refresh()
    problems = problems_by_name(summary, folder)
    assert set(problems) == {"loop-a.txt", "loop-b.txt", "dangling.txt"}
    assert all("link" in reason for reason in problems.values()), problems
    assert_good_articles_loaded(library)  # each article once, despite the loops


@POSIX
def test_fifo_named_like_an_article_never_blocks(
    folder: Path, open_library: Callable[[], Library]
) -> None:
    os.mkfifo(folder / "pipe.txt")  # opening it for reading would wait forever
    library = open_library()
    library.refresh()
    assert_good_articles_loaded(library)


@POSIX
def test_file_name_that_is_not_utf8_does_not_stop_the_library(
    folder: Path, open_library: Callable[[], Library]
) -> None:
    """An archive unpacked from a Latin-1 system: the name is bytes, not text."""
    with open(os.fsencode(folder) + b"/caf\xe9-owners-protest.txt", "wb") as file:
        file.write(TEXT_ARTICLE.encode())
    library = open_library()
    summary = library.refresh()  # must not raise UnicodeEncodeError
    loaded = library.count() - GOOD
    assert loaded in (0, 1)
    if not loaded:
        (problem,) = summary.problems
        assert "caf" in problem.path and problem.reason
        problem.path.encode("utf-8")  # storable and printable
    assert_good_articles_loaded(library, extra=loaded)


# -- files that change between the scan and the read ------------------------------------------


def test_file_deleted_between_scan_and_parse(
    folder: Path, open_library: Callable[[], Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = folder / "2026-01-05-storm-closes-harbour.txt"
    real_walk = walk

    def walk_then_delete(root: Path, problems: list[tuple[str, str]]) -> Iterator[FileStat]:
        yield from real_walk(root, problems)
        victim.unlink()

    monkeypatch.setattr(refresh, "walk", walk_then_delete)
    library = open_library()
    summary = library.refresh()
    assert problems_by_name(summary, folder) == {victim.name: "no such file or folder"}
    assert library.count() == GOOD - 1

    monkeypatch.setattr(refresh, "walk", real_walk)
    again = library.refresh()
    assert again.problems == [], "the problem of a file that is gone must go too"
    assert library.count() == GOOD - 1


def _failing_open(victim: Path, error: OSError) -> Callable[..., Any]:
    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(file) == str(victim):
            raise error
        return open(file, *args, **kwargs)

    return fake_open


def test_file_unreadable_at_parse_time_is_retried_later(
    folder: Path, open_library: Callable[[], Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = folder / "2026-01-05-storm-closes-harbour.txt"
    monkeypatch.setattr(
        scan, "open", _failing_open(victim, PermissionError(13, "Permission denied")), raising=False
    )
    library = open_library()
    summary = library.refresh()
    assert problems_by_name(summary, folder) == {victim.name: "permission denied"}
    assert library.count() == GOOD - 1

    monkeypatch.delattr(scan, "open")
    again = library.refresh()  # same size and mtime, but it failed: read it again
    assert again.problems == [] and again.parsed == 1
    assert library.count() == GOOD


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root (and Windows) ignore mode 000"
)
def test_file_with_mode_000_is_a_problem_until_fixed(
    folder: Path, open_library: Callable[[], Library]
) -> None:
    victim = folder / "2026-01-05-storm-closes-harbour.txt"
    victim.chmod(0)
    try:
        library = open_library()
        summary = library.refresh()
        assert problems_by_name(summary, folder) == {victim.name: "permission denied"}
        assert library.count() == GOOD - 1
    finally:
        victim.chmod(0o644)
    again = library.refresh()
    assert again.problems == [] and library.count() == GOOD


def test_file_appended_to_while_it_is_read(
    folder: Path, open_library: Callable[[], Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A download still being written: whatever was read loads; the next refresh sees the
    change (size and mtime differ from what the scan saw) and reads the whole file."""
    victim = folder / "growing.txt"
    victim.write_text("Growing Story\n\nA standfirst.\n\nFirst paragraph.\n")

    def open_while_writing(file: Any, *args: Any, **kwargs: Any) -> Any:
        stream = open(file, *args, **kwargs)  # noqa: SIM115 - handed to the caller
        if os.fspath(file) == str(victim):
            with open(victim, "a", encoding="utf-8") as writer:
                writer.write("\nSecond paragraph, written during the read.\n")
        return stream

    monkeypatch.setattr(scan, "open", open_while_writing, raising=False)
    library = open_library()
    first = library.refresh()
    assert first.problems == []
    assert_good_articles_loaded(library, extra=1)
    monkeypatch.delattr(scan, "open")

    again = library.refresh()
    assert again.parsed == 1 and again.problems == []
    article_id = library.resolve(str(victim))
    assert article_id is not None
    article = library.article(article_id)
    assert article is not None and "Second paragraph" in article.body_text


# -- everything at once, through the CLI ------------------------------------------------------


@POSIX
def test_check_lists_every_bad_file_and_exit_1(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, content, _ in BAD_FILES.values():
        if callable(content):
            content(folder / name)
        else:
            (folder / name).write_bytes(content)
    os.symlink("missing.txt", folder / "dangling.txt")
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    expected = {name for name, _, _ in BAD_FILES.values()} | {
        "dangling.txt", "loop-a.txt", "loop-b.txt"
    }  # fmt: skip

    assert main(["check", str(folder)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == len(expected), out
    for line in lines:
        path, _, reason = line.partition(": ")
        assert os.path.relpath(path, folder) in expected and reason.strip(), line
    assert err == ""

    assert main(["list", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == GOOD
    assert err == ""  # `check` listed them: not told again until the set changes
    (folder / "dangling.txt").unlink()
    assert main(["list", str(folder)]) == 0
    assert f"{len(expected) - 1} files could not be loaded" in capsys.readouterr().err


def test_problem_records_are_plain_data(folder: Path, open_library: Callable[[], Library]) -> None:
    (folder / "empty.txt").write_bytes(b"")
    library = open_library()
    (problem,) = library.refresh().problems
    assert isinstance(problem, Problem)
    assert problem.path == str(folder / "empty.txt")
