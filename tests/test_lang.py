"""Languages: declared or detected, their stop words and stems, and what builds on them
(related stories filed under distinctive words, search that finds a word's other forms)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from libhelpers import open_library, write
from newstui.cli import main
from newstui.core import lang
from newstui.core.formats import parse_file
from newstui.core.index import related
from newstui.core.library import Library

GERMAN = (
    "Die Bundesregierung hat am Dienstag neue Wahlen angekündigt. Der Sprecher sagte, "
    "dass die Abstimmung im Frühjahr stattfinden wird und dass alle Parteien sich auf "
    "den Wahlkampf vorbereiten. Die Opposition kritisierte den Zeitpunkt der Wahl."
)
FRENCH = (
    "Le gouvernement a annoncé mardi de nouvelles élections. Le porte-parole a déclaré que "
    "le scrutin aura lieu au printemps et que les partis se préparent pour la campagne. "
    "Les partis de l'opposition ont critiqué la date de cette élection."
)
SPANISH = (
    "El gobierno anunció el martes nuevas elecciones. El portavoz dijo que la votación "
    "se celebrará en primavera y que los partidos ya preparan la campaña para los comicios."
)
ENGLISH = (
    "The government announced new elections on Tuesday. The spokesman said that the vote "
    "will take place in the spring and that the parties are preparing for the campaign."
)
RUSSIAN = (
    "Правительство во вторник объявило о новых выборах. Представитель заявил, что "
    "голосование пройдёт весной, а партии уже готовятся к кампании в Москве и Kazan."
)


# -- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [(GERMAN, "de"), (FRENCH, "fr"), (SPANISH, "es"), (ENGLISH, "en"), (RUSSIAN, "ru")],
)
def test_long_texts_are_detected(text: str, expected: str) -> None:
    assert lang.detect(text) == expected


def test_the_model_decides_when_function_words_do_not() -> None:
    """A short text without enough function words goes to py3langid."""
    assert lang.detect("Hochwasser überflutet Brennholm: Feuerwehr evakuiert Altstadt") == "de"


def test_a_few_shared_function_words_are_not_enough() -> None:
    """Hausa uses "da" and "do" a lot, as Portuguese does: many different Portuguese
    function words are needed to say Portuguese without the model."""
    hausa = (
        "Shugaban kasa ya ce za a gudanar da zaben a watan gobe, kuma jam'iyyun siyasa suna "
        "shirin yakin neman zabe da karfi a cikin kasar. Da yake magana da manema labarai, "
        "ya ce da gwamnati da 'yan adawa za su hada kai domin zaman lafiya da ci gaba. "
        "Mutane da dama sun fito da safe da yamma, da maza da mata, da yara da manya."
    )
    assert lang.detect(hausa) != "pt"
    assert (
        lang.detect(
            "O governo anunciou em Lisboa que a eleição será em maio, e os partidos "
            "já preparam a campanha com uma força que não se via há anos."
        )
        == "pt"
    )


def test_short_texts_get_no_language() -> None:
    assert lang.detect("Hi") is None
    assert lang.detect("") is None
    assert lang.detect("12 34 56 78 90") is None


def test_mixed_scripts_go_by_the_main_text() -> None:
    """Latin-script names and an English quote in a German story: still German."""
    text = GERMAN + ' "We are ready," said John Smith of Reuters in London.'
    assert lang.detect(text) == "de"
    assert lang.detect(RUSSIAN + " Reuters, Bloomberg, New York Times") == "ru"


def test_a_declared_language_wins_over_the_detected_one() -> None:
    assert lang.effective_language("fr", "Titel", GERMAN) == "fr"
    assert lang.effective_language(None, "Titel", GERMAN) == "de"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("de-AT", "de"), ("EN", "en"), ("pt_BR", "pt"), (" fr ", "fr"), ("x", None), (None, None)],
)
def test_primary_subtags(tag: object, expected: str | None) -> None:
    assert lang.primary_subtag(tag) == expected


# -- words of a language ---------------------------------------------------------------------


def test_stop_words_and_stems_per_language() -> None:
    assert {"der", "die", "und", "das"} <= lang.stop_words("de")
    assert {"le", "les", "et"} <= lang.stop_words("fr")
    assert lang.stop_words("xx") == frozenset()
    german = lang.stemmer("de")
    french = lang.stemmer("fr")
    assert german is not None and french is not None
    assert german("wahlen") == german("wahl")
    assert french("élections") == french("élection")
    assert lang.stemmer("sw") is None  # no Snowball stemmer: words stay as they are


def test_term_counts_drop_function_words_and_merge_forms_in_the_language() -> None:
    counts = related.term_counts("Wahlen", GERMAN, "de")
    assert not {"der", "die", "und", "das", "dass"} & counts.keys()
    assert counts[lang.stemmer("de")("wahl")] >= 3  # type: ignore[misc]
    english = related.term_counts("Elections", ENGLISH, "en")
    assert "the" not in english and english["election"] >= 3  # the light plural stemmer
    unknown = related.term_counts("Habari", "habari za leo na kesho habari", "sw")
    assert unknown["habari"] == 4  # twice in the text, and the title counts twice


def test_surface_forms_show_words_not_stems() -> None:
    forms = related.surface_forms("Neue Wahlen", GERMAN, "de")
    assert forms[lang.stemmer("de")("wahlen")] in {"Wahlen", "Wahl"}  # type: ignore[misc]
    assert related.surface_forms("Floods Hit Town", "The floods rose.")["flood"] == "floods"


def test_surface_forms_read_the_words_the_regex_reads() -> None:
    """The fast word splitter finds the forms the word regex finds, in any script."""

    def reference(title: str, text: str, language: str | None) -> dict[str, str]:
        terms = related._TERMS[language]
        seen: Counter[tuple[str, str]] = Counter()
        for word in re.findall(r"\w{2,}", f"{title}\n{text}"):
            if term := terms[word.lower()]:
                seen[term, word] += 1
        forms: dict[str, str] = {}
        for (term, word), _ in seen.most_common():
            if term not in forms or (word.islower() and not forms[term].islower()):
                forms[term] = word
        return forms

    texts = [
        ("Floods Hit Town", "The floods rose. A b c_d FLOODS floods, x-ray 4x4 I a"),
        ("Neue Wahlen", GERMAN),
        ("Ünïcode “quotes” — dashes", "İstanbul İ i naïve Naïve NAÏVE 東京 東京都 ß SS"),
    ]
    for title, text in texts:
        for language in (None, "en", "de", "tr"):
            assert related.surface_forms(title, text, language) == reference(title, text, language)


# -- distinctive filing ----------------------------------------------------------------------


def build(docs: Sequence[tuple[str, str, str | None]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for statement in related.SCHEMA:
        conn.execute(statement)
    related.index_prepared(
        conn, [(i, *related.prepare(t, x, language)) for i, (t, x, language) in enumerate(docs, 1)]
    )
    related.finish(conn)
    return conn


def filed_under(conn: sqlite3.Connection, rowid: int) -> set[str]:
    found = set()
    posted = "SELECT t.term, p.entries FROM related_post p JOIN related_term t ON t.id = p.term"
    for term, entries in conn.execute(posted):
        if rowid in related._halves(entries)[0]:
            found.add(term)
    return found


def test_documents_are_filed_under_distinctive_words_not_frequent_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "zu" and "ba" (function words of a language with no stop list) are the most
    frequent words of every document; the rare topic words decide its filing."""
    monkeypatch.setattr(related, "POSTED_TERMS", 2)
    docs = [
        (f"Doc {i}", f"zu ba zu ba zu ba zu ba topic{chr(97 + i % 26)}x " * 2, "xx")
        for i in range(30)
    ]
    docs[0] = ("Kumbu", "zu ba zu ba zu ba zu ba kumbu kumbu lelo lelo", "xx")
    docs[1] = ("Kumbu", "zu ba zu ba zu ba zu ba kumbu kumbu lelo", "xx")
    conn = build(docs)
    assert filed_under(conn, 1) == {"kumbu", "lelo"}
    assert related.similar(conn, 1, 1, set())[0][0] == 2


