"""The keymap never fails silently: each bad entry or key is named and left out, the rest
applies, and the documented binding ids are the live ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app_fixtures import settle, write_library
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.keymap import binding_ids, checked_keymap, keymap_table
from newstui.tui.screens.folders import FoldersScreen
from newstui.tui.screens.help import HelpScreen
from newstui.tui.screens.main import MainScreen

KEYS_PAGE = Path(__file__).parent.parent / "docs" / "keys.md"
TABLE_START = "<!-- keymap table: written by docs/gen_keymap.py -->"
TABLE_END = "<!-- end of keymap table -->"
SIZE = (200, 50)
FIRST = "harbour-reopens"  # the article under the cursor at start


def app_with_config(tmp_path: Path, toml: str) -> NewsApp:
    """The reader as `newstui` starts it: settings read from the user's config file."""
    paths = AppPaths.default()
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(toml, encoding="utf-8")
    return NewsApp(write_library(tmp_path / "articles"), paths, watch=False)


def warnings_naming(app: NewsApp, *words: str) -> list[str]:
    return [w for w in app.startup_warnings if all(word in w for word in words)]


async def test_a_bad_keys_value_leaves_the_other_entries_applied(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, '[keymap]\nstar = "s,x"\nnext_unread = 5\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.state.get(FIRST).starred
    assert len(warnings_naming(app, "keymap", "next_unread", "should be a string")) == 1


async def test_an_unknown_binding_id_is_named_and_the_rest_applies(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, '[keymap]\nbogus_action = "z"\nstar = "s,x"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.state.get(FIRST).starred
    [warning] = app.startup_warnings
    assert str(app.paths.config_file) in warning
    assert "'bogus_action' is not a binding id" in warning


async def test_a_key_that_is_no_key_name_is_named(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, '[keymap]\nnext_unread = "n,dwon"\nstar = "x"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.state.get(FIRST).starred
    [warning] = app.startup_warnings
    assert "next_unread" in warning and "'dwon' is not a key name" in warning


async def test_a_key_another_binding_has_stays_there_and_both_are_named(
    tmp_path: Path,
) -> None:
    app = app_with_config(tmp_path, '[keymap]\nstar = "s,f"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FoldersScreen)  # f still opens the folders view
        await pilot.press("escape")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.state.get(FIRST).starred  # and s still stars
    [warning] = app.startup_warnings
    assert "star" in warning and "'f' is taken by folders" in warning


async def test_a_key_shadowed_by_a_pane_is_reported(tmp_path: Path) -> None:
    # j moves the list's cursor (the focused pane's binding wins): it would never star.
    app = app_with_config(tmp_path, '[keymap]\nstar = "s,j"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert app.state.get(FIRST).starred
    [warning] = app.startup_warnings
    assert "star" in warning and "'j' is taken by cursor_down" in warning


async def test_keys_swapped_between_two_bindings_both_apply(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, '[keymap]\nstar = "f"\nfolders = "s"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert app.state.get(FIRST).starred
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, FoldersScreen)
    assert app.startup_warnings == []


async def test_help_shows_each_binding_id(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, '[keymap]\nstar = "x"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
    lines = {line.split()[-1]: line for line in text.splitlines() if line.strip()}
    assert "Star" in lines["star"] and lines["star"].split()[0] == "x"
    assert "Folders and feeds" in lines["folders"]
    assert "Next unread" in lines["next_unread"]


@pytest.mark.parametrize(
    ("keymap", "applied", "warned"),
    [
        ({"star": "?"}, {}, True),  # help has it
        ({"star": " S , x "}, {"star": "x"}, True),  # S sorts
        ({"star": "x, ctrl+s", "help": "h"}, {"star": "x,ctrl+s", "help": "h"}, False),
        ({"star": "s,,x"}, {}, True),  # an empty key
        ({"star": "Escape"}, {}, True),  # key names are lower case
        ({"star": "ctrl+"}, {}, True),
        ({"cursor_down": "j,down,Z"}, {"cursor_down": "j,down,Z"}, False),
    ],
)
def test_checked_keymap_keeps_what_can_apply(
    keymap: dict[str, str], applied: dict[str, str], warned: bool
) -> None:
    kept, warnings = checked_keymap(keymap)
    assert kept == applied
    assert bool(warnings) == warned


def test_the_keys_page_lists_every_live_binding() -> None:
    page = KEYS_PAGE.read_text(encoding="utf-8")
    match = re.search(re.escape(TABLE_START) + r"(.*?)" + re.escape(TABLE_END), page, re.S)
    assert match, f"{KEYS_PAGE} has lost its keymap table markers"
    documented = set(re.findall(r"\| `([a-z0-9_]+)` \|$", match.group(1), re.M))
    assert documented == binding_ids()
    assert match.group(1).strip() == keymap_table().strip(), (
        f"{KEYS_PAGE} is out of date; run `python docs/gen_keymap.py`. The table should be:\n"
        + keymap_table()
    )
