"""Loose text runs in a saved page made into paragraphs, before the extractors read it.

Blog posts often are one `<div>` of text runs separated by `<br><br>`, with the odd block
(an image's `<div>`, a quote) among them. Both extractors misread such a run: trafilatura
cuts it at every link or bold word and drops the spaces at their edges ("The keeperrowed
out to"), readability cuts it where a block follows. So a container that mixes blocks, line
breaks and loose text gets its runs wrapped in `<p>`s, as a
browser shows them: a run ends at a block or at two line breaks in a row; one line break
stays a line break in its paragraph.
"""

from __future__ import annotations

from lxml.html import HtmlElement

# Containers whose loose text is regrouped (lists, tables and figures keep their structure).
_CONTAINERS = ("div", "section", "article", "main", "body", "blockquote", "center")
# Elements that stand as blocks of their own; all others are inline (part of a run).
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    }
)


def paragraphs_from_runs(tree: HtmlElement) -> None:
    """Wrap the loose text runs of containers that also hold blocks and line breaks (a post
    written in runs) in `<p>`s, in place."""
    for container in list(tree.iter(*_CONTAINERS)):
        tags = {child.tag for child in container}
        if "br" in tags and not tags.isdisjoint(_BLOCKS) and _has_loose_text(container):
            _regroup(container)


def _has_loose_text(container: HtmlElement) -> bool:
    return bool((container.text or "").strip()) or any(
        (child.tail or "").strip() for child in container
    )


def _regroup(container: HtmlElement) -> None:
    pieces: list[str | HtmlElement] = [container.text or ""]
    for child in list(container):
        tail, child.tail = child.tail or "", None
        pieces += [child, tail]
        container.remove(child)
    container.text = None
    run: HtmlElement | None = None
    for piece in pieces:
        if isinstance(piece, str):
            if piece.strip() or run is not None:
                run = run if run is not None else _new_run(container)
                _add_text(run, piece)
            elif piece:
                _add_text(container, piece)  # white space between blocks
        elif piece.tag in _BLOCKS:
            _end(run)
            run = None
            container.append(piece)
        elif piece.tag == "br" and run is None:
            continue  # a line break between blocks
        elif piece.tag == "br" and _ends_in_break(run):
            _end(run)
            run = None  # two line breaks in a row: the run's end
        else:
            run = run if run is not None else _new_run(container)
            run.append(piece)
    _end(run)


def _new_run(container: HtmlElement) -> HtmlElement:
    run: HtmlElement = container.makeelement("p", {})
    container.append(run)
    return run


def _add_text(element: HtmlElement, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _ends_in_break(run: HtmlElement | None) -> bool:
    if run is None or not len(run):
        return False
    return run[-1].tag == "br" and not (run[-1].tail or "").strip()


def _end(run: HtmlElement | None) -> None:
    """A run ends without the line breaks at its end (and is gone if nothing is left)."""
    if run is None:
        return
    while len(run) and _ends_in_break(run):
        last = run[-1]
        _add_text_before(run, last)
        run.remove(last)
    if not (run.text or "").strip() and not len(run):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)


def _add_text_before(run: HtmlElement, last: HtmlElement) -> None:
    """Keep `last`'s tail (white space) where it stood before removing it."""
    if last.tail:
        previous = last.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + last.tail
        else:
            run.text = (run.text or "") + last.tail