def test_words_in_most_documents_weigh_nothing_in_a_large_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(related, "COMMON_MIN_DOCS", 10)
    docs = [(f"Doc {i}", f"ya ya na topic{chr(97 + i)}y", "xx") for i in range(20)]
    conn = build(docs)
    assert not any(filed_under(conn, i) & {"ya", "na"} for i in range(1, 21))
    # Document 1 shares only "ya" and "na" with the others (its topic word is its own):
    # in its language (no curated stop words) they weigh nothing, so nothing is related.
    assert related.similar(conn, 1, 3, set()) == []


# -- a mixed library -------------------------------------------------------------------------

STORIES = {
    "en-flood-1": (
        "Floods Cut Off Brennholm",
        "The river burst its banks in Brennholm on Monday and the floods cut off the old town. "
        "Firefighters evacuated families from flooded streets while the water kept rising.",
    ),
    "en-flood-2": (
        "Brennholm Counts the Cost of the Floods",
        "After the floods in Brennholm, families returned to flooded homes. The river is "
        "falling, and firefighters are pumping water out of the old town's streets.",
    ),
    "en-cup-1": (
        "Vellmar Win the Cup Final",
        "Vellmar won the cup final on Saturday with a late goal. The striker scored twice and "
        "the fans celebrated the trophy in the stadium until midnight.",
    ),
    "en-cup-2": (
        "Vellmar Fans Celebrate the Cup",
        "Thousands of fans welcomed the Vellmar team home with the cup. The coach praised the "
        "striker, whose goals in the final won the trophy for the club.",
    ),
    "de-flut-1": (
        "Hochwasser schneidet Brennholm ab",
        "Der Fluss ist am Montag in Brennholm über die Ufer getreten und das Hochwasser hat die "
        "Altstadt abgeschnitten. Die Feuerwehr hat Familien aus den überfluteten Straßen geholt.",
    ),
    "de-flut-2": (
        "Brennholm zählt die Schäden des Hochwassers",
        "Nach dem Hochwasser in Brennholm sind die Familien in ihre überfluteten Häuser "
        "zurückgekehrt. Der Fluss sinkt, und die Feuerwehr pumpt das Wasser aus der Altstadt.",
    ),
    "de-pokal-1": (
        "Vellmar gewinnt das Pokalfinale",
        "Vellmar hat am Samstag das Pokalfinale mit einem späten Tor gewonnen. Der Stürmer "
        "traf zweimal und die Fans feierten den Pokal bis Mitternacht im Stadion.",
    ),
    "de-pokal-2": (
        "Vellmar-Fans feiern den Pokal",
        "Tausende Fans haben die Mannschaft von Vellmar mit dem Pokal empfangen. Der Trainer "
        "lobte den Stürmer, dessen Tore im Finale den Pokal für den Verein gewonnen haben.",
    ),
    "fr-crue-1": (
        "Les inondations coupent Brennholm",
        "La rivière est sortie de son lit lundi à Brennholm et les inondations ont coupé la "
        "vieille ville. Les pompiers ont évacué des familles des rues inondées.",
    ),
    "fr-crue-2": (
        "Brennholm fait le bilan des inondations",
        "Après les inondations à Brennholm, les familles sont rentrées dans leurs maisons "
        "inondées. La rivière baisse et les pompiers pompent l'eau des rues de la vieille ville.",
    ),
    "fr-coupe-1": (
        "Vellmar remporte la finale de la coupe",
        "Vellmar a remporté samedi la finale de la coupe grâce à un but tardif. L'attaquant a "
        "marqué deux fois et les supporters ont fêté le trophée dans le stade.",
    ),
    "fr-coupe-2": (
        "Les supporters de Vellmar fêtent la coupe",
        "Des milliers de supporters ont accueilli l'équipe de Vellmar avec la coupe. "
        "L'entraîneur a salué l'attaquant, dont les buts en finale ont offert le trophée au club.",
    ),
}


