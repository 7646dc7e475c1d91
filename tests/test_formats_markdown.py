"""Markdown articles with YAML/TOML front matter: fields, blocks and fallbacks."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newstui.core.formats import ArticleError, parse_file
from newstui.core.models import content_id

if TYPE_CHECKING:
    from libhelpers import WriteFile

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def blocks_of(path: Path) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in parse_file(path).articles[0].blocks]


def test_yaml_front_matter_fields() -> None:
    result = parse_file(FIXTURES / "full.md")
    assert result.warnings == []
    article = result.articles[0]
    assert article.title == "Harbour Night Ferries Approved"
    assert article.id == article.slug == "harbour-night-ferries-approved"
    assert article.author is not None
    assert article.author.name == "Marta Ilves"
    assert article.author.bio == "Marta Ilves covers ports and shipping."
    assert article.published == datetime(2026, 10, 3, 6, 30, tzinfo=timezone.utc)
    assert article.summary == "Regulators back a permanent late service between the twin ports."
    assert article.tags == ["ports", "ferries"]
    assert article.related == ["Dockworkers Agree Pay Deal"]
    assert article.url == "https://courier.example/ferries"
    assert article.source.format == "markdown"


def test_body_blocks_and_inline_markup_flattened() -> None:
    assert blocks_of(FIXTURES / "full.md") == [
        (
            "paragraph",
            "The harbour authority voted on Tuesday to make the overnight crossings "
            "permanent, after a two-year trial.",
        ),
        ("heading", "Board votes seven to two"),
        ("quote", "We listened to the crews before we listened to the spreadsheets."),
        ("list_item", "Crossings every two hours"),
        ("list_item", "New lighting on the quay"),
        ("list_item", "1. North quay"),
        ("list_item", "2. South quay"),
        ("image", "A ferry at night"),
        ("code", "22:00  00:00  02:00"),
        ("paragraph", "Route | Crossings"),
        ("paragraph", "North | 4"),
        ("paragraph", "Raw HTML note."),
        ("paragraph", "Final paragraph with inline code."),
    ]


def test_image_keeps_its_url_and_title_heading_is_not_repeated() -> None:
    article = parse_file(FIXTURES / "full.md").articles[0]
    image = next(block for block in article.blocks if block.kind == "image")
    assert image.url == "https://img.courier.example/ferry.jpg"
    assert all(block.text != article.title for block in article.blocks)


def test_toml_front_matter_with_author_table_and_plain_date() -> None:
    article = parse_file(FIXTURES / "toml.md").articles[0]
    assert article.title == "Tide Tables Move Online"
    assert article.author is not None
    assert (article.author.name, article.author.bio) == (
        "Rhea Castellan",
        "Rhea writes about the sea.",
    )
    assert article.published == datetime(2026, 10, 12, tzinfo=timezone.utc)
    assert article.tags == ["tides", "ports"]


def test_title_from_first_level_one_heading_and_date_from_file_name() -> None:
    article = parse_file(FIXTURES / "2026-10-14-no-front-matter.md").articles[0]
    assert article.title == "Harbour Cats Census"
    assert [block.text for block in article.blocks] == [
        "Some intro text before any heading.",
        "Counting cats on the quay is harder than it sounds.",
    ]
    assert article.published == datetime(2026, 10, 14, tzinfo=timezone.utc)
    assert article.slug is None
    assert article.id == content_id(article.title, article.body_text)


def test_title_from_file_name_when_nothing_else(write_file: WriteFile) -> None:
    path = write_file("2026-10-20-quiet-harbour_day.md", "## Not level one\n\nJust text.\n")
    article = parse_file(path).articles[0]
    assert article.title == "Quiet harbour day"
    assert article.blocks[0].kind == "heading"


def test_invalid_yaml_front_matter_is_a_problem_not_an_error() -> None:
    result = parse_file(FIXTURES / "bad-front-matter.md")
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("front matter ignored: invalid YAML")
    assert "(line 3)" in result.warnings[0]
    article = result.articles[0]
    assert article.title == "Kept Title"
    assert article.body_text == "Body survives."


def test_unquoted_title_with_a_colon_is_read(write_file: WriteFile) -> None:
    text = "---\ntitle: Wahl: die Ergebnisse\nauthor: Anna Schmidt\ntags: [a, b]\n---\nBody.\n"
    result = parse_file(write_file("colon.md", text))
    article = result.articles[0]
    assert result.warnings == []
    assert (article.title, article.author and article.author.name) == (
        "Wahl: die Ergebnisse",
        "Anna Schmidt",
    )
    assert article.tags == ["a", "b"]


def test_front_matter_that_is_not_a_mapping_is_ignored() -> None:
    result = parse_file(FIXTURES / "list-front-matter.md")
    assert result.warnings == ["front matter ignored: not a list of key: value fields"]
    assert result.articles[0].body_text == "Body of a file whose front matter is a list."


def test_invalid_toml_front_matter(write_file: WriteFile) -> None:
    result = parse_file(write_file("t.md", '+++\ntitle = "open\n+++\nBody.\n'))
    assert result.warnings[0].startswith("front matter ignored: invalid TOML")
    assert result.articles[0].body_text == "Body."


def test_wrongly_typed_fields_are_reported_and_skipped(write_file: WriteFile) -> None:
    text = "---\ntitle: [a, b]\ndate: next tuesday\ntags: [x, {y: 1}]\nauthor: [1]\n---\n# Real\n\nBody.\n"
    result = parse_file(write_file("typed.md", text))
    assert result.warnings == [
        "front matter: 'title' should be text, ignored",
        "front matter: 'author' should be a name, ignored",
        "front matter: unrecognised date 'next tuesday'",
        "front matter: 'tags' should be a list of text, some items ignored",
    ]
    article = result.articles[0]
    assert (article.title, article.author, article.published) == ("Real", None, None)
    assert article.tags == ["x"]


def test_empty_front_matter_and_unclosed_fence(write_file: WriteFile) -> None:
    empty = parse_file(write_file("e.md", "---\n---\n# Title\n\nText.\n"))
    assert (empty.warnings, empty.articles[0].title) == ([], "Title")
    unclosed = parse_file(write_file("u.md", "---\ntitle: never closed\n\nText.\n"))
    assert unclosed.warnings == []
    assert "Text." in unclosed.articles[0].body_text


def test_yaml_is_loaded_safely(write_file: WriteFile) -> None:
    text = "---\ntitle: !!python/object/apply:os.system ['echo hacked']\n---\nBody.\n"
    result = parse_file(write_file("evil.md", text))
    assert result.warnings and result.warnings[0].startswith("front matter ignored: invalid YAML")


def test_terminal_escapes_are_removed(write_file: WriteFile) -> None:
    path = write_file("esc.md", '---\ntitle: "Red \\e[31mAlert"\n---\nBody \x1b]0;owned\x07text.\n')
    article = parse_file(path).articles[0]
    assert article.title == "Red Alert"
    assert article.body_text == "Body text."


def test_crlf_and_bom(write_file: WriteFile) -> None:
    path = write_file(
        "crlf.md", "\ufeff---\r\ntitle: Windows\r\n---\r\nLine one\r\n\r\nLine two\r\n"
    )
    article = parse_file(path).articles[0]
    assert article.title == "Windows"
    assert [block.text for block in article.blocks] == ["Line one", "Line two"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"  \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"\x00\x01" * 200, "no article text"),  # looks like UTF-16, holds only control codes
        (b"<!-- only a comment -->\n", "no article text"),
    ],
)
def test_unreadable_files(write_file: WriteFile, content: bytes, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        parse_file(write_file("x.markdown", content))


def test_yaml_alias_bomb_is_not_expanded(write_file: WriteFile) -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    text = "---\n" + "\n".join(levels) + "\ndate: *a9\ntags: *a9\ntitle: Bomb\n---\nBody.\n"
    result = parse_file(write_file("bomb.md", text))
    assert result.articles[0].title == "Bomb"
    assert result.articles[0].tags == []
    assert "front matter: unrecognised date ''" in result.warnings
