"""The search box language, translated into a safe FTS5 MATCH expression.

    tallemar accord          both words (any order, any column)
    "border dispute"         the phrase
    ceasefire*               a prefix (of at least 3 letters)
    -pipeline                articles without the word (or "-a phrase")
    author:lindqvist         author qualifier; author:"Marta Lindqvist-Obi" for spaces
    is:unread is:read is:starred is:hidden (hidden articles are found by is:hidden only)
    is:podcast               articles with an audio or video file (also is:enclosure)
    folder:tech              articles in a subfolder of that name (folder:"world news")
    feed:"harbour desk"      articles from a feed (or site) whose name has these words
Any other `name:value` is an error naming the qualifiers there are.

A bare word also finds its other forms ("Wahl" finds "Wahlen"): `with_forms` puts them in,
from `search.library_forms`, some narrowed to the articles of a language. A word or phrase
of Chinese or Japanese is also looked for inside runs of characters (`cjk`). Every word and
phrase reaches FTS5 inside double quotes, so user text can never be read as FTS5 syntax
(AND, OR, NOT, NEAR, parentheses, column filters, stray quotes or stars): no input raises
an SQLite error. Words made only of punctuation are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from newstui.core.index import cjk
from newstui.core.sanitize import clean_line


class QueryError(ValueError):
    """A search the user has to fix; the message says how."""


MIN_PREFIX = 3
QUALIFIERS = ("author", "is", "folder", "feed")
_QUALIFIER = re.compile(r"([a-z]+):(?=[^\s/])", re.IGNORECASE)  # (not http://)
FLAGS = {
    "unread": ("read", False),
    "read": ("read", True),
    "starred": ("starred", True),
    "hidden": ("hidden", True),
    "podcast": ("podcast", True),
    "enclosure": ("podcast", True),
}


@dataclass(frozen=True)
class Forms:
    """A bare word's forms, folded: `everywhere` (the word first) in any article, and
    `only[narrowing]` in the articles an FTS5 expression (`narrowing`) matches."""

    everywhere: list[str]
    only: dict[str, list[str]] = field(default_factory=dict)

    def expression(self) -> str:
        """The FTS5 expression for any of the forms."""
        found = [_quoted(form) for form in self.everywhere]
        for narrowing, forms in self.only.items():
            found.append(f"({narrowing} AND ({' OR '.join(map(_quoted, forms))}))")
        return found[0] if len(found) == 1 else "(" + " OR ".join(found) + ")"


@dataclass(frozen=True)
class Query:
    include: list[str] = field(default_factory=list)  # FTS5 phrases, already quoted
    exclude: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # FTS5 phrases for the author column
    read: bool | None = None
    starred: bool | None = None
    words: frozenset[str] = frozenset()  # the phrases that are one bare word (no quotes, no *)
    folders: list[str] = field(default_factory=list)  # folder names, as typed
    feeds: list[str] = field(default_factory=list)  # words of feed names, casefolded
    hidden: bool = False  # is:hidden: the hidden articles (else: those not hidden)
    podcast: bool | None = None  # is:podcast: with (or -is:podcast without) enclosures

    @property
    def match(self) -> str | None:
        """The FTS5 expression for what must match, or None (qualifiers only)."""
        positive = [*self.include, *(_in_author(phrase) for phrase in self.authors)]
        if not positive:
            return None
        expression = " AND ".join(positive)
        if self.exclude:
            expression = f"({expression}) NOT ({' OR '.join(self.exclude)})"
        return expression

    @property
    def exclude_match(self) -> str | None:
        """What must not match, as one expression (used when nothing positive is given)."""
        return " OR ".join(self.exclude) if self.exclude else None

    @property
    def ranked(self) -> bool:
        return bool(self.include)

    def with_forms(self, forms: Callable[[str], Forms]) -> Query:
        """Each bare word as any of `forms(word)` (the word itself among them)."""

        def expand(phrase: str) -> str:
            if phrase not in self.words:
                return phrase
            found = forms(phrase[1:-1].replace('""', '"'))
            return phrase if found.everywhere == [] else found.expression()

        include = [expand(phrase) for phrase in self.include]
        exclude = [expand(phrase) for phrase in self.exclude]
        return replace(self, include=include, exclude=exclude, words=frozenset())


def parse_query(text: str) -> Query:
    """Parse the search box; raises `QueryError` for a qualifier that makes no sense."""
    include: list[str] = []
    exclude: list[str] = []
    authors: list[str] = []
    folders: list[str] = []
    feeds: list[str] = []
    flags: dict[str, bool] = {}
    words: set[str] = set()
    text = clean_line(text)
    position = 0
    while position < len(text):
        if text[position] == " ":
            position += 1
            continue
        negated = text[position] == "-" and position + 1 < len(text) and text[position + 1] != " "
        if negated:
            position += 1
        lowered = text[position : position + 7].casefold()
        named = _QUALIFIER.match(text, position)
        if named and named.group(1).casefold() in ("folder", "feed"):
            name = named.group(1).casefold()
            value, position = _value(text, named.end())
            value = " ".join(value.strip('"').split())
            if not value or negated:
                raise QueryError(f'{name}: needs a name, e.g. {name}:tech or {name}:"world news"')
            (folders if name == "folder" else feeds).append(
                value if name == "folder" else value.casefold()
            )
            continue
        if named and named.group(1).casefold() not in QUALIFIERS:
            known = ", ".join(f"{q}:" for q in QUALIFIERS)
            raise QueryError(
                f"unknown qualifier {named.group(1)}: (known: {known}); "
                f'quote it to search for the words: "{named.group(0)}…"'
            )
        if lowered.startswith("author:"):
            value, position = _value(text, position + len("author:"))
            phrase = _phrase(value, prefix=False)
            if phrase is None:
                raise QueryError('author: needs a name, e.g. author:smith or author:"Ana Brum"')
            if negated:
                exclude.append(_in_author(phrase))
            else:
                authors.append(phrase)
            continue
        if lowered.startswith("is:"):
            value, position = _value(text, position + len("is:"))
            flag = FLAGS.get(value.casefold())
            if flag is None:
                known = "is:unread, is:read, is:starred, is:hidden or is:podcast"
                raise QueryError(f"unknown is:{value}; use {known}")
            name, wanted = flag
            if flags.get(name, wanted != negated) != (wanted != negated):
                raise QueryError(f"is:{value} contradicts an earlier is: in the same search")
            flags[name] = wanted != negated
            continue
        value, position = _value(text, position)
        prefix = value.endswith("*") and not value.startswith('"')
        quoted = value.startswith('"')
        if quoted:
            value = value[1:].removesuffix('"')
            if position < len(text) and text[position] == "*":
                prefix, position = True, position + 1
        phrase = _phrase(value, prefix=prefix)
        if phrase is not None:
            within = cjk.phrase(value.replace("*", " ").strip('"'))
            if within is not None:  # Chinese or Japanese: also inside runs of characters
                phrase = f"({phrase} OR {within})"
            elif not (quoted or prefix) and all(map(_is_token_char, value)):
                words.add(phrase)
            (exclude if negated else include).append(phrase)
    if not (include or authors or flags or exclude or folders or feeds) and text.strip():
        raise QueryError('nothing to search for: type a word, a "phrase" or a prefix*')
    return Query(
        include,
        exclude,
        authors,
        flags.get("read"),
        flags.get("starred"),
        frozenset(words),
        folders,
        feeds,
        flags.get("hidden", False),
        flags.get("podcast"),
    )


def author_match(name: str) -> str:
    """The FTS5 expression for "by NAME", as `author:NAME` matches: the words of NAME, in
    order, among the words of an author's name ("goodin" finds "Sam Goodin")."""
    phrase = _phrase(name, prefix=False)
    if phrase is None:
        raise QueryError(f"{name!r} has no letters or digits to match an author's name by")
    return _in_author(phrase)


