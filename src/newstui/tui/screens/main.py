"""The main screen: article list | reader | author over related stories, status and footer.

The screen owns the reading session for the widgets: it sets their data (attributes down)
and handles their messages (messages up). Every job that touches the disk is a thread
worker here that reports back with a typed message (`tui.messages`), and does its work
through `core` (`ReadingSession`, `Library`); state writes are queued (`StateWriter`), so
no key ever waits for the disk or for another process.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.lazy import Lazy
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from newstui.core.clock import Clock
from newstui.core.config import Settings
from newstui.core.index.listing import SORTS, ArticleRow, Sort
from newstui.core.index.summary import Problem
from newstui.core.jobs import Jobs
from newstui.core.library import QueryError, shown_filter, shown_name
from newstui.core.paths import AppPaths
from newstui.core.reading import ReadingSession, find_unread
from newstui.core.sanitize import clean_line
from newstui.core.sources import HitRows, LibraryRows, RowSource
from newstui.core.state.store import ArticleState
from newstui.core.state.writer import StateWriter
from newstui.tui.messages import (
    ArticleLoaded,
    AuthorLoaded,
    CommandFinished,
    CountsLoaded,
    FeedListLoaded,
    FeedProblemsLoaded,
    FeedStep,
    FetchFinished,
    FetchProgress,
    FilesChanged,
    FoldersLoaded,
    LibraryWanted,
    LinkOpened,
    LinkResolved,
    MarksSaved,
    RefreshCommitted,
    RefreshFinished,
    RefreshProgress,
    RelatedLoaded,
    RowsCollected,
    SearchFailed,
    SearchFinished,
    StateWriteFailed,
    StateWriteRecovered,
    SyncStatusLoaded,
    UnreadFound,
    UrlSaved,
)
from newstui.tui.opener import link_or_path
from newstui.tui.widgets.article_list import ArticleList
from newstui.tui.widgets.author_panel import AuthorPanel
from newstui.tui.widgets.reader import ReaderPane
from newstui.tui.widgets.related import RelatedStories
from newstui.tui.widgets.search_bar import SearchBar
from newstui.tui.widgets.status import StatusInfo, StatusLine, plural
from newstui.tui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from newstui.core.fetch.feed_list import FeedList, FeedRow
    from newstui.core.notify import NewArticles

WIDE = 140
"""From this many columns on, all four panes are side by side."""
PROGRESS_INTERVAL = 0.1
"""Seconds between two refresh progress messages."""
WATCH_DEBOUNCE_MS = 400

LinkAction = Literal["open", "copy"]
COLLECT_PAGE = 2000
PIPE_HISTORY = "pipe_history"  # the state preference: the commands piped to, as JSON
PIPE_HISTORY_SIZE = 50
NOTIFY_TITLES = 5  # new titles a notification lists


def pipe_history(saved: str | None) -> list[str]:
    """The remembered commands, oldest first; anything else in the preference is ignored."""
    try:
        loaded = json.loads(saved or "[]")
    except ValueError:
        return []
    if not isinstance(loaded, list):
        return []
    return [line for line in loaded if isinstance(line, str)][-PIPE_HISTORY_SIZE:]


class MainScreen(Screen[None]):
    """Everything a reader needs on one screen; every pane reachable by key at any size."""

    BINDING_GROUP_TITLE = "Everywhere"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="focus_next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", show=False, id="focus_previous"
        ),
        Binding("space,pagedown", "page(1)", "Page down in the reader", show=False, id="page_down"),
        Binding("b,pageup", "page(-1)", "Page up in the reader", show=False, id="page_up"),
        Binding("n", "next_unread", "Next unread", id="next_unread"),
        Binding("p", "previous_unread", "Previous unread", show=False, id="previous_unread"),
        # priority: handled before the keys typed after it, which belong to the search box
        Binding("slash", "search", "Search", id="search", priority=True),
        Binding("s", "star", "Star", id="star"),
        Binding("m", "toggle_read", "Mark read/unread", show=False, id="toggle_read"),
        Binding("d", "hide", "Hide / show again", show=False, id="hide"),
        Binding("u", "unread_only", "Unread only / all", show=False, id="unread_only"),
        Binding("f", "folders", "Folders and feeds", show=False, id="folders"),
        Binding("L", "feeds('list')", "Feed list", show=False, id="feed_list"),
        Binding("J", "feeds('next')", "Next feed", show=False, id="next_feed"),
        Binding("K", "feeds('previous')", "Previous feed", show=False, id="previous_feed"),
        Binding(
            "N", "feeds('next_unread')", "Next feed with unread", show=False, id="next_unread_feed"
        ),
        Binding("O", "app.libraries", "Switch library", show=False, id="libraries"),
        Binding("A", "mark_all_read", "Mark all shown read", show=False, id="mark_all_read"),
        Binding("U,ctrl+z", "undo", "Undo marking or starring", show=False, id="undo"),
        Binding("a", "author", "Author", id="author"),
        Binding("r", "related", "Related", id="related"),
        Binding("o", "open_link", "Open link or file", show=False, id="open_link"),
        Binding("y", "copy_link", "Copy link or path", show=False, id="copy_link"),
        Binding("S", "cycle_sort", "Sort by date/title/author", show=False, id="sort"),
        Binding("P,exclamation_mark", "problems", "Problems", show=False, id="problems"),
        Binding("R", "refresh", "Check for changed files", show=False, id="refresh"),
        Binding("F", "fetch", "Fetch the news", show=False, id="fetch"),
        Binding("W", "save_url", "Save a URL", show=False, id="save_url"),
        Binding("vertical_line", "pipe", "Pipe the article to a command", show=False, id="pipe"),
        Binding("escape", "back", "Back to the list", show=False, id="back"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    narrow: var[bool] = var(False, init=False)
    side_open: var[bool] = var(False, init=False)
    side_pane: var[str] = var("author", init=False)
    """Which of the right column's panes shows when the column is toggled open (narrow)."""

    articles: ArticleList
    reader: ReaderPane
    author_panel: AuthorPanel
    related: RelatedStories
    side: Vertical

    def __init__(
        self,
        session: ReadingSession,
        jobs: Jobs,
        settings: Settings,
        paths: AppPaths,
        *,
        clock: Clock,
        watch: bool = True,
        folder_shown: str = "",
        feed_title: str = "",
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.clock = clock
        self.session = session
        self.library = session.library
        self.state = state = session.state
        self.folder: Path = session.library.folder
        self.jobs = jobs
        self._stop_jobs = threading.Event()
        self._last_progress = 0.0
        self.refreshes_finished = 0  # so a slow count never overwrites a newer refresh's figures
        self.watch_files = watch
        self.settings = settings
        self.paths = paths
        sort = state.pref("sort") or settings.sort
        self.sort: Sort = sort if sort in SORTS else "date"
        self.unread_only = state.pref("unread_only") == "1"
        self.search: HitRows | None = None
        self.search_bar: SearchBar | None = None
        self.open_id: str | None = None
        self._resume: str | None = None  # the article to reopen once the panes are mounted
        self.total = 0
        self.unread = 0
        self.problem_count = 0
        self.sync_status = ""  # "offline · 3 pending": see `_watch_sync`
        self.progress = "checking for changes…"
        self._watching = False
        self._came_from: Widget | None = None  # where the side pane was opened from
        self._first_build = False  # the running refresh builds the index from nothing
        self.folder_shown = folder_shown  # the subfolder the list shows ("": the whole library)
        self.feed_title = feed_title  # the name of the feed whose folder it is, if one
        self.hidden_shown: dict[str, bool] = {}  # hidden or not, as this screen made them
        self._fetching = False
        self.fetch_progress = ""  # "fetching 3/20 feeds" while a fetch runs
        self.feed_problems: list[Problem] = []  # the feeds whose last fetch failed
        self._fetched = False  # a fetch of this session finished (its problems are newer)
        self.pipe_history = pipe_history(state.pref(PIPE_HISTORY))
        self._untold: NewArticles | None = None  # a fetch's news, told after the refresh
        self._hidden_titles: set[str] = set()  # what hide rules took since the fetch began

    # --- composition ------------------------------------------------------------------------

    def listing(self) -> LibraryRows:
        shown = shown_filter(self.folder_shown, self.settings.searches, self.unread_only)
        return LibraryRows(self.library, self.sort, shown)

    def compose(self) -> ComposeResult:
        # Classes for the layout are set before the first styling pass (a restyle costs).
        narrow = self.app.size.width < WIDE
        self.set_reactive(MainScreen.narrow, narrow)
        self.set_class(narrow, "-narrow")
        self.add_class("-side-author")
        self.articles = ArticleList(self.listing(), clock=self.clock, id="articles")
        self.reader = ReaderPane(id="reader")
        self.author_panel = AuthorPanel(id="author")
        self.related = RelatedStories(id="related")
        # The list is painted first; the other panes are mounted right after (Lazy), into
        # slots that already hold their place, so the first frame comes sooner.
        with Horizontal(id="panes"):
            yield self.articles
            with Container(id="reader-slot"):
                yield Lazy(self.reader)
            with Vertical(id="side") as self.side:
                yield Lazy(self.author_panel)
                yield Lazy(self.related)
        yield StatusLine(id="status")
        yield Lazy(Footer(compact=True, show_command_palette=False))

    def on_mount(self) -> None:
        for name, macro in self.settings.macros.items():  # (keys checked by the app)
            # Textual has no public per-screen bind: `_bindings` is the screen's own map.
            description = f"Macro {name}: {macro.command}"
            self._bindings.bind(macro.key, f"macro({name!r})", description, show=False)
        articles = self.articles
        articles.reload()
        self.total = articles.row_count if not self.unread_only else 0
        self._update_titles()
        last = self.state.last_opened(str(self.folder))
        self._resume = last if last and articles.select_id(last) else None
        articles.focus()
        self._update_status()
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if not all(pane.is_mounted for pane in (self.reader, self.author_panel, self.related)):
            self.call_after_refresh(self._after_first_paint)  # the Lazy panes are on their way
            return
        self.related.clear()
        if self._resume:
            self.open_article(self._resume, focus_reader=False, mark_read=False)
        self.count_articles()
        self.start_refresh()
        self.load_feed_problems()
        if self.settings.fetch_every > 0:  # minutes; the fetch skips feeds not yet due
            self.set_interval(self.settings.fetch_every * 60, self._fetch_now_and_then)
        self._watch_sync()

    # --- sync: what the status line says of it --------------------------------------------

    def _watch_sync(self) -> None:
        """With [sync] set: the pending count after every mark lands (on the writer's thread,
        which owns the state writes anyway), and once now."""
        if self.settings.sync is None:
            return
        from newstui.core.sync.engine import status_line

        def post() -> None:
            self.post_message(SyncStatusLoaded(status_line(self.state)))

        self.session.on_marked = post
        self.writer.after_pending(post)

    @on(SyncStatusLoaded)
    def _sync_status_loaded(self, message: SyncStatusLoaded) -> None:
        if message.text != self.sync_status:
            self.sync_status = message.text
            self._update_status()

    def on_unmount(self) -> None:
        self.stop_jobs()
        self.save_session()

    def save_session(self) -> None:
        """Write the reading position of the open article now (on quit, on a switch)."""
        if getattr(self.app, "main", self) is not self:  # asleep under the screen shown
            return
        reader = self.reader
        if reader.article is not None:
            position, block = reader.position()
            self.session.save_position(reader.article.id, position, block)

    # --- layout -----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.narrow = event.size.width < WIDE

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        if not narrow:
            self.side_open = False
        elif not self.side_open and self._side_has_focus():
            self.reader.focus()

    def watch_side_open(self, side_open: bool) -> None:
        self.set_class(side_open, "-side-open")

    def _side_has_focus(self) -> bool:
        focused = self.focused
        return focused is not None and self._in_side(focused)

    def _in_side(self, widget: Widget) -> bool:
        return self.side in widget.ancestors

    def _update_titles(self) -> None:
        articles = self.articles
        if self.search is not None:
            articles.border_title = Content.assemble("Search: ", self.search.query)
            articles.border_subtitle = plural(articles.row_count, "hit")
        else:
            what = "Unread" if self.unread_only else "Articles"
            if self.folder_shown:
                shown = self.feed_title or shown_name(self.folder_shown)
                articles.border_title = Content.assemble(what, " in ", shown)
            else:
                articles.border_title = what
            articles.border_subtitle = f"{articles.row_count:,} · by {self.sort}"
        self.reader.border_title = "Reader"

    def _update_status(self) -> None:
        self.query_one(StatusLine).info = StatusInfo(
            library=clean_line(
                "/".join(
                    part
                    for part in (self.folder.name, self.feed_title or shown_name(self.folder_shown))
                    if part
                )
                or str(self.folder)
            ),
            total=self.total,
            unread=self.unread,
            sort=self.sort,
            unread_only=self.unread_only,
            search=self.search.query if self.search else None,
            hits=self.search.count() if self.search else 0,
            progress=" · ".join(part for part in (self.progress, self.fetch_progress) if part),
            problems=self.problem_count,
            sync=self.sync_status,
        )

    # --- the library: refresh, counts, watcher ----------------------------------------------

    def start_refresh(self) -> None:
        # An empty list means a first build: "indexing", and articles show as they come.
        self._first_build = self.search is None and self.articles.row_count == 0
        self.progress = "indexing…" if self._first_build else "checking for changes…"
        self._update_status()
        self.refresh_library()

    @on(RefreshProgress)
    def _refresh_progress(self, message: RefreshProgress) -> None:
        if message.total:
            verb = "indexing" if self._first_build else "checking"
            self.progress = f"{verb} {message.done:,}/{message.total:,} files"
        self._update_status()

    @on(RefreshCommitted)
    def _refresh_committed(self, message: RefreshCommitted) -> None:
        """A batch of a refresh is in the index: a first build shows it at once."""
        if self._first_build and self.search is None:
            self.articles.reload(self._kept_row())
            if not self.unread_only:
                self.total = self.articles.row_count
            self._update_titles()
            self._update_status()
            self.count_articles()  # the unread count follows, off this thread

    def _kept_row(self) -> str | None:
        """The article the cursor stays on as the list changes: during a first build, newer
        articles land above, and a cursor still on the top row stays there (the newest)."""
        articles = self.articles
        return None if self._first_build and articles.cursor == 0 else articles.current_id

    @on(RefreshFinished)
    def _refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshes_finished += 1
        summary = message.summary
        self.progress = ""
        if summary.parsed or summary.removed:
            if self.search is None:
                self.articles.reload(self._kept_row())
                self._update_titles()
            if self.open_id is not None:  # its file may have changed: show what it says now
                self.load_article(self.open_id, False)
        new_problems = message.problems - self.problem_count
        self.total, self.unread, self.problem_count = (
            message.total,
            message.unread,
            message.problems,
        )
        self._update_status()
        if new_problems > 0 and summary.problems:
            self.notify(
                f"{len(summary.problems)} file(s) could not be read; P lists them.",
                severity="warning",
                markup=False,
            )
        for result in summary.ruled:
            if result.rule.action == "hide":
                self._hidden_titles.update(row.title for row in result.rows)
        if self._untold is not None:  # a fetch's news, less what rules hid
            news, self._untold = self._untold.without(self._hidden_titles), None
            if news is not None:
                self.tell_new_articles(news)
        if summary.ruled:
            from newstui.core.rules import summary as rules_summary

            self.notify(f"Rules: {rules_summary(summary.ruled)}.", timeout=4, markup=False)
        if self.watch_files and not self._watching:
            self._watching = True
            self.watch_library()

    @on(FilesChanged)
    def _files_changed(self, message: FilesChanged) -> None:
        self.start_refresh()

    @on(CountsLoaded)
    def _counts_loaded(self, message: CountsLoaded) -> None:
        if message.refreshes_seen < self.refreshes_finished:
            return  # counted before a refresh that has since reported newer figures
        self.total, self.unread, self.problem_count = (
            message.total,
            message.unread,
            message.problems,
        )
        self._update_status()

    # --- opening articles -------------------------------------------------------------------

    def open_article(
        self, article_id: str, focus_reader: bool = True, mark_read: bool = True
    ) -> None:
        if article_id == self.open_id and self.reader.article_id == article_id:
            if focus_reader:  # already open: keep the place, just go to it
                self.reader.focus()
            return
        self.open_id = article_id
        self.load_article(article_id, mark_read)
        if focus_reader:
            self.reader.focus()

    @on(ArticleLoaded)
    def _article_loaded(self, message: ArticleLoaded) -> None:
        if message.article_id != self.open_id:
            return
        if message.article is None:
            self.reader.show(None, placeholder="That article is no longer in the library.")
            self.author_panel.clear("")
            self.related.clear("")
            return
        position, block = message.position, message.block
        if self.reader.article_id == message.article_id:  # reloaded: stay at the same place
            position, block = self.reader.position()
        self.reader.show(message.article, position, block)
        if message.marked_read:
            self.articles.patch_row(message.article_id, read=True)
            self.unread = max(0, self.unread - 1)
            self._update_status()

    @on(AuthorLoaded)
    def _author_loaded(self, message: AuthorLoaded) -> None:
        if message.article_id == self.open_id:
            self.author_panel.show(message.authors, message.article_id)

    @on(RelatedLoaded)
    def _related_loaded(self, message: RelatedLoaded) -> None:
        if message.article_id != self.open_id:
            return
        if message.failed:
            self.related.clear("Related stories could not be found.")
        else:
            self.related.show(message.items)

    @on(ArticleList.Opened)
    def _list_opened(self, message: ArticleList.Opened) -> None:
        self.open_article(message.article_id)

    @on(AuthorPanel.Chosen)
    @on(RelatedStories.Chosen)
    def _story_chosen(self, message: AuthorPanel.Chosen | RelatedStories.Chosen) -> None:
        self.articles.select_id(message.article_id)
        self.open_article(message.article_id)

    @on(ReaderPane.PositionChanged)
    def _position_changed(self, message: ReaderPane.PositionChanged) -> None:
        self.session.save_position(message.article_id, message.position, message.block)
        self.articles.patch_row(message.article_id, position=message.position)

    @on(ReaderPane.ReachedEnd)
    def _reached_end(self, message: ReaderPane.ReachedEnd) -> None:
        if not self.session.reached_end(message.article_id, self._known(message.article_id).read):
            return
        self.articles.patch_row(message.article_id, read=True)
        self.unread = max(0, self.unread - 1)
        self._update_status()

    # --- the article the keys act on --------------------------------------------------------

    def target_id(self) -> str | None:
        """The highlighted row when the list has focus, else the open article."""
        if self.articles.has_focus or self.open_id is None:
            return self.articles.current_id
        return self.open_id

    def _known(self, article_id: str) -> ArticleState:
        """The article's read and star marks as the screen shows them: the list's row (which
        already shows writes still queued), else the state database (a read never waits)."""
        row = self.articles.loaded_row(article_id)
        if row is None:
            return self.state.get(article_id)
        return ArticleState(article_id, 0.0 if row.read else None, row.starred, row.position)

    def action_star(self) -> None:
        article_id = self.target_id()
        if article_id is None:
            return
        change = self.session.toggle_starred(article_id, self._known(article_id).starred)
        self.articles.patch_row(article_id, starred=not change.before[article_id])
        self.notify(f"{change.what}. U undoes.", timeout=2, markup=False)

    def action_hide(self) -> None:
        """Hide the article, or show a hidden one again (found by is:hidden): it leaves the
        list and the counts once the write has landed."""
        article_id = self.target_id()
        if article_id is None:
            return
        hidden_now = self.hidden_shown.get(article_id)
        if hidden_now is None:  # (a read: it never waits)
            hidden_now = bool(self.state.hidden([article_id]))
        change = self.session.toggle_hidden(article_id, hidden_now)
        self.hidden_shown[article_id] = not hidden_now
        self.writer.after_pending(lambda: self.post_message(MarksSaved()))
        self.notify(f"{change.what}. U undoes.", timeout=2, markup=False)

    def action_toggle_read(self) -> None:
        article_id = self.target_id()
        if article_id is None:
            return
        change = self.session.toggle_read(article_id, self._known(article_id).read)
        read = not change.before[article_id]
        self.articles.patch_row(article_id, read=read)
        self.unread = max(0, self.unread + (-1 if read else 1))
        self._update_status()

    def action_mark_all_read(self) -> None:
        """Mark every article the list shows (the listing, or the search results) read."""
        self.collect_rows(self.articles.source)

    @on(RowsCollected)
    def _rows_collected(self, message: RowsCollected) -> None:
        if message.source is not self.articles.source:
            return  # the list shows something else by now
        change = self.session.mark_all_read(message.rows)
        self.articles.patch_rows(set(change.before), read=True)
        self.unread = max(0, self.unread - len(change.before))
        self._update_status()
        self.writer.after_pending(lambda: self.post_message(MarksSaved()))
        self.notify(f"{change.what}. U undoes.", timeout=3, markup=False)

    def action_undo(self) -> None:
        change = self.session.undo()
        if change is None:
            self.notify("Nothing to undo.", timeout=2, markup=False)
            return
        for value in (False, True):
            ids = {article_id for article_id, old in change.before.items() if old is value}
            if change.field == "hidden":
                self.hidden_shown.update(dict.fromkeys(ids, value))
            else:
                self.articles.patch_rows(ids, **{change.field: value})
        self.writer.after_pending(lambda: self.post_message(MarksSaved()))
        self.notify(f"Undone: {change.what.lower()}.", timeout=3, markup=False)

    @on(MarksSaved)
    def _marks_saved(self) -> None:
        """Many marks changed at once have landed: show the list and counts as stored."""
        if self.search is None:
            self.articles.reload(self.articles.current_id)
        self.count_articles()

    # --- reader paging and unread navigation ------------------------------------------------

    def action_page(self, direction: int) -> None:
        self.reader.action_page(direction)

    def action_next_unread(self) -> None:
        self.seek_unread(self.articles.source, self.articles.cursor, True)

    def action_previous_unread(self) -> None:
        self.seek_unread(self.articles.source, self.articles.cursor, False)

    @on(UnreadFound)
    def _unread_found(self, message: UnreadFound) -> None:
        if message.index is None:
            where = "after" if message.forward else "before"
            self.notify(f"No unread articles {where} this one.", timeout=2, markup=False)
            return
        articles = self.articles
        articles.cursor = message.index
        article_id = articles.current_id
        if article_id is not None:
            self.open_article(article_id, focus_reader=False)

    # --- listing: filter, sort, search ------------------------------------------------------

    def _show_listing(self) -> None:
        keep = self.articles.current_id
        self.search = None
        self.articles.set_source(self.listing(), keep)
        self._update_titles()
        self._update_status()

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.session.set_pref("unread_only", "1" if self.unread_only else "0")
        self._show_listing()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.session.set_pref("sort", self.sort)
        self._show_listing()

    async def action_search(self) -> None:
        bar = self.search_bar
        if bar is None:  # mounted on first use: one widget less to build at start-up
            bar = self.search_bar = SearchBar(id="search")
            await self.mount(bar, before=self.query_one(StatusLine))
        self.add_class("-searching")
        # Focus now, not after a refresh: keys typed right after "/" belong to the box.
        self.set_focus(bar)

    def _close_search_bar(self) -> None:
        self.remove_class("-searching")
        self.side_open = False  # (narrow) the list, with the results, takes its place again
        self.articles.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = clean_line(event.value)  # pasted text may carry control characters
        self._close_search_bar()
        if not query:
            self._show_listing()
            return
        self.run_search(query)

    @on(SearchBar.Cancelled)
    def _search_cancelled(self, message: SearchBar.Cancelled) -> None:
        self._close_search_bar()
        if self.search is not None:
            self._show_listing()

    @on(SearchFinished)
    def _search_finished(self, message: SearchFinished) -> None:
        self.search = HitRows(message.query, message.hits, self.state)
        self.articles.set_source(self.search)
        self.articles.action_top()
        self._update_titles()
        self._update_status()

    @on(SearchFailed)
    async def _search_failed(self, message: SearchFailed) -> None:
        self.notify(clean_line(message.reason), title="Search", severity="error", markup=False)
        await self.action_search()

    def action_back(self) -> None:
        """One step back: from a side pane to where it was opened from, from the reader to
        the list, and in the list from search results to the listing."""
        if self._side_has_focus() or self.side_open:
            came_from = self._came_from
            self.side_open = False
            if came_from is not None and came_from.is_mounted and not self._in_side(came_from):
                came_from.focus()
            else:
                self.reader.focus()
        elif not self.articles.has_focus:
            self.articles.focus()
        elif self.search is not None:
            self._show_listing()
        elif self.folder_shown:
            self.show_folder("")

    # --- side panes -------------------------------------------------------------------------

    def _toggle_side(self, target: Widget, pane: str) -> None:
        """Focus `target` (showing the right column when narrow); again: back to the reader."""
        if target.has_focus:
            if self.narrow:
                self.side_open = False
            self.reader.focus()
            return
        if not self._side_has_focus():
            self._came_from = self.focused
        self.side_pane = pane
        if self.narrow:
            self.side_open = True
        self.set_focus(target)

    def watch_side_pane(self, pane: str) -> None:
        self.set_class(pane == "author", "-side-author")
        self.set_class(pane == "related", "-side-related")

    def action_author(self) -> None:
        self._toggle_side(self.author_panel.query_one(StoryList), "author")

    def action_related(self) -> None:
        self._toggle_side(self.related, "related")

    # --- links, problems, help --------------------------------------------------------------

    def action_open_link(self) -> None:
        article_id = self.target_id()
        if article_id is not None:
            self.resolve_link(article_id, "open")

    def action_copy_link(self) -> None:
        article_id = self.target_id()
        if article_id is not None:
            self.resolve_link(article_id, "copy")

    @on(LinkResolved)
    def _link_resolved(self, message: LinkResolved) -> None:
        if message.action == "copy":
            self.copy_link(message.link)
        else:
            self.open_link(message.link)

    def copy_link(self, link: str, why: str = "") -> None:
        self.app.copy_to_clipboard(link)  # OSC 52: reaches the local clipboard over SSH
        self.notify(f"{why}Copied {clean_line(link)}", timeout=4, markup=False)

    def open_link(self, link: str, *, media: bool = False) -> None:
        """Open `link` with the opener; a podcast or video file (`media`) with the player."""
        from newstui.tui.opener import display_missing

        player = self.settings.player if media else None
        if player is None and self.settings.opener is None and display_missing():
            setting = "`player` or `opener`" if media else "`opener`"
            self.copy_link(link, f"No display to open it on (over SSH?); set {setting} to open. ")
            return
        self.notify(
            f"{'Playing' if player else 'Opening'} {clean_line(link)}", timeout=3, markup=False
        )
        self.run_opener(link, player)

    @on(LinkOpened)
    def _link_opened(self, message: LinkOpened) -> None:
        if message.error is not None:
            reason = clean_line(f"Cannot open {message.link}: {message.error}")
            self.notify(reason, severity="error", markup=False)

    def action_links(self, number: int = 0) -> None:
        """The open article's links (`number` highlighted): open or copy one."""
        from newstui.core.links import numbered_links
        from newstui.tui.screens.links import LinkChoice, LinksScreen

        article = self.reader.article
        links = numbered_links(article) if article is not None else []
        if not links or number > len(links):
            what = f"no link {number}" if links else "no links"
            self.notify(f"This article has {what}.", timeout=2, markup=False)
            return

        def chosen(choice: LinkChoice | None) -> None:
            if choice is None:
                return
            action, url = choice
            if action == "copy":
                self.copy_link(url)
            else:
                self.open_link(url, media=any(k.is_enclosure and k.url == url for k in links))

        self.app.push_screen(LinksScreen(links, number), chosen)

    def action_folders(self) -> None:
        self.load_folders()

    @on(FoldersLoaded)
    def _folders_loaded(self, message: FoldersLoaded) -> None:
        from newstui.tui.screens.folders import FoldersScreen

        def chosen(folder: str | None) -> None:
            if folder is not None:
                self.show_folder(folder)

        self.app.push_screen(FoldersScreen(message.folders, self.folder_shown), chosen)

    def show_folder(self, folder: str, feed_title: str = "") -> None:
        """List only the articles under `folder` ("" for all of them; a feed's: its name)."""
        self.folder_shown = folder
        self.feed_title = feed_title
        self._show_listing()
        self.count_articles()
        self.articles.focus()

    # --- the feed list: newsboat's first screen, and moving from feed to feed -------------

    def action_feeds(self, then: FeedStep) -> None:
        self.load_feed_list(then)

    @on(FeedListLoaded)
    def _feed_list_loaded(self, message: FeedListLoaded) -> None:
        from newstui.tui.screens.feeds import FeedsScreen

        feeds = message.feeds
        rows = feeds.feeds
        current = self.folder_shown if self.folder == feeds.news_folder else None
        if message.then == "list":
            self.app.push_screen(
                FeedsScreen(feeds, current, self.clock()), lambda row: self.open_feed(feeds, row)
            )
            return
        at = next((i for i, row in enumerate(rows) if row.folder == current), None)
        if message.then == "previous":
            order = list(range((at or len(rows)) - 1, -1, -1))
        else:
            order = list(range(0 if at is None else at + 1, len(rows)))
        if message.then == "next_unread":  # (round to the first ones, as newsboat does not)
            start = 0 if at is None else at + 1
            order = [i for i in [*range(start, len(rows)), *range(start)] if rows[i].unread]
        if not order:
            what = {"next": "next", "previous": "previous", "next_unread": "unread"}[message.then]
            self.notify(f"No {what} feed.", timeout=2, markup=False)
            return
        self.open_feed(feeds, rows[order[0]])

    def open_feed(self, feeds: FeedList, row: FeedRow | None) -> None:
        """List only `row`'s articles (its folder), in the news folder."""
        if row is None:
            return
        if self.folder != feeds.news_folder:
            self.notify("Opening the news folder…", timeout=2, markup=False)
            self.app.post_message(LibraryWanted(feeds.news_folder, row.folder, row.title))
            return
        self.show_folder(row.folder, clean_line(row.title))
        self.notify(clean_line(f"{row.title}: {row.unread:,} unread"), timeout=2, markup=False)

    def action_problems(self) -> None:
        from newstui.tui.screens.problems import ProblemsScreen

        found = [*self.feed_problems, *self.library.problems(), *self.library.warnings()]
        self.app.push_screen(ProblemsScreen(found))

    def action_help(self) -> None:
        from newstui.tui.keymap import live_bindings
        from newstui.tui.screens.help import HelpScreen

        nodes = [
            ("Everywhere", self),
            ("Application", self.app),
            ("Article list", self.articles),
            ("Reader", self.reader),
            ("Author and related stories", self.related),
            ("Search box", self.search_bar or SearchBar()),
        ]
        self.app.push_screen(HelpScreen(live_bindings(self.app, self.settings.keymap, nodes)))

    def action_refresh(self) -> None:
        self.start_refresh()

    # --- fetching the news ------------------------------------------------------------------

    def action_fetch(self) -> None:
        """Fetch every subscription now, in the background; the list stays usable."""
        if self._fetching:
            self.notify("Already fetching.", timeout=2, markup=False)
            return
        self._fetching = True
        self._hidden_titles.clear()
        self.fetch_progress = "syncing…" if self.settings.sync is not None else "fetching…"
        self._update_status()
        self.fetch_news()

    def _fetch_now_and_then(self) -> None:
        if not self._fetching:
            self.action_fetch()

    @on(FetchProgress)
    def _fetch_progress(self, message: FetchProgress) -> None:
        self.fetch_progress = f"fetching {message.done:,}/{message.total:,} feeds"
        self._update_status()

    @on(FetchFinished)
    def _fetch_finished(self, message: FetchFinished) -> None:
        self._fetching = False
        self._fetched = True
        self.fetch_progress = ""
        self.feed_problems = message.problems
        self._update_status()
        if message.summary:
            failed = bool(message.problems)
            self.notify(
                clean_line(message.summary) + (" P lists the failures." if failed else ""),
                severity="warning" if failed else "information",
                timeout=4,
                markup=False,
            )
        if message.new is not None:
            hiding = any(rule.action == "hide" for rule in self.settings.rules)
            if hiding and message.changed and self.folder == message.news_folder:
                self._untold = message.new  # told once the refresh has applied the rules
            else:
                self.tell_new_articles(message.new)
        if message.changed and self.folder == message.news_folder:
            self.start_refresh()  # (the watcher may be quicker: a refresh is cheap)

    def tell_new_articles(self, news: NewArticles) -> None:
        """`notify_command` when there is one, else a notification; OSC 9 as well when
        `notify = "osc9"` (the terminal's own desktop notification)."""
        from newstui.core.notify import osc9

        if self.settings.notify_command:
            self.run_notify_command(self.settings.notify_command, news)
        elif self.settings.notify != "off":
            shown = news.titles[:NOTIFY_TITLES]
            more = len(news.titles) - len(shown)
            lines = [*shown, *([f"and {more:,} more"] if more > 0 else [])]
            text = "\n".join([f"{news.summary}.", *(f"• {line}" for line in lines)])
            self.notify(text, title="New articles", timeout=8, markup=False)
        if self.settings.notify == "osc9":
            driver = self.app._driver  # Textual writes its own OSC 52 and bell through it
            if driver is not None:
                driver.write(osc9(f"newstui: {news.summary}"))

    @on(FeedProblemsLoaded)
    def _feed_problems_loaded(self, message: FeedProblemsLoaded) -> None:
        if not self._fetched:
            self.feed_problems = message.problems

    # --- saving a page (read later) ----------------------------------------------------

    def action_save_url(self) -> None:
        """Ask for a URL; its page is fetched and saved in a thread worker."""
        from newstui.tui.screens.save_url import SaveUrlScreen

        def chosen(url: str | None) -> None:
            if url:
                self.notify(f"Saving {clean_line(url)}…", timeout=2, markup=False)
                self.save_page(url)

        self.app.push_screen(SaveUrlScreen(), chosen)

    @on(UrlSaved)
    def _url_saved(self, message: UrlSaved) -> None:
        if message.path is None:
            reason = f"Could not save {message.url}: {message.reason}"
            self.notify(clean_line(reason), severity="error", markup=False)
            return
        saved = "Saved" if message.new else "Saved before"
        self.notify(clean_line(f"{saved}: {message.path}"), timeout=5, markup=False)
        if message.new and message.path.is_relative_to(self.folder):
            self.start_refresh()  # (the watcher may be quicker: a refresh is cheap)

    # --- pipes and macros: the user's commands, the article on their standard input ---------

    def action_pipe(self) -> None:
        """Ask for a command (history: up and down) and run it on the article, as Markdown."""
        from newstui.tui.screens.pipe import PipeScreen

        article_id = self.target_id()
        if article_id is None:
            self.notify("No article to pipe.", timeout=2, markup=False)
            return

        def chosen(command: str | None) -> None:
            if not command:
                return
            history = [line for line in self.pipe_history if line != command] + [command]
            self.pipe_history = history[-PIPE_HISTORY_SIZE:]
            self.session.set_pref(PIPE_HISTORY, json.dumps(self.pipe_history))
            self.run_on_article(article_id, command, "Pipe")

        self.app.push_screen(PipeScreen(self.pipe_history, self.settings.pipe_command), chosen)

    def action_macro(self, name: str) -> None:
        macro = self.settings.macros.get(name)
        article_id = self.target_id()
        if macro is not None and article_id is not None:
            self.run_on_article(article_id, macro.command, f"Macro {name}")

    @on(CommandFinished)
    def _command_finished(self, message: CommandFinished) -> None:
        result = message.result
        if result.error is None:
            said = f": {result.output}" if result.output else "."
            self.notify(clean_line(f"{message.what} done{said}"), timeout=3, markup=False)
            return
        reason = f"{message.what} failed ({result.command}): {result.error}"
        self.notify(clean_line(reason), severity="error", timeout=8, markup=False)

    # --- background jobs: thread workers that report back with messages ------------------

    @property
    def writer(self) -> StateWriter:
        return self.session.writer

    def stop_jobs(self) -> None:
        """Ask running jobs to stop (the refresh between files, the watcher at once)."""
        self._stop_jobs.set()

    @work(
        thread=True,
        exclusive=True,
        group="refresh",
        exit_on_error=False,
        description="Checking the library for changes",
    )
    def refresh_library(self) -> None:
        with self.jobs:
            worker = get_current_worker()

            def progress(done: int, total: int) -> None:
                now = time.monotonic()
                if done >= total or now - self._last_progress >= PROGRESS_INTERVAL:
                    self._last_progress = now
                    self.post_message(RefreshProgress(done, total))

            def should_stop() -> bool:
                return worker.is_cancelled or self._stop_jobs.is_set()

            summary = self.library.refresh(
                progress=progress,
                should_stop=should_stop,
                committed=lambda stored: self.post_message(RefreshCommitted(stored)),
            )
            if worker.is_cancelled:
                return
            self.library.warm_order(self.sort)
            total, unread = self._counts()
            problems = len(self.library.problems())
            self.post_message(RefreshFinished(summary, total, unread, problems))

    @work(
        thread=True,
        exclusive=True,
        group="watch",
        exit_on_error=False,
        description="Watching the library folder",
    )
    def watch_library(self) -> None:
        from watchfiles import watch

        for changes in watch(
            self.folder,
            stop_event=self._stop_jobs,
            debounce=WATCH_DEBOUNCE_MS,
            raise_interrupt=False,
        ):
            if self._stop_jobs.is_set():
                return
            self.post_message(FilesChanged(len(changes)))

    @work(
        thread=True,
        exclusive=True,
        group="counts",
        exit_on_error=False,
        description="Counting articles",
    )
    def count_articles(self) -> None:
        refreshes_seen = self.refreshes_finished
        with self.jobs:
            total, unread = self._counts()
            problems = len(self.library.problems())
            self.post_message(CountsLoaded(total, unread, problems, refreshes_seen))

    @work(
        thread=True,
        exclusive=True,
        group="article",
        exit_on_error=False,
        description="Loading the article",
    )
    def load_article(self, article_id: str, by_user: bool) -> None:
        with self.jobs:
            worker = get_current_worker()

            def cancelled() -> bool:
                return worker.is_cancelled

            opened = self.session.open(article_id, by_user=by_user)
            self.post_message(ArticleLoaded(article_id, *opened))
            if opened.article is None or cancelled():
                return
            self.post_message(AuthorLoaded(article_id, self.session.authors_of(opened.article)))
            if cancelled():
                return
            try:
                items = self.library.related(article_id)
            except Exception:
                self.post_message(RelatedLoaded(article_id, failed=True))
                raise  # reported by the worker error handler
            self.post_message(RelatedLoaded(article_id, items))

    @work(
        thread=True,
        exclusive=True,
        group="seek",
        exit_on_error=False,
        description="Looking for an unread article",
    )
    def seek_unread(self, source: RowSource, start: int, forward: bool) -> None:
        with self.jobs:
            worker = get_current_worker()
            found = find_unread(source.rows, start, forward, lambda: worker.is_cancelled)
            if not worker.is_cancelled:
                self.post_message(UnreadFound(found, forward))

    @work(
        thread=True,
        exclusive=True,
        group="collect",
        exit_on_error=False,
        description="Listing the articles shown",
    )
    def collect_rows(self, source: RowSource) -> None:
        with self.jobs:
            worker = get_current_worker()
            rows: list[ArticleRow] = []
            while not worker.is_cancelled:
                page = source.rows(len(rows), COLLECT_PAGE)
                rows.extend(page)
                if len(page) < COLLECT_PAGE:
                    self.post_message(RowsCollected(source, rows))
                    return

    def _counts(self) -> tuple[int, int]:
        """Articles and unread ones in what the list shows (the library, or one folder)."""
        searches = self.settings.searches
        total = self.library.count(shown_filter(self.folder_shown, searches))
        return total, self.library.count(shown_filter(self.folder_shown, searches, unread=True))

    @work(
        thread=True,
        exclusive=True,
        group="folders",
        exit_on_error=False,
        description="Counting the folders",
    )
    def load_folders(self) -> None:
        with self.jobs:
            searches = self.library.saved_searches(self.settings.searches)
            self.post_message(FoldersLoaded([*self.library.folders(), *searches]))

    @work(
        thread=True,
        exclusive=True,
        group="fetch",
        exit_on_error=False,
        description="Fetching the news",
    )
    def fetch_news(self) -> None:
        if self.settings.sync is not None:  # the service fetches the feeds: sync with it
            from newstui.core.sync.engine import status_line
            from newstui.core.sync.news import sync_news

            synced = sync_news(self.paths, self.settings)
            self.post_message(SyncStatusLoaded(status_line(self.state)))
            self.post_message(FetchFinished(*synced))
            return
        from newstui.core.fetch.news import fetch_news

        def progress(done: int, total: int) -> None:
            self.post_message(FetchProgress(done, total))

        outcome = fetch_news(self.paths, self.settings, progress, self._stop_jobs.is_set)
        self.post_message(FetchFinished(*outcome))

    @work(thread=True, group="commands", exit_on_error=False, description="Notify command")
    def run_notify_command(self, command: str, news: NewArticles) -> None:
        from newstui.core.notify import run_notify_command

        result = run_notify_command(command, news, self._stop_jobs.is_set)
        if not result.ok:  # (a success says nothing: the command told the user)
            self.post_message(CommandFinished("notify_command", result))

    @work(
        thread=True,
        exclusive=True,
        group="feed-list",
        exit_on_error=False,
        description="Reading the feed list",
    )
    def load_feed_list(self, then: FeedStep) -> None:
        from newstui.core.fetch.feed_list import feed_list

        self.post_message(FeedListLoaded(feed_list(self.paths, self.settings, self.state), then))

    @work(thread=True, group="fetch-problems", exit_on_error=False, description="Feed problems")
    def load_feed_problems(self) -> None:
        from newstui.core.fetch.news import remembered_problems

        self.post_message(FeedProblemsLoaded(remembered_problems(self.paths, self.settings)))

    @work(thread=True, group="save", exit_on_error=False, description="Saving the page")
    def save_page(self, url: str) -> None:
        from newstui.core.archive.run import ExportError, save_url
        from newstui.core.config import imports_folder_of

        base = imports_folder_of(self.settings, self.paths.data_dir).resolve()
        try:
            path, new = save_url(url, base)
        except ExportError as error:
            self.post_message(UrlSaved(url, None, str(error)))
        except OSError as error:
            self.post_message(UrlSaved(url, None, f"cannot write: {error.strerror or error}"))
        else:
            self.post_message(UrlSaved(url, path, None, new))

    @work(thread=True, group="commands", exit_on_error=False, description="Running a command")
    def run_on_article(self, article_id: str, command: str, what: str) -> None:
        from newstui.core.commands import CommandResult, run_command
        from newstui.core.render import render_markdown

        with self.jobs:
            article = self.library.article(article_id)
        if article is None:
            result = CommandResult(command, f"the article {article_id} is gone")
        else:
            result = run_command(
                command, render_markdown(article), should_stop=self._stop_jobs.is_set
            )
        self.post_message(CommandFinished(what, result))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def run_search(self, query: str) -> None:
        with self.jobs:
            try:
                hits = self.library.search(query)
            except QueryError as error:
                self.post_message(SearchFailed(query, str(error)))
                return
            self.post_message(SearchFinished(query, hits))

    @work(
        thread=True,
        exclusive=True,
        group="link",
        exit_on_error=False,
        description="Finding the article's link",
    )
    def resolve_link(self, article_id: str, action: LinkAction) -> None:
        with self.jobs:
            article = self.library.article(article_id)
            if article is None:
                return
            self.post_message(LinkResolved(action, link_or_path(article.url, article.source.path)))

    @work(thread=True, group="opener", exit_on_error=False, description="Opening the link")
    def run_opener(self, link: str, player: str | None = None) -> None:
        from newstui.tui import opener

        try:
            if player is not None:
                opener.configured_open(player, link, "player")
            elif self.settings.opener is not None:
                opener.configured_open(self.settings.opener, link)
            else:
                opener.system_open(link)
        except OSError as error:
            self.post_message(LinkOpened(link, str(error)))
        else:
            self.post_message(LinkOpened(link, None))

    # --- errors -----------------------------------------------------------------------------

    @on(StateWriteFailed)
    def _state_write_failed(self, message: StateWriteFailed) -> None:
        reason = f"Could not save the {message.what} yet ({message.reason}); trying again."
        self.notify(clean_line(reason), severity="warning", markup=False)

    @on(StateWriteRecovered)
    def _state_write_recovered(self, message: StateWriteRecovered) -> None:
        self.notify(clean_line(f"Saved the {message.what}."), timeout=2, markup=False)

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        worker = event.worker
        if worker.group == "refresh":
            self.progress = ""
            self._update_status()
            if self._untold is not None:  # no rules applied: the news as the fetch told it
                news, self._untold = self._untold, None
                self.tell_new_articles(news)
        what = worker.description or worker.name
        self.notify(clean_line(f"{what} failed: {worker.error}"), severity="error", markup=False)
