"""Search: the query language, its safe translation to FTS5, ranking and snippets."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libhelpers import article_text, open_library, write
from newstui.core.index import search as search_module
from newstui.core.index.query import Query, parse_query
from newstui.core.library import Library, QueryError
from newstui.core.sqlite import is_corruption

BODY = "The committee met again on Thursday."


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    home = tmp_path_factory.mktemp("home")
    folder = tmp_path_factory.mktemp("articles")
    write(
        folder,
        "2026-01-01-accord.txt",
        article_text(
            "Tallemar Accord Signed",
            [
                "Ministers signed the accord after a long night.",
                "The border dispute is set aside for two years.",
            ],
            slug="accord-signed",
            author="Marta Lindqvist-Obi",
        ),
    )
    write(
        folder,
        "2026-01-02-pipeline.txt",
        article_text(
            "Gas Flows Resume",
            ["Gas flows through the pipeline resumed after the accord.", BODY],
            slug="gas-flows",
            author="Tomasz Wendland",
        ),
    )
    write(
        folder,
        "2026-01-03-cafe.txt",
        article_text(
            "Café Owners Protest",
            ["Owners of the café said the new rules were unfair.", BODY],
            slug="cafe-owners",
            author="Marta Smith",
        ),
    )
    write(
        folder,
        "2026-01-04-body.txt",
        article_text(
            "Weather Report",
            ["A quiet week, with the pipeline mentioned only in passing.", BODY],
            summary="Sunny spells and showers.",
            slug="weather-report",
        ),
    )
    write(
        folder,
        "2026-01-05-pipeline-title.txt",
        article_text("Pipeline Repairs Finished", [BODY], slug="pipeline-repairs"),
    )
    with pytest.MonkeyPatch.context() as patch:
        for variable, name in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
            patch.setenv(variable, str(home / name))
        with open_library(folder) as opened:
            opened.state.set_read(["gas-flows"])
            opened.state.set_starred(["cafe-owners"], True)
            yield opened


def ids(library: Library, query: str) -> list[str]:
    return [hit.row.id for hit in library.search(query)]


# the query language


def test_words_are_quoted_so_fts5_syntax_is_inert() -> None:
    query = parse_query('tallemar AND OR NOT ( "border dispute" near(')
    assert query.include == ['"tallemar"', '"AND"', '"OR"', '"NOT"', '"border dispute"', '"near("']
    assert query.match == '"tallemar" AND "AND" AND "OR" AND "NOT" AND "border dispute" AND "near("'


def test_prefix_exclusion_and_qualifiers_parse() -> None:
    query = parse_query('cease* -pipeline -"gas flows" author:"Marta Lindqvist-Obi" is:unread')
    assert query.include == ['"cease"*']
    assert query.exclude == ['"pipeline"', '"gas flows"']
    assert query.authors == ['"Marta Lindqvist-Obi"']
    assert query.read is False and query.starred is None
    assert query.match == (
        '("cease"* AND author : "Marta Lindqvist-Obi") NOT ("pipeline" OR "gas flows")'
    )
    assert parse_query("-is:read").read is False
    assert parse_query("IS:STARRED").starred is True
    assert parse_query('"phrase prefix"*').include == ['"phrase prefix"*']
    assert parse_query("ab*").include == ['"ab"']  # too short to be a prefix


def test_quotes_inside_words_are_escaped() -> None:
    assert parse_query('say"hello').include == ['"say"', '"hello"']
    assert parse_query('"unbalanced phrase').include == ['"unbalanced phrase"']
    assert parse_query('"a ""b"" c"').include == ['"a"', '"b"', '"c"']


def test_empty_and_punctuation_only_queries() -> None:
    assert parse_query("   ") == Query()
    for text in ("*", "-", "--", "* * *", "()", '""', "-*"):
        with pytest.raises(QueryError, match="nothing to search for"):
            parse_query(text)


def test_bad_qualifiers_are_query_errors() -> None:
    with pytest.raises(QueryError, match="is:unread, is:read, is:starred or is:hidden"):
        parse_query("is:new")
    with pytest.raises(QueryError, match="author: needs a name"):
        parse_query("author:")


# searching


def test_words_phrases_prefixes(library: Library) -> None:
    assert set(ids(library, "accord")) == {"accord-signed", "gas-flows"}
    assert ids(library, "accord pipeline") == ["gas-flows"]
    assert ids(library, '"border dispute"') == ["accord-signed"]
    assert ids(library, '"dispute border"') == []
    assert ids(library, "tallem*") == ["accord-signed"]
    assert ids(library, "tallem") == []


def test_exclusion(library: Library) -> None:
    assert ids(library, "accord -pipeline") == ["accord-signed"]
    assert ids(library, 'accord -"gas flows"') == ["accord-signed"]
    # only exclusions: every other article, newest first
    assert ids(library, "-pipeline") == ["cafe-owners", "accord-signed"]


def test_author_qualifier(library: Library) -> None:
    assert ids(library, 'author:"Marta Lindqvist-Obi"') == ["accord-signed"]
    assert set(ids(library, "author:marta")) == {"accord-signed", "cafe-owners"}
    assert ids(library, "author:marta owners") == ["cafe-owners"]
    assert ids(library, "author:nobody") == []


def test_state_qualifiers(library: Library) -> None:
    assert ids(library, "is:read") == ["gas-flows"]
    assert ids(library, "is:starred") == ["cafe-owners"]
    assert "gas-flows" not in ids(library, "is:unread")
    assert len(ids(library, "is:unread")) == 4
    assert ids(library, "pipeline is:read") == ["gas-flows"]
    with pytest.raises(QueryError, match="contradicts"):
        library.search("is:read is:unread")


def test_title_hits_rank_above_body_hits(library: Library) -> None:
    found = ids(library, "pipeline")
    assert found[0] == "pipeline-repairs" and set(found) == {
        "pipeline-repairs",
        "gas-flows",
        "weather-report",
    }
    assert ids(library, "repairs OR pipeline") == []  # OR is a word here, not an operator
    scores = [hit.score for hit in library.search("pipeline")]
    assert scores == sorted(scores, reverse=True)


def test_diacritics_are_folded(library: Library) -> None:
    assert ids(library, "cafe") == ["cafe-owners"]
    assert ids(library, "CAFÉ") == ["cafe-owners"]


def test_snippets_mark_matches_on_one_line(library: Library) -> None:
    hit = library.search('"border dispute"')[0]
    assert hit.snippet == "…The \x02border dispute\x03 is set aside for two years."
    assert "\n" not in hit.snippet
    # a title-only match: the snippet comes from the text, without marks
    (title_hit,) = [h for h in library.search("repairs") if h.row.id == "pipeline-repairs"]
    assert "\x02" not in title_hit.snippet and title_hit.snippet
    # summary match, not in the body
    (summary_hit,) = library.search("showers")
    assert summary_hit.snippet == "Sunny spells and \x02showers\x03."


def test_limit(library: Library) -> None:
    assert len(library.search("committee", limit=2)) == 2
    assert library.search("committee", limit=0) == []


def test_common_words_are_ranked_among_recent_candidates(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = ids(library, "the")
    monkeypatch.setattr(search_module, "RANK_CANDIDATES", 2)
    capped = ids(library, "the")
    assert len(everything) == 5 and len(capped) == 2
    assert set(capped) == {"pipeline-repairs", "weather-report"}  # the latest indexed


HOSTILE = [
    '"unbalanced',
    "AND OR NOT (",
    "*",
    "-",
    "NEAR(a b, 3)",
    "title:accord",
    "{title body}: accord",
    "accord^",
    "a:b:c",
    "'; DROP TABLE articles; --",
    '"""',
    "\x00\x1b[31m",
    "\ud800",
    "is:",
    'author:"',
    "-author:marta",
    "- - -",
    "^*",
    "((((((",
    "accord AND",
    "x" * 5000,
]


