"""Related stories by content: which other articles talk about the same things.

Python over the index's SQLite database (no textual); `similar` does its arithmetic in
numpy (`vectors`, imported on its first call). Per refresh the index calls
`index_documents` (or `prepare` in worker processes, then `index_prepared`) and
`remove_documents` for new, changed and deleted articles, inside its transaction, then
`finish` once (with the workers' `document_frequencies`, gathered in a `Counted`, it need not
count those documents again); the Library calls `similar` to rank an article's related ones.

Words. A document is a bag of words in its language (`newstui.core.lang`: declared, else
detected): lower-cased runs of two or more letters or digits, its language's stop words
dropped and its Snowball stem taken (English keeps this module's stop words and light
plural stemmer, which score better on English news); the title's words count twice. Stop
words of any language, listed or not, are also caught by the corpus: a word in more than
`COMMON_SHARE` of a library's documents weighs nothing.

Scoring. For a query article q and another article c,

    score(q, c) = sum over shared words t of  idf(t) * tf_q(t) * tf_c(t)

with BM25's saturating, length-normalised term frequency `tf = n (k1 + 1) / (n + k1 len/avg)`
(k1 = 3, b = 1) and `idf = (ln((N + 1) / (df + 1)) + 1) ** 0.8`: a BM25 query made of the whole
article, each word weighted by how much the article uses it. The query is then expanded by
pseudo-relevance feedback (Rocchio): the vectors of its ten best matches are added to it and
the best 40 candidates ranked again, which brings in the topic's vocabulary that q itself
lacks. Word weights (idf) read for one query are kept for the next while the corpus is
unchanged (the Library holds them, per index generation).
Exact copies (the same words) of the query or of a better suggestion are left out.
Reasons: the shared words shown for a match are never generic (`generic_terms`: the
language's stop words in stopwordsiso's list), nor numbers, nor in more than `REASON_SHARE`
of the documents; a match that shares no other word is not related. In a
mixed library a document in another language than q's scores `CROSS_LANGUAGE` of its
score: it shares names with q, but also words that two languages happen to spell alike.
`bench/related_quality.py` measures all this against plain tf-idf cosine.

Storage, tables `related_*` in the index database:
- `related_doc`: each document's words, as ids, and counts in one row, so `similar` reads
  one row per candidate, never a scan, and decodes it in C (`vectors`, numpy);
- `related_term`: each word's id and document frequency; `related_meta`: the corpus totals;
- `related_post`: per word, one blob listing the documents filed under it, best first: each
  document under its 40 most distinctive words (tf * idf when `finish` files it, so function
  words never decide the candidates); `similar` reads the head of the lists of the query's
  16 heaviest words to find ~120 candidates, then scores those exactly.
`index_documents` only tokenises and stores the words as text (`related_pending`: worker
processes know no ids); whatever depends on the whole corpus (ids, frequencies, postings) is
brought up to date by `finish`, in one transaction, for the documents added or removed
since the last call (`related_pending`, `related_gone`, `related_dirty`).
"""

from __future__ import annotations

import math
import re
import sqlite3
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from newstui.core import lang
from newstui.core.index.words import word_runs

if TYPE_CHECKING:
    import numpy.typing as npt

    from newstui.core.index import vectors

SCHEMA: list[str] = [
    # Documents counted and filed. length: words counted; ids: the distinct words' ids
    # (related_term), native uint32s, most frequent first; counts: how often each occurs,
    # one byte each (capped at 255), in the same order; lang: the document's language, or NULL.
    "CREATE TABLE IF NOT EXISTS related_doc(rowid INTEGER PRIMARY KEY, "
    "length INTEGER NOT NULL, ids BLOB NOT NULL, counts BLOB NOT NULL, lang TEXT)",
    # Documents for the next finish() to count and file, their words as `prepare` gave them:
    # terms space-separated, in the order of counts.
    "CREATE TABLE IF NOT EXISTS related_pending(rowid INTEGER PRIMARY KEY, "
    "length INTEGER NOT NULL, terms TEXT NOT NULL, counts BLOB NOT NULL, lang TEXT)",
    # Each word (stem) of the counted documents: its id and how many of them use it.
    "CREATE TABLE IF NOT EXISTS related_term(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, "
    "df INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS related_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    # term: a word's id; entries: native uint64 keys weight << 32 | document rowid, in
    # descending order.
    "CREATE TABLE IF NOT EXISTS related_post(term INTEGER PRIMARY KEY, entries BLOB NOT NULL)",
    # Work for the next finish(): documents to take out of the postings, and the postings
    # lists that hold those.
    "CREATE TABLE IF NOT EXISTS related_gone(rowid INTEGER PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS related_dirty(term INTEGER PRIMARY KEY)",
]

