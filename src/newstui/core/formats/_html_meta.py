"""A saved page's metadata, from where publishers put it, most trusted first.

JSON-LD (`NewsArticle`, `Article`, `BlogPosting`, ...), then OpenGraph and `article:*`,
Dublin Core and other `<meta>` names, `<time datetime>`, `rel=author` and visible bylines.
The title is the article's headline (an `<h1>` the metadata agrees with, else the metadata's
title without the " | Site Name" glued on); authors are people, never the outlet; the
date is the article's, never its publisher's founding date. Works on an lxml tree.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newstui.core.formats._fields import parse_datetime, safe_url
from newstui.core.models import normalise_title
from newstui.core.sanitize import clean_line

_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "socialmediaposting",
        "report",
        "posting",
        "review",
        "criticreview",
    }
)
_MAX_LD_PEOPLE = 20
_ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})
_SAME_WORDS = 0.75  # an <h1> sharing this share of its words with the metadata's title
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—·•»:/]|-{1,2}|::)\s+")
_KICKER = re.compile(
    r"kicker|roofline|overline|dachzeile|topline|eyebrow|subheadline|subtitle|topic-label", re.I
)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[:,.;!?])")
_STRAIGHT_QUOTES = str.maketrans("‘’‚‛“”„", "''''\"\"\"")
_TITLE_PARTS = re.compile(rf"{_TITLE_SEPARATORS.pattern}|(?<=\w):\s+")  # and "Kicker: Headline"
# A date before the headline: "23.01.2022 - ", "1. Februar 2022 ", "June 17, 2022 | ".
_DATE_BEFORE_TITLE = re.compile(
    r"^(?:(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s+(?P<month>[^\W\d]+)\.?\s+\d{4})"
    r"\s*(?:[-–|:]\s+)?|(?P<month_first>[^\W\d]+)\.?\s+\d{1,2},?\s+\d{4}\s*[-–|:]\s+)(?=\w)"
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publish-date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "article.published",
    "article_date_original",
    "cxenseparse:recs:publishtime",
)
_AUTHOR_META = (  # the article's own fields before the page's "author" (often the publisher)
    "article:author",
    "parsely-author",
    "author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "twitter:creator",
)
_BYLINE_CLASS = re.compile(r"\b(?:byline|author[-_]?name|author|writer|contributor)s?\b", re.I)
# What comes before the names in a byline, in the languages seen: "By", "Posted by", "Text von",
# "Eingestellt von", "Publié par", "Por", "Author(s):", "Von:".
_LEAD_IN_WORDS = """
alles mehr more written posted reported published text texte texto interview eingestellt
erstellt geschrieben verfasst veröffentlicht gepostet beitrag publié écrit rédigé publicado
escrito scritto pubblicato geplaatst geschreven
"""
_BY_PREFIX = re.compile(
    r"^(?:(?:[^\W\d]+\s+){0,3}by:?\s+"
    rf"|(?:(?:{'|'.join(_LEAD_IN_WORDS.split())})\s+)?(?:von|vom|par|por|door|av|di|da|napsal[a]?)"
    r"(?:\s*:\s*|\s+)"
    r"|(?:autor(?:in|e)?|auteurs?|authors?|author\(s\)|text[eo]?|interview|von|by)\s*:\s*)",
    re.I,
)
# Words after which a byline is no longer a name: dates, times, "updated", roles, "more articles".
_MONTH_WORDS = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec januar februar märz juni juli oktober
dezember janvier février mars avril mai juin juillet août septembre octobre novembre
décembre enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
diciembre ledna února března dubna května června července srpna září října listopadu prosince
"""
_TIME_WORDS = """
updated published posted před ago hours hour minutes minute am pm on at in for | — – · • / -
associated stand aktualisiert alle weitere mehr artikel beiträge fr mo mi do sa
"""
# Weekdays and month abbreviations: never a name, even alone ("Donnerstag", "Dec").
_CALENDAR_WORDS = """
feb apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag
freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes
miércoles jueves viernes sábado domingo
"""
_ROLE_WORDS = """
editor reporter correspondent writer columnist contributor staff senior chief producer
analyst director manager founder photographer journalist redakteur redakteurin rédacteur
rédactrice editora redactor engineer scientist researcher professor designer developer
chefredakteur chefredakteurin chefredaktor korrespondent korrespondentin reporterin
journalistin fotograf fotografin moderator moderatorin volontär volontärin
"""
# Degrees after a name: left out, the name goes on ("Ann Lee, PhD").
_DEGREES = frozenset({"phd", "ph.d.", "ph.d", "mba"})
_CALENDAR = frozenset(_CALENDAR_WORDS.split())
# A name ending so is an organisation ("Caritasverband e.V.") or an address ("Finanztreff De").
_ORGANISATION_ENDS = frozenset({"gmbh", "mbh", "ag", "kg", "inc", "ltd", "llc", "corp", "plc"})
_ORGANISATION_ENDS |= {"e.v", "v", "com", "net", "org", "eu", "info"}  # not "De": a surname
_MONTHS = frozenset(_MONTH_WORDS.split())
_STOP_WORDS = _MONTHS | frozenset(_TIME_WORDS.split()) | _CALENDAR
_ROLES = frozenset(_ROLE_WORDS.split())
_NOT_NAMES = frozenset(
    {
        "username",
        "user name",
        "login",
        "log in",
        "sign in",
        "password",
        "admin",
        "administrator",
        "authority control",
        "author",
        "authors",
        "anonymous",
        "unknown",
        "staff",
        "editor",
        "editors",
        "redaktion",
        "guest",
        "posted",
        "posted by",
        "zur artikelübersicht",
        "artikelübersicht",
        "all articles",
        "view profile",
        "written by",
        "by",
        "von",
        "mehr",
        "more",
        "гость",
        "автор",
    }
)
_NAME_MAX_WORDS = 5
_BYLINE_LINE_CHARS = 80
_LABEL_ONLY = re.compile(r"\b(?:by|von|par|por|door|av)\s*:?$", re.I)
_NOT_IN_NAMES = re.compile(r"[?!:()\[\]{}<>]")
_HANDLE = re.compile(r"^[a-z][a-z0-9._-]{2,29}$")
_LINE_TAGS = ("span", "div", "p", "address", "small", "em", "i", "b", "strong", "h5", "h6", "li")
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en)?|auteurs?|journalists?|profiles?|staff)/[^/?#]", re.I
)
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "form"})
# Lower-case words a name may have ("Ana de Armas"); any other is a sentence, not a name.
_PARTICLE_WORDS = "de da di del della dos das du van von der den ter ten le la bin ibn al el y e"
_PARTICLES = frozenset(_PARTICLE_WORDS.split())
_COMMENTS = re.compile(r"comment|disqus|respond\b|responses\b", re.I)  # not "responsive"
_CONJUNCTION = re.compile(r"\s+(?:[Aa]nd|[Uu]nd|et|y|a|e|i|og|en|&)\s+")
_LANGUAGE = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
_RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
_FIRST_YEAR, _LAST_YEAR = 1990, 2100
_DOMAIN = re.compile(r"\w\.(?:com|org|net|co|uk|de|fr|info|news)\b|^www\.", re.I)
_DATE_IN_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass
class PageMeta:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    description: str = ""
    site: str | None = None
    url: str | None = None
    lang: str | None = None
    direction: str | None = None
    tags: list[str] = field(default_factory=list)


