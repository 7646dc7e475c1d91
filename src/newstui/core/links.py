"""An article's links, numbered in reading order: the reader marks them `[3]`, picks by number."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from newstui.core.models import Article, Enclosure

IMAGE = -1  # the `in_block` of an image block's own link
ENCLOSURE = -2  # the `in_block` of a podcast or video file (its `block`: which of them)


class NumberedLink(NamedTuple):
    number: int  # from 1
    block: int  # the block it is in
    in_block: int  # which of the block's links (IMAGE: the image itself)
    text: str  # the linked words, or the image's alt text or caption
    url: str  # http, https or mailto: checked when the article was read

    @property
    def is_enclosure(self) -> bool:
        return self.in_block == ENCLOSURE


def numbered_links(article: Article) -> list[NumberedLink]:
    found: list[NumberedLink] = []
    for number, block in enumerate(article.blocks):
        if block.kind == "image":
            if block.url:
                found.append(NumberedLink(len(found) + 1, number, IMAGE, block.text, block.url))
            continue
        for index, link in enumerate(block.links):
            text = block.text[link.start : link.end]
            found.append(NumberedLink(len(found) + 1, number, index, text, link.url))
    for number, enclosure in enumerate(article.enclosures):  # after the text's own links
        label = enclosure_label(enclosure)
        found.append(NumberedLink(len(found) + 1, number, ENCLOSURE, label, enclosure.url))
    return found


def enclosure_label(enclosure: Enclosure) -> str:
    """What the file is, as far as the feed says: "audio/mpeg, 12.4 MB"."""
    parts = [enclosure.type or "media file"]
    if enclosure.length:
        parts.append(f"{enclosure.length / 1e6:.1f} MB")
    return ", ".join(parts)
