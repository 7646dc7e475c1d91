"""Pilot tests: links in an article are numbered in the text, listed at its end, and picked
by number to be opened or copied."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_fixtures import settle
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.screens.links import LinksScreen

PAGE = """<!doctype html><html lang="en"><head><title>Quay Lights</title>
<meta property="og:title" content="Quay Lights Switched On"></head><body><article>
<h1>Quay Lights Switched On</h1>
<p>The harbour switched on its new quay lights on Friday, the
<a href="https://port.example/report">port report</a> said, after a year of work.</p>
<p>Crews tested every lamp twice before the opening, and the
<a href="javascript:alert(1)">council</a> thanked them at a short ceremony by the water.</p>
<figure><img src="https://port.example/lights.jpg" alt="The lit quay at dusk"></figure>
<p>Ferries will now berth at night without tugs guiding them in, the harbour master said,
and the old floodlights go to a museum in the spring.</p>
</article></body></html>"""


def showing_links(app: NewsApp) -> bool:
    return isinstance(app.screen, LinksScreen)


async def test_links_are_numbered_listed_and_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "pages"
    library.mkdir()
    (library / "quay-lights.html").write_text(PAGE, encoding="utf-8")
    app = NewsApp(library, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main is not None
        reader = app.main.reader
        text = "\n".join(line.content.plain for line in reader._lines)
        assert "port report[1]" in text
        assert "[image 2: The lit quay at dusk]" in text
        assert "council[" not in text  # a javascript: link is no link
        assert "[1] https://port.example/report" in text
        assert "[2] https://port.example/lights.jpg" in text
        await pilot.press("2")
        await pilot.pause()
        assert showing_links(app)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "https://port.example/lights.jpg"
        assert not showing_links(app)
        await pilot.press("9")
        await pilot.pause()
        assert any("no link 9" in str(n.message) for n in app._notifications)
