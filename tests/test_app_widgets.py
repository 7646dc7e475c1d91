"""The reader's widgets on their own, over an in-memory row source (no library)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from rich.cells import cell_len
from textual.app import App, ComposeResult

from conftest import PINNED_NOW
from newstui.core.library import ArticleRow
from newstui.core.models import Article, Block, Source
from newstui.tui.widgets.article_list import ArticleList, focus_snippet, split_snippet
from newstui.tui.widgets.cells import fit, progress_glyph
from newstui.tui.widgets.reader import MEASURE, layout_article


class FakeRows:
    """`count` rows made up on demand; records every window asked for."""

    lines_per_row = 1
    empty_message = "nothing"

    def __init__(self, count: int) -> None:
        self.total = count
        self.windows: list[tuple[int, int]] = []

    def count(self) -> int:
        return self.total

    def rows(self, offset: int, limit: int) -> Sequence[ArticleRow]:
        self.windows.append((offset, limit))
        end = min(self.total, offset + limit)
        return [self.row(i) for i in range(offset, end)]

    def row(self, i: int) -> ArticleRow:
        when = datetime(2026, 1, 1, tzinfo=timezone.utc)
        return ArticleRow(
            i,
            f"a{i}",
            f"Title {i}",
            "Someone",
            when,
            f"/x/{i}.txt",
            "txt",
            100,
            i % 2 == 0,
            False,
            0.0,
        )

    def index_of(self, article_id: str) -> int | None:
        return int(article_id[1:]) if article_id[1:].isdigit() else None

    def snippet(self, index: int) -> str | None:
        return None


class ListApp(App[None]):
    def __init__(self, source: FakeRows, now: datetime = PINNED_NOW) -> None:
        super().__init__()
        self.source = source
        self.now = now

    def compose(self) -> ComposeResult:
        yield ArticleList(self.source, clock=lambda: self.now)

    def on_mount(self) -> None:
        self.query_one(ArticleList).reload()


async def test_only_the_visible_window_is_fetched() -> None:
    source = FakeRows(100_000)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        articles = app.query_one(ArticleList)
        assert articles.row_count == 100_000
        assert articles.virtual_size.height == 100_000
        assert source.windows == [(0, 100)]
        await pilot.press("end")
        await pilot.pause()
        assert articles.cursor == 99_999
        assert source.windows == [(0, 100), (99_900, 100)]
        assert "Title 99999" in articles.render_line(articles.size.height - 1).text


async def test_reload_keeps_the_selection_by_id() -> None:
    source = FakeRows(500)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        articles = app.query_one(ArticleList)
        articles.cursor = 250
        source.total = 1000
        articles.reload("a250")
        assert articles.cursor == 250 and articles.current_id == "a250"
        assert articles.row_count == 1000


async def test_the_list_dates_rows_by_the_clock_it_is_handed() -> None:
    """A date of this year shows its day; another year's its year, by the app's clock."""
    lines = []
    for now in (
        datetime(2026, 12, 1, tzinfo=timezone.utc),
        datetime(2027, 3, 1, tzinfo=timezone.utc),
    ):
        app = ListApp(FakeRows(3), now)
        async with app.run_test(size=(40, 24)) as pilot:
            await pilot.pause()
            lines.append(app.query_one(ArticleList).render_line(0).text)  # narrow: short dates
    assert "01 Jan" in lines[0] and "2026" not in lines[0]
    assert "Jan 2026" in lines[1]


def test_fit_counts_cells_not_characters() -> None:
    assert fit("東京で大雪", 6) == "東京 …"  # a wide character never splits: pad instead
    assert cell_len(fit("東京で大雪", 7)) == 7
    assert fit("abc", 5) == "abc  "
    assert fit("🚆 train", 4) == "🚆 …"
    assert progress_glyph(0) == " " and progress_glyph(1.0) == "█"


def test_snippet_markers_become_runs_and_the_match_stays_visible() -> None:
    runs = split_snippet("before \x02match\x03 after")
    assert runs == [("before ", False), ("match", True), (" after", False)]
    long = split_snippet("x" * 100 + " \x02hit\x03")
    focused = focus_snippet(long, 20)
    assert focused[0][0].startswith("…") and focused[1] == ("hit", True)


def test_layout_wraps_to_the_measure_and_sets_quotes_apart() -> None:
    article = Article(
        id="a",
        title="A headline",
        summary="A standfirst.",
        blocks=[
            Block(kind="paragraph", text="word " * 60),
            Block(kind="quote", text='"A pull quote that is set apart."'),
            Block(kind="heading", text="A heading"),
            Block(kind="list_item", text="first"),
            Block(kind="list_item", text="second"),
            Block(kind="image", text="a harbour", url="http://example.com/h.jpg"),
            Block(kind="code", text="print('[b]x[/b]')"),
        ],
        source=Source(path="/x/a.txt", format="txt"),
    )
    lines = layout_article(article, MEASURE)
    assert all(
        line.content.cell_length + line.indent + len(line.prefix) <= MEASURE for line in lines
    )
    text = [line.prefix + line.content.plain for line in lines]
    assert any(t.startswith("┃ ") and "pull quote" in t for t in text)
    assert "• first" in text and "• second" in text
    assert "[image 1: a harbour]" in text
    assert "[1] http://example.com/h.jpg" in text  # the URL whole, in the links at the end
    assert "print('[b]x[/b]')" in text
    assert {line.block for line in lines if "word" in line.content.plain} == {0}


def test_right_to_left_paragraphs_are_set_flush_right_and_others_are_not() -> None:
    article = Article(
        id="rtl",
        title="מזג האוויר בנמל",
        source=Source(path="x.json", format="json"),
        blocks=[
            Block(kind="paragraph", text="הספינות נכנסו לנמל עם שחר, אמר מנהל הנמל."),
            Block(kind="paragraph", text="The English line stays on the left."),
            Block(kind="paragraph", text="2026"),  # no strong letter: the article's way
        ],
        direction="rtl",
    )
    lines = layout_article(article, 60)
    by_block = {line.block: line for line in lines if line.content.plain.strip()}
    hebrew, english, number = by_block[0], by_block[1], by_block[2]
    assert hebrew.indent + hebrew.content.cell_length == 60
    assert english.indent == 0
    assert number.indent + number.content.cell_length == 60
    headline = lines[0]
    assert headline.indent + headline.content.cell_length == 60


def test_a_standfirst_the_text_opens_with_is_shown_once() -> None:
    body = [
        Block(kind="paragraph", text="The harbour opened its new quay on Friday."),
        Block(kind="paragraph", text="Ferries will berth there from June."),
    ]
    source = Source(path="x.json", format="json")

    def standfirst(summary: str) -> str:
        return Article(id="s", title="Quay", summary=summary, source=source, blocks=body).standfirst

    assert standfirst("The harbour opened its new quay on Friday. Ferries will […]") == ""
    assert standfirst("The harbour opened its new quay on Friday… Read more") == ""
    assert (
        standfirst(
            "The harbour opened its new quay on Friday. The post Quay appeared first on Port News."
        )
        == ""
    )
    assert standfirst("A new quay for the ferries.") == "A new quay for the ferries."
