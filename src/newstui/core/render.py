"""An article as text for scripts and pipes: plain text, Markdown or HTML. One definition,
used by `newstui show --format` and the reader's `|` (pipe) and macros.

The article's text is sanitised at ingestion but still hostile: Markdown escapes every
character that would make markup, HTML is escaped with `html.escape`, and only http(s)
and mailto addresses become links.
"""

from __future__ import annotations

import html
import re
import textwrap
from urllib.parse import quote

from newstui.core.models import LINK_SCHEMES, Article, Block

MEASURE = 78
WEB_SCHEMES = ("http", "https")


def byline(article: Article) -> str:
    """ "By Ana Brum · 2024-05-01 · 3 min read" (the parts that are known)."""
    parts = [f"By {article.author.name}"] if article.author else []
    if article.published:
        parts.append(article.published.date().isoformat())
    parts.append(f"{article.reading_minutes} min read")
    return " · ".join(parts)


def safe_url(url: str | None, schemes: tuple[str, ...] = WEB_SCHEMES) -> str | None:
    """`url` when its scheme is one of `schemes`, with the characters that would end a
    Markdown link or an HTML attribute percent-encoded; else None."""
    if not url or url.partition(":")[0].lower() not in schemes:
        return None
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


# --- plain text -------------------------------------------------------------------------


def render_text(article: Article) -> str:
    """A readable rendering for pipes and pagers (already sanitised text, no styling)."""
    out = [article.title, "=" * min(len(article.title), MEASURE)]
    if article.standfirst:
        out += ["", *textwrap.wrap(article.standfirst, MEASURE)]
    out += ["", byline(article)]
    for block in article.blocks:
        out.append("")
        if block.kind == "heading":
            out += [block.text, "-" * min(len(block.text), MEASURE)]
        elif block.kind == "quote":
            out += textwrap.wrap(
                block.text, MEASURE - 4, initial_indent="  > ", subsequent_indent="    "
            )
        elif block.kind == "list_item":
            out += textwrap.wrap(
                block.text, MEASURE, initial_indent="  • ", subsequent_indent="    "
            )
        elif block.kind == "code":
            out += ["    " + line for line in block.text.splitlines()]
        elif block.kind == "image":
            out.append(f"[image: {block.text}]" + (f" <{block.url}>" if block.url else ""))
        else:
            out += textwrap.wrap(block.text, MEASURE)
    for author in article.authors:  # each person's own bio
        if author.bio:
            out += ["", f"About {author.name}", *textwrap.wrap(author.bio, MEASURE)]
    if article.related:
        out += ["", "You might also like:", *(f"  - {title}" for title in article.related)]
    return "\n".join(out)


# --- Markdown ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_MD_LINE_START = re.compile(r"^([ \t]*)([-+=])", re.M)
_MD_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])", re.M)


def md_escape(text: str) -> str:
    """`text` as Markdown that shows it as it is: no emphasis, link, HTML, heading, list."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_NUMBERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\1\\\2", escaped))


def _md_inline(block: Block) -> str:
    """The block's text, escaped, with its inline links as `[text](url)`."""
    out, at = [], 0
    for link in block.links:
        url = safe_url(link.url, LINK_SCHEMES)
        out.append(md_escape(block.text[at : link.start]))
        label = md_escape(block.text[link.start : link.end])
        out.append(f"[{label}]({url})" if url else label)
        at = link.end
    out.append(md_escape(block.text[at:]))
    return "\n".join(line.strip() for line in "".join(out).splitlines())


