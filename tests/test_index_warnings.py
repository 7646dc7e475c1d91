"""Warnings vs problems in the index: a file whose articles were recovered is kept with its
warnings; only a file that yields nothing is a problem (and told of once per change)."""

from __future__ import annotations

import json
from pathlib import Path

from libhelpers import article_text, open_library, write
from newstui.core.index.scan import FileStat, parse_one

RECOVERED_FEED = (
    b'\n<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>'
    b"<item><title>Ferry Timetable Changes</title><guid>ferry-1</guid>"
    b"<description>The new timetable starts in June.</description></item>"
    b"</channel>"  # a blank line before <?xml, and no </rss>
)
NOTHING_IN_IT = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title>'


def stat(path: Path) -> FileStat:
    info = path.stat()
    return FileStat(str(path), info.st_size, info.st_mtime_ns)


def test_a_recovered_file_has_records_and_warnings_no_problems(tmp_path: Path) -> None:
    parsed = parse_one(stat(write(tmp_path, "herald.xml", RECOVERED_FEED)))
    assert [record.title for record in parsed.records] == ["Ferry Timetable Changes"]
    assert parsed.problems == []
    assert len(parsed.warnings) == 1 and parsed.warnings[0].startswith("malformed feed:")


def test_a_file_that_yields_nothing_is_a_problem(tmp_path: Path) -> None:
    parsed = parse_one(stat(write(tmp_path, "empty.xml", NOTHING_IN_IT)))
    assert parsed.records == [] and parsed.warnings == [] and len(parsed.problems) == 1


def test_the_index_keeps_warnings_apart_from_problems(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    write(folder, "story.txt", article_text("Fine Story", slug="fine"))
    feed = write(folder, "herald.xml", RECOVERED_FEED)
    listed = [{"id": "kept", "title": "Kept Item", "source": {"path": "x", "format": "json"}}, 7]
    items = write(folder, "items.json", json.dumps(listed))
    empty = write(folder, "empty.xml", NOTHING_IN_IT)
    with open_library(folder, refresh=False) as library:
        summary = library.refresh()
        assert [problem.path for problem in summary.problems] == [str(empty)]
        assert [(w.path, w.recovered) for w in summary.warnings] == [
            (str(feed), True),
            (str(items), True),
        ]
        assert library.problems() == summary.problems
        assert library.warnings() == list(summary.warnings)
        assert not any(problem.recovered for problem in library.problems())
        assert {row.title for row in library.iter_rows()} == {
            "Fine Story",
            "Ferry Timetable Changes",
            "Kept Item",
        }
        # unchanged files are not parsed again, and keep their warnings
        again = library.refresh()
        assert again.parsed == 0 and list(again.warnings) == list(summary.warnings)
        # fixed, the warning goes; deleted, its articles and warnings go
        feed.write_bytes(RECOVERED_FEED.strip() + b"</rss>")
        items.unlink()
        fixed = library.refresh()
        assert fixed.warnings == [] and library.warnings() == []
        assert "Kept Item" not in {row.title for row in library.iter_rows()}


def test_problems_are_announced_once_per_change_of_their_files(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    write(folder, "story.txt", article_text("Fine Story"))
    write(folder, "herald.xml", RECOVERED_FEED)  # a warning is never announced
    with open_library(folder) as library:
        assert library.problems_to_announce() == []
        empty = write(folder, "empty.txt", b"")
        library.refresh()
        assert [problem.path for problem in library.problems_to_announce()] == [str(empty)]
        assert library.problems_to_announce() == []
        library.refresh()
        assert library.problems_to_announce() == []  # same files: nothing new to say
    with open_library(folder) as reopened:  # kept in the index: another process agrees
        assert reopened.problems_to_announce() == []
        empty.unlink()
        reopened.refresh()
        assert reopened.problems_to_announce() == []
        write(folder, "empty.txt", b"")
        reopened.refresh()
        assert len(reopened.problems_to_announce()) == 1
