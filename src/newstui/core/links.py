"""An article's links, numbered in reading order: the reader marks them `[3]`, picks by number."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from newstui.core.models import Article

IMAGE = -1  # the `in_block` of an image block's own link


class NumberedLink(NamedTuple):
    number: int  # from 1
    block: int  # the block it is in
    in_block: int  # which of the block's links (IMAGE: the image itself)
    text: str  # the linked words, or the image's alt text or caption
    url: str  # http, https or mailto: checked when the article was read


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
    return found