def story_file(slug: str, title: str, body: str, declared: str | None = None) -> str:
    front = f"---\ntitle: {title}\nslug: {slug}\n" + (f"lang: {declared}\n" if declared else "")
    return front + "---\n\n" + body + "\n"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    home = tmp_path_factory.mktemp("home")
    folder = tmp_path_factory.mktemp("mixed")
    for slug, (title, body) in STORIES.items():
        write(folder, f"{slug}.md", story_file(slug, title, body))
    write(folder, "declared.md", story_file("declared", "Wahl", GERMAN, declared="fr-CA"))
    with pytest.MonkeyPatch.context() as patch:
        for variable, name in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
            patch.setenv(variable, str(home / name))
        with open_library(folder) as opened:
            yield opened


def test_each_story_s_top_related_is_the_same_event_in_its_own_language(
    mixed: Library,
) -> None:
    for slug in STORIES:
        top = mixed.related(slug, limit=3)
        partner = slug[:-1] + ("2" if slug.endswith("1") else "1")
        assert top and top[0].row.id == partner, (slug, [item.row.id for item in top])


def test_reasons_are_written_words(mixed: Library) -> None:
    reason = mixed.related("de-flut-1", limit=1)[0].reason
    assert reason.startswith("shared: ") and "Hochwasser" in reason


