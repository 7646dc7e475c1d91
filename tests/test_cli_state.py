"""`newstui mark-read/mark-unread/star/unstar` and `newstui state export/import`."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from libhelpers import article_text, write
from newstui.cli import main
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

if TYPE_CHECKING:
    from libhelpers import WriteFile

ARTICLE = """\
Harbour Bridge Reopens After Repairs
Engineers finished the work two weeks early.
some-story-slug

The bridge carried its first traffic again on Tuesday morning.
"""


IDS = ("story-a", "story-b", "story-c", "other-id")


@pytest.fixture(autouse=True)
def library(tmp_path: Path) -> Path:
    """A library holding an article for each of `IDS`, the folder the commands default to."""
    folder = tmp_path / "library"
    for article_id in IDS:
        write(folder, f"{article_id}.txt", article_text(f"Story {article_id}", slug=article_id))
    config = tmp_path / "home" / "config" / "newstui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"folder = {str(folder)!r}\n", encoding="utf-8")
    return folder


def _state(article_id: str) -> tuple[bool, bool]:
    store = StateStore(AppPaths.default().state_db)
    state = store.get(article_id)
    store.close()
    return state.read, state.starred


def test_mark_read_and_unread_by_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mark-read", "story-a", "story-b", "story-a"]) == 0
    assert capsys.readouterr().out == "marked 2 articles read\n"
    assert _state("story-a") == _state("story-b") == (True, False)
    assert main(["mark-unread", "story-b"]) == 0
    assert capsys.readouterr().out == "marked 1 article unread\n"
    assert _state("story-a") == (True, False) and _state("story-b") == (False, False)


@pytest.mark.parametrize("command", ["mark-read", "mark-unread", "star", "unstar"])
def test_an_unknown_id_is_refused_and_nothing_written(
    command: str, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "story-a", "nosuchid"]) == 2
    assert capsys.readouterr() == (
        "",
        f"newstui: nosuchid: no such article in {library.resolve()} "
        "(give its file, or --dir its library)\n",
    )
    assert main(["state", "export", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == []


def test_an_id_is_looked_up_in_the_library_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    write(other, "far.txt", article_text("Far Away Story", slug="far-story"))
    assert main(["star", "far-story"]) == 2
    assert main(["star", "far-story", "--dir", str(other)]) == 0
    assert _state("far-story") == (False, True)
    capsys.readouterr()
    assert main(["unstar", "far-story"]) == 0  # held in the state: known anywhere
    assert capsys.readouterr().out == "unstarred 1 article\n"


def test_star_and_unstar(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["star", "story-a", "story-b"]) == 0
    assert main(["unstar", "story-b"]) == 0
    assert capsys.readouterr().out == "starred 2 articles\nunstarred 1 article\n"
    assert (_state("story-a"), _state("story-b")) == ((False, True), (False, False))


def test_a_file_path_stands_for_its_article(
    write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("2026-01-02-bridge.txt", ARTICLE)
    assert main(["mark-read", str(path)]) == 0
    assert main(["star", str(path), "other-id"]) == 0
    assert capsys.readouterr().out == "marked 1 article read\nstarred 2 articles\n"
    assert _state("some-story-slug") == (True, True)
    assert _state("other-id") == (False, True)


def test_unparseable_file_is_a_clear_error(
    write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("empty.txt", "   \n")
    assert main(["mark-read", str(path)]) == 2
    assert capsys.readouterr().err == f"newstui: {path}: empty file\n"
    assert not AppPaths.default().state_db.exists()  # nothing opened, nothing written


def test_missing_file_is_not_taken_for_an_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["star", "no-such-story.txt"]) == 2
    assert capsys.readouterr().err == "newstui: no-such-story.txt: no such file\n"


def test_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mark-read", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_export_import_round_trip_through_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["mark-read", "story-a", "story-c"])
    main(["star", "story-c"])
    target = tmp_path / "out" / "state.json"
    target.parent.mkdir()
    target.write_text("old contents")
    capsys.readouterr()
    assert main(["state", "export", str(target)]) == 0
    assert capsys.readouterr().out == f"exported 2 articles to {target}\n"
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]  # no temp file left
    exported = json.loads(target.read_text("utf-8"))
    assert exported["format"] == "newstui-state"

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another-machine"))
    assert _state("story-c") == (False, False)
    assert main(["state", "import", str(target)]) == 0
    assert capsys.readouterr().out == f"imported 2 articles from {target}: 2 changed here\n"
    assert (_state("story-a"), _state("story-c")) == ((True, False), (True, True))


def test_export_to_stdout_and_import_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["star", "story-a"])
    capsys.readouterr()
    assert main(["state", "export", "-"]) == 0
    printed = capsys.readouterr().out
    assert [item["id"] for item in json.loads(printed)["articles"]] == ["story-a"]

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "another-machine"))
    monkeypatch.setattr("sys.stdin", io.StringIO(printed))
    assert main(["state", "import", "-"]) == 0
    assert capsys.readouterr().out == "imported 1 article from stdin: 1 changed here\n"
    assert _state("story-a") == (False, True)


ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")  # as tests/test_cli_rules.py


def test_export_is_one_compact_line_with_iso_utc_times(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = StateStore(AppPaths.default().state_db)
    store.set_last_opened("/some/library", "story-a")
    store.close()
    main(["mark-read", "story-a"])
    main(["star", "story-b"])
    capsys.readouterr()
    assert main(["state", "export", "-"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("}\n")
    exported = json.loads(out)
    times = [
        exported["exported_at"],
        *(item[key] for item in exported["articles"] for key in ("read_at", "updated_at")),
        *(item["updated_at"] for item in exported["last_opened"]),
    ]
    assert len(times) == 6 and None in times  # story-b was never read
    assert all(ISO_UTC.match(time) for time in times if time is not None), times


OLD_EXPORT = """{
 "format": "newstui-state",
 "version": 1,
 "exported_at": "2026-12-08T10:00:00+00:00",
 "articles": [
  {"id": "story-a", "read_at": 1796724000.25, "starred": true, "position": 0.5,
   "block": 3, "updated_at": 1796724000.5}
 ],
 "last_opened": [{"library": "/lib", "article_id": "story-a", "updated_at": 1796724000.5}]
}
"""


@pytest.mark.parametrize("old", [True, False], ids=["unix-seconds", "iso-8601"])
def test_import_reads_old_and_new_exports(
    old: bool, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    text = OLD_EXPORT
    if not old:
        text = text.replace("1796724000.25", '"2026-12-08T10:00:00Z"')
        text = text.replace("1796724000.5", '"2026-12-08T10:00:00Z"')
    path = write_file("export.json", text)
    assert main(["state", "import", str(path)]) == 0
    assert capsys.readouterr().out == f"imported 1 article from {path}: 1 changed here\n"
    store = StateStore(AppPaths.default().state_db)
    state = store.get("story-a")
    opened = store.last_opened("/lib")
    store.close()
    assert state.read_at is not None and int(state.read_at) == 1796724000  # 2026-12-08 10:00Z
    assert (state.starred, state.position, state.block, opened) == (True, 0.5, 3, "story-a")


def test_import_of_a_time_that_is_none_names_it(
    write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("export.json", OLD_EXPORT.replace("1796724000.25", '"last Tuesday"'))
    assert main(["state", "import", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"newstui: {path}: articles[0]: \"read_at\" is not an ISO 8601 time: 'last Tuesday'\n"
    )
    assert main(["state", "export", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"hello": 1}', 'not a newstui state export (no "format": "newstui-state")'),
        (
            '{"format": "newstui-state", "version": 1, "articles": [{"id": "a"}]}',
            'articles[0]: "updated_at" must be a number',
        ),
    ],
)
def test_import_of_a_bad_file_names_it_and_the_reason(
    write_file: WriteFile, capsys: pytest.CaptureFixture[str], content: str, reason: str
) -> None:
    path = write_file("state.json", content)
    assert main(["state", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"newstui: {path}: {reason}") and err.count("\n") == 1


def test_import_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    assert main(["state", "import", str(missing)]) == 2
    assert (
        capsys.readouterr().err == f"newstui: {missing}: cannot read: No such file or directory\n"
    )


def test_export_into_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "state.json"
    assert main(["state", "export", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"newstui: {target}: cannot write: No such file or directory\n"
    )


def test_state_summary_and_corrupt_database_warning(capsys: pytest.CaptureFixture[str]) -> None:
    db = AppPaths.default().state_db
    db.parent.mkdir(parents=True)
    db.write_bytes(b"\x00garbage" * 300)
    assert main(["mark-read", "story-a"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "marked 1 article read\n"
    assert captured.err.startswith(f"newstui: warning: the reader-state database {db} could not")
    assert "moved aside to" in captured.err and captured.err.count("\n") == 1
    assert main(["state"]) == 0
    assert capsys.readouterr() == (
        f"state database: {db}\n1 read, 0 starred, 1 article with any state\n",
        "",
    )
