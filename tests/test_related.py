"""The related-stories scorer on small synthetic corpora (newstui.core.index.related, no Library)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator

import numpy as np
import pytest

from newstui.core.index import related

TOPICS = {
    "floods": "flood river rain levee evacuation rescue storm water valley farmers",
    "football": "football goal striker match league keeper penalty season coach stadium",
    "markets": "shares market investors stocks bond index trading profit bank inflation",
}
FILLER = "the day people said new report week time local year officials city"


def story(topic: str, seed: int, words: int = 60) -> tuple[str, str]:
    rng = random.Random(f"{topic}-{seed}")
    vocabulary, filler = TOPICS[topic].split(" "), FILLER.split(" ")
    title = " ".join(rng.sample(vocabulary, 3)).title()
    body = " ".join(rng.choice(vocabulary if rng.random() < 0.4 else filler) for _ in range(words))
    return title, body


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    for statement in related.SCHEMA:
        connection.execute(statement)
    yield connection
    connection.close()


def build(conn: sqlite3.Connection, docs: dict[int, tuple[str, str]]) -> None:
    conn.execute("BEGIN")
    related.index_documents(conn, [(rowid, title, text) for rowid, (title, text) in docs.items()])
    related.finish(conn)
    conn.execute("COMMIT")


def corpus(per_topic: int = 8) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    docs, topic_of = {}, {}
    rowid = 1
    for topic in TOPICS:
        for seed in range(per_topic):
            docs[rowid] = story(topic, seed)
            topic_of[rowid] = topic
            rowid += 1
    return docs, topic_of


def test_on_topic_stories_rank_above_off_topic(conn: sqlite3.Connection) -> None:
    docs, topic_of = corpus()
    build(conn, docs)
    for rowid, topic in topic_of.items():
        found = related.similar(conn, rowid, 5, set())
        assert len(found) == 5
        assert [topic_of[other] for other, _, _ in found] == [topic] * 5
        scores = [score for _, score, _ in found]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < score <= 1 for score in scores)


def test_never_the_query_itself_nor_excluded_rowids(conn: sqlite3.Connection) -> None:
    docs, _ = corpus()
    build(conn, docs)
    first = [other for other, _, _ in related.similar(conn, 1, 4, set())]
    assert 1 not in first
    again = [other for other, _, _ in related.similar(conn, 1, 4, set(first[:2]))]
    assert not set(first[:2]) & set(again)
    assert 1 not in again
    assert again[:2] == first[2:]


def test_limit_is_honoured(conn: sqlite3.Connection) -> None:
    docs, _ = corpus()
    build(conn, docs)
    assert len(related.similar(conn, 1, 2, set())) == 2
    assert related.similar(conn, 1, 0, set()) == []


def test_shared_key_terms_are_readable_words_both_stories_use(conn: sqlite3.Connection) -> None:
    docs = {
        1: ("Levee breaks as river floods valley", "The river flood forced an evacuation. " * 3),
        2: ("Rescue crews reach flooded valley", "Floods: the river rose; rescue in the valley."),
        3: ("Striker scores late goal", "The striker's goal won the match for the league leaders."),
        4: ("Bank raises rates", "Shares fell as the bank raised rates and inflation rose."),
    }
    build(conn, docs)
    best, _, terms = related.similar(conn, 1, 1, set())[0]
    assert best == 2
    assert 2 <= len(terms) <= 4
    assert set(terms) <= {"river", "valley", "flood", "rescue", "evacuation"}
    assert all(term.isalpha() for term in terms)


def test_exact_copies_are_never_suggested(conn: sqlite3.Connection) -> None:
    docs, _ = corpus()
    title, text = docs[1]
    docs[100] = (title, text)  # a copy of the query
    docs[101] = docs[2]  # two copies of another story
    build(conn, docs)
    found = [other for other, _, _ in related.similar(conn, 1, 10, set())]
    assert 100 not in found
    assert not {2, 101} <= set(found)


def test_removed_documents_disappear_everywhere(conn: sqlite3.Connection) -> None:
    docs, _ = corpus()
    docs[50] = ("Zeppelin hangar reopens", "zeppelin zeppelin hangar flood river rain levee")
    build(conn, docs)
    assert 50 in [other for other, _, _ in related.similar(conn, 1, 30, set())]
    conn.execute("BEGIN")
    related.remove_documents(conn, [50])
    related.finish(conn)
    conn.execute("COMMIT")
    assert 50 not in [other for other, _, _ in related.similar(conn, 1, 30, set())]
    assert related.similar(conn, 50, 5, set()) == []
    assert conn.execute("SELECT df FROM related_term WHERE term = 'zeppelin'").fetchone() is None
    for (entries,) in conn.execute("SELECT entries FROM related_post"):
        assert all(key & related.MAX_ROWID != 50 for key in related._decode(entries))
    docs_count, words = related._meta(conn)
    assert docs_count == len(docs) - 1
    assert words == sum(length for (length,) in conn.execute("SELECT length FROM related_doc"))


def test_a_changed_document_is_scored_by_its_new_words(conn: sqlite3.Connection) -> None:
    docs, topic_of = corpus()
    build(conn, docs)
    football = next(rowid for rowid, topic in topic_of.items() if topic == "football")
    conn.execute("BEGIN")
    related.index_documents(conn, [(1, *story("football", 99))])  # story 1 was about floods
    related.finish(conn)
    conn.execute("COMMIT")
    found = [other for other, _, _ in related.similar(conn, 1, 5, set())]
    assert {topic_of[other] for other in found} == {"football"}
    assert 1 in [other for other, _, _ in related.similar(conn, football, 8, set())]
    df = dict(conn.execute("SELECT term, df FROM related_term"))
    assert df["levee"] == sum("levee" in related.term_counts(*docs[r]) for r in docs if r != 1)


def test_documents_are_findable_only_after_finish(conn: sqlite3.Connection) -> None:
    docs, _ = corpus()
    conn.execute("BEGIN")
    related.index_documents(conn, list((rowid, *doc) for rowid, doc in docs.items()))
    assert related.similar(conn, 1, 5, set()) == []
    related.finish(conn)
    conn.execute("COMMIT")
    assert len(related.similar(conn, 1, 5, set())) == 5


def test_empty_and_one_word_documents_do_not_break_anything(conn: sqlite3.Connection) -> None:
    docs, _ = corpus(per_topic=3)
    docs[40] = ("", "")
    docs[41] = ("Flood", "")
    docs[42] = ("The", "and of a")  # stop words only
    docs[43] = ("!!!", "— … ###")
    docs[44] = ("Flood", "flood " * 300)  # a count above what one byte holds
    build(conn, docs)
    for rowid in (40, 41, 42, 43, 44):
        for other, score, terms in related.similar(conn, rowid, 5, set()):
            assert other != rowid and score > 0 and terms
    assert related.similar(conn, 999, 5, set()) == []  # unknown rowid
    assert 40 not in [other for other, _, _ in related.similar(conn, 1, 20, set())]


def test_an_empty_index_answers_nothing(conn: sqlite3.Connection) -> None:
    related.finish(conn)
    assert related.similar(conn, 1, 5, set()) == []
    related.remove_documents(conn, [1, 2])
    related.index_documents(conn, [])


def test_prepare_then_index_prepared_equals_index_documents() -> None:
    docs, _ = corpus(per_topic=4)
    tables = []
    for split in (False, True):
        connection = sqlite3.connect(":memory:")
        for statement in related.SCHEMA:
            connection.execute(statement)
        rows = [(rowid, title, text) for rowid, (title, text) in docs.items()]
        if split:
            related.index_prepared(connection, [(r, *related.prepare(t, x)) for r, t, x in rows])
        else:
            related.index_documents(connection, rows)
        related.finish(connection)
        tables.append(
            [
                connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("related_doc", "related_term", "related_post", "related_meta")
            ]
        )
    assert tables[0] == tables[1]


def test_schema_can_be_applied_twice(conn: sqlite3.Connection) -> None:
    for statement in related.SCHEMA:
        conn.execute(statement)


def test_words_are_casefolded_stop_words_dropped_plurals_stripped() -> None:
    counts = related.term_counts("Companies and Floods", "the company's flood, FLOODS; 2005 a")
    boost = related.TITLE_BOOST  # title words count this many times
    assert counts == {"company": boost + 1, "flood": boost + 2, "2005": 1}
    assert related.stem("glass") == "glass"
    assert related.stem("status") == "status"
    assert related.stem("crisis") == "crisis"


def test_kept_frequencies_change_nothing(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Document frequencies kept between calls give the very same answers and read no row
    twice."""
    docs, topic_of = corpus()
    build(conn, docs)
    known = related.KnownIdfs()
    for rowid in topic_of:
        assert related.similar(conn, rowid, 5, set(), known) == related.similar(
            conn, rowid, 5, set()
        )
    assert known.table is not None and (known.table[~np.isnan(known.table)] >= 0).all()
    reads: list[int] = []
    real_read = related._read_document_frequencies

    def counting(c: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
        reads.append(len(ids))
        return real_read(c, ids)

    monkeypatch.setattr(related, "_read_document_frequencies", counting)
    related.similar(conn, 1, 5, set(), known)
    assert reads == []  # every word already known
    related.similar(conn, 1, 5, set(), related.KnownIdfs())
    assert reads


def test_stored_words_come_back_once_each_with_their_count_weight(
    conn: sqlite3.Connection,
) -> None:
    """Words are stored in falling counts (ties in order of first appearance), as ids once
    counted, and a loaded document reads each word once, weighted by its own count."""
    title, text = "Flood flood river", "storm 4x4 " + "rain river levee b52 " * 3 + "valley " * 7
    length, terms, counts, language = related.prepare(title, text)
    words, numbers = terms.split(" "), list(counts)
    assert language is None
    assert numbers == sorted(numbers, reverse=True)
    assert words[:3] == ["valley", "river", "flood"]
    assert related.term_counts(title, text) == dict(zip(words, numbers, strict=True))
    conn.execute("BEGIN")
    related.index_prepared(conn, [(1, length, terms, counts, language)])
    related.finish(conn)
    conn.execute("COMMIT")
    ids = dict(conn.execute("SELECT term, id FROM related_term"))
    (stored,) = conn.execute("SELECT ids FROM related_doc").fetchone()
    assert list(related._ids(stored)) == [ids[word] for word in words]
    docs = related._load_docs(conn, [1], avg=10.0)
    scale = related.K1 * length / 10.0
    expected = {
        ids[w]: n * (related.K1 + 1) / (n + scale) for w, n in zip(words, numbers, strict=True)
    }
    weighed = list(zip(docs.batch.ids.tolist(), docs.batch.tf.tolist(), strict=True))
    assert len(weighed) == len(words) and dict(weighed) == expected


def test_reasons_do_not_depend_on_how_many_words_are_named_first(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Key words are named a few at a time (the heaviest first): naming one at first gives
    the very reasons naming all of them does, numbers and short words after the words."""
    docs, topic_of = corpus()
    docs[30] = ("Flood 2026 ab", "flood river 2026 2026 ab ab x1 x1 levee storm " * 3)
    docs[31] = ("Flood 2026 ab", "flood river 2026 2026 ab ab x1 x1 rain storm " * 3)
    build(conn, docs)
    answers = []
    for pool in (1, 1000):
        monkeypatch.setattr(related, "_KEY_POOL", pool)
        answers.append([related.similar(conn, rowid, 5, set()) for rowid in (*topic_of, 30)])
    assert answers[0] == answers[1]
    reasons = {other: terms for other, _, terms in answers[0][-1]}
    assert set(reasons[31][:3]) == {"flood", "river", "storm"}  # words before "2026", "ab"
