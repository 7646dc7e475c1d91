"""The rules every command follows alike (docs/command-line.md): which library, an article
given as a path, queries starting with `-`, one date format, one JSON style, problems told once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from libhelpers import article_text, write
from newstui.cli import main
from newstui.core.libraries import LAST_LIBRARY
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
MALFORMED_FEED = (
    b'\n<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title>'
    b"<item><title>Ferry Timetable Changes</title><guid>ferry-1</guid>"
    b"<pubDate>Wed, 01 May 2024 09:30:00 GMT</pubDate>"
    b"<description>The ferry said the new timetable starts in June.</description></item>"
    b"<item><title>Harbour Wall Repaired</title><guid>wall-2</guid>"
    b"<description>Workers repaired the harbour wall before the storms.</description></item>"
    b"</channel>"  # and no </rss>
)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    write(
        folder,
        "2026-02-01-accord.txt",
        article_text(
            "Tallemar Accord Signed",
            ["Ministers signed the accord after a long night of talks, officials said."],
            slug="accord-signed",
            author="Marta Lindqvist-Obi",
        ),
    )
    write(
        folder,
        "2026-02-02-gas.txt",
        article_text(
            "Gas Flows Resume",
            ["Gas flows through the pipeline resumed after the accord was signed."],
            slug="gas-flows",
            author="Tomasz Wendland",
        ),
    )
    write(folder, "feeds/herald.xml", MALFORMED_FEED)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


COMMANDS = [
    ("list", "--json"),
    ("authors", "--json"),
    ("search", "accord", "--json"),
    ("related", "accord-signed", "--json"),
    ("show", "gas-flows", "--json"),
    ("index", "--json"),
    ("check", "--json"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_dir_is_positional_or_an_option_alike(
    command: tuple[str, ...], library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "index", str(library))  # (so that `index` reports the same both times)
    name, *rest = command
    positional = run(capsys, name, *rest[:-1], str(library), rest[-1])
    option = run(capsys, name, *rest, "--dir", str(library))
    assert positional == option
    assert positional[0] in (0, 1) and positional[1]  # (check: 1, no file is unreadable... yet)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_two_different_libraries_are_refused(
    command: tuple[str, ...], library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, *rest = command
    code, out, err = run(capsys, name, *rest, str(library), "--dir", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"newstui: two libraries given: {library} and --dir {tmp_path}; give one\n"


def test_the_default_library_is_the_last_one_the_reader_opened(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newstui.tui.app import NewsApp

    def run_and_save(app: NewsApp) -> None:  # the reader, without a terminal
        app.unsaved_writes = app.writer.close(5)
        app.state.close()

    monkeypatch.setattr(NewsApp, "run", run_and_save)
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and len(json.loads(out)) >= 20  # nothing opened yet: the samples
    assert main([str(library)]) == 0  # `newstui DIR`
    state = StateStore(AppPaths.default().state_db)
    assert state.pref(LAST_LIBRARY) == str(library.resolve())
    state.close()
    for command in COMMANDS:  # each now works on it, as if given `--dir DIR`
        without = run(capsys, *command)
        assert without == run(capsys, *command, "--dir", str(library)), command
    # a bare `newstui` opens it too
    opened: list[Path] = []
    monkeypatch.setattr(NewsApp, "run", lambda app: opened.append(app.library.folder))
    assert main([]) == 0 and opened == [library.resolve()]


def test_the_config_folder_comes_before_the_last_library(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    write(other, "one.txt", article_text("Only One Here", slug="only-one"))
    state = StateStore(AppPaths.default().state_db)
    state.set_pref(LAST_LIBRARY, str(library))
    state.close()
    assert "accord-signed" in {item["id"] for item in json.loads(run(capsys, "list", "--json")[1])}
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True)
    config.write_text(f'folder = "{other}"\n', encoding="utf-8")
    assert [item["id"] for item in json.loads(run(capsys, "list", "--json")[1])] == ["only-one"]


def test_a_last_library_that_is_gone_falls_back_to_the_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = StateStore(AppPaths.default().state_db)
    state.set_pref(LAST_LIBRARY, str(tmp_path / "deleted"))
    state.close()
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0 and len(json.loads(out)) >= 20


def test_related_to_a_file_looks_in_the_files_own_library(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "index", str(library))
    # the default library is the samples; the file's own library is found by its index
    code, out, err = run(capsys, "related", str(library / "2026-02-02-gas.txt"), "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["id"] == "gas-flows"
    assert [item["id"] for item in document["related"]] == ["accord-signed"]


def test_related_to_a_file_of_a_folder_never_indexed_indexes_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "loose"
    write(folder, "a.txt", article_text("Pipeline Talks", ["The pipeline talks went on."]))
    write(folder, "b.txt", article_text("Pipeline Deal", ["The pipeline deal was signed."]))
    code, out, _ = run(capsys, "related", str(folder / "a.txt"), "--json")
    assert code == 0
    assert [item["source"]["path"] for item in json.loads(out)["related"]] == [
        str(folder / "b.txt")
    ]


def test_a_query_may_start_with_a_dash(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def found(*args: str) -> list[str]:
        code, out, err = run(capsys, "search", *args, "--json")
        assert code == 0, err
        return sorted(hit["id"] for hit in json.loads(out))

    with_said = found("said", str(library))
    assert "accord-signed" in with_said and "gas-flows" not in with_said
    without = found("-said", str(library))
    assert "gas-flows" in without and not set(without) & set(with_said)
    assert found("--dir", str(library), "-said") == without
    assert found("--", "-said", str(library)) == without
    assert found("accord -said", "--dir", str(library)) == ["gas-flows"]


def test_an_unknown_option_is_still_an_error(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:  # argparse's own exit: status 2
        main(["list", str(library), "--bogus"])
    assert exited.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_an_unknown_qualifier_is_one_line_and_exit_2(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "search", "source:feeds", str(library))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("newstui: search: unknown qualifier source:")
    assert "author:" in err and "is:" in err and "folder:" in err and "feed:" in err


def _times(document: object) -> list[str]:
    """Every value of a key named like a time, anywhere in the document."""
    if isinstance(document, dict):
        found = [
            value
            for key, value in document.items()
            if key in ("published", "last_success") and value is not None
        ]
        return found + [time for value in document.values() for time in _times(value)]
    if isinstance(document, list):
        return [time for item in document for time in _times(item)]
    return []


def test_one_date_format_everywhere(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = str(library / "feeds" / "herald.xml")
    outputs = [
        run(capsys, "list", str(library), "--json")[1],
        run(capsys, "search", "ferry", str(library), "--json")[1],
        run(capsys, "related", "accord-signed", str(library), "--json")[1],
        run(capsys, "show", feed, "--json")[1],
        run(capsys, "show", "accord-signed", str(library), "--json")[1],
    ]
    times = [
        time
        for out in outputs
        for line in out.splitlines()
        if line.strip() not in "[]"
        for time in _times(json.loads(line.rstrip(",")))
    ]
    assert "2024-05-01T09:30:00Z" in times and "2026-02-01T00:00:00Z" in times
    assert all(ISO_UTC.match(time) for time in times), times


@pytest.mark.parametrize(
    "command",
    [*COMMANDS, ("related", "--all"), ("show", "FEED", "--json"), ("show", "FILE", "--json")],
    ids=" ".join,
)
def test_one_json_style_every_line_one_compact_document(
    command: tuple[str, ...], library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "FEED": str(library / "feeds" / "herald.xml"),
        "FILE": str(library / "2026-02-01-accord.txt"),
    }
    args = [files.get(arg, arg) for arg in command]
    code, out, _ = run(capsys, *args, "--dir", str(library))
    assert code in (0, 1)
    lines = out.splitlines()
    if lines[0] == "[":  # a list: a JSON array, an item a line
        assert lines[-1] == "]" and json.loads(out) is not None
        lines = [line.rstrip(",") for line in lines[1:-1]]
    for line in lines:
        assert isinstance(json.loads(line), dict), line


def test_show_prints_one_object_per_article(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "show", str(library / "2026-02-01-accord.txt"), "--json")
    article = json.loads(out)  # one article: one object, the whole output
    assert code == 0 and out.count("\n") == 1
    assert article["author"]["name"] == "Marta Lindqvist-Obi"
    assert article["title"] == "Tallemar Accord Signed" and article["blocks"]
    assert article["published"] == "2026-02-01T00:00:00Z"
    code, out, err = run(capsys, "show", str(library / "feeds" / "herald.xml"), "--json")
    entries = [json.loads(line) for line in out.splitlines()]
    assert [entry["title"] for entry in entries] == [
        "Ferry Timetable Changes",
        "Harbour Wall Repaired",
    ]
    assert "warning: malformed feed" in err
    saved = write(tmp_path, "saved.json", out)  # and it loads back, as JSON Lines
    code, out, _ = run(capsys, "show", str(saved), "--json")
    assert [json.loads(line)["title"] for line in out.splitlines()] == [
        entry["title"] for entry in entries
    ]


def test_show_an_id_from_the_library(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "gas-flows", str(library))
    assert code == 0 and out.startswith("Gas Flows Resume\n")
    code, out, err = run(capsys, "show", "no-such-id", str(library))
    assert (code, out) == (2, "")
    assert err == f"newstui: no-such-id: no such file, nor an article id in {library}\n"
    code, _, err = run(capsys, "show", str(library / "missing.txt"))
    assert code == 2 and err == f"newstui: {library / 'missing.txt'}: no such file\n"


def test_a_recovered_feed_is_a_warning_not_a_problem(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", str(library), "--json")
    assert code == 0 and err == ""  # nothing unreadable: nothing said
    assert {"Ferry Timetable Changes", "Harbour Wall Repaired"} <= {
        item["title"] for item in json.loads(out)
    }
    code, out, _ = run(capsys, "check", str(library))
    herald = library / "feeds" / "herald.xml"
    assert code == 0  # warnings only
    assert out.startswith(f"{herald}: recovered: malformed feed:")
    code, out, _ = run(capsys, "check", str(library), "--json")
    assert [(item["path"], item["recovered"]) for item in json.loads(out)] == [(str(herald), True)]
    code, out, _ = run(capsys, "index", str(library))
    assert out.endswith("problems 0, 1 recovered with warnings (see check)\n")


def test_unreadable_files_are_told_of_once_per_change(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = f"newstui: 1 file could not be loaded; see `newstui check {library}`\n"
    write(library, "empty.txt", b"")
    assert run(capsys, "list", str(library))[2] == said
    assert run(capsys, "authors", str(library))[2] == ""
    assert run(capsys, "search", "accord", str(library))[2] == ""
    write(library, "also-empty.md", b"")
    assert run(capsys, "list", str(library))[2] == said.replace("1 file", "2 files")
    assert run(capsys, "list", str(library))[2] == ""
    (library / "also-empty.md").unlink()
    (library / "empty.txt").unlink()
    assert run(capsys, "list", str(library))[2] == ""  # none left: nothing to tell
    write(library, "empty.txt", b"")
    assert run(capsys, "list", str(library))[2] == said  # back: a change, told again
