"""Fetching as the reader does it: every subscription into the news folder, in one call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from newstui.core.config import Settings, news_folder_of
from newstui.core.fetch.run import FeedReport, fetch_subscriptions
from newstui.core.fetch.subscriptions import load_subscriptions, subscriptions_file
from newstui.core.index.summary import Problem
from newstui.core.paths import AppPaths


class NewsFetched(NamedTuple):
    summary: str  # one line for a person
    problems: list[Problem]  # each failed feed (its URL masked) and why
    changed: bool  # some article file was written
    news_folder: Path


def fetch_news(
    paths: AppPaths,
    settings: Settings,
    progress: Callable[[int, int], object] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> NewsFetched:
    """Fetch every subscription (those not yet due are skipped, as by `newstui fetch`)."""
    news_folder = news_folder_of(settings, paths.data_dir).resolve()
    listed = subscriptions_file(paths.config_dir)
    loaded = load_subscriptions(listed)
    problems = [Problem(str(listed), warning) for warning in loaded.warnings]
    if not loaded.subscriptions:
        hint = "No subscriptions yet: `newstui feeds add URL` (or `feeds import FILE.opml`)."
        return NewsFetched(hint, problems, False, news_folder)

    def each_feed(done: int, total: int, _feed: FeedReport) -> None:
        if progress is not None:
            progress(done, total)

    report = fetch_subscriptions(
        loaded.subscriptions,
        news_folder,
        paths,
        progress=each_feed,
        should_stop=should_stop,
        keep=settings.keep,
    )
    totals = report.totals()
    problems += [Problem(feed.url, feed.reason or "failed") for feed in report.failed]
    skipped = sum(1 for feed in report.feeds if feed.skipped)
    parts = [f"{totals['new']:,} new", f"{totals['updated']:,} updated"]
    if skipped:
        parts.append(f"{skipped:,} not due yet")
    if totals["failed"]:
        parts.append(f"{totals['failed']:,} failed")
    summary = f"Fetched {len(report.feeds):,} feeds: " + ", ".join(parts) + "."
    return NewsFetched(summary, problems, bool(totals["new"] or totals["updated"]), news_folder)
