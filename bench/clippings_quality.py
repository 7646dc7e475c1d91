"""How much of each clipping's front matter and furniture newstui reads as expected.

    python bench/clippings_quality.py [FOLDER]

FOLDER (default tests/fixtures/clippings) holds Markdown files and `expected.json`, which maps
each file name to its expected title, authors (in order), url, date (YYYY-MM-DD, UTC), summary,
lang, inline link URLs, the text the body starts with and `furniture`: text that must not be in
the body. Each expected field is one point; `links` is one point when every URL is linked in the
body, and `body_start` with `furniture` one point when the body starts right and holds none of it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newstui.core.formats import parse_file  # noqa: E402
from newstui.core.models import Article  # noqa: E402


def observed(article: Article) -> dict[str, Any]:
    blocks = article.blocks
    return {
        "title": article.title,
        "authors": [author.name for author in article.authors],
        "url": article.url,
        "date": article.published.date().isoformat() if article.published else None,
        "summary": article.summary or None,
        "lang": article.lang,
        "links": [link.url for block in blocks for link in block.links],
        "body": [block.text for block in blocks],
    }


def score(expected: dict[str, Any], seen: dict[str, Any]) -> dict[str, bool]:
    points: dict[str, bool] = {}
    for key in ("title", "url", "date", "summary", "lang"):
        if key in expected:
            points[key] = seen[key] == expected[key]
    points["authors"] = seen["authors"] == expected["authors"]  # each person, in order
    points["links"] = set(expected["links"]) <= set(seen["links"])
    body = seen["body"]
    starts = bool(body) and body[0].startswith(expected["body_start"])
    clean = not any(junk in text for junk in expected["furniture"] for text in body)
    points["furniture"] = starts and clean
    return points


def main(folder: Path) -> int:
    truth = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    total = got = 0
    for name, expected in truth.items():
        points = score(expected, observed(parse_file(folder / name).articles[0]))
        total += len(points)
        got += sum(points.values())
        missed = [key for key, ok in points.items() if not ok]
        print(f"{name:28} {sum(points.values())}/{len(points)}  missed: {', '.join(missed) or '-'}")
    print(f"total {got}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/fixtures/clippings"))
