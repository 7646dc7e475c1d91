"""The config file: every bad key is named, replaced by its default, and the rest kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from libhelpers import modules_loaded
from newstui.core.config import Settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_without_a_warning(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "absent.toml")
    assert loaded.settings == Settings() and loaded.warnings == []


def test_good_file_is_read_whole(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'folder = "~/news"\ntheme = "nord"\nmark_read = "end"\nsort = "author"\n'
        '[keymap]\nstar = "f"\nnext_unread = "N,ctrl+n"\n',
    )
    loaded = load_settings(path)
    assert loaded.warnings == []
    assert loaded.settings == Settings(
        folder=Path.home() / "news",
        theme="nord",
        mark_read="end",
        sort="author",
        keymap={"star": "f", "next_unread": "N,ctrl+n"},
    )


@pytest.mark.parametrize(
    ("line", "key", "reason"),
    [
        ('mark_read = "sometimes"', "mark_read", "should be 'open' or 'end' or 'manual'"),
        ("sort = 3", "sort", "should be 'date' or 'title' or 'author'"),
        ("theme = true", "theme", "should be a string"),
        ("folder = 42", "folder", "should be the path of a folder"),
        ('folder = ""', "folder", "should be the path of a folder"),
        ('keymap = "j"', "keymap", "should be a table"),
    ],
)
def test_a_bad_value_is_named_and_the_other_keys_kept(
    tmp_path: Path, line: str, key: str, reason: str
) -> None:
    path = write(tmp_path, f'sort = "title"\n{line}\n' if key != "sort" else f"{line}\n")
    loaded = load_settings(path)
    assert len(loaded.warnings) == 1
    warning = loaded.warnings[0]
    assert warning.startswith(f"{path}: key {key!r}: ") and reason in warning
    assert warning.endswith("using the default")
    assert getattr(loaded.settings, key) == getattr(Settings(), key)
    if key != "sort":
        assert loaded.settings.sort == "title"


def test_a_bad_keymap_entry_is_named_and_the_other_entries_kept(tmp_path: Path) -> None:
    path = write(tmp_path, '[keymap]\nstar = "s,x"\nnext_unread = 5\nhelp = ["h"]\n')
    loaded = load_settings(path)
    assert loaded.settings.keymap == {"star": "s,x"}
    assert [w.split(": ", 2)[2] for w in loaded.warnings] == [
        f'the keys of {key!r} should be a string such as "j,down"; {key!r} skipped'
        for key in ("next_unread", "help")
    ]
    assert all(w.startswith(f"{path}: key 'keymap': ") for w in loaded.warnings)


def test_unknown_key_is_named_and_ignored(tmp_path: Path) -> None:
    loaded = load_settings(write(tmp_path, 'colour = "blue"\ntheme = "nord"\n'))
    assert loaded.warnings == [
        f"{tmp_path / 'config.toml'}: key 'colour': unknown setting; ignored"
    ]
    assert loaded.settings == Settings(theme="nord")


def test_invalid_toml_names_the_file_and_uses_defaults(tmp_path: Path) -> None:
    loaded = load_settings(write(tmp_path, "sort = \n"))
    assert loaded.settings == Settings()
    assert len(loaded.warnings) == 1 and "not valid TOML" in loaded.warnings[0]
    assert str(tmp_path / "config.toml") in loaded.warnings[0]


def test_undecodable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "\xff\xfe"\n')
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert "cannot read" in loaded.warnings[0]


def test_the_reader_starts_without_importing_pydantic() -> None:
    """Start-up speed: pydantic costs about 100 ms to import; the first paint needs none."""
    assert modules_loaded("import newstui.tui.app, newstui.cli.tui", ("pydantic",)) == []