def search_unguarded(library: Library, text: str) -> None:
    """The query through the layers that would raise: the parser and the FTS5 query itself,
    without the Library's guard for damaged indexes."""
    hits = search_module.run_search(library._conn, parse_query(text), 200)
    for hit in hits[:5]:
        assert isinstance(hit.snippet, str)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_raise_sqlite_errors(library: Library, text: str) -> None:
    with contextlib.suppress(QueryError):
        search_unguarded(library, text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ab *-\"():^{}-+.:isautornedAOR\\'")), max_size=30))
def test_fuzzed_queries_never_raise_sqlite_errors(library: Library, text: str) -> None:
    try:
        search_unguarded(library, text)
    except QueryError:
        pass
    except sqlite3.Error as error:  # pragma: no cover - the failure being tested for
        pytest.fail(f"{text!r}: {error}")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_text_never_raises_sqlite_errors(library: Library, text: str) -> None:
    with contextlib.suppress(QueryError):
        search_unguarded(library, text)


def test_a_query_error_is_not_corruption(library: Library) -> None:
    """An FTS5 syntax error says nothing about the file: raised, and no rebuild follows."""
    conn = library._conn()
    with pytest.raises(sqlite3.OperationalError) as raised:
        conn.execute("SELECT rowid FROM search WHERE search MATCH 'accord AND'").fetchall()
    assert str(raised.value).startswith("fts5: syntax error")
    assert not is_corruption(raised.value)
    assert not library._tolerable(raised.value)
    assert not library._damaged


def test_snippets_are_made_on_first_use_from_any_thread(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for number in range(45):
        write(
            folder,
            f"2026-02-{number % 28 + 1:02d}-n{number}.txt",
            article_text(f"Story {number}", [f"Paragraph about otters, number {number}."]),
        )
    with open_library(folder) as library:
        hits = library.search("otters")
        assert len(hits) == 45
        made: dict[int, str] = {}
        worker = threading.Thread(target=lambda: made.update({30: hits[30].snippet}))
        worker.start()
        worker.join()
        assert "\x02otters\x03" in made[30]
        assert all("\x02otters\x03" in hit.snippet for hit in hits)
        late = library.search("otters")
    assert late[0].snippet == ""  # asked after the library closed: none, and no error