def read_meta(tree: HtmlElement) -> PageMeta:
    meta = _meta_tags(tree)
    ld = _json_ld_article(tree)
    sites = [clean_line(str(name)) for name in (meta.get("og:site_name"), _publisher(ld)) if name]
    url = safe_url(_first_href(tree, "canonical")) or safe_url(meta.get("og:url"))
    page = PageMeta(
        url=url,
        site=sites[0] if sites else None,
        description=_text(ld.get("description"))
        or meta.get("og:description", "")
        or meta.get("description", ""),
        lang=_language(tree, meta, ld),
    )
    if url:
        sites.append(urlsplit(url).hostname or "")
    page.title = _title(tree, ld, meta, sites)
    page.authors = _authors(tree, ld, meta, [*sites, *_title_tails(tree)])
    page.published = _published(tree, ld, meta)
    page.direction = _direction(tree, page.lang)
    keywords = ld.get("keywords") or meta.get("news_keywords") or meta.get("keywords") or ""
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    page.tags = [clean_line(str(tag)) for tag in keywords if isinstance(tag, str)][:20]
    return page


# -- where the metadata is


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """`<meta name|property|itemprop|http-equiv=... content=...>` (or `value=`, as some pages
    write it), first of each key wins."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = ""
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = key or (element.get(attribute) or "").strip().lower()
        content = element.get("content") or element.get("value")
        if key and content and content.strip():  # some pages escape their entities twice
            found.setdefault(key, html.unescape(content.strip()) if "&" in content else content)
    return found


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object of an article type (with a headline, if any has one), its
    author and publisher looked up where they are only references ({"@id": ...}, as Yoast
    writes a graph)."""
    candidates: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        for obj in _objects(data):
            if isinstance(obj.get("@id"), str) and len(obj) > 1:
                by_id.setdefault(obj["@id"], obj)
            if _types(obj) & _ARTICLE_TYPES:
                candidates.append(obj)
    with_headline = [obj for obj in candidates if obj.get("headline")]
    article = dict((with_headline or candidates or [{}])[0])
    for key in ("author", "creator", "publisher"):
        article[key] = _looked_up(article.get(key), by_id)
    return article


