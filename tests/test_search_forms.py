"""A bare word finds its own forms: those of the language of the article matched, and only
forms the library holds (issue 32: an English "car" found "care" through German's stemmer)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from libhelpers import open_library, write
from newstui.core.library import Library

ENGLISH = {
    "en-car": "A red car stood outside the bakery all morning while the owner shopped.",
    "en-cars": "Two cars collided near the bridge; nobody was hurt and traffic moved again.",
    "en-care": "Nurses at the clinic say that care for older patients improved this winter.",
    "en-plane": "The small plane landed safely on the grass strip after its engine coughed.",
    "en-hate": "Fans hate the new kit, which swaps the old stripes for a plain grey shirt.",
    "en-election": "Voters in the valley town queued for hours at the elections on Sunday.",
}
GERMAN = {
    "de-land": "Das Land an der Küste hat im Sommer mehr Gäste gezählt als je zuvor.",
    "de-laender": "Die Länder im Norden wollen die Fähren gemeinsam betreiben und bezahlen.",
    "de-plan": "Der Plan für die neue Brücke wird im Rathaus am Abend vorgestellt.",
    "de-hut": "Der Hut des Bürgermeisters lag nach dem Fest vergessen auf der Bank.",
}


def story(slug: str, body: str, language: str) -> str:
    return f"---\ntitle: {slug}\nslug: {slug}\nlang: {language}\n---\n\n{body}\n"


def library_of(
    factory: pytest.TempPathFactory, stories: dict[str, tuple[str, str]]
) -> Iterator[Library]:
    home = factory.mktemp("home")
    folder = factory.mktemp("library")
    for slug, (body, language) in stories.items():
        write(folder, f"{slug}.md", story(slug, body, language))
    with pytest.MonkeyPatch.context() as patch:
        for variable, name in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
            patch.setenv(variable, str(home / name))
        with open_library(folder) as opened:
            yield opened


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    stories = {slug: (body, "en") for slug, body in ENGLISH.items()}
    stories |= {slug: (body, "de") for slug, body in GERMAN.items()}
    yield from library_of(tmp_path_factory, stories)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    yield from library_of(tmp_path_factory, {slug: (b, "en") for slug, b in ENGLISH.items()})


def found(library: Library, query: str) -> set[str]:
    return {hit.row.id for hit in library.search(query)}


def test_an_english_word_does_not_find_words_german_would_stem_alike(mixed: Library) -> None:
    assert found(mixed, "car") == {"en-car", "en-cars"}  # not "care"
    assert found(mixed, "plan") == {"de-plan"}  # not the English "plane"
    assert found(mixed, "hat") == {"de-land"}  # German's "hat", not English "hate"


def test_plurals_still_find_the_singular(mixed: Library) -> None:
    assert found(mixed, "cars") == {"en-car", "en-cars"}
    assert found(mixed, "election") == {"en-election"}


def test_german_words_find_their_german_forms(mixed: Library) -> None:
    assert found(mixed, "Länder") == {"de-land", "de-laender"}
    assert found(mixed, "Land") == {"de-land", "de-laender"}
    assert "de-plan" in found(mixed, "Pläne")  # (and English "plane": "ä" is folded)
    assert found(mixed, "Hüte") == {"de-hut"}


def test_exclusions_use_the_same_forms(mixed: Library) -> None:
    assert "en-care" in found(mixed, "the -car")
    assert not {"en-car", "en-cars"} & found(mixed, "the -car")


def test_an_english_library_finds_what_it_did(english: Library) -> None:
    assert found(english, "car") == {"en-car", "en-cars"}
    assert found(english, "cars") == {"en-car", "en-cars"}
    assert found(english, "elections") == {"en-election"}
    assert found(english, "plan") == set()


def test_a_form_missing_from_the_library_is_not_searched(english: Library) -> None:
    """Only forms the library's vocabulary holds reach FTS5 (a form costs a lookup)."""
    from newstui.core.index.search import library_forms

    conn = english._conn()
    assert library_forms(conn, "car").everywhere == ["car", "cars"]
    assert library_forms(conn, "election").everywhere == ["election", "elections"]
