"""Saved pages as a reader wants them: headline, byline, date, text with links and images,
and none of the site's furniture. Small pages of our own, each showing one class of defect."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from newstui.core.formats import parse_bytes, parse_file
from newstui.core.formats._html_blocks import html_to_blocks
from newstui.core.formats._html_body import _rejoin_split_paragraphs
from newstui.core.formats._html_meta import PageMeta, byline_names, people, read_meta
from newstui.core.index.scan import from_record, to_record
from newstui.core.models import Article, Block, Link

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
PROSE = (
    "The council met on Monday evening to discuss the harbour budget for the coming year, "
    "and the debate ran long past midnight as members argued over the cost of dredging. "
)


def meta_of(html: str) -> PageMeta:
    return read_meta(lxml.html.document_fromstring(html))


def page(body: str, head: str = "", html_attrs: str = 'lang="en"') -> Article:
    html = f"<html {html_attrs}><head>{head}</head><body>{body}</body></html>"
    return parse_bytes(Path("page.html"), html.encode()).articles[0]


@pytest.fixture(scope="module")
def saved() -> Article:
    return parse_file(FIXTURES / "saved-article.html").articles[0]


def test_metadata_from_json_ld(saved: Article) -> None:
    assert saved.title == "Harbour Ferries Return After Storm"  # no " | The Tallemar Courier"
    # people, not the organisation; never the login menu's "Username"
    assert saved.author is not None and saved.author.name == "Marta Lindqvist, Tomasz Wendland"
    # the article's date in the page's own time zone, not the outlet's founding date
    assert saved.published == datetime(2026, 3, 4, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    assert saved.source.name == "The Tallemar Courier"
    assert saved.summary == "Ferries sailed again on Tuesday."
    assert (saved.lang, saved.direction) == ("en", None)


def test_body_without_furniture(saved: Article) -> None:
    texts = [block.text for block in saved.blocks]
    assert texts[0].startswith("The first ferries left")  # no title, byline or date again
    assert "Repairs" in texts  # Wikipedia-style "[edit]" gone from the heading
    assert [block.text for block in saved.blocks if block.kind == "list_item"] == [
        "The north pier reopens on Friday.",
        "The fuel dock needs a new pontoon.",
    ]
    body = saved.body_text
    for furniture in ("Share on", "Loading Comments", "Reader comment", "Hidden", "Copyright"):
        assert furniture not in body
    assert "Username" not in body and "Good article" not in body  # icon-sized badge dropped


def test_links_survive_with_their_spans(saved: Article) -> None:
    linked = {
        block.text[link.start : link.end]: link.url
        for block in saved.blocks
        for link in block.links
    }
    assert linked == {
        "well below the limit": "https://courier.example/weather/swell",  # resolved
        "the news desk": "mailto:desk@courier.example",
    }  # javascript: is not a link


def test_images_become_placeholders_with_alt_or_caption(saved: Article) -> None:
    images = [block for block in saved.blocks if block.kind == "image"]
    assert [(b.text, b.url) for b in images] == [
        ("The morning ferry leaves the harbour.", "https://courier.example/images/ferry.jpg")
    ]  # the spacer without alt text is decoration, and dropped
    assert sum(block.text == images[0].text for block in saved.blocks) == 1  # caption once


@pytest.mark.parametrize(
    "furniture",
    [
        "Featured Slide Shows",
        "PhotoCredit: Ann Lee",
        "From the section Technology • 941 comments",
        "Loading Comments...",
        "Like this:",
        "[VIDEO]",
        "Share on Facebook",
        "Also on quayside.example: Ferry strike called off after talks",
        "READ MORE ON THE QUAYSIDE BY CLICKING HERE",
    ],
)
def test_furniture_lines_inside_the_article_are_dropped(furniture: str) -> None:
    article = page(f"<article><p>{PROSE}</p><p>{furniture}</p><p>{PROSE} Again.</p></article>")
    assert furniture not in article.body_text
    assert article.body_text.count("The council met") == 2


def test_trafilatura_split_around_a_formatted_link_is_rejoined() -> None:
    body = etree.fromstring(
        "<body><p>cited by the publication </p><hi rend='#i'><ref target='https://d.example/'>"
        "DigiTimes</ref></hi><p>. A preview was shared.</p><p>Next paragraph.</p></body>"
    )
    _rejoin_split_paragraphs(body)
    assert [("".join(p.itertext())) for p in body] == [
        "cited by the publication DigiTimes. A preview was shared.",
        "Next paragraph.",
    ]


def test_separate_paragraphs_and_items_stay_separate() -> None:
    article = page(
        f"<article><h1>Trademark Fight</h1><p>{PROSE}the Arduino trademark.</p>"
        f"<p>The current fight is older. {PROSE}</p><ul><li>First item</li><li>Second</li></ul>"
        "</article>"
    )
    texts = [block.text for block in article.blocks]
    assert any(text.endswith("the Arduino trademark.") for text in texts)
    assert any(text.startswith("The current fight") for text in texts)


def test_title_without_site_name_and_rtl_direction() -> None:
    article = page(
        f"<h1>عودة العبارات</h1><p>{PROSE}</p><p>{PROSE}</p>",
        head="<title>عودة العبارات | Harbour Post</title>"
        '<meta property="og:site_name" content="Harbour Post">'
        '<meta name="author" content="Harbour Post">',
        html_attrs='lang="ar-EG" dir="rtl"',
    )
    assert article.title == "عودة العبارات"
    assert article.author is None  # the outlet is not the author
    assert (article.lang, article.direction) == ("ar", "rtl")


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Nathan Willis March 3, 2019", ["Nathan Willis"]),
        ("Jan Novák před 3 hodinami", ["Jan Novák"]),
        ("ANN LEE, Games Editor", ["Ann Lee"]),
        ("Ann Lee Games Editor", ["Ann Lee"]),
        ("Ann Lee and Bo Chan", ["Ann Lee", "Bo Chan"]),
        ("Ann Lee, Ann Lee", ["Ann Lee"]),
        ("Barnes & Noble Review", ["Barnes & Noble Review"]),  # an outlet is not split at &
        ("BY: Kim Park", ["Kim Park"]),
        ("Troy L. Smith, Cleveland.com", ["Troy L. Smith"]),  # a site is not a person
        ("Tom Davies Associated Press", ["Tom Davies"]),
        ("Victor Tangermann, Futurism", ["Victor Tangermann"]),  # an outlet after the name
        ("Finian Cunningham. Harbour Post", ["Finian Cunningham"]),
        ("Ana de Armas", ["Ana de Armas"]),
        ("Trevor Daugherty, Since joining, Contact him direct", ["Trevor Daugherty"]),
        ("Username", []),
        ("Authority control", []),
        ("https://social.example/annlee", []),
        ("Harbour Post", []),
        ("Harbour Newsdesk", []),  # the outlet's brand and a desk
        (
            "Posted by Ann Lee and Bo Chan, Software Engineers, Quay Research",
            ["Ann Lee", "Bo Chan"],
        ),
        ("Words and pictures by Kim Park", ["Kim Park"]),
        # other languages' lead-ins, labels and tails
        ("Text von Kim Park", ["Kim Park"]),
        ("Por Agencia EFE", ["Agencia EFE"]),
        ("Auteur: Anna Kubišta", ["Anna Kubišta"]),
        ("Von:Kim Park", ["Kim Park"]),
        ("Author(s): Kim Park", ["Kim Park"]),
        ("Kim Park Stand: 12.01.2022", ["Kim Park"]),
        ("Kim Park Alle Artikel", ["Kim Park"]),
        ("Kim Park Chefredakteur", ["Kim Park"]),
        ("Donnerstag", []),
        ("Posted", []),
        ("Glen Owen And Brendan Carlin For The Quay Herald", ["Glen Owen", "Brendan Carlin"]),
        ("Ann Lee, PhD Bo Chan, PhD", ["Ann Lee", "Bo Chan"]),
        # organisations and addresses are not people; a surname "De" is
        ("Quayside Verband e.V.", []),
        ("Harbourtools GmbH", []),
        ("Quaynews Net", []),
        ("Sumit De", ["Sumit De"]),
        ("gnaddrig", []),  # a user name only where the page marks it as the author
        ("Kim Park Kim Park, Bo Chan Bo Chan", ["Kim Park", "Bo Chan"]),  # alt text and name
    ],
)
def test_bylines_give_names(byline: str, names: list[str]) -> None:
    assert people([byline], "Harbour Post") == names


def test_a_user_name_is_an_author_where_the_page_says_so() -> None:
    assert people(["gnaddrig"], "Harbour Post", handles=True) == ["gnaddrig"]
    assert people(["admin"], "Harbour Post", handles=True) == []
    article = page(
        f'<h1>Dredging Vote</h1><span class="author vcard">happyface313</span><p>{PROSE}</p>'
        f"<p>{PROSE}</p>"
    )
    assert article.author is not None and article.author.name == "happyface313"


@pytest.mark.parametrize(
    "body",
    [
        # a line of its own, of no byline class, near the headline
        f'<h1>Dredging Vote</h1><div class="meta"><span>Von Kim Park</span></div><p>{PROSE}</p>'
        f"<p>{PROSE}</p>",
        # the first line of the article's text, which is then no longer in the text
        f"<h1>Dredging Vote</h1><article><p><em>Por Kim Park</em></p><p>{PROSE}</p>"
        f"<p>{PROSE}</p></article>",
    ],
)
def test_a_byline_line_names_the_author(body: str) -> None:
    article = page(body)
    assert article.author is not None and article.author.name == "Kim Park"
    assert "Kim Park" not in article.body_text


def test_a_byline_line_is_read_from_the_page_and_from_the_text() -> None:
    html = (
        f"<html><body><h1>Dredging Vote</h1><span>Von Kim Park</span><p>{PROSE}</p></body></html>"
    )
    assert meta_of(html).authors == ["Kim Park"]
    footer = "<html><body><footer><span>Von Kim Park</span></footer></body></html>"
    assert meta_of(footer).authors == []
    assert byline_names("Por Kim Park", None) == ["Kim Park"]
    assert byline_names("Kim Park", None) == []  # no lead-in: any line of two words
    assert byline_names(f"Von Kim Park. {PROSE}", None) == []  # a paragraph


def test_a_blog_named_after_its_author_keeps_the_author() -> None:
    assert people(["Seth Godin"], "Seth Godin's Blog") == ["Seth Godin"]


@pytest.mark.parametrize(
    "head",
    [
        "<title>Harbour Gazette | Ferry Fares Rise Again This Spring</title>"
        '<meta property="og:site_name" content="Harbour Gazette">',
        '<meta property="og:title" content="Harbour Gazette – Ferry Fares Rise Again This '
        'Spring"><meta property="og:site_name" content="Harbour Gazette">',
    ],
    ids=["title", "og-title"],
)
def test_the_sites_name_before_the_headline_goes(head: str) -> None:
    """ "Site | Headline": no heading to agree with, the metadata's title without the site."""
    assert meta_of(f"<html><head>{head}</head><body></body></html>").title == (
        "Ferry Fares Rise Again This Spring"
    )


