"""A library folder as the faces see it: listing, search, related stories and authors.

Backed by the index (`newstui.core.index.db`), a cache under the user cache dir, with the reader
state database ATTACHed so read/starred filters and flags come from the same query.
Pure Python: no textual. Every method may be called from any thread (each thread gets
its own connection; refreshes are serialised).

Orders (all stable, ties broken by rowid, which a first build assigns in path order):
- "date": newest first by the article's published date; articles without a date come
  last. (File times are not used: copying a folder would reorder it.) `.txt` files get
  their date from a `YYYY-MM-DD` file-name prefix.
- "title": by casefolded title.
- "author": by casefolded byline (the authors' names; articles without one last), each
  newest first.

Authors are people: an article by two is listed, counted and found under each of them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, ParamSpec, TypeVar, cast

from newstui.core.index import db as index
from newstui.core.index import related
from newstui.core.index.listing import (
    HIDDEN,
    HIDDEN_MARK,
    ORDER_BY,
    ROW_COLUMNS,
    ROWS,
    VISIBLE,
    ArticleRow,
    SearchHit,
    Sort,
    to_row,
)
from newstui.core.index.query import QueryError, author_match, parse_query
from newstui.core.index.search import run_search, where_of
from newstui.core.index.summary import Problem, RefreshSummary
from newstui.core.paths import AppPaths
from newstui.core.sqlite import is_corruption, transaction
from newstui.core.state.store import StateStore

if TYPE_CHECKING:
    from newstui.core.config import Rule
    from newstui.core.models import Article

# The parsers and the models (pydantic) are imported where first needed, not here: the
# reader paints its list from the index before it needs either.

__all__ = [
    "ArticleRow",
    "AuthorInfo",
    "FolderInfo",
    "Library",
    "ListFilter",
    "Problem",
    "QueryError",
    "RefreshSummary",
    "RelatedItem",
    "SearchHit",
    "Sort",
]

LISTED_REASON = "listed by the article"
SPARE_SUGGESTIONS = 6  # asked for beyond `limit`, in case some are copies of each other


class RelatedItem(NamedTuple):
    row: ArticleRow
    score: float
    reason: str  # "listed by the article" or "shared: ceasefire, troops, guarantees"
    listed: bool  # named in the article's "You Might Also Like"


class AuthorInfo(NamedTuple):
    name: str
    bio: str | None
    article_count: int


class ListFilter(NamedTuple):
    unread: bool = False
    starred: bool = False
    author: str | None = None  # articles by this author (among others), casefolded name
    author_words: str | None = None  # articles whose author matches as `author:` in a search
    folder: str | None = None  # a subfolder of the library ("feeds/tech"), and those below it
    query: str | None = None  # what a search finds (a saved search), unranked


class WebLinks(NamedTuple):
    url: str | None  # the article on the web
    feed: str | None  # the subscription it was fetched from


class FolderInfo(NamedTuple):
    """A subfolder that holds articles (itself or below it), with its counts."""

    name: str  # relative to the library, "/"-separated; "" is the library's own folder
    depth: int
    total: int
    unread: int
    feed: str | None = None  # the one feed (or site) all its articles come from, if one
    query: str | None = None  # a saved search (`saved_searches`): what it finds


SAVED_SEARCH = "\x00@"  # a saved search's `FolderInfo.name` is this and its name (no
# folder's name holds NUL)


def shown_name(shown: str) -> str:
    """A `FolderInfo.name` as a person reads it: a saved search's is "@name"."""
    return "@" + shown[len(SAVED_SEARCH) :] if shown.startswith(SAVED_SEARCH) else shown


def shown_filter(shown: str, searches: dict[str, str], unread: bool = False) -> ListFilter:
    """The filter of a `FolderInfo.name`: a folder's ("" the whole library), or a saved
    search's (one no longer in `searches` finds nothing)."""
    if shown.startswith(SAVED_SEARCH):
        query = searches.get(shown[len(SAVED_SEARCH) :])
        if query is None:  # a folder no path can be in (NUL): nothing
            return ListFilter(unread=unread, folder=SAVED_SEARCH)
        return ListFilter(unread=unread, query=query)
    return ListFilter(unread=unread, folder=shown or None)


