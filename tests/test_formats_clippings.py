"""Markdown as clippers and site generators write it: front matter keys, furniture, links."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newstui.core.formats import parse_file
from newstui.core.models import MAX_AUTHORS, Article, Author

if TYPE_CHECKING:
    from libhelpers import WriteFile

CLIPPINGS = Path(__file__).parent / "fixtures" / "clippings"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CLIPPINGS / "expected.json").read_text())


def article_of(write_file: WriteFile, text: str, name: str = "clip.md") -> Article:
    return parse_file(write_file(name, text)).articles[0]


def front(write_file: WriteFile, lines: str, body: str = "Body text.\n") -> Article:
    return article_of(write_file, f"---\n{lines}\n---\n{body}")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_clipper_shape_is_read_as_expected(name: str) -> None:
    expected = EXPECTED[name]
    result = parse_file(CLIPPINGS / name)
    article = result.articles[0]
    assert result.warnings == []
    assert article.title == expected["title"]
    assert [author.name for author in article.authors] == expected["authors"]
    assert article.author is not None
    assert article.author.name == ", ".join(expected["authors"])  # the byline
    assert article.url == expected.get("url")
    assert article.published is not None
    assert article.published.date().isoformat() == expected["date"]
    assert article.summary == expected.get("summary", "")
    assert article.lang == expected.get("lang")
    links = [link.url for block in article.blocks for link in block.links]
    assert links == expected["links"]
    assert article.blocks[0].text.startswith(expected["body_start"])
    for junk in expected["furniture"]:
        assert all(junk not in block.text for block in article.blocks)


# -- authors


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        ("author: Ana Sousa", "Ana Sousa"),
        ("author: [Ana Sousa, Tom Reed]", "Ana Sousa, Tom Reed"),
        ('author:\n  - "[[Ana Sousa]]"\n  - "[[People/Tom Reed|Tom Reed]]"', "Ana Sousa, Tom Reed"),
        ('author: "[[Ana Sousa]], [[Tom Reed]]"', "Ana Sousa, Tom Reed"),
        ("authors: [Ana Sousa, Tom Reed, Ana Sousa]", "Ana Sousa, Tom Reed"),
        ("by: {name: Ana Sousa}", "Ana Sousa"),
        ("by:\n  - name: Ana Sousa\n  - name: Tom Reed", "Ana Sousa, Tom Reed"),
        ("creator: Ana Sousa", "Ana Sousa"),
        ("Author: Ana Sousa", "Ana Sousa"),
        ("params:\n  author: Ana Sousa", "Ana Sousa"),
    ],
)
def test_author_shapes(write_file: WriteFile, lines: str, name: str) -> None:
    article = front(write_file, f"title: T\n{lines}")
    assert article.author is not None
    assert article.author.name == name


def test_each_author_keeps_their_own_bio(write_file: WriteFile) -> None:
    one = front(write_file, "author: {name: Ana, bio: Writes about boats.}")
    assert one.author is not None and one.author.bio == "Writes about boats."
    two = front(write_file, "author: [{name: Ana, bio: Boats.}, {name: Tom, bio: Trains.}]")
    assert [(a.name, a.bio) for a in two.authors] == [("Ana", "Boats."), ("Tom", "Trains.")]
    assert two.author is not None and (two.author.name, two.author.bio) == ("Ana, Tom", None)
    lone = front(write_file, "author: Ana\nauthor_bio: Boats.")
    assert lone.authors == [Author(name="Ana", bio="Boats.")]
    shared = front(write_file, "authors: [Ana, Tom]\nauthor_bio: Whose?")
    assert [a.bio for a in shared.authors] == [None, None]  # `author_bio` is a lone author's


def test_zola_extra_author_in_toml(write_file: WriteFile) -> None:
    text = (
        '+++\ntitle = "T"\n[extra]\nauthor = "Ines Varga"\n[taxonomies]\ntags = ["bay"]\n+++\nB.\n'
    )
    article = article_of(write_file, text)
    assert article.author is not None and article.author.name == "Ines Varga"
    assert article.tags == ["bay"]


# -- URL, summary, dates, tags, lang


@pytest.mark.parametrize("key", ["source", "url", "link", "original_url", "canonical_url"])
def test_url_keys(write_file: WriteFile, key: str) -> None:
    assert front(write_file, f"{key}: https://site.example/a").url == "https://site.example/a"


def test_a_site_relative_url_gives_way_to_the_next_key(write_file: WriteFile) -> None:
    article = front(write_file, "url: /posts/a/\ncanonical_url: https://site.example/posts/a/")
    assert article.url == "https://site.example/posts/a/"
    assert front(write_file, "url: javascript:alert(1)").url is None


@pytest.mark.parametrize("key", ["summary", "description", "excerpt", "subtitle", "dek"])
def test_summary_keys(write_file: WriteFile, key: str) -> None:
    assert front(write_file, f"{key}: The short of it.").summary == "The short of it."


def test_summary_is_preferred_to_description(write_file: WriteFile) -> None:
    assert front(write_file, "description: Second.\nsummary: First.").summary == "First."


@pytest.mark.parametrize(
    ("lines", "published"),
    [
        ("created: 2026-10-20\npublished: 2026-10-03", datetime(2026, 10, 3)),
        ("date_saved: 2026-10-22\ndate_published: 2026-10-20", datetime(2026, 10, 20)),
        ("updated: 2026-10-25\ndate: 2026-10-01", datetime(2026, 10, 1)),
        ("pubDate: 'Oct 05 2026'", datetime(2026, 10, 5)),
        ("publishDate: 2026-10-06T12:00:00Z", datetime(2026, 10, 6, 12)),
        ("date: 2026-07-01 10:00:00 +0100", datetime(2026, 7, 1, 9)),
        ("created: 2026-10-21T09:12:44 (UTC +02:00)", datetime(2026, 10, 21, 7, 12, 44)),
        ("created: 2026-10-18\nupdated: 2026-10-19", datetime(2026, 10, 18)),
        ("date_saved: 2026-10-22", datetime(2026, 10, 22)),
        ("updated: 2026-10-19", datetime(2026, 10, 19)),
        ("published:\ncreated: 2026-10-20", datetime(2026, 10, 20)),
    ],
)
def test_publication_dates_win_over_saved_dates(
    write_file: WriteFile, lines: str, published: datetime
) -> None:
    assert front(write_file, lines).published == published.replace(tzinfo=timezone.utc)


def test_an_unreadable_publication_date_falls_back_with_a_problem(write_file: WriteFile) -> None:
    result = parse_file(write_file("d.md", "---\npublished: soon\ncreated: 2026-10-20\n---\nB.\n"))
    assert result.warnings == ["front matter: unrecognised date 'soon'"]
    assert result.articles[0].published == datetime(2026, 10, 20, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("lines", "tags"),
    [
        ("tags: [a, b]\ncategories: [b, c]\nkeywords: [d]", ["a", "b", "c", "d"]),
        ("categories: news engines", ["news", "engines"]),
        ("tags: harbour life, boats", ["harbour life", "boats"]),
        ("keywords: quay", ["quay"]),
    ],
)
def test_tag_keys(write_file: WriteFile, lines: str, tags: list[str]) -> None:
    assert front(write_file, lines).tags == tags


@pytest.mark.parametrize(
    ("value", "lang"), [("en-GB", "en"), ("DE", "de"), ("pt_BR", "pt"), ("not a tag", None)]
)
def test_lang(write_file: WriteFile, value: str, lang: str | None) -> None:
    assert front(write_file, f"lang: {value}").lang == lang
    assert front(write_file, f"language: {value}").lang == lang


def test_unknown_keys_and_odd_values_are_never_fatal(write_file: WriteFile) -> None:
    lines = "layout: post\nlatitude: 59.4\nid: 4b1c\nparams: [1, 2]\nextra: 3\nby: {bio: no name}"
    result = parse_file(write_file("odd.md", f"---\n{lines}\n---\nBody.\n"))
    assert result.warnings == ["front matter: 'by' should be a name, ignored"]
    assert result.articles[0].body_text == "Body."


# -- furniture


def test_excerpt_block_is_the_summary_not_body(write_file: WriteFile) -> None:
    body = "# Title\n\n> ## Excerpt\n> First line of it,\n> and the second.\n\n---\nReal body.\n"
    article = article_of(write_file, body)
    assert article.summary == "First line of it, and the second."
    assert article.body_text == "Real body."


def test_front_matter_summary_wins_but_the_excerpt_still_leaves_the_body(
    write_file: WriteFile,
) -> None:
    article = front(write_file, "summary: Given.", "> ## Excerpt\n> Other.\n\nBody.\n")
    assert (article.summary, article.body_text) == ("Given.", "Body.")


def test_read_original_gives_the_url_and_read_on_lines_go(write_file: WriteFile) -> None:
    body = (
        "# T\n#Omnivore #boats\n\n[Read on Omnivore](https://omnivore.app/me/t)\n"
        "[Read Original](https://site.example/t)\n\nBody with #hashtag.\n\n#not-furniture\n"
    )
    article = article_of(write_file, body)
    assert article.url == "https://site.example/t"
    assert article.tags == ["Omnivore", "boats"]
    assert [block.text for block in article.blocks] == ["Body with #hashtag.", "#not-furniture"]


def test_front_matter_url_wins_over_read_original(write_file: WriteFile) -> None:
    article = front(
        write_file, "url: https://a.example/", "[Read Original](https://b.example/)\nB.\n"
    )
    assert article.url == "https://a.example/"


@pytest.mark.parametrize(
    ("title", "url", "kept"),
    [
        ("Tide tables | Harbour Weekly", "https://www.harbourweekly.example/x", "Tide tables"),
        ("Storm warning - BBC News", "https://www.bbc.co.uk/news/1", "Storm warning"),
        ("Storm warning – The Courier", "https://thecourier.example/1", "Storm warning"),
        ("Storm warning | The Courier", "https://courier.example/1", "Storm warning"),
        ("Storm warning - The Courier", "https://other.example/1", "Storm warning - The Courier"),
        ("Left - right", "https://right.example/", "Left"),
        ("Left - right", None, "Left - right"),
        ("A-B testing at sea", "https://sea.example/", "A-B testing at sea"),
    ],
)
def test_site_name_in_the_title(
    write_file: WriteFile, title: str, url: str | None, kept: str
) -> None:
    lines = f'title: "{title}"' + (f"\nsource: {url}" if url else "")
    assert front(write_file, lines).title == kept


def test_heading_repeating_the_title_with_its_site_name_leaves_the_body(
    write_file: WriteFile,
) -> None:
    lines = "title: Tide tables\nsource: https://harbourweekly.example/t"
    article = front(write_file, lines, "# Tide tables | Harbour Weekly\n\nBody.\n")
    assert (article.title, article.body_text) == ("Tide tables", "Body.")


# -- inline links


def spans(article: Article) -> list[tuple[str, str]]:
    return [
        (block.text[link.start : link.end], link.url)
        for block in article.blocks
        for link in block.links
    ]


def test_inline_links_become_spans_of_the_text(write_file: WriteFile) -> None:
    body = (
        "See [the **full** report](https://a.example/r) and <https://b.example/>,\n"
        "[mail us](mailto:desk@a.example), [local](/x), [ftp](ftp://a.example/f).\n\n"
        "## Head [linked](https://c.example/h)\n\n"
        "3. item [one](https://d.example/1)\n"
    )
    article = article_of(write_file, body)
    assert spans(article) == [
        ("the full report", "https://a.example/r"),
        ("https://b.example/", "https://b.example/"),
        ("mail us", "mailto:desk@a.example"),
        ("linked", "https://c.example/h"),
        ("one", "https://d.example/1"),
    ]
    assert article.blocks[0].text == (
        "See the full report and https://b.example/, mail us, local, ftp."
    )
    assert article.blocks[-1].text == "3. item one"


def test_link_text_white_space_and_hard_breaks(write_file: WriteFile) -> None:
    article = article_of(write_file, "A  [ spaced   link ](https://a.example/)  end\\\nnext line\n")
    assert article.blocks[0].text == "A spaced link end\nnext line"
    assert spans(article) == [("spaced link", "https://a.example/")]


def test_hostile_front_matter(write_file: WriteFile) -> None:
    names = ", ".join(f'"[[Name {n}]]"' for n in range(2000))
    lines = (
        f'title: "[b]Bold[/b] \\e[31mred"\nauthor: [{names}]\nsource: "https://a.example/\\e[2J"'
    )
    article = front(write_file, lines)
    assert article.title == "[b]Bold[/b] red"
    assert article.author is not None and article.author.name.startswith("Name 0, Name 1, ")
    assert len(article.authors) == MAX_AUTHORS
    assert article.url == "https://a.example/"
