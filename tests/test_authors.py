"""Several authors: the model, every format, the index, search, the CLI and the author panel;
and the front matter keys no field takes, kept in `meta`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app_fixtures import settle
from libhelpers import WriteFile, open_library, write
from newstui.cli import main
from newstui.core.config import Settings
from newstui.core.fetch.entries import article_fields
from newstui.core.formats import parse_file
from newstui.core.library import Library, ListFilter
from newstui.core.models import MAX_AUTHORS, MAX_META_CHARS, MAX_META_KEYS, Article, Author, Source
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.main import MainScreen
from newstui.tui.widgets.story_list import StoryList

SOURCE = Source(path="a.json", format="json")
BODY = "The committee met again on Thursday to talk about the harbour and its ferries."


def article(**fields: Any) -> Article:
    return Article.model_validate({"id": "x", "title": "T", "source": SOURCE, **fields})


def names(found: Article) -> list[str]:
    return [author.name for author in found.authors]


# -- the model


def test_each_author_once_in_order_first_spelling_and_first_bio() -> None:
    found = article(
        authors=[
            {"name": "Ana Brum"},
            {"name": " ana  BRUM ", "bio": "Ports."},
            "Bo Chen",
            {"name": "\x1b[31m"},  # nothing left of the name: dropped
            {"name": "Ana Brum", "bio": "Another bio."},
        ]
    )
    assert found.authors == [Author(name="Ana Brum", bio="Ports."), Author(name="Bo Chen")]


def test_at_most_max_authors() -> None:
    found = article(authors=[f"Name {n}" for n in range(MAX_AUTHORS * 10)])
    assert names(found) == [f"Name {n}" for n in range(MAX_AUTHORS)]


def test_author_is_the_byline_derived_from_authors() -> None:
    assert article().author is None
    one = article(authors=[Author(name="Ana Brum", bio="Ports.")])
    assert one.author == Author(name="Ana Brum", bio="Ports.")
    two = article(authors=[Author(name="Ana Brum", bio="Ports."), Author(name="Bo Chen")])
    assert two.author == Author(name="Ana Brum, Bo Chen")  # a bio is one person's


@pytest.mark.parametrize(
    "given",
    [
        {"author": "Ana Brum"},
        {"author": {"name": "Ana Brum", "bio": "Ports."}},
        {"authors": [{"name": "Ana Brum", "bio": "Ports."}]},
        {"authors": ["Ana Brum"], "author": {"name": "Someone Else"}},  # the byline is derived
    ],
)
def test_old_and_new_json(write_file: WriteFile, given: dict[str, Any]) -> None:
    path = write_file("a.json", json.dumps({"title": "T", **given}))
    found = parse_file(path).articles[0]
    assert names(found) == ["Ana Brum"]
    assert found.author is not None and found.author.name == "Ana Brum"


def test_show_json_carries_author_and_authors_and_loads_back(
    write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    given = {"title": "T", "authors": [{"name": "Ana Brum", "bio": "Ports."}, "Bo Chen"]}
    path = write_file("a.json", json.dumps(given))
    assert main(["show", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["author"] == {"name": "Ana Brum, Bo Chen", "bio": None}
    assert shown["authors"] == [
        {"name": "Ana Brum", "bio": "Ports."},
        {"name": "Bo Chen", "bio": None},
    ]
    again = write_file("b.json", json.dumps(shown))
    assert parse_file(again).articles[0].authors == parse_file(path).articles[0].authors


def test_fetched_files_keep_every_author(write_file: WriteFile) -> None:
    fetched = article(authors=[Author(name="Ana Brum", bio="Ports."), Author(name="Bo Chen")])
    fields = article_fields(fetched, "https://feeds.example/rss")
    assert fields["authors"] == [
        {"name": "Ana Brum", "bio": "Ports."},
        {"name": "Bo Chen", "bio": None},
    ]
    path = write_file("fetched.json", json.dumps(fields))
    assert parse_file(path).articles[0].authors == fetched.authors


# -- every format


def test_markdown_authors_each_with_their_bio(write_file: WriteFile) -> None:
    text = (
        "---\ntitle: T\nauthors:\n  - {name: Ana Brum, bio: Ports.}\n  - name: Bo Chen\n---\nB.\n"
    )
    found = parse_file(write_file("a.md", text)).articles[0]
    assert found.authors == [Author(name="Ana Brum", bio="Ports."), Author(name="Bo Chen")]


def test_html_authors(write_file: WriteFile) -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Ferries Return",
        "author": [{"@type": "Person", "name": "Ana Brum"}, {"@type": "Person", "name": "Bo Chen"}],
    }
    page = (
        f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body><article><h1>Ferries Return</h1><p>{BODY * 4}</p></article></body></html>"
    )
    assert names(parse_file(write_file("a.html", page)).articles[0]) == ["Ana Brum", "Bo Chen"]


def test_atom_authors(write_file: WriteFile) -> None:
    feed = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
        "<entry><id>1</id><title>E</title><author><name>Ana Brum</name></author>"
        f"<author><name>Bo Chen</name></author><content>{BODY}</content></entry></feed>"
    )
    assert names(parse_file(write_file("a.atom", feed)).articles[0]) == ["Ana Brum", "Bo Chen"]


def test_json_feed_authors_and_the_feeds_own(write_file: WriteFile) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "F",
        "authors": [{"name": "Desk One"}, {"name": "Desk Two"}],
        "items": [
            {
                "id": "1",
                "content_text": BODY,
                "authors": [{"name": "Ana Brum"}, {"name": "Bo Chen"}],
            },
            {"id": "2", "content_text": BODY},
        ],
    }
    first, second = parse_file(write_file("feed.json", json.dumps(feed))).articles
    assert names(first) == ["Ana Brum", "Bo Chen"]
    assert names(second) == ["Desk One", "Desk Two"]


@pytest.mark.parametrize(
    "ending",
    [
        "By Ana Brum and Bo Chen",
        "Ana Brum and Bo Chen\nAna Brum and Bo Chen",
        "By Ana Brum, Bo Chen & Cy Dor",
    ],
)
def test_scraped_text_authors(write_file: WriteFile, ending: str) -> None:
    text = f"Headline Here\n\nA standfirst.\n\n{BODY}\n\n{ending}\n"
    found = parse_file(write_file("a.txt", text)).articles[0]
    assert names(found)[:2] == ["Ana Brum", "Bo Chen"]


def test_scraped_text_keeps_a_company_whole(write_file: WriteFile) -> None:
    text = f"Headline Here\n\nA standfirst.\n\n{BODY}\n\nBy Procter & Gamble\n"
    found = parse_file(write_file("a.txt", text)).articles[0]
    assert names(found) == ["Procter & Gamble"]


# -- unknown front matter keys


def test_unknown_keys_kept_in_meta_as_text(write_file: WriteFile) -> None:
    text = (
        "---\ntitle: T\nauthor: Ana Brum\ndraft: false\nweight: 3\naliases: [/old/, /older/]\n"
        "Cover_Image: cover.png\nreviewed: 2026-01-02\nnested: {a: 1}\n"
        "params:\n  series: Harbour Week\n  author: Bo Chen\n"
        "---\nBody.\n"
    )
    found = parse_file(write_file("a.md", text)).articles[0]
    assert found.meta == {
        "draft": "false",
        "weight": "3",
        "aliases": ["/old/", "/older/"],
        "Cover_Image": "cover.png",  # spelled as written
        "reviewed": "2026-01-02",
        "series": "Harbour Week",  # from params, as the mapped keys are
    }  # `nested` (a mapping) is dropped, never fatal; title, author and params are fields


def test_hostile_meta_is_sanitised_and_capped(write_file: WriteFile) -> None:
    keys = "\n".join(f"k{n}: v{n}" for n in range(MAX_META_KEYS * 3))
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n'
    text = f'---\ntitle: T\n"\\e[2Jevil": "[b]x[/b] \\e[31mred"\nhuge: {"x" * 6000}\n{bomb}{keys}\n---\nB.\n'
    found = parse_file(write_file("a.md", text)).articles[0]
    assert found.meta["evil"] == "[b]x[/b] red"  # escapes gone; markup is data
    assert found.meta["a"] == ["x", "x"] and found.meta["b"] == []  # lists of lists: not walked
    assert len(found.meta) == MAX_META_KEYS
    assert found.meta["huge"] == "x" * MAX_META_CHARS


def test_meta_in_show_json(write_file: WriteFile, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_file("a.md", "---\ntitle: T\nseries: Harbour Week\n---\nBody.\n")
    assert main(["show", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["meta"] == {"series": "Harbour Week"}


# -- the index, search and the author list


def front(title: str, slug: str, authors: list[str], extra: str = "") -> str:
    listed = ", ".join(json.dumps(name) for name in authors)
    return f"---\ntitle: {title}\nslug: {slug}\nauthors: [{listed}]\n{extra}---\n{BODY}\n"


LIBRARY = {
    "2026-03-03-joint.md": front(
        "Joint Report",
        "joint",
        [],
        "authors:\n  - {name: Ana Brum, bio: Ana writes about ports.}\n"
        "  - {name: Bo Chen, bio: Bo covers trains.}\nseries: Harbour Week\n",
    ).replace("authors: []\n", ""),
    "2026-03-02-ana.md": front("Ana Alone", "ana-alone", ["Ana Brum"]),
    "2026-03-01-bo.md": front("Bo Alone", "bo-alone", ["Bo Chen"]),
    "2026-02-28-bo2.md": front("Bo Again", "bo-again", ["bo chen"]),
    "2026-02-27-lee.md": front("Lee and Cy", "lee-cy", ["Ann Lee", "Cy Dor"]),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in LIBRARY.items():
        write(tmp_path / "articles", name, text)
    return tmp_path / "articles"


@pytest.fixture
def library(folder: Path) -> Iterator[Library]:
    with open_library(folder) as opened:
        yield opened


def ids(library: Library, query: str) -> set[str]:
    return {hit.row.id for hit in library.search(query)}


def test_author_search_matches_any_author(library: Library) -> None:
    assert ids(library, "author:brum") == {"joint", "ana-alone"}
    assert ids(library, "author:chen") == {"joint", "bo-alone", "bo-again"}
    assert ids(library, 'author:"Bo Chen"') == {"joint", "bo-alone", "bo-again"}
    assert ids(library, "-author:brum author:chen") == {"bo-alone", "bo-again"}
    assert ids(library, 'author:"Lee Cy"') == set()  # not a phrase across two names


def test_author_filter_and_list_count_each_person(library: Library) -> None:
    by_bo = library.page(0, 10, "date", ListFilter(author="BO CHEN"))
    assert [row.id for row in by_bo] == ["joint", "bo-alone", "bo-again"]
    assert [(a.name, a.article_count) for a in library.authors()] == [
        ("Ana Brum", 2),
        ("Ann Lee", 1),
        ("Bo Chen", 3),
        ("Cy Dor", 1),
    ]
    bo = library.author("bo chen")
    assert bo is not None and bo.bio == "Bo covers trains."


def test_list_rows_show_the_byline_and_the_index_keeps_each_author(library: Library) -> None:
    row = library.row("joint")
    assert row is not None and row.author == "Ana Brum, Bo Chen"
    rebuilt = library.article("joint")
    assert rebuilt is not None
    assert rebuilt.authors == [
        Author(name="Ana Brum", bio="Ana writes about ports."),
        Author(name="Bo Chen", bio="Bo covers trains."),
    ]
    assert rebuilt.meta == {"series": "Harbour Week"}


def test_a_changed_file_leaves_no_stale_author(folder: Path) -> None:
    with open_library(folder) as library:
        write(folder, "2026-03-02-ana.md", front("Ana Alone", "ana-alone", ["Dee Eve"]))
        library.refresh()
        assert [a.name for a in library.authors()] == [
            "Ana Brum",
            "Ann Lee",
            "Bo Chen",
            "Cy Dor",
            "Dee Eve",
        ]
        assert library.author("ana brum") is not None
        assert library.author("ana brum").article_count == 1  # type: ignore[union-attr]


def test_cli_authors_counts_each_person(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["authors", str(folder), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(a["name"], a["article_count"]) for a in shown][:3] == [
        ("Ana Brum", 2),
        ("Ann Lee", 1),
        ("Bo Chen", 3),
    ]


# -- the author panel


async def test_author_panel_shows_each_author_and_their_articles(folder: Path) -> None:
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the newest: the joint report
        await settle(pilot)
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        panel = screen.author_panel
        assert [a.name for a in panel.authors] == ["Ana Brum", "Bo Chen"]
        assert panel.border_title == "Authors"
        heading = str(panel.query_one("#author-heading").render())
        assert "Ana Brum" in heading and "2 articles" in heading and "ports" in heading
        assert "Bo Chen" in heading and "3 articles" in heading and "trains" in heading
        stories = panel.query_one(StoryList)
        prompts = [str(stories.get_option_at_index(i).prompt) for i in range(stories.option_count)]
        assert [p.split("\n")[0] for p in prompts] == [
            "By Ana Brum",
            "● Ana Alone",
            "By Bo Chen",
            "● Bo Alone",
            "● Bo Again",
        ]
        await pilot.press("a")
        await pilot.pause()
        assert stories.has_focus and stories.highlighted == 1
        await pilot.press("j")  # over Bo Chen's heading
        assert stories.highlighted == 3
        await pilot.press("j", "enter")
        await settle(pilot)
        assert screen.reader.article_id == "bo-again"
        assert [a.name for a in panel.authors] == ["Bo Chen"]
        assert panel.border_title == "Author"