@pytest.mark.parametrize(
    ("heading", "head", "title"),
    [
        # a kicker above the headline, and words only screen readers get
        (
            '<span class="article-heading__kicker">Harbour</span><span class="visually-hidden">'
            ": </span><span>Ferries return after the storm</span>",
            '<meta property="og:title" content="Harbour: Ferries return after the storm">',
            "Ferries return after the storm",
        ),
        # a kicker of no known class keeps the separator only screen readers get
        (
            '<span class="h5">Harbour</span><span class="invisible">: </span>'
            "<span>Ferries return after the storm</span>",
            '<meta property="og:title" content="Harbour: Ferries return after the storm">',
            "Harbour: Ferries return after the storm",
        ),
        # parts of a heading are apart
        (
            "<span>Open Quay</span><br><span>Why ferries beat bridges</span>",
            "",
            "Open Quay Why ferries beat bridges",
        ),
        # a section before the headline in the heading
        (
            "Local News | Ferries return to the quay after the long winter storm",
            '<meta property="og:title" content="Ferries return to the quay after the long winter'
            ' storm">',
            "Ferries return to the quay after the long winter storm",
        ),
        # a date before it
        (
            "23.01.2022 - Ferries return after the storm",
            "<title>23.01.2022 - Ferries return after the storm - Harbour Post</title>",
            "Ferries return after the storm",
        ),
        # "Kicker: Headline" in the metadata, the headline alone in the heading
        (
            "Ferries return after the storm",
            "<title>Quay Desk: Ferries return after the storm - harbour post online</title>",
            "Ferries return after the storm",
        ),
        # a breadcrumb title
        (
            "Speech of the Harbour Master at the quay council",
            "<title>www.harbour.example: The Office / Speeches / Speech of the Harbour Master at"
            " the quay council</title>",
            "Speech of the Harbour Master at the quay council",
        ),
    ],
)
def test_the_title_is_the_headline(heading: str, head: str, title: str) -> None:
    assert page(f"<h1>{heading}</h1><p>{PROSE}</p><p>{PROSE}</p>", head=head).title == title


