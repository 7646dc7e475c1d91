"""Telling the user a fetch brought new articles: the one-line summary, the user's
`notify_command` (the summary its last argument, the titles its standard input, one a
line) and the OSC 9 sequence terminals show as a desktop notification (over SSH too)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newstui.core.commands import CommandResult, run_command
from newstui.core.sanitize import clean_line, without_terminal_controls

if TYPE_CHECKING:
    from newstui.core.fetch.run import FetchReport

OSC9_CHARS = 200  # of the summary sent to the terminal


@dataclass(frozen=True)
class NewArticles:
    titles: list[str]  # one per new article (sanitised at ingestion)
    feeds_of: list[str]  # the feed each came from (its URL, masked)

    @property
    def count(self) -> int:
        return len(self.titles)

    @property
    def feeds(self) -> int:
        return len(set(self.feeds_of))

    def without(self, titles: set[str]) -> NewArticles | None:
        """These new articles but those with one of `titles` (hidden by a rule); None when
        none is left."""
        kept = [(t, f) for t, f in zip(self.titles, self.feeds_of, strict=True) if t not in titles]
        return NewArticles([t for t, _ in kept], [f for _, f in kept]) if kept else None

    @property
    def summary(self) -> str:
        """ "12 new articles in 3 feeds"."""
        articles = "article" if self.count == 1 else "articles"
        feeds = "feed" if self.feeds == 1 else "feeds"
        return f"{self.count:,} new {articles} in {self.feeds:,} {feeds}"


def new_articles(report: FetchReport) -> NewArticles | None:
    """What a fetch brought, or None when it brought nothing new."""
    pairs = [(clean_line(title), feed.url) for feed in report.feeds for title in feed.new_titles]
    if not pairs:
        return None
    return NewArticles([title for title, _ in pairs], [url for _, url in pairs])


def run_notify_command(
    command: str, news: NewArticles, should_stop: Callable[[], bool] | None = None
) -> CommandResult:
    """`command SUMMARY` with the titles on its standard input; never raises."""
    titles = "".join(f"{title}\n" for title in news.titles)
    return run_command(command, titles, args=(news.summary,), should_stop=should_stop)


def osc9(text: str) -> str:
    """OSC 9 (a desktop notification from the terminal) saying `text`, which can never end
    the sequence early or start another: every control character is left out."""
    said = without_terminal_controls(clean_line(text))[:OSC9_CHARS]
    return f"\x1b]9;{said}\x07"
