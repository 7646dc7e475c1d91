"""The library core: scanning, the incremental index, listing, related stories, authors."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, cast

import pytest

from libhelpers import FILLER, article_text, modules_loaded, open_library, write
from newstui.core import library as library_module
from newstui.core.formats import ParseResult, parse_bytes, parse_file, supported_extensions
from newstui.core.index import db as index
from newstui.core.index import scan
from newstui.core.index.build import refresh_index
from newstui.core.index.summary import RefreshSummary
from newstui.core.lang import with_language
from newstui.core.library import Library, ListFilter, Sort
from newstui.core.models import count_words
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateStore


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "articles"
    path.mkdir()
    return path


EVERYTHING = ListFilter()


def titles(library: Library, sort: Sort = "date", flt: ListFilter = EVERYTHING) -> list[str]:
    return [row.title for row in library.page(0, 1000, sort, flt)]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every name under `folder` (hidden ones too) with size and mtime."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            info = os.lstat(os.path.join(root, name))
            found[os.path.join(root, name)] = (info.st_size, info.st_mtime_ns)
    return found


# scanning


def test_scan_rules_hidden_unsupported_large_and_bad_files(folder: Path) -> None:
    write(folder, "2026-01-02-good.txt", article_text("Good Story"))
    write(folder, "nested/deeper/2026-01-03-nested.txt", article_text("Nested Story"))
    write(folder, ".hidden.txt", article_text("Hidden File Story"))
    write(folder, ".git/inside.txt", article_text("Hidden Folder Story"))
    write(folder, "notes.pdf", b"%PDF-1.4 not an article")
    write(folder, "empty.txt", "")
    write(folder, "binary.txt", bytes(range(256)) * 40)
    big = write(folder, "big.txt", b"x")
    with open(big, "wb") as stream:
        stream.truncate(scan.MAX_FILE_BYTES + 1)
    before = snapshot(folder)
    with open_library(folder) as library:
        assert sorted(titles(library)) == ["Good Story", "Nested Story"]
        problems = {Path(p.path).name: p.reason for p in library.problems()}
    assert problems == {
        "big.txt": "too large (5.0 MB; the limit is 5 MB)",
        "binary.txt": "binary data, not article text",
        "empty.txt": "empty file",
    }
    assert snapshot(folder) == before  # nothing written, nothing touched


def test_every_registered_extension_is_scanned(folder: Path) -> None:
    assert ".txt" in supported_extensions()
    write(folder, "UPPER.TXT", article_text("Upper Case Extension"))
    with open_library(folder) as library:
        assert titles(library) == ["Upper Case Extension"]


def test_symlink_loops_are_walked_once(folder: Path) -> None:
    write(folder, "a/2026-01-01-one.txt", article_text("Only Once"))
    os.symlink(folder, folder / "a" / "loop")  # a/loop -> the library root
    os.symlink(folder / "a", folder / "again")  # a second way into a/
    os.symlink(folder / "missing.txt", folder / "dangling.txt")
    with open_library(folder) as library:
        assert titles(library) == ["Only Once"]
        assert [(Path(p.path).name, p.reason) for p in library.problems()] == [
            ("dangling.txt", "broken symbolic link")
        ]


def test_unreadable_file_is_a_problem_and_is_retried(folder: Path) -> None:
    write(folder, "2026-01-01-fine.txt", article_text("Fine Story"))
    locked = write(folder, "2026-01-02-locked.txt", article_text("Locked Story"))
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any file")
        with open_library(folder) as library:
            assert titles(library) == ["Fine Story"]
            assert [(p.path, p.reason) for p in library.problems()] == [
                (str(locked), "permission denied")
            ]
            locked.chmod(0o644)  # fixed by the user: mtime unchanged, still retried
            summary = library.refresh()
            assert summary.parsed == 1 and summary.problems == []
            assert titles(library) == ["Locked Story", "Fine Story"]
    finally:
        locked.chmod(0o644)


def test_read_errors_are_problems_and_are_retried(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(folder, "2026-01-01-fine.txt", article_text("Fine Story"))
    flaky = write(folder, "2026-01-02-flaky.txt", article_text("Flaky Story"))
    real_open = open

    def failing_open(path: str | Path, *args: Any, **kwargs: Any) -> IO[Any]:
        if str(path) == str(flaky):
            raise PermissionError(13, "Permission denied")
        return cast(IO[Any], real_open(path, *args, **kwargs))

    monkeypatch.setattr(scan, "open", failing_open, raising=False)
    with open_library(folder) as library:
        assert titles(library) == ["Fine Story"]
        assert [(p.path, p.reason) for p in library.problems()] == [
            (str(flaky), "permission denied")
        ]
        monkeypatch.undo()
        summary = library.refresh()  # size and mtime unchanged, but it failed: retried
        assert (summary.parsed, summary.problems) == (1, [])
        assert titles(library) == ["Flaky Story", "Fine Story"]


def test_a_parser_crash_is_one_files_problem(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(folder, "2026-01-01-good.txt", article_text("Good Story"))
    write(folder, "2026-01-02-boom.txt", article_text("Boom Story"))
    real = parse_bytes

    def flaky(path: Path, data: bytes) -> ParseResult:
        if "boom" in path.name:
            raise IndexError("parser bug")
        return real(path, data)

    monkeypatch.setattr(scan, "parse_bytes", flaky)
    with open_library(folder) as library:
        assert titles(library) == ["Good Story"]
        assert [p.reason for p in library.problems()] == ["cannot parse: IndexError: parser bug"]


# the index


def test_refresh_is_incremental(folder: Path) -> None:
    one = write(folder, "2026-01-01-one.txt", article_text("Story One"))
    write(folder, "2026-01-02-two.txt", article_text("Story Two"))
    three = write(folder, "2026-01-03-three.txt", article_text("Story Three"))
    with open_library(folder, refresh=False) as library:
        first = library.refresh()
        assert (first.parsed, first.unchanged, first.removed) == (3, 0, 0)
        again = library.refresh()
        assert (again.parsed, again.unchanged, again.removed) == (0, 3, 0)
        one.write_text(article_text("Story One, Updated"), encoding="utf-8")
        os.utime(one, ns=(1, 1_000_000_000))
        three.unlink()
        write(folder, "2026-01-04-four.txt", article_text("Story Four"))
        changed = library.refresh()
        assert (changed.parsed, changed.unchanged, changed.removed) == (2, 1, 1)
        assert titles(library) == ["Story Four", "Story Two", "Story One, Updated"]
        assert library.count() == 3
        assert library.search("updated")[0].row.title == "Story One, Updated"
        assert library.search("three") == []  # the deleted article left the search index too


def test_progress_and_stopping_midway(folder: Path) -> None:
    for number in range(5):
        write(folder, f"2026-01-0{number + 1}-s.txt", article_text(f"Story {number}"))
    seen: list[tuple[int, int]] = []
    with open_library(folder, refresh=False) as library:
        stopped = library.refresh(should_stop=lambda: True)
        assert stopped.parsed == 0 and library.count() == 0  # consistent, just not done
        summary = library.refresh(progress=lambda done, total: seen.append((done, total)))
        assert summary.parsed == 5 and library.count() == 5
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)


@pytest.mark.parametrize("in_a_thread", [False, True], ids=["fork", "forkserver"])
def test_worker_processes_give_the_same_index(folder: Path, in_a_thread: bool) -> None:
    for number in range(12):
        write(folder, f"2026-02-{number + 10}-w.txt", article_text(f"Worker Story {number}"))
    paths = AppPaths.default()
    db = paths.index_db(folder)
    index.open_index(db)
    conn = index.connect(db, None)
    results: list[RefreshSummary] = []

    def run() -> None:  # from a thread (as the reader does), workers are not forked
        results.append(refresh_index(conn, folder, pool_min_files=1))

    try:
        if in_a_thread:
            thread = threading.Thread(target=run)
            thread.start()
            thread.join()
        else:
            run()
        stored = conn.execute("SELECT title FROM articles ORDER BY num").fetchall()
    finally:
        conn.close()
    assert results[0].parsed == 12
    assert [title for (title,) in stored] == [f"Worker Story {n}" for n in range(12)]


def test_corrupt_index_is_rebuilt_silently(folder: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    with open_library(folder) as library:
        assert library.count() == 1
    db = AppPaths.default().index_db(folder)
    db.write_bytes(b"this is not a database at all" * 100)
    with open_library(folder) as library:
        assert titles(library) == ["Story One"]
    # damaged pages inside a real database
    size = db.stat().st_size
    with open(db, "r+b") as stream:
        stream.seek(4096)
        stream.write(b"\xff" * (size - 4096))
    with open_library(folder) as library:
        assert titles(library) == ["Story One"]


def test_schema_change_rebuilds(folder: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    with open_library(folder) as library:
        assert library.count() == 1
    db = AppPaths.default().index_db(folder)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE leftover(x)")
        conn.execute("PRAGMA user_version = 7")
    with open_library(folder, refresh=False) as library:
        assert library.count() == 0  # a fresh index: nothing until the next refresh
        assert library.refresh().parsed == 1
    with sqlite3.connect(db) as conn:
        assert (
            conn.execute("SELECT name FROM sqlite_master WHERE name = 'leftover'").fetchall() == []
        )


def test_index_lives_in_the_cache_dir(folder: Path, isolated_user_dirs: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    with open_library(folder):
        pass
    db = AppPaths.default().index_db(folder)
    assert db.exists() and db.is_relative_to(isolated_user_dirs / "cache")


def test_article_round_trips_through_the_index(folder: Path) -> None:
    path = write(
        folder,
        "2026-03-04-full.txt",
        article_text(
            "A Full Story",
            ["Section Heading", *FILLER, "“A quote from someone important,” she said."],
            slug="a-full-story",
            author="Ana Brum",
            bio="Ana Brum covers the city.",
            related=["Another Story", "Yet Another"],
        ),
    )
    with open_library(folder) as library:
        stored = library.article("a-full-story")
    assert stored == with_language(parse_file(path).articles[0])  # the index detects "en"
    assert stored is not None and stored.word_count == sum(
        count_words(b.text) for b in stored.blocks
    )


def test_word_count_matches_the_model() -> None:
    for text in ["it's rock'n'roll", "a''b", "'quoted' words_here", "l’été — 12.5", ""]:
        assert scan.word_count(text) == count_words(text)


# listing


@pytest.fixture
def listing(folder: Path) -> Path:
    write(folder, "2026-01-05-b.txt", article_text("Bravo", author="Zed Young"))
    write(folder, "2026-01-07-a.txt", article_text("alpha", author="Ann Lee"))
    write(folder, "2026-01-07-c.txt", article_text("Charlie", author="ann lee"))
    write(folder, "undated-d.txt", article_text("Delta"))
    write(folder, "undated-e.txt", article_text("Echo", author="Bob Ray"))
    return folder


def test_sort_orders(listing: Path) -> None:
    with open_library(listing) as library:
        # newest first, same-day ties in path order, undated last
        assert titles(library) == ["alpha", "Charlie", "Bravo", "Delta", "Echo"]
        assert titles(library, "title") == ["alpha", "Bravo", "Charlie", "Delta", "Echo"]
        # by author (casefolded), newest first within one; no author last
        assert titles(library, "author") == ["alpha", "Charlie", "Echo", "Bravo", "Delta"]
        first = library.page(0, 1)[0]
        assert first.published == datetime(2026, 1, 7, tzinfo=timezone.utc)
        assert library.page(3, 1)[0].published is None
        assert [r.title for r in library.page(1, 2)] == ["Charlie", "Bravo"]
        assert library.page(10, 5) == []


def test_index_of_agrees_with_page(listing: Path) -> None:
    with open_library(listing) as library:
        library.state.set_read([library.page(0, 1)[0].id])
        for flt in (ListFilter(), ListFilter(unread=True), ListFilter(author="ANN LEE")):
            for sort in ("date", "title", "author"):
                rows = library.page(0, 100, sort, flt)
                assert library.count(flt) == len(rows)
                for position, row in enumerate(rows):
                    assert library.index_of(row.id, sort, flt) == position
        assert library.index_of("no-such-id") is None
        read_id = library.page(0, 1)[0].id
        assert library.index_of(read_id, "date", ListFilter(unread=True)) is None


@pytest.mark.parametrize("sort", ["date", "title", "author"])
def test_cached_and_uncached_orders_agree(listing: Path, sort: Sort) -> None:
    """Until its order is cached, the list pages with SQL (a first paint must not wait for
    the whole order); both ways give the same rows, counts and positions."""
    with open_library(listing) as library:
        library._orders.clear()
        uncached = library.page(0, 100, sort)
        count = library.count()
        positions = [library.index_of(row.id, sort) for row in uncached]
        assert not library._orders  # none of that built the order
        library.warm_order(sort)
        assert sort in library._orders
        assert library.page(0, 100, sort) == uncached and library.count() == count == 5
        assert [library.index_of(row.id, sort) for row in uncached] == positions == [*range(5)]
        assert library.page(2, 2, sort) == uncached[2:4]


def test_far_pages_use_the_cached_order(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "SQL_OFFSET_MAX", 3)
    for day in range(1, 8):
        write(folder, f"2026-01-0{day}-s.txt", article_text(f"Story {day}"))
    with open_library(folder) as library:
        library._orders.clear()
        assert [row.title for row in library.page(3, 2)] == ["Story 4", "Story 3"]
        assert "date" in library._orders
        assert [row.title for row in library.page(0, 2)] == ["Story 7", "Story 6"]


def test_filters_use_reader_state(listing: Path) -> None:
    with open_library(listing) as library:
        ids = {row.title: row.id for row in library.page(0, 10)}
        library.state.set_read([ids["alpha"], ids["Delta"]])
        library.state.set_starred([ids["Echo"]], True)
        library.state.set_position(ids["Bravo"], 0.5, 3)
        assert titles(library, flt=ListFilter(unread=True)) == ["Charlie", "Bravo", "Echo"]
        assert titles(library, flt=ListFilter(starred=True)) == ["Echo"]
        assert titles(library, flt=ListFilter(author="Ann Lee")) == ["alpha", "Charlie"]
        assert titles(library, flt=ListFilter(unread=True, author="ann lee")) == ["Charlie"]
        rows = {row.title: row for row in library.page(0, 10)}
        assert rows["alpha"].read and not rows["Charlie"].read
        assert rows["Echo"].starred and rows["Bravo"].position == 0.5


def test_state_survives_a_rename(folder: Path) -> None:
    old = write(folder, "2026-01-01-old.txt", article_text("Kept State", slug="kept-state"))
    unslugged = write(folder, "plain.txt", article_text("No Slug Here"))
    with open_library(folder) as library:
        hashed_id = library.resolve(str(unslugged))
        assert hashed_id is not None and hashed_id.startswith("h-")
        library.state.set_read(["kept-state", hashed_id])
        library.state.set_starred(["kept-state"], True)
        old.rename(folder / "2026-01-01-renamed.txt")
        (folder / "moved").mkdir()
        unslugged.rename(folder / "moved" / "plain.txt")
        summary = library.refresh()
        assert (summary.parsed, summary.removed) == (2, 2)
        row = library.row("kept-state")
        assert row is not None and row.path.endswith("renamed.txt")
        assert row.read and row.starred
        moved = library.row(hashed_id)
        assert moved is not None and moved.read and moved.path.endswith("moved/plain.txt")


def test_resolve_accepts_ids_and_paths(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(folder, "2026-01-01-x.txt", article_text("X Marks", slug="x-marks"))
    with open_library(folder) as library:
        assert library.resolve("x-marks") == "x-marks"
        assert library.resolve(str(path)) == "x-marks"
        monkeypatch.chdir(folder)
        assert library.resolve("2026-01-01-x.txt") == "x-marks"
        assert library.resolve("nothing") is None
        assert library.row("nothing") is None and library.article("nothing") is None


def test_reads_from_many_threads_during_a_refresh(folder: Path) -> None:
    for number in range(30):
        write(folder, f"2026-03-{number % 28 + 1:02d}-t{number}.txt", article_text(f"T {number}"))
    errors: list[BaseException] = []
    with open_library(folder, refresh=False) as library:
        stop = threading.Event()

        def reader() -> None:
            try:
                while not stop.is_set():
                    library.page(0, 10)
                    library.count()
                    library.search("council")
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        refresher = threading.Thread(target=library.refresh)
        refresher.start()
        refresher.join()
        stop.set()
        for thread in threads:
            thread.join()
        assert library.count() == 30
    assert errors == []


def test_missing_state_table_is_tolerated(folder: Path, tmp_path: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    paths = AppPaths.default()
    state = StateStore(paths.state_db)
    with sqlite3.connect(paths.state_db) as conn:  # a state db from some other program
        conn.execute("DROP TABLE article_state")
    library = Library(folder, paths, state)
    try:
        library.refresh()
        rows = library.page(0, 5)
        assert [r.title for r in rows] == ["Story One"] and not rows[0].read
    finally:
        library.close()
        state.close()


# related stories and authors


def test_related_lists_first_then_similar_without_self_or_duplicates(folder: Path) -> None:
    river = ["The river flooded the valley farms after the storm.", *FILLER]
    write(
        folder,
        "2026-01-10-main.txt",
        article_text(
            "Floods Hit Valley Farms",
            river,
            slug="floods-main",
            related=["Bridge Reopens Downtown", "A Title Nobody Wrote", "floods hit valley farms"],
        ),
    )
    write(folder, "2026-01-11-copy.txt", article_text("A Copy Under Another Title", river))
    write(
        folder,
        "2026-01-12-bridge.txt",
        article_text("Bridge Reopens Downtown", slug="bridge-reopens"),
    )
    write(
        folder,
        "2026-01-13-similar.txt",
        article_text("Valley Farms Count Flood Damage", ["Valley farms flooded by the river."]),
    )
    write(
        folder,
        "2026-01-14-similar-again.txt",
        article_text(
            "Flood Damage Counted on Valley Farms", ["Valley farms flooded by the river."]
        ),
    )
    with open_library(folder) as library:
        items = library.related("floods-main", limit=5)
        ids = [item.row.id for item in items]
        assert items[0].row.id == "bridge-reopens" and items[0].listed
        assert items[0].reason == "listed by the article"
        assert "floods-main" not in ids
        copy_id = library.resolve(str(folder / "2026-01-11-copy.txt"))
        assert copy_id not in ids
        assert all(not item.listed for item in items[1:])
        similar = items[1]  # the story about flooded valley farms, filed twice: once here
        assert similar.row.title == "Valley Farms Count Flood Damage"
        assert "Flood Damage Counted on Valley Farms" not in [item.row.title for item in items]
        assert similar.reason.startswith("shared: ") and "valley" in similar.reason
        assert len(ids) == len(set(ids))
        assert library.related("floods-main", limit=1) == items[:1]
        assert library.related("no-such-id") == []


def test_authors_counts_bios_and_articles(folder: Path) -> None:
    write(folder, "2026-01-01-a.txt", article_text("Old", author="Ana Brum", bio="Old bio."))
    write(folder, "2026-01-02-b.txt", article_text("Middle", author="Ana Brum", bio="New bio."))
    write(folder, "2026-01-03-c.txt", article_text("Newest", author="ana brum"))
    write(folder, "2026-01-04-d.txt", article_text("Other", author="Bo Chen"))
    write(folder, "2026-01-05-e.txt", article_text("Anonymous"))
    with open_library(folder) as library:
        authors = library.authors()
        assert [(a.name, a.bio, a.article_count) for a in authors] == [
            ("ana brum", "New bio.", 3),  # spelling of the latest article; latest bio
            ("Bo Chen", None, 1),
        ]
        assert library.author("ANA BRUM") == authors[0]
        assert library.author("Nobody") is None
        assert [r.title for r in library.articles_by("Ana Brum")] == ["Newest", "Middle", "Old"]
        assert [r.title for r in library.articles_by("ana brum", limit=1)] == ["Newest"]


def test_a_file_with_several_articles(folder: Path) -> None:
    if ".rss" not in supported_extensions():
        pytest.skip("no feed format registered")
    items = "".join(
        f"<item><title>Feed Item {n}</title><link>https://example.org/{n}</link>"
        f"<description>Item number {n} of the feed.</description></item>"
        for n in range(3)
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )
    path = write(folder, "feed.rss", feed)
    with open_library(folder) as library:
        assert sorted(titles(library)) == ["Feed Item 0", "Feed Item 1", "Feed Item 2"]
        assert {row.path for row in library.page(0, 10)} == {str(path)}
        assert library.refresh().unchanged == 1


def test_connections_of_ended_threads_are_closed(folder: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    with open_library(folder) as library:
        for _ in range(5):
            thread = threading.Thread(target=library.count)
            thread.start()
            thread.join()
        # each new thread's connection closes those of ended threads: no pile-up
        assert len(library._connections) == 2  # this thread's and the last worker's
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        library.count()


def test_cached_order_follows_changes_made_elsewhere(folder: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    with open_library(folder) as reader, open_library(folder, refresh=False) as writer:
        assert titles(reader) == ["Story One"] and reader.count() == 1
        write(folder, "2026-01-02-two.txt", article_text("Story Two"))
        writer.refresh()  # as another process would
        assert titles(reader) == ["Story Two", "Story One"]
        assert reader.count() == 2
        assert reader.index_of(reader.page(1, 1)[0].id) == 1


def test_a_refresh_with_nothing_new_writes_nothing(folder: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    write(folder, "empty.txt", "")
    with open_library(folder) as library:
        conn = library._conn()
        before = conn.total_changes
        summary = library.refresh()
        assert (summary.parsed, summary.unchanged, len(summary.problems)) == (0, 2, 1)
        assert conn.total_changes == before


def test_rows_are_immutable_values(folder: Path) -> None:
    write(folder, "2026-01-01-one.txt", article_text("Story One", slug="story-one"))
    with open_library(folder) as library:
        row = library.page(0, 1)[0]
        again = library.page(0, 1)[0]
    assert row == again and hash(row) == hash(again) and row is not again
    assert row._replace(read=True).read and not row.read
    assert (row.id, row.title, row.read) == ("story-one", "Story One", False)
    with pytest.raises(AttributeError):
        row.read = True  # type: ignore[misc]


def test_a_refresh_that_finds_nothing_new_does_not_load_the_parsers(folder: Path) -> None:
    """The reader's start-up check must stay light: no pydantic, no parser modules."""
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    with open_library(folder) as library:
        assert library.refresh().parsed == 0  # indexed by open_library already
    setup = (
        "import sys; from pathlib import Path; from newstui.core.paths import AppPaths\n"
        "from newstui.core.state.store import StateStore; from newstui.core.library import Library\n"
        "paths = AppPaths.default()\n"
        "summary = Library(Path(sys.argv[1]), paths, StateStore(paths.state_db)).refresh()\n"
        "assert (summary.parsed, summary.unchanged) == (0, 1), summary"
    )
    parsers = ("pydantic", "newstui.core.models", "newstui.core.formats.")
    assert modules_loaded(setup, parsers, str(folder)) == []


