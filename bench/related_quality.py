"""How good are related stories? precision@5 on labelled corpora, and similar() latency.

    python bench/related_quality.py [--corpus DIR ...] [--no-anchor] [--queries N]
    python bench/related_quality.py --cli [--corpus DIR ...]
    python bench/related_quality.py --synthetic 100000
    python bench/related_quality.py --from-csv train.csv --out DIR [--per-label N]

A labelled corpus has one folder per category (the folder name is the label), holding
headline-first `.txt` articles, in any language. precision@5 is the share of an article's
five suggestions that come from its own folder, averaged over all articles of categories
with at least six articles (a story of a smaller category cannot have five same-category
neighbours).

Duplicates. An exact duplicate of the query (the same words once case, punctuation and
whitespace are ignored, in title, summary and body) is excluded: the Library never suggests
one, and counting it would reward finding copies. Near-duplicates (the same story with a
different headline or an edited body; the corpora's `duplicates.tsv` lists them) are
legitimate suggestions and count; the script also reports precision with every pair listed
in `duplicates.tsv` excluded, for comparison.

Default mode builds an in-memory SQLite database with `newstui.core.index.related`'s schema,
indexes every article as the index would (title, then summary and body, parsed by
`newstui.core.formats.parse_file`, in the language the index gives it: declared, else
detected) and calls `similar()` for every query article. Each corpus is also scored, in the
same run, by plain tf-idf cosine (sublinear tf; English stop words on an English corpus, as
before, scikit-learn's when it is installed; no stop words on the others); `--no-anchor`
skips it. `--cli` instead runs `newstui related --all --dir DIR --limit 5 --json` and scores
its JSON lines. `--synthetic N` indexes N generated articles (bench/generate.py's world) and
reports the indexing time and similar() latency at that size.

`--from-csv` turns a labelled CSV of `label;text` rows (10kGNAD's format: `;` between the
fields, `'` around them) into such a folder, a sample of at most --per-label articles per
label, each headed by its first sentence (10kGNAD has no headlines). Use a training split.

The corpora are research data: this script only reads them at run time, from outside the
repository (BBC and Reuters in ../shared/corpus by default; others by --corpus).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newstui.core import lang
from newstui.core.formats import ArticleError, parse_file
from newstui.core.formats.scraped import parse_text
from newstui.core.index import related

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = [ROOT.parent / "shared/corpus/bbc", ROOT.parent / "shared/corpus/reuters21578"]
MIN_CATEGORY = 6
TOP = 5
_WORDS = re.compile(r"\w+")
XDG = ("CACHE", "DATA", "CONFIG", "STATE")


@dataclass
class Doc:
    path: str  # relative to the corpus folder
    category: str
    title: str
    text: str  # summary and body, as the index passes them
    key: str  # normalised words, for exact-duplicate detection
    lang: str | None  # declared or detected, as the index stores it


def load_corpus(folder: Path) -> list[Doc]:
    docs = []
    for path in sorted(folder.glob("*/*.txt")):
        try:
            article = parse_file(path).articles[0]
        except (ArticleError, IndexError):
            continue
        text = article.summary + "\n\n" + article.body_text
        key = " ".join(_WORDS.findall(f"{article.title}\n{text}".casefold()))
        found = lang.effective_language(article.lang, article.title, text)
        relative = str(path.relative_to(folder))
        docs.append(Doc(relative, path.parent.name, article.title, text, key, found))
    return docs


def listed_duplicates(folder: Path) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    listing = folder / "duplicates.tsv"
    if listing.exists():
        for line in listing.read_text(encoding="utf-8").splitlines()[1:]:
            _, _, files = line.partition("\t")
            names = files.split()
            if len(names) == 2:
                pairs.add(frozenset(names))
    return pairs


# -- scoring ---------------------------------------------------------------------------------

Ranker = Callable[[int, set[int]], list[int]]


@dataclass
class Scores:
    precision: float
    without_listed: float  # also excluding every pair in duplicates.tsv
    macro: float  # mean over categories
    by_category: dict[str, float]
    queries: int


def evaluate(
    docs: list[Doc], rank: Ranker, pairs: set[frozenset[str]], queries: list[int]
) -> Scores:
    by_key: defaultdict[str, set[int]] = defaultdict(set)
    for i, doc in enumerate(docs):
        by_key[doc.key].add(i)
    index_of = {doc.path: i for i, doc in enumerate(docs)}
    partners: defaultdict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        a, b = (index_of.get(name) for name in pair)
        if a is not None and b is not None:
            partners[a].add(b)
            partners[b].add(a)
    hits, hits_listed = [], []
    per_category: defaultdict[str, list[float]] = defaultdict(list)
    for i in queries:
        exclude = by_key[docs[i].key] - {i}
        picked = rank(i, exclude)[:TOP]
        share = sum(docs[j].category == docs[i].category for j in picked) / TOP
        hits.append(share)
        per_category[docs[i].category].append(share)
        if partners[i]:
            picked = rank(i, exclude | partners[i])[:TOP]
            share = sum(docs[j].category == docs[i].category for j in picked) / TOP
        hits_listed.append(share)
    by_category = {name: statistics.fmean(values) for name, values in sorted(per_category.items())}
    return Scores(
        statistics.fmean(hits),
        statistics.fmean(hits_listed),
        statistics.fmean(by_category.values()),
        by_category,
        len(queries),
    )


def query_indexes(docs: list[Doc], sample: int | None, seed: int = 1) -> list[int]:
    sizes = Counter(doc.category for doc in docs)
    eligible = [i for i, doc in enumerate(docs) if sizes[doc.category] >= MIN_CATEGORY]
    if sample and sample < len(eligible):
        eligible = sorted(random.Random(seed).sample(eligible, sample))
    return eligible


# -- newstui.core.index.related ------------------------------------------------------------


def build_index(
    titles_texts: Iterable[tuple[str, str, str | None]], batch: int = 200, path: str = ":memory:"
) -> sqlite3.Connection:
    """Index as the Library does: batches of `index_documents`, then one `finish`.

    Prints the CPU time of each step: `prepare` (tokenising; the index may run it in its
    parse workers), storing the rows, and `finish`."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    for statement in related.SCHEMA:
        conn.execute(statement)
    conn.execute("BEGIN")
    spent = {"prepare": 0.0, "store": 0.0, "finish": 0.0}
    chunk: list[related.PreparedRow] = []
    for rowid, (title, text, language) in enumerate(titles_texts, start=1):
        started = time.process_time()
        chunk.append((rowid, *related.prepare(title, text, language)))
        spent["prepare"] += time.process_time() - started
        if len(chunk) >= batch:
            started = time.process_time()
            related.index_prepared(conn, chunk)
            spent["store"] += time.process_time() - started
            chunk = []
    started = time.process_time()
    related.index_prepared(conn, chunk)
    spent["store"] += time.process_time() - started
    started = time.process_time()
    related.finish(conn)
    conn.execute("COMMIT")
    spent["finish"] += time.process_time() - started
    print("  related index CPU: " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()))
    return conn


