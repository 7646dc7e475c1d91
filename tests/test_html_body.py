"""How a saved page's text is chosen and merged from the two extractors, and cleaned."""

from __future__ import annotations

from pathlib import Path

from newstui.core.formats import parse_bytes
from newstui.core.formats._html_body import _pick_readability, with_quotes
from newstui.core.models import Article, Block

PROSE = (
    "The council met on Monday evening to discuss the harbour budget for the coming year, "
    "and the debate ran long past midnight as members argued over the cost of dredging. "
)
TWEET = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">The harbour vote is tonight, '
    'come along to the town hall <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; '
    "Harbour Watch (@harbourwatch) "
    '<a href="https://twitter.com/harbourwatch/status/1">March 3, 2026</a></blockquote>'
)


def page(body: str) -> Article:
    html = f"<html lang='en'><head><title>Harbour budget</title></head><body>{body}</body></html>"
    return parse_bytes(Path("page.html"), html.encode()).articles[0]


def paragraphs(*numbers: int) -> str:
    return "".join(f"<p>{number} {PROSE}</p>" for number in numbers)


def para(text: str) -> Block:
    return Block(kind="paragraph", text=text)


def quote(text: str) -> Block:
    return Block(kind="quote", text=text)


def test_an_embedded_post_readability_drops_is_kept_in_its_place() -> None:
    article = page(
        f"<article><h1>Harbour budget</h1>{paragraphs(0, 1, 2, 3)}{TWEET}"
        f"{paragraphs(4, 5, 6)}</article>"
    )
    kinds = [(block.kind, block.text[:2]) for block in article.blocks]
    assert kinds[3:7] == [
        ("paragraph", "3 "),
        ("quote", "Th"),
        ("quote", "— "),
        ("paragraph", "4 "),
    ]
    assert article.blocks[4].text.startswith("The harbour vote is tonight")


def test_quotes_only_the_other_extractor_kept_go_after_the_block_they_follow() -> None:
    blocks = [para("One two three."), para("Four five six."), para("Seven eight.")]
    other = [
        para("One two three."),
        para("Four five six."),
        quote("A quoted post."),
        quote("— Someone (@someone)"),
        para("Seven eight."),
        quote("A post at the end."),
    ]
    assert [block.text for block in with_quotes(blocks, other)] == [
        "One two three.",
        "Four five six.",
        "A quoted post.",
        "— Someone (@someone)",
        "Seven eight.",
        "A post at the end.",
    ]


def test_quotes_before_the_shared_text_or_already_there_are_not_added() -> None:
    blocks = [para("One two three."), para("Four five six, and a quoted post."), para("Seven.")]
    other = [
        quote("A teaser before the article."),
        para("One two three."),
        quote("Four five six, and a quoted post."),  # readability kept it as a paragraph
        para("Seven."),
    ]
    assert with_quotes(blocks, other) == blocks


def test_the_shorter_text_wins_unless_it_is_a_fragment() -> None:
    assert _pick_readability(words_trafilatura=500, words_readability=450)
    assert _pick_readability(words_trafilatura=500, words_readability=500)  # a tie
    assert not _pick_readability(words_trafilatura=450, words_readability=500)
    assert not _pick_readability(words_trafilatura=500, words_readability=200)  # a fragment
    assert _pick_readability(words_trafilatura=200, words_readability=500)
