"""The reading rules in core: opening, mark-read policies, undoable marks, next unread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app_fixtures import write_library
from libhelpers import open_library
from newstui.core.config import MarkRead
from newstui.core.index.listing import ArticleRow
from newstui.core.library import Library
from newstui.core.reading import ReadingSession, find_unread
from newstui.core.state.writer import StateWriter


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with open_library(write_library(tmp_path / "articles", broken=False)) as opened:
        yield opened


def session(library: Library, mark_read: MarkRead = "open") -> ReadingSession:
    return ReadingSession(library, StateWriter(library.state), mark_read)


def landed(reading: ReadingSession) -> None:
    assert reading.writer.flush(10)


@pytest.mark.parametrize(("policy", "marks"), [("open", True), ("end", False), ("manual", False)])
def test_opening_marks_read_by_policy(library: Library, policy: MarkRead, marks: bool) -> None:
    reading = session(library, policy)
    opened = reading.open("harbour-reopens")
    landed(reading)
    assert opened.article is not None and opened.marked_read is marks
    assert library.state.get("harbour-reopens").read is marks
    assert library.state.last_opened(str(library.folder)) == "harbour-reopens"


def test_reopening_at_start_up_never_marks_read(library: Library) -> None:
    reading = session(library)
    assert not reading.open("harbour-reopens", by_user=False).marked_read
    landed(reading)
    assert not library.state.get("harbour-reopens").read


def test_the_end_marks_read_only_with_that_policy(library: Library) -> None:
    assert not session(library, "open").reached_end("harbour-reopens", already_read=False)
    reading = session(library, "end")
    assert not reading.reached_end("harbour-reopens", already_read=True)
    assert reading.reached_end("harbour-reopens", already_read=False)
    landed(reading)
    assert library.state.get("harbour-reopens").read


def test_mark_all_read_and_undo_restores_exactly_what_was_unread(library: Library) -> None:
    reading = session(library)
    library.state.set_read(["storm-closes-harbour"])
    rows = library.page(0, 100)
    change = reading.mark_all_read(rows)
    landed(reading)
    assert len(change.before) == len(rows) - 1
    assert all(state.read for state in library.state.get_many(r.id for r in rows).values())
    assert reading.undo() == change
    landed(reading)
    states = library.state.get_many(row.id for row in rows)
    assert states["storm-closes-harbour"].read  # read before the marking: still read
    assert not any(state.read for key, state in states.items() if key != "storm-closes-harbour")
    assert reading.undo() is None


def test_undo_goes_back_one_change_at_a_time(library: Library) -> None:
    reading = session(library)
    reading.toggle_starred("harbour-reopens", starred_now=False)
    reading.toggle_read("harbour-reopens", read_now=False)
    landed(reading)
    assert library.state.get("harbour-reopens").starred
    assert reading.undo() is not None  # the read mark
    landed(reading)
    assert not library.state.get("harbour-reopens").read
    assert library.state.get("harbour-reopens").starred
    assert reading.undo() is not None  # the star
    landed(reading)
    assert not library.state.get("harbour-reopens").starred


def test_find_unread_pages_forward_and_back(library: Library) -> None:
    rows = library.page(0, 100)
    library.state.set_read([row.id for row in rows[1:4]])
    fresh = library.page(0, 100)

    def page(offset: int, limit: int) -> list[ArticleRow]:
        return fresh[offset : offset + limit]

    assert find_unread(page, 0, True, lambda: False) == 4
    assert find_unread(page, 4, False, lambda: False) == 0
    assert find_unread(page, len(fresh) - 1, True, lambda: False) is None
    assert find_unread(page, 0, True, lambda: True) is None
