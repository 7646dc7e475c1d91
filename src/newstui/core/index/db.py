"""The index database: a rebuildable SQLite cache of a library folder.

One file per library under the user cache dir. `PRAGMA user_version` holds a checksum of
the schema (ours plus the related-stories tables, `related.SCHEMA`), so any schema change, like a
corrupt file, just means: delete it and build a fresh one. Nothing in here is user data.
"""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from newstui.core.index import cjk, related
from newstui.core.sqlite import transaction

if TYPE_CHECKING:  # the parsers are not needed to read an index
    from newstui.core.index.scan import ParsedFile

SCHEMA_VERSION = 10  # also goes up when what is stored changes, e.g. the order of words
BUSY_TIMEOUT_S = 10.0
# SQLite's page cache per connection. Small: each thread of the reader has a connection,
# and the OS caches the file anyway (8 MB each cost the reader 17 MB at 100k articles).
READ_CACHE_KIB = 2048

SCHEMA = [
    """CREATE TABLE files(
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL
    ) WITHOUT ROWID""",
    # One row per article, kept small so that lists and scans stay fast. `num` is the
    # rowid (AUTOINCREMENT: never reused, so a stale rowid never names another article;
    # a first build numbers articles in path order). Sort orders:
    # date = date_key DESC, num (undated last); title = title_key, num;
    # author = author_sort, date_key DESC, num (no author last). The sort indexes carry
    # `id` so that joining the reader state needs no trip to the table. `author` is the
    # byline (every author's name), `author_key` it casefolded; the people are in
    # `article_authors`.
    """CREATE TABLE articles(
        num INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT NOT NULL,
        id TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT,
        published TEXT,
        date_key REAL,
        title_key TEXT NOT NULL,
        author_key TEXT,
        format TEXT NOT NULL,
        word_count INTEGER NOT NULL,
        norm_title TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        lang TEXT,
        author_sort TEXT GENERATED ALWAYS AS (ifnull(author_key, char(1114111))) VIRTUAL
    )""",
    "CREATE INDEX articles_path ON articles(path)",
    "CREATE INDEX articles_id ON articles(id)",
    "CREATE INDEX articles_date ON articles(date_key DESC, num, id)",
    "CREATE INDEX articles_title ON articles(title_key, num, id)",
    "CREATE INDEX articles_author ON articles(author_sort, date_key DESC, num, id)",
    "CREATE INDEX articles_norm_title ON articles(norm_title)",
    # Each author of each article (`position` 0 is the first), for the author list and the
    # author filter: `key` is the casefolded name, `date_key` the article's (newest first).
    """CREATE TABLE article_authors(
        num INTEGER NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        bio TEXT,
        date_key REAL,
        PRIMARY KEY (num, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX article_authors_key ON article_authors(key, date_key DESC, num)",
    "CREATE INDEX articles_body_hash ON articles(body_hash)",
    # The languages of the library, one index seek each (see `languages`).
    "CREATE INDEX articles_lang ON articles(lang)",
    # The text of each article (same `num`), the search index's external content.
    # `meta` (JSON) holds the rest of the Article: block kinds and lengths, related
    # titles, tags... The body goes last: reading the other columns never walks it.
    # `author` is every author's name, `AUTHOR_SEPARATOR` between them; `language` the
    # article's language as the search index holds it (`language_token`); `grams` the
    # pairs of characters of its Chinese and Japanese text (`cjk.grams`), else NULL.
    """CREATE TABLE texts(
        num INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        author TEXT,
        meta TEXT NOT NULL,
        language TEXT NOT NULL,
        grams TEXT,
        body TEXT NOT NULL
    )""",
    # `generation` goes up with every committed change of the articles: readers that
    # cache anything about them (the list orders) know when to drop it.
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID",
    "INSERT INTO meta VALUES ('generation', 0)",
    # Files that could not be read (from the walk, or from parsing), and, with `recovered`,
    # warnings of files whose articles were recovered (a bad entry skipped, a missing </rss>).
    """CREATE TABLE problems(
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        from_scan INTEGER NOT NULL,
        recovered INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX problems_path ON problems(path)",
    """CREATE VIRTUAL TABLE search USING fts5(
        title, summary, author, body, language, grams,
        content='texts', content_rowid='num',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    # bm25 weights: title, summary, author, body, language (which only narrows a search),
    # grams (all the Chinese and Japanese text, title included).
    "INSERT INTO search(search, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.5, 1.0, 0.0, 2.0)')",
    # Building: terms pile up in memory to 16 MB (not 1) before a segment is written, and
    # segments are merged 8 at a time (not 4). A first build of 100,000 articles spends 40 %
    # less time in FTS5 (31 -> 18 s measured); searches are as fast.
    "INSERT INTO search(search, rank) VALUES ('hashsize', 16777216)",
    "INSERT INTO search(search, rank) VALUES ('automerge', 8)",
    "INSERT INTO search(search, rank) VALUES ('crisismerge', 64)",
]

STATE_FALLBACK_SCHEMA = """CREATE TABLE IF NOT EXISTS state.article_state(
    article_id TEXT PRIMARY KEY, read_at REAL, starred INTEGER NOT NULL DEFAULT 0,
    position REAL NOT NULL DEFAULT 0, block INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL)"""
STATE_FALLBACK_HIDDEN = (
    "CREATE TABLE IF NOT EXISTS state.hidden(article_id TEXT PRIMARY KEY, hidden_at REAL NOT NULL)"
)


def schema_statements() -> list[str]:
    return [*SCHEMA, *related.SCHEMA]


def schema_version(statements: Sequence[str]) -> int:
    """Changes whenever any statement of the schema does: a stale index is rebuilt."""
    checksum = zlib.crc32("\n".join(statements).encode()) & 0x7FFF
    return SCHEMA_VERSION << 15 | checksum


def connect(path: Path, state_db: Path | None) -> sqlite3.Connection:
    """A connection tuned for a cache, with the reader-state db attached as `state`."""
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, uri=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")  # refreshes raise it
    attach_state(conn, state_db)
    return conn


def attach_state(conn: sqlite3.Connection, state_db: Path | None) -> None:
    """ATTACH the reader-state db read-only; an empty stand-in when it cannot be used."""
    if state_db is not None and state_db.exists():
        uri = "file:" + quote(str(state_db.resolve())) + "?mode=ro"
        try:
            conn.execute("ATTACH DATABASE ? AS state", (uri,))
            found = conn.execute(
                "SELECT count(*) = 2 FROM state.sqlite_master "
                "WHERE name IN ('article_state', 'hidden')"
            ).fetchone()[0]
            if found:
                return
        except sqlite3.DatabaseError:
            pass
        with contextlib.suppress(sqlite3.DatabaseError):
            conn.execute("DETACH DATABASE state")
    conn.execute("ATTACH DATABASE ':memory:' AS state")
    conn.execute(STATE_FALLBACK_SCHEMA)
    conn.execute(STATE_FALLBACK_HIDDEN)


def delete_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def open_index(path: Path) -> None:
    """Make sure `path` holds a current, readable index; rebuild it silently otherwise."""
    statements = schema_statements()
    version = schema_version(statements)
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(2):
        try:
            with contextlib.closing(connect(path, None)) as conn:
                found = conn.execute("PRAGMA user_version").fetchone()[0]
                if found == version:
                    probe(conn)
                    conn.execute("PRAGMA journal_mode = WAL")
                    return
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if found == 0 and tables == 0:
                    create_schema(conn, statements, version)
                    return
        except sqlite3.DatabaseError:
            if attempt:
                raise
        delete_database(path)


def probe(conn: sqlite3.Connection) -> None:
    """Read the first page of every table and index, and the search index's structure:
    a damaged root page (the usual result of a torn or overwritten file) raises here,
    in about a millisecond, rather than in some later query."""
    objects = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE VIRTUAL%'"
    ).fetchall()
    for kind, name, table in objects:
        if kind == "table":
            conn.execute(f'SELECT * FROM "{name}" LIMIT 1').fetchall()
        else:
            conn.execute(f'SELECT 1 FROM "{table}" INDEXED BY "{name}" LIMIT 1').fetchall()
    conn.execute("SELECT rowid FROM search WHERE search MATCH 'probe' LIMIT 1").fetchall()


def create_schema(conn: sqlite3.Connection, statements: Sequence[str], version: int) -> None:
    """Create the tables in an empty database, unless another process got there first
    (two openers can both find the file empty): then use theirs."""
    conn.execute("PRAGMA journal_mode = WAL")
    with transaction(conn):  # BEGIN IMMEDIATE: one creator at a time
        if conn.execute("PRAGMA user_version").fetchone()[0] == version:
            return
        for statement in statements:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")


def known_files(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    return {path: (size, mtime) for path, size, mtime in conn.execute("SELECT * FROM files")}


INSERT_ARTICLE = """INSERT INTO articles(
    num, path, id, title, author, published, date_key, title_key, author_key,
    format, word_count, norm_title, body_hash, lang)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_AUTHOR = "INSERT INTO article_authors VALUES (?, ?, ?, ?, ?, ?)"
# Between two authors' names in the search index: a word of its own (a private-use
# character, which FTS5 indexes), so a phrase never runs from one name into the next.
AUTHOR_SEPARATOR = " \ue000 "
INSERT_TEXT = (
    "INSERT INTO texts(num, title, summary, author, meta, language, grams, body) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# An article's language in the search index: one word of the `language` column, which no
# search for a word matches (a private-use character starts it): `language : "\ue001de"`
# narrows a search to German articles. Articles of no known language are "und".
LANGUAGE_MARK = "\ue001"
UNDETERMINED = "und"


def language_token(language: str | None) -> str:
    return LANGUAGE_MARK + (language or UNDETERMINED)


# The search index follows `texts` by hand (not by trigger): one INSERT ... SELECT per
# batch costs about half as much as a trigger per row.
FTS_COLUMNS = "title, summary, author, body, language, grams"
FTS_ADD = f"INSERT INTO search(rowid, {FTS_COLUMNS}) SELECT num, {FTS_COLUMNS} FROM texts"
FTS_DELETE = (
    f"INSERT INTO search(search, rowid, {FTS_COLUMNS}) "
    f"SELECT 'delete', num, {FTS_COLUMNS} FROM texts"
)


def stored_paths(conn: sqlite3.Connection, paths: Sequence[str]) -> set[str]:
    """Those of `paths` the index holds something of: articles, or problems reading them."""
    found: set[str] = set()
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        marks = ",".join("?" * len(chunk))
        query = (
            f"SELECT path FROM files WHERE path IN ({marks}) UNION "
            f"SELECT path FROM problems WHERE path IN ({marks}) AND NOT from_scan"
        )
        found.update(path for (path,) in conn.execute(query, [*chunk, *chunk]))
    return found


def remove_files(conn: sqlite3.Connection, paths: Iterable[str]) -> int:
    """Drop files, their articles and problems; returns how many articles went."""
    removed = 0
    for path in paths:
        query = "SELECT num FROM articles WHERE path = ?"
        rowids = [num for (num,) in conn.execute(query, (path,))]
        if rowids:
            related.remove_documents(conn, rowids)
            marks = ",".join("?" * len(rowids))
            conn.execute(f"{FTS_DELETE} WHERE num IN ({marks})", rowids)
            conn.execute(f"DELETE FROM texts WHERE num IN ({marks})", rowids)
            conn.execute(f"DELETE FROM article_authors WHERE num IN ({marks})", rowids)
            conn.execute("DELETE FROM articles WHERE path = ?", (path,))
            removed += len(rowids)
        conn.execute("DELETE FROM files WHERE path = ?", (path,))
        conn.execute("DELETE FROM problems WHERE path = ? AND NOT from_scan", (path,))
    return removed


def add_files(conn: sqlite3.Connection, parsed: Sequence[ParsedFile]) -> range:
    """Store freshly parsed files (callers removed any older version first); returns the
    numbers their articles got, in order."""
    last = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'articles'").fetchone()
    first = (last[0] if last else 0) + 1
    records = [(file.path, record) for file in parsed for record in file.records]
    articles, authors, texts, words = [], [], [], []
    for num, (path, r) in enumerate(records, start=first):
        articles.append(
            (
                *(num, path, r.id, r.title, r.author, r.published, r.date_key, r.title_key),
                *(r.author_key, r.format, r.word_count, r.norm_title, r.body_hash, r.lang),
            )
        )
        authors += [
            (num, position, name, name.casefold(), bio, r.date_key)
            for position, (name, bio) in enumerate(r.authors)
        ]
        names = AUTHOR_SEPARATOR.join(name for name, _ in r.authors) if r.authors else None
        grams = cjk.grams(f"{r.title}\n{r.summary}\n{r.body}")
        texts.append(
            (num, r.title, r.summary, names, r.meta, language_token(r.lang), grams, r.body)
        )
        # the words, unless the parser already worked them out
        made = r.words or related.prepare(r.title, r.summary + "\n\n" + r.body, r.lang)
        words.append((num, *made))
    conn.executemany(INSERT_ARTICLE, articles)
    conn.executemany(INSERT_AUTHOR, authors)
    conn.executemany(INSERT_TEXT, texts)
    conn.execute(f"{FTS_ADD} WHERE num >= ?", (first,))
    conn.executemany(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
        [(file.path, file.size, file.mtime_ns) for file in parsed if not file.retry],
    )
    conn.executemany(
        "INSERT INTO problems(path, reason, from_scan, recovered) VALUES (?, ?, 0, ?)",
        [
            *((file.path, reason, 0) for file in parsed for reason in file.problems),
            *((file.path, reason, 1) for file in parsed for reason in file.warnings),
        ],
    )
    if words:
        related.index_prepared(conn, words)
    return range(first, first + len(records))


_LANGUAGES = """WITH RECURSIVE found(lang) AS (
    SELECT min(lang) FROM articles WHERE lang IS NOT NULL
    UNION ALL
    SELECT (SELECT min(lang) FROM articles WHERE lang > found.lang) FROM found
    WHERE found.lang IS NOT NULL
) SELECT lang FROM found WHERE lang IS NOT NULL"""


def languages(conn: sqlite3.Connection) -> list[str]:
    """The languages of the library's articles (an index seek per language, not a scan)."""
    return [lang for (lang,) in conn.execute(_LANGUAGES)]


def has_undetermined(conn: sqlite3.Connection) -> bool:
    """Whether some article has no known language (an index seek)."""
    return conn.execute("SELECT 1 FROM articles WHERE lang IS NULL LIMIT 1").fetchone() is not None


def bump_generation(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")


def generation(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])


def parse_problem_paths(conn: sqlite3.Connection) -> set[str]:
    return {path for (path,) in conn.execute("SELECT path FROM problems WHERE NOT from_scan")}


def forget_parse_problems(conn: sqlite3.Connection, paths: Iterable[str]) -> None:
    """Drop the read and parse problems of files no longer there (say, deleted mid-refresh)."""
    conn.executemany(
        "DELETE FROM problems WHERE path = ? AND NOT from_scan", [(path,) for path in paths]
    )


def replace_scan_problems(conn: sqlite3.Connection, problems: Iterable[tuple[str, str]]) -> None:
    conn.execute("DELETE FROM problems WHERE from_scan")
    conn.executemany("INSERT INTO problems(path, reason, from_scan) VALUES (?, ?, 1)", problems)


def problem_list(conn: sqlite3.Connection, recovered: bool) -> list[tuple[str, str]]:
    """(path, reason) of the unreadable files, or with `recovered` the warnings, by path."""
    query = "SELECT path, reason FROM problems WHERE recovered = ? ORDER BY path, rowid"
    return [(str(path), str(reason)) for path, reason in conn.execute(query, (int(recovered),))]


def announced(conn: sqlite3.Connection) -> str | None:
    """What `set_announced` last stored: a digest of the problems the faces last told of."""
    found = conn.execute("SELECT value FROM meta WHERE key = 'announced'").fetchone()
    return None if found is None else str(found[0])


def set_announced(conn: sqlite3.Connection, digest: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('announced', ?)", (digest,))
