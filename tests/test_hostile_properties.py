"""Property tests: arbitrary hostile text never crashes a parser and never reaches a terminal."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstui.cli import main
from newstui.core.formats import ArticleError, parse_bytes
from newstui.core.models import Article
from newstui.core.sanitize import clean_line, clean_text

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_PIECES = [
    "\x1b[31m", "\x1b[2J", "\x1b]0;pwned\x07", "\x1b]8;;http://evil\x1b\\", "\x1b]52;c;aGk=\x07",
    "\x1bP1$r\x1b\\", "\x9b6n", "\x9d0;t\x9c", "\x1b", "\x9b", "\x07", "\x00", "\r", "\x85",
    "\u202e", "\u2066", "[/x]", "[b]", "[@click=app.quit]", "[link=http://x]y[/link]", "\\[",
    "東京", "مرحبا", "👍🏽", "é", "\t",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=12)), max_size=25
).map("".join)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def printable(text: str) -> str:
    """What must survive: letters, digits and marks (escape payloads may legitimately go)."""
    return "".join(ch for ch in clean_line(text) if ch.isalnum())


def assert_clean(article: Article) -> None:
    fields = [article.title, article.summary, article.id, *article.related]
    fields += [block.text for block in article.blocks]
    if article.author:
        fields += [article.author.name, article.author.bio or ""]
    for value in fields:
        assert not UNSAFE.search(value), repr(value)


@PROPERTY_SETTINGS
@given(title=hostile_text, body=hostile_text, author=hostile_text)
def test_scraped_parser_survives_and_cleans(title: str, body: str, author: str) -> None:
    document = f"{title}\nStandfirst {body}\n\n{body}\n\n{author}\n{author}\n\nBio {body}.\n"
    for encoding in ("utf-8", "utf-16"):
        try:
            result = parse_bytes(Path("x.txt"), document.encode(encoding, "surrogatepass"))
        except ArticleError:
            continue
        (article,) = result.articles
        assert_clean(article)


@PROPERTY_SETTINGS
@given(title=hostile_text)
def test_headline_keeps_its_printable_characters(title: str) -> None:
    title = "T " + title.replace("\n", " ").replace("\r", " ").replace("\x85", " ")
    try:
        article = parse_bytes(Path("x.txt"), f"{title}\n\nBody.\n".encode()).articles[0]
    except ArticleError:
        return
    assert printable(article.title) == printable(clean_text(title))


@PROPERTY_SETTINGS
@given(raw=st.binary(max_size=400))
def test_arbitrary_bytes_give_an_article_or_a_clear_error(raw: bytes) -> None:
    try:
        result = parse_bytes(Path("x.txt"), raw)
    except ArticleError as error:
        assert str(error)
    else:
        assert_clean(result.articles[0])


@PROPERTY_SETTINGS
@given(title=hostile_text, body=hostile_text)
def test_cli_output_has_no_escape_or_c1(tmp_path: Path, title: str, body: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        f"Headline {title}\nStand {body}.\n\n{body}\n", encoding="utf-8", errors="replace"
    )
    for args in (["show", str(path)], ["show", str(path), "--json"]):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            assert main(args) in (0, 2)  # an article, or a clear per-file error (e.g. NUL-heavy)
        assert not UNSAFE.search((out.getvalue() + err.getvalue()).replace("\n", ""))
