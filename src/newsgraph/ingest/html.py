"""Article body and metadata from an HTML page.

The body comes from an ordered cascade, each step used only when the one before it
under-delivered (fewer than MIN_CHARS characters), in the manner of trafilatura/core.py:
1. trafilatura, favouring precision (no comments, tables or links);
2. trafilatura, favouring recall;
3. the largest block of <p> text under one parent (lxml);
and the longest of them when none reaches MIN_CHARS. Its lines then go through the same
furniture filter as plain text.

The publication date is read from the page's own metadata only (meta tags, JSON-LD,
<time datetime>); the page's text is left to the plain-text cascade.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

from .pubdate import normalise_date

MIN_CHARS = 250

_META_DATE_KEYS = (
    "article:published_time", "og:published_time", "published_time", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "date.issued", "dc.date.issued",
    "dcterms.issued", "dc.date", "sailthru.date", "parsely-pub-date", "date", "article.published",
)


@dataclass
class HtmlParts:
    """What a page gave: body text (one paragraph per line) and its metadata."""

    body: str
    method: str  # which cascade step delivered the body
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_reason: str | None = None
    url: str | None = None
    lines: list[str] = field(default_factory=list)  # the whole page's text, one line per block


def parse_tree(html: str):
    """The lxml tree of `html`, or None when nothing parseable is there."""
    try:
        return lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None


def metadata_date(tree) -> tuple[str, str] | None:
    """(ISO date, where it was found) from meta tags, JSON-LD datePublished or <time datetime>."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in _META_DATE_KEYS:
            value = normalise_date(meta.get("content"))
            if value:
                return value, f"<meta {key}>"
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            value = _jsonld_date(script.text)
            if value:
                return value, "JSON-LD datePublished"
    for time in tree.iter("time"):
        if time.get("datetime") and (time.get("pubdate") is not None or "publish" in (time.get("class") or "")
                                     or time.get("itemprop") == "datePublished"):
            value = normalise_date(time.get("datetime"))
            if value:
                return value, "<time datetime> marked as publication"
    times = [t for t in tree.iter("time") if t.get("datetime")]
    if times:
        value = normalise_date(times[0].get("datetime"))
        if value:
            return value, "first <time datetime>"
    return None


def _jsonld_date(text: str) -> str | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        m = re.search(r'"datePublished"\s*:\s*"([^"]+)"', text)
        return normalise_date(m.group(1)) if m else None
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "datePublished" in item:
                value = normalise_date(item["datePublished"])
                if value:
                    return value
            stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def _trafilatura(html: str, url: str | None, **options) -> str:
    try:
        text = trafilatura.extract(
            html, url=url, output_format="txt", include_comments=False, include_tables=False,
            include_links=False, include_images=False, deduplicate=False, **options,
        )
    except Exception:  # trafilatura raises assorted errors on pathological markup; the cascade goes on
        return ""
    return text or ""


def largest_paragraph_block(tree) -> str:
    """The text of the <p> elements under the parent holding the most <p> text."""
    totals: dict = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        text = " ".join(p.text_content().split())
        if parent is not None and text:
            totals.setdefault(parent, []).append(text)
    if not totals:
        return ""
    best = max(totals.values(), key=lambda texts: sum(len(t) for t in texts))
    return "\n".join(best)


def body_cascade(html: str, url: str | None, tree) -> tuple[str, str]:
    """(body, method): the first cascade step that delivers MIN_CHARS, else the longest."""
    steps = (
        ("trafilatura precision", lambda: _trafilatura(html, url, favor_precision=True)),
        ("trafilatura recall", lambda: _trafilatura(html, url, favor_recall=True)),
        ("largest <p> block", lambda: largest_paragraph_block(tree)),
    )
    results = []
    for method, step in steps:
        text = step().strip()
        if len(text) >= MIN_CHARS:
            return text, method
        results.append((text, method))
    return max(results, key=lambda r: len(r[0]))


_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "header", "footer", "nav",
           "section", "article", "aside", "time", "br", "tr", "td", "figcaption", "figure", "address",
           "blockquote", "main", "dd", "dt", "table"}


def page_lines(tree) -> list[str]:
    """The page's visible text, one line per block element, in document order."""
    tree = copy.deepcopy(tree)
    for el in tree.iter("script", "style", "noscript", "template", etree.Comment):
        el.getparent().remove(el) if el.getparent() is not None else None
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    body = tree.find(".//body")
    text = (body if body is not None else tree).text_content()
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def page_url(tree) -> str | None:
    """The page's own address: <link rel=canonical> or og:url."""
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href", "").startswith("http"):
            return link.get("href")
    for meta in tree.iter("meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content", "").startswith("http"):
            return meta.get("content")
    return None


def _title(tree, html: str, url: str | None) -> tuple[str | None, str | None, str | None]:
    try:
        meta = trafilatura.extract_metadata(tree, default_url=url)
    except Exception:  # metadata is optional; a failure here must not lose the article
        meta = None
    title = meta.title if meta and meta.title else None
    if not title:
        h1 = next(iter(tree.iter("h1")), None)
        title = " ".join(h1.text_content().split()) if h1 is not None else None
    byline = meta.author if meta and meta.author else None
    outlet = meta.sitename if meta and meta.sitename else None
    return title or None, byline, outlet


def extract_html(html: str, url: str | None = None) -> HtmlParts | None:
    """Body and metadata of a page, or None when the markup holds no text at all."""
    tree = parse_tree(html)
    if tree is None:
        return None
    body, method = body_cascade(html, url, tree)
    if not body.strip():
        return None
    title, byline, outlet = _title(tree, html, url)
    found = metadata_date(tree)
    return HtmlParts(
        url=page_url(tree),
        lines=page_lines(tree),
        body=body,
        method=method,
        title=title,
        byline=byline,
        outlet=outlet,
        published=found[0] if found else None,
        published_reason=f"page metadata {found[1]}" if found else None,
    )
