"""Rules (docs/rules.md): config, hiding, applying to arrivals only, `newstui rules apply`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from libhelpers import article_text, write
from newstui.cli import main
from newstui.core.config import Rule, settings_from
from newstui.core.library import Library, ListFilter
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore

SPONSORED = article_text(
    "Sunny Breakfasts Everywhere",
    ["This sponsored piece praises a new cereal brand at length."],
    slug="cereal-advert",
    author="Brand Desk",
)
HARBOUR = article_text(
    "Harbour Wall Rebuilt",
    ["Engineers rebuilt the harbour wall before the winter storms arrived."],
    slug="harbour-wall",
    author="Ines Calloway",
)
BRIDGE = article_text(
    "Bridge Opens Early",
    ["The new bridge opened a week early, the council said."],
    slug="bridge-opens",
    author="Ines Calloway",
)
PAID = article_text(
    "A Paid Post About Shoes",
    ["This paid post about running shoes was written for a sponsor."],
    slug="shoe-advert",
    author="Brand Desk",
)

HIDE_SPONSORED = Rule(1, "sponsored", "hide")
STAR_INES = Rule(2, 'author:"Ines Calloway"', "star")


def open_with(folder: Path, rules: tuple[Rule, ...]) -> tuple[Library, StateStore]:
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    return Library(folder, paths, state, rules), state


def ids(library: Library, flt: ListFilter | None = None) -> list[str]:
    return sorted(row.id for row in library.page(0, 100, "date", flt or ListFilter()))


def write_config(text: str) -> None:
    config = AppPaths.default().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")


# config


def test_rules_are_read_and_a_bad_one_is_named_by_number_and_skipped() -> None:
    loaded = settings_from(
        {
            "rule": [
                {"query": "sponsored", "action": "hide"},
                {"query": "is:nonsense", "action": "hide"},
                {"query": "harbour", "action": "delete"},
                {"query": 'author:"Ines Calloway"', "action": "star"},
            ]
        },
        "config.toml",
    )
    assert loaded.settings.rules == (
        Rule(1, "sponsored", "hide"),
        Rule(4, 'author:"Ines Calloway"', "star"),
    )
    assert len(loaded.warnings) == 2
    assert loaded.warnings[0].startswith("config.toml: rule 2: its query 'is:nonsense'")
    assert "unknown is:nonsense" in loaded.warnings[0]
    assert loaded.warnings[0].endswith("skipped")
    assert loaded.warnings[1] == (
        "config.toml: rule 3: its action should be 'read' or 'star' or 'hide'; skipped"
    )


def test_saved_searches_are_read_and_a_bad_one_skipped() -> None:
    loaded = settings_from({"searches": {"ines": 'author:"Ines"', "broken": "is:whatever"}}, "c")
    assert loaded.settings.searches == {"ines": 'author:"Ines"'}
    assert len(loaded.warnings) == 1 and "saved search 'broken'" in loaded.warnings[0]


# hiding


def test_hidden_article_leaves_list_counts_search_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    write(folder, "a/cereal.txt", SPONSORED)
    write(folder, "a/harbour.txt", HARBOUR)
    library, state = open_with(folder, ())
    try:
        library.refresh()
        library.warm_order("date")  # a cached order must notice the change too
        assert library.count() == 2
        state.set_hidden(["cereal-advert"], True)
        assert ids(library) == ["harbour-wall"]
        assert library.count() == 1
        library.warm_order("date")
        assert ids(library) == ["harbour-wall"]
        assert library.count() == 1
        assert library.index_of("cereal-advert") is None
        assert library.count(ListFilter(unread=True)) == 1
        assert [hit.row.id for hit in library.search("sponsored")] == []
        assert [hit.row.id for hit in library.search("is:hidden")] == ["cereal-advert"]
        assert [hit.row.id for hit in library.search("cereal is:hidden")] == ["cereal-advert"]
        assert {f.name: f.total for f in library.folders()} == {"": 1, "a": 1}
        state.set_hidden(["cereal-advert"], False)
        assert ids(library) == ["cereal-advert", "harbour-wall"]
    finally:
        library.close()
        state.close()


def test_hidden_article_is_not_a_related_story(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    text = ["Engineers rebuilt the harbour wall before the winter storms arrived."]
    listing = article_text(
        "Harbour Works", text, slug="harbour-works", related=["Bridge Opens Early"]
    )
    write(folder, "one.txt", listing)
    write(folder, "two.txt", BRIDGE)
    library, state = open_with(folder, ())
    try:
        library.refresh()
        assert [item.row.id for item in library.related("harbour-works")] == ["bridge-opens"]
        state.set_hidden(["bridge-opens"], True)
        assert library.related("harbour-works") == []
    finally:
        library.close()
        state.close()


def test_a_version_2_state_database_gains_hidden(tmp_path: Path) -> None:
    db = AppPaths.default().state_db
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TABLE article_state(article_id TEXT PRIMARY KEY, read_at REAL,
            starred INTEGER NOT NULL DEFAULT 0, position REAL NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL, block INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE last_opened(library TEXT PRIMARY KEY, article_id TEXT NOT NULL,
            updated_at REAL NOT NULL);
        CREATE TABLE prefs(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO article_state VALUES ('kept', 1700000000.0, 1, 0.5, 1700000000.0, 3);
        PRAGMA user_version = 2;
        """
    )
    conn.close()
    state = StateStore(db)
    try:
        assert state.warnings == []
        assert state.get("kept").starred and state.get("kept").block == 3
        assert state.toggle_hidden("kept") is True
        assert state.hidden(["kept", "other"]) == {"kept"}
        assert state.toggle_hidden("kept") is False
        assert state.hidden(["kept"]) == set()
    finally:
        state.close()


