"""A first index shows articles as they come: small first batches, each one committed and
shown in the list, "indexing" (not "checking") in the status line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_fixtures import settle
from libhelpers import article_text, open_library, write
from newstui.core.config import Settings
from newstui.core.paths import AppPaths
from newstui.tui.app import NewsApp
from newstui.tui.messages import CountsLoaded, RefreshProgress
from newstui.tui.widgets.article_list import ArticleList

FILES = 260


def many(folder: Path) -> Path:
    for number in range(FILES):
        name = f"2026-03-{number % 28 + 1:02d}-story-{number:03d}.txt"
        write(folder, name, article_text(f"Story {number}", [f"Paragraph {number} about ports."]))
    return folder


def test_a_first_build_commits_small_batches_first(tmp_path: Path) -> None:
    folder = many(tmp_path / "many")
    seen: list[tuple[int, int]] = []
    with open_library(folder, refresh=False) as library:

        def committed(stored: int) -> None:
            seen.append((stored, library.count()))  # what a reader sees at that moment

        library.refresh(committed=committed)
        assert library.count() == FILES
    assert seen[0][0] <= 50 and seen[0][1] == seen[0][0]
    assert [stored for stored, _ in seen] == sorted(stored for stored, _ in seen)
    assert all(count == stored for stored, count in seen)  # each batch visible as committed


async def test_the_list_grows_during_a_first_index(tmp_path: Path, monkeypatch: Any) -> None:
    folder = many(tmp_path / "many")
    counts: list[int] = []
    reload = ArticleList.reload

    def counting(self: ArticleList, keep_id: str | None = None) -> None:
        reload(self, keep_id)
        counts.append(self.row_count)

    monkeypatch.setattr(ArticleList, "reload", counting)
    progress: list[str] = []
    unread_while_growing: list[int] = []
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)

    def hook(message: object) -> None:
        if isinstance(message, RefreshProgress) and app.main is not None:
            progress.append(app.main.progress)
        if isinstance(message, CountsLoaded) and 0 < message.total < FILES:
            unread_while_growing.append(message.unread)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        assert app.main is not None
        assert app.main.articles.row_count == FILES
    assert counts[0] == 0  # the first paint: nothing indexed yet
    growing = [count for count in counts if 0 < count < FILES]
    assert growing, counts  # shown before the build was done
    assert any(text.startswith("indexing") for text in progress)
    assert not any(text.startswith("checking") for text in progress)
    assert unread_while_growing and all(unread > 0 for unread in unread_while_growing)


async def test_a_first_index_leaves_the_top_shown_and_the_cursor_on_the_newest(
    tmp_path: Path,
) -> None:
    folder = many(tmp_path / "many")
    app = NewsApp(folder, AppPaths.default(), Settings(), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.main is not None
        articles = app.main.articles
        assert articles.row_count == FILES
        assert articles.cursor == 0 and articles.scroll_y == 0
        newest = articles.loaded_row(articles.current_id or "")
        assert newest is not None and newest.published is not None
        assert newest.published.day == 28