def test_related_after_a_refresh_is_what_a_fresh_library_says(folder: Path) -> None:
    """The scorer's document frequencies kept between calls are dropped when the index
    changes: suggestions after a refresh match those of a newly opened library."""
    topics = {
        "harbour": "harbour storm ferry port quay gale boats fishermen wall",
        "budget": "budget council tax spending plan deficit rates services",
    }
    for topic, words in topics.items():
        for n in range(6):
            body = [" ".join(words.split()[n:] + words.split()[:n])] * 3
            write(folder, f"{topic}-{n}.txt", article_text(f"{topic.title()} story {n}", body))
    with open_library(folder) as library:
        first = library.page(0, 1)[0].id
        before = library.related(first)
        for n in range(6, 12):
            body = [topics["budget"] + " harbour"] * 4
            write(folder, f"budget-{n}.txt", article_text(f"Budget story {n}", body))
        library.refresh()
        after = library.related(first)
    with open_library(folder) as fresh:
        assert [(i.row.id, round(i.score, 9)) for i in fresh.related(first)] == [
            (i.row.id, round(i.score, 9)) for i in after
        ]
    assert before != after


def test_a_folder_reached_through_a_symlink_is_the_same_library(folder: Path) -> None:
    """One index per resolved folder, with the same file paths whichever way it is reached:
    opening it through a link after its real path re-reads nothing."""
    write(folder, "2026-01-01-one.txt", article_text("Story One"))
    write(folder, "2026-01-02-two.txt", article_text("Story Two"))
    link = folder.parent / "link-to-articles"
    link.symlink_to(folder, target_is_directory=True)
    with open_library(folder) as library:
        paths = sorted(row.path for row in library.page(0, 10))
    with open_library(link, refresh=False) as library:
        summary = library.refresh()
        assert sorted(row.path for row in library.page(0, 10)) == paths
    assert (summary.parsed, summary.unchanged, summary.removed) == (0, 2, 0)