NO_FILTER = ListFilter()
SQL_OFFSET_MAX = 2000  # beyond this offset, paging builds and uses the cached order


def _filter_sql(flt: ListFilter, root: str, conn: sqlite3.Connection) -> tuple[str, list[object]]:
    """The filter as an SQL condition on `ROWS`; hidden articles are left out (a query's
    `is:hidden` lists them). Raises `QueryError` for a query that does not parse."""
    conditions: list[str] = [VISIBLE]
    params: list[object] = []
    if flt.query is not None:
        found, found_params = where_of(conn, parse_query(flt.query), root)
        conditions[0] = found  # (says itself which of hidden and not hidden it lists)
        params += found_params
    if flt.unread:
        conditions.append("s.read_at IS NULL")
    if flt.starred:
        conditions.append("s.starred = 1")
    if flt.author is not None:
        conditions.append("a.num IN (SELECT num FROM article_authors WHERE key = ?)")
        params.append(flt.author.casefold())
    if flt.author_words is not None:
        conditions.append("a.num IN (SELECT rowid FROM search WHERE search MATCH ?)")
        params.append(author_match(flt.author_words))
    if flt.folder:
        prefix = os.path.join(root, *flt.folder.split("/")) + os.sep
        conditions.append("substr(a.path, 1, ?) = ?")
        params += [len(prefix), prefix]
    return " AND ".join(conditions), params


P = ParamSpec("P")
R = TypeVar("R")


