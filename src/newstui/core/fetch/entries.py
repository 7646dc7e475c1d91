"""A fetched feed's bytes to article files: parse, tell new/updated/unchanged, write.

Files: one JSON file per feed and stretch of publication time, a list of Articles in the
project's JSON format (an undated entry is dated when first seen): `YYYY-MM-DD.json` for a
day of the last month, `YYYY-MM.json` for an older month, `YYYY.json` for an older year
(`file_for`). A recent day holds a feed's entries of that day, a few dozen at most, so an
update rewrites little; a blog's years of old posts come in a few files, not a file a post
(each file costs far more than its bytes). An entry stays in the file it was first written
to while its date is unchanged. Writing a file merges by article id into what it holds, so a
repeated or interrupted fetch never duplicates an entry.

`prepare` is a plain function of picklable values so a process pool can run it: parsing
(feedparser) is most of a big fetch's CPU time. It writes the files of a feed without full
text itself; for a full-text feed it returns the articles, to be completed with their pages
and written with `write_days`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newstui.core.fetch.files import write_atomic
from newstui.core.fetch.urls import mask_url
from newstui.core.formats import ArticleError, NoEntries
from newstui.core.models import Article

if TYPE_CHECKING:
    from newstui.core.formats.feeds import FeedResult


@dataclass(frozen=True)
class Job:
    folder: Path  # the feed's folder in the news folder
    feed_key: str
    feed_url: str
    outlet: str | None  # the subscription's name, else the feed's title
    known: dict[str, tuple[str, float, str]]  # article id -> (hash, first seen, day file)
    now: float
    write: bool  # False for full text: the caller writes after fetching the pages
    pruned: frozenset[str] = frozenset()  # ids removed by retention: not written again


@dataclass
class Change:
    article_id: str
    article: Article | None  # None once written (nothing to send back from a worker)
    digest: str
    first_seen: float
    is_new: bool
    day: str  # the file it is in: "YYYY-MM-DD", "YYYY-MM" or "YYYY" (`file_for`)
    moved_from: str | None = None  # the file it was in, when its date changed
    fields: dict[str, Any] | None = None  # the stored form, when ready to write
    keys: tuple[str, ...] = ()  # what makes it the same story in another feed (`story_keys`)
    title: str = ""  # (for the notification of new articles)


@dataclass
class Prepared:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    still_pruned: list[str] = field(default_factory=list)  # pruned ids the feed still lists
    title: str | None = None  # the feed's own title (its entries' source name)


def prepare(body: bytes, job: Job) -> Prepared:
    """Raises `ArticleError` when the body is not a feed (a feed without entries is none new)."""
    try:
        parsed = parse_feed(body, keep_html=job.write)
    except NoEntries:
        return Prepared()
    prepared = Prepared(problems=parsed.warnings[:20])
    prepared.title = parsed.articles[0].source.name if parsed.articles else None
    outlet = job.outlet or prepared.title
    kept = zip(parsed.articles, parsed.html, parsed.summary_html, strict=True)
    for article, html, summary_html in kept:
        article_id = article_id_in_feed(job.feed_key, article.id)
        if article_id in job.pruned:
            prepared.still_pruned.append(article_id)
            continue
        fields = article.model_dump(mode="json", exclude=_NOT_STORED)
        if html is not None:  # stored as the feed gave it, made blocks when read (jsonfile)
            del fields["blocks"]
            fields["html"] = html
            if summary_html is not None:
                fields["summary_html"] = summary_html
        digest = content_hash(fields)
        known = job.known.get(article_id)
        if known is not None and known[0] == digest:
            prepared.unchanged += 1
            continue
        first_seen = known[1] if known else job.now
        published = article.published or datetime.fromtimestamp(first_seen, timezone.utc)
        date = published.astimezone(timezone.utc).date().isoformat()
        stays = known is not None and bool(known[2]) and date.startswith(known[2])
        day = known[2] if known is not None and stays else file_for(date, job.now)
        moved_from = known[2] if known is not None and known[2] != day else None
        change = Change(article_id, None, digest, first_seen, known is None, day, moved_from)
        change.keys = story_keys(article.id, article.url, job.feed_url)
        change.title = article.title
        if job.write:  # the stored form, straight from the dump (no second model)
            fields.update(id=article_id, feed=mask_url(job.feed_url), source={"name": outlet})
            if article.published is None:
                fields["published"] = published.isoformat()
            change.fields = fields
        else:
            change.article = article.model_copy(
                update={
                    "id": article_id,
                    "published": published,
                    "source": article.source.model_copy(update={"name": outlet}),
                }
            )
        prepared.changes.append(change)
    if job.write:
        write_days(prepared.changes, job)
        for change in prepared.changes:
            change.fields = None  # nothing to send back from a worker but the outcome
    return prepared


def story_keys(entry_id: str, url: str | None, feed_url: str) -> tuple[str, ...]:
    """The same story wherever it is listed: its entry id (guid, else link...) on its site
    (two blogs may both number a post "123") and its normalised address (scheme, fragment,
    tracking parameters and a final "/" aside)."""
    try:
        site = urlsplit(url or feed_url).hostname or ""
    except ValueError:  # (a hostile link: "http://[x")
        site, url = urlsplit(feed_url).hostname or "", None
    keys = [f"id:{site}:{entry_id}"]
    if url and url.partition(":")[0].lower() in ("http", "https"):
        from courlan import normalize_url

        try:
            parts = urlsplit(normalize_url(url))
        except ValueError:
            parts = urlsplit(url)
        query = f"?{parts.query}" if parts.query else ""
        keys.append(f"url:{parts.netloc.lower()}{parts.path.rstrip('/')}{query}")
    return tuple(keys)


def file_for(date: str, now: float) -> str:
    """The file (name without `.json`) for an entry published on `date` ("YYYY-MM-DD")."""
    age = now - datetime.fromisoformat(date).replace(tzinfo=timezone.utc).timestamp()
    if age > 366 * 86400:
        return date[:4]
    return date[:7] if age > 31 * 86400 else date


def write_days(changes: list[Change], job: Job) -> None:
    """Merge the changed articles into their day files (by id), each written whole."""
    job.folder.mkdir(parents=True, exist_ok=True)
    for leftover in job.folder.glob(".*.part"):  # a fetch killed mid-write (we hold the lock)
        leftover.unlink(missing_ok=True)
    by_day: dict[str, dict[str, dict[str, Any]]] = {}
    for change in changes:
        fields = change.fields
        if fields is None and change.article is not None:
            fields = article_fields(change.article, job.feed_url)
        if fields is not None:
            by_day.setdefault(change.day, {})[change.article_id] = fields
    leaving: dict[str, set[str]] = {}
    for change in changes:
        if change.moved_from:
            leaving.setdefault(change.moved_from, set()).add(change.article_id)
    for day in sorted(set(by_day) | set(leaving)):
        path = job.folder / f"{day}.json"
        articles = {item["id"]: item for item in read_day(path)}
        for article_id in leaving.get(day, ()):
            articles.pop(article_id, None)
        articles.update(by_day.get(day, {}))
        write_day(path, articles)


def write_day(path: Path, articles: dict[str, dict[str, Any]]) -> None:
    """A day file holding `articles` (by id), written whole; none left: the file goes."""
    if not articles:
        path.unlink(missing_ok=True)
        return
    ordered = sorted(articles.values(), key=lambda item: item.get("published") or "")
    # One article a line: readable, and the C encoder (`indent` would be pure Python).
    lines = (json.dumps(item, ensure_ascii=False) for item in reversed(ordered))
    data = ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")
    write_atomic(path, data, make_folder=False)


def read_day(path: Path) -> list[dict[str, Any]]:
    try:
        items = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return []  # (a damaged day file is replaced by what the feed says now)
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def known_days(folder: Path) -> dict[str, str]:
    """Article id -> day file, read from the files (when the feed's state was lost)."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        for item in read_day(path):
            found[item["id"]] = path.stem
    return found


def parse_feed(body: bytes, *, keep_html: bool = False) -> FeedResult:
    """The feed's articles (RSS, Atom, RDF or JSON Feed); `ArticleError` when it is none.

    With `keep_html`, an entry's HTML content is kept as it is (`FeedResult.html`)."""
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
        return parse_json_feed(Path("feed.json"), document, keep_html=keep_html)
    try:
        return parse_xml_feed(Path("feed.xml"), body, keep_html=keep_html)
    except NoEntries:
        raise
    except ArticleError as error:
        raise ArticleError(f"not a feed: {error}") from None
    except Exception as error:  # feedparser on hostile bytes
        raise ArticleError(f"not a feed: {type(error).__name__}") from None


def article_id_in_feed(feed_key: str, entry_id: str) -> str:
    """Per feed: the same guid in two feeds is two articles."""
    digest = hashlib.sha256(f"{feed_key}\n{entry_id}".encode("utf-8", "surrogatepass"))
    return "f-" + digest.hexdigest()[:16]


_NOT_STORED = {"word_count", "reading_minutes", "source"}
_HASHED = ("title", "summary", "author", "blocks", "url", "published", "tags")
_HASHED_HTML = ("html", "summary_html")  # (hashed as they are: no JSON of a whole page)


def content_hash(fields: dict[str, Any]) -> str:
    """What the feed says of an entry (its dumped fields); a change rewrites the entry."""
    hashed = [fields.get(key) for key in _HASHED]
    if fields.get("enclosures"):  # (only then: the hashes of entries without stay the same)
        hashed.append(fields["enclosures"])
    data = json.dumps(hashed, ensure_ascii=False)
    digest = hashlib.sha256(data.encode("utf-8", "surrogatepass"))
    for key in _HASHED_HTML:
        digest.update(b"\0" + str(fields.get(key)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def article_fields(article: Article, feed_url: str) -> dict[str, Any]:
    """One article in the project's JSON format (what `newstui show --json` prints)."""
    fields = article.model_dump(mode="json", exclude=_NOT_STORED)
    fields["feed"] = mask_url(feed_url)
    fields["source"] = {"name": article.source.name}
    return fields