@pytest.mark.parametrize(
    "title", ["Top 10 tips for ferries", "May 17 people died in floods", "2022 in review: ferries"]
)
def test_a_number_before_the_headline_is_not_a_date(title: str) -> None:
    assert page(f"<h1>{title}</h1><p>{PROSE}</p><p>{PROSE}</p>").title == title


def test_a_blogs_name_in_the_h1_is_not_the_posts_title() -> None:
    article = page(
        '<h1><a href="https://quay.example/blog/">Quay Notes</a></h1>'
        '<h2><a href="https://quay.example/blog/?p=49">The Dredging Vote</a></h2>'
        f"<p>{PROSE}</p><p>{PROSE}</p>",
        head="<title>Quay Notes &raquo; Blog Archive &raquo; The Dredging Vote</title>",
    )
    assert article.title == "The Dredging Vote"


def test_a_reviews_json_ld_names_its_author() -> None:
    ld = '{"@type": "Review", "headline": "Ferry review", "author": {"name": "Ann Lee"}}'
    article = page(
        f"<h1>Ferry review</h1><p>{PROSE}</p><p>{PROSE}</p>",
        head=f'<script type="application/ld+json">{ld}</script>'
        '<meta name="author" content="Quay Publishing Group">',
    )
    assert article.author is not None and article.author.name == "Ann Lee"


