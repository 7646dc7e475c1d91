"""How a saved page's text is chosen and merged from the two extractors, and cleaned."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from newstui.core.formats import parse_bytes
from newstui.core.formats._html_blocks import html_to_blocks
from newstui.core.formats._html_body import (
    _inline_code_stays_inline,
    _pick_readability,
    tidy,
    with_lead,
    with_quotes,
)
from newstui.core.models import Article, Block, Link, Source

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


URL = "https://courier.example/story"


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


def test_an_embedded_post_in_a_social_wrapper_is_not_furniture() -> None:
    article = page(
        f"<article><h1>Harbour budget</h1>{paragraphs(0, 1, 2, 3)}"
        f'<div class="social-media-embed">{TWEET}</div>{paragraphs(4, 5, 6)}'
        '<div class="social-share"><a href="/s">Share on Facebook</a></div></article>'
    )
    texts = [block.text for block in article.blocks]
    assert any(text.startswith("The harbour vote is tonight") for text in texts)
    assert not any("Facebook" in text for text in texts)


def test_quotes_within_the_shared_text_only_when_the_other_is_the_whole_page() -> None:
    blocks = [para("One two three."), para("Four five six.")]
    other = [
        quote("A teaser before the article."),
        para("One two three."),
        quote("A quoted post."),
        para("Four five six."),
        quote("A quote in the comments."),
    ]
    assert [block.text for block in with_quotes(blocks, other, within=True)] == [
        "One two three.",
        "A quoted post.",
        "Four five six.",
    ]


def words(count: int, start: int = 0) -> str:
    return " ".join(f"w{number}" for number in range(start, start + count))


def test_the_shorter_text_wins_unless_it_is_a_fragment_or_another_part() -> None:
    assert _pick_readability(from_trafilatura=words(500), from_readability=words(450))
    assert _pick_readability(from_trafilatura=words(500), from_readability=words(500))  # a tie
    assert not _pick_readability(from_trafilatura=words(450), from_readability=words(500))
    assert not _pick_readability(from_trafilatura=words(500), from_readability=words(200))
    assert _pick_readability(from_trafilatura=words(200), from_readability=words(500))
    # the shorter is not a part of the longer: they took different parts of the page
    assert not _pick_readability(from_trafilatura=words(500), from_readability=words(450, 300))
    assert _pick_readability(from_trafilatura=words(450, 300), from_readability=words(500))


LINE = PROSE.strip()


def blocks_of(*texts: str, kind: str = "paragraph") -> list[Block]:
    return [Block(kind=kind, text=text) for text in texts]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line",
    [
        "less",
        "Show more",
        "Advert",
        "Filed under: Harbour, Council |",
        "Tags: harbour, budget",
        "More:",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "Image copyright Getty Images",
        "(Image: gargantiopa / Getty Images)",
        "Photo: Damian Dovarganes, AP",
        "Jason Cipriani/ZDNet",
        "Sakib Ali/Hindustan Times/Getty Images",
        "Share this on WhatsApp",
        "Latest posts by Kim Park (see all)",
        "Get Harbour Monthly delivered through your letterbox every month. 12 issues for"
        " £11.99. Click here for more information.",
        "Sign up for The Quay Brief today to get the free daily newsletter delivered to your"
        " inbox.",
        '[button link="https://quay.example/submit" type="big"] Send us YOUR review[/button]',
    ],
)
def test_furniture_lines_are_dropped_anywhere(line: str) -> None:
    text = [LINE, line, LINE + " Again."]
    assert [block.text for block in tidy(blocks_of(*text), "Harbour budget", [])] == [
        LINE,
        LINE + " Again.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "The vote is at 7pm/8pm.",
        "42",  # a figure in a chart's table
        "More to come as the council meets again.",
        "Follow the money, said the mayor, and you will find the dredging contract.",
        "Subscribers to the ferry pass pay less, the council said on Monday.",
    ],
)
def test_short_article_lines_are_kept(line: str) -> None:
    assert [block.text for block in tidy(blocks_of(LINE, line), "Harbour budget", [])] == [
        LINE,
        line,
    ]


def test_a_long_title_and_the_pages_address_at_the_top_are_dropped() -> None:
    title = "Harbour ferries return after the storm that closed the port and the ferry terminal"
    top = [
        Block(kind="paragraph", text="https://courier.example/news/harbour-ferries-return.html"),
        Block(kind="heading", text=title + " for a week in March"),  # the metadata cut it short
        Block(kind="paragraph", text=LINE),
        Block(kind="paragraph", text="https://courier.example/report.pdf"),  # in the text: kept
    ]
    assert [block.text for block in tidy(top, title, [])] == [
        LINE,
        "https://courier.example/report.pdf",
    ]


def test_the_authors_name_over_a_bio_is_dropped() -> None:
    blocks = [para(LINE), para("Kim Park"), para("Kim Park reports on the harbour.")]
    assert [block.text for block in tidy(blocks, "Harbour budget", ["Kim Park"])] == [
        LINE,
        "Kim Park reports on the harbour.",
    ]


def test_a_heading_or_label_with_nothing_after_it_at_the_end_is_dropped() -> None:
    icon = Block(kind="image", text="news icon")
    for ending in (
        [Block(kind="heading", text="You might also like")],
        [Block(kind="heading", text="Elsewhere in the paper"), icon],
        [para("These articles might interest you too:")],
    ):
        blocks = [Block(kind="heading", text="Budget"), para(LINE), *ending]
        assert [block.text for block in tidy(blocks, "Harbour budget", [])] == ["Budget", LINE]
    only_headings = [Block(kind="heading", text="Video"), Block(kind="heading", text="Ferries")]
    assert tidy(only_headings, "Harbour budget", []) == only_headings  # nothing else to read
    photo_at_the_end = [para(LINE), Block(kind="image", text="The new ferry at the quay")]
    assert tidy(photo_at_the_end, "Harbour budget", []) == photo_at_the_end


def test_headlines_of_other_stories_are_dropped_at_the_end_or_in_a_list() -> None:
    def teaser(text: str) -> Block:
        return Block(kind="paragraph", text=text, links=(Link(start=0, end=len(text), url=URL),))

    blocks = [
        para(LINE),
        teaser("Ferry fares to rise"),  # one link alone in the text: kept
        para(LINE + " More."),
        teaser("Storm closes the port"),
        teaser("Mayor quits"),  # a list of other stories
        para(LINE + " Again."),
        Block(kind="paragraph", text="See the report.", links=(Link(start=8, end=14, url=URL),)),
        teaser("Dredging costs double"),  # after the article
    ]
    kept = [
        para(LINE),
        teaser("to the booking page."),  # a sentence's end, cut off at its link
        teaser("https://petition.example/harbour"),  # an address given in full
    ]
    assert tidy(kept, "Harbour budget", []) == kept
    assert [block.text for block in tidy(blocks, "Harbour budget", [])] == [
        LINE,
        "Ferry fares to rise",
        LINE + " More.",
        LINE + " Again.",
        "See the report.",
    ]


def test_an_images_caption_again_and_a_second_image_with_the_same_alt_text_are_dropped() -> None:
    def image(text: str, number: int) -> Block:
        return Block(kind="image", text=text, url=f"https://courier.example/{number}.jpg")

    caption = "The ferry terminal after the storm, on Monday"
    blocks = [
        para(LINE),
        image(caption, 1),
        para(caption + ". (Photo credit: Harbour Watch)"),  # the caption again, with a credit
        image("Harbour budget", 2),
        image("Harbour budget", 3),  # the same alt text: the page's title on every picture
        para("The ferry terminal will reopen on Friday, the council said."),  # not the caption
        image("Ferry map", 4),
        para("Ferry map: the new route."),  # too short an alt text to tell a caption
    ]
    assert [block.text for block in tidy(blocks, "Harbour budget", [])] == [
        LINE,
        caption,
        "Harbour budget",
        "The ferry terminal will reopen on Friday, the council said.",
        "Ferry map",
        "Ferry map: the new route.",
    ]


def test_inline_code_from_trafilatura_stays_in_its_sentence() -> None:
    html = etree.fromstring(
        "<html><body><p>Install it with <pre>pip install</pre> and go.</p>"
        "<pre>$ pip install harbour</pre></body></html>"
    )
    _inline_code_stays_inline(html)
    blocks = html_to_blocks(etree.tostring(html, encoding="unicode"))
    assert [(block.kind, block.text) for block in blocks] == [
        ("paragraph", "Install it with pip install and go."),
        ("code", "$ pip install harbour"),
    ]


def test_an_image_whose_alt_text_is_its_file_name_is_decoration() -> None:
    blocks = html_to_blocks(
        '<p>The new ferry.</p><img src="/a.jpg" alt="ferry-2026_03.JPG">'
        '<img src="/b.jpg" alt="The ferry at the quay">'
    )
    assert [(block.kind, block.text) for block in blocks] == [
        ("paragraph", "The new ferry."),
        ("image", "The ferry at the quay"),
    ]


def test_the_lead_readability_leaves_in_the_header_comes_back() -> None:
    lead = para("The harbour council voted on Monday to keep the late ferry for another year.")
    caption = para("The late ferry")  # not prose: stays out
    article = [para(LINE), para(LINE + " Again.")]
    assert with_lead(article, [caption, lead, *article]) == [lead, *article]
    assert with_lead(article, [lead]) == article  # nothing shared: not a lead


def test_the_summary_is_not_shown_again_over_a_text_that_opens_with_it() -> None:
    def article(summary: str) -> Article:
        source = Source(path="a.html", format="html")
        return Article(id="a", title="Budget", summary=summary, blocks=[para(LINE)], source=source)

    assert article(LINE).standfirst == ""
    assert article(LINE[:40].rsplit(" ", 1)[0] + "…").standfirst == ""  # cut short
    assert article("The vote is on Monday.").standfirst == "The vote is on Monday."


def test_a_name_inside_a_word_is_not_a_byline() -> None:
    blocks = [para("Leeward winds closed the quay."), para(LINE)]
    assert tidy(blocks, "Harbour budget", ["Lee"]) == blocks
    assert tidy([para("By Lee"), para(LINE)], "Harbour budget", ["Lee"]) == [para(LINE)]


def test_a_link_dropped_keeps_its_words_in_the_sentence() -> None:
    article = page(
        f"<article><h1>Harbour budget</h1>{paragraphs(0, 1)}"
        '<p>I am a <a class="popup" href="javascript:void(0)" onclick="open()">very old</a> '
        "man who has rowed this harbour since the war.</p>"
        '<p>She read <a href="javascript:void(0)">the old ledgers</a> by lamplight.</p>'
        f'<p>See the <a href="#notes">tide notes</a> further down.</p>{paragraphs(2, 3)}</article>'
    )
    texts = [block.text for block in article.blocks]
    assert "I am a very old man who has rowed this harbour since the war." in texts
    assert "She read the old ledgers by lamplight." in texts
    assert "See the tide notes further down." in texts
    assert not any(block.links for block in article.blocks)


def test_a_share_bar_of_links_is_still_furniture() -> None:
    article = page(
        f"<article><h1>Harbour budget</h1>{paragraphs(0, 1)}"
        '<p>Tell a friend: <a class="share-link" href="https://social.example/s">Chirp</a></p>'
        f"{paragraphs(2, 3)}</article>"
    )
    assert not any("Chirp" in block.text for block in article.blocks)


def test_formulas_are_kept_as_their_tex() -> None:
    article = page(
        f"<article><h1>Harbour budget</h1>{paragraphs(0)}"
        '<p>The wave height is <math alttext="h = a \\sin t"><mi>h</mi></math> at noon.</p>'
        '<p>The ratio is <script type="math/tex">\\frac{p}{q}</script> each year.</p>'
        '<p>The area is <span class="katex"><span class="katex-mathml"><math><semantics>'
        '<mi>r</mi><annotation encoding="application/x-tex">\\pi r^2</annotation></semantics>'
        '</math></span><span class="katex-html" aria-hidden="true">πr2</span></span> in all.</p>'
        "<p>The sum is <math><mi>a</mi><mo>+</mo><mi>b</mi></math> pounds.</p>"
        f"{paragraphs(1)}</article>"
    )
    texts = [block.text for block in article.blocks]
    assert "The wave height is h = a \\sin t at noon." in texts
    assert "The ratio is \\frac{p}{q} each year." in texts
    assert "The area is \\pi r^2 in all." in texts
    assert "The sum is a + b pounds." in texts


def test_mathjax_rendering_is_not_said_twice() -> None:
    article = page(
        f"<article><h1>Harbour budget</h1>{paragraphs(0)}"
        '<p>Energy is <span class="MathJax_Preview"></span><span class="MathJax">'
        '<nobr aria-hidden="true">E=mc2</nobr><span class="MJX_Assistive_MathML"><math>'
        '<mi>E</mi></math></span></span><script type="math/tex">E = mc^2</script> as ever.</p>'
        f"{paragraphs(1)}</article>"
    )
    assert "Energy is E = mc^2 as ever." in [block.text for block in article.blocks]


def test_a_paragraph_said_twice_is_kept_twice() -> None:
    refrain = "<p>Row the boat, row the boat, all the way home.</p>"
    article = page(
        f"<article><h1>Harbour budget</h1>{paragraphs(0)}{refrain}{refrain}"
        f"{paragraphs(1)}{refrain}</article>"
    )
    texts = [block.text for block in article.blocks]
    assert texts.count("Row the boat, row the boat, all the way home.") == 3
    same = page(f"<article><h1>Harbour budget</h1>{paragraphs(5, 5, 5, 5)}</article>")
    assert len(same.blocks) == 4


def test_a_longer_text_that_only_repeats_the_shorter_is_taken() -> None:
    shorter, longer = words(300), f"{words(300)} {words(100)}"  # the first 100 said again
    assert _pick_readability(from_trafilatura=shorter, from_readability=longer)
    assert not _pick_readability(from_trafilatura=longer, from_readability=shorter)