# rules on arrival


def test_rules_apply_to_arrivals_only_and_once(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    write(folder, "old-cereal.txt", SPONSORED)  # there before the rules: left alone
    library, state = open_with(folder, ())
    library.refresh()
    library.close()
    state.close()

    library, state = open_with(folder, (HIDE_SPONSORED, STAR_INES))
    try:
        write(folder, "harbour.txt", HARBOUR)
        write(folder, "shoes.txt", PAID.replace("for a sponsor", "as sponsored content"))
        summary = library.refresh()
        assert ids(library) == ["cereal-advert", "harbour-wall"]
        assert state.get("harbour-wall").starred
        assert state.hidden(["shoe-advert", "cereal-advert"]) == {"shoe-advert"}
        assert [(r.rule.number, [row.id for row in r.rows]) for r in summary.ruled] == [
            (1, ["shoe-advert"]),
            (2, ["harbour-wall"]),
        ]
        # shown again by hand, then the index is rebuilt (and an article comes meanwhile):
        # the rules do not come back to the past
        state.set_hidden(["shoe-advert"], False)
        state.set_starred(["harbour-wall"], False)
        library._rebuild()
        write(folder, "bridge.txt", BRIDGE)
        summary = library.refresh()
        assert [(r.rule.number, [row.id for row in r.rows]) for r in summary.ruled] == [
            (2, ["bridge-opens"])
        ]
        assert ids(library) == ["bridge-opens", "cereal-advert", "harbour-wall", "shoe-advert"]
        assert not state.get("harbour-wall").starred
    finally:
        library.close()
        state.close()


def test_a_library_indexed_before_rules_existed_keeps_its_past(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    write(folder, "old-cereal.txt", SPONSORED)
    library, state = open_with(folder, ())
    library.refresh()
    library.close()
    state.close()
    with sqlite3.connect(AppPaths.default().state_db) as conn:  # as a newstui without rules
        conn.execute("DELETE FROM rules_seen")
        conn.execute("DELETE FROM prefs WHERE key LIKE 'rules_met:%'")
    conn.close()
    library, state = open_with(folder, (HIDE_SPONSORED,))
    try:
        write(folder, "shoes.txt", PAID.replace("for a sponsor", "as sponsored content"))
        library.refresh()
        assert ids(library) == ["cereal-advert"]
        library._rebuild()
        library.refresh()
        assert ids(library) == ["cereal-advert"]
    finally:
        library.close()
        state.close()


def test_first_index_of_a_new_folder_is_an_arrival(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write(folder, "cereal.txt", SPONSORED)
    write(folder, "bridge.txt", BRIDGE)
    library, state = open_with(folder, (HIDE_SPONSORED, Rule(2, "bridge", "read")))
    try:
        library.refresh()
        assert ids(library) == ["bridge-opens"]
        assert state.get("bridge-opens").read
    finally:
        library.close()
        state.close()


# the command line


def test_rules_apply_dry_run_then_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "lib"
    for name, text in [("c.txt", SPONSORED), ("h.txt", HARBOUR), ("b.txt", BRIDGE)]:
        write(folder, name, text)
    assert main(["index", str(folder)]) == 0  # before the rules: they stay as they are
    write_config(
        "[[rule]]\nquery = 'sponsored'\naction = 'hide'\n"
        "[[rule]]\nquery = 'is:bogus'\naction = 'star'\n"
        "[[rule]]\nquery = 'author:calloway'\naction = 'star'\n"
    )
    capsys.readouterr()
    assert main(["rules", "apply", str(folder), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "rule 2: its query 'is:bogus' does not parse" in err
    assert "rule 1 (sponsored): 1 article would be hidden\n    Sunny Breakfasts Everywhere" in out
    assert "rule 3 (author:calloway): 2 articles would be starred" in out
    assert "Bridge Opens Early" in out and "Harbour Wall Rebuilt" in out
    assert main(["list", str(folder), "--starred"]) == 0
    assert capsys.readouterr().out == ""  # a dry run changed nothing

    assert main(["rules", "apply", str(folder)]) == 0
    out, _ = capsys.readouterr()
    assert "rule 1 (sponsored): 1 article were hidden" not in out
    assert "rule 1 (sponsored): 1 article hidden" in out
    assert main(["list", str(folder)]) == 0
    listed = capsys.readouterr().out
    assert "Sunny Breakfasts" not in listed and listed.count("*") == 2
    assert main(["search", "is:hidden", str(folder)]) == 0
    assert "Sunny Breakfasts" in capsys.readouterr().out


def test_saved_search_runs_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "lib"
    write(folder, "h.txt", HARBOUR)
    write(folder, "c.txt", SPONSORED)
    write_config('[searches]\nines = "author:calloway"\n')
    assert main(["search", "@ines", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Harbour Wall Rebuilt" in out and "Sunny" not in out
    assert main(["search", "@nobody", str(folder)]) == 2
    assert capsys.readouterr().err == "newstui: search: no saved search @nobody (saved: @ines)\n"


def test_hide_and_unhide_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "lib"
    write(folder, "h.txt", HARBOUR)
    write(folder, "b.txt", BRIDGE)
    assert main(["hide", "harbour-wall", "--dir", str(folder)]) == 0
    assert main(["list", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Harbour" not in out and "Bridge" in out
    assert main(["unhide", "harbour-wall", "--dir", str(folder)]) == 0
    assert main(["list", str(folder)]) == 0
    assert "Harbour" in capsys.readouterr().out


def test_hidden_articles_travel_in_a_state_export() -> None:
    paths = AppPaths.default()
    here = StateStore(paths.state_db)
    here.set_hidden(["cereal-advert"], True)
    exported = here.export_data()
    here.close()
    assert [item["id"] for item in exported["hidden"]] == ["cereal-advert"]
    there = StateStore(paths.state_db.with_name("elsewhere.sqlite3"))
    try:
        assert there.import_data(exported) == 1
        assert there.hidden(["cereal-advert"]) == {"cereal-advert"}
        assert there.import_data(exported) == 0
        with pytest.raises(ValueError, match=r"hidden\[0\]"):
            there.import_data({**exported, "hidden": [{"id": "x"}]})
    finally:
        there.close()
