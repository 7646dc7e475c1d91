"""The news as a list of feeds (newsboat's first screen): each subscription by its title,
in its category, with its counts, when it was last fetched and its last error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from newstui.core.config import Settings, news_folder_of
from newstui.core.fetch.run import feed_states
from newstui.core.fetch.state import FeedState, feed_folder_name
from newstui.core.fetch.subscriptions import Subscription, load_subscriptions, subscriptions_file
from newstui.core.fetch.urls import mask_url
from newstui.core.paths import AppPaths
from newstui.core.sanitize import clean_line
from newstui.core.state.store import StateError, StateStore


@dataclass(frozen=True)
class FeedRow:
    title: str
    category: tuple[str, ...]  # "World/Europe" -> ("World", "Europe"); () for none
    folder: str  # its folder in the news folder (may not exist yet)
    url: str  # masked: never shows a password
    total: int
    unread: int
    last_success: float | None
    last_error: str | None
    last_error_at: float | None


@dataclass(frozen=True)
class FeedList:
    news_folder: Path
    feeds: list[FeedRow]  # by category, then title
    warnings: list[str]  # feeds.toml's


def feed_title(subscription: Subscription, state: FeedState) -> str:
    """feeds.toml's name, else the feed's own title, else its host."""
    return (
        subscription.name
        or clean_line(state.title or "")
        or urlsplit(subscription.url).hostname
        or mask_url(subscription.url)
    )


def category_of(subscription: Subscription) -> tuple[str, ...]:
    parts = (subscription.category or "").split("/")
    return tuple(part.strip() for part in parts if part.strip())


def feed_list(paths: AppPaths, settings: Settings, state: StateStore) -> FeedList:
    """Reads feeds.toml, each feed's fetch state and the read marks: call it off the UI."""
    listed = subscriptions_file(paths.config_dir)
    loaded = load_subscriptions(listed)
    news_folder = news_folder_of(settings, paths.data_dir).resolve()
    states = feed_states(loaded.subscriptions, news_folder, paths)
    keys = [key for s in states.values() for key in s.entries]
    try:
        marks, hidden = state.get_many(keys), state.hidden(keys)
    except StateError:
        marks, hidden = {}, set()
    rows = []
    for subscription in loaded.subscriptions:
        feed = states[subscription.url]
        shown = [key for key in feed.entries if key not in hidden]  # (as the list counts)
        read = sum(1 for key in shown if key in marks and marks[key].read)
        rows.append(
            FeedRow(
                title=feed_title(subscription, feed),
                category=category_of(subscription),
                folder=feed_folder_name(subscription.key, feed),
                url=mask_url(subscription.url),
                total=len(shown),
                unread=len(shown) - read,
                last_success=feed.last_success,
                last_error=feed.last_error,
                last_error_at=feed.last_error_at,
            )
        )
    rows.sort(key=lambda row: ([part.casefold() for part in row.category], row.title.casefold()))
    return FeedList(news_folder, rows, loaded.warnings)
