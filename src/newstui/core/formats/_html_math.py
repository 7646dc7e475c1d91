"""Mathematics in a saved page, as the text of its source (TeX where the page has it).

Both extractors drop `<math>` and scripts, so a formula would leave a hole in its sentence.
Before they run, each MathML `<math>` becomes its TeX annotation (`application/x-tex`),
else its `alttext`, else the characters it shows; each MathJax source script
(`type="math/tex"`, `math/tex; mode=display`) becomes its TeX. Where such scripts are,
MathJax 2's rendering of them (elements of class `MathJax...`) goes: it would say it twice.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_TEX_ENCODINGS = frozenset({"application/x-tex", "tex", "text/tex", "application/x-latex"})
_ANNOTATIONS = frozenset({"annotation", "annotation-xml"})
_SPACES = re.compile(r"\s+")
_MATHJAX_RENDERING = re.compile(r"(?:^|\s)(?:MathJax|MJX)", re.I)


def math_as_text(tree: HtmlElement) -> None:
    """Replace the page's formulas by their source text, in place (see the module's doc)."""
    scripts = [
        script
        for script in tree.iter("script")
        if (script.get("type") or "").strip().lower().startswith("math/tex")
    ]
    if scripts:
        rendered = [
            element
            for element in tree.iter()
            if isinstance(element.tag, str)
            and element.tag != "script"
            and _MATHJAX_RENDERING.search(element.get("class") or "")
        ]
        for element in rendered:
            if element.getparent() is not None:
                _replace(element, "")
    for script in scripts:
        _replace(script, script.text or "")
    for formula in list(tree.iter("math")):
        if formula.getparent() is not None:
            _replace(formula, _source(formula))


def _source(formula: HtmlElement) -> str:
    for annotation in formula.iter("annotation"):
        encoding = (annotation.get("encoding") or "").strip().lower()
        if encoding in _TEX_ENCODINGS and (annotation.text or "").strip():
            return annotation.text or ""
    alttext = formula.get("alttext") or ""
    if alttext.strip():
        return alttext
    return " ".join(
        part.text.strip()
        for part in formula.iter()
        if part.text
        and part.text.strip()
        and not any(above.tag in _ANNOTATIONS for above in part.iterancestors())
        and part.tag not in _ANNOTATIONS
    )


def _replace(element: HtmlElement, text: str) -> None:
    """`element` becomes `text` in its parent's running text (its tail kept)."""
    parent = element.getparent()
    if parent is None:
        return
    text = _SPACES.sub(" ", text).strip()
    joined = (text + (element.tail or "")) if text else (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(element)
