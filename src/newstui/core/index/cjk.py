"""Chinese and Japanese text for search: overlapping pairs of characters.

FTS5's unicode61 tokenizer splits words at spaces and punctuation, and Chinese and Japanese
have neither between words: a sentence is one "word", and a word inside it cannot be found.
So the index also holds, in the search table's `grams` column, each run of Han, kana and
their marks as its overlapping pairs of characters and its last character ("東京都に" ->
"東京 京都 都に に"), and a search for such a word looks for its pairs as a phrase there:
"東京" finds it, "京都" too, and a single character matches the pairs it starts ("京"*).
No segmenter or dictionary: any word is found, at the cost of some that only look alike.
"""

from __future__ import annotations

import re

COLUMN = "grams"  # the search table's column of pairs
# Han (with extension A and compatibility ideographs), hiragana, katakana (with the
# prolonged sound mark and half-width forms, not the middle dot), the marks 々 〆 〇.
_CJK = (
    "\u3005-\u3007\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
)
_RUN = re.compile(f"[{_CJK}]+")
_ONLY_RUNS = re.compile(rf"\W*[{_CJK}]+(?:\W+[{_CJK}]+)*\W*")
FIRST = "\u3005"  # text whose every character comes before this has no run


def pairs(run: str) -> list[str]:
    """The overlapping pairs of characters of `run`, or the run itself if one character."""
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


def _indexed(run: str) -> list[str]:
    """What the index holds of `run`: its pairs, and its last character if it has pairs."""
    return [*pairs(run), run[-1]] if len(run) > 1 else [run]


def grams(text: str) -> str | None:
    """What the `grams` column holds for `text`: the pairs and last character of each run
    of CJK characters, space-separated; None when there is no run (most text, quickly)."""
    if not text or max(text) < FIRST:
        return None
    return " ".join(token for run in _RUN.findall(text) for token in _indexed(run)) or None


def phrase(text: str) -> str | None:
    """The FTS5 expression finding `text` (a word or phrase of CJK characters only) in
    the `grams` column, or None when `text` holds anything else."""
    if not _ONLY_RUNS.fullmatch(text):
        return None
    runs = _RUN.findall(text)
    tokens = [token for run in runs[:-1] for token in _indexed(run)] + pairs(runs[-1])
    star = "*" if len(runs[-1]) == 1 else ""  # a character that starts a pair, or stands alone
    return f'{COLUMN} : "{" ".join(tokens)}"{star}'
