"""Title, author and date labels from postlight/parser (Mercury)'s fixture tests.

    python bench/mercury_truth.py REPO OUT_DIR

REPO is a checkout of github.com/postlight/parser. Each `src/extractors/custom/*/index.test.js`
names a fixture page and asserts its `title`, `author` and `date_published`; the pages go to
OUT_DIR/html/NAME.html and the labels to OUT_DIR/truth.json (`headline`, `author`,
`datePublished`, an empty `articleBody`), the form `bench/html_quality.py` reads:

    python bench/html_quality.py OUT_DIR/html OUT_DIR/truth.json --split dev

Only plain string literals are taken (not `null`, not strings joined with `+`).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

_FIXTURE = re.compile(r"fixtures/([^'\"]+\.html)")
_LITERAL = re.compile(r"""\s*(['"`])((?:\\.|(?!\1).)*)\1\s*$""", re.S)
FIELDS = {"title": "headline", "author": "author", "date_published": "datePublished"}


def labels(test: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, key in FIELDS.items():
        asserted = re.search(rf"assert\.equal\(\s*{field},(.*?)\);", test, re.S)
        literal = _LITERAL.match(asserted.group(1).strip().rstrip(",")) if asserted else None
        if literal:
            found[key] = re.sub(r"\\(.)", r"\1", literal.group(2))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    (args.out / "html").mkdir(parents=True, exist_ok=True)
    truth: dict[str, dict[str, str]] = {}
    for test_file in sorted((args.repo / "src/extractors/custom").glob("*/index.test.js")):
        test = test_file.read_text(encoding="utf-8")
        fixture = _FIXTURE.search(test)
        page = args.repo / "fixtures" / fixture.group(1) if fixture else None
        found = labels(test)
        if page is None or not page.is_file() or not found:
            continue
        name = page.name.removesuffix(".html").replace(".", "_")
        (args.out / "html" / f"{name}.html").write_bytes(page.read_bytes())
        truth[name] = {**found, "articleBody": ""}
    (args.out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    print(f"{len(truth)} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