def test_visible_byline_and_time_when_there_is_no_metadata() -> None:
    article = page(
        '<article><h1>Dredging Vote</h1><div class="byline">By Ann Lee</div>'
        f'<time datetime="2026-05-06">6 May</time><p>{PROSE}</p><p>{PROSE}</p></article>',
        head="<title>Dredging Vote - Harbour Post</title>",
    )
    assert article.title == "Dredging Vote"
    assert article.author is not None and article.author.name == "Ann Lee"
    assert article.published == datetime(2026, 5, 6, tzinfo=timezone.utc)


def test_placeholder_dates_are_not_dates() -> None:
    ld = '{"@type": "NewsArticle", "headline": "Dredging Vote", "datePublished": "0001-01-01T00:00:00Z"}'
    article = page(
        f"<h1>Dredging Vote</h1><p>{PROSE}</p><p>{PROSE}</p>",
        head=f'<script type="application/ld+json">{ld}</script>'
        '<meta property="article:published_time" content="2026-05-07T10:00:00Z">',
    )
    assert article.published == datetime(2026, 5, 7, 10, tzinfo=timezone.utc)


def test_outlet_at_the_end_of_a_title_without_metadata() -> None:
    article = page(
        f"<p>{PROSE}</p><p>{PROSE}</p>",
        head="<title>Ferries Return To The Harbour - Quayside</title>"
        '<meta name="author" content="Ann Lee, Quayside">',
    )
    assert article.title == "Ferries Return To The Harbour"
    assert article.author is not None and article.author.name == "Ann Lee"


