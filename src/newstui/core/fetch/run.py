"""Fetch subscriptions into the news folder: the one entry point for the CLI and the reader.

    report = fetch_subscriptions(subscriptions, news_folder, paths,
                                 progress=callback, should_stop=callback)

Callable from any thread without an event loop (it runs its own). Each feed is fetched
with a conditional GET; its entries become JSON article files in `news_folder/<feed key>/`,
one file per entry, named after the entry's id, so a changed entry rewrites its own file
(same article id, reading state kept) and a repeated or interrupted fetch never duplicates.
Files are written whole (temp + rename) before the feed's state; nothing is ever deleted.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from newstui.core.fetch.addresses import AddressPolicy, address_class
from newstui.core.fetch.files import folder_lock, write_atomic
from newstui.core.fetch.fulltext import with_full_text
from newstui.core.fetch.http import HttpClient, Limits, Resolver
from newstui.core.fetch.http import system_resolver as _system_resolver
from newstui.core.fetch.schedule import next_allowed, retry_at
from newstui.core.fetch.state import (
    EntryState,
    FeedState,
    load_state,
    save_state,
    state_folder,
)
from newstui.core.fetch.subscriptions import Subscription
from newstui.core.fetch.urls import FetchError, mask_url
from newstui.core.formats import ArticleError, ParseResult
from newstui.core.models import Article
from newstui.core.paths import AppPaths

Outcome = Literal["new", "updated", "unchanged", "failed"]
Progress = Callable[[int, int, "FeedReport"], None]  # (feeds done, feeds in all, the last one)


@dataclass
class FeedReport:
    name: str
    url: str  # masked: never shows a password
    outcome: Outcome
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reason: str | None = None  # why it failed, or why it was not asked
    status: int | None = None
    skipped: bool = False  # not asked: not due yet (Retry-After, max-age, interval) or stopped
    moved_to: str | None = None  # a permanent redirect, used from now on
    problems: list[str] = field(default_factory=list)  # per entry: full text, refused links

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FetchReport:
    feeds: list[FeedReport]

    @property
    def failed(self) -> list[FeedReport]:
        return [feed for feed in self.feeds if feed.outcome == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def totals(self) -> dict[str, int]:
        return {
            "new": sum(feed.new for feed in self.feeds),
            "updated": sum(feed.updated for feed in self.feeds),
            "failed": len(self.failed),
        }

    def as_json(self) -> dict[str, Any]:
        return {"feeds": [feed.as_json() for feed in self.feeds], **self.totals()}


def fetch_subscriptions(
    subscriptions: list[Subscription],
    news_folder: Path,
    paths: AppPaths,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    force: bool = False,
    limits: Limits | None = None,
    resolver: Resolver | None = None,
    classify: Callable[[str], str] = address_class,
) -> FetchReport:
    """Fetch every subscription given (concurrently); never raises for one feed's trouble.

    `force` asks feeds that are not due yet (and ones that answered 410 Gone).
    `classify` and `resolver` are for tests: which class an address is in, and DNS.
    """
    folder = state_folder(paths, news_folder)
    with folder_lock(folder / "lock"):
        fetcher = _Fetcher(
            news_folder, folder, force, limits or Limits(), resolver or _system_resolver, classify
        )
        return asyncio.run(fetcher.run(subscriptions, progress, should_stop))


def feed_states(
    subscriptions: list[Subscription], news_folder: Path, paths: AppPaths
) -> dict[str, FeedState]:
    """Each subscription's remembered state (last error, last success...), by URL."""
    folder = state_folder(paths, news_folder)
    return {s.url: load_state(folder, s.key) for s in subscriptions}


