"""Syncing as the reader fetches: with `[sync]` set, `F`, `fetch_every` and `newstui fetch`
sync with the service (which fetches the feeds itself) instead of fetching feeds here."""

from __future__ import annotations

from newstui.core.config import Settings, news_folder_of
from newstui.core.fetch.news import NewsFetched
from newstui.core.index.summary import Problem
from newstui.core.paths import AppPaths
from newstui.core.state.store import StateError, StateStore
from newstui.core.sync.engine import sync_now
from newstui.core.sync.settings import SyncSettingError


def sync_news(paths: AppPaths, settings: Settings) -> NewsFetched:
    """One sync, told as a fetch is: a summary line, the problem if any, whether files or
    marks changed. Never raises for a service, setting or state trouble: it is the summary."""
    assert settings.sync is not None
    sync = settings.sync
    news_folder = news_folder_of(settings, paths.data_dir).resolve()
    try:
        news_folder.mkdir(parents=True, exist_ok=True)
        store = StateStore(paths.state_db, outbox=True)
    except (OSError, StateError) as error:
        return NewsFetched(f"sync: {error}", [Problem(sync.url, str(error))], False, news_folder)
    try:
        report = sync_now(sync, paths, store, news_folder)
    except SyncSettingError as error:
        return NewsFetched(str(error), [Problem(sync.url, str(error))], False, news_folder)
    finally:
        store.close()
    changed = bool(report.new_items or report.marks_changed)
    if report.error:
        return NewsFetched(report.error, [Problem(sync.url, report.error)], changed, news_folder)
    summary = (
        f"Synced with {sync.host}: {report.new_items:,} new, {report.pushed:,} sent, "
        f"{report.marks_changed:,} marks taken."
    )
    return NewsFetched(summary, [], changed, news_folder)
