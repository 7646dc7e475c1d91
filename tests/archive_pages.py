"""Article pages for import and save tests, served by `feedserver.FeedServer` (127.0.0.1)."""

from __future__ import annotations

from pathlib import Path

from feedserver import FeedServer, Reply

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
PAGES = ("tides", "lighthouses", "untitled", "starred", "cooking", "feed", "omni")


def page(name: str) -> bytes:
    words = " ".join(
        f"{name} sentence number {n} tells the reader something new." for n in range(12)
    )
    return (
        "<!DOCTYPE html><html lang='en'><head>"
        f"<title>Page about {name} | Example Site</title>"
        f"<meta name='author' content='Rosa {name.title()}well'>"
        f"<meta property='og:title' content='Page about {name}'>"
        "<meta property='og:site_name' content='Example Site'>"
        "</head><body><nav><a href='/'>Home</a></nav><article>"
        f"<h1>Page about {name}</h1><p>{words}</p><p>And a second paragraph about {name}, "
        "long enough for the extractor to keep it as part of the article body.</p>"
        "</article><footer>Copyright</footer></body></html>"
    ).encode()


def serve_pages(site: FeedServer, delay: float = 0.0) -> None:
    for name in PAGES:
        body = page(name)
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if delay:
            site.route(f"/page/{name}", Reply(200, headers=headers, chunks=[body], delay=delay))
        else:
            site.route(f"/page/{name}", Reply(200, body, headers))


def fixture(name: str, site: FeedServer, folder: Path) -> Path:
    """The fixture file with `{site}` replaced by the server's address, in `folder`."""
    text = (FIXTURES / name).read_text(encoding="utf-8").replace("{site}", site.url(""))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
