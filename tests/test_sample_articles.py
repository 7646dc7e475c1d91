"""The bundled newsroom keeps its promises: counts, authors, clusters, resolvable related titles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from newstui.core.formats import parse_file, supported_extensions
from newstui.core.models import Article, normalise_title
from newstui.core.resources import sample_articles_dir

DELIBERATELY_MISSING = "Pharmacies Report Shortages of Children’s Fever Medicine"
CLUSTERS = {
    "diplomacy": ["valdoria-korvania-agree-to-talks", "tallemar-summit-opens", "tallemar-talks-run-past-midnight", "valdoria-korvania-sign-tallemar-accord", "northern-union-drone-defence-fund", "ceasefire-monitors-arrive-tesna-valley"],
    "energy": ["offshore-wind-auction-record-bids", "tesna-pipeline-gas-flows-resume", "brennholm-blackout", "brennholm-blackout-substation-fault", "battery-storage-capacity-triples", "winter-electricity-bills-fall"],
    "technology": ["halvard-semiconductor-chip-plant", "lumora-discloses-data-breach", "lumora-breach-regulators-open-inquiry", "small-ai-models-corporate-buyers", "age-verification-law-social-media"],
    "climate": ["northern-glaciers-lost-ice", "storm-maren-red-warning", "storm-maren-landfall", "calder-coast-counts-cost-storm-maren", "climate-talks-emissions-pledges-short", "delta-farmers-saltwater"],
    "sport": ["rask-hat-trick-vellmar-semi-finals", "league-approves-salary-cap", "continental-cup-final-preview", "vellmar-win-continental-cup-final", "aldmouth-manager-criticises-referee"],
    "business": ["central-bank-holds-rates", "marlow-finch-takeover", "lumora-profit-forecast-cut", "inflation-falls-energy-food-prices", "shipping-insurers-raise-premiums"],
    "culture": ["serin-film-festival-opens", "debut-novel-wins-aldine-prize", "national-museum-returns-looted-bronzes", "review-korvanian-state-orchestra-tour", "stage-musical-hit-with-teenagers", "coastal-town-museum-archive-flood"],
    "science": ["weekly-injection-heart-attack-trial", "rural-clinics-nurses", "hospitals-brace-early-flu-season", "gut-bacteria-childhood-asthma", "winter-vaccine-campaign-combined-jab", "soil-antibiotic-resistant-infections"],
}  # fmt: skip


def load_all() -> list[Article]:
    articles: list[Article] = []
    for path in sorted(sample_articles_dir().rglob("*")):
        if path.is_file() and path.suffix.lower() in supported_extensions():
            result = parse_file(path)
            assert result.warnings == [], path
            articles.extend(result.articles)
    return articles


def load_samples() -> list[Article]:
    """The newsroom's own articles; the bundled feed is another outlet's."""
    return [a for a in load_all() if a.source.format not in {"rss", "atom", "jsonfeed"}]


def test_every_format_is_represented() -> None:
    formats = Counter(a.source.format for a in load_all())
    assert formats["txt"] >= 40
    assert formats["markdown"] >= 4 and formats["json"] >= 4
    assert formats["rss"] >= 3 and formats["atom"] >= 3 and formats["jsonfeed"] >= 3
    assert formats["html"] >= 1


def test_every_file_parses_into_a_dated_article_with_author() -> None:
    articles = load_samples()
    assert len(articles) >= 40
    for article in articles:
        assert article.author is not None, article.source.path
        # A saved web page names its author but carries no bio; every other format does.
        assert article.author.bio or article.source.format == "html", article.source.path
        assert article.published is not None, article.source.path
        assert 300 <= article.word_count <= 900, article.source.path
    dates = {article.published.date() for article in articles if article.published}
    assert len(dates) >= 20


def test_authors_have_consistent_bios_and_several_articles() -> None:
    articles = load_samples()
    counts = Counter(a.author.name for a in articles if a.author)
    assert len(counts) >= 8
    assert min(counts.values()) >= 3
    bios = {(a.author.name, a.author.bio) for a in articles if a.author and a.author.bio}
    assert len(bios) == len(counts)  # one bio per author, the same in every article


def test_topic_clusters_cover_the_files() -> None:
    stems = {Path(a.source.path).stem[len("2026-01-01-") :] for a in load_samples()}
    assert len(CLUSTERS) >= 6
    for cluster, members in CLUSTERS.items():
        assert len(members) >= 5, cluster
        assert set(members) <= stems, cluster


def test_you_might_also_like_titles_resolve_except_the_deliberate_one() -> None:
    articles = load_samples()
    titles = {normalise_title(a.title) for a in articles}
    listed = [title for a in articles for title in a.related]
    assert sum(1 for a in articles if a.related) >= 10
    missing = [title for title in listed if normalise_title(title) not in titles]
    assert missing == [DELIBERATELY_MISSING]