def _in_author(phrase: str) -> str:
    return f"author : {phrase}"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _value(text: str, position: int) -> tuple[str, int]:
    """A quoted string (to its closing quote, or the end) or a run of non-spaces."""
    if position < len(text) and text[position] == '"':
        end = text.find('"', position + 1)
        end = len(text) if end < 0 else end + 1
        return text[position:end], end
    end = text.find(" ", position)
    end = len(text) if end < 0 else end
    value = text[position:end]
    quote = value.find('"')
    if quote > 0:  # foo"bar: the word ends where a quote starts
        end = position + quote
        value = value[:quote]
    return value, end


def _phrase(value: str, *, prefix: bool) -> str | None:
    """`value` as one quoted FTS5 phrase, or None when it holds no word characters.

    A prefix shorter than `MIN_PREFIX` letters is searched as a whole word: "a*" would
    merge the lists of thousands of words and take seconds.
    """
    value = " ".join(value.strip('"').replace("*", " ").split())
    if not any(_is_token_char(char) for char in value):
        return None
    quoted = '"' + value.replace('"', '""') + '"'
    return quoted + "*" if prefix and _last_token_length(value) >= MIN_PREFIX else quoted


def _last_token_length(value: str) -> int:
    length = 0
    for char in reversed(value):
        if not _is_token_char(char):
            break
        length += 1
    return length


def _is_token_char(char: str) -> bool:
    """Letters, digits and private-use characters: what FTS5's unicode61 indexes."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"
