"""A fetched feed's bytes to article files: parse, tell new/updated/unchanged, write.

`prepare` is a plain function of picklable values so a process pool can run it: parsing
(feedparser) is most of a big fetch's CPU time. It writes the files of a feed without full
text itself; for a full-text feed it returns the articles, to be completed with their pages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from newstui.core.fetch.files import write_atomic
from newstui.core.fetch.urls import mask_url
from newstui.core.formats import ArticleError, ParseResult
from newstui.core.models import Article


@dataclass(frozen=True)
class Job:
    folder: Path  # the feed's folder in the news folder
    feed_key: str
    feed_url: str
    outlet: str | None  # the subscription's name, else the feed's title
    known: dict[str, tuple[str, float]]  # article id -> (hash, first seen)
    now: float
    write: bool  # False for full text: the caller writes after fetching the pages


@dataclass
class Change:
    article_id: str
    article: Article | None  # None once written (nothing to send back from a worker)
    digest: str
    first_seen: float
    is_new: bool


@dataclass
class Prepared:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def prepare(body: bytes, job: Job) -> Prepared:
    """Raises `ArticleError` when the body is not a feed."""
    parsed = parse_feed(body)
    prepared = Prepared(problems=parsed.problems[:20])
    job.folder.mkdir(parents=True, exist_ok=True)
    outlet = job.outlet or (parsed.articles[0].source.name if parsed.articles else None)
    for article in parsed.articles:
        article_id = article_id_in_feed(job.feed_key, article.id)
        digest = content_hash(article)
        known = job.known.get(article_id)
        if known is not None and known[0] == digest:
            prepared.unchanged += 1
            continue
        first_seen = known[1] if known else job.now
        update: dict[str, object] = {"id": article_id}
        if article.published is None:  # sorted by when it was first seen
            update["published"] = datetime.fromtimestamp(first_seen, timezone.utc)
        if outlet != article.source.name:
            update["source"] = article.source.model_copy(update={"name": outlet})
        final = article.model_copy(update=update)
        if job.write:
            save(final, job)
        kept = None if job.write else final
        prepared.changes.append(Change(article_id, kept, digest, first_seen, known is None))
    for leftover in job.folder.glob(".*.part"):  # a fetch killed mid-write (we hold the lock)
        leftover.unlink(missing_ok=True)
    return prepared


def save(article: Article, job: Job) -> None:
    data = article_json(article, job.feed_url)
    write_atomic(job.folder / f"{article.id}.json", data, make_folder=False)


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


def article_id_in_feed(feed_key: str, entry_id: str) -> str:
    """Per feed: the same guid in two feeds is two articles."""
    digest = hashlib.sha256(f"{feed_key}\n{entry_id}".encode("utf-8", "surrogatepass"))
    return "f-" + digest.hexdigest()[:16]


def content_hash(article: Article) -> str:
    """What the feed says of an entry; a change rewrites the entry's file."""
    fields = article.model_dump(mode="json", include={"title", "summary", "author", "blocks"})
    fields["url"] = article.url
    fields["published"] = article.published.isoformat() if article.published else None
    fields["tags"] = article.tags
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def article_json(article: Article, feed_url: str) -> bytes:
    """The project's JSON article format (what `newstui show --json` prints)."""
    fields = article.model_dump(mode="json", exclude={"word_count", "reading_minutes", "source"})
    fields["feed"] = mask_url(feed_url)
    fields["source"] = {"name": article.source.name}
    return json.dumps(fields, ensure_ascii=False, indent=1).encode("utf-8")
