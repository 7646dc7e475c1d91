"""config.toml's pipe, macro and notification settings: bad entries named, the rest kept."""

from __future__ import annotations

from pathlib import Path

from newstui.core.config import Macro, load_settings


def test_automation_settings_are_read(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'pipe_command = "wc -w"\n'
        'notify_command = "notify-send newstui"\n'
        'notify = "osc9"\n'
        "[macros]\n"
        'save_to_wallabag = { key = "ctrl+w", command = "wallabag-add" }\n'
        'spaces = { key = " x ", command = "sh -c \'cat > /tmp/a\'" }\n'
    )
    loaded = load_settings(config)
    assert loaded.warnings == []
    settings = loaded.settings
    assert settings.pipe_command == "wc -w" and settings.notify == "osc9"
    assert settings.notify_command == "notify-send newstui"
    assert settings.macros == {
        "save_to_wallabag": Macro("ctrl+w", "wallabag-add"),
        "spaces": Macro("x", "sh -c 'cat > /tmp/a'"),
    }


def test_bad_entries_are_named_and_skipped(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'pipe_command = "\'unclosed"\n'
        "notify_command = 3\n"
        'notify = "loud"\n'
        "[macros]\n"
        'good = { key = "x", command = "true" }\n'
        'no_key = { command = "true" }\n'
        'extra = { key = "y", command = "true", shell = true }\n'
        '"bad name!" = { key = "z", command = "true" }\n'
        'empty = { key = "z", command = "  " }\n'
        'plain = "wallabag-add"\n'
    )
    loaded = load_settings(config)
    assert loaded.settings.macros == {"good": Macro("x", "true")}
    assert loaded.settings.pipe_command is None and loaded.settings.notify == "on"
    said = "\n".join(loaded.warnings)
    for part in (
        "'pipe_command': cannot be read as a command (No closing quotation)",
        "'notify_command': should be a command",
        "'notify': should be 'on' or 'osc9' or 'off'",
        "'no_key': should be",
        "'extra': should be",
        "'bad name!': the name should be",
        "'empty': should be a command",
        "'plain': should be",
    ):
        assert part in said, part
    assert len(loaded.warnings) == 8
