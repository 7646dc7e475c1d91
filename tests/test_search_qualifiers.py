"""folder: and feed: in the search box, and unknown qualifiers refused with the known ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from libhelpers import article_text, open_library, write
from newstui.core.index.query import QueryError, parse_query
from newstui.core.library import Library
from newstui.core.resources import sample_articles_dir


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    import os

    home = tmp_path_factory.mktemp("home")
    saved = {key: os.environ.get(key) for key in ("XDG_CACHE_HOME", "XDG_DATA_HOME")}
    os.environ["XDG_CACHE_HOME"], os.environ["XDG_DATA_HOME"] = str(home / "c"), str(home / "d")
    try:
        with open_library(sample_articles_dir()) as library:
            yield library
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def paths(library: Library, query: str) -> set[str]:
    return {Path(hit.row.path).name for hit in library.search(query)}


def test_folder_finds_the_articles_of_a_subfolder(samples: Library) -> None:
    found = paths(samples, "folder:feeds")
    assert found == {"calder-science-notes.atom", "port-elsby-harbour-herald.xml",
                     "vellmar-sports-desk.json"}  # fmt: skip
    assert paths(samples, "folder:feeds harbour") <= found
    assert paths(samples, "folder:nowhere") == set()


def test_feed_finds_a_feed_by_words_of_its_name(samples: Library) -> None:
    assert paths(samples, 'feed:"harbour herald"') == {"port-elsby-harbour-herald.xml"}
    assert paths(samples, "feed:HERALD") == {"port-elsby-harbour-herald.xml"}


@pytest.mark.parametrize("text", ["source:feeds", "tag:x word", "-topic:y"])
def test_an_unknown_qualifier_names_the_known_ones(text: str) -> None:
    with pytest.raises(QueryError, match=r"unknown qualifier .*author:, is:, folder:, feed:"):
        parse_query(text)


@pytest.mark.parametrize("text", ["10:30 ferry", "note: ferries", '"source:feeds"', "http://x.org"])
def test_colons_that_are_no_qualifier_still_search(text: str) -> None:
    assert parse_query(text).include


@pytest.fixture
def nested(tmp_path: Path) -> Iterator[Library]:
    """A library inside a folder named "news", with news/, newsletters/ and world/news/."""
    root = tmp_path / "news" / "library"
    for name in ("news/port.txt", "newsletters/digest.txt", "world/news/treaty.txt", "news.txt"):
        slug = Path(name).stem + "-story"
        write(root, name, article_text(f"Harbour story {slug}", slug=slug))
    with open_library(root) as library:
        yield library


def test_folder_is_a_whole_folder_name(nested: Library) -> None:
    assert paths(nested, "folder:news") == {"port.txt", "treaty.txt"}  # not newsletters/
    assert paths(nested, "folder:news harbour") == {"port.txt", "treaty.txt"}
    assert paths(nested, "folder:newsletters") == {"digest.txt"}
    assert paths(nested, "folder:new") == set()
    assert paths(nested, "folder:world/news") == {"treaty.txt"}


def test_not_starred_includes_the_articles_never_starred(nested: Library) -> None:
    nested.state.set_starred(["port-story"], True)
    nested.state.set_starred(["digest-story"], True)
    nested.state.set_starred(["digest-story"], False)  # a record, starred no more
    # treaty-story and news-story: no record in the state at all
    unstarred = {"digest.txt", "treaty.txt", "news.txt"}
    assert paths(nested, "-is:starred") == unstarred
    assert paths(nested, "harbour -is:starred") == unstarred
    assert paths(nested, "is:starred") == paths(nested, "harbour is:starred") == {"port.txt"}
