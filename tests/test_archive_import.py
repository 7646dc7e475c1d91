"""Read-later exports: each format's entries, state carried over, idempotent re-import, pages
fetched for URL-only entries (loopback server only), and hostile export files."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive_pages import FIXTURES, fixture, page, serve_pages
from feedserver import FeedServer, Reply
from newstui.core.archive.detect import read_export
from newstui.core.archive.entries import ExportError
from newstui.core.archive.run import ImportReport, import_export
from newstui.core.archive.writer import NOT_FETCHED_TAG
from newstui.core.fetch.addresses import AddressPolicy
from newstui.core.formats import parse_file
from newstui.core.models import Article
from newstui.core.state.store import StateStore

LOOPBACK = AddressPolicy(frozenset({"public", "loopback"}))


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        serve_pages(server)
        yield server


@pytest.fixture
def state(tmp_path: Path) -> Iterator[StateStore]:
    yield StateStore(tmp_path / "state.sqlite3")


def run(path: Path, base: Path, state: StateStore) -> ImportReport:
    return import_export(path, base, state, policy=LOOPBACK)


def articles(folder: Path) -> dict[str, Article]:
    found = {}
    for path in sorted(folder.glob("*.json")):
        [article] = parse_file(path).articles
        found[article.title] = article
    return found


def marks(state: StateStore, items: dict[str, Article]) -> dict[str, tuple[bool, bool]]:
    ids = {title: article.id for title, article in items.items()}
    got = state.get_many(ids.values())
    return {title: (got[i].read, got[i].starred) for title, i in ids.items()}


def snapshot(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def test_wallabag_round_trip_with_state(tmp_path: Path, state: StateStore) -> None:
    report = run(FIXTURES / "wallabag.json", tmp_path / "out", state)
    assert (report.service, report.written, report.read, report.starred) == ("wallabag", 3, 1, 2)
    items = articles(tmp_path / "out" / "wallabag")
    ferry = items["The Night Ferry Keepers"]
    assert ferry.author is not None and ferry.author.name == "Mara Quist, Joel Underhill"
    assert ferry.tags == ["harbours", "long reads"] and ferry.lang == "en"
    assert ferry.url == "https://harbour.example.org/stories/night-ferry"
    assert [b.kind for b in ferry.blocks] == ["paragraph", "heading", "paragraph", "quote"]
    assert ferry.blocks[0].links[0].url == "https://harbour.example.org/pier"
    assert (
        ferry.published is not None and ferry.published.isoformat() == "2024-03-01T06:30:00+00:00"
    )
    hostile = next(a for t, a in items.items() if "Not bold" in t)
    assert hostile.title == "[b]Not bold[/b] <script>alert(1)</script> red"  # text, no escapes
    assert marks(state, items) == {
        "The Night Ferry Keepers": (True, True),
        "Allotment notes for a wet spring": (False, False),
        hostile.title: (False, True),
    }


def test_importing_twice_adds_and_writes_nothing(tmp_path: Path, state: StateStore) -> None:
    run(FIXTURES / "wallabag.json", tmp_path, state)
    folder = tmp_path / "wallabag"
    items = articles(folder)
    state.set_read([items["The Night Ferry Keepers"].id], False)  # the user changed it since
    before, exported = snapshot(folder), state.export_data()
    report = run(FIXTURES / "wallabag.json", tmp_path, state)
    assert (report.written, report.already, report.read, report.starred) == (0, 3, 0, 0)
    assert snapshot(folder) == before and state.export_data() == exported


def test_omnivore_markdown_folder(tmp_path: Path, state: StateStore) -> None:
    report = run(FIXTURES / "omnivore_md", tmp_path, state)
    assert (report.service, report.written) == ("omnivore", 2)
    items = articles(tmp_path / "omnivore")
    salt = items["The Salt Road"]
    assert salt.url == "https://history.example.org/salt-road"
    assert salt.author is not None and salt.author.name == "Ines Morales"
    assert salt.tags == ["history", "trade"]
    assert not any("Omnivore" in block.text for block in salt.blocks)
    assert marks(state, items) == {
        "The Salt Road": (True, False),
        "A Short History of the Kettle": (False, False),
    }


def test_omnivore_zip_with_content_and_a_page_to_fetch(
    tmp_path: Path, state: StateStore, site: FeedServer
) -> None:
    metadata = [
        {
            "id": "a1",
            "slug": "quiet-canals",
            "title": "Quiet canals",
            "description": "Where the boats rest.",
            "author": "Dee Marsh",
            "url": "https://canals.example.org/quiet",
            "state": "Archived",
            "labels": ["water"],
            "savedAt": "2024-01-02T03:04:05.000Z",
            "publishedAt": "2023-12-01T00:00:00.000Z",
        },
        {
            "id": "a2",
            "slug": "omni",
            "title": "Only a link",
            "url": site.url("/page/omni"),
            "state": "active",
            "labels": [],
            "savedAt": "2024-01-03T00:00:00.000Z",
        },
    ]
    export = tmp_path / "omnivore-export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("metadata_0_to_2.json", json.dumps(metadata))
        archive.writestr("content/quiet-canals.html", "<p>The canal is still at dawn.</p>")
        archive.writestr("highlights/quiet-canals.md", "> still")
    report = run(export, tmp_path / "out", state)
    assert (report.written, report.not_fetched, report.read) == (2, 0, 1)
    items = articles(tmp_path / "out" / "omnivore")
    canal = items["Quiet canals"]
    assert canal.summary == "Where the boats rest." and canal.tags == ["water"]
    assert canal.blocks[0].text == "The canal is still at dawn."
    assert "omni sentence number 3" in items["Only a link"].body_text
    assert marks(state, items) == {"Quiet canals": (True, False), "Only a link": (False, False)}


def test_pocket_csv_fetches_pages_and_keeps_the_missing_one(
    tmp_path: Path, state: StateStore, site: FeedServer
) -> None:
    report = run(fixture("pocket.csv", site, tmp_path), tmp_path / "out", state)
    assert (report.service, report.written, report.not_fetched, report.read) == ("pocket", 3, 1, 2)
    items = articles(tmp_path / "out" / "pocket")
    assert set(items) == {
        "Tide tables explained",
        "Lighthouses, and the people who kept them",
        "Page about untitled",  # no title in the export: the page's
        "Gone missing",
    }
    tides = items["Tide tables explained"]
    assert tides.tags == ["sea", "science"] and "tides sentence number 1" in tides.body_text
    assert tides.author is not None and tides.author.name == "Rosa Tideswell"
    missing = items["Gone missing"]
    assert missing.url == site.url("/missing") and NOT_FETCHED_TAG in missing.tags
    assert missing.blocks[0].text == "page not fetched: HTTP 404 Not Found"
    assert marks(state, items) == {
        "Tide tables explained": (False, False),
        "Lighthouses, and the people who kept them": (True, False),
        "Page about untitled": (False, False),
        "Gone missing": (True, False),
    }
    hits = len(site.log)
    assert run(fixture("pocket.csv", site, tmp_path), tmp_path / "out", state).already == 4
    assert len(site.log) == hits  # nothing asked again


def test_pocket_html_export(tmp_path: Path, state: StateStore, site: FeedServer) -> None:
    report = run(fixture("pocket.html", site, tmp_path), tmp_path, state)
    assert (report.service, report.written, report.read) == ("pocket", 2, 1)
    items = articles(tmp_path / "pocket")
    assert items["Tide tables explained"].tags == ["sea", "science"]
    assert marks(state, items)["Lighthouses, and the people who kept them"] == (True, False)


def test_instapaper_csv_folders_and_tags(
    tmp_path: Path, state: StateStore, site: FeedServer
) -> None:
    report = run(fixture("instapaper.csv", site, tmp_path), tmp_path, state)
    assert (report.service, report.written, report.read, report.starred) == ("instapaper", 4, 1, 1)
    items = articles(tmp_path / "instapaper")
    assert items["Tide tables explained"].tags == ["sea", "science"]
    assert items["Tide tables explained"].summary == "Why the tide is late, twice a day."
    assert items["Stews for winter"].tags == ["Recipes"]
    assert marks(state, items) == {
        "Tide tables explained": (False, False),
        "Lighthouses, and the people who kept them": (True, False),
        "A starred one": (False, True),
        "Stews for winter": (False, False),
    }


def test_readwise_csv_locations(tmp_path: Path, state: StateStore, site: FeedServer) -> None:
    report = run(fixture("readwise.csv", site, tmp_path), tmp_path, state)
    assert (report.service, report.written, report.read, report.starred) == ("readwise", 3, 1, 1)
    assert any("1 feed items left out" in problem for problem in report.problems)
    items = articles(tmp_path / "readwise")
    assert items["Tide tables explained"].tags == ["sea", "science"]
    assert marks(state, items) == {
        "Tide tables explained": (False, False),
        "Lighthouses, and the people who kept them": (True, False),
        "A starred one": (False, True),
    }


def test_pages_are_fetched_under_the_address_policy(
    tmp_path: Path, state: StateStore, site: FeedServer
) -> None:
    export = fixture("pocket.csv", site, tmp_path)
    report = import_export(export, tmp_path / "out", state)  # public addresses only
    assert report.not_fetched == 4 and not site.log
    reasons = [a.blocks[0].text for a in articles(tmp_path / "out" / "pocket").values()]
    assert all(reason.startswith("page not fetched: refused") for reason in reasons)


def test_a_page_over_the_size_cap_is_not_kept(
    tmp_path: Path, state: StateStore, site: FeedServer
) -> None:
    from newstui.core.fetch.http import Limits

    site.route("/page/tides", Reply(200, page("tides") * 50, {"Content-Type": "text/html"}))
    export = fixture("pocket.csv", site, tmp_path)
    import_export(export, tmp_path, state, policy=LOOPBACK, limits=Limits(max_bytes=20_000))
    tides = articles(tmp_path / "pocket")["Tide tables explained"]
    assert tides.blocks[0].text.startswith("page not fetched: too large")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b'[{"title": "x",', "not valid JSON"),
        (b'{"version": 1}', "JSON, but not a wallabag or Omnivore export"),
        (b"name,email\nann,a@example.org\n", "a CSV with columns email, name"),
        (b'title,url,time_added\n"unclosed,http://x.example/,1\n', "malformed CSV"),
        (b"<html><body><p>hello</p></body></html>", "not Pocket's export"),
        (b"PK\x03\x04garbage", "a damaged zip file"),
        (b"\x00\x01\x02 binary", "not an export newstui knows"),
    ],
)
def test_files_that_are_no_export_get_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "export.bin"
    path.write_bytes(content)
    with pytest.raises(ExportError) as raised:
        read_export(path)
    assert reason in str(raised.value) and "\n" not in str(raised.value)


def test_huge_files_are_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(600 * 2**20)  # sparse: nothing is really written
    with pytest.raises(ExportError, match="too large"):
        read_export(huge)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata_0_to_1.json", b" " * 2_000_000)
    with pytest.raises(ExportError, match="too large once unzipped"):
        read_export(bomb, max_bytes=1_000_000)


def test_markdown_zip_and_plain_markdown(tmp_path: Path, state: StateStore) -> None:
    export = tmp_path / "omnivore-markdown.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for path in sorted((FIXTURES / "omnivore_md").glob("*.md")):
            archive.write(path, f"Omnivore/{path.name}")
    report = run(export, tmp_path / "out", state)
    assert (report.service, report.written, report.read) == ("omnivore", 2, 1)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "one.md").write_text("---\ntitle: Mine\n---\n\nA note of my own.\n")
    report = run(notes, tmp_path / "out", state)
    assert (report.service, report.written, report.read) == ("markdown", 1, 0)


def test_bad_entries_are_skipped_and_named(tmp_path: Path, state: StateStore) -> None:
    export = tmp_path / "wallabag.json"
    good = {
        "id": 1,
        "title": "Kept",
        "url": "https://a.example/1",
        "is_archived": 1,
        "is_starred": 0,
        "content": "<p>Some text.</p>",
    }
    export.write_text(json.dumps([good, "junk", {"id": 2, "is_archived": 0, "is_starred": 0}]))
    report = run(export, tmp_path, state)
    assert report.written == 1 and report.read == 1
    assert report.problems == [
        "entry 2: not an object; skipped",
        "entry 3: neither a URL nor content; skipped",
    ]
