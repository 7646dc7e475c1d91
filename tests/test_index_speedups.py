"""The indexer's fast paths give exactly what the plain ones give (word runs, word counts,
related-stories words and statistics, worker-side preparation)."""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from libhelpers import article_text, write
from newstui.core.index import db as index
from newstui.core.index import related, scan
from newstui.core.index.build import parse_chunk, refresh_index
from newstui.core.index.scan import FileStat
from newstui.core.index.words import PUNCTUATION, word_runs
from newstui.core.models import count_words
from newstui.core.paths import AppPaths

SAMPLES = [
    "",
    "plain ascii words, numbers 12.5 and under_scores",
    "it's rock'n'roll — “quoted” ‘single’ a''b 'edge' end'",
    "£5 for the ticket… «guillemets» • bullets · dots\xa0and a no-break space",
    "accented café naïve résumé",  # not ASCII: the regex path
    "Ünïcödé ΟΔΟΣ and ß",
    "tabs\tand\nnew lines\r\nand \x1c separators",
    "l’été — 12.5",
]


def random_texts(count: int = 300) -> list[str]:
    rng = random.Random(7)
    pieces = ["word", "it's", "l’été", "—", "“", "”", "£", "x", "_", "9", " ", "\n", ".", "'"]
    pieces += ["café", "A", "Ünï", "’s", "ΣΑΣ", "…", "\xa0"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_punctuation_set_aside_is_never_a_word_character() -> None:
    assert all(not re.match(r"\w", mark) for mark in PUNCTUATION)


def test_word_runs_are_the_regex_runs() -> None:
    for text in SAMPLES + random_texts():
        runs = word_runs(text)
        assert runs is None or runs == re.findall(r"\w+", text), text


def test_word_runs_fall_back_for_other_non_ascii_text() -> None:
    assert word_runs("café") is None
    assert word_runs("“quoted” £5") == ["quoted", "5"]


def test_word_count_is_the_models() -> None:
    for text in SAMPLES + random_texts():
        assert scan.word_count(text) == count_words(text), text


def reference_term_counts(title: str, text: str) -> dict[str, int]:
    """The plain definition: regex words of two or more characters, less stop words, stemmed,
    title words counted TITLE_BOOST times, in order of first appearance."""
    tokens = re.findall(r"\w{2,}", f"{title}\n{text}".lower())
    tokens += re.findall(r"\w{2,}", title.lower()) * (related.TITLE_BOOST - 1)
    counts: dict[str, int] = {}
    for word in tokens:
        if word not in related._STOP_WORDS:
            term = related.stem(word)
            counts[term] = counts.get(term, 0) + 1
    return counts


def test_term_counts_are_the_plain_definition() -> None:
    for text in SAMPLES + random_texts():
        title = text[:20]
        found = related.term_counts(title, text)
        assert list(found.items()) == list(reference_term_counts(title, text).items()), text


def documents(count: int) -> dict[int, tuple[str, str]]:
    rng = random.Random(3)
    vocabulary = [
        "flood",
        "river",
        "rain",
        "goal",
        "match",
        "league",
        "shares",
        "market",
        "bank",
        "storm",
        "coach",
    ]
    return {
        rowid: (
            " ".join(rng.sample(vocabulary, 3)).title(),
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 60))),
        )
        for rowid in range(1, count + 1)
    }


def tables(conn: sqlite3.Connection) -> list[list[tuple[object, ...]]]:
    names = ("related_doc", "related_term", "related_post", "related_meta", "related_pending")
    return [conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall() for name in names]


def build(
    docs: dict[int, tuple[str, str]], counted: set[int], removed: set[int]
) -> sqlite3.Connection:
    """Index `docs`, those in `counted` with their frequencies counted beforehand (as the
    worker processes do), then remove `removed` before `finish`."""
    conn = sqlite3.connect(":memory:")
    for statement in related.SCHEMA:
        conn.execute(statement)
    rows = [(rowid, *related.prepare(title, text)) for rowid, (title, text) in docs.items()]
    related.index_prepared(conn, rows)
    known = related.Counted()
    known.add(
        [row[0] for row in rows if row[0] in counted],
        related.document_frequencies(row[1:] for row in rows if row[0] in counted),
    )
    related.remove_documents(conn, removed)
    related.finish(conn, known if counted else None)
    return conn


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_finish_with_frequencies_counted_beforehand_is_the_same(share: float) -> None:
    docs = documents(80)
    counted = {rowid for rowid in docs if rowid <= share * len(docs)}
    assert tables(build(docs, counted, set())) == tables(build(docs, set(), set()))


def test_finish_recounts_when_a_counted_document_went_meanwhile() -> None:
    docs = documents(40)
    expected = tables(build(docs, set(), {3, 7}))
    assert tables(build(docs, set(docs), {3, 7})) == expected
    assert expected[0] and not any(row[0] in {3, 7} for row in expected[0])


def test_parse_chunk_prepares_words_and_counts_their_frequencies(tmp_path: Path) -> None:
    files = []
    for number in range(5):
        path = write(tmp_path, f"2026-03-0{number + 1}-s.txt", article_text(f"Story {number}"))
        info = path.stat()
        files.append(FileStat(str(path), info.st_size, info.st_mtime_ns))
    bare = parse_chunk(files, with_words=False)
    assert bare.df is None
    assert all(record.words is None for file in bare.files for record in file.records)
    chunk = parse_chunk(files, with_words=True)
    records = [record for file in chunk.files for record in file.records]
    assert len(records) == 5
    prepared: list[related.Prepared] = []
    for record in records:
        text = record.summary + "\n\n" + record.body
        assert record.words == related.prepare(record.title, text, record.lang)
        assert record.words is not None
        prepared.append(record.words)
    assert chunk.df == related.document_frequencies(prepared)
    assert chunk.df == Counter(
        term
        for record in records
        for term in set(related.term_counts(record.title, record.summary + "\n\n" + record.body))
    )


def index_tables(folder: Path, pool_min_files: int) -> list[list[tuple[object, ...]]]:
    db = folder.parent / f"index-{pool_min_files}.sqlite3"
    index.open_index(db)
    conn = index.connect(db, None)
    try:
        refresh_index(conn, folder, pool_min_files=pool_min_files)
        return [
            conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
            for name in (
                "articles",
                "texts",
                "files",
                "related_doc",
                "related_term",
                "related_post",
            )
        ]
    finally:
        conn.close()


def test_worker_processes_give_the_same_related_statistics(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number, (title, text) in documents(30).items():
        write(folder, f"2026-02-{number % 28 + 1:02d}-{number}.txt", article_text(title, [text]))
    assert index_tables(folder, pool_min_files=1) == index_tables(folder, pool_min_files=10**9)


def test_a_changed_file_is_replaced_not_duplicated(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    path = write(folder, "2026-01-01-a.txt", article_text("First Title"))
    db = AppPaths.default().index_db(folder)
    index.open_index(db)
    conn = index.connect(db, None)
    try:
        refresh_index(conn, folder)
        path.write_text(article_text("Second Title") + "\nMore words here.\n", encoding="utf-8")
        refresh_index(conn, folder)
        titles = [title for (title,) in conn.execute("SELECT title FROM articles")]
        docs = conn.execute("SELECT count(*) FROM related_doc").fetchone()[0]
    finally:
        conn.close()
    assert titles == ["Second Title"] and docs == 1