def _md_block(block: Block) -> str:
    if block.kind == "code":
        longest = max((len(run) for run in re.findall(r"`+", block.text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}\n{block.text}\n{fence}"
    if block.kind == "image":
        url = safe_url(block.url)
        alt = md_escape(block.text).replace("\n", " ")
        return f"![{alt}]({url})" if url else f"\\[image: {alt}\\]"
    text = _md_inline(block)
    if block.kind == "heading":
        return "## " + text.replace("\n", " ")
    if block.kind == "quote":
        return "\n".join(f"> {line}".rstrip() for line in text.splitlines())
    if block.kind == "list_item":
        return "- " + text.replace("\n", "\n  ")
    return text


def _size(length: int | None) -> str:
    return "" if length is None else f", {length / 1_000_000:.1f} MB"


def render_markdown(article: Article) -> str:
    """The article as Markdown: title, byline, link, summary, body, enclosures, bios."""
    out = [f"# {md_escape(article.title).replace(chr(10), ' ')}", md_escape(byline(article))]
    url = safe_url(article.url)
    if url:
        out.append(f"<{url}>")
    if article.standfirst:
        out.append(md_escape(article.standfirst))
    out += [_md_block(block) for block in article.blocks]
    if article.enclosures:
        out.append("## Enclosures")
        out.append(
            "\n".join(
                f"- [{md_escape(e.type or 'file')}{_size(e.length)}]({safe_url(e.url)})"
                for e in article.enclosures
            )
        )
    for author in article.authors:
        if author.bio:
            out += [f"## About {md_escape(author.name)}", md_escape(author.bio)]
    if article.related:
        out += ["## You might also like", "\n".join(f"- {md_escape(t)}" for t in article.related)]
    return "\n\n".join(out) + "\n"


# --- HTML -------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html_inline(block: Block) -> str:
    out, at = [], 0
    for link in block.links:
        url = safe_url(link.url, LINK_SCHEMES)
        out.append(_esc(block.text[at : link.start]))
        label = _esc(block.text[link.start : link.end])
        out.append(f'<a href="{_esc(url)}">{label}</a>' if url else label)
        at = link.end
    out.append(_esc(block.text[at:]))
    return "".join(out)


def _html_block(block: Block) -> str:
    if block.kind == "code":
        return f"<pre><code>{_esc(block.text)}</code></pre>"
    if block.kind == "image":
        url = safe_url(block.url)
        if url is None:
            return f"<p>[image: {_esc(block.text)}]</p>"
        return f'<figure><img src="{_esc(url)}" alt="{_esc(block.text)}"></figure>'
    text = _html_inline(block)
    tag = {"heading": "h2", "quote": "blockquote", "list_item": "li"}.get(block.kind, "p")
    return f"<{tag}>{text}</{tag}>"


def _html_body(blocks: list[Block]) -> list[str]:
    """Each block as an element; list items run together into one `<ul>`."""
    out: list[str] = []
    in_list = False
    for block in blocks:
        if (block.kind == "list_item") != in_list:
            in_list = not in_list
            out.append("<ul>" if in_list else "</ul>")
        out.append(_html_block(block))
    if in_list:
        out.append("</ul>")
    return out


def render_html_article(article: Article) -> str:
    """One `<article>` element; every text and address escaped."""
    lang = f' lang="{_esc(article.lang)}"' if article.lang else ""
    direction = ' dir="rtl"' if article.direction == "rtl" else ""
    out = [f"<article{lang}{direction}>", f"<h1>{_esc(article.title)}</h1>"]
    out.append(f'<p class="byline">{_esc(byline(article))}</p>')
    url = safe_url(article.url)
    if url:
        out.append(f'<p class="link"><a href="{_esc(url)}">{_esc(url)}</a></p>')
    if article.standfirst:
        out.append(f'<p class="summary">{_esc(article.standfirst)}</p>')
    out += _html_body(article.blocks)
    if article.enclosures:
        out.append('<ul class="enclosures">')
        for e in article.enclosures:
            label = _esc((e.type or "file") + _size(e.length))
            out.append(f'<li><a href="{_esc(safe_url(e.url) or "")}">{label}</a></li>')
        out.append("</ul>")
    for author in article.authors:
        if author.bio:
            out += [f"<h2>About {_esc(author.name)}</h2>", f"<p>{_esc(author.bio)}</p>"]
    if article.related:
        out.append("<h2>You might also like</h2>")
        out.append("<ul>" + "".join(f"<li>{_esc(t)}</li>" for t in article.related) + "</ul>")
    out.append("</article>")
    return "\n".join(out)


def render_html(articles: list[Article]) -> str:
    """A whole HTML document of the articles (UTF-8)."""
    title = _esc(articles[0].title) if len(articles) == 1 else "Articles"
    head = f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
    body = "\n".join(render_html_article(article) for article in articles)
    return f"{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
