"""The article list: a line-API `ScrollView` that only ever fetches the rows on screen.

Rows come from a `RowSource` (the library listing or search hits) a page at a time into a
small LRU cache, so 100k articles cost the same to show and to move through as 100.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newstui.core.clock import Clock
from newstui.core.index.listing import MARK_END, MARK_START
from newstui.tui.widgets.cells import ELLIPSIS, clip, fit, iso_date, progress_glyph, short_date

if TYPE_CHECKING:
    from newstui.core.library import ArticleRow
    from newstui.core.sources import RowSource

PAGE_SIZE = 100
MAX_PAGES = 12
UNREAD_MARK = "●"
STAR_MARK = "★"


class ArticleList(ScrollView, can_focus=True, inherit_bindings=False):
    """Unread marker, star, progress, title, author and date for each article."""

    BINDING_GROUP_TITLE = "Article list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("enter", "open", "Open", id="open"),
        Binding("g,home", "top", "First", show=False, id="top"),
        Binding("G,end", "bottom", "Last", show=False, id="bottom"),
        Binding(
            "right_square_bracket", "page(1)", "List page down", show=False, id="list_page_down"
        ),
        Binding("left_square_bracket", "page(-1)", "List page up", show=False, id="list_page_up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--row",
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--unread",
        "article-list--read",
        "article-list--marker",
        "article-list--star",
        "article-list--progress",
        "article-list--author",
        "article-list--date",
        "article-list--snippet",
        "article-list--match",
        "article-list--empty",
    }

    cursor: var[int] = var(0, init=False)
    """Index of the highlighted row."""

    class Highlighted(Message):
        """The cursor moved onto an article."""

        def __init__(self, article_list: ArticleList, article_id: str | None, index: int) -> None:
            super().__init__()
            self.article_list = article_list
            self.article_id = article_id
            self.index = index

        @property
        def control(self) -> ArticleList:
            return self.article_list

    class Opened(Message):
        """The reader asked to open the highlighted article."""

        def __init__(self, article_list: ArticleList, article_id: str) -> None:
            super().__init__()
            self.article_list = article_list
            self.article_id = article_id

        @property
        def control(self) -> ArticleList:
            return self.article_list

    def __init__(
        self,
        source: RowSource,
        *,
        clock: Clock,
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source = source
        self._count = 0
        self._pages: OrderedDict[int, list[ArticleRow]] = OrderedDict()
        self._strips: LRUCache[tuple[int, int, int, int], Strip] = LRUCache(512)
        self._styles: dict[tuple[int, str], Style] = {}
        self._highlighted_id: str | None = None
        self._clock = clock  # the app's: "this year" is read at each reload, never here alone
        self._this_year = clock().year

    # --- data -----------------------------------------------------------------------------

    @property
    def source(self) -> RowSource:
        return self._source

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def current_row(self) -> ArticleRow | None:
        return self.row_at(self.cursor)

    @property
    def current_id(self) -> str | None:
        row = self.current_row
        return row.id if row else None

    def row_at(self, index: int) -> ArticleRow | None:
        if not 0 <= index < self._count:
            return None
        number, offset = divmod(index, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = list(self._source.rows(number * PAGE_SIZE, PAGE_SIZE))
            self._pages[number] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def set_source(self, source: RowSource, keep_id: str | None = None) -> None:
        """Show another listing (sort, filter, search results), keeping `keep_id` if present."""
        self._source = source
        self.reload(keep_id)

    def reload(self, keep_id: str | None = None) -> None:
        """Drop cached rows and count again; the cursor follows `keep_id` when it is listed."""
        self._pages.clear()
        self._strips.clear()
        self._this_year = self._clock().year
        self._count = self._source.count()
        self._update_virtual_size()
        index = self._source.index_of(keep_id) if keep_id else None
        if index is None:
            index = min(self.cursor, max(0, self._count - 1))
        self.set_reactive(ArticleList.cursor, index)
        self._after_cursor_move(None, index)
        self.refresh()

    def loaded_row(self, article_id: str) -> ArticleRow | None:
        """The row of `article_id` if it is among the rows fetched so far (no query)."""
        for page in self._pages.values():
            for row in page:
                if row.id == article_id:
                    return row
        return None

    def patch_row(self, article_id: str, **changes: Any) -> None:
        """Show a new read/star/progress value for one article without a reload."""
        self.patch_rows({article_id}, **changes)

    def patch_rows(self, article_ids: set[str], **changes: Any) -> None:
        """The same for several articles, among the rows fetched so far."""
        if not article_ids:
            return
        for page in self._pages.values():
            for i, row in enumerate(page):
                if row.id in article_ids:
                    page[i] = row._replace(**changes)
        self._strips.clear()
        self.refresh()

    def select_id(self, article_id: str) -> bool:
        index = self._source.index_of(article_id)
        if index is None:
            return False
        self.cursor = index
        return True

    # --- cursor ---------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self._count - 1)) if self._count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._after_cursor_move(old, new)

    def _after_cursor_move(self, old: int | None, new: int) -> None:
        lines = self._source.lines_per_row
        if old is not None:
            self.refresh_lines(old * lines, lines)
        self.refresh_lines(new * lines, lines)
        self.scroll_to_cursor()
        row = self.row_at(new)
        article_id = row.id if row else None
        if article_id != self._highlighted_id:
            self._highlighted_id = article_id
            self.post_message(self.Highlighted(self, article_id, new))

    def scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        lines = self._source.lines_per_row
        top = self.cursor * lines
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + lines > self.scroll_y + height:
            self.scroll_to(y=top + lines - height, animate=False)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_top(self) -> None:
        self.cursor = 0

    def action_bottom(self) -> None:
        self.cursor = max(0, self._count - 1)

    def action_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // self._source.lines_per_row - 1)
        self.cursor += direction * rows

    def action_open(self) -> None:
        article_id = self.current_id
        if article_id is not None:
            self.post_message(self.Opened(self, article_id))

    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("row")
        if not isinstance(index, int):
            return
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_open()
        else:
            self.cursor = index

    # --- rendering ------------------------------------------------------------------------

    def _update_virtual_size(self) -> None:
        height = max(1, self._count * self._source.lines_per_row)
        self.virtual_size = Size(self.scrollable_content_region.width, height)

    def on_resize(self) -> None:
        self._strips.clear()
        self._update_virtual_size()
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        self._strips.clear()
        self._styles.clear()
        super().notify_style_update()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh_lines(self.cursor * self._source.lines_per_row, self._source.lines_per_row)

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh_lines(self.cursor * self._source.lines_per_row, self._source.lines_per_row)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        lines = self._source.lines_per_row
        index, sub = divmod(line, lines)
        if self._count == 0:
            return self._render_empty(y, width)
        if index >= self._count:
            return Strip.blank(width, self.get_visual_style("article-list--row").rich_style)
        mode = 0 if index != self.cursor else (1 if self.has_focus else 2)
        key = (index, sub, width, mode)
        strip = self._strips.get(key)
        if strip is None:
            row = self.row_at(index)
            if row is None:
                strip = Strip.blank(width, self.get_visual_style("article-list--row").rich_style)
            elif sub == 0:
                strip = self._render_row(row, width, mode)
            else:
                strip = self._render_snippet(index, width, mode)
            strip = strip.apply_meta({"row": index})
            self._strips.set(key, strip)
        return strip

    def _row_style(self, mode: int) -> Style:
        style = self._styles.get((mode, ""))
        if style is None:
            if mode == 1:
                visual = self.get_visual_style("article-list--row", "article-list--cursor")
            elif mode == 2:
                visual = self.get_visual_style("article-list--row", "article-list--cursor-blurred")
            else:
                visual = self.get_visual_style("article-list--row")
            style = self._styles[(mode, "")] = visual.rich_style
        return style

    def _part(self, base: Style, component: str, mode: int) -> Style:
        """`base` plus a column's own style; the cursor row keeps only text attributes."""
        key = (mode, component)
        style = self._styles.get(key)
        if style is None:
            partial = self.get_component_rich_style(component, partial=True)
            if mode:
                partial = Style(bold=partial.bold, italic=partial.italic, dim=partial.dim)
            style = self._styles[key] = base + partial
        return style

    def _render_row(self, row: ArticleRow, width: int, mode: int) -> Strip:
        base = self._row_style(mode)
        show_date = width >= 30
        wide_date = width >= 56
        if not show_date:
            date_text = ""
        elif wide_date:
            date_text = iso_date(row.published)
        else:
            date_text = short_date(row.published, self._this_year)
        date_width = (10 if wide_date else 8) if show_date else 0
        author_width = min(22, (width - 4) // 4) if width >= 60 else 0
        title_width = width - 4 - (date_width + 1 if date_width else 0)
        title_width -= author_width + 1 if author_width else 0
        title_style = "article-list--read" if row.read else "article-list--unread"
        segments = [
            Segment(
                " " if row.read else UNREAD_MARK, self._part(base, "article-list--marker", mode)
            ),
            Segment(
                STAR_MARK if row.starred else " ", self._part(base, "article-list--star", mode)
            ),
            Segment(progress_glyph(row.position), self._part(base, "article-list--progress", mode)),
            Segment(" ", base),
            Segment(fit(row.title, title_width), self._part(base, title_style, mode)),
        ]
        if author_width:
            segments.append(Segment(" ", base))
            segments.append(
                Segment(
                    fit(row.author or "", author_width),
                    self._part(base, "article-list--author", mode),
                )
            )
        if date_width:
            segments.append(Segment(" ", base))
            segments.append(
                Segment(
                    fit(date_text.rjust(date_width), date_width),
                    self._part(base, "article-list--date", mode),
                )
            )
        return Strip(segments).adjust_cell_length(width, base)

    def _render_snippet(self, index: int, width: int, mode: int) -> Strip:
        base = self._row_style(mode)
        text_style = self._part(base, "article-list--snippet", mode)
        match_style = text_style + self.get_component_rich_style(
            "article-list--match", partial=True
        )
        segments = [Segment("    ", base)]
        budget = max(0, width - 4)
        for text, matched in focus_snippet(
            split_snippet(self._source.snippet(index) or ""), budget
        ):
            if budget <= 0:
                break
            piece = clip(text, budget)
            segments.append(Segment(piece, match_style if matched else text_style))
            budget -= cell_len(piece)
        return Strip(segments).adjust_cell_length(width, base)

    def _render_empty(self, y: int, width: int) -> Strip:
        style = self.get_visual_style("article-list--row").rich_style
        if y != 0:
            return Strip.blank(width, style)
        message = self._source.empty_message
        empty = self._part(style, "article-list--empty", 0)
        return Strip([Segment(" " + fit(message, width - 1), empty)]).adjust_cell_length(
            width, style
        )


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """Split a search snippet at its match markers into (text, matched) runs."""
    runs: list[tuple[str, bool]] = []
    matched = False
    text = ""
    for char in snippet.replace("\n", " "):
        if char in (MARK_START, MARK_END):
            if text:
                runs.append((text, matched))
            text = ""
            matched = char == MARK_START
        else:
            text += char
    if text:
        runs.append((text, matched))
    return runs


def focus_snippet(runs: list[tuple[str, bool]], width: int) -> list[tuple[str, bool]]:
    """Drop leading text so the first match shows within `width` cells."""
    position = next((i for i, (_text, matched) in enumerate(runs) if matched), None)
    if position is None:
        return runs
    before = sum(cell_len(text) for text, _matched in runs[:position])
    if before + cell_len(runs[position][0]) <= width:
        return runs
    lead = "".join(text for text, _ in runs[:position])
    keep = max(0, width // 3 - 1)
    tail = lead[len(lead) - keep :] if keep else ""
    return [(ELLIPSIS + tail, False), *runs[position:]]
