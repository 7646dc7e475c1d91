"""Chinese and Japanese words are found inside text without spaces (issue 32)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from libhelpers import open_library, write
from newstui.core.index import cjk
from newstui.core.library import Library
from newstui.core.paths import AppPaths

STORIES = {
    "zh-bridge": ("大桥通车", "今天上午，新建的跨江大桥正式通车，市民纷纷前来参观。", "zh"),
    "zh-rain": ("暴雨预警", "气象台发布暴雨预警，提醒居民减少外出并注意安全。", "zh"),
    "ja-train": ("新しい電車", "来月から新しい電車が港町と空港を結ぶことになりました。", "ja"),
    "ja-news": ("地元のニュース", "市役所は図書館の開館時間を夜九時まで延ばすと発表した。", "ja"),
    "en-port": ("Harbour cranes", "New cranes arrived at the harbour on Monday morning.", "en"),
}


def story(slug: str, title: str, body: str, language: str) -> str:
    return f"---\ntitle: {title}\nslug: {slug}\nlang: {language}\n---\n\n{body}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for slug, (title, body, language) in STORIES.items():
        write(tmp_path / "library", f"{slug}.md", story(slug, title, body, language))
    return tmp_path / "library"


@pytest.fixture
def library(folder: Path) -> Iterator[Library]:
    with open_library(folder) as opened:
        yield opened


def found(library: Library, query: str) -> set[str]:
    return {hit.row.id for hit in library.search(query)}


def test_a_chinese_two_character_word_is_found(library: Library) -> None:
    assert found(library, "大桥") == {"zh-bridge"}
    assert found(library, "市民") == {"zh-bridge"}  # inside a sentence
    assert found(library, "预警") == {"zh-rain"}  # in the title and the body
    assert found(library, "安全") == {"zh-rain"}  # at the end of a sentence
    assert found(library, "桥梁") == set()  # its characters, but not together


def test_japanese_kana_and_kanji_words_are_found(library: Library) -> None:
    assert found(library, "電車") == {"ja-train"}
    assert found(library, "ニュース") == {"ja-news"}
    assert found(library, "空港") == {"ja-train"}
    assert found(library, "図書館") == {"ja-news"}
    assert found(library, "館") == {"ja-news"}  # one character


def test_phrases_exclusions_and_other_words_keep_their_meaning(library: Library) -> None:
    assert found(library, '"通车，市民"') == {"zh-bridge"}  # punctuation between, as typed
    assert found(library, '"通车 市民"') == {"zh-bridge"}  # as with any phrase
    assert found(library, '"通车 参观"') == set()  # not next to each other
    assert found(library, "预警 -安全") == set()
    assert found(library, "cranes") == {"en-port"}
    assert found(library, "港") == {"ja-train"}


def test_only_chinese_and_japanese_text_gets_pairs() -> None:
    assert cjk.grams("Harbour cranes — “new” Größe") is None
    assert cjk.grams("東京都に") == "東京 京都 都に に"
    assert cjk.phrase("Tokyo 東京") is None


def test_an_index_from_before_is_rebuilt_with_the_pairs(folder: Path) -> None:
    with open_library(folder) as opened:
        db = AppPaths.default().index_db(folder)
        assert found(opened, "大桥") == {"zh-bridge"}
    with closing(sqlite3.connect(db)) as conn:  # as an index made before the pairs
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("UPDATE texts SET grams = NULL")
        conn.execute("INSERT INTO search(search) VALUES ('rebuild')")
        conn.execute(f"PRAGMA user_version = {version - 1}")
        conn.commit()
    with open_library(folder) as reopened:
        assert found(reopened, "大桥") == {"zh-bridge"}
        assert found(reopened, "電車") == {"ja-train"}
