"""An article's language, and the words of each language: stop words and stemming.

`effective_language` is what the index stores: the language the source declares (`lang`
in HTML, `xml:lang` / `<language>` in feeds, `lang:` in front matter), else the one
`detect` finds in the text. Detection runs at index time only, in the parse workers:
a count of each language's commonest function words settles most news text in
microseconds; the rest goes to py3langid (an offline model inside its wheel, loaded on
first use, about 0.6 s). Stop words come from stopwordsiso (57 languages), stemmers from
PyStemmer (Snowball, `STEMMERS`). Nothing here is needed to read an index: the heavy
imports happen in the functions that use them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from newstui.core.index.words import word_runs

if TYPE_CHECKING:
    from newstui.core.models import Article

# ISO 639-1 code -> Snowball algorithm (PyStemmer's names).
STEMMERS = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# The commonest words of some languages, each in one list only: a text using many words of
# one list and few of the others is in that language, no model needed.
_FUNCTION_WORDS = {
    "en": "the and of to is that for was with are this have from has been were they",
    "de": "der die und das ist nicht mit den von sich auf dem des ein eine auch wird",
    "fr": "le les et des est une pour dans qui du sur pas au aux ne ont avec sont",
    "es": "el los las y del que por para una con se al lo como su más fue",
    "it": "il di che per non sono della gli nel alla anche è ha dei delle",
    "pt": "o os da do em com uma não dos às pelo pela foi ao também são",
    "nl": "het een van en dat niet zijn met voor op ook werd wordt naar bij",
}
_VOTES: dict[str, str] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _word in _words.split():
        _VOTES[_word] = "" if _word in _VOTES else _lang  # in two lists: no vote
_VOTES = {word: lang for word, lang in _VOTES.items() if lang}

SAMPLE_CHARS = 1500  # detection reads the start of an article only...
SAMPLE_WORDS = 150  # ...and counts function words among these first words
MODEL_CHARS = 600  # what py3langid reads when they do not settle it (its time grows with it)
MIN_VOTES = 8  # function words needed to decide without the model...
MARGIN = 4  # ...and how many times the runner-up's count...
MIN_VOTERS = 5  # ...from this many different words (Hausa's "da" is not Portuguese)
MIN_CONFIDENCE = 0.8  # py3langid's normalised probability needed for an answer
MIN_LETTERS = 12  # shorter texts get no detected language
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")


def primary_subtag(tag: object) -> str | None:
    """'de' for 'de-AT', 'DE' or 'de_CH'; None for anything that is not a language tag."""
    if not isinstance(tag, str):
        return None
    found = _TAG.match(tag.strip())
    return found.group(0).lower() if found else None


def effective_language(declared: str | None, title: str, text: str) -> str | None:
    """The declared language when there is one, else the detected one (or None)."""
    return declared or detect(f"{title}\n{text}")


def with_language(article: Article) -> Article:
    """The article with the language the index gives it: declared, else detected."""
    text = article.summary + "\n\n" + article.body_text
    found = effective_language(article.lang, article.title, text)
    return article if found == article.lang else article.model_copy(update={"lang": found})


def detect(text: str) -> str | None:
    """The language of `text` (an ISO 639-1 code), or None when it is too short to say."""
    sample = text[:SAMPLE_CHARS]
    lowered = sample.lower()
    runs = word_runs(lowered)
    words = (runs if runs is not None else _WORD.findall(lowered))[:SAMPLE_WORDS]
    if sum(map(len, words[:MIN_LETTERS])) < MIN_LETTERS:
        return None
    voters = set(filter(_VOTES.__contains__, words))
    votes = Counter(filter(None, map(_VOTES.get, words))).most_common(2)
    runner_up = votes[1][1] if len(votes) > 1 else 0
    if votes and votes[0][1] >= max(MIN_VOTES, MARGIN * runner_up):
        winner = votes[0][0]
        if sum(_VOTES[word] == winner for word in voters) >= MIN_VOTERS:
            return winner
    found, confidence = _identifier().classify(sample[:MODEL_CHARS])
    return str(found) if confidence >= MIN_CONFIDENCE else None


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# -- the words of a language -----------------------------------------------------------------


@cache
def stop_words(lang: str | None) -> frozenset[str]:
    """stopwordsiso's list for `lang` (lower case), or an empty set."""
    import stopwordsiso

    if not lang or not stopwordsiso.has_lang(lang):
        return frozenset()
    return frozenset(word.lower() for word in stopwordsiso.stopwords(lang))


@cache
def stemmer(lang: str | None) -> Callable[[str], str] | None:
    """The Snowball stemmer of `lang` as a function of one lower-case word, or None."""
    algorithm = STEMMERS.get(lang or "")
    if algorithm is None:
        return None
    import Stemmer

    stem: Callable[[str], str] = Stemmer.Stemmer(algorithm).stemWord
    return stem


def fold(word: str) -> str:
    """`word` without diacritics, as FTS5's unicode61 tokenizer indexes it ("é" -> "e")."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