def _looked_up(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_looked_up(item, by_id) for item in value[:_MAX_LD_PEOPLE]]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
        return by_id.get(str(value.get("@id")), value)
    return value


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _objects(data[key], depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {value.lower() for value in kinds if isinstance(value, str)}


def _publisher(ld: dict[str, Any]) -> str | None:
    publisher = ld.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    if isinstance(publisher, dict):
        return _text(publisher.get("name")) or None
    return None


def _text(value: Any) -> str:
    return clean_line(html.unescape(value)) if isinstance(value, str) else ""


def _names(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _first_href(tree: HtmlElement, rel: str) -> str | None:
    for element in tree.iter("link"):
        if rel in (element.get("rel") or "").lower().split():
            return str(element.get("href") or "")
    return None


def _visible_text(element: HtmlElement) -> str:
    return clean_line(element.text_content())


# Text a reader sees: not a <style> a CSS-in-JS site puts inside its headline.
_SHOWN_TEXT = ".//text()[not(ancestor::style or ancestor::script or ancestor::template)]"


def _spaced_text(element: HtmlElement) -> str:
    """Its text with its elements apart: "<span>Gina Trapani</span><span>CEO</span>"."""
    return clean_line(" ".join(element.itertext()))


# -- title


def _title(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str], sites: list[str]) -> str:
    titles = [
        _without_site(title, sites)
        for title in (
            _text(ld.get("headline")) or _text(ld.get("name")),
            meta.get("og:title", ""),
            meta.get("twitter:title", ""),
            clean_line(tree.findtext(".//title") or ""),
        )
        if clean_line(title)
    ]
    headings = [_heading_text(h1) for h1 in tree.iter("h1") if not _is_masthead(h1)][:8]
    # A blog's post title is often an <h2> under the blog's name in an <h1>.
    for heading in headings + [_heading_text(h2) for h2 in tree.iter("h2")][:8]:
        agreeing = next((title for title in titles if _agrees(heading, title)), None)
        if agreeing is not None:
            return _without_date(_shorter(heading, agreeing))
    if len(headings) == 1 and len(headings[0].split()) >= 3:
        return _without_date(headings[0])  # the one headline shown, not one made for sharing
    if titles:
        return _without_date(titles[0])
    return next((heading for heading in headings if heading), "")


def _heading_text(heading: HtmlElement) -> str:
    """A heading's words, its parts apart ("Open Progress<br>Why..."), without a kicker above
    the headline ("Klimaschutz", and the ": " after it that only screen readers get)."""
    parts, kicker = [heading.text or ""], False
    for child in heading:
        if isinstance(child.tag, str) and _KICKER.search(_names(child)):
            kicker = True
        elif isinstance(child.tag, str):
            parts.append("".join(child.xpath(_SHOWN_TEXT)))
        parts.append(child.tail or "")
    text = _SPACE_BEFORE_PUNCTUATION.sub("", clean_line(" ".join(parts)))
    text = text.lstrip(" :;,.-–—|") if kicker else text
    return text if not kicker or len(text.split()) >= 2 else _visible_text(heading)


def _shorter(heading: str, title: str) -> str:
    """The heading, unless it is the metadata's title after a date or a section ("Local News |
    Headline"): a title cut short, or with the site after it, is the heading's start."""
    mine, theirs = _title_words(heading), _title_words(title)
    if len(theirs.split()) >= 3 and theirs in mine and not mine.startswith(theirs):
        return title
    return heading


def _without_date(title: str) -> str:
    date = _DATE_BEFORE_TITLE.match(title)
    month = date and (date.group("month") or date.group("month_first") or "")
    if date is None or (month and month.casefold() not in _MONTHS):
        return title
    rest = title[date.end() :]
    return rest if len(rest.split()) >= 3 else title


def _is_masthead(heading: HtmlElement) -> bool:
    """An <h1> that is only a link to the site's front page: the site's name, not the post's."""
    links = list(heading.iter("a"))
    if len(links) != 1 or clean_line(links[0].text_content()) != _visible_text(heading):
        return False
    path = urlsplit(links[0].get("href") or "").path.strip("/")
    return path.count("/") <= 1 and not any(c.isdigit() for c in path) and "." not in path


def _title_words(title: str) -> str:
    """Casefolded words, curly quotes as straight ones ("It’s" in an <h1>, "It's" in <title>)."""
    return normalise_title(title.translate(_STRAIGHT_QUOTES))


def _agrees(heading: str, title: str) -> bool:
    """The same headline, give or take a site name or a cut-off end."""
    mine, theirs = _title_words(heading), _title_words(title)
    if not mine or (len(mine.split()) < 2 and mine != theirs):
        return False
    parts = {_title_words(part) for part in _TITLE_PARTS.split(title)}
    words, other = set(mine.split()), set(theirs.split())
    return (
        mine == theirs
        or mine in parts
        or (len(mine) >= 20 and (theirs.startswith(mine) or mine.startswith(theirs)))
        or len(words & other) >= _SAME_WORDS * max(len(words), len(other))
    )


def _without_site(title: str, sites: list[str]) -> str:
    """ "Headline | Site Name" -> "Headline": the outlet's name goes from either end."""
    title = clean_line(title)
    names = {normalise_title(site).replace(" ", "") for site in sites if site}

    def is_site(part: str) -> bool:
        squashed = normalise_title(part).replace(" ", "")
        return bool(squashed) and any(squashed == name or squashed in name for name in names)

    for _ in range(2):  # "Headline - Section | Site"
        separators = list(_TITLE_SEPARATORS.finditer(title))
        if not separators:
            break
        first, last = separators[0], separators[-1]
        if is_site(title[last.end() :]):
            title = title[: last.start()]
        elif is_site(title[: first.start()]):
            title = title[first.end() :]
        elif _looks_like_outlet(title[last.end() :], last.group().strip(), title[: last.start()]):
            title = title[: last.start()]  # "A long headline | Short Outlet"
        else:
            break
    return title


def _title_tails(tree: HtmlElement) -> list[str]:
    """The outlet a page's <title> ends with ("Headline - Outlet Name"), if it has one."""
    title = clean_line(tree.findtext(".//title") or "")
    separators = list(_TITLE_SEPARATORS.finditer(title))
    tail = title[separators[-1].end() :] if separators else ""
    return [tail] if 0 < len(tail.split()) <= 3 else []


def _looks_like_outlet(tail: str, separator: str, head: str) -> bool:
    """A short name after a long headline: "| Outlet Name", "- Outlet"."""
    words = tail.split()
    if len(head.split()) < 4 or not words or any(c.isdigit() for c in tail):
        return False
    if separator == "|":
        return len(words) <= 3
    return len(words) <= 2 and all(word[:1].isupper() for word in words)


# -- authors


def _authors(
    tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str], sites: list[str]
) -> list[str]:
    # Each with whether a user name ("gnaddrig") counts: where the page shows it as the author,
    # not in <meta> (often the account that posted, "mikecason") or a line of text.
    ld_author = ld.get("author") or ld.get("creator")
    ld_names = list(_ld_people(ld_author))
    if _all_persons(ld_author):  # typed a Person: a name, even the site's ("Helge Fahrnberger")
        found = people(ld_names, handles=True)
        if found:
            return found
    candidates: list[tuple[list[str], bool]] = [(ld_names, True)]
    candidates += [([meta[key]], False) for key in _AUTHOR_META if key in meta]
    candidates.append((_rel_authors(tree)[:4], True))
    candidates.append(([_spaced_text(e) for e in tree.xpath('//*[@itemprop="author"]')][:4], True))
    candidates += [([byline], True) for byline in _bylines(tree)]
    candidates.append((list(_author_page_links(tree)), True))
    candidates += [([byline], False) for byline in _lead_in_lines(tree)]
    for names, handles in candidates:
        found = people(names, *sites, handles=handles)
        if found:
            return found
    return []


