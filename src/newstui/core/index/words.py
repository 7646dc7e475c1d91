"""Runs of word characters (what the regex `\\w+` finds), fast: the indexer's hot path.

A regex scan costs about 50 ns a character; for ASCII text, `str.translate` plus `split`
finds the same runs three times as fast. Typographic punctuation (curly quotes, dashes,
the pound sign...) is not a word character either, so it is set aside first: most news
text is then ASCII.
"""

from __future__ import annotations

_NOT_WORD = str.maketrans(
    {chr(code): " " for code in range(128) if not (chr(code).isalnum() or chr(code) == "_")}
)
# Common non-ASCII characters that are not word characters (tests check that they are not).
PUNCTUATION = ("“", "”", "‘", "’", "—", "–", "…", "£", "€", "«", "»", "•", "·", "\xa0")


def word_runs(text: str) -> list[str] | None:
    """`re.findall(r"\\w+", text)` when `text` is ASCII but for common punctuation; else
    None (then use the regex)."""
    if not text.isascii():
        for mark in PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
        if not text.isascii():
            return None
    return text.translate(_NOT_WORD).split()
