"""The feed list (newsboat's first screen): every subscription by its title, grouped by
category, with unread/total counts; the highlighted feed's last fetch and error below."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newstui.core.sanitize import clean_line
from newstui.tui.screens.overlay import ListOverlay
from newstui.tui.widgets.cells import fit

if TYPE_CHECKING:
    from newstui.core.fetch.feed_list import FeedList, FeedRow

FRAME = 4  # cells of the list's border and padding


def ago(then: float | None, now: datetime) -> str:
    if then is None:
        return "never"
    seconds = max(0, int(now.timestamp() - then))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return "just now"


def feed_prompt(row: FeedRow, width: int) -> Content:
    """One line, never wrapped: indent, error mark, title (cut to fit), unread/total."""
    depth = len(row.category)
    counts = f"{row.unread:,}/{row.total:,}"
    room = width - 2 * depth - 2 - len(counts) - 1
    title = fit(clean_line(row.title), max(room, 1))
    return Content.assemble(
        "  " * depth,
        ("! " if row.last_error else "  ", "bold $error"),
        (title, "bold" if row.unread else ""),
        " ",
        (counts, "dim"),
    )


def feed_detail(row: FeedRow, now: datetime) -> Content:
    parts = [f"fetched {ago(row.last_success, now)}"]
    if row.last_error:
        parts.append(f"failed {ago(row.last_error_at, now)}: {clean_line(row.last_error)}")
    return Content(clean_line(" · ".join([*parts, row.url])))


class FeedsScreen(ListOverlay["FeedRow | None"]):
    """Picks a feed: dismissed with it, or None."""

    BINDING_GROUP_TITLE = "Feed list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,L", "dismiss(None)", "Close", id="close_overlay"),
    ]

    def __init__(self, feeds: FeedList, current: str | None, now: datetime) -> None:
        super().__init__()
        self.feeds = feeds
        self.current = current  # the folder of the feed the list shows, if one
        self.now = now
        self._width = 0

    def compose(self) -> ComposeResult:
        picker = OptionList(markup=False, id="feeds-list")
        unread = sum(row.unread for row in self.feeds.feeds)
        picker.border_title = f"Feeds ({len(self.feeds.feeds):,}, {unread:,} unread)"
        picker.border_subtitle = "unread/total · enter opens · escape closes"
        yield picker
        yield Static(id="feed-detail", markup=False)

    def on_mount(self) -> None:
        self._fill(self.app.size.width)
        picker = self.query_one(OptionList)
        folders = [option.id for option in picker.options]
        known = self.current is not None and self.current in folders
        picker.highlighted = folders.index(self.current) if known else None
        if picker.highlighted is None and self.feeds.feeds:
            picker.action_first()
        picker.focus()

    def on_resize(self, event: Resize) -> None:
        self._fill(event.size.width)

    def _fill(self, width: int) -> None:
        if width == self._width:
            return
        self._width = width
        picker = self.query_one(OptionList)
        highlighted = picker.highlighted
        picker.clear_options()
        if not self.feeds.feeds:
            hint = "No subscriptions yet: `newstui feeds add URL` (or `feeds import FILE.opml`)."
            picker.add_option(Option(Content(hint), disabled=True))
            return
        shown: tuple[str, ...] = ()
        for row in self.feeds.feeds:
            for depth in range(len(row.category)):  # the categories not shown yet, nested
                if row.category[: depth + 1] != shown[: depth + 1]:
                    name = Content.assemble("  " * depth, (row.category[depth], "bold underline"))
                    picker.add_option(Option(name, disabled=True))
            shown = row.category
            picker.add_option(Option(feed_prompt(row, width - FRAME), id=row.folder))
        picker.highlighted = highlighted

    def row(self, folder: str | None) -> FeedRow | None:
        return next((row for row in self.feeds.feeds if row.folder == folder), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        row = self.row(event.option.id)
        if row is not None:
            self.query_one("#feed-detail", Static).update(feed_detail(row, self.now))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.row(event.option.id))