def test_title_keeps_its_own_dashes() -> None:
    article = page(
        f"<p>{PROSE}</p><p>{PROSE}</p>",
        head="<title>Reviews Are Here — And They Are Mixed | Forbes</title>"
        '<meta property="og:site_name" content="Forbes">',
    )
    assert article.title == "Reviews Are Here — And They Are Mixed"


def test_markup_in_text_is_only_text() -> None:
    article = page(f"<p>{PROSE}&lt;script&gt;alert(1)&lt;/script&gt; [b]bold[/b]</p><p>{PROSE}</p>")
    assert "<script>alert(1)</script> [b]bold[/b]" in article.body_text
    assert "\x1b" not in article.body_text


def test_parsing_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a saved page tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    article = page(
        f'<p>{PROSE}<img src="http://127.0.0.1:9/pixel.png" alt="A chart"></p><p>{PROSE}</p>',
        head='<link rel="stylesheet" href="http://127.0.0.1:9/s.css">',
    )
    assert any(block.kind == "image" for block in article.blocks)


def test_feed_html_keeps_links() -> None:
    (block,) = html_to_blocks('<p>See <a href="https://e.example/x">the  report</a>.</p>')
    assert block.text == "See the report."
    assert block.links == (Link(start=4, end=14, url="https://e.example/x"),)


def test_links_outside_the_text_or_overlapping_are_dropped() -> None:
    block = Block(
        kind="paragraph",
        text="short text",
        links=(
            Link(start=0, end=5, url="https://a.example/"),
            Link(start=3, end=8, url="https://b.example/"),  # overlaps the one before
            Link(start=6, end=99, url="https://c.example/"),  # past the end
        ),
    )
    assert [link.url for link in block.links] == ["https://a.example/"]


def test_links_and_direction_survive_the_index(saved: Article) -> None:
    rtl = saved.model_copy(update={"direction": "rtl"})
    record = to_record(rtl, rtl.source.path)
    rebuilt = from_record(
        rtl.source.path,
        record.format,
        record.id,
        record.title,
        record.summary,
        list(record.authors),
        record.body,
        record.published,
        record.meta,
    )
    assert rebuilt.blocks == rtl.blocks and rebuilt.direction == "rtl"
    assert rebuilt.authors == rtl.authors and len(rebuilt.authors) == 2
    assert any(block.links for block in rebuilt.blocks)