class TimedRanker:
    """Ranks with related.similar() (rowid = position + 1) and keeps every call's latency."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.latencies: list[float] = []  # wall-clock seconds
        self.cpu: list[float] = []  # CPU seconds of this process (robust on a busy machine)

    def __call__(self, i: int, exclude: set[int]) -> list[int]:
        started, started_cpu = time.perf_counter(), time.process_time()
        found = related.similar(self.conn, i + 1, TOP, {j + 1 for j in exclude})
        self.cpu.append(time.process_time() - started_cpu)
        self.latencies.append(time.perf_counter() - started)
        return [rowid - 1 for rowid, _, _ in found]

    def latency_line(self) -> str:
        wall, cpu = percentiles(self.latencies), percentiles(self.cpu)
        return (
            f"similar() wall p50 {wall[0]:.2f} ms, p95 {wall[1]:.2f} ms; "
            f"CPU p50 {cpu[0]:.2f} ms, p95 {cpu[1]:.2f} ms; {len(self.cpu)} calls"
        )


def percentiles(values: list[float]) -> tuple[float, float]:
    """(median, 95th percentile) in milliseconds."""
    ordered = sorted(values)
    return (
        ordered[len(ordered) // 2] * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
    )


# -- the anchor: plain tf-idf cosine ---------------------------------------------------------


def tfidf_ranker(docs: list[Doc]) -> tuple[Ranker, str]:
    """English stop words for an English corpus (as before); none for the others."""
    texts = [f"{doc.title}\n\n{doc.text}" for doc in docs]
    if majority_language(docs) != "en":
        return _pure_tfidf(texts, frozenset()), "plain tf-idf cosine (no stop words)"
    try:
        from sklearn.feature_extraction.text import (  # type: ignore[import-not-found]
            TfidfVectorizer,
        )
    except ImportError:
        stop = related._STOP_WORDS
        return _pure_tfidf(texts, stop), "tf-idf cosine (pure Python, English stop words)"
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    similarity = (matrix @ matrix.T).tocsr()

    def rank(i: int, exclude: set[int]) -> list[int]:
        row = similarity.getrow(i)
        pairs = sorted(zip(row.data, row.indices, strict=True), reverse=True)
        return [int(j) for _, j in pairs if j != i and j not in exclude][:TOP]

    return rank, "tf-idf cosine (scikit-learn, English stop words, sublinear tf)"


def majority_language(docs: list[Doc]) -> str | None:
    return Counter(doc.lang for doc in docs).most_common(1)[0][0] if docs else None


def _pure_tfidf(texts: list[str], stop: frozenset[str]) -> Ranker:
    token = re.compile(r"\b\w\w+\b")
    counts = [Counter(w for w in token.findall(text.lower()) if w not in stop) for text in texts]
    df = Counter(term for count in counts for term in count)
    n = len(texts)
    idf = {term: math.log((1 + n) / (1 + value)) + 1 for term, value in df.items()}
    vectors = []
    postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, count in enumerate(counts):
        vector = {t: (1 + math.log(c)) * idf[t] for t, c in count.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vector = {t: v / norm for t, v in vector.items()}
        vectors.append(vector)
        for term, value in vector.items():
            postings[term].append((i, value))

    def rank(i: int, exclude: set[int]) -> list[int]:
        scores: defaultdict[int, float] = defaultdict(float)
        for term, value in vectors[i].items():
            for j, other in postings[term]:
                scores[j] += value * other
        ordered = sorted(scores, key=scores.__getitem__, reverse=True)
        return [j for j in ordered if j != i and j not in exclude][:TOP]

    return rank


# -- the CLI ---------------------------------------------------------------------------------


def cli_ranker(folder: Path, docs: list[Doc]) -> Ranker:
    command = [sys.executable, "-m", "newstui", "related", "--all", "--dir", str(folder)]
    command += ["--limit", str(TOP + 3), "--json"]
    with tempfile.TemporaryDirectory(prefix="newstui-bench-") as home:
        # A throwaway index and reader state: the user's own stay untouched.
        env = {**os.environ, **{f"XDG_{kind}_HOME": f"{home}/{kind.lower()}" for kind in XDG}}
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"related --all failed ({done.returncode}): {done.stderr.strip()}")
    index_of = {doc.path: i for i, doc in enumerate(docs)}
    suggestions: dict[int, list[int]] = {}
    for line in done.stdout.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        i = index_of.get(_relative(record["path"], folder))
        if i is not None:
            suggestions[i] = [
                j
                for item in record["related"]
                if (j := index_of.get(_relative(item["path"], folder))) is not None
            ]

    def rank(i: int, exclude: set[int]) -> list[int]:
        return [j for j in suggestions.get(i, []) if j not in exclude]

    return rank


def _relative(path: str, folder: Path) -> str:
    full = Path(path) if Path(path).is_absolute() else folder / path
    try:
        return str(full.resolve().relative_to(folder.resolve()))
    except ValueError:
        return path


# -- synthetic scale -------------------------------------------------------------------------


def synthetic(count: int, queries: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    rng = random.Random(1)
    world = generate.make_world(rng)
    titles = generate.make_titles(rng, world, count)
    by_topic: list[list[int]] = [[] for _ in range(generate.TOPICS)]
    for number, (topic, _) in enumerate(titles):
        by_topic[topic].append(number)
    started = time.perf_counter()
    docs = []
    for number in range(count):
        relative, text = generate.article_text(rng, world, number, titles, by_topic)
        article = parse_text(text, Path(relative))
        body = article.summary + "\n\n" + article.body_text
        docs.append((article.title, body, lang.effective_language(None, article.title, body)))
    print(f"generated and parsed {count} articles in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    conn = build_index(docs)
    print(f"related index: {time.perf_counter() - started:.1f} s for {count} articles")
    ranker = TimedRanker(conn)
    for rowid in random.Random(2).sample(range(count), min(queries, count)):
        ranker(rowid, set())
    print(ranker.latency_line())


# -- a labelled CSV into folders --------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ\"„])")
MAX_HEADLINE = 200


def folders_from_csv(source: Path, out: Path, per_label: int, seed: int = 1) -> dict[str, int]:
    """Write a sample of `source`'s rows (label;text) as out/LABEL/NNNNN.txt, each file
    headed by the text's first sentence; returns the count per label."""
    csv.field_size_limit(sys.maxsize)
    by_label: defaultdict[str, list[str]] = defaultdict(list)
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter=";", quotechar="'"):
            if len(row) >= 2 and row[0].strip() and row[1].strip():
                by_label[row[0].strip()].append(row[1].strip())
    written: dict[str, int] = {}
    rng = random.Random(seed)
    for label, texts in sorted(by_label.items()):
        picked = texts if len(texts) <= per_label else rng.sample(texts, per_label)
        folder = out / re.sub(r"[^\w-]+", "_", label)
        folder.mkdir(parents=True, exist_ok=True)
        for number, text in enumerate(picked):
            first = _SENTENCE_END.split(text, maxsplit=1)[0]
            headline = first[:MAX_HEADLINE].strip()
            body = text[len(first) :].strip() or text
            (folder / f"{number:05d}.txt").write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
        written[label] = len(picked)
    return written


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", help="labelled corpus folder")
    parser.add_argument("--queries", type=int, help="score a random sample of this many")
    parser.add_argument("--anchor", action="store_true", help="(the default)")
    parser.add_argument("--no-anchor", action="store_true", help="skip plain tf-idf cosine")
    parser.add_argument("--cli", action="store_true", help="score `newstui related --all`")
    parser.add_argument("--synthetic", type=int, metavar="N", help="latency at N articles")
    parser.add_argument("--by-category", action="store_true", help="print per-category scores")
    parser.add_argument("--from-csv", type=Path, help="labelled CSV (label;text) to convert")
    parser.add_argument("--out", type=Path, help="folder for --from-csv")
    parser.add_argument("--per-label", type=int, default=120, help="sample size for --from-csv")
    args = parser.parse_args(argv)
    if args.from_csv:
        if not args.out:
            parser.error("--from-csv needs --out")
        written = folders_from_csv(args.from_csv, args.out, args.per_label)
        print(", ".join(f"{label} {count}" for label, count in written.items()))
        return 0
    if args.synthetic:
        synthetic(args.synthetic, args.queries or 500)
        return 0
    for folder in args.corpus or DEFAULT_CORPORA:
        started = time.perf_counter()
        docs = load_corpus(folder)
        pairs = listed_duplicates(folder)
        queries = query_indexes(docs, args.queries)
        languages = Counter(doc.lang for doc in docs).most_common(3)
        shown = ", ".join(f"{name} {count}" for name, count in languages)
        print(f"{folder.name}: {len(docs)} articles ({shown}), {len(queries)} queries")
        runs: list[tuple[str, Ranker]] = []
        if args.cli:
            runs.append(("newstui related --all", cli_ranker(folder, docs)))
        else:
            built = time.perf_counter()
            ranker = TimedRanker(build_index((doc.title, doc.text, doc.lang) for doc in docs))
            print(f"  indexed in {time.perf_counter() - built:.1f} s")
            runs.append(("newstui.core.index.related", ranker))
        if not args.no_anchor:
            rank, name = tfidf_ranker(docs)
            runs.append((name, rank))
        for name, rank in runs:
            scores = evaluate(docs, rank, pairs, queries)
            print(
                f"  {name}: precision@5 {scores.precision:.4f} "
                f"(listed duplicates excluded too: {scores.without_listed:.4f}; "
                f"macro over categories: {scores.macro:.4f})"
            )
            if args.by_category:
                for category, value in scores.by_category.items():
                    print(f"    {category:<20} {value:.3f}")
            if isinstance(rank, TimedRanker):
                print("  " + rank.latency_line())
        print(f"  ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
