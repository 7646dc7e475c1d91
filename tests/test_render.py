"""`newstui show --format` and the renderings pipes get: faithful, and hostile text never
becomes markup (checked by parsing the Markdown and the HTML as a reader's tools would)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from libhelpers import WriteFile
from newstui.cli import main
from newstui.core.lang import with_language
from newstui.core.models import Article
from newstui.core.render import md_escape, render_html, render_markdown, render_text

HOSTILE = '<script>alert(1)</script> **bold** [x](javascript:alert(1)) & "q" `c` _u_ # h'
ARTICLE = {
    "id": "tram",
    "title": "Tram <img src=x onerror=alert(1)> [click](https://evil.example)",
    "url": "https://news.example/tram?a=1&b=(2)",
    "summary": "A short summary with *stars*.",
    "authors": [{"name": "Ana <b>Brum</b>", "bio": "Writes about > transport."}],
    "published": "2024-05-01T09:30:00Z",
    "blocks": [
        {"kind": "heading", "text": "Funding # unclear"},
        {
            "kind": "paragraph",
            "text": "Read the plan now, or later.",
            "links": [{"start": 5, "end": 13, "url": "https://city.example/plan (final)"}],
        },
        {"kind": "paragraph", "text": HOSTILE},
        {"kind": "paragraph", "text": "- not a list\n1. not numbered\n=== nor a heading"},
        {"kind": "quote", "text": "It is about time.\nSaid twice."},
        {"kind": "list_item", "text": "First stop"},
        {"kind": "list_item", "text": "Second stop"},
        {"kind": "code", "text": "print('```')\n</code><b>x</b>"},
        {"kind": "image", "text": "A tram ](javascript:x)", "url": "https://img.example/t.png"},
        {"kind": "image", "text": "Not shown", "url": "javascript:alert(1)"},
    ],
    "enclosures": [{"url": "https://cdn.example/ep.mp3", "type": "audio/mpeg", "length": 2500000}],
    "source": {"path": "tram.json", "format": "json"},
}


def article() -> Article:
    return Article.model_validate(ARTICLE)


class Tags(HTMLParser):
    """Every tag and every address (href, src) in an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]
        assert all(not name.startswith("on") for name, _ in attrs), attrs


def parsed(html_text: str) -> Tags:
    tags = Tags()
    tags.feed(html_text)
    return tags


def test_markdown_has_each_part_in_markdown() -> None:
    text = render_markdown(article())
    assert text.startswith("# Tram \\<img src=x onerror=alert(1)\\> \\[click\\](https://evil")
    assert "By Ana \\<b\\>Brum\\</b\\> · 2024-05-01 · 1 min read" in text
    assert "<https://news.example/tram?a=1&b=%282%29>" in text
    assert "## Funding \\# unclear" in text
    assert "Read [the plan](https://city.example/plan%20%28final%29) now, or later." in text
    assert "> It is about time.\n> Said twice." in text
    assert "- First stop\n\n- Second stop" in text
    assert "````\nprint('```')\n</code><b>x</b>\n````" in text
    assert "![A tram \\](javascript:x)](https://img.example/t.png)" in text
    assert "\\[image: Not shown\\]" in text  # a javascript: image is no image
    assert "- [audio/mpeg, 2.5 MB](https://cdn.example/ep.mp3)" in text
    assert "## About Ana \\<b\\>Brum\\</b\\>\n\nWrites about \\> transport." in text


def test_hostile_text_in_markdown_stays_text() -> None:
    rendered = MarkdownIt("commonmark").render(render_markdown(article()))
    tags = parsed(rendered)
    assert "script" not in tags.tags and "strong" not in tags.tags and "em" not in tags.tags
    assert sorted(set(tags.urls)) == [
        "https://cdn.example/ep.mp3",
        "https://city.example/plan%20%28final%29",
        "https://img.example/t.png",
        "https://news.example/tram?a=1&b=%282%29",
    ]
    assert tags.tags.count("h1") == 1 and tags.tags.count("h2") == 3  # body, enclosures, bio
    assert tags.tags.count("li") == 3 and "ol" not in tags.tags  # two stops, one enclosure
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](javascript:alert(1))" in rendered


@pytest.mark.parametrize(
    "text", ["*a*", "_a_", "[a](b)", "<a>", "# a", "- a", "+ a", "1. a", "2) a", "`a`", "&amp;"]
)
def test_md_escape_shows_text_as_it_is(text: str) -> None:
    rendered = MarkdownIt("commonmark").render(md_escape(text))
    assert (
        rendered
        == f"<p>{text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p>\n"
    )


def test_hostile_text_in_html_is_escaped() -> None:
    document = render_html([article()])
    tags = parsed(document)
    assert "script" not in tags.tags and "img" in tags.tags  # only the image block's
    assert tags.tags.count("img") == 1 and "b" not in tags.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert sorted(set(tags.urls)) == [
        "https://cdn.example/ep.mp3",
        "https://city.example/plan%20%28final%29",
        "https://img.example/t.png",
        "https://news.example/tram?a=1&b=%282%29",
    ]
    assert "<ul>\n<li>First stop</li>\n<li>Second stop</li>\n</ul>" in document
    assert '<a href="https://city.example/plan%20%28final%29">the plan</a>' in document


def test_text_is_the_plain_rendering() -> None:
    text = render_text(article())
    assert text.startswith(ARTICLE["title"] + "\n====")  # type: ignore[operator]
    assert "  • First stop" in text and "  > It is about time." in text


def test_show_prints_each_format(write_file: WriteFile, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_file("tram.json", json.dumps(ARTICLE))
    shown = with_language(article())  # as every face shows an article file
    expected = {
        "markdown": render_markdown(shown),
        "html": render_html([shown]),
        "text": render_text(shown) + "\n",
    }
    for name, text in expected.items():
        assert main(["show", str(path), "--format", name]) == 0
        assert capsys.readouterr().out == text
    assert main(["show", str(path), "--format", "json"]) == 0
    as_format = capsys.readouterr().out
    assert main(["show", str(path), "--json"]) == 0
    assert capsys.readouterr().out == as_format and json.loads(as_format)["id"] == "tram"


def test_show_refuses_two_formats(
    write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_file("tram.json", json.dumps(ARTICLE))
    assert main(["show", str(path), "--json", "--format", "html"]) == 2
    assert "--json and --format html" in capsys.readouterr().err
