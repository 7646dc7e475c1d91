"""Full text: fetch an entry's page and extract the article with the saved-page extractor.

The page goes through the same HTTP client (address policy, limits, per-host cap) and its
bytes through `newstui.core.formats.html`, exactly as a saved `.html` file would. The feed's
own title, authors and date win; the page fills in what the feed lacks. Any failure keeps
the feed's text and returns the reason.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from pathlib import Path

from newstui.core.fetch.addresses import AddressPolicy
from newstui.core.fetch.http import PAGE_ACCEPT, HttpClient
from newstui.core.fetch.urls import FetchError
from newstui.core.formats import ArticleError, parse_bytes
from newstui.core.formats._fields import UNTITLED
from newstui.core.models import Article, count_words

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


def page_article(body: bytes) -> Article:
    """The article of a fetched page, as of a saved `.html` file (a worker can run it)."""
    return parse_bytes(Path("page.html"), body).articles[0]


MIN_WORDS = 30  # a page yielding less than this is not worth the feed's own text


async def with_full_text(
    article: Article,
    client: HttpClient,
    policy: AddressPolicy,
    *,
    user_chosen: bool = False,
    pool: Executor | None = None,
) -> tuple[Article, str]:
    """The article with the page's body, and "ok"; or the article unchanged and why.

    `user_chosen`: the user gave this URL (`newstui save`), so its first hop may go to any
    address, as a subscription's does. `pool`: worker processes to extract the page in, so
    that the event loop goes on with the other downloads meanwhile."""
    if not article.url:
        return article, "no link to fetch"
    allow = frozenset[str]() if user_chosen else None
    try:
        response = await client.get(
            article.url, policy, accept=PAGE_ACCEPT, subscription_allow=allow
        )
    except FetchError as error:
        return article, error.reason
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _HTML_TYPES:
        return article, f"the page is {content_type}, not HTML"
    try:
        if pool is None:
            page = page_article(response.body)
        else:
            page = await asyncio.get_running_loop().run_in_executor(
                pool, page_article, response.body
            )
    except (ArticleError, IndexError) as error:
        return article, f"no article found in the page ({error})"
    if sum(count_words(block.text) for block in page.blocks) < MIN_WORDS:
        return article, "no article found in the page"
    summary = article.summary or " ".join(b.text for b in article.blocks if b.kind != "image")
    summary = summary or page.summary
    return (
        article.model_copy(
            update={
                "blocks": page.blocks,
                "title": page.title if article.title == UNTITLED else article.title,
                "summary": summary[:400],
                "authors": article.authors or page.authors,
                "published": article.published or page.published,
                "lang": article.lang or page.lang,
                "source": article.source.model_copy(
                    update={"name": article.source.name or page.source.name}
                ),
            }
        ),
        "ok",
    )
