"""Fetching as the reader does it: every subscription into the news folder, in one call;
and the feeds whose last fetch failed (in this process or another), for the problems view."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from newstui.core.config import Settings, news_folder_of
from newstui.core.fetch.run import FeedReport, feed_states, fetch_subscriptions
from newstui.core.fetch.state import FeedState
from newstui.core.fetch.subscriptions import Subscription, load_subscriptions, subscriptions_file
from newstui.core.fetch.urls import mask_url
from newstui.core.index.summary import Problem
from newstui.core.notify import NewArticles, new_articles
from newstui.core.paths import AppPaths


class NewsFetched(NamedTuple):
    summary: str  # one line for a person
    problems: list[Problem]  # each failed feed (its URL masked) and why
    changed: bool  # some article file was written
    news_folder: Path
    new: NewArticles | None = None  # what it brought (for the notification)


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
    remembered = failing_feeds(loaded.subscriptions, news_folder, paths)
    named = {problem.path for problem in remembered}
    problems += remembered + [  # (failed, but its state could not be saved)
        Problem(feed.name, f"{feed.reason or 'failed'} ({feed.url})")
        for feed in report.failed
        if feed.name not in named
    ]
    skipped = sum(1 for feed in report.feeds if feed.skipped)
    parts = [f"{totals['new']:,} new", f"{totals['updated']:,} updated"]
    if skipped:
        parts.append(f"{skipped:,} not due yet")
    if totals["failed"]:
        parts.append(f"{totals['failed']:,} failed")
    summary = f"Fetched {len(report.feeds):,} feeds: " + ", ".join(parts) + "."
    changed = bool(totals["new"] or totals["updated"])
    return NewsFetched(summary, problems, changed, news_folder, new_articles(report))


def failing_feeds(
    subscriptions: list[Subscription], news_folder: Path, paths: AppPaths
) -> list[Problem]:
    """Each feed whose last fetch failed, by title: when and why (from the fetch state)."""
    states = feed_states(subscriptions, news_folder, paths)
    return [
        feed_problem(subscription, states[subscription.url])
        for subscription in subscriptions
        if states[subscription.url].last_error
    ]


def remembered_problems(paths: AppPaths, settings: Settings) -> list[Problem]:
    """`failing_feeds` of the subscriptions (and their file's warnings), as the reader
    shows them before any fetch of its own."""
    listed = subscriptions_file(paths.config_dir)
    loaded = load_subscriptions(listed)
    news_folder = news_folder_of(settings, paths.data_dir).resolve()
    warnings = [Problem(str(listed), warning) for warning in loaded.warnings]
    return warnings + failing_feeds(loaded.subscriptions, news_folder, paths)


def feed_problem(subscription: Subscription, state: FeedState) -> Problem:
    when = ""
    if state.last_error_at is not None:
        when = time.strftime(" %Y-%m-%d %H:%M", time.localtime(state.last_error_at))
    reason = f"fetch failed{when}: {state.last_error} ({mask_url(subscription.url)})"
    return Problem(subscription.title, reason)
