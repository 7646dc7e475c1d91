"""The reader pane: one article laid out for reading, with its place remembered.

A line-API `ScrollView`: the article is wrapped once per width into `ReaderLine`s (each
knowing the block it came from), so the reading position can be kept as a block index
across resizes and restarts. Every string from the article is `Content`, never markup.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer

from newstui.core.links import IMAGE, numbered_links
from newstui.tui.widgets.cells import spelled_date

if TYPE_CHECKING:
    from newstui.core.models import Article, Block

MEASURE = 76
"""Widest line of body text, in cells: a comfortable reading measure."""
SAVE_DELAY = 0.4
"""Seconds of stillness before a new reading position is reported."""
END_FRACTION = 0.995
HEADER_BLOCK = -1
QUOTE_BAR = "┃ "
BULLET = "• "


class ReaderLine(NamedTuple):
    content: Content
    component: str
    block: int
    indent: int = 0
    prefix: str = ""
    prefix_component: str = ""


def byline_text(article: Article) -> str:
    parts: list[str] = []
    if article.author:
        parts.append(article.author.name)
    if article.published:
        parts.append(spelled_date(article.published))
    if article.reading_minutes:
        parts.append(f"{article.reading_minutes} min read")
    return " · ".join(parts)


def layout_article(article: Article, measure: int) -> list[ReaderLine]:
    """Wrap `article` into lines at most `measure` cells wide."""
    lines: list[ReaderLine] = []
    blank = ReaderLine(Content(""), "reader--paragraph", HEADER_BLOCK)

    links = numbered_links(article)
    numbers = {(link.block, link.in_block): link.number for link in links}

    def add(
        text: str | Content,
        component: str,
        block: int,
        indent: int = 0,
        prefix: str = "",
        prefix_component: str = "",
        first_prefix: str | None = None,
    ) -> None:
        width = max(8, measure - indent - len(prefix))
        content = text if isinstance(text, Content) else Content(text)
        flush_right = not prefix and right_to_left(content.plain, article.direction == "rtl")
        for number, line in enumerate(content.wrap(width)):
            shown_prefix = first_prefix if first_prefix is not None and number == 0 else prefix
            shift = width - line.cell_length if flush_right else 0
            lines.append(
                ReaderLine(line, component, block, indent + shift, shown_prefix, prefix_component)
            )

    def gap(block: int) -> None:
        lines.append(ReaderLine(Content(""), "reader--paragraph", block))

    add(article.title, "reader--headline", HEADER_BLOCK)
    lines.append(blank)
    if article.standfirst:
        add(article.standfirst, "reader--standfirst", HEADER_BLOCK)
        lines.append(blank)
    byline = byline_text(article)
    if byline:
        add(byline, "reader--byline", HEADER_BLOCK)
    if article.source.name:  # where it came from: newsboat's "Feed:" and "Link:"
        label = "Feed: " if article.feed else "Source: "
        add(Content.assemble((label, "bold"), article.source.name), "reader--byline", HEADER_BLOCK)
    if article.url:  # whole on its own lines (folded, never wrapped at a "/")
        url = (article.url, link_style(article.url)) if linkable(article.url) else article.url
        for piece in Content.assemble(("Link: ", "bold"), url).fold(max(8, measure)):
            lines.append(ReaderLine(piece, "reader--byline", HEADER_BLOCK))
    for link in (link for link in links if link.is_enclosure):  # podcasts: one key away
        add(f"▶ {link.text} [{link.number}]", "reader--byline", HEADER_BLOCK)
    lines.append(ReaderLine(Content("─" * measure), "reader--rule", HEADER_BLOCK))
    lines.append(blank)
    blocks = article.blocks
    for index, block in enumerate(blocks):
        kind = block.kind
        text = linked_text(block, index, numbers) if block.links else block.text
        if kind == "heading":
            add(text, "reader--heading", index)
        elif kind == "quote":
            add(text, "reader--quote", index, 2, QUOTE_BAR, "reader--quote-bar")
        elif kind == "list_item":
            add(text, "reader--list-item", index, 0, "  ", "reader--bullet", BULLET)
            if index + 1 < len(blocks) and blocks[index + 1].kind == "list_item":
                continue
        elif kind == "code":
            for code_line in block.text.split("\n"):
                for piece in Content(code_line.expandtabs(4)).fold(max(8, measure - 2)):
                    lines.append(ReaderLine(piece, "reader--code", index, 2))
        elif kind == "image":
            number = numbers.get((index, IMAGE))
            label = f"[image {number}: " if number else "[image: "
            add(label + (block.text or "picture") + "]", "reader--image", index)
        else:
            add(text, "reader--paragraph", index)
        gap(index)
    end = len(blocks)
    lines.append(ReaderLine(Content("· · ·"), "reader--end", end, (measure - 5) // 2))
    if links:  # each URL whole on its own lines (folded, never wrapped at a "/")
        lines.append(ReaderLine(Content(""), "reader--paragraph", end))
        lines.append(ReaderLine(Content("Links (1-9 or l to pick)"), "reader--heading", end))
        for link in links:
            mark = (f"[{link.number}] " + (f"{link.text} " if link.is_enclosure else ""), "dim")
            listed = Content.assemble(mark, (link.url, link_style(link.url)))
            for piece in listed.fold(max(8, measure)):
                lines.append(ReaderLine(piece, "reader--link", end))
    return lines


def right_to_left(text: str, default: bool) -> bool:
    """Whether `text` runs right to left: its first strong character is Arabic, Hebrew,
    Persian...; text without one (numbers, punctuation) follows the article (`default`)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return default