def test_the_index_stores_each_article_s_language(mixed: Library) -> None:
    assert mixed.article("de-flut-1").lang == "de"  # type: ignore[union-attr]
    assert mixed.article("fr-crue-1").lang == "fr"  # type: ignore[union-attr]
    assert mixed.article("declared").lang == "fr"  # type: ignore[union-attr]
    found = dict(mixed._conn().execute("SELECT id, lang FROM articles"))
    assert found["en-cup-1"] == "en" and found["de-pokal-2"] == "de"


def search_ids(library: Library, query: str) -> set[str]:
    return {hit.row.id for hit in library.search(query)}


def test_search_finds_other_forms_in_the_article_s_language(mixed: Library) -> None:
    assert {"fr-crue-1", "fr-crue-2"} <= search_ids(mixed, "inondation")  # plural forms
    assert {"fr-crue-1"} <= search_ids(mixed, "inondees")  # without the accent
    assert {"de-flut-1", "de-flut-2"} <= search_ids(mixed, "überflutet")
    assert {"en-flood-1", "en-flood-2"} <= search_ids(mixed, "flood")
    assert {"de-pokal-1", "de-pokal-2"} == search_ids(mixed, "pokale") - {"declared"}


def test_search_syntax_keeps_its_meaning(mixed: Library) -> None:
    assert search_ids(mixed, '"inondation"') == set()  # a phrase is exact
    assert search_ids(mixed, "inondations -brennholm") == set()
    assert search_ids(mixed, "brennholm -flood") == {
        "de-flut-1",
        "de-flut-2",
        "fr-crue-1",
        "fr-crue-2",
    }
    assert {"fr-coupe-1", "fr-coupe-2"} <= search_ids(mixed, "supp*")


# -- declared in the source ------------------------------------------------------------------


def test_feeds_declare_their_language(tmp_path: Path) -> None:
    rss = write(
        tmp_path,
        "feed.xml",
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        "<language>de-DE</language><item><title>Eins</title><description>Text</description>"
        "<guid>1</guid></item></channel></rss>",
    )
    assert [a.lang for a in parse_file(rss).articles] == ["de"]
    atom = write(
        tmp_path,
        "feed.atom",
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='en'>"
        "<title>T</title><id>f</id><updated>2026-01-01T00:00:00Z</updated>"
        "<entry xml:lang='fr-FR'><title>Un</title><id>1</id><updated>2026-01-01T00:00:00Z</updated>"
        "<content type='text'>Texte</content></entry>"
        "<entry><title>Two</title><id>2</id><updated>2026-01-01T00:00:00Z</updated>"
        "<content type='text'>Text</content></entry></feed>",
    )
    assert [a.lang for a in parse_file(atom).articles] == ["fr", "en"]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "T",
        "language": "es",
        "items": [
            {"id": "1", "content_text": "Hola"},
            {"id": "2", "content_text": "x", "language": "pt-BR"},
        ],
    }
    jsonfeed = write(tmp_path, "feed.json", json.dumps(feed))
    assert [a.lang for a in parse_file(jsonfeed).articles] == ["es", "pt"]


