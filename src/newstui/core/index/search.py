"""Running a parsed search against the index: ranked, bounded in cost, with snippets.

Ranking is FTS5's BM25 (weights in `index.SCHEMA`: title 10, summary 4, author 2.5,
body 1). Ranking costs about 2 µs per matching article, so a query matching more than
`RANK_CANDIDATES` articles (a very common word) is ranked among the `RANK_CANDIDATES`
most recently indexed matches only; BM25 says little about such words anyway.

A bare word finds its other forms (`library_forms`) in the articles of a language with a
stemmer (`related.stemmer_of`: Snowball's, and English's light plural one; articles of no
known language count as English): the forms made with common endings that have the same
stem, folded as FTS5 folds words (case, diacritics): "Wahl" finds "Wahlen", "election"
finds "élections". A form is searched only in the articles of the languages it is a form
in ("care" is German's form of "car", not English's), and only if some article holds it.

Snippets come from the body (else the summary) with matches between "\\x02" and "\\x03".
FTS5 tokenises the whole body for each one (0.05-0.15 ms), so they are made when first
asked for, `SNIPPET_BATCH` hits at a time: a face that shows one screenful of results
pays for one screenful of snippets.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
from collections.abc import Callable

from newstui.core import lang
from newstui.core.index.db import has_undetermined, language_token, languages
from newstui.core.index.listing import (
    HIDDEN,
    MARK_END,
    MARK_START,
    ORDER_BY,
    ROW_COLUMNS,
    ROWS,
    STATE_JOIN,
    VISIBLE,
    SearchHit,
    to_row,
)
from newstui.core.index.query import Forms, Query
from newstui.core.index.related import stemmer_of

RANK_CANDIDATES = 5000
SNIPPET_TOKENS = 16
SNIPPET_BATCH = 20
SNIPPET_ARGS = f"'{MARK_START}', '{MARK_END}', '…', {SNIPPET_TOKENS}"
BODY, SUMMARY = 3, 1  # search-table column numbers

Connect = Callable[[], sqlite3.Connection]


def run_search(connect: Connect, query: Query, limit: int, root: str = "") -> list[SearchHit]:
    """Hits best first; a query of only qualifiers lists matches newest first.

    `connect` gives the calling thread's connection (snippets are made later, perhaps
    on another thread); `root` is the library's folder, for `folder:`.
    """
    conn = connect()
    limit = max(0, limit)
    query, conditions, params = _conditions(conn, query, root)
    match = query.match
    if match is None:
        if len(conditions) == 1 and not (query.hidden or query.exclude):
            return []  # (the one condition: not hidden)
        return _filtered(conn, query, conditions, params, limit)
    params = [match, *params]
    if query.ranked:
        cut = conn.execute(
            "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, RANK_CANDIDATES - 1),
        ).fetchone()
        if cut is not None:
            conditions.append("search.rowid >= ?")
            params.append(cut[0])
    where = " AND ".join(["search MATCH ?", *conditions])
    order = "search.rank" if query.ranked else ORDER_BY["date"]
    sql = (
        f"SELECT {ROW_COLUMNS}, search.rank "
        f"FROM search JOIN articles a ON a.num = search.rowid {STATE_JOIN} "
        f"WHERE {where} ORDER BY {order} LIMIT ?"
    )
    found = conn.execute(sql, [*params, limit]).fetchall()
    snippets = Snippets(connect, match, [values[0] for values in found])
    return [
        SearchHit(
            to_row(values[:11]),
            -float(values[11]) if query.ranked else 0.0,
            snippets.getter(position),
        )
        for position, values in enumerate(found)
    ]


def folder_needle(folder: str, sep: str = os.sep) -> str:
    """What a path below the library holds when it is in a folder named `folder`
    (`folder:news` is the folder "news", not "newsletters"); `sep` separates the names."""
    return sep + folder.strip(sep) + sep


def where_of(conn: sqlite3.Connection, query: Query, root: str = "") -> tuple[str, list[object]]:
    """What `query` finds, as an SQL condition on `articles a` joined to the reader state
    `s` (unranked: for rules and saved searches), and its parameters."""
    query, conditions, params = _conditions(conn, query, root)
    if query.match is not None:
        conditions.append("a.num IN (SELECT rowid FROM search WHERE search MATCH ?)")
        params.append(query.match)
    elif query.exclude_match is not None:
        conditions.append("a.num NOT IN (SELECT rowid FROM search WHERE search MATCH ?)")
        params.append(query.exclude_match)
    return " AND ".join(conditions), params


def _conditions(
    conn: sqlite3.Connection, query: Query, root: str
) -> tuple[Query, list[str], list[object]]:
    """The query with its words' other forms, and its qualifiers as SQL conditions."""
    if query.words:
        query = query.with_forms(lambda word: library_forms(conn, word))
    conditions = [HIDDEN if query.hidden else VISIBLE]
    if query.read is not None:
        conditions.append("s.read_at IS NOT NULL" if query.read else "s.read_at IS NULL")
    if query.starred is not None:
        conditions.append("s.starred = 1" if query.starred else "ifnull(s.starred, 0) = 0")
    params: list[object] = []
    for folder in query.folders:  # a folder of that name inside the library
        conditions.append("instr(substr(a.path, ?), ?) > 0")
        params += [len(root) + 1, folder_needle(folder)]
    if query.podcast is not None:  # its enclosures, kept in the article's meta
        enclosures = (
            "(SELECT json_extract(t.meta, '$.enclosures') FROM texts t WHERE t.num = a.num)"
        )
        conditions.append(f"{enclosures} IS {'NOT ' if query.podcast else ''}NULL")
    for name in query.feeds:  # the feed's (or site's) name, kept in the article's meta
        conditions.append(
            "instr(lower(ifnull((SELECT json_extract(t.meta, '$.source_name') FROM texts t "
            "WHERE t.num = a.num), '')), ?) > 0"
        )
        params.append(name)
    return query, conditions, params


