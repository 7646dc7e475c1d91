"""A saved page's article text: furniture removed, two extractors, the better one's blocks.

The page's tree first loses what is never article text: hidden nodes, and elements whose
class or id names them furniture (share bars, comments, newsletter promos, "related" link
farms, cookie banners, Wikipedia's "[edit]" links and navigation boxes); a link of such a
class in a sentence loses only its address, not its words. trafilatura and readability-lxml
then each extract the main text from that tree. Both nearly always find the article; what
differs is what they take along (a caption, a teaser, a comment), so the shorter text is
taken, unless it is under half the longer (then it is a fragment: one extractor stopped
early, or picked a side box) or has many words the longer lacks (the two took different
parts of the page), or the longer has no word the shorter lacks (it keeps the repeats the
text has, a refrain, that the other dropped): then the longer. When readability's text is
taken, the lead paragraphs trafilatura has before the text the two share go first
(readability often leaves the lead in the page's header). readability drops block quotes
such as embedded posts: when its text is taken, the quotes only trafilatura kept are put
back in their places, and embedded posts both dropped go back from the page, where they fall
between the article's own blocks (a wrapper around a quote is not furniture, whatever its
class). The text goes through `html_to_blocks`, which keeps links and images (only the
chosen extractor's, and the page's when posts come back from it), and a last pass drops the
furniture lines both keep (a repeated title, whole or cut short, byline or date, the page's
address printed at the top, "Share", "Loading Comments...", "Show more", tags, photo
credits), and headlines of other stories (paragraphs all link) at the end or two or more in
a row, an image's caption again after it, and the alt text of an image again on a later one.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, document_fromstring, tostring

from newstui.core.formats._html_blocks import html_to_blocks, is_icon
from newstui.core.formats._html_math import math_as_text
from newstui.core.models import Block, count_words, normalise_title
from newstui.core.sanitize import clean_line

# Class or id words (split at - and _) of elements that are never article text.
_FURNITURE_WORDS = frozenset(
    {
        "share",
        "sharing",
        "sharebar",
        "social",
        "comment",
        "comments",
        "newsletter",
        "related",
        "promo",
        "cookie",
        "cookies",
        "consent",
        "subscribe",
        "subscription",
        "signup",
        "editsection",
        "breadcrumb",
        "breadcrumbs",
        "popup",
        "modal",
        "outbrain",
        "taboola",
        "recommended",
        "recommendations",
        "sponsored",
        "advert",
        "advertisement",
        "ad",
        "ads",
        "navbox",
        "toolbar",
        "noprint",
        "slideshow",
        "disqus",
        "paywall",
    }
)
_WORD_SPLIT = re.compile(r"[\s_-]+")
_NEVER_REMOVED = frozenset({"html", "body", "main", "article"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SENTENCE_WORDS = 3  # around a link: it stands in a sentence
_SHARE_OF_TEXT = 0.4  # furniture never holds this much of the page's text
_PROSE_CHARS = 150  # a paragraph this long is prose (two of them: not furniture)
# The shorter text is the more precise one, unless it is a fragment of the longer.
_FRAGMENT = 0.5
_SAME_TEXT = 0.8  # of the shorter text's words in the longer: a version of it
# How far ahead a block of one extractor is looked for in the other's (quotes' places).
_ANCHOR_WINDOW = 40
# Elements whose code is inline code (a word in a sentence), not a block of its own.
_INLINE_PARENTS = frozenset(
    {"p", "li", "td", "th", "a", "b", "i", "em", "strong", "u", "h1", "h2", "h3", "h4", "h5", "h6"}
)
# Short lines both extractors keep that are not article text.
_FURNITURE_LINE = re.compile(
    r"^(?:share(?: this(?: article| story| post)?)?(?: on \w+| via \w+)?|tweet|email|print|"
    r"advertisement|ad|loading comments\.*|"
    r"comments?|\d+ comments?|read more|related( articles| stories)?|featured.*slide ?shows?|"
    r"photo ?credit.*|image:.*|sign up.*newsletter.*|subscribe\b.*|follow us.*|"
    r"from the section.*|.*• \d+ comments?|skip to .*|continue reading.*|"
    r"recommended( for you)?|more from .*|you may also like.*|\[edit\]|edit|close|"
    r"like this:?|(like )?loading\.*|updated( at| on)? .{0,40}|.*click(ing)? here.*|"
    r"\[?[A-Z ]{3,20}\]\|?|advertisement - .*|advert|(?:show |read )?(?:more|less)|"
    r"filed under\b.*|tags?:.*|more:|(?:latest|more|view all|all) posts by .*|"
    r"follow [\w ]{1,40} on (?:\w+, )*\w+(?: and \w+)?\.?|"
    r"\(?(?:image|photo|picture)(?: copyright| credit|s?:).*|.*\bgetty images\)?)$",
    re.I,
)
# A photo credit: "Name Surname/Agency", "Name/Outlet/Getty Images" (no sentence in it).
_CREDIT_LINE = re.compile(r"^[A-Z][\w.'’ -]{2,40}(?:/[A-Z][\w.'’ -]{1,30}){1,2}$")
_CREDIT_WORDS = 8
# A web address alone on a line at the top: the page's address printed in its header.
_ADDRESS_LINE = re.compile(r"^https?://\S+$")
_FURNITURE_LINE_CHARS = 90
_MOST = 0.7  # of a title's words, for the start of it to be taken as the title
# Longer lines that point elsewhere: "Also on ...", "Have a tip? ...".
_PROMO_LINE = re.compile(
    r"^(?:also on|also read|read also|see also|read more|related:|have a tip|more:|watch:)\b"
    r"|\b(?:sign up|subscribe)\b.*\b(?:newsletter|inbox)\b|\bclick here\b",
    re.I,
)
# A WordPress shortcode the page left unrendered: "[button link=...]Send us...[/button]".
_SHORTCODE = re.compile(r"^\[(\w+)[^\]]*\].*\[/\1\]$")

_PROMO_LINE_CHARS = 200
_SHOUTING_WORDS = 4
_LINKED = 0.9  # of a block's text in links, for it to be a teaser (a headline elsewhere)
_TAIL_WORDS = 4  # a sentence's last words cut off at a link, not a headline
_WEB_ADDRESS = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_LABEL_WORDS = 12  # a line ending in ":" this short introduces what follows
_LEAD_WORDS = 12  # a paragraph of prose, not a caption or a label
_LEAD_PARAGRAPHS = 2
_TEASER_RUN = 2  # teasers in a row that are a list of other stories
_CAPTION_WORDS = 3  # of an image's alt text, for a paragraph holding it to be its caption
_ENDS_SENTENCE = re.compile(r"[.!?:…\"”»]\s*$")
_DATE_LINE = re.compile(r"^[\w ,.:/+-]{0,60}\b(?:19|20)\d\d\b[\w ,.:/+-]{0,30}$")
_TOP_LINE = re.compile(r"^(?:updated|published|posted|by|min read|\d+ min(?:ute)? read)\W*$", re.I)


def strip_furniture(tree: HtmlElement) -> HtmlElement:
    """The page without hidden nodes and furniture (see the module's doc), its formulas as
    text (`math_as_text`), changed in place."""
    math_as_text(tree)
    total = len(tree.text_content()) or 1
    doomed = []
    for element in tree.iter(etree.Element):
        if not isinstance(element.tag, str) or element.tag in _NEVER_REMOVED:
            continue
        if element.tag == "img":
            _caption_as_alt(element)
        if _is_unwanted(element, total):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag == "a" and not _is_hidden(element) and _in_sentence(element, parent):
            element.drop_tag()  # a link in a sentence: its address goes, its words stay
        else:
            _drop(element, parent)
    return tree


def _in_sentence(element: HtmlElement, parent: HtmlElement) -> bool:
    """`element` stands in running text: its parent's own text goes on on both sides of it
    (a label before a share link does not), with a few words."""
    previous = element.getprevious()
    before = (parent.text if previous is None else previous.tail) or ""
    after = element.tail or ""
    return (
        bool(before.strip() and after.strip())
        and count_words(before) + count_words(after) >= _SENTENCE_WORDS
    )


def _is_unwanted(element: HtmlElement, total: int) -> bool:
    if element.tag == "img":
        return bool(is_icon(element.attrib)) or _is_hidden(element)
    if _is_hidden(element):
        return True
    return (
        _is_furniture(element)
        and len(element.text_content()) < _SHARE_OF_TEXT * total
        and not _holds_prose(element)
        and not _wraps_quote(element)
    )


def _caption_as_alt(image: HtmlElement) -> None:
    """An image without alt text in a captioned figure: its caption says what it shows."""
    if (image.get("alt") or "").strip():
        return
    for figure in image.iterancestors("figure"):
        for caption in figure.iter("figcaption"):
            image.set("alt", clean_line(caption.text_content()))
            return
        return


def _drop(element: HtmlElement, parent: HtmlElement) -> None:
    """Remove `element` but keep the text that follows it (its tail)."""
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _is_hidden(element: HtmlElement) -> bool:
    return (
        element.get("hidden") is not None
        or (
            (element.get("aria-hidden") or "").lower() == "true"
            and element.tag not in {"img", "svg"}
        )
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def _holds_prose(element: HtmlElement) -> bool:
    """Paragraphs of prose inside: a wrapper around the article, whatever its class says."""
    long_paragraphs = 0
    for paragraph in element.iter("p"):
        long_paragraphs += len(paragraph.text_content()) >= _PROSE_CHARS
        if long_paragraphs >= 2:
            return True
    return False


def _wraps_quote(element: HtmlElement) -> bool:
    """A wrapper around a block quote (an embedded post: "social-media-embed"), not a share bar."""
    total = len(element.text_content().strip())
    return any(
        2 * len(quote.text_content().strip()) >= total for quote in element.iter("blockquote")
    )


def _is_furniture(element: HtmlElement) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return bool(names.strip()) and any(
        word in _FURNITURE_WORDS for word in _WORD_SPLIT.split(names)
    )


def extract_blocks(tree: HtmlElement, base: str | None) -> tuple[list[Block], Any]:
    """The article's blocks from the better extractor, and trafilatura's document.
    readability changes `tree`: trafilatura is given the page as text first."""
    page = tostring(tree, encoding="unicode")
    document = _trafilatura(page)
    from_trafilatura = _trafilatura_html(document)
    from_readability = _readability(tree)
    if _pick_readability(_html_text(from_trafilatura), _html_text(from_readability)):
        blocks = html_to_blocks(from_readability, base=base)
        other = html_to_blocks(from_trafilatura, base=base) if from_trafilatura else []
        blocks = with_lead(blocks, other)
        if "<blockquote" in from_trafilatura:
            blocks = with_quotes(blocks, other)
    else:
        blocks = html_to_blocks(from_trafilatura, base=base) if from_trafilatura else []
    if page.count("<blockquote") > sum(block.kind == "quote" for block in blocks):
        # Embedded posts both dropped: those amid the article's text go back.
        blocks = with_quotes(blocks, html_to_blocks(page, base=base), within=True)
    return blocks, document


def _pick_readability(from_trafilatura: str, from_readability: str) -> bool:
    """The shorter text, unless it is a fragment of the longer or another part of the page
    (see the module's doc)."""
    readability_shorter = count_words(from_readability) <= count_words(from_trafilatura)
    shorter, longer = (
        (from_readability, from_trafilatura)
        if readability_shorter
        else (from_trafilatura, from_readability)
    )
    # The longer only says it more times (a refrain the other dropped): the text as written.
    repeats = count_words(longer) > count_words(shorter) and _shared(longer, shorter) == 1.0
    a_version = (
        count_words(shorter) >= _FRAGMENT * count_words(longer)
        and _shared(shorter, longer) >= _SAME_TEXT
        and not repeats
    )
    return readability_shorter == a_version  # the shorter if a version of the longer


def _shared(shorter: str, longer: str) -> float:
    """The share of the shorter text's words that the longer one has too."""
    mine, theirs = normalise_title(shorter).split(), set(normalise_title(longer).split())
    return sum(word in theirs for word in mine) / len(mine) if mine else 1.0


def _html_text(html: str) -> str:
    """The text an extractor's HTML shows (what its blocks will hold, images aside)."""
    if not html.strip():
        return ""
    try:
        root = document_fromstring(html)
    except (etree.LxmlError, ValueError, AssertionError):  # no elements at all
        return ""
    body = root.find("body")
    return str((root if body is None else body).text_content())


def with_lead(blocks: list[Block], other: list[Block]) -> list[Block]:
    """`blocks` with the paragraphs of prose `other` has before the first text the two share
    (the article's lead: readability often leaves it in the page's header)."""
    keys = {normalise_title(block.text) for block in blocks}
    lead: list[Block] = []
    for block in other:
        key = normalise_title(block.text)
        if key in keys:
            break
        if block.kind == "paragraph" and len(key.split()) >= _LEAD_WORDS:
            lead.append(block)
    else:
        return blocks  # nothing shared: not a lead
    return [*lead[-_LEAD_PARAGRAPHS:], *blocks]


def with_quotes(blocks: list[Block], other: list[Block], *, within: bool = False) -> list[Block]:
    """`blocks` with the quotes only `other` kept (embedded posts, block quotes: readability
    drops them), each put after the block it follows in `other`. A quote before the text the
    two share is not taken: there, quotes are teasers more often than article; `within`: nor
    one after it (when `other` is the whole page, what follows the article is not article)."""
    merged = list(blocks)
    keys = [normalise_title(block.text) for block in merged]
    present = f" {' '.join(keys)} "
    position: int | None = None  # where the next quote of `other` goes in `merged`
    waiting: list[tuple[Block, str]] = []  # quotes after `position`, not yet placed
    for block in other:
        key = normalise_title(block.text)
        if not key:
            continue
        if block.kind == "quote" and not _present(key, present, keys):
            if position is not None:
                waiting.append((block, key))
            continue
        found = _find(keys, key, position or 0)
        if found is None or position is None:
            position = position if found is None else found + 1
            continue
        position = _place(merged, keys, waiting, position) + found + 1 - position
        waiting = []
    if not within and position is not None:
        _place(merged, keys, waiting, position)
    return merged


def _place(merged: list[Block], keys: list[str], quotes: list[tuple[Block, str]], at: int) -> int:
    """Insert `quotes` at `at`; the position after them."""
    for block, key in quotes:
        merged.insert(at, block)
        keys.insert(at, key)
        at += 1
    return at


def _present(key: str, text: str, keys: list[str]) -> bool:
    """`key`'s words are in `text`, or a block of most of them (split differently) is."""
    return f" {key} " in text or any(2 * len(words) > len(key) and words in key for words in keys)


def _find(keys: list[str], key: str, start: int) -> int | None:
    """The first of the next few blocks whose words hold `key` (or are held by it)."""
    for index in range(start, min(len(keys), start + _ANCHOR_WINDOW)):
        if keys[index] and (key in keys[index] or keys[index] in key):
            return index
    return None


@functools.cache
def _libraries_set_up() -> None:
    """The extractors' logs silenced, and htmldate's slow last resort off: a date phrase none
    of its own patterns reads goes to dateparser, whose first call loads every locale (1.2 s),
    for 0.3 % of the dates on trafilatura's labelled pages (bench/html_quality.py)."""
    import htmldate.extractors

    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    if hasattr(htmldate.extractors, "_external_date"):
        setattr(htmldate.extractors, "_external_date", lambda string: None)  # noqa: B010


def _trafilatura(page: str) -> Any:
    import trafilatura

    _libraries_set_up()
    return trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_formatting=True,
        include_links=True,
        date_extraction_params={"original_date": True, "extensive_search": True},
    )


def _trafilatura_html(document: Any) -> str:
    from trafilatura.htmlprocessing import convert_to_html

    if document is None or document.body is None:
        return ""
    for container in list(document.body.iter("div", "body", "section")) or [document.body]:
        _rejoin_split_paragraphs(container)
    html = convert_to_html(document.body)
    _inline_code_stays_inline(html)
    return str(tostring(html, encoding="unicode"))


def _inline_code_stays_inline(html: Any) -> None:
    """trafilatura writes all code as <pre>, inline `pip` in a sentence too, which would cut
    the paragraph in three: code inside a paragraph, list item, cell or heading is <code>."""
    for pre in list(html.iter("pre")):
        parent = pre.getparent()
        if parent is not None and parent.tag in _INLINE_PARENTS:
            pre.tag = "code"


def _continues(text: str) -> bool:
    """Text that goes on a sentence: it starts with punctuation or a lower-case letter."""
    first = text.lstrip()[:1]
    return bool(first) and (first.islower() or first in ",.;:!?)]’”»")


def _rejoin_split_paragraphs(body: Any) -> None:
    """trafilatura lifts a formatted link out of its paragraph ("...publication </p><hi><ref>
    DigiTimes</ref></hi><p>. A preview..."): put it back, and the paragraph's rest with it."""
    previous, rejoined = None, False
    for child in list(body):
        text = "".join(previous.itertext()) if previous is not None else ""
        if child.tag in {"hi", "ref"} and previous is not None and not _ENDS_SENTENCE.search(text):
            previous.append(child)  # (its tail comes along)
            rejoined = True
        elif child.tag == "p" and previous is not None and rejoined:
            if _continues(child.text or ""):
                last = previous[-1]
                last.tail = (last.tail or "") + (child.text or "")
                previous.extend(list(child))
                body.remove(child)
            else:
                previous = child
            rejoined = False
        else:
            previous, rejoined = (child if child.tag == "p" else None), False


def _readability(tree: HtmlElement) -> str:
    from readability import Document
    from readability.readability import Unparseable

    try:
        return str(Document(tree).summary(html_partial=True))  # links: resolved later
    except (Unparseable, ValueError, TypeError, etree.LxmlError):
        return ""


def _is_furniture_line(block: Block) -> bool:
    """ "Share", "Loading...", "[VIDEO]", "Also on ...", teasers in capitals, lines of links."""
    if block.kind in {"image", "code"}:
        return False
    text = block.text.strip()
    if len(text) <= _FURNITURE_LINE_CHARS and (
        _FURNITURE_LINE.match(text)
        or (_CREDIT_LINE.match(text) and len(text.split()) <= _CREDIT_WORDS)
        or not normalise_title(text)
        or (text.isupper() and len(text.split()) >= _SHOUTING_WORDS and block.kind != "heading")
    ):
        return True
    return len(text) <= _PROMO_LINE_CHARS and bool(
        _PROMO_LINE.search(text) or _SHORTCODE.match(text)
    )


def tidy(blocks: list[Block], title: str, authors: list[str]) -> list[Block]:
    """Without furniture lines, the title, byline or date again at the top, and a heading
    twice (a paragraph said twice is kept: a refrain); `blocks` as they are if that would
    leave nothing to read (every line the byline)."""
    kept: list[Block] = []
    heading = normalise_title(title)
    names = [normalise_title(name) for name in authors if name]
    at_top = True  # in the short lines before the first paragraph
    images: set[str] = set()  # the alt texts of the images kept
    for block in blocks:
        text = block.text.strip()
        short = len(text) <= _FURNITURE_LINE_CHARS
        if _is_furniture_line(block) or (at_top and _ADDRESS_LINE.match(text)):
            continue
        at_top = at_top and (short or block.kind in {"image", "heading"})
        if at_top and block.kind != "image":
            words = normalise_title(text)
            if _is_title(words, heading) or _TOP_LINE.match(text) or _DATE_LINE.match(text):
                continue  # the title or date again, "Updated"
            if (
                any(name and f" {name} " in f" {words} " for name in names)
                and len(words.split()) <= 12
            ):
                continue  # the byline
        elif block.kind == "paragraph" and normalise_title(text) in names:
            continue  # the author's name over a bio at the end
        if _repeats_heading(block, kept) or _repeats_image(block, kept, images):
            continue  # the same heading twice, or an image's caption after it
        if block.kind == "image":
            images.add(normalise_title(block.text))
        kept.append(block)
    kept = _without_teasers(kept)
    return kept if any(block.kind != "image" for block in kept) else blocks


def _repeats_heading(block: Block, kept: list[Block]) -> bool:
    """A heading again right after itself: the page's markup twice (a paragraph said twice is
    the text as written, a refrain)."""
    return block.kind == "heading" and bool(kept) and kept[-1].text == block.text


def _repeats_image(block: Block, kept: list[Block], images: set[str]) -> bool:
    """An image with the alt text of one before it, or the caption of the image just before
    (one holds the other's words: the caption may add a credit, the alt text cut it short)."""
    words = normalise_title(block.text)
    if block.kind == "image":
        return words in images
    if not kept or kept[-1].kind != "image":
        return False
    alt = normalise_title(kept[-1].text)
    return len(alt.split()) >= _CAPTION_WORDS and (alt in words or words in alt)


def _is_teaser(block: Block) -> bool:
    """A paragraph or heading that is all link: a headline pointing to another page (not
    a web address given in full, nor the last words of a sentence cut off at its link)."""
    text = block.text.strip()
    linked = sum(link.end - link.start for link in block.links)
    return (
        block.kind in {"paragraph", "heading"}
        and bool(text)
        and linked >= _LINKED * len(text)
        and not (text.endswith((".", ",", ";", ":")) and len(text.split()) < _TAIL_WORDS)
        and not _WEB_ADDRESS.match(text)
    )


def _without_teasers(blocks: list[Block]) -> list[Block]:
    """Without teasers (with nothing but images after them) at the end, or two or more in a
    row (a list of other stories), and without a heading or a line that ends in ":" at the end
    (what it introduced, "Das könnte Sie auch interessieren", was a box of links)."""
    end = len(blocks)
    while end:
        last = max((n for n in range(end) if blocks[n].kind != "image"), default=-1)
        text_before = any(block.kind not in {"image", "heading"} for block in blocks[:last])
        if text_before and (_is_teaser(blocks[last]) or _introduces_nothing(blocks[last])):
            end = last  # and the images after it: its thumbnails
        else:
            break
    kept: list[Block] = []
    run: list[Block] = []
    for block in blocks[:end]:
        if _is_teaser(block):
            run.append(block)
            continue
        kept.extend(run if len(run) < _TEASER_RUN else [])
        kept.append(block)
        run = []
    return kept


def _introduces_nothing(block: Block) -> bool:
    text = block.text.rstrip()
    return block.kind == "heading" or (
        block.kind == "paragraph" and text.endswith(":") and len(text.split()) <= _LABEL_WORDS
    )


def _is_title(words: str, title: str) -> bool:
    """The title again, or most of it: a page's metadata often cuts the headline short."""
    if words == title:
        return True
    shorter, longer = sorted((words, title), key=len)
    return bool(shorter) and longer.startswith(shorter) and len(shorter) >= _MOST * len(longer)
