"""The Article model: what every format produces and every face consumes. Pure: no textual."""

from __future__ import annotations

import hashlib
import math
import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
)

from newstui.core.sanitize import clean_line, clean_text

# Every string that comes from an article passes through one of these at validation time.
Line = Annotated[str, AfterValidator(clean_line)]
Text = Annotated[str, AfterValidator(clean_text)]

BlockKind = Literal["heading", "paragraph", "quote", "list_item", "code", "image"]
WORDS_PER_MINUTE = 230
LINK_SCHEMES = ("http", "https", "mailto")  # the only links an article keeps (never javascript:)
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


class Author(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: Line
    bio: Text | None = None


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
    author: Author | None = None
    blocks: list[Block] = Field(default_factory=list)
    related: list[Line] = Field(default_factory=list)
    source: Source
    published: datetime | None = None
    url: Line | None = None  # where the article is on the web
    feed: Line | None = None  # the subscription (feed URL) it was fetched from
    lang: Line | None = None  # primary language subtag, lower case ("en", "de"), when known
    direction: Literal["rtl"] | None = None  # the text runs right to left (`dir=rtl`)
    tags: list[Line] = Field(default_factory=list)

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


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def normalise_title(title: str) -> str:
    """Casefolded words only: how "You Might Also Like" titles are matched to articles."""
    return " ".join(_WORD.findall(clean_line(title).casefold()))


def content_id(title: str, body: str) -> str:
    """A stable id for an article without a slug: survives renames and moves of its file."""
    normalised = normalise_title(title) + "\n" + " ".join(_WORD.findall(body.casefold()))
    return "h-" + hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:16]