# Endings that make the other forms of a word (folded, as FTS5 indexes words), by language:
# tried on the word, on it less one to three letters and on its stem; a form is kept where
# the language's stemmer gives it the word's stem. No vocabulary is read: a form costs one
# lookup in the index (`_held`), whatever the size of the library.
ENDINGS = {
    "en": ("s", "es", "ies", "y"),
    "de": ("e", "en", "n", "er", "ern", "es", "s", "nen"),
    "fr": ("s", "x", "e", "es", "aux", "ux"),
    "nl": ("en", "s", "e", "n", "'s"),
    "ru": ("а", "ы", "и", "ов", "ам", "ами", "ах", "е", "у", "ой", "ом", "ей", "я", "ь"),
    "sv": ("er", "ar", "or", "en", "et", "na", "erna", "arna", "orna", "e", "r"),
}
for _same, _as in (("da", "sv"), ("no", "sv"), ("nb", "sv"), ("nn", "sv"), ("uk", "ru")):
    ENDINGS[_same] = ENDINGS[_as]
OTHER_ENDINGS = ("s", "es", "a", "as", "o", "os", "i", "e", "en")  # Romance and the rest
MAX_FORMS = 16  # forms of one word searched
MIN_STEM = 3  # shorter words are searched as they are

Inflector = tuple[Callable[[str], str], tuple[str, ...]]  # a language's stemmer and endings


def inflector(language: str | None) -> Inflector | None:
    """The stemmer and endings of `language` (None: of no known language), if it has a stemmer."""
    stem = stemmer_of(language)
    return None if stem is None else (stem, ENDINGS.get(language or "en", OTHER_ENDINGS))


def word_forms(word: str, languages: dict[str, Inflector | None]) -> dict[str, set[str]]:
    """`word`'s other forms, folded, each with the keys of `languages` it is a form in."""
    folded = lang.fold(word.casefold())
    forms: dict[str, set[str]] = {}
    if len(folded) < MIN_STEM:
        return forms
    for language, inflecting in languages.items():
        if inflecting is None:
            continue
        stem, endings = inflecting
        wanted = stem(folded)
        for base in {folded, folded[:-1], folded[:-2], folded[:-3], wanted}:
            if len(base) >= MIN_STEM:
                for form in (base, *(base + ending for ending in endings)):
                    if form != folded and stem(form) == wanted:
                        forms.setdefault(form, set()).add(language)
    return forms