def _rel_authors(tree: HtmlElement) -> list[str]:
    """The `rel=author` links' names, one per author page: "Bob Fischer", not also the "more"
    and "Further articles" links to his page after it (nor his photo's empty link before)."""
    names: dict[str, str] = {}
    for link in tree.xpath('//a[@rel="author"]'):
        text, href = _spaced_text(link), link.get("href") or ""
        if text:
            names.setdefault(urlsplit(href).path.rstrip("/") or text, text)
    return list(names.values())


def _all_persons(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(i, dict) and "person" in _types(i) for i in items)


def _ld_people(value: Any) -> Iterator[str]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict) and (
            "person" in _types(item) or not _types(item) & _ORGANISATION_TYPES
        ):
            name = item.get("name")
            if isinstance(name, str):
                yield name
            elif isinstance(item.get("givenName"), str):
                yield f"{item['givenName']} {item.get('familyName') or ''}"


def _bylines(tree: HtmlElement) -> Iterator[str]:
    """Short texts of elements whose class names them a byline or an author."""
    count = 0
    for element in tree.iter("span", "div", "p", "a", "address"):
        if (
            _BYLINE_CLASS.search(element.get("class") or "")
            and count < 6
            and not _in_comments(element)
        ):
            text = _spaced_text(element)
            if 2 < len(text) < 120:
                count += 1
                yield text


