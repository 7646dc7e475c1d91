"""The Article model: what every format produces and every face consumes. Pure: no textual."""

from __future__ import annotations

import hashlib
import math
import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from newstui.core.sanitize import clean_line, clean_text

# Every string that comes from an article passes through one of these at validation time.
Line = Annotated[str, AfterValidator(clean_line)]
Text = Annotated[str, AfterValidator(clean_text)]

BlockKind = Literal["heading", "paragraph", "quote", "list_item", "code", "image"]
WORDS_PER_MINUTE = 230
LINK_SCHEMES = ("http", "https", "mailto")  # the only links an article keeps (never javascript:)
MAX_AUTHORS = 20  # an article's authors kept (a hostile file may name thousands)
MAX_ENCLOSURES = 20  # an article's podcast and video files kept
# `meta`: the fields no other field takes (unknown front matter keys), capped.
MAX_META_KEYS, MAX_META_KEY_CHARS, MAX_META_ITEMS, MAX_META_CHARS = 50, 100, 50, 1000
MetaFields = dict[str, str | list[str]]
_WORD = re.compile(r"\w+(?:['’]\w+)*")


class Link(BaseModel):
    """An inline link: the block's `text[start:end]` points to `url` (http, https or mailto)."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    url: Line


class Block(BaseModel):
    """One unit of body text. `url` is the image of an "image" block (whose text is its alt
    text or caption); `links` are the inline links in `text`, in order, not overlapping."""

    model_config = ConfigDict(frozen=True)

    kind: BlockKind
    text: Text
    url: Line | None = None
    links: tuple[Link, ...] = ()

    @field_validator("links")
    @classmethod
    def _links_inside_text(cls, links: tuple[Link, ...], info: ValidationInfo) -> tuple[Link, ...]:
        size, kept, end = len(info.data.get("text", "")), [], 0
        for link in links:  # a span outside the text, or overlapping the one before, is dropped
            scheme = link.url.partition(":")[0].lower()
            if end <= link.start < link.end <= size and scheme in LINK_SCHEMES:
                kept.append(link)
                end = link.end
        return tuple(kept)


class Enclosure(BaseModel):
    """A podcast episode or video an entry carries (`<enclosure>`, `media:content`, a JSON
    Feed attachment): opened like a link, never downloaded in the background."""

    model_config = ConfigDict(frozen=True)

    url: Line  # http or https
    type: Line | None = None  # the MIME type the feed gives ("audio/mpeg")
    length: int | None = Field(default=None, ge=0)  # bytes, when the feed says

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        scheme, _, rest = url.partition(":")
        if scheme.lower() not in ("http", "https") or not rest.startswith("//") or " " in url:
            raise ValueError("not an http(s) address")
        return url


class Author(BaseModel):
    """One person. A bare string is read as a name: `"Ana Brum"` is `{"name": "Ana Brum"}`."""

    model_config = ConfigDict(frozen=True)

    name: Line
    bio: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


class Source(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    format: str
    name: Line | None = None  # the feed or site the article came from, when known


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: Line
    slug: Line | None = None
    title: Line
    summary: Text = ""
    authors: list[Author] = Field(default_factory=list)  # each person once, in byline order
    blocks: list[Block] = Field(default_factory=list)
    related: list[Line] = Field(default_factory=list)
    source: Source
    published: datetime | None = None
    url: Line | None = None  # where the article is on the web
    feed: Line | None = None  # the subscription (feed URL) it was fetched from
    lang: Line | None = None  # primary language subtag, lower case ("en", "de"), when known
    direction: Literal["rtl"] | None = None  # the text runs right to left (`dir=rtl`)
    tags: list[Line] = Field(default_factory=list)
    enclosures: list[Enclosure] = Field(default_factory=list)  # podcast and video files
    meta: dict[Line, Line | list[Line]] = Field(default_factory=dict)  # see `meta_fields`

    @model_validator(mode="before")
    @classmethod
    def _author_given(cls, data: Any) -> Any:
        """`author` (a name or an Author: files and callers from before `authors`) is read
        when no `authors` are given; next to `authors` it is their byline and is ignored."""
        if isinstance(data, dict) and "author" in data:
            data = dict(data)
            given = data.pop("author")
            if not data.get("authors") and given is not None:
                data["authors"] = [given]
        return data

    @field_validator("authors")
    @classmethod
    def _distinct_authors(cls, authors: list[Author]) -> list[Author]:
        """Each name once (compared casefolded; the first spelling, the first bio given);
        nameless entries dropped; at most `MAX_AUTHORS`."""
        found: dict[str, Author] = {}
        for author in authors:
            key = author.name.casefold()
            if not key:
                continue
            first = found.get(key)
            if first is None:
                if len(found) == MAX_AUTHORS:
                    break
                found[key] = author
            elif first.bio is None and author.bio:
                found[key] = first.model_copy(update={"bio": author.bio})
        return list(found.values())

    @field_validator("enclosures", mode="before")
    @classmethod
    def _usable_enclosures(cls, value: Any) -> list[Any]:
        """Each file once; one that is not a web address is dropped, not the article."""
        kept: dict[str, Enclosure] = {}
        for item in value if isinstance(value, list) else []:
            try:
                enclosure = Enclosure.model_validate(item)
            except ValueError:
                continue
            kept.setdefault(enclosure.url, enclosure)
            if len(kept) == MAX_ENCLOSURES:
                break
        return list(kept.values())

    @field_validator("meta", mode="before")
    @classmethod
    def _meta_fields(cls, value: Any) -> MetaFields:
        return meta_fields(value)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def author(self) -> Author | None:
        """The byline, derived from `authors`: the one author as they are, or several names
        joined with ", " (and no bio: a bio is one person's). None without authors."""
        if len(self.authors) < 2:
            return self.authors[0] if self.authors else None
        return Author(name=", ".join(author.name for author in self.authors))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def word_count(self) -> int:
        return sum(count_words(block.text) for block in self.blocks)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE)) if self.blocks else 0

    @property
    def body_text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def standfirst(self) -> str:
        """The summary to show above the text, unless the text opens with it."""
        body = "\n".join(block.text for block in self.blocks if block.kind != "image")
        return "" if opens_with(body, self.summary) else self.summary