def test_a_date_in_the_text_is_found_without_dateparser() -> None:
    """htmldate's extensive search reads dates in the text; its last resort, dateparser, is
    off: its first call takes over a second, loading every locale."""
    script = f"""
import sys
from pathlib import Path
from newstui.core.formats import parse_bytes
body = "<h1>Dredging Vote</h1><p>Quay desk, 3rd of March 2021 at noon</p>" + "<p>{PROSE}</p>" * 2
spelled = "<h1>Dredging Vote</h1><p>Managua, Nicaragua 26, Abril, 2022 7:43</p>" + "<p>{PROSE}</p>" * 2
dated = "<h1>Dredging Vote</h1><p>Veröffentlicht am 12.03.2021</p>" + "<p>{PROSE}</p>" * 2
for html in (body, dated, spelled):
    article = parse_bytes(Path("page.html"), f"<html><body>{{html}}</body></html>".encode()).articles[0]
    print(article.published.date() if article.published else None)
print("dateparser" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    phrase, numeric, _, dateparser_loaded = done.stdout.split()
    assert (phrase, numeric, dateparser_loaded) == ("2021-03-03", "2021-03-12", "False")


@pytest.mark.parametrize(
    ("body", "head"),
    [
        # a link to the author's page
        (
            f'<h1>Dredging Vote</h1><div><a href="/author/kim-park">Kim Park</a></div><p>{PROSE}</p>',
            "",
        ),
        # <meta value=> as some pages write it
        (f"<h1>Dredging Vote</h1><p>{PROSE}</p>", '<meta name="author" value="Kim Park">'),
        # a byline in a "responsive" layout is not in the comments
        (
            f'<div class="responsive-grid"><p class="byline">By <a href="/k">Kim Park</a></p>'
            f"</div><h1>Dredging Vote</h1><p>{PROSE}</p>",
            "",
        ),
        # the elements of a byline are apart
        (
            f'<h1>Dredging Vote</h1><div class="author-name"><span>Kim Park</span>'
            f"<span>Reporter</span></div><p>{PROSE}</p>",
            "",
        ),
    ],
)
def test_where_pages_name_their_author(body: str, head: str) -> None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    assert meta_of(html).authors == ["Kim Park"]


def test_a_handle_after_the_name_goes() -> None:
    assert people(["Kim Park @kimpark", "Bo Chan@bochan"]) == ["Kim Park", "Bo Chan"]


def test_an_author_link_in_the_comments_is_not_the_author() -> None:
    html = (
        '<html><body><h1>Dredging Vote</h1><div class="comments"><a href="/author/bo">Bo Chan'
        f"</a></div><p>{PROSE}</p></body></html>"
    )
    assert meta_of(html).authors == []


def test_a_copyright_year_is_not_the_date() -> None:
    article = page(
        f"<h1>Dredging Vote</h1><p>{PROSE}</p><p>{PROSE}</p><footer>© 2021 Quay</footer>"
    )
    assert article.published is None


def test_curly_and_straight_quotes_are_the_same_headline() -> None:
    article = page(
        f"<h1>Ferries’ return: it’s ‘over’</h1><p>{PROSE}</p><p>{PROSE}</p>",
        head="<title>Ferries' return: it's 'over' | Harbour Post powered by Quay</title>",
    )
    assert article.title == "Ferries’ return: it’s ‘over’"


def test_the_articles_author_field_before_the_pages() -> None:
    html = (
        '<html><head><meta name="author" content="Quay Publishing">'
        '<meta property="article:author" content="Kim Park"></head><body></body></html>'
    )
    assert meta_of(html).authors == ["Kim Park"]


def test_a_user_name_in_meta_is_not_the_author_a_byline_names() -> None:
    html = (
        '<html><head><meta name="sailthru.author" content="kimpark"></head><body>'
        f'<p class="byline">By Kim Park | kim@quay.example</p><p>{PROSE}</p></body></html>'
    )
    assert meta_of(html).authors == ["Kim Park"]


def test_a_label_is_not_a_name() -> None:
    assert people(["Written By", "Interpolated By", "Text von"]) == []


def test_a_json_ld_graphs_author_reference_is_looked_up() -> None:
    graph = (
        '{"@context": "https://schema.org", "@graph": ['
        '{"@type": ["Person", "Organization"], "@id": "https://quay.example/#kim",'
        ' "name": "Kim Park"},'
        '{"@type": "BlogPosting", "headline": "Dredging Vote",'
        ' "author": {"@id": "https://quay.example/#kim"}}]}'
    )
    html = (
        f'<html><head><script type="application/ld+json">{graph}</script></head>'
        f"<body><p>{PROSE}</p></body></html>"
    )
    assert meta_of(html).authors == ["Kim Park"]


def test_a_json_ld_person_named_as_the_site_is_the_author() -> None:
    ld = (
        '{"@type": "BlogPosting", "headline": "Dredging Vote",'
        ' "author": {"@type": "Person", "name": "Kim Park"}}'
    )
    html = (
        f'<html><head><script type="application/ld+json">{ld}</script>'
        '<meta property="og:site_name" content="Kim.example">'
        "<title>Dredging Vote – Kim Park</title></head>"
        f"<body><p>{PROSE}</p></body></html>"
    )
    assert meta_of(html).authors == ["Kim Park"]


def test_a_page_whose_every_line_reads_as_its_byline_keeps_its_text() -> None:
    article = page(
        "<p>By Kim Park</p><p>Kim Park at the quay.</p>",
        head='<meta name="author" content="Kim Park">',
    )
    assert "Kim Park at the quay." in article.body_text