K1 = 3.0  # term-frequency saturation: high, because repeated topic words matter
IDF_POWER = 0.8  # flattens idf a little: a topic's common words count
POSTED_TERMS = 40  # a document is filed under this many of its most distinctive words...
FILING_POOL = 150  # ...among this many of its most frequent ones (the cost of filing)
MAX_POSTINGS = 4000  # longest postings list kept (best weights first)
QUERY_TERMS = 16  # the query's heaviest words, looked up for candidates
POSTINGS_READ = 400  # entries read from each of their lists
CANDIDATES = 120  # documents scored in full
FEEDBACK_DOCS = 10  # best matches folded into the query (Rocchio)
FEEDBACK_WEIGHT = 1.0
WEIGHT_SCALE = 1000  # postings weights are stored as integers
MAX_COUNT = 255
MAX_ROWID = 2**32 - 1  # postings hold 32-bit rowids
_LITTLE_ENDIAN = sys.byteorder == "little"  # keys are native uint64s
MIN_KEY_TERMS, MAX_KEY_TERMS = 2, 4
FINAL_POOL = 40  # documents ranked again with the expanded query: the best of the first pass
TITLE_BOOST = 2  # a title word counts this many times
COMMON_SHARE = 0.3  # a word in more of the documents than this says nothing of a topic...
FILED_SHARE = 0.5  # ...nor is a document filed under one in more than this share
COMMON_MIN_DOCS = 200  # ...in a library of at least this many (smaller ones are too noisy)
REASON_SHARE = 0.2  # ...nor is one in more than this share a reason to call stories related
CROSS_LANGUAGE = 0.6  # a document in another language than the query's scores this share

T = TypeVar("T")

_TOKEN = re.compile(r"\w{2,}")
_STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst an and another any anybody anyhow anyone anything anyway
    anywhere are aren around as at be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond both but by can cannot cant
    could couldn did didn do does doesn doing done don down during each eg either else
    elsewhere enough etc even ever every everybody everyone everything everywhere except few
    for former formerly from further had hadn has hasn have haven having he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however ie if in indeed
    into is isn it its itself just latter latterly least less ll many may me meanwhile might
    mine more moreover most mostly much must my myself namely neither never nevertheless no
    nobody none noone nor not nothing now nowhere of off often on once one only onto or other
    others otherwise our ours ourselves out over own per perhaps please quite rather re
    really same several she should shouldn since so some somebody somehow someone something
    sometime sometimes somewhere still such than that the their theirs them themselves then
    thence there thereafter thereby therefore therein thereupon these they this those though
    through throughout thru thus to together too toward towards under unless until up upon us
    ve very via was wasn we were weren what whatever when whence whenever where whereafter
    whereas whereby wherein whereupon wherever whether which while whither who whoever whole
    whom whose why will with within without won would wouldn yet you your yours yourself
    yourselves
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_STEM_CACHE_MAX = 200_000


# -- words -----------------------------------------------------------------------------------


