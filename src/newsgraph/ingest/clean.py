"""From a `RawDocument` to an `Article`: body, headline, byline, publication date, language."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..errors import InputError
from ..model import Article, RawDocument
from .html import extract_html
from .plaintext import clean_plaintext, date_from_lines
from .pubdate import normalise_date, url_date


def document_id(data: bytes) -> str:
    """'d' + the first 16 hex digits of sha256(data): the same bytes always give the same id."""
    return "d" + hashlib.sha256(data).hexdigest()[:16]


def detect_language(text: str) -> str:
    """ISO 639-1 code by script alone: Cyrillic majority is 'ru' ('uk' when the letters
    і ї є ґ, which Russian lacks, are frequent), anything else 'en'. A script check, not a
    language model: Latin-script languages other than English are reported as 'en'."""
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", text))
    latin = len(re.findall(r"[A-Za-z\u00c0-\u024f]", text))
    if cyrillic > latin:
        ukrainian = len(re.findall(r"[іїєґІЇЄҐ]", text))
        return "uk" if ukrainian > 0.01 * cyrillic else "ru"
    return "en"


def _above_body(lines: list[str], body: str) -> list[str]:
    """The page lines above the first line of the cleaned body (headline, date, byline area)."""
    first = " ".join(body.split("\n", 1)[0].split())[:60]
    cut = next((i for i, line in enumerate(lines) if first and first in line), None)
    return lines[:cut] if cut is not None else []


def clean(raw: RawDocument) -> Article:
    """The cleaned `Article` for `raw`; raises InputError when no article text remains.

    Publication date, first found wins: the container's metadata (JSONL `published`, HTML
    meta/JSON-LD) -> a byline or date line in the text -> a date in the URL -> None.
    """
    container_date = normalise_date(raw.published)
    reasons = []
    if raw.published and not container_date:
        reasons.append(f"container date {raw.published!r} not readable")
    if raw.html is not None:
        parts = extract_html(raw.html, raw.url)
        if parts is None:
            raise InputError(raw.source, "no text in the HTML (empty or malformed page)")
        title = raw.title or parts.title
        plain = clean_plaintext(parts.body, known_title=title, from_html=True)
        byline, outlet = parts.byline or plain.byline, raw.outlet or parts.outlet
        if not container_date and parts.published:
            container_date, meta_reason = parts.published, parts.published_reason
        else:
            meta_reason = "container field 'published'"
    elif raw.text is not None:
        plain = clean_plaintext(raw.text, known_title=raw.title)
        title, byline, outlet = raw.title or plain.title, plain.byline, raw.outlet
        meta_reason = "container field 'published'"
    else:
        raise InputError(raw.source, "no text or HTML to read")
    body = unicodedata.normalize("NFC", plain.body).strip()
    if not body:
        raise InputError(raw.source, "no article text left after removing page furniture")
    url = raw.url or plain.url
    page_date, page_reason = None, None
    if raw.html is not None:
        url = url or parts.url
        if not container_date and not plain.published:
            page_date, page_reason = date_from_lines(_above_body(parts.lines, body), title, body)
    if container_date:
        published, basis, reason = container_date, "metadata", meta_reason
    elif plain.published:
        published, basis, reason = plain.published, "byline", plain.published_reason
    elif page_date:
        published, basis, reason = page_date, "byline", f"page header: {page_reason}"
    elif found := url_date(url):
        published, basis, reason = found[0], "url", f"URL path {found[1]}"
    else:
        published, basis, reason = None, None, plain.published_reason or "no publication date found"
    for note in (plain.published_reason, page_reason):
        if note and "masthead" in note and (not reason or "masthead" not in reason):
            reasons.append(note.split("; ")[-1])
            break
    return Article(
        id=document_id(raw.data),
        source=raw.source,
        text=body,
        title=" ".join(title.split()) if title else None,
        published=published,
        published_basis=basis,
        published_reason="; ".join([reason] + reasons) if reason else None,
        language=detect_language(body),
        url=url,
        outlet=outlet,
        byline=byline,
    )