def library_forms(conn: sqlite3.Connection, word: str) -> Forms:
    """`word` and those of its other forms (`word_forms`) that some article holds, each in
    the articles of the languages it is a form in; shortest first, `MAX_FORMS` in all."""
    present: list[str | None] = [*languages(conn)]
    if has_undetermined(conn):
        present.append(None)
    inflecting = {language_token(code): inflector(code) for code in present}
    folded = lang.fold(word.casefold())
    found = word_forms(folded, inflecting)
    shortest = sorted(found, key=lambda form: (len(form), form))
    held = itertools.islice((form for form in shortest if _held(conn, form)), MAX_FORMS - 1)
    everywhere, only = [folded], dict[str, list[str]]()
    for form in held:
        if len(found[form]) == len(present):
            everywhere.append(form)
        else:
            tokens = " OR ".join(f'"{token}"' for token in sorted(found[form]))
            only.setdefault(f"language : ({tokens})", []).append(form)
    return Forms(everywhere, only)


def _held(conn: sqlite3.Connection, form: str) -> bool:
    """Whether some article holds the word `form` (a lookup of its first entry)."""
    query = "SELECT rowid FROM search WHERE search MATCH ? LIMIT 1"
    return conn.execute(query, ('"' + form.replace('"', '""') + '"',)).fetchone() is not None


class Snippets:
    """The snippets of one search's hits, made in batches on first use (thread-safe)."""

    def __init__(self, connect: Connect, match: str, rowids: list[int]) -> None:
        self.connect = connect
        self.match = match
        self.rowids = rowids  # in rank order
        self.made: dict[int, str] = {}
        self.lock = threading.Lock()

    def getter(self, position: int) -> Callable[[], str]:
        return lambda: self.get(position)

    def get(self, position: int) -> str:
        with self.lock:
            if position not in self.made:
                batch = range(position, min(position + SNIPPET_BATCH, len(self.rowids)))
                wanted = [i for i in batch if i not in self.made]
                texts = self._make([self.rowids[i] for i in wanted])
                for i in wanted:
                    self.made[i] = " ".join(texts.get(self.rowids[i], "").split())  # one line
            return self.made[position]

    def _make(self, rowids: list[int]) -> dict[int, str]:
        """Body snippet if the body matches, else summary snippet if it does, else the
        start of the body. Articles gone since the search get none."""
        marks = ",".join("?" * len(rowids))
        sql = (
            f"SELECT rowid, snippet(search, {BODY}, {SNIPPET_ARGS}), "
            f"snippet(search, {SUMMARY}, {SNIPPET_ARGS}) FROM search "
            # +rowid: filter the range scan instead of one MATCH per rowid
            f"WHERE search MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})"
        )
        try:
            rows = self.connect().execute(sql, [self.match, min(rowids), max(rowids), *rowids])
            return {
                rowid: body if MARK_START in body or MARK_START not in summary else summary
                for rowid, body, summary in rows
                if body or summary
            }
        except sqlite3.Error:  # the library was closed or rebuilt meanwhile
            return {}


def _filtered(
    conn: sqlite3.Connection,
    query: Query,
    conditions: list[str],
    params: list[object],
    limit: int,
) -> list[SearchHit]:
    """Qualifiers and exclusions only: matching articles, newest first."""
    if query.exclude_match:
        conditions.append("a.num NOT IN (SELECT rowid FROM search WHERE search MATCH ?)")
        params.append(query.exclude_match)
    where = " AND ".join(conditions)
    order = ORDER_BY["date"]
    summary = "(SELECT summary FROM texts WHERE num = a.num)"
    sql = f"SELECT {ROW_COLUMNS}, {summary} FROM {ROWS} WHERE {where} ORDER BY {order} LIMIT ?"
    rows = conn.execute(sql, [*params, limit])
    return [SearchHit(to_row(values[:11]), 0.0, " ".join(values[11].split())) for values in rows]