def linkable(url: str) -> bool:
    """A URL the terminal may be given as a hyperlink: one of the schemes an article keeps."""
    from newstui.core.models import LINK_SCHEMES  # (loaded already: there is an article)

    return url.partition(":")[0].lower() in LINK_SCHEMES and url.isprintable()


def link_style(url: str) -> Style:
    """Underlined, and a hyperlink (OSC 8) where the terminal supports one."""
    return Style(underline=True, link=url)


def linked_text(block: Block, index: int, numbers: dict[tuple[int, int], int]) -> Content:
    """The block's text with each link underlined (a hyperlink) and its number after it."""
    parts: list[str | tuple[str, Style | str]] = []
    at = 0
    for number, link in enumerate(block.links):
        parts.append(block.text[at : link.start])
        parts.append((block.text[link.start : link.end], link_style(link.url)))
        parts.append((f"[{numbers[(index, number)]}]", "dim"))
        at = link.end
    parts.append(block.text[at:])
    return Content.assemble(*parts)


RESTORE_TRIES = 10  # frames to wait for the pane's layout before resuming a reading position


class ReaderPane(ScrollView, can_focus=True, inherit_bindings=False):
    """Headline, standfirst, byline and body, centred at a reading measure."""

    BINDING_GROUP_TITLE = "Reader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_lines(1)", "Down", show=False, id="cursor_down"),
        Binding("up,k", "scroll_lines(-1)", "Up", show=False, id="cursor_up"),
        Binding("g,home", "top", "Top", show=False, id="top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="bottom"),
        Binding("q", "screen.back", "Back to the list", show=False, id="reader_back"),
        Binding("l", "screen.links(0)", "Links (1-9 picks one)", show=False, id="links"),
        *(
            Binding(str(n), f"screen.links({n})", show=False, id=f"link_{n}", tooltip=f"Link {n}")
            for n in range(1, 10)
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--headline",
        "reader--standfirst",
        "reader--byline",
        "reader--rule",
        "reader--heading",
        "reader--paragraph",
        "reader--quote",
        "reader--quote-bar",
        "reader--list-item",
        "reader--bullet",
        "reader--code",
        "reader--image",
        "reader--link",
        "reader--end",
        "reader--placeholder",
    }

    class PositionChanged(Message):
        """The reader settled at a new place in an article."""

        def __init__(
            self, reader: ReaderPane, article_id: str, position: float, block: int
        ) -> None:
            super().__init__()
            self.reader = reader
            self.article_id = article_id
            self.position = position
            self.block = block

        @property
        def control(self) -> ReaderPane:
            return self.reader

    class ReachedEnd(Message):
        """The end of the article is on screen."""

        def __init__(self, reader: ReaderPane, article_id: str) -> None:
            super().__init__()
            self.reader = reader
            self.article_id = article_id

        @property
        def control(self) -> ReaderPane:
            return self.reader

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.placeholder = "Choose an article and press enter to read it."
        self._lines: list[ReaderLine] = []
        self._block_line: dict[int, int] = {}
        self._layout_width = 0
        self._pending: tuple[float, int] | None = None
        self._restore_tries = 0
        self._end_posted = False
        self._save_timer: Timer | None = None
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(256)
        self._placeholder_lines: tuple[tuple[str, int], list[Content]] = (("", 0), [])

    # --- public API -----------------------------------------------------------------------

    @property
    def article_id(self) -> str | None:
        return self.article.id if self.article else None

    @property
    def lines(self) -> list[ReaderLine]:
        return self._lines

    @property
    def text(self) -> str:
        """The laid-out article as plain text (for tests and copying)."""
        return "\n".join(line.prefix + line.content.plain for line in self._lines)

    def show(
        self,
        article: Article | None,
        position: float = 0.0,
        block: int = 0,
        placeholder: str | None = None,
    ) -> None:
        """Show `article`, resuming at `position` (fraction) or, better, at `block`."""
        self.flush_position()
        self.article = article
        if placeholder is not None:
            self.placeholder = placeholder
        self._end_posted = False
        self._pending = (position, block) if article else None
        self._restore_tries = 0
        self._layout_width = 0
        self.scroll_to(y=0, animate=False, immediate=True)  # (deferred, it could undo a resume)
        self._relayout()

    def position(self) -> tuple[float, int]:
        """(fraction read, first visible block) of the current article."""
        if self._pending is not None:
            return self._pending
        max_y = self.max_scroll_y
        fraction = 1.0 if max_y <= 0 else min(1.0, self.scroll_y / max_y)
        return round(fraction, 4), self.top_block()

    def top_block(self) -> int:
        if not self._lines:
            return 0
        top = min(int(self.scroll_y), len(self._lines) - 1)
        return max(0, self._lines[top].block)

    def flush_position(self) -> None:
        """Report the current position now (e.g. before leaving the article)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.article is not None and self._lines:
            fraction, block = self.position()
            self.post_message(self.PositionChanged(self, self.article.id, fraction, block))

    # --- actions --------------------------------------------------------------------------

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_y + lines, animate=False)

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 2)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # --- layout ---------------------------------------------------------------------------

    def _measure(self, width: int) -> int:
        return max(10, min(MEASURE, width - 2))

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._layout_width:
            return
        anchor: tuple[int, int] | None = None
        if self._lines and self._pending is None:
            top = min(int(self.scroll_y), len(self._lines) - 1)
            block = self._lines[top].block
            anchor = (block, top - self._block_line.get(block, top))
        self._layout_width = width
        self._strips.clear()
        if self.article is None:
            self._lines = []
        else:
            self._lines = layout_article(self.article, self._measure(width))
        self._block_line = {}
        for number, line in enumerate(self._lines):
            self._block_line.setdefault(line.block, number)
        self.virtual_size = Size(width, len(self._lines))
        if anchor is not None:
            block, offset = anchor
            first, last = self._block_span(block)
            self.call_after_refresh(self._scroll_to_line, min(first + offset, last))
        elif self._pending is not None:
            self.call_after_refresh(self._restore)
        self._update_progress()
        self.refresh()

    def _block_span(self, block: int) -> tuple[int, int]:
        """First and last line of `block`."""
        first = last = self._block_line.get(block, 0)
        while last + 1 < len(self._lines) and self._lines[last + 1].block == block:
            last += 1
        return first, last

    def _scroll_to_line(self, y: int) -> None:
        self.scroll_to(y=y, animate=False, immediate=True, force=True)
        self._update_progress()

    def _restore(self) -> None:
        if self._pending is None:
            return
        position, block = self._pending
        by_fraction = round(position * self.max_scroll_y)
        if position >= END_FRACTION:
            y = self.max_scroll_y
        elif block > 0 and block in self._block_line:
            # The block is the anchor; the fraction refines it when it lands inside the block.
            first, last = self._block_span(block)
            y = by_fraction if first <= by_fraction <= last else first
        else:
            y = by_fraction
        if y > self.max_scroll_y and self._restore_tries < RESTORE_TRIES:
            # The new lines are not laid out yet (the pane is still being sized): scrolling
            # now would stop at the top and lose the place. Try again after the next frame.
            self._restore_tries += 1
            self.call_after_refresh(self._restore)
            return
        self._pending = None
        # At once, not at the next refresh (a relayout in between would anchor on the top),
        # and forced: Textual allows scrolling only once it has shown the scrollbar, which
        # can be a frame after the lines are laid out.
        self.scroll_to(y=y, animate=False, immediate=True, force=True)
        self._update_progress()

    def on_resize(self) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) == round(new_value) or self._pending is not None:
            return
        self._update_progress()
        if self.article is not None:
            if self._save_timer is not None:
                self._save_timer.stop()
            self._save_timer = self.set_timer(SAVE_DELAY, self.flush_position)

    def _update_progress(self) -> None:
        if self.article is None or not self._lines:
            self.border_subtitle = ""
            return
        fraction, _block = self.position()
        self.border_subtitle = f"{round(fraction * 100)}%"
        if fraction >= END_FRACTION and not self._end_posted and self._pending is None:
            self._end_posted = True
            self.post_message(self.ReachedEnd(self, self.article.id))

    # --- rendering ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        number = self.scroll_offset.y + y
        key = (number, width)
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        base = self.rich_style
        if self.article is None:
            strip = self._placeholder_line(y, width)
        elif number >= len(self._lines):
            strip = Strip.blank(width, base)
        else:
            line = self._lines[number]
            margin = max(0, (width - self._measure(width)) // 2) + line.indent
            segments = [Segment(" " * margin, base)]
            if line.prefix:
                prefix_style = self.get_visual_style(line.prefix_component).rich_style
                segments.append(Segment(line.prefix, prefix_style))
            segments.extend(line.content.render_segments(self.get_visual_style(line.component)))
            strip = Strip(segments).adjust_cell_length(width, base)
        self._strips.set(key, strip)
        return strip

    def _placeholder_line(self, y: int, width: int) -> Strip:
        base = self.rich_style
        key = (self.placeholder, width)
        if self._placeholder_lines[0] != key:
            wrapped = Content(self.placeholder).wrap(max(1, width - 2), align="center")
            self._placeholder_lines = (key, wrapped)
        lines = self._placeholder_lines[1]
        if not 1 <= y <= len(lines):
            return Strip.blank(width, base)
        style = self.get_visual_style("reader--placeholder")
        segments = [Segment(" ", base), *lines[y - 1].render_segments(style)]
        return Strip(segments).adjust_cell_length(width, base)
