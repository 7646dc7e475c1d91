"""JSON articles: validation by the Article model, round trips through `show --json`, JSON Feed."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newstui.cli import main
from newstui.core.formats import ArticleError, parse_file
from newstui.core.formats.feeds import entry_id
from newstui.core.lang import with_language
from newstui.core.models import Article, content_id

if TYPE_CHECKING:
    from libhelpers import WriteFile

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SAMPLE_TXT = Path(__file__).parents[1] / "sample_articles"


def show_json(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["show", str(path), "--json"]) == 0
    return capsys.readouterr().out


def without_source(article: Article) -> dict[str, object]:
    return article.model_dump(exclude={"source"})


def test_article_object_keeps_its_fields_and_source_name() -> None:
    result = parse_file(FIXTURES / "article.json")
    assert result.warnings == []
    (article,) = result.articles
    assert article.id == article.slug == "dune-fencing-volunteers"
    assert article.published == datetime(2026, 10, 17, 9, tzinfo=timezone.utc)
    assert article.related == ["Storm Warning for the Coast"]
    assert article.blocks[2].url == "https://img.example/dunes.jpg"
    # source describes the file read now; only the outlet's name is kept from the input
    assert article.source.model_dump() == {
        "path": str(FIXTURES / "article.json"),
        "format": "json",
        "name": "Coast Weekly",
    }


def test_computed_fields_are_ignored_on_input() -> None:
    article = parse_file(FIXTURES / "article.json").articles[0]
    assert article.word_count == 16  # 7 + 5 + 4 words, not 999
    assert article.reading_minutes == 1


@pytest.mark.parametrize(
    "source",
    [
        FIXTURES / "full.md",
        FIXTURES / "article.json",
        FIXTURES / "page.html",
        FIXTURES / "atom.xml",
    ],
    ids=lambda path: path.name,
)
def test_show_json_loads_back_equal(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    originals = [with_language(a) for a in parse_file(source).articles]  # as show prints
    saved = tmp_path / "saved.json"
    saved.write_text(show_json(source, capsys), encoding="utf-8")
    loaded = parse_file(saved)
    assert loaded.warnings == []
    loaded.articles[:] = [with_language(a) for a in loaded.articles]
    assert [without_source(a) for a in loaded.articles] == [without_source(a) for a in originals]
    assert [a.source.name for a in loaded.articles] == [a.source.name for a in originals]
    assert {a.source.path for a in loaded.articles} == {str(saved)}
    # a second generation is equal in full, source included (it only moves to the new file)
    again = tmp_path / "again.json"
    again.write_text(show_json(saved, capsys), encoding="utf-8")
    moved = [
        a.model_copy(update={"source": a.source.model_copy(update={"path": str(again)})})
        for a in loaded.articles
    ]
    assert parse_file(again).articles == moved


def test_round_trip_of_a_scraped_text_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sorted(SAMPLE_TXT.glob("*.txt"))[0]
    original = with_language(parse_file(source).articles[0])
    saved = tmp_path / "s.json"
    saved.write_text(show_json(source, capsys), encoding="utf-8")
    assert without_source(parse_file(saved).articles[0]) == without_source(original)
    assert original.lang == "en"  # detected: show --json prints it


def test_list_keeps_good_items_and_reports_bad_ones() -> None:
    result = parse_file(FIXTURES / "articles-list.json")
    assert [a.title for a in result.articles] == ["First of Two", "No Id Given"]
    assert result.warnings == [
        "item 2: not an Article or a JSON Feed: missing field 'title'",
        "item 4: not an Article or a JSON Feed: a JSON number",
    ]
    no_id = result.articles[1]
    assert no_id.id == content_id("No Id Given", "Three.")
    assert no_id.published == datetime(2026, 10, 18, 10, tzinfo=timezone.utc)  # naive read as UTC


def test_missing_id_uses_slug(write_file: WriteFile) -> None:
    path = write_file("s.json", json.dumps({"title": "T", "slug": "the-slug"}))
    assert parse_file(path).articles[0].id == "the-slug"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"name": "settings"}', "not an Article or a JSON Feed: missing field 'title'"),
        ("42", "not an Article or a JSON Feed: the file holds a JSON number"),
        ('"text"', "not an Article or a JSON Feed: the file holds a JSON string"),
        ("null", "not an Article or a JSON Feed: the file holds a JSON null"),
        ("[]", "an empty list: no articles"),
        ("[1, 2]", "no readable articles: item 1: not an Article or a JSON Feed: a JSON number"),
        ('{"title": "x", "id": "a",', "not valid JSON: Expecting property name"),
        ("", "empty file"),
        (
            '{"title": "T", "id": "x", "blocks": [{"kind": "poem", "text": "a"}]}',
            "not an Article or a JSON Feed: field 'blocks[0].kind': Input should be",
        ),
        (
            '{"title": "T", "id": "x", "published": "yesterday"}',
            "not an Article or a JSON Feed: field 'published'",
        ),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ],
)
def test_files_that_are_not_articles(write_file: WriteFile, content: str, reason: str) -> None:
    with pytest.raises(ArticleError) as caught:
        parse_file(write_file("bad.json", content))
    assert str(caught.value).startswith(reason)


def test_utf16_json(write_file: WriteFile) -> None:
    path = write_file("u.json", json.dumps({"id": "u", "title": "Café ✓"}).encode("utf-16"))
    assert parse_file(path).articles[0].title == "Café ✓"


def test_json_feed_is_routed_to_the_feed_reader() -> None:
    result = parse_file(FIXTURES / "jsonfeed11.json")
    assert result.warnings == ["entry 3: cannot read: not an object"]
    first, second = result.articles
    assert first.title == "Boardwalk Planks Replaced"
    assert first.id == entry_id("pn-201")
    assert first.url == "https://piernotes.example/201"
    assert first.author is not None and first.author.name == "Lena Moor"
    assert first.published == datetime(2026, 10, 10, 10, tzinfo=timezone.utc)
    assert first.summary == "Forty planks in a weekend."
    assert [b.text for b in first.blocks] == [
        "Volunteers replaced forty planks.",
        "The pier reopens Saturday.",
    ]
    assert first.tags == ["pier", "volunteers"]
    assert first.source.format == "jsonfeed" and first.source.name == "Pier Notes"
    # no title: the text, shortened; the feed's author; a numeric id; date_modified
    assert second.title.startswith("Untitled note: the kiosk now opens at eight.")
    assert second.author is not None and second.author.name == "Pier Notes Team"
    assert second.id == entry_id("202")
    assert second.published == datetime(2026, 10, 11, 8, tzinfo=timezone.utc)


def test_json_feed_version_1_author() -> None:
    (article,) = parse_file(FIXTURES / "jsonfeed10.json").articles
    assert article.author is not None and article.author.name == "Pier Notes Team"
    assert article.source.name == "Old Pier Notes"


def test_json_feed_without_items(write_file: WriteFile) -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "x"}
    with pytest.raises(ArticleError, match="JSON Feed without an 'items' list"):
        parse_file(write_file("f.json", json.dumps(feed)))
    with pytest.raises(ArticleError, match="feed has no entries"):
        parse_file(write_file("f.json", json.dumps({**feed, "items": []})))