def test_front_matter_declares_a_language(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", story_file("a", "Wahl", GERMAN, declared="es"))
    assert parse_file(path).articles[0].lang == "es"
    plain = write(tmp_path, "b.md", story_file("b", "Wahl", GERMAN))
    assert parse_file(plain).articles[0].lang is None  # the parser declares; the index detects


def test_show_json_prints_the_detected_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "b.md", story_file("b", "Wahl", GERMAN))
    assert main(["show", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lang"] == "de"


# -- a German library ------------------------------------------------------------------------

GERMAN_STORIES = {
    "lawine-1": (
        "Lawine verschüttet Skitourengeher am Arlberg",
        "Am Arlberg ist am Sonntag eine Lawine abgegangen und hat drei Skitourengeher "
        "verschüttet. Die Bergrettung konnte zwei von ihnen lebend aus den Schneemassen "
        "bergen, der dritte wird noch gesucht. Die Lawinenwarnstufe war auf vier erhöht worden.",
    ),
    "lawine-2": (
        "Suche nach verschüttetem Skitourengeher am Arlberg",
        "Nach dem Lawinenabgang am Arlberg hat die Bergrettung die Suche nach dem dritten "
        "Skitourengeher fortgesetzt. Hunde und Sonden kamen in den Schneemassen zum Einsatz, "
        "weitere Lawinen wurden wegen der hohen Warnstufe gesprengt.",
    ),
    "wahl-1": (
        "Bürgermeisterwahl in Graz, Stichwahl nötig",
        "Bei der Bürgermeisterwahl in Graz hat keiner der Kandidaten die absolute Mehrheit "
        "erreicht. Die beiden Erstplatzierten treten in zwei Wochen in einer Stichwahl an, die "
        "Wahlbeteiligung lag bei knapp fünfzig Prozent.",
    ),
    "wahl-2": (
        "Grazer Stichwahl, Kandidaten werben um Stimmen",
        "Vor der Stichwahl um das Bürgermeisteramt in Graz werben beide Kandidaten um die "
        "Stimmen der Nichtwähler. Die geringe Wahlbeteiligung bei der ersten Wahl hatte die "
        "Parteien überrascht.",
    ),
    "bahn-1": (
        "Streik legt den Bahnverkehr lahm",
        "Ein Streik der Lokführer hat am Montag den Bahnverkehr in weiten Teilen des Landes "
        "lahmgelegt. Pendler mussten auf Busse umsteigen, viele Züge fielen aus, und die "
        "Gewerkschaft kündigte weitere Streiks an.",
    ),
    "bahn-2": (
        "Lokführer verlängern ihren Streik",
        "Die Gewerkschaft der Lokführer hat ihren Streik um zwei Tage verlängert. Die Bahn "
        "bietet einen Notfahrplan an, doch zahlreiche Züge fallen weiterhin aus und Pendler "
        "stehen auf den Bahnsteigen.",
    ),
    "museum-1": (
        "Gestohlene Gemälde wieder aufgetaucht",
        "Die vor einem Jahr aus dem Stadtmuseum gestohlenen Gemälde sind wieder aufgetaucht. "
        "Die Polizei fand die Bilder bei einer Hausdurchsuchung, die Kunstwerke sind "
        "unbeschädigt und kehren ins Museum zurück.",
    ),
    "museum-2": (
        "Stadtmuseum zeigt die wiedergefundenen Bilder",
        "Das Stadtmuseum stellt die wiedergefundenen Gemälde ab Freitag wieder aus. Die "
        "Polizei hatte die gestohlenen Kunstwerke bei einer Durchsuchung entdeckt.",
    ),
    "haushalt": (
        "Regierung legt den Haushalt vor",
        "Die Regierung hat den Haushalt für das kommende Jahr vorgelegt. Das Defizit soll "
        "sinken, die Ausgaben für Bildung und Pflege steigen, und die Opposition kritisiert "
        "die geplanten Kürzungen bei den Förderungen.",
    ),
    "fussball": (
        "Rapid gewinnt das Derby",
        "Rapid hat das Wiener Derby mit zwei zu eins gewonnen. Der Stürmer traf kurz vor dem "
        "Ende, und die Fans feierten den Sieg bis in die Nacht.",
    ),
}


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    home = tmp_path_factory.mktemp("home")
    folder = tmp_path_factory.mktemp("german")
    for slug, (title, body) in GERMAN_STORIES.items():
        write(folder, f"{slug}.md", story_file(slug, title, body))
    with pytest.MonkeyPatch.context() as patch:
        for variable, name in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
            patch.setenv(variable, str(home / name))
        with open_library(folder) as opened:
            yield opened


def test_a_german_story_s_top_related_is_the_same_event(german: Library) -> None:
    """Every story shares "der die und das" with every other: the event's words decide."""
    for slug in GERMAN_STORIES:
        if slug[-1] in "12":
            partner = slug[:-1] + ("2" if slug.endswith("1") else "1")
            top = german.related(slug, limit=3)
            assert top and top[0].row.id == partner, (slug, [item.row.id for item in top])
    assert german.article("lawine-1").lang == "de"  # type: ignore[union-attr]


def test_german_reasons_are_the_story_s_own_words(german: Library) -> None:
    reason = german.related("bahn-1", limit=1)[0].reason
    words = reason.removeprefix("shared: ").split(", ")
    assert reason.startswith("shared: ") and {"Streik", "Lokführer"} & set(words), reason
    assert not {"der", "die", "und", "das"} & set(words)


def test_german_search_finds_plural_and_inflected_forms(german: Library) -> None:
    assert {"bahn-1", "bahn-2"} <= search_ids(german, "Streik")  # Streik, Streiks
    assert {"lawine-1", "lawine-2"} <= search_ids(german, "Lawinen")  # Lawine, Lawinen
    assert {"museum-1", "museum-2"} <= search_ids(german, "Gemaelde") | search_ids(
        german, "Gemalde"
    )  # without the umlaut
    assert search_ids(german, '"Lawinen"') == {"lawine-2"}  # a phrase stays exact