class _Fetcher:
    def __init__(
        self,
        news_folder: Path,
        state_dir: Path,
        force: bool,
        limits: Limits,
        resolver: Resolver,
        classify: Callable[[str], str],
    ) -> None:
        self.news_folder = news_folder
        self.state_dir = state_dir
        self.force = force
        self.limits = limits
        self.resolver = resolver
        self.classify = classify

    async def run(
        self,
        subscriptions: list[Subscription],
        progress: Progress | None,
        should_stop: Callable[[], bool] | None,
    ) -> FetchReport:
        done = 0

        async with HttpClient(self.limits, resolver=self.resolver) as client:

            async def one(subscription: Subscription) -> FeedReport:
                nonlocal done
                if should_stop is not None and should_stop():
                    report = _report(subscription, "unchanged", skipped=True, reason="stopped")
                else:
                    report = await self.feed(client, subscription)
                done += 1
                if progress is not None:
                    progress(done, len(subscriptions), report)
                return report

            reports = await asyncio.gather(*(one(s) for s in subscriptions))
        return FetchReport(list(reports))

    async def feed(self, client: HttpClient, subscription: Subscription) -> FeedReport:
        try:
            return await self._feed(client, subscription)
        except OSError as error:  # the news folder or the state folder cannot be written
            return _report(subscription, "failed", reason=f"cannot save: {error}")

    async def _feed(self, client: HttpClient, subscription: Subscription) -> FeedReport:
        state = load_state(self.state_dir, subscription.key)
        now = time.time()
        if state.gone and not self.force:
            reason = "gone: the server answered 410 Gone; not asked again (remove the feed)"
            return _report(subscription, "failed", reason=reason, status=410, skipped=True)
        if now < state.not_before and not self.force:
            when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(state.not_before))
            return _report(subscription, "unchanged", reason=f"not due until {when}", skipped=True)
        url = state.moved_to or subscription.url
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        state.last_attempt = now
        try:
            response = await client.get(
                url,
                AddressPolicy(classify=self.classify),
                headers=headers,
                subscription_allow=subscription.allow,
            )
        except FetchError as error:
            return self._failed(subscription, state, error, now)
        report = _report(subscription, "unchanged", status=response.status)
        if response.permanent_url and response.permanent_url != url:
            state.moved_to = report.moved_to = response.permanent_url
        for key, header in (("etag", "etag"), ("last_modified", "last-modified")):
            if header in response.headers:
                setattr(state, key, response.headers[header])
        state.not_before = next_allowed(response.headers, response.body, now, subscription.interval)
        if response.status == 200:
            try:
                parsed = parse_feed(response.body)
            except ArticleError as error:
                state.etag = state.last_modified = None  # ask in full next time
                return self._failed(subscription, state, FetchError(str(error)), now)
            report.problems += parsed.problems[:20]
            await self._save_entries(client, subscription, state, parsed, response.policy, report)
        state.last_error = None
        state.last_success = now
        save_state(self.state_dir, subscription.key, state)
        report.outcome = "new" if report.new else "updated" if report.updated else "unchanged"
        return report

    def _failed(
        self, subscription: Subscription, state: FeedState, error: FetchError, now: float
    ) -> FeedReport:
        reason = error.reason
        if error.status == 410:
            state.gone = True
            reason = "gone: the server answered 410 Gone; not asked again (remove the feed)"
        elif error.status in (429, 503):
            state.not_before = retry_at(error.headers, now)
            when = time.strftime("%H:%M:%S UTC", time.gmtime(state.not_before))
            reason = f"{reason}; not asked again before {when}"
        state.last_error = reason
        save_state(self.state_dir, subscription.key, state)
        return _report(subscription, "failed", reason=reason, status=error.status)

    async def _save_entries(
        self,
        client: HttpClient,
        subscription: Subscription,
        state: FeedState,
        parsed: ParseResult,
        policy: AddressPolicy,
        report: FeedReport,
    ) -> None:
        folder = self.news_folder / subscription.key
        for leftover in folder.glob(".*.part"):  # from a fetch killed mid-write (we hold the lock)
            leftover.unlink(missing_ok=True)
        outlet = subscription.name or (parsed.articles[0].source.name if parsed.articles else None)
        now = time.time()
        pending: list[tuple[Article, str, EntryState | None]] = []
        for article in parsed.articles:
            article_id = _article_id(subscription.key, article.id)
            digest = _content_hash(article)
            known = state.entries.get(article_id)
            if known is not None and known.hash == digest:
                report.unchanged += 1
                continue
            pending.append((article.model_copy(update={"id": article_id}), digest, known))

        async def save(article: Article, digest: str, known: EntryState | None) -> None:
            first_seen = known.first_seen if known else now
            full_text = None
            if subscription.full_text:
                article, full_text = await with_full_text(article, client, policy)
                if full_text != "ok":
                    report.problems.append(f"{article.url or article.title}: {full_text}")
            if article.published is None:
                from datetime import datetime, timezone

                published = datetime.fromtimestamp(first_seen, timezone.utc)
                article = article.model_copy(update={"published": published})
            write_atomic(
                folder / f"{article.id}.json", _article_json(article, outlet, subscription.url)
            )
            state.entries[article.id] = EntryState(digest, first_seen, full_text)
            if known is None:
                report.new += 1
            else:
                report.updated += 1

        await asyncio.gather(*(save(*item) for item in pending))


def _report(subscription: Subscription, outcome: Outcome, **fields: Any) -> FeedReport:
    return FeedReport(subscription.title, mask_url(subscription.url), outcome, **fields)


def parse_feed(body: bytes) -> ParseResult:
    """The feed's articles (RSS, Atom, RDF or JSON Feed); `ArticleError` when it is none."""
    from newstui.core.formats.feeds import is_json_feed, parse_json_feed, parse_xml_feed

    if not body.strip():
        raise ArticleError("not a feed: the answer is empty")
    if body.lstrip()[:1] in (b"{", b"["):
        try:
            document = json.loads(body)
        except ValueError:
            raise ArticleError("not a feed: invalid JSON") from None
        if not is_json_feed(document):
            raise ArticleError("not a feed: JSON, but not a JSON Feed")
        return parse_json_feed(Path("feed.json"), document)
    try:
        return parse_xml_feed(Path("feed.xml"), body)
    except ArticleError as error:
        raise ArticleError(f"not a feed: {error}") from None
    except Exception as error:  # feedparser on hostile bytes
        raise ArticleError(f"not a feed: {type(error).__name__}") from None


def _article_id(feed_key: str, entry_id: str) -> str:
    """Per feed: the same guid in two feeds is two articles."""
    digest = hashlib.sha256(f"{feed_key}\n{entry_id}".encode("utf-8", "surrogatepass"))
    return "f-" + digest.hexdigest()[:16]


def _content_hash(article: Article) -> str:
    fields = article.model_dump(mode="json", include={"title", "summary", "author", "blocks"})
    fields["url"] = article.url
    fields["published"] = article.published.isoformat() if article.published else None
    fields["tags"] = article.tags
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _article_json(article: Article, outlet: str | None, feed_url: str) -> bytes:
    """The project's JSON article format (what `newstui show --json` prints)."""
    fields = article.model_dump(mode="json", exclude={"word_count", "reading_minutes", "source"})
    fields["feed"] = mask_url(feed_url)
    fields["source"] = {"name": outlet}
    return json.dumps(fields, ensure_ascii=False, indent=1).encode("utf-8")