def _reads(empty: Callable[[], object]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A read of the index that finds it damaged answers `empty()` instead of raising,
    and the next `refresh()` rebuilds the index: it is a cache, the faces carry on."""

    def wrap(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            library = cast("Library", args[0])
            try:
                return method(*args, **kwargs)
            except sqlite3.DatabaseError as error:
                if not library._tolerable(error):
                    raise
                return cast(R, empty())

        return guarded

    return wrap


class Library:
    """One library folder, its index, and the reader state joined to it."""

    def __init__(
        self, folder: Path, paths: AppPaths, state: StateStore, rules: Sequence[Rule] = ()
    ) -> None:
        """Open (or silently rebuild) the index; does not scan, so it is cheap. `rules` are
        applied to the articles each refresh brings (`core.rules`)."""
        # Resolved, as the index's name is: a folder reached through a symbolic link lists the
        # same file paths as through its real path, and nothing is indexed twice.
        self.folder = folder.resolve()
        self.state = state
        self.rules = tuple(rules)
        self._db = paths.index_db(self.folder)
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._orders: dict[str, tuple[object, array[int]]] = {}  # sort -> (_order_key, rowids)
        self._positions: dict[str, tuple[array[int], array[int]]] = {}  # rowid -> place
        self._idfs = (-1, related.KnownIdfs())  # (generation, idfs read)
        self._closed = False
        self._damaged = False  # a read found the index damaged: rebuild on refresh
        index.open_index(self._db)

    # connections

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection. Threads come and go (a TUI worker per search), so
        making one also closes those of threads that have ended."""
        if self._closed:
            raise sqlite3.ProgrammingError(f"the library {self.folder} is closed")
        me = threading.current_thread()
        with self._lock:
            conn = self._connections.get(me)
            if conn is not None:
                return conn
            ended = [thread for thread in self._connections if not thread.is_alive()]
            for thread in ended:
                self._connections.pop(thread).close()
            conn = self._connections[me] = index.connect(self._db, self.state.path)
            return conn

    def _close_connections(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, {}
        for conn in connections.values():
            conn.close()

    def close(self) -> None:
        self._closed = True
        self._close_connections()

    # loading

    def refresh(
        self,
        progress: Callable[[int, int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        committed: Callable[[int], object] | None = None,
    ) -> RefreshSummary:
        """Scan the folder and re-index new and changed files; drop deleted ones.

        `progress(done, total)` as files are parsed; `committed(stored)` each time a batch
        is visible to readers. A corrupt index found on the way is rebuilt, silently.
        """
        from newstui.core.index.build import refresh_index
        from newstui.core.rules import on_arrival

        def run() -> RefreshSummary:
            folder, conn = self.folder, self._conn()
            before = self._last_number()
            summary = refresh_index(conn, folder, progress, should_stop, committed=committed)
            return summary._replace(ruled=on_arrival(self, self.rules, before))

        with self._refreshing:
            if not self._damaged:
                try:
                    return run()
                except sqlite3.DatabaseError as error:
                    if not is_corruption(error):
                        raise
            self._rebuild()
            return run()

    def _last_number(self) -> int:
        """The number the index gave its latest article (numbers are never given twice)."""
        query = "SELECT seq FROM sqlite_sequence WHERE name = 'articles'"
        found = self._conn().execute(query).fetchone()
        return int(found[0]) if found else 0

    def ids_numbered(self, above: int, upto: int | None = None) -> list[str]:
        """The ids of the articles numbered above `above` (and at most `upto`)."""
        query = "SELECT id FROM articles WHERE num > ? AND num <= ?"
        limit = self._last_number() if upto is None else upto
        return [found for (found,) in self._conn().execute(query, (above, limit))]

    def matching(self, query: str, since: int = 0) -> list[ArticleRow]:
        """What `query` finds among the articles numbered above `since`, newest first,
        unranked and unbounded (for rules). Raises `QueryError`."""
        where, params = where_of(self._conn(), parse_query(query), str(self.folder))
        sql = (
            f"SELECT {ROW_COLUMNS} FROM {ROWS} WHERE a.num > ? AND {where} "
            f"ORDER BY {ORDER_BY['date']}"
        )
        return [to_row(values) for values in self._conn().execute(sql, [since, *params])]

    def _rebuild(self) -> None:
        self._close_connections()
        index.delete_database(self._db)
        index.open_index(self._db)
        with self._lock:
            self._orders.clear()
            self._positions.clear()
        self._damaged = False

    def _tolerable(self, error: sqlite3.DatabaseError) -> bool:
        """A damaged index (rebuilt by the next refresh), or a connection closed under a
        read by such a rebuild."""
        if is_corruption(error):
            self._damaged = True
            return True
        return isinstance(error, sqlite3.ProgrammingError) and not self._closed

    @_reads(list)
    def problems(self) -> list[Problem]:
        """The files that could not be read (nothing came out of them), and why."""
        return [Problem(path, reason) for path, reason in index.problem_list(self._conn(), False)]

    @_reads(list)
    def warnings(self) -> list[Problem]:
        """Trouble met in files whose articles were recovered: kept, not counted as problems."""
        found = index.problem_list(self._conn(), True)
        return [Problem(path, reason, True) for path, reason in found]

    @_reads(list)
    def problems_to_announce(self) -> list[Problem]:
        """The problems, when the set of unreadable files changed since the last call (by any
        process); else none: a face tells of them once per change, not on every run."""
        problems = self.problems()
        paths = "\n".join(sorted({problem.path for problem in problems}))
        digest = hashlib.sha256(paths.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        conn = self._conn()
        if index.announced(conn) == digest:
            return []
        with transaction(conn):
            index.set_announced(conn, digest)
        return problems

    # listing

    @_reads(int)
    def count(self, flt: ListFilter = NO_FILTER) -> int:
        if flt == NO_FILTER:
            order = self._cached_order("date")
            if order is not None:
                return len(order)
            query = f"SELECT count(*) FROM articles a WHERE {VISIBLE}"
            return int(self._conn().execute(query).fetchone()[0])
        where, params = _filter_sql(flt, str(self.folder), self._conn())
        query = f"SELECT count(*) FROM {ROWS} WHERE {where}"
        return int(self._conn().execute(query, params).fetchone()[0])

    @_reads(list)
    def page(
        self, offset: int, limit: int, sort: Sort = "date", flt: ListFilter = NO_FILTER
    ) -> list[ArticleRow]:
        """Rows `offset` .. `offset + limit` of the sorted, filtered list.

        Unfiltered, any page costs the same once the order is cached (see `_order`); until
        then, and with a filter, SQLite skips `offset` rows (about 0.3 µs each).
        """
        offset, limit = max(0, offset), max(0, limit)
        if flt == NO_FILTER and (offset >= SQL_OFFSET_MAX or self._cached_order(sort)):
            return self._rows_in_order(self._order(sort)[offset : offset + limit].tolist())
        where, params = _filter_sql(flt, str(self.folder), self._conn())
        query = (
            f"SELECT {ROW_COLUMNS} FROM {ROWS} WHERE {where} "
            f"ORDER BY {ORDER_BY[sort]} LIMIT ? OFFSET ?"
        )
        rows = self._conn().execute(query, [*params, limit, offset])
        return [to_row(values) for values in rows]

    def warm_order(self, sort: Sort) -> None:
        """Cache the order of `sort` now (from a worker thread), so that the first jump far
        down the list does not pay for it (about 80 ms at 100,000 articles)."""
        self._position(sort, 0)

    def _cached_order(self, sort: Sort) -> array[int] | None:
        cached = self._orders.get(sort)
        if cached is None or cached[0] != self._order_key(self._conn()):
            return None
        return cached[1]

    def _order(self, sort: Sort) -> array[int]:
        """Every rowid in `sort` order, cached until the index changes (by any process):
        paging through 100,000 articles then costs the same at the end as at the top.
        Arrays, not lists: 8 bytes an article rather than about 40."""
        conn = self._conn()
        current = self._order_key(conn)
        with self._lock:
            cached = self._orders.get(sort)
            if cached is not None and cached[0] == current:
                return cached[1]
        order = array("q")
        query = f"SELECT a.num FROM articles a WHERE {VISIBLE} ORDER BY {ORDER_BY[sort]}"
        cursor = conn.execute(query)
        while batch := cursor.fetchmany(4096):
            order.extend(num for (num,) in batch)
        with self._lock:
            self._orders[sort] = (current, order)
            self._positions.pop(sort, None)
        return order

    @staticmethod
    def _order_key(conn: sqlite3.Connection) -> object:
        """Changes when the index does (by any process), or the set of hidden articles."""
        return index.generation(conn), conn.execute(HIDDEN_MARK).fetchone()

    def _position(self, sort: Sort, num: int) -> int | None:
        order = self._order(sort)
        with self._lock:
            positions = self._positions.get(sort)
            if positions is None or positions[0] is not order:
                table = array("q", [-1]) * ((max(order) + 1) if order else 0)
                for place, each in enumerate(order):
                    table[each] = place
                positions = self._positions[sort] = (order, table)
        table = positions[1]
        place = table[num] if 0 <= num < len(table) else -1
        return place if place >= 0 else None

    def _rows_in_order(self, nums: list[int]) -> list[ArticleRow]:
        rows = self._rows_by_num(nums)
        return [rows[num] for num in nums if num in rows]

    def iter_rows(self, sort: Sort = "date", flt: ListFilter = NO_FILTER) -> Iterator[ArticleRow]:
        """Every row in order, fetched lazily (for streaming output); stops early, rather
        than raising, at a damaged page of the index."""
        where, params = _filter_sql(flt, str(self.folder), self._conn())
        query = f"SELECT {ROW_COLUMNS} FROM {ROWS} WHERE {where} ORDER BY {ORDER_BY[sort]}"
        try:
            cursor = self._conn().cursor()
            cursor.execute(query, params)
            while batch := cursor.fetchmany(500):
                yield from (to_row(values) for values in batch)
        except sqlite3.DatabaseError as error:
            if not self._tolerable(error):
                raise

    @_reads(lambda: None)
    def index_of(
        self, article_id: str, sort: Sort = "date", flt: ListFilter = NO_FILTER
    ) -> int | None:
        """The position of the article in `page()` order, or None when it is not listed."""
        if flt == NO_FILTER and self._cached_order(sort) is not None:
            nums = self._conn().execute("SELECT num FROM articles WHERE id = ?", (article_id,))
            found_at = [self._position(sort, num) for (num,) in nums]
            return min((p for p in found_at if p is not None), default=None)
        where, params = _filter_sql(flt, str(self.folder), self._conn())
        conn = self._conn()
        found = conn.execute(
            f"SELECT a.num, a.date_key, a.title_key, a.author_sort FROM {ROWS} "
            f"WHERE a.id = ? AND {where} ORDER BY {ORDER_BY[sort]} LIMIT 1",
            [article_id, *params],
        ).fetchone()
        if found is None:
            return None
        num, date_key, title_key, author_sort = found
        if date_key is None:
            date_before = "(a.date_key IS NOT NULL OR (a.date_key IS NULL AND a.num < ?))"
            date_params: list[object] = [num]
        else:
            date_before = "(a.date_key > ? OR (a.date_key = ? AND a.num < ?))"
            date_params = [date_key, date_key, num]
        if sort == "date":
            before, before_params = date_before, date_params
        elif sort == "title":
            before = "(a.title_key < ? OR (a.title_key = ? AND a.num < ?))"
            before_params = [title_key, title_key, num]
        else:
            before = f"(a.author_sort < ? OR (a.author_sort = ? AND {date_before}))"
            before_params = [author_sort, author_sort, *date_params]
        query = f"SELECT count(*) FROM {ROWS} WHERE {where} AND {before}"
        return int(conn.execute(query, [*params, *before_params]).fetchone()[0])

    @_reads(lambda: None)
    def row(self, article_id: str) -> ArticleRow | None:
        query = f"SELECT {ROW_COLUMNS} FROM {ROWS} WHERE a.id = ? ORDER BY a.num LIMIT 1"
        found = self._conn().execute(query, (article_id,)).fetchone()
        return to_row(found) if found else None

    @_reads(lambda: None)
    def article(self, article_id: str) -> Article | None:
        """The full article, rebuilt from the index (no file is read)."""
        from newstui.core.index.scan import from_record

        conn = self._conn()
        found = conn.execute(
            "SELECT a.num, a.path, a.format, a.id, a.title, t.summary, t.body, a.published, "
            "t.meta FROM articles a JOIN texts t ON t.num = a.num "
            "WHERE a.id = ? ORDER BY a.num LIMIT 1",
            (article_id,),
        ).fetchone()
        if found is None:
            return None
        num, path, fmt, found_id, title, summary, body, published, meta = found
        query = "SELECT name, bio FROM article_authors WHERE num = ? ORDER BY position"
        authors = conn.execute(query, (num,)).fetchall()
        return from_record(path, fmt, found_id, title, summary, authors, body, published, meta)

    @_reads(lambda: None)
    def resolve(self, id_or_path: str) -> str | None:
        """The article id for an article id or the path of its file."""
        conn = self._conn()
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", (id_or_path,)).fetchone():
            return id_or_path
        candidates = dict.fromkeys(
            [os.path.abspath(id_or_path), os.path.realpath(id_or_path), id_or_path]
        )
        for candidate in candidates:
            found = conn.execute(
                "SELECT id FROM articles WHERE path = ? ORDER BY num LIMIT 1", (candidate,)
            ).fetchone()
            if found:
                return str(found[0])
        return None

    # search

    @_reads(list)
    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Ranked full-text search (`core.index.query` has the syntax, `core.index.search`
        how it runs). Raises `QueryError` for a query the user must fix."""
        return run_search(self._conn, parse_query(query), limit, str(self.folder))

    # related stories

    def _known_idfs(self, conn: sqlite3.Connection) -> related.KnownIdfs:
        """The related scorer's word weights (idf) read so far, while the index is unchanged."""
        current = index.generation(conn)
        with self._lock:
            if self._idfs[0] != current:
                self._idfs = (current, related.KnownIdfs())
            return self._idfs[1]

    @_reads(list)
    def related(self, article_id: str, limit: int = 8) -> list[RelatedItem]:
        """Titles the article lists that are in the library first, then similar content.

        Never the article itself, nor a copy of it or of another suggestion (same id, or
        the same body): a story filed twice is suggested once.
        """
        conn = self._conn()
        found = conn.execute(
            "SELECT a.num, t.meta, a.lang FROM articles a JOIN texts t ON t.num = a.num "
            "WHERE a.id = ? ORDER BY a.num LIMIT 1",
            (article_id,),
        ).fetchone()
        if found is None or limit <= 0:
            return []
        num, meta, language = found
        taken = _Copies(conn)
        taken.take([num])
        taken.nums.update(
            hidden for (hidden,) in conn.execute(f"SELECT num FROM articles a WHERE {HIDDEN}")
        )
        picked: list[tuple[int, float, str, bool]] = []
        for title in _listed_titles(meta):
            query = "SELECT num FROM articles WHERE norm_title = ? ORDER BY num"
            matches = [other for (other,) in conn.execute(query, (title,))]
            other = next(iter(taken.take(matches, most=1)), None)
            if other is not None and len(picked) < limit:
                picked.append((other, 1.0, LISTED_REASON, True))
        if len(picked) < limit:
            wanted = limit - len(picked)
            known = self._known_idfs(conn)
            similar = related.similar(conn, num, wanted + SPARE_SUGGESTIONS, taken.nums, known)
            fresh = set(taken.take([other for other, _, _ in similar], most=wanted))
            forms = _surface_forms(conn, num, language) if similar else {}
            for other, score, terms in similar:
                if other in fresh:
                    words = [forms.get(term, term) for term in terms]
                    reason = "shared: " + ", ".join(words) if words else "similar content"
                    picked.append((other, float(score), reason, False))
        rows = self._rows_by_num([other for other, *_ in picked])
        return [
            RelatedItem(rows[other], score, reason, listed)
            for other, score, reason, listed in picked
            if other in rows
        ]

    @_reads(dict)
    def web_links(self, nums: Sequence[int]) -> dict[int, WebLinks]:
        """Where each of these articles (by `row.rowid`) is on the web, and its feed."""
        found: dict[int, WebLinks] = {}
        for start in range(0, len(nums), 500):
            chunk = list(nums[start : start + 500])
            marks = ",".join("?" * len(chunk))
            query = (
                "SELECT num, json_extract(meta, '$.url'), json_extract(meta, '$.feed') "
                f"FROM texts WHERE num IN ({marks})"
            )
            for num, url, feed in self._conn().execute(query, chunk):
                found[num] = WebLinks(url, feed)
        return found

    def _rows_by_num(self, nums: list[int]) -> dict[int, ArticleRow]:
        if not nums:
            return {}
        marks = ",".join("?" * len(nums))
        query = f"SELECT {ROW_COLUMNS} FROM {ROWS} WHERE a.num IN ({marks})"
        return {values[0]: to_row(values) for values in self._conn().execute(query, nums)}

    # folders

    @_reads(list)
    def folders(self) -> list[FolderInfo]:
        """The library's folder and each subfolder holding articles (itself or below it),
        by name, with how many articles they hold and how many are unread."""
        root = str(self.folder) + os.sep
        counts: dict[str, list[int]] = {"": [0, 0]}
        sources: dict[str, set[str | None]] = {}  # the feeds (or sites) of each folder's own
        query = (
            "SELECT a.path, s.read_at IS NULL, json_extract(t.meta, '$.source_name') "
            f"FROM {ROWS} JOIN texts t ON t.num = a.num WHERE {VISIBLE}"
        )
        for path, unread, source in self._conn().execute(query):
            parts = (path[len(root) :] if path.startswith(root) else path).split(os.sep)[:-1]
            sources.setdefault("/".join(parts), set()).add(source)
            for depth in range(len(parts) + 1):
                tally = counts.setdefault("/".join(parts[:depth]), [0, 0])
                tally[0] += 1
                tally[1] += unread
        infos = []
        for name, (total, unread) in sorted(counts.items()):
            only = sources.get(name, set())
            label = next(iter(only)) if len(only) == 1 and name else None
            infos.append(FolderInfo(name, name.count("/") + 1 if name else 0, total, unread, label))
        return infos

    @_reads(list)
    def saved_searches(self, searches: dict[str, str]) -> list[FolderInfo]:
        """Each saved search (name -> query) with how many articles it finds, and unread."""
        infos = []
        for name, query in searches.items():
            total = self.count(ListFilter(query=query))
            unread = self.count(ListFilter(unread=True, query=query))
            infos.append(FolderInfo(SAVED_SEARCH + name, 0, total, unread, query=query))
        return infos

    # authors

    @_reads(list)
    def authors(self) -> list[AuthorInfo]:
        """Every author with their article count, by name (casefolded)."""
        return self._authors("1", ())

    @_reads(lambda: None)
    def author(self, name: str) -> AuthorInfo | None:
        found = self._authors("w.key = ?", (name.casefold(),))
        return found[0] if found else None

    def _authors(self, where: str, params: tuple[str, ...]) -> list[AuthorInfo]:
        # Grouped on the author index; the latest article gives the name's spelling,
        # the latest one with a bio the bio.
        query = f"""
            SELECT count(*),
                (SELECT b.name FROM article_authors b WHERE b.key = w.key
                 ORDER BY b.date_key DESC, b.num LIMIT 1),
                (SELECT b.bio FROM article_authors b WHERE b.key = w.key
                 AND b.bio IS NOT NULL ORDER BY b.date_key DESC, b.num LIMIT 1)
            FROM article_authors w WHERE {where} GROUP BY w.key ORDER BY w.key"""
        return [
            AuthorInfo(name=name, bio=bio, article_count=count)
            for count, name, bio in self._conn().execute(query, params)
        ]

    @_reads(list)
    def articles_by(self, name: str, limit: int = 50) -> list[ArticleRow]:
        """The author's articles, newest first."""
        return self.page(0, limit, "date", ListFilter(author=name))


class _Copies:
    """Articles taken so far, and every copy of them (same id, or same non-empty body)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.nums: set[int] = set()  # taken, and their copies
        self.keys: set[str] = set()

    def take(self, candidates: list[int], most: int | None = None) -> list[int]:
        """Take, in order and up to `most`, the candidates that copy nothing taken."""
        if not candidates:
            return []
        marks = ",".join("?" * len(candidates))
        keys: dict[int, tuple[str, str | None]] = {
            num: ("id:" + article_id, "body:" + body if words else None)
            for num, article_id, body, words in self.conn.execute(
                f"SELECT num, id, body_hash, word_count FROM articles WHERE num IN ({marks})",
                candidates,
            )
        }
        took: list[int] = []
        for num in candidates:
            if most is not None and len(took) >= most:
                break
            if num in self.nums or num not in keys or self.keys.intersection(keys[num]):
                continue
            took.append(num)
            self.keys.update(key for key in keys[num] if key)
            article_id, body = (key.partition(":")[2] if key else None for key in keys[num])
            copies = self.conn.execute(
                "SELECT num FROM articles WHERE id = ? OR (body_hash = ? AND word_count > 0)",
                (article_id, body),
            )
            self.nums.update(other for (other,) in copies)
            self.nums.add(num)
        return took


def _listed_titles(meta_json: str) -> list[str]:
    import json

    from newstui.core.models import normalise_title

    related: list[str] = json.loads(meta_json).get("related", [])
    return list(dict.fromkeys(normalise_title(title) for title in related if title.strip()))


def _surface_forms(conn: sqlite3.Connection, num: int, language: str | None) -> dict[str, str]:
    """The related scorer's terms (stems) of an article -> the words it writes them as."""
    found = conn.execute("SELECT title, summary, body FROM texts WHERE num = ?", (num,)).fetchone()
    if found is None:
        return {}
    title, summary, body = found
    return related.surface_forms(title, summary + "\n\n" + body, language)
