"""The bundled sample folder mixes formats, and every file in it reads cleanly.

The newsroom's own articles sit at the top level; feeds from other (fictional) outlets,
whose entries are short and carry no author bios, sit in `feeds/`.
"""

from __future__ import annotations

from pathlib import Path

from newstui.core.formats import parse_file, supported_extensions
from newstui.core.models import normalise_title

SAMPLES = Path(__file__).parents[1] / "sample_articles"


def test_every_sample_parses_without_problems() -> None:
    files = sorted(p for p in SAMPLES.rglob("*") if p.suffix in supported_extensions())
    results = {path.name: parse_file(path) for path in files}
    assert {name: r.warnings for name, r in results.items() if r.warnings} == {}
    articles = [a for r in results.values() for a in r.articles]
    assert {"txt", "markdown", "json", "rss"} <= {a.source.format for a in articles}
    assert len({a.id for a in articles}) == len(articles)


def test_new_format_samples_are_dated_signed_and_linked() -> None:
    articles = [
        a
        for p in sorted(SAMPLES.rglob("*"))
        if p.suffix in {".md", ".json", ".xml"}
        for a in parse_file(p).articles
    ]
    assert len(articles) >= 13
    titles = {
        normalise_title(a.title) for p in SAMPLES.glob("*.txt") for a in parse_file(p).articles
    }
    for article in articles:
        assert article.published is not None and article.author is not None, article.title
        if article.source.format in {"markdown", "json"}:
            assert 300 <= article.word_count <= 600, article.title
            assert article.related and all(normalise_title(r) in titles for r in article.related)
