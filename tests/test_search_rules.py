"""Search rules the other search tests left open (found by running mutmut over
core/index/search.py): ranking against dates, what qualifiers-only searches return, snippets,
folder: against the library's own name, and the other forms of a word."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from libhelpers import article_text, open_library, write
from newstui.core.index.search import inflector, word_forms
from newstui.core.library import Library

MARKET = (
    "---\ntitle: Market Day\ndate: 2026-03-04\nauthor: Ines Hallam\n---\n\n"
    "Stalls lined the quay on Saturday morning for the spring market.\n\n"
    + "Traders sold fish, bread and flowers until the rain came in the afternoon.\n\n"
    * 20
)  # long: by relevance (BM25) it comes after the short article by the same author


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """A library in a folder named "h" (one letter: `folder:h` must not find its own files)."""
    home = tmp_path_factory.mktemp("home")
    folder = tmp_path_factory.mktemp("library") / "h"
    write(
        folder,
        "2026-03-01-quay-fees.txt",
        article_text(
            "Quay Fees Rise",
            ["Boat owners will pay more from April, the council said."],
            slug="quay-fees",
            author="Ines Hallam",
        ),
    )
    write(
        folder,
        "harbour/east/2026-03-02-tolls.txt",
        article_text(
            "Bridge Charges Change",
            ["The tolls rise in May for lorries crossing the bridge at night."],
            summary="Tolls on the   east bridge go up.",
            slug="bridge-tolls",
        ),
    )
    write(
        folder,
        "harbour/2026-03-03-repairs.txt",
        article_text(
            "Harbour Wall Works",
            ["Divers checked the old quay wall before the repairs began."],
            summary="Work starts on the wall.",
            slug="wall-repairs",
        ),
    )
    write(folder, "2026-03-04-market.md", MARKET)
    with pytest.MonkeyPatch.context() as patch:
        for variable, name in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
            patch.setenv(variable, str(home / name))
        with open_library(folder) as opened:
            opened.state.set_read(["wall-repairs"])
            yield opened


def names(library: Library, query: str) -> list[str]:
    return [Path(hit.row.path).name for hit in library.search(query)]


def test_words_rank_by_relevance_not_by_date(library: Library) -> None:
    """The oldest article has "quay" in its title: it comes first, the newer ones after."""
    found = names(library, "quay")
    assert found[0] == "2026-03-01-quay-fees.txt"
    assert set(found) == {
        "2026-03-01-quay-fees.txt",
        "2026-03-03-repairs.txt",
        "2026-03-04-market.md",
    }
    assert all(hit.score > 0 for hit in library.search("quay"))


@pytest.mark.parametrize("query", ["author:hallam", "is:unread", "-bridge"])
def test_qualifiers_only_list_newest_first_unscored(library: Library, query: str) -> None:
    hits = library.search(query)
    dates = [hit.row.published for hit in hits]
    assert len(hits) >= 2 and dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert {hit.score for hit in hits} == {0.0}


def test_qualifiers_only_snippet_is_the_summary_on_one_line(library: Library) -> None:
    (hit,) = library.search("is:unread folder:east")  # two conditions, one article
    assert hit.snippet == "Tolls on the east bridge go up."
    assert hit.score == 0.0


def test_a_word_in_summary_and_body_is_shown_in_the_body(library: Library) -> None:
    (hit,) = library.search("tolls")
    assert hit.snippet.startswith("The \x02tolls\x03 rise in May")


def test_an_article_without_a_summary_has_a_snippet(library: Library) -> None:
    (hit,) = library.search("stalls")
    assert hit.snippet.startswith("\x02Stalls\x03 lined the quay")


def test_folder_qualifiers(library: Library) -> None:
    assert names(library, "folder:h") == []  # the library's own folder is no subfolder
    assert names(library, "folder:harbour/") == names(library, "folder:harbour")
    assert names(library, "folder:harbour") == ["2026-03-03-repairs.txt", "2026-03-02-tolls.txt"]
    assert names(library, "folder:harbour folder:east") == ["2026-03-02-tolls.txt"]
    assert names(library, "folder:east folder:harbour wall") == []


# the other forms of a word


@pytest.mark.parametrize(
    ("language", "word", "form"),
    [
        ("en", "war", "wars"),  # a word of the shortest length that gets forms
        ("en", "wars", "war"),  # a form down to that length
        ("en", "policy", "policies"),  # English's own endings
        ("es", "elecciones", "eleccion"),  # a language with a stemmer and no endings of its own
    ],
)
def test_other_forms(language: str, word: str, form: str) -> None:
    assert language in word_forms(word, {language: inflector(language)})[form]


def test_forms_are_other_words_of_the_same_stem_and_short_words_have_none() -> None:
    russian = inflector("ru")
    assert russian is not None
    forms = word_forms("газета", {"ru": russian})
    assert forms and "газета" not in forms
    stem = russian[0]
    assert all(stem(form) == stem("газета") for form in forms)
    assert word_forms("ox", {"en": inflector("en")}) == {}  # too short to have forms
