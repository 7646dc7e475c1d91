"""OPML 1 and 2: import (tolerant) and export (OPML 2).

An outline with an `xmlUrl` is a feed, with or without `type="rss"`; an outline without one
that holds others is a folder, and nested folders become a category "Outer/Inner". The XML
parser is the standard library's expat with entity expansion refused (no DTD tricks).
"""

from __future__ import annotations

from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from newstui.core.fetch.subscriptions import Subscription
from newstui.core.fetch.urls import FetchError, check_url
from newstui.core.sanitize import clean_line


class OpmlError(ValueError):
    """Not an OPML file a person could fix without this message."""


def read_opml(data: bytes) -> tuple[list[Subscription], list[str]]:
    """The feeds in an OPML document, and a note for each outline skipped."""
    if b"<!ENTITY" in data[:4096].upper():
        raise OpmlError("the file declares entities; refused")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise OpmlError(f"not valid XML: {error}") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML: the root element is <{clean_line(root.tag)[:40]}>")
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if body is None:
        raise OpmlError("not OPML: no <body>")
    feeds: list[Subscription] = []
    notes: list[str] = []
    _walk(body, [], feeds, notes)
    return feeds, notes


def _walk(
    element: ElementTree.Element, folders: list[str], feeds: list[Subscription], notes: list[str]
) -> None:
    for outline in element:
        if outline.tag.lower() != "outline":
            continue
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        label = clean_line(attributes.get("title") or attributes.get("text") or "")
        url = (attributes.get("xmlurl") or "").strip()
        if url:
            try:
                check_url(url)
            except FetchError as error:
                notes.append(f"outline {label or url!r}: {error}; skipped")
                continue
            category = "/".join(folders) or None
            feeds.append(Subscription(url=url, name=label or None, category=category))
        elif len(outline):
            _walk(outline, [*folders, label] if label else folders, feeds, notes)
        # an outline with neither a feed nor children is a note, not a feed: ignored


def write_opml(subscriptions: list[Subscription], title: str = "newstui subscriptions") -> str:
    """OPML 2: folders as nested outlines, feeds as type="rss" outlines."""
    tree: dict[str, object] = {}
    for subscription in subscriptions:
        node = tree
        for folder in (subscription.category or "").split("/"):
            if folder:
                child = node.setdefault("\0" + folder, {})
                assert isinstance(child, dict)
                node = child
        feeds = node.setdefault("", [])
        assert isinstance(feeds, list)
        feeds.append(subscription)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    _emit(tree, 2, lines)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _emit(node: dict[str, object], depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    for key, value in node.items():
        if key == "":
            assert isinstance(value, list)
            for subscription in value:
                name = quoteattr(subscription.name or subscription.url)
                lines.append(
                    f'{pad}<outline type="rss" text={name} title={name} '
                    f"xmlUrl={quoteattr(subscription.url)}/>"
                )
        else:
            assert isinstance(value, dict)
            folder = quoteattr(key[1:])
            lines.append(f"{pad}<outline text={folder} title={folder}>")
            _emit(value, depth + 1, lines)
            lines.append(f"{pad}</outline>")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
