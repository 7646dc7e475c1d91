"""`newstui show`: JSON, plain text and clear errors, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from libhelpers import WriteFile, modules_loaded
from newstui.cli import main

ARTICLE = """\
Council Backs Tram Extension [/x]
Councillors vote for a four-stop extension to the east side.
tram-extension-backed

Funding Still Unclear

The council voted 31 to 12 in favour of the extension on Monday night.

"It is about time," said one resident.

Ana Brum
Ana Brum

Ana Brum reports on transport and city politics.

Read full bio →

You Might Also Like
"""


def test_show_json_is_the_model(write_file: WriteFile, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_file("tram.txt", ARTICLE)
    assert main(["show", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == data["slug"] == "tram-extension-backed"
    assert data["title"] == "Council Backs Tram Extension [/x]"
    assert data["author"] == {
        "name": "Ana Brum",
        "bio": "Ana Brum reports on transport and city politics.",
    }
    assert [b["kind"] for b in data["blocks"]] == ["heading", "paragraph", "paragraph"]
    assert data["related"] == []
    assert data["source"] == {"path": str(path), "format": "txt", "name": None}
    assert data["word_count"] > 10 and data["reading_minutes"] == 1


def test_show_plain_text(write_file: WriteFile, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(write_file("tram.txt", ARTICLE))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Council Backs Tram Extension [/x]\n====")
    assert "By Ana Brum" in out and "Funding Still Unclear\n-----" in out


def test_show_plain_text_gives_each_authors_bio(
    write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    authors = [
        {"name": "Ann Lee", "bio": "Ann covers ports."},
        {"name": "Bo Chan", "bio": "Bo edits."},
    ]
    path = write_file("two.json", json.dumps({"title": "Two", "authors": authors}))
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "By Ann Lee, Bo Chan" in out
    assert "About Ann Lee\nAnn covers ports." in out and "About Bo Chan\nBo edits." in out


def test_show_errors_name_the_file_and_reason(
    tmp_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write_file("empty.txt", b"")
    for args, reason in (
        ([str(empty)], f"newstui: {empty}: empty file"),
        ([str(tmp_path / "missing.txt")], "no such file"),
        ([str(tmp_path)], "is a directory"),
        ([str(write_file("a.pdf", b"%PDF"))], "unsupported file type '.pdf'"),
    ):
        assert main(["show", *args]) == 2
        err = capsys.readouterr().err
        assert reason in err and "Traceback" not in err and err.count("\n") == 1


def test_console_entry_points(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "newstui", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip().startswith("newstui ")
    missing = subprocess.run(
        [sys.executable, "-m", "newstui", str(tmp_path / "nope")], capture_output=True, text=True
    )
    assert missing.returncode == 2
    assert missing.stderr == f"newstui: {tmp_path / 'nope'}: no such directory\n"


def test_config_path_is_under_the_user_config_dir(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(
        isolated_user_dirs / "config" / "newstui" / "config.toml"
    )


def test_bad_config_key_is_named_and_defaults_used(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = isolated_user_dirs / "config" / "newstui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('mark_read = "sometimes"\nsort = "title"\n')
    assert main(["config", "path"]) == 0
    err = capsys.readouterr().err
    assert "'mark_read'" in err and "using the default" in err
    from newstui.core.config import load_settings

    settings = load_settings(config).settings
    assert settings.mark_read == "open" and settings.sort == "title"


def test_the_reader_path_imports_no_subcommand_and_no_pydantic(tmp_path: Path) -> None:
    """`newstui DIR` must start fast: it needs no subcommand, no models, no argparse."""
    setup = (
        "import sys, newstui.cli.tui as tui\n"
        "opened = []\n"
        "tui.run_tui = lambda directory: opened.append(directory) or 0\n"
        "from newstui.cli import main\n"
        "assert main([sys.argv[1]]) == 0 and opened == [sys.argv[1]], opened"
    )
    heavy = ("pydantic", "newstui.cli.", "argparse")
    assert modules_loaded(setup, heavy, str(tmp_path)) == ["newstui.cli.tui"]


def test_every_subcommand_is_listed_where_the_reader_path_looks() -> None:
    from newstui.cli import COMMAND_MODULES, build_parser

    subparsers = next(action for action in build_parser()._actions if action.dest == "command")
    listed = {name for names in COMMAND_MODULES.values() for name in names}
    assert set(subparsers.choices) == listed  # type: ignore[arg-type]


def test_the_reader_takes_one_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "extra"]) == 2
    assert capsys.readouterr().err == "newstui: unexpected argument 'extra' (see newstui --help)\n"