def meta_fields(value: object) -> MetaFields:
    """Text, numbers, booleans and dates as text, lists of those as lists; mappings and
    anything else dropped (never walked: a YAML alias bomb is a tree of lists). Capped."""
    if not isinstance(value, dict):
        return {}
    kept: MetaFields = {}
    for key, item in value.items():
        if len(kept) == MAX_META_KEYS:
            break
        name = clean_line(key[:MAX_META_KEY_CHARS]) if isinstance(key, str) else ""
        if not name:
            continue
        if isinstance(item, list):
            texts = [_meta_text(each) for each in item[:MAX_META_ITEMS]]
            kept[name] = [text for text in texts if text is not None]
        elif (text := _meta_text(item)) is not None:
            kept[name] = text
    return kept


def _meta_text(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value[:MAX_META_CHARS]
    if isinstance(value, (int, float)):
        try:
            return str(value)[:MAX_META_CHARS]
        except ValueError:  # an integer of more digits than Python will print
            return None
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return None


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


# What feeds append to a summary cut from the text: "[…]", "Read more", "Continue reading
# <title>", WordPress's "The post <title> appeared first on <site>."
_CUT_MARKS = re.compile(
    r"(?:\s*(?:\[?(?:…|\.\.\.)\]?|(?:read more|continue reading|weiterlesen|lire la suite)"
    r"\b[^.!?\n]{0,100}|the post\b[^\n]{0,300}\bappeared first on\b[^\n]{0,100}))+$",
    re.IGNORECASE | re.DOTALL,
)
_LEAD_CHARS = 200  # of the summary compared with the opening of the text


def opens_with(body: str, summary: str) -> bool:
    """Whether the text opens with the summary (as far as the summary goes before a cut
    mark): the standfirst would say it twice. One or several paragraphs, any spacing."""
    start = normalise_title(_CUT_MARKS.sub("", summary))[:_LEAD_CHARS]
    if not start:
        return False
    return normalise_title(body[: 4 * len(start) + 400]).startswith(start)


def normalise_title(title: str) -> str:
    """Casefolded words only: how "You Might Also Like" titles are matched to articles."""
    return " ".join(_WORD.findall(clean_line(title).casefold()))


def content_id(title: str, body: str) -> str:
    """A stable id for an article without a slug: survives renames and moves of its file."""
    normalised = normalise_title(title) + "\n" + " ".join(_WORD.findall(body.casefold()))
    return "h-" + hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:16]
