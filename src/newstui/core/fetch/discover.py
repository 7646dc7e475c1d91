"""`feeds add URL`: is it a feed, or a page that names its feed?"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from newstui.core.fetch.addresses import AddressPolicy, address_class
from newstui.core.fetch.http import HttpClient, Limits, Resolver, system_resolver
from newstui.core.fetch.urls import FetchError, mask_url
from newstui.core.formats import ArticleError

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"}
)


@dataclass
class Discovered:
    url: str  # the feed's URL (the page's feed link when a page was given)
    title: str | None
    from_page: bool


class _FeedLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {key.lower(): (value or "") for key, value in attrs}
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES and values.get("href"):
            self.links.append(values["href"].strip())


def feed_links(page: bytes, base: str) -> list[str]:
    parser = _FeedLinks()
    parser.feed(page[:2_000_000].decode("utf-8", "replace"))
    return [urljoin(base, link) for link in dict.fromkeys(parser.links)]


def discover(
    url: str,
    allow: frozenset[str] = frozenset(),
    *,
    resolver: Resolver = system_resolver,
    classify: Callable[[str], str] = address_class,
) -> Discovered:
    """The feed at `url`, or the one its page links to; `FetchError` when neither."""
    return asyncio.run(_discover(url, allow, resolver, classify))


async def _discover(
    url: str, allow: frozenset[str], resolver: Resolver, classify: Callable[[str], str]
) -> Discovered:
    from newstui.core.fetch.entries import parse_feed

    async with HttpClient(Limits(), resolver=resolver) as client:
        response = await client.get(url, AddressPolicy(classify=classify), subscription_allow=allow)
        try:
            return Discovered(url, _title(parse_feed(response.body)), False)
        except ArticleError as error:
            reason = f"{error}, and the page links to no feed"
        for link in feed_links(response.body, response.url)[:3]:
            try:
                linked = await client.get(link, response.policy)
                return Discovered(link, _title(parse_feed(linked.body)), True)
            except (FetchError, ArticleError) as failure:
                reason = f"the page's feed link {mask_url(link)}: {failure}"
    raise FetchError(reason)


def _title(parsed: object) -> str | None:
    articles = getattr(parsed, "articles", [])
    return articles[0].source.name if articles else None
