"""How well saved web pages are read: newstui against each extraction library alone.

    python bench/html_quality.py PAGES TRUTH.json [--labels LABELS.json] [--split dev|test|all]

PAGES is a folder of pages (`ID.html` or `ID.html.gz`); TRUTH maps each ID to its reference,
as in scrapinghub/article-extraction-benchmark's ground-truth.json: `articleBody`, and where
known `headline`/`title`, `author` and `datePublished`; `--labels` adds those from another file
(bench/html_labels.json: hand labels for 61 of that benchmark's pages). The pages are taken
in sorted order: `dev` is the first half (tune on it), `test` the second, `all` both.

Per extractor it prints the body's token F1 (bag of lower-cased words, CJK characters one by
one; mean and median), the share of pages whose title, author and date match the truth (where
the truth has them), failures and the median and slowest parse time (after a warm-up page:
imports excluded).
Nothing is fetched: every extractor is handed the page as the same string (decoded as newstui
decodes it: UTF-8, else the charset the page declares).

    python bench/html_quality.py PAGES EVALDATA.json --snippets

scores segments instead, as trafilatura's own evaluation does (its tests/evaldata.json maps
each URL to a `file` in PAGES, text `with`in the article and text `without`): a segment found
in the body is a hit (with) or a false positive (without); it prints precision, recall, F1,
and the share of the file's title, author and date labels matched. `--split` halves the pages
by file name.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any

# Words; Chinese, Japanese and Korean characters one by one (those scripts have no spaces, so a
# "word" would be a whole sentence and one wrong character would cost it all).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+")
WARM_UP = "<html><body><article><h1>Warm up</h1>" + "<p>Text of the warm-up page.</p>" * 20


@dataclass
class Extracted:
    body: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # YYYY-MM-DD, the page's own day
    utc_date: str | None = None  # the day in UTC, as `newstui show --json` gives the time


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.casefold()))


def token_f1(truth: str, predicted: str) -> float:
    want, got = tokens(truth), tokens(predicted)
    common = sum((want & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def same_words(truth: str, predicted: str | None) -> bool:
    return predicted is not None and list(tokens(truth).elements()) == list(
        tokens(predicted).elements()
    )


_JOINERS = frozenset({"and", "und", "et", "y", "e", "i", "og", "en"})


def same_author(truth: str, predicted: str | None) -> bool:
    """The same names, and nothing more: "Ann Lee and Bo Chan" is "Ann Lee, Bo Chan"."""

    def names(text: str) -> Counter[str]:
        return Counter({word: n for word, n in tokens(text).items() if word not in _JOINERS})

    return predicted is not None and names(truth) == names(predicted)


def newstui_extractor(path: Path, page: str) -> Extracted:
    from newstui.core.formats.html import parse

    article = parse(path, page.encode("utf-8")).articles[0]
    published = article.published.date().isoformat() if article.published else None
    utc = article.published.astimezone(timezone.utc).date().isoformat() if published else None
    author = article.author.name if article.author else None
    return Extracted(article.body_text, article.title, author, published, utc)


def trafilatura_extractor(path: Path, page: str) -> Extracted:
    import trafilatura

    document = trafilatura.bare_extraction(page, with_metadata=True, include_tables=True)
    if document is None:
        return Extracted("")
    date = (document.date or "")[:10] or None
    return Extracted(document.text or "", document.title, document.author, date)


def readability_extractor(path: Path, page: str) -> Extracted:
    import lxml.html
    from readability import Document

    document = Document(page)
    summary = lxml.html.fromstring(document.summary(html_partial=True))
    for block in summary.iter("p", "div", "li", "h1", "h2", "h3", "h4", "br", "tr"):
        block.tail = "\n" + (block.tail or "")
    return Extracted(summary.text_content(), document.short_title())


# What each extractor gives besides the body (readability-lxml has no author or date).
FIELDS = {"newstui": {"title", "author", "date"}, "trafilatura": {"title", "author", "date"}}
FIELDS["readability"] = {"title"}

EXTRACTORS: dict[str, Callable[[Path, str], Extracted]] = {
    "newstui": newstui_extractor,
    "trafilatura": trafilatura_extractor,
    "readability": readability_extractor,
}


def read_page(path: Path) -> str:
    """The page as text, decoded as newstui decodes it (UTF-8, else its declared charset)."""
    from newstui.core.formats.html import decode_html

    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return decode_html(data)


def page_id(path: Path) -> str:
    return path.name.split(".", 1)[0]


def pages_of(folder: Path, truth: dict[str, Any], split: str) -> list[Path]:
    pages = sorted(p for p in folder.iterdir() if page_id(p) in truth and ".htm" in p.name)
    half = (len(pages) + 1) // 2
    return {"dev": pages[:half], "test": pages[half:], "all": pages}[split]


def score(name: str, pages: list[Path], truth: dict[str, Any], show: int) -> dict[str, Any]:
    extractor = EXTRACTORS[name]
    f1s: list[float] = []
    seconds: list[float] = []
    metadata: dict[str, list[bool]] = {"title": [], "author": [], "date": []}
    failures = 0
    worst: list[tuple[float, str]] = []
    extractor(Path("warm-up.html"), WARM_UP)  # imports are not a page's parse time
    for path in pages:
        page = read_page(path)
        expected = truth[page_id(path)]
        started = time.perf_counter()
        try:
            got = extractor(path, page)
        except Exception as error:  # a failure scores 0, and is counted
            failures += 1
            print(f"  {name} failed on {path.name}: {error!r}", file=sys.stderr)
            got = Extracted("")
        seconds.append(time.perf_counter() - started)
        f1 = token_f1(expected.get("articleBody", ""), got.body)
        f1s.append(f1)
        worst.append((f1, path.name))
        if expected.get("headline") or expected.get("title"):
            title = expected.get("headline") or expected["title"]
            metadata["title"].append(same_words(title, got.title))
        if expected.get("author"):
            metadata["author"].append(same_author(expected["author"], got.author))
        if expected.get("datePublished"):  # a time in UTC is compared with the UTC day
            utc = "T" in expected["datePublished"] and expected["datePublished"].endswith("Z")
            date = (got.utc_date or got.date) if utc else got.date
            metadata["date"].append(date == expected["datePublished"][:10])
    for f1, page_name in sorted(worst)[:show]:
        print(f"  {name} worst: {f1:.3f} {page_name}", file=sys.stderr)
    row: dict[str, Any] = {
        "extractor": name,
        "pages": len(pages),
        "f1_mean": statistics.fmean(f1s) if f1s else 0.0,
        "f1_median": statistics.median(f1s) if f1s else 0.0,
        "failures": failures,
        "ms_median": 1000 * statistics.median(seconds) if seconds else 0.0,
        "ms_max": 1000 * max(seconds, default=0.0),
    }
    for key, hits in metadata.items():
        row[key] = share_matched(name, key, hits)
    return row


def share_matched(name: str, key: str, hits: list[bool]) -> str:
    """ "83 % of 30" of the labels of `key`, or "—" where the extractor gives no such field."""
    known = hits and key in FIELDS[name]
    return f"{100 * sum(hits) / len(hits):.0f} % of {len(hits)}" if known else "—"


def _normal(text: str) -> str:
    return " ".join(text.split())


def score_snippets(name: str, folder: Path, data: dict[str, Any]) -> str:
    """One extractor on every page of an evaldata file: segments found and wrongly found, and
    the share of labelled titles, authors and dates it gets right (an empty label is unknown)."""
    extractor = EXTRACTORS[name]
    found = missed = wrong = failures = 0
    seconds: list[float] = []
    metadata: dict[str, list[bool]] = {"title": [], "author": [], "date": []}
    extractor(Path("warm-up.html"), WARM_UP)
    for entry in data.values():
        path = folder / entry["file"]
        page = read_page(path)
        started = time.perf_counter()
        try:
            got = extractor(path, page)
        except Exception:  # a failure finds nothing, and is counted
            failures, got = failures + 1, Extracted("")
        seconds.append(time.perf_counter() - started)
        body = _normal(got.body)
        if entry.get("title"):
            metadata["title"].append(same_words(entry["title"], got.title))
        if entry.get("author"):
            authors = entry["author"]
            authors = " ".join(authors) if isinstance(authors, list) else authors
            metadata["author"].append(same_author(authors, got.author))
        if entry.get("date"):
            metadata["date"].append(got.date == entry["date"][:10])
        hits = sum(_normal(text) in body for text in entry.get("with", []))
        found, missed = found + hits, missed + len(entry.get("with", [])) - hits
        wrong += sum(_normal(text) in body for text in entry.get("without", []))
    precision, recall = found / max(1, found + wrong), found / max(1, found + missed)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    labelled = "  ".join(
        f"{key} {share_matched(name, key, hits)}" for key, hits in metadata.items()
    )
    return (
        f"{name:<12}  F1 {f1:.4f}  precision {precision:.4f}  recall {recall:.4f}  "
        f"fail {failures}  ms median {1000 * statistics.median(seconds):.0f}  "
        f"max {1000 * max(seconds):.0f}\n{'':<12}  {labelled}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--labels", type=Path, help="title/author/date labels to add to TRUTH")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--only", choices=tuple(EXTRACTORS), action="append")
    parser.add_argument("--show", type=int, default=0, help="list the N worst pages")
    parser.add_argument("--snippets", action="store_true", help="TRUTH is an evaldata file")
    args = parser.parse_args(argv)
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    if args.snippets:
        entries = sorted(truth.items(), key=lambda item: str(item[1]["file"]))
        half = (len(entries) + 1) // 2
        chosen = {"dev": entries[:half], "test": entries[half:], "all": entries}[args.split]
        print(f"{len(chosen)} pages (segments, {args.split})")
        for name in args.only or EXTRACTORS:
            print(score_snippets(name, args.pages, dict(chosen)), flush=True)
        return 0
    if args.labels:
        for key, labels in json.loads(args.labels.read_text(encoding="utf-8")).items():
            truth.setdefault(key, {}).update(labels)
    pages = pages_of(args.pages, truth, args.split)
    print(f"{len(pages)} pages ({args.split})")
    header = (
        "extractor     F1 mean  F1 median  title        author       date    fail  ms med  ms max"
    )
    print(header)
    for name in args.only or EXTRACTORS:
        row = score(name, pages, truth, args.show)
        print(
            f"{row['extractor']:<12}  {row['f1_mean']:.3f}    {row['f1_median']:.3f}     "
            f"{row['title']:<11}  {row['author']:<11}  {row['date']:<6}  {row['failures']:>4}  "
            f"{row['ms_median']:>6.0f}  {row['ms_max']:>6.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