def byline_names(text: str, site: str | None) -> list[str]:
    """The names in a short line that starts as a byline does ("By", "von", "Por"), else none."""
    line = clean_line(text)
    if len(line) > _BYLINE_LINE_CHARS or not _BY_PREFIX.match(line):
        return []
    return people([line], site)


def _author_page_links(tree: HtmlElement) -> Iterator[str]:
    """The texts of the first links to an author's page ("/author/ann-lee"), not in comments,
    navigation or the footer."""
    count = 0
    for link in tree.iter("a"):
        if count < 3 and _AUTHOR_PAGE.search(link.get("href") or "") and not _in_chrome(link):
            count += 1
            yield _spaced_text(link)


def _in_comments(element: HtmlElement) -> bool:
    return any(_COMMENTS.search(_names(up)) for up in element.iterancestors())


def _in_chrome(element: HtmlElement) -> bool:
    """In comments, navigation, the footer, a side box or a form."""
    return _in_comments(element) or any(up.tag in _CHROME_TAGS for up in element.iterancestors())


def _lead_in_lines(tree: HtmlElement) -> Iterator[str]:
    """Short lines that read as bylines, whatever their class: "Von Tobias Kuske", "By Ann Lee"
    (not in comments, navigation or the footer)."""
    count = 0
    for element in tree.iter(*_LINE_TAGS):
        start = (element.text or "").lstrip()
        if count >= 3 or not start or not _BY_PREFIX.match(start[:40] + " "):
            continue
        text = _spaced_text(element)
        if len(text) <= _BYLINE_LINE_CHARS and not _in_chrome(element):
            count += 1
            yield text


def people(raw_names: list[str], *sites: str | None, handles: bool = False) -> list[str]:
    """The distinct names of people in bylines, without outlets, roles and dates; with
    `handles`, a byline of one lower-case word ("gnaddrig", "happyface313") is a name too."""
    names = {normalise_title(site) for site in sites if site}
    outlets = set(names)
    outlets |= {label for site in outlets for label in site.split() if len(site.split()) > 2}
    found: dict[str, str] = {}
    for raw in raw_names:
        for name in _split_names(raw, handles):
            key = normalise_title(name)
            known = key in outlets or key in _NOT_NAMES or key in found
            if key and not known and not _is_outlet_desk(key, names):
                found[key] = name
    return list(found.values())


def _is_outlet_desk(name: str, outlets: set[str]) -> bool:
    """A name that starts with the outlet's brand and adds words not in its name: "Index
    Vijesti" on index.hr, "Google Research" on the Google AI Blog (not "Seth Godin" on Seth
    Godin's blog)."""
    first, *rest = name.split()
    for outlet in outlets:
        words = outlet.removeprefix("www ").split()
        if len(first) >= 3 and rest and words and words[0] == first:
            return not any(site.startswith(word) for word in rest for site in words)
    return False


