"""The scraped-article text format: one test per rule, on fixtures written for newstui."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newstui.core.formats import ArticleError, parse_file

if TYPE_CHECKING:
    from libhelpers import WriteFile

FULL = """\
Harbour Authority Approves Night Ferries After Two-Year Trial

Regulators back a permanent late service between the twin ports, citing safety data and demand.
harbour-night-ferries-approved

Board Votes Seven to Two

The harbour authority voted on Tuesday to make the overnight crossings permanent.

Passenger numbers rose by a third during the trial, according to figures seen by reporters.

"We listened to the crews before we listened to the spreadsheets."

What Happens to the Old Timetable?

The daytime schedule stays as it is until spring, officials said.

"Safety First"

Crews will receive extra training before the winter timetable starts.

Marta Ilves
Marta Ilves

Marta Ilves covers ports and shipping. She previously reported from the Baltic coast.

Read full bio →

You Might Also Like
Dockworkers Agree Pay Deal
Ferry Fares To Rise In January
"""


def kinds(path: Path) -> list[tuple[str, str]]:
    article = parse_file(path).articles[0]
    return [(block.kind, block.text) for block in article.blocks]


def test_full_article_fields(write_file: WriteFile) -> None:
    article = parse_file(write_file("ferries.txt", FULL)).articles[0]
    assert article.title == "Harbour Authority Approves Night Ferries After Two-Year Trial"
    assert article.summary.startswith("Regulators back a permanent late service")
    assert article.slug == article.id == "harbour-night-ferries-approved"
    assert article.author is not None and article.author.name == "Marta Ilves"
    assert article.author.bio == (
        "Marta Ilves covers ports and shipping. She previously reported from the Baltic coast."
    )
    assert article.related == ["Dockworkers Agree Pay Deal", "Ferry Fares To Rise In January"]
    assert article.source.format == "txt"
    assert article.word_count > 40 and article.reading_minutes == 1


def test_headings_quotes_and_paragraphs(write_file: WriteFile) -> None:
    assert kinds(write_file("ferries.txt", FULL)) == [
        ("heading", "Board Votes Seven to Two"),
        ("paragraph", "The harbour authority voted on Tuesday to make the overnight crossings permanent."),
        ("paragraph", "Passenger numbers rose by a third during the trial, according to figures seen by reporters."),
        ("quote", '"We listened to the crews before we listened to the spreadsheets."'),
        ("heading", "What Happens to the Old Timetable?"),
        ("paragraph", "The daytime schedule stays as it is until spring, officials said."),
        ("heading", '"Safety First"'),
        ("paragraph", "Crews will receive extra training before the winter timetable starts."),
    ]  # fmt: skip


def test_crlf_bom_and_stray_spaces(write_file: WriteFile) -> None:
    data = (
        b"\xef\xbb\xbf"
        + "\n".join("  " + line + "  " for line in FULL.splitlines()).replace("\n", "\r\n").encode()
    )
    article = parse_file(write_file("crlf.txt", data)).articles[0]
    assert article.title == "Harbour Authority Approves Night Ferries After Two-Year Trial"
    assert article.slug == "harbour-night-ferries-approved"
    assert kinds(write_file("crlf.txt", data)) == kinds(write_file("lf.txt", FULL))


def test_old_mac_cr_line_endings(write_file: WriteFile) -> None:
    assert kinds(write_file("cr.txt", FULL.replace("\n", "\r"))) == kinds(write_file("l.txt", FULL))


def test_cp1252_bytes_are_decoded(write_file: WriteFile) -> None:
    text = "Café Owners Protest Rent Rises\n\nTraders say “enough” as costs hit £40,000 – again.\n"
    article = parse_file(write_file("cp.txt", text.encode("cp1252"))).articles[0]
    assert article.title == "Café Owners Protest Rent Rises"
    assert article.summary == "Traders say “enough” as costs hit £40,000 – again."


def test_invalid_bytes_never_crash(write_file: WriteFile) -> None:
    article = parse_file(write_file("bad.txt", b"Title \x81\x8d here\n\nBody \xff\xfe text.\n"))
    assert article.articles[0].title.startswith("Title")


def test_utf16_with_and_without_bom(write_file: WriteFile) -> None:
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        path = write_file(f"{encoding}.txt", FULL.encode(encoding))
        assert parse_file(path).articles[0].slug == "harbour-night-ferries-approved"


def test_no_slug_gives_content_id_that_survives_rename(write_file: WriteFile) -> None:
    text = FULL.replace("harbour-night-ferries-approved\n", "")
    first = parse_file(write_file("a.txt", text)).articles[0]
    second = parse_file(write_file("moved/b.txt", text)).articles[0]
    assert first.slug is None
    assert first.id == second.id and first.id.startswith("h-")
    assert first.summary.startswith("Regulators")
    assert first.blocks[0] == first.blocks[0].model_copy(update={"kind": "heading"})


def test_no_author_block(write_file: WriteFile) -> None:
    text = FULL.split("Marta Ilves\n")[0] + "You Might Also Like\n"
    article = parse_file(write_file("x.txt", text)).articles[0]
    assert article.author is None
    assert article.related == []
    assert article.blocks[-1].kind == "paragraph"


def test_single_author_line_with_bio_and_marker(write_file: WriteFile) -> None:
    text = FULL.replace("Marta Ilves\nMarta Ilves\n", "Marta Ilves\n").replace("→", "»")
    article = parse_file(write_file("x.txt", text)).articles[0]
    assert article.author is not None and article.author.name == "Marta Ilves"
    assert article.author.bio is not None and article.author.bio.startswith("Marta Ilves covers")
    assert all("Marta" not in block.text for block in article.blocks)


def test_repeated_name_without_bio_marker(write_file: WriteFile) -> None:
    text = FULL.split("Marta Ilves\n")[0] + "Marta Ilves\nMarta Ilves\n"
    article = parse_file(write_file("x.txt", text)).articles[0]
    assert article.author is not None and article.author.name == "Marta Ilves"
    assert article.author.bio is None


def test_one_sentence_paragraph_is_not_a_heading(write_file: WriteFile) -> None:
    text = "Title\nStandfirst here.\n\nShort but finished.\n\nNot finished either\n"
    assert kinds(write_file("x.txt", text)) == [
        ("paragraph", "Short but finished."),
        ("paragraph", "Not finished either"),  # last block: no body follows, so not a heading
    ]


def test_long_unpunctuated_line_is_a_paragraph(write_file: WriteFile) -> None:
    long_line = " ".join(["word"] * 15)
    text = f"Title\nStandfirst.\n\n{long_line}\n\nBody.\n"
    assert kinds(write_file("x.txt", text))[0] == ("paragraph", long_line)


def test_multi_line_block_joins_with_spaces(write_file: WriteFile) -> None:
    text = "Title\nStandfirst.\n\nFirst line\nsecond line.\n\nEnd.\n"
    assert kinds(write_file("x.txt", text))[0] == ("paragraph", "First line second line.")


def test_plain_headline_first_file_like_the_corpora(write_file: WriteFile) -> None:
    wire = "GRAIN EXPORTS RISE\n\n    PORTVILLE, March 3 - Exports rose\n    sharply this week.\n"
    article = parse_file(write_file("wire.txt", wire)).articles[0]
    assert article.title == "GRAIN EXPORTS RISE"
    assert article.summary == ""
    assert kinds(write_file("wire.txt", wire)) == [
        ("paragraph", "PORTVILLE, March 3 - Exports rose sharply this week.")
    ]
    web = "Markets Rally\n\nShares rose on Monday.\n\nAnalysts were surprised.\n"
    article = parse_file(write_file("web.txt", web)).articles[0]
    assert article.summary == "Shares rose on Monday."
    assert [b.text for b in article.blocks] == ["Analysts were surprised."]


def test_related_list_and_trailing_marker(write_file: WriteFile) -> None:
    text = "Title\nStandfirst.\n\nBody.\n\nYou might also like:\n\nOne\nTwo\n"
    article = parse_file(write_file("x.txt", text)).articles[0]
    assert article.related == ["One", "Two"]
    assert [b.text for b in article.blocks] == ["Body."]


def test_date_comes_from_file_name(write_file: WriteFile) -> None:
    article = parse_file(write_file("2026-10-03-story.txt", FULL)).articles[0]
    assert article.published == datetime(2026, 10, 3, tzinfo=timezone.utc)
    assert parse_file(write_file("story.txt", FULL)).articles[0].published is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n \r\n", "empty file"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary"),
        (("x" * 500 + "\n").encode(), "no headline"),
    ],
)
def test_unusable_files_are_clear_errors(
    write_file: WriteFile, content: bytes, reason: str
) -> None:
    with pytest.raises(ArticleError, match=reason):
        parse_file(write_file("bad.txt", content))


def test_control_sequences_are_stripped_and_markup_stays(write_file: WriteFile) -> None:
    text = (
        "Headline [/x] \x1b[2J\x1b]0;owned\x07[@click=app.quit]\n"
        "Stand\x9b31mfirst [bold]loud[/bold].\n\nBody \u202eevil\x00.\n"
    )
    article = parse_file(write_file("x.txt", text)).articles[0]
    assert article.title == "Headline [/x] [@click=app.quit]"
    assert article.summary == "Standfirst [bold]loud[/bold]."
    assert article.blocks[0].text == "Body evil."


def test_wide_and_rtl_scripts_survive(write_file: WriteFile) -> None:
    text = "東京の市場が反発 📈\nأسواق الخليج ترتفع.\n\nنص المقال هنا.\n"
    article = parse_file(write_file("x.txt", text)).articles[0]
    assert article.title == "東京の市場が反発 📈"
    assert article.summary == "أسواق الخليج ترتفع."


def test_a_long_line_under_the_headline_is_the_body_not_the_standfirst(
    write_file: WriteFile,
) -> None:
    body = (
        "The ferry left at dawn with forty passengers aboard. The sea was calm until noon. "
        "Then the wind rose from the west and the captain turned back for the harbour, "
        "where the families waited on the quay until the boat came in late that evening."
    )
    article = parse_file(write_file("ferry.txt", f"Ferry Turns Back\n\n{body}\n")).articles[0]
    assert article.summary == ""
    assert [block.text for block in article.blocks] == [body]
    two = "The ferry turned back. Nobody was hurt."
    article = parse_file(write_file("f.txt", f"Ferry\n\n{two}\n\n{body}\n")).articles[0]
    assert article.summary == two
    assert [block.text for block in article.blocks] == [body]
