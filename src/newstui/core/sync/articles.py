"""The service's feeds and items in the news folder: `feeds.toml` entries and article files.

An item becomes an article in the project's JSON format in its feed's folder, the same
folder and day files a fetch of that feed writes (`fetch.entries.write_days`: merged by
article id, so an item written twice is still one article). Its id is stable per server and
item, so a repeated or interrupted sync never duplicates.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newstui.core.fetch.entries import Change, Job, article_id_in_feed, file_for, write_days
from newstui.core.fetch.subscriptions import (
    Subscription,
    load_subscriptions,
    merged,
    save_subscriptions,
    subscriptions_file,
)
from newstui.core.fetch.urls import mask_url
from newstui.core.sanitize import clean_line
from newstui.core.sync.adapter import RemoteFeed, RemoteItem

MAX_HTML = 2 * 2**20  # characters of an item's HTML kept


def item_article_id(server_url: str, item_id: str) -> str:
    return article_id_in_feed(f"sync:{server_url}", item_id)


def save_feeds(config_dir: Path, feeds: list[RemoteFeed]) -> int:
    """Add the service's subscriptions to `feeds.toml` (those already there are kept as they
    are); returns how many were added."""
    if not feeds:
        return 0
    path = subscriptions_file(config_dir)
    existing = load_subscriptions(path).subscriptions
    new = [
        Subscription(url=feed.url, name=clean_line(feed.title) or None,
                     category=clean_line(feed.category or "") or None)
        for feed in feeds
    ]  # fmt: skip
    result, added = merged(existing, new)
    if added:
        save_subscriptions(path, result)
    return added


def write_items(
    news_folder: Path, server_url: str, items: list[RemoteItem], feeds: dict[str, RemoteFeed]
) -> list[tuple[str, str]]:
    """Write `items` to their feeds' folders; returns (article id, item id) pairs."""
    now = time.time()
    by_feed: dict[str, list[Change]] = defaultdict(list)
    pairs = []
    for item in items:
        feed = feeds.get(item.feed_id)
        feed_url = feed.url if feed is not None else server_url
        article_id = item_article_id(server_url, item.id)
        fields = _fields(article_id, item, feed, feed_url, now)
        day = file_for(fields["published"][:10], now)
        change = Change(article_id, None, "", now, True, day, fields=fields)
        by_feed[feed_url].append(change)
        pairs.append((article_id, item.id))
    for feed_url, changes in by_feed.items():
        folder = news_folder / Subscription(url=feed_url).key
        job = Job(folder, folder.name, feed_url, None, {}, now, write=True)
        write_days(changes, job)
    return pairs


def _fields(
    article_id: str, item: RemoteItem, feed: RemoteFeed | None, feed_url: str, now: float
) -> dict[str, Any]:
    stamp = item.published if 0 < item.published < now + 86400 else now
    published = datetime.fromtimestamp(stamp, timezone.utc).isoformat()
    url = item.url if item.url and urlsplit(item.url).scheme in ("http", "https") else None
    fields: dict[str, Any] = {
        "id": article_id,
        "title": clean_line(item.title) or "(untitled)",
        "published": published,
        "url": clean_line(url) if url else None,
        "feed": mask_url(feed_url),
        "source": {"name": clean_line(feed.title) if feed is not None else None},
        "html": item.html[:MAX_HTML],
    }
    if item.author and clean_line(item.author):
        fields["authors"] = [clean_line(item.author)]
    return fields
