"""Reasons a reader believes (issue 32): the words shown for a related story name what the
two stories share, never generic words, and stories that share only those are not related."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator

import pytest

from newstui.core import lang
from newstui.core.index import related


def made_up_words(rng: random.Random, count: int) -> str:
    """Words of no language: topics (each of 12 in a twelfth of the stories, like a topic
    word of real news, not in a quarter of them)."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    return " ".join("".join(rng.sample(syllables, 3)) for _ in range(count))


GENERIC = "says people like going good able knows want take government 2024 12"
WHALE = "whale whales pod ocean migration krill calves blubber sonar humpback"

GENERIC_DE = "laut Montag Dienstag ebenfalls erstmals dürfte sagte 2024 12"


def quarter(generic: str, number: int) -> str:
    """The generic words story `number` uses: each word in every fourth story."""
    return " ".join(word for i, word in enumerate(generic.split()) if (number + i) % 4 == 0)


def text(rng: random.Random, topic: str, generic: str, words: int = 50) -> str:
    vocabulary, common = topic.split(" "), generic.split(" ")
    return " ".join(rng.choice(vocabulary if rng.random() < 0.4 else common) for _ in range(words))


def build(docs: dict[int, tuple[str, str]], language: str | None) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for statement in related.SCHEMA:
        conn.execute(statement)
    conn.execute("BEGIN")
    related.index_documents(conn, [(k, title, body) for k, (title, body) in docs.items()], language)
    related.finish(conn)
    conn.execute("COMMIT")
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def english() -> Iterator[sqlite3.Connection]:
    """240 stories on 12 topics, each generic word in about a quarter of them, and one
    about whales."""
    rng = random.Random(32)
    topics = [made_up_words(rng, 10) for _ in range(12)]
    docs = {}
    for number in range(1, 241):
        some = quarter(GENERIC, number)
        docs[number] = ("News", text(rng, topics[number % 12], some or "the"))
    docs[1000] = ("Whales", " ".join(rng.choice(WHALE.split()) for _ in range(20)) + " " + GENERIC)
    yield from build(docs, "en")


@pytest.fixture(scope="module")
def german() -> Iterator[sqlite3.Connection]:
    """240 German stories on 12 topics; each generic word in about a quarter of them."""
    rng = random.Random(33)
    topics = [made_up_words(rng, 10) for _ in range(12)]
    docs = {}
    for number in range(1, 241):
        some = quarter(GENERIC_DE, number)
        docs[number] = ("Meldung", text(rng, topics[number % 12], some or "und"))
    yield from build(docs, "de")


def generic_terms(words: str, language: str | None) -> set[str]:
    stem = related.stemmer_of(language) or str
    return {stem(word.lower()) for word in words.split()}


def test_stories_sharing_only_generic_words_are_not_related(english: sqlite3.Connection) -> None:
    assert related.similar(english, 1000, 5, set()) == []


def test_english_reasons_are_never_generic_words(english: sqlite3.Connection) -> None:
    generic = generic_terms(GENERIC, "en")
    for rowid in range(1, 9):
        found = related.similar(english, rowid, 5, set())
        assert found, rowid
        for _, _, terms in found:
            assert terms and not generic & set(terms), (rowid, terms)


def test_german_reasons_are_never_generic_words_or_numbers(german: sqlite3.Connection) -> None:
    generic = generic_terms(GENERIC_DE, "de")
    assert lang.stemmer("de") is not None
    for rowid in range(1, 7):
        found = related.similar(german, rowid, 5, set())
        assert found, rowid
        for _, _, terms in found:
            assert terms and not generic & set(terms), (rowid, terms)
            assert all(term.isalpha() for term in terms), terms