def stem(word: str) -> str:
    """A light, readable stemmer: plural endings only ("companies" -> "company")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and len(word) > 3 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stemmer_of(language: str | None) -> Callable[[str], str] | None:
    """The stemmer of a language's words, here and in search: the light one for English
    (and text of no known language), else its Snowball stemmer, if it has one."""
    return stem if language in (None, "en") else lang.stemmer(language)


class _Terms(dict[str, str]):
    """Each word of one language seen so far and the term it counts as: its stem, or ""
    for a stop word. English (and text of no known language) keeps this module's stop
    words and light stemmer; other languages get stopwordsiso's list and their Snowball
    stemmer where there is one (`newstui.core.lang`)."""

    def __init__(self, language: str | None) -> None:
        super().__init__()
        self.stop = _STOP_WORDS if language in (None, "en") else lang.stop_words(language)
        self.stem = stemmer_of(language) or str

    def __missing__(self, word: str) -> str:
        if len(self) >= _STEM_CACHE_MAX:
            self.clear()
        term = self[word] = "" if len(word) < 2 or word in self.stop else self.stem(word)
        return term


class _Languages(dict[str | None, _Terms]):
    def __missing__(self, language: str | None) -> _Terms:
        terms = self[language] = _Terms(language)
        return terms


_TERMS = _Languages()


def term_counts(title: str, text: str, language: str | None = None) -> dict[str, int]:
    """How often each word that can describe a document occurs in it (title and text),
    in order of first appearance."""
    tokens = _tokens(f"{title}\n{text}".lower())
    if TITLE_BOOST > 1:
        tokens += _tokens(title.lower()) * (TITLE_BOOST - 1)
    terms = _TERMS[language]
    counts = Counter(map(terms.__getitem__, tokens))  # (loops in C: the hot path of indexing)
    counts.pop("", None)
    return counts


def surface_forms(title: str, text: str, language: str | None = None) -> dict[str, str]:
    """term -> the word that stands for it most often in this text ("wahl" -> "Wahlen"):
    what a reason shows instead of a stem. Lower case wins where the text uses it (a
    capital at the start of a headline or a sentence is not a name's)."""
    terms = _TERMS[language]
    raw = f"{title}\n{text}"
    words = word_runs(raw)  # (one-letter words too: their term is "")
    if words is None:
        words = _TOKEN.findall(raw)
    stems = map(terms.__getitem__, map(str.lower, words))
    seen = Counter(zip(stems, words, strict=True))  # (in C)
    forms: dict[str, str] = {}
    for (term, word), _ in seen.most_common():
        if term and (term not in forms or (word.islower() and not forms[term].islower())):
            forms[term] = word
    return forms


def _tokens(lowered: str) -> list[str]:
    """The words of lower-cased text; one-letter ones too, when that is faster (`_TERMS`
    drops them)."""
    runs = word_runs(lowered)
    return runs if runs is not None else _TOKEN.findall(lowered)


def _readable(term: str) -> bool:
    return len(term) >= 3 and term.isalpha()


@cache
def generic_terms(language: str | None) -> frozenset[str]:
    """The terms of `language`'s stop words in stopwordsiso's list (and, for English, this
    module's): words like "says", "like" or "knows" that name nothing two stories share."""
    listed = lang.stop_words(language or "en")
    if language in (None, "en"):
        listed |= _STOP_WORDS
    stem = stemmer_of(language) or str
    return frozenset(map(stem, listed))


# -- storage helpers -------------------------------------------------------------------------


def _chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(items: Sized) -> str:
    return ",".join("?" * len(items))


def _ids(blob: bytes) -> array[int]:
    """A document's stored word ids (native uint32s)."""
    ids = array("I")
    ids.frombytes(blob[: len(blob) - len(blob) % ids.itemsize])
    return ids


class KnownIdfs:
    """Word weights (idf) read so far from one unchanged corpus, by word id (NaN: not read
    yet; 0.0: a word that carries no weight, used by one document only). The Library keeps
    one per index generation; 8 bytes a word of the library at most."""

    __slots__ = ("table",)

    def __init__(self) -> None:
        self.table: vectors.Floats | None = None


def _idfs(
    conn: sqlite3.Connection, ids: vectors.Ids, docs: int, known: KnownIdfs
) -> vectors.Floats:
    """The idf of each of these words, 0.0 for a word of one document (it links it to
    nothing); read once while the corpus is unchanged (`known`)."""
    import numpy as np

    from newstui.core.index import vectors

    table = known.table = vectors.grown(known.table, int(ids.max()) + 2 if len(ids) else 1)
    values = table[ids]
    missing = ids[np.isnan(values)]
    if len(missing):
        idf = _Idf(docs)
        read = _read_document_frequencies(conn, missing.tolist())
        table[missing] = 0.0
        weighed = [(word, idf[df]) for word, df in read.items() if df > 1]
        if weighed:
            words, weights = zip(*weighed, strict=True)
            table[np.array(words, dtype=np.uint32)] = weights
        values = table[ids]
    return values


def _read_document_frequencies(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        sql = f"SELECT id, df FROM related_term WHERE id IN ({_marks(chunk)})"
        found.update(conn.execute(sql, chunk))
    return found


def _names(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    found: dict[int, str] = {}
    for chunk in _chunks(wanted):
        sql = f"SELECT id, term FROM related_term WHERE id IN ({_marks(chunk)})"
        found.update(conn.execute(sql, chunk))
    return found


def _meta(conn: sqlite3.Connection) -> tuple[int, int]:
    """(documents counted, their total length in words)."""
    values = dict(conn.execute("SELECT key, value FROM related_meta"))
    return int(values.get("docs", 0)), int(values.get("words", 0))


def _add_meta(conn: sqlite3.Connection, docs: int, words: int) -> None:
    conn.executemany(
        "INSERT INTO related_meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
        [("docs", docs), ("words", words)],
    )


def _common_df(docs: int, share: float | None = None) -> int:
    """Words in more documents than this carry no weight (the stop words of any language)."""
    share = COMMON_SHARE if share is None else share
    return int(docs * share) if docs >= COMMON_MIN_DOCS else docs


def _idf(docs: int, df: int) -> float:
    return float((math.log((docs + 1) / (df + 1)) + 1.0) ** IDF_POWER)


class _Idf(dict[int, float]):
    """idf by document frequency, each worked out once (many words share a frequency)."""

    def __init__(self, docs: int) -> None:
        super().__init__()
        self.docs = docs

    def __missing__(self, df: int) -> float:
        value = self[df] = _idf(self.docs, df)
        return value


def _halves(entries: bytes) -> tuple[array[int], array[int]]:
    """A postings list's rowids and weights, read as 32-bit halves of its keys."""
    halves = array("I")
    halves.frombytes(entries[: len(entries) - len(entries) % 8])
    low, high = halves[0::2], halves[1::2]
    return (low, high) if _LITTLE_ENDIAN else (high, low)


def _decode(entries: bytes) -> array[int]:
    """A postings list: keys weight << 32 | rowid, best weight first."""
    keys = array("Q")
    keys.frombytes(entries[: len(entries) - len(entries) % keys.itemsize])
    return keys


# -- the index's API: writing ----------------------------------------------------------------

Prepared = tuple[int, str, bytes, str | None]  # length, terms, counts, lang (see SCHEMA)
PreparedRow = tuple[int, int, str, bytes, str | None]  # rowid, then a Prepared


def prepare(title: str, text: str, language: str | None = None) -> Prepared:
    """The words of a document as `index_prepared` stores them, most frequent first (among
    equals, those seen first, so the title's), in the words of its `language`.

    Independent of the database, so worker processes can run it in parallel."""
    counts = term_counts(title, text, language)
    ordered = sorted(counts, key=counts.__getitem__, reverse=True)  # stable: ties in order
    try:
        packed = bytes(map(counts.__getitem__, ordered))
    except ValueError:  # a count above 255
        packed = bytes(min(counts[word], MAX_COUNT) for word in ordered)
    return sum(counts.values()), " ".join(ordered), packed, language


def index_documents(
    conn: sqlite3.Connection, docs: Iterable[tuple[int, str, str]], language: str | None = None
) -> None:
    """Store the words of new or changed documents; `finish` makes them findable."""
    rows = [(rowid, *prepare(title, text, language)) for rowid, title, text in docs]
    index_prepared(conn, rows)


def index_prepared(conn: sqlite3.Connection, rows: Sequence[PreparedRow]) -> None:
    """`index_documents` for documents already through `prepare`: (rowid, *prepared)."""
    if not rows:
        return
    remove_documents(conn, [row[0] for row in rows])
    conn.executemany(
        "INSERT INTO related_pending(rowid, length, terms, counts, lang) VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def remove_documents(conn: sqlite3.Connection, rowids: Iterable[int]) -> None:
    """Forget documents: deleted ones, or changed ones about to be indexed again."""
    wanted = list(rowids)
    gone: Counter[int] = Counter()
    filed: list[tuple[int]] = []
    words = 0
    for chunk in _chunks(wanted):
        marks = _marks(chunk)
        for rowid, length, ids in conn.execute(
            f"SELECT rowid, length, ids FROM related_doc WHERE rowid IN ({marks})", chunk
        ):
            filed.append((rowid,))
            words += length
            gone.update(_ids(ids))
        for table in ("related_doc", "related_pending"):
            conn.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)
    if not filed:
        return
    conn.executemany("INSERT OR IGNORE INTO related_gone(rowid) VALUES (?)", filed)
    # Which of its words a document was filed under depended on the corpus of the time:
    # any of them may list it.
    conn.executemany("INSERT OR IGNORE INTO related_dirty(term) VALUES (?)", [(t,) for t in gone])
    conn.executemany(
        "UPDATE related_term SET df = df - ? WHERE id = ?", [(n, t) for t, n in gone.items()]
    )
    # A word no document uses any more goes; its id may be given again (its postings go
    # with the documents in related_gone).
    conn.executemany("DELETE FROM related_term WHERE id = ? AND df <= 0", [(t,) for t in gone])
    _add_meta(conn, -len(filed), -words)


def document_frequencies(prepared: Iterable[Prepared]) -> Counter[str]:
    """How many of these documents use each word: their share of `related_term.df`,
    counted where they were prepared (a worker process) and handed to `finish` by a
    `Counted`."""
    found: Counter[str] = Counter()
    for _length, terms, _counts, _lang in prepared:
        if terms:
            found.update(terms.split(" "))
    return found


class Counted:
    """Documents given to `index_prepared` whose `document_frequencies` are known: `finish`
    then need not count them again. It checks that they are all still pending; their rowids
    must be new ones (as the index's are: never reused)."""

    __slots__ = ("df", "rowids")

    def __init__(self) -> None:
        self.rowids: set[int] = set()
        self.df: Counter[str] = Counter()

    def add(self, rowids: Iterable[int], df: Counter[str]) -> None:
        self.rowids.update(rowids)
        self.df.update(df)


_PENDING = "rowid, length, terms, counts, lang"
_READ_ALL_TERMS = 20_000  # more words than this to look up: read the whole related_term
_STORE_ROWS = 1000  # documents moved from related_pending to related_doc at a time


def finish(conn: sqlite3.Connection, counted: Counted | None = None) -> None:
    """Count pending documents into the statistics, store their words as ids, file each
    under its most distinctive words (tf * idf, so the function words of any language never
    decide the candidates) and rewrite the postings that change."""
    pending_docs, pending_words = conn.execute(
        "SELECT count(*), coalesce(sum(length), 0) FROM related_pending"
    ).fetchone()
    if not pending_docs:
        _rewrite_postings(conn, {})
        return
    _add_meta(conn, pending_docs, pending_words)
    docs, words = _meta(conn)
    avg = words / docs if docs else 1.0
    pending = [rowid for (rowid,) in conn.execute("SELECT rowid FROM related_pending")]
    known = counted.rowids if counted is not None else set()
    unknown = [rowid for rowid in pending if rowid not in known]
    if counted is not None and len(pending) - len(unknown) != len(known):
        unknown = pending  # some of them were removed since: count them all here
    delta = counted.df.copy() if counted is not None and unknown is not pending else Counter()
    for chunk in _chunks(unknown):
        sql = f"SELECT terms FROM related_pending WHERE rowid IN ({_marks(chunk)})"
        for (terms,) in conn.execute(sql, chunk):
            delta.update(terms.split(" ") if terms else ())
    import numpy as np

    from newstui.core.index import vectors

    vocabulary, weight = _count_words(conn, delta, docs)
    filing = vectors.Vector(
        np.fromiter(weight, dtype=np.uint32, count=len(weight)),
        np.fromiter(weight.values(), dtype=np.float64, count=len(weight)),
    ).weights
    filed: list[vectors.Ids] = []
    keys: list[npt.NDArray[np.uint64]] = []
    # A chunk at a time, so that the pages its text leaves are reused for the next ones.
    for chunk in _chunks(pending, _STORE_ROWS):
        marks = _marks(chunk)
        rows: list[tuple[int, int, bytes, bytes, str | None]] = []
        sql = f"SELECT {_PENDING} FROM related_pending WHERE rowid IN ({marks})"
        for rowid, length, terms, counts, language in conn.execute(sql, chunk):
            ids = array("I", map(vocabulary.__getitem__, terms.split(" ") if terms else ()))
            rows.append((rowid, length, ids.tobytes(), counts, language))
        conn.execute(f"DELETE FROM related_pending WHERE rowid IN ({marks})", chunk)
        conn.executemany(
            "INSERT INTO related_doc(rowid, length, ids, counts, lang) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        rows = [row for row in rows if row[0] <= MAX_ROWID]  # postings hold 32-bit rowids
        found = vectors.filed(
            [row[0] for row in rows],
            [row[1] for row in rows],
            [row[2][: 4 * FILING_POOL] for row in rows],
            [row[3][:FILING_POOL] for row in rows],
            filing,
            avg,
            K1,
            POSTED_TERMS,
            WEIGHT_SCALE,
        )
        filed.append(found[0])
        keys.append(found[1])
    _rewrite_postings(conn, vectors.grouped(filed, keys))


def _count_words(
    conn: sqlite3.Connection, delta: Counter[str], docs: int
) -> tuple[dict[str, int], dict[int, float]]:
    """Add `delta` to the words' document frequencies, giving new words ids; returns each
    word's id, and the idf of those a document may be filed under: words of letters only,
    not in more than a `FILED_SHARE` of the documents."""
    if len(delta) > _READ_ALL_TERMS:
        everything = conn.execute("SELECT id, term, df FROM related_term")
        stored = {term: (id_, df) for id_, term, df in everything}
    else:
        stored = {}
        for chunk in _chunks(list(delta)):
            sql = f"SELECT id, term, df FROM related_term WHERE term IN ({_marks(chunk)})"
            stored.update((term, (id_, df)) for id_, term, df in conn.execute(sql, chunk))
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM related_term").fetchone()
    # New words get the next ids in alphabetical order: the same ids whatever counted them.
    fresh = sorted(term for term in delta if term not in stored)
    stored.update((term, (id_, 0)) for id_, term in enumerate(fresh, start=last + 1))
    vocabulary: dict[str, int] = {}
    frequencies: dict[int, int] = {}
    added: list[tuple[int, str, int]] = []
    for term, count in delta.items():
        id_, df = stored[term]
        vocabulary[term] = id_
        frequencies[id_] = df + count
        added.append((id_, term, count))
    conn.executemany(
        "INSERT INTO related_term(id, term, df) VALUES (?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET df = df + excluded.df",
        added,
    )
    idf = _Idf(docs)
    common = _common_df(docs, FILED_SHARE)
    weight = {
        vocabulary[term]: idf[frequencies[vocabulary[term]]]
        for term in delta
        if frequencies[vocabulary[term]] <= common and term.isalpha()
    }
    return vocabulary, weight


def _rewrite_postings(conn: sqlite3.Connection, new: dict[int, list[int]]) -> None:
    """Merge new entries into their lists, dropping the documents in related_gone."""
    gone = {rowid for (rowid,) in conn.execute("SELECT rowid FROM related_gone")}
    dirty = {term for (term,) in conn.execute("SELECT term FROM related_dirty")}
    changed = sorted(dirty | new.keys())
    rows: list[tuple[int, bytes]] = []
    empty: list[tuple[int]] = []
    for chunk in _chunks(changed):
        sql = f"SELECT term, entries FROM related_post WHERE term IN ({_marks(chunk)})"
        old = dict(conn.execute(sql, chunk))
        for term in chunk:
            keys = new.get(term, [])
            if term in old:
                kept = _decode(old[term])
                if term in dirty:
                    keys += [key for key in kept if key & MAX_ROWID not in gone]
                else:
                    keys += kept
            if not keys:
                empty.append((term,))
                continue
            keys.sort(reverse=True)
            rows.append((term, array("Q", keys[:MAX_POSTINGS]).tobytes()))
    conn.executemany("INSERT OR REPLACE INTO related_post(term, entries) VALUES (?, ?)", rows)
    conn.executemany("DELETE FROM related_post WHERE term = ?", empty)
    conn.execute("DELETE FROM related_gone")
    conn.execute("DELETE FROM related_dirty")


# -- the index's API: reading ----------------------------------------------------------------


class _Docs:
    """Some documents as `similar` reads them: their word vectors in one `vectors.Batch`."""

    __slots__ = ("batch", "langs", "rowids", "signatures")

    def __init__(self, rows: list[tuple[int, int, bytes, bytes, str | None]], avg: float) -> None:
        from newstui.core.index import vectors

        # A row whose ids do not match its counts (a damaged index) counts as no words.
        rows = [
            row if len(row[2]) == 4 * len(row[3]) else (*row[:2], b"", b"", row[4]) for row in rows
        ]
        self.rowids = [row[0] for row in rows]
        self.langs = [row[4] for row in rows]
        self.signatures = [(row[2], row[3]) for row in rows]  # equal for the very same words
        self.batch = vectors.Batch(
            [row[1] for row in rows], [row[2] for row in rows], [row[3] for row in rows], avg, K1
        )


def _load_docs(conn: sqlite3.Connection, rowids: Sequence[int], avg: float) -> _Docs:
    rows: list[tuple[int, int, bytes, bytes, str | None]] = []
    for chunk in _chunks(rowids):
        sql = (
            "SELECT rowid, length, ids, counts, lang FROM related_doc "
            f"WHERE rowid IN ({_marks(chunk)})"
        )
        rows += conn.execute(sql, chunk)
    return _Docs(rows, avg)


def similar(
    conn: sqlite3.Connection,
    rowid: int,
    limit: int,
    exclude: set[int],
    known: KnownIdfs | None = None,
) -> list[tuple[int, float, list[str]]]:
    """The `limit` documents most similar to document `rowid`, best first.

    Each comes as (rowid, score, shared key words): the score is relative to the query's
    similarity to itself (so about 0 to 1); the words, at most four, are the shared terms
    (stems: `surface_forms` has the words) that weigh most in the score. A document in
    another language than the query's counts `CROSS_LANGUAGE` of its score. Never `rowid`
    itself, a rowid in `exclude`, or a document with exactly the same words as the query or
    as a better match (a copy). `known`: idfs kept between calls while the corpus stays the
    same; they save a third of the time.
    """
    import numpy as np

    from newstui.core.index import vectors

    docs, words = _meta(conn)
    if not docs or limit <= 0:
        return []
    known = known or KnownIdfs()
    avg = words / docs
    query = _load_docs(conn, [rowid], avg)
    if not query.rowids:
        return []
    # Words in more than COMMON_SHARE of the documents (idf below `common`) weigh nothing
    # for a query in a language without this module's curated stop words, and are never
    # shown as reasons.
    common = _idf(docs, _common_df(docs))
    language = query.langs[0]
    floor = 0.0 if language in (None, "en") else common
    idfs = _idfs(conn, query.batch.ids, docs, known)
    kept = (idfs > 0) & (idfs >= floor)
    ids, weights = query.batch.ids[kept], (query.batch.tf * idfs)[kept]
    if not len(ids):
        return []
    vector = vectors.Vector(ids, weights)
    # Excluded documents (often the article's own picks) still inform the feedback step.
    heaviest = vectors.ranked(weights)[:QUERY_TERMS]
    weight_of = dict(zip(ids[heaviest].tolist(), weights[heaviest].tolist(), strict=True))
    sql = f"SELECT term, substr(entries, 1, ?) FROM related_post WHERE term IN ({_marks(heaviest)})"
    found = conn.execute(sql, [POSTINGS_READ * 8, *weight_of])
    lists = [(entries, weight_of[word]) for word, entries in found]
    pool = _load_docs(conn, vectors.best_postings(lists, rowid, CANDIDATES), avg)
    # Another language's document shares a word by spelling as often as by topic.
    shares = np.array(
        [
            CROSS_LANGUAGE if other and language and other != language else 1.0
            for other in pool.langs
        ]
    )
    first = vector.scores(pool.batch) * shares
    order = vectors.ranked(first)
    # Rocchio: the query plus the mean of its best matches' weighted word vectors.
    expanded = vector
    if order:
        feedback = order[:FEEDBACK_DOCS]
        more, mass = vectors.word_sums(*pool.batch.entries(feedback))
        idf = _idfs(conn, more, docs, known)
        idf = np.where(idf >= floor, idf, 0.0)
        expanded = vectors.Vector(more, FEEDBACK_WEIGHT / len(feedback) * mass * idf, vector)
    # Only the best of the first pass can end up on top: ranking more again changes nothing.
    rescored = order[: max(FINAL_POOL, 4 * limit + len(exclude))]
    final = (expanded.scores(pool.batch) * shares).tolist()
    top = float(expanded.scores(query.batch)[0]) or 1.0
    picked: list[tuple[int, float]] = []
    seen: set[object] = {query.signatures[0]}
    # Best first; equal scores (up to rounding) in rowid order, so results are stable.
    for member in sorted(rescored, key=lambda m: (-round(final[m], 9), pool.rowids[m])):
        if final[member] <= 0 or len(picked) == 2 * limit:  # (some may share no reason)
            break
        other, signature = pool.rowids[member], pool.signatures[member]
        if other in exclude or signature in seen:  # excluded, or a copy of a better one
            continue
        seen.add(signature)
        picked.append((member, min(final[member] / top, 1.0)))
    # (the query's own idfs: another thread may be growing the `known` table meanwhile)
    table = vectors.Vector(ids, idfs[kept]).weights
    # A reason is a word neither listed as generic nor in more than REASON_SHARE of the
    # documents; a match that shares no such word is not related.
    telling = max(common, _idf(docs, _common_df(docs, REASON_SHARE)))
    shared = [
        sorted(vector.shared(pool.batch, member, table, telling), reverse=True)
        for member, _ in picked
    ]
    reasons = _key_terms(conn, shared, generic_terms(language))
    related = [
        (pool.rowids[member], score, terms)
        for (member, score), terms in zip(picked, reasons, strict=True)
        if terms
    ]
    return related[:limit]


_KEY_POOL = 12  # a match's heaviest shared words named at first (more if too few are readable)


def _key_terms(
    conn: sqlite3.Connection, shared: list[list[tuple[float, int]]], generic: frozenset[str]
) -> list[list[str]]:
    """For each match, from the words it shares with the query (weight, id; heaviest
    first), those that weigh most, readable ones first; never a `generic` one, a number
    or anything else that is not letters."""

    def head(pairs: list[tuple[float, int]]) -> list[tuple[float, int]]:
        # the first _KEY_POOL, and any that weigh the same as the last of them
        if len(pairs) <= _KEY_POOL:
            return pairs
        cut = pairs[_KEY_POOL - 1][0]
        return [pair for pair in pairs if pair[0] >= cut]

    names = _names(conn, {word for pairs in shared for _, word in head(pairs)})
    found: list[list[str]] = []
    for pairs in shared:
        heads = head(pairs)
        terms = _ranked_terms(heads, names)
        if len(heads) < len(pairs) and sum(map(_readable, terms)) < MAX_KEY_TERMS:
            names.update(_names(conn, {word for _, word in pairs if word not in names}))
            terms = _ranked_terms(pairs, names)
        terms = [term for term in terms if term.isalpha() and term not in generic]
        readable = list(islice(filter(_readable, terms), MAX_KEY_TERMS))
        if len(readable) < MIN_KEY_TERMS:
            readable += [term for term in terms if not _readable(term)]
        found.append(readable[:MAX_KEY_TERMS])
    return found


def _ranked_terms(pairs: list[tuple[float, int]], names: dict[int, str]) -> list[str]:
    """Words by falling weight, equal weights by falling spelling."""
    return [term for _, term in sorted(((w, names.get(i, "")) for w, i in pairs), reverse=True)]