def _split_names(raw: str, handles: bool = False) -> Iterator[str]:
    """ "By Ann Lee and Bo Chan, Games Editor, March 3" -> "Ann Lee", "Bo Chan"."""
    text = clean_line(raw)
    if not text or safe_url(text) or ("@" in text and " " not in text) or text.startswith("@"):
        return
    if _LABEL_ONLY.search(text):
        return  # "Written By", "Interpolated By": the name is elsewhere
    text = _BY_PREFIX.sub("", text)
    if handles and _HANDLE.match(text) and not _DOMAIN.search(text):
        yield text
        return
    chunks: list[str] = []
    for chunk in re.split(r"\s*[,;]\s*|(?<=\w{3})\.\s+", text):  # not "Troy L. Smith"
        parts = _CONJUNCTION.split(chunk)  # "Ann Lee and Bo Chan", not "Procter & Gamble"
        chunks += parts if all(len(part.split()) >= 2 for part in parts) else [chunk]
    named = False  # a name of two words or more came before
    role = False  # a role came: what follows it is where they work ("..., Google Research")
    for number, chunk in enumerate(chunks):
        if role:
            return
        words: list[str] = []
        for word in _BY_PREFIX.sub("", chunk).split():
            folded = word.casefold().strip(".,:;")
            if folded in _ROLES or folded.removesuffix("s") in _ROLES:  # "Ann Lee Games Editor":
                words = words[:-1] if len(words) > 2 else words  # the role goes, and its topic
                words = [] if number else words
                role = True
                break
            if folded in _DEGREES:
                continue
            if "@" in word:  # "Julia Horowitz @juliakhorowitz", "Tom Lee@tomlee"
                before = word.partition("@")[0]
                words += [before] if before else []
                break
            if (
                any(c.isdigit() for c in word)
                or folded in _CALENDAR
                or (folded in _STOP_WORDS and (len(words) >= 2 or number > 0))
            ):
                break  # "Nathan Willis March 3", but "June Lee" and "Jan Novák" are names
            words.append(word)
        half = len(words) // 2
        if half and words[:half] == words[half:]:
            words = words[:half]  # "Ann Lee Ann Lee": an image's alt text and the name
        name = " ".join(words).strip(" .,:;-|")
        name = name.title() if name.isupper() and len(name) > 3 else name
        if (
            name
            and len(words) <= _NAME_MAX_WORDS
            and not name[:1].islower()
            and not _DOMAIN.search(name)
            and all(not word[:1].islower() or word in _PARTICLES for word in words)
            and not (len(words) > 1 and words[-1].casefold().strip(".") in _ORGANISATION_ENDS)
            and name[:1].isalpha()
            and not (len(words) == 1 and name.isupper() and len(name) <= 3)  # "JF": initials
            and not _NOT_IN_NAMES.search(name)
        ):
            if number and len(words) == 1 and named:
                continue  # "Ann Lee, Futurism": a place or an outlet after the name
            named = named or len(words) > 1
            yield name


# -- date


def _published(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str]) -> datetime | None:
    values: list[Any] = [ld.get("datePublished"), ld.get("dateCreated")]
    values += [meta.get(key) for key in _PUBLISHED_META]
    values += [e.get("datetime") for e in tree.xpath('//*[@itemprop="datePublished"]')]
    for scope in ("//article//time", "//main//time", "//time"):
        values += [e.get("datetime") for e in tree.xpath(scope)[:1]]
    moments = [moment for moment in map(parse_date, values) if moment is not None]
    moments = [m for m in moments if _FIRST_YEAR <= m.year <= _LAST_YEAR]  # not 0001-01-01
    if not moments:
        return None
    # The same moment as the page's readers saw it: 22:04 UTC is 00:04 the next day in Linz.
    local = (m for m in moments if m == moments[0] and m.utcoffset())
    return moments[0] if moments[0].utcoffset() else next(local, moments[0])


def parse_date(value: Any) -> datetime | None:
    """A date in the page's own time zone (the day its readers saw), else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    iso = text[:-1] + "+00:00" if text[-1:] in {"Z", "z"} else text
    try:
        moment = datetime.fromisoformat(iso)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except ValueError:
        pass
    try:  # RFC 2822, "Sat, 19 Oct 2019 00:04:00 +0200", in its own zone too
        moment = parsedate_to_datetime(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (TypeError, ValueError, IndexError):
        pass
    parsed = parse_datetime(text)
    if parsed is not None:
        return parsed
    found = _DATE_IN_TEXT.search(text)
    if found:
        try:
            return datetime.combine(date(*map(int, found.groups())), time(), tzinfo=timezone.utc)
        except ValueError:
            return None
    return None


# -- language and direction


def _language(tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    in_language = ld.get("inLanguage")
    for value in (
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("og:locale"),
        meta.get("content-language"),
        in_language if isinstance(in_language, str) else None,
    ):
        match = _LANGUAGE.match((value or "").strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


def _direction(tree: HtmlElement, lang: str | None) -> str | None:
    body = tree.find("body")
    for element in (tree, body):
        if element is not None and (element.get("dir") or "").strip().lower() == "rtl":
            return "rtl"
    return "rtl" if lang in _RTL_LANGUAGES else None
