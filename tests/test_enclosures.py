"""Podcasts and video: a feed entry's audio and video files are kept, listed with its links
and played by the `player` command; pictures are not episodes, and bad addresses are dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app_fixtures import settle
from newstui.cli import main
from newstui.core.config import Settings
from newstui.core.formats.feeds import parse_xml_feed
from newstui.core.formats.jsonfile import parse as parse_json
from newstui.core.links import numbered_links
from newstui.core.models import Article, Enclosure
from newstui.core.paths import AppPaths
from newstui.tui import opener
from newstui.tui.app import NewsApp

PODCAST = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>Tide Tables Radio</title>
<item><title>Episode 12: Spring tides</title><guid>ep-12</guid>
<description>Why the spring tides run high, with a harbour pilot.</description>
<enclosure url="https://radio.example/ep12.mp3" type="audio/mpeg" length="12400000"/></item>
<item><title>Episode 13 on video</title><guid>ep-13</guid>
<description>The pilot boat at work.</description>
<media:content url="https://radio.example/ep13.mp4" type="video/mp4" fileSize="900"/>
<media:content url="https://radio.example/thumb13.jpg" type="image/jpeg"/></item>
<item><title>Episode 14</title><guid>ep-14</guid><description>Hostile files.</description>
<enclosure url="javascript:alert(1)" type="audio/mpeg"/>
<enclosure url="https://radio.example/ep14.ogg" length="lots"/>
<enclosure url="https://radio.example/ep14.ogg" type="audio/ogg"/></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Quay Sounds</title><id>urn:quay</id><updated>2024-05-01T00:00:00Z</updated>
<entry><title>Foghorns</title><id>urn:fog</id><updated>2024-05-01T00:00:00Z</updated>
<link rel="enclosure" href="https://quay.example/fog.opus" type="audio/opus" length="55"/>
<link rel="alternate" href="https://quay.example/fog"/><summary>The foghorns recorded.</summary>
</entry></feed>"""


def test_rss_enclosures_and_media_content_are_kept_pictures_and_bad_addresses_are_not() -> None:
    articles = parse_xml_feed(Path("radio.xml"), PODCAST).articles
    assert [a.enclosures for a in articles] == [
        [Enclosure(url="https://radio.example/ep12.mp3", type="audio/mpeg", length=12400000)],
        [Enclosure(url="https://radio.example/ep13.mp4", type="video/mp4")],
        [Enclosure(url="https://radio.example/ep14.ogg", type="audio/ogg")],  # once, guessed
    ]


def test_an_atom_enclosure_is_a_file_and_the_alternate_link_is_the_page() -> None:
    (article,) = parse_xml_feed(Path("quay.atom"), ATOM).articles
    assert article.url == "https://quay.example/fog"
    assert [(e.url, e.type) for e in article.enclosures] == [
        ("https://quay.example/fog.opus", "audio/opus")
    ]


def test_json_feed_attachments_are_enclosures(tmp_path: Path) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Harbour Cast",
        "items": [
            {
                "id": "1",
                "title": "Tugs",
                "content_text": "The tugs at dawn.",
                "attachments": [
                    {"url": "https://cast.example/tugs.m4a", "mime_type": "audio/x-m4a"},
                    {"url": "https://cast.example/tugs.png", "mime_type": "image/png"},
                ],
            }
        ],
    }
    (article,) = parse_json(tmp_path / "f.json", json.dumps(feed).encode()).articles
    assert [e.url for e in article.enclosures] == ["https://cast.example/tugs.m4a"]


def test_an_article_file_with_a_bad_enclosure_keeps_the_article_and_the_good_ones() -> None:
    article = Article.model_validate(
        {
            "id": "a",
            "title": "Buoys",
            "source": {"path": "a.json", "format": "json"},
            "enclosures": [{"url": "file:///etc/passwd"}, "x", {"url": "https://b.example/b.mp3"}],
        }
    )
    assert article.enclosures == [Enclosure(url="https://b.example/b.mp3")]


def test_enclosures_are_numbered_after_the_texts_own_links(tmp_path: Path) -> None:
    (article,) = parse_xml_feed(Path("radio.xml"), PODCAST).articles[:1]
    links = numbered_links(article)
    assert [(link.number, link.text, link.is_enclosure) for link in links] == [
        (1, "audio/mpeg, 12.4 MB", True)
    ]


def test_show_json_gives_the_enclosures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "radio.xml"
    feed.write_bytes(PODCAST)
    assert main(["show", str(feed), "--json"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["enclosures"] == [
        {"url": "https://radio.example/ep12.mp3", "type": "audio/mpeg", "length": 12400000}
    ]


async def test_the_reader_lists_an_episode_and_the_player_plays_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    played: list[tuple[str, str, str]] = []
    monkeypatch.setattr(opener, "configured_open", lambda *call: played.append(call))
    library = tmp_path / "podcasts"
    library.mkdir()
    (library / "radio.xml").write_bytes(PODCAST)
    settings = Settings(player="mpv --no-video", opener="firefox")
    app = NewsApp(library, AppPaths.default(), settings, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main is not None and app.main.reader.article is not None
        text = "\n".join(line.content.plain for line in app.main.reader._lines)
        numbered = numbered_links(app.main.reader.article)
        episode = next(link for link in numbered if link.is_enclosure)
        assert f"▶ {episode.text} [{episode.number}]" in text
        await pilot.press(str(episode.number))
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert played == [("mpv --no-video", episode.url, "player")]


def test_is_podcast_finds_the_articles_with_a_file(tmp_path: Path) -> None:
    from libhelpers import open_library

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "radio.xml").write_bytes(PODCAST)
    (folder / "note.md").write_text("# Tide note\n\nThe tide turned at noon today.\n")
    with open_library(folder) as library:
        with_file = {hit.row.title for hit in library.search("is:podcast")}
        without = {hit.row.title for hit in library.search("-is:podcast")}
        assert with_file == {"Episode 12: Spring tides", "Episode 13 on video", "Episode 14"}
        assert without == {"Tide note"}
        assert {hit.row.title for hit in library.search("tides is:enclosure")} == {
            "Episode 12: Spring tides"
        }
