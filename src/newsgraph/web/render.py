"""Rendering an article's text with its extractions highlighted, escaped for HTML, and the
small formatting filters the templates use (dates at their precision, numbers)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI)$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


def human_date(value: str | None) -> str:
    """A date value shown at the precision the source gave: "2013", "March 2019", "28 August 2017".

    Values in other shapes (decades, weeks, ranges) are shown as they are stored rather than
    guessed at; a missing value reads "date unknown".
    """
    if not value:
        return "date unknown"
    m = _DATE.match(value)
    if m:
        year, month, day = m.groups()
        if month and 1 <= int(month) <= 12:
            name = MONTHS[int(month) - 1]
            return f"{int(day)} {name} {year}" if day else f"{name} {year}"
        return year
    m = _SEASON.match(value)
    if m:
        return f"{SEASONS[m.group(2)]} {m.group(1)}"
    m = _QUARTER.match(value)
    if m:
        return f"Q{m.group(2)} {m.group(1)}"
    m = _WEEK.match(value)
    if m:
        return f"week {int(m.group(2))} of {m.group(1)}"
    return value


def number(value) -> str:
    """A figure without a spurious ".0": 1521.0 reads 1,521; 2.5 stays 2.5."""
    if value is None:
        return "not stated"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


# Inline marks, by priority when two overlap: the event trigger and the figure say more than
# the entity or date inside them.
_PRIORITY = {"trigger": 0, "claim": 1, "ent": 2, "timex": 3}


def _inline_spans(doc: dict) -> list[tuple[int, int, str, str | None, str]]:
    spans = []
    for ev in doc.get("events", []):
        t = ev["trigger"]
        spans.append((t["start"], t["end"], "trigger", None, f"event {ev['type']}" + (f", {ev['date']['value']}" if ev.get("date") and ev["date"]["value"] else "")))
    for c in doc.get("claims", []):
        s = c.get("span") or {}
        if s.get("start") is not None:
            spans.append((s["start"], s["end"], "claim", None, f"figure: {c['what'] or 'what is counted not stated'}"))
    for m in doc.get("mentions", []):
        spans.append((m["start"], m["end"], "ent ent-" + m["label"].lower(), f"/entities/{m['entity']}", m["label"]))
    for t in doc.get("timexes", []):
        spans.append((t["start"], t["end"], "timex", None, f"{t['type']} {t['value'] or 'unresolved'}"))
    # Longest and highest-priority first among spans that start together; later overlaps drop.
    spans.sort(key=lambda s: (s[0], _PRIORITY[s[2].split()[0]], -s[1]))
    kept, pos = [], 0
    for s in spans:
        if s[0] >= pos and s[1] > s[0]:
            kept.append(s)
            pos = s[1]
    return kept


def _mark(text: str, span) -> Markup:
    start, end, cls, href, title = span
    inner = escape(text[start:end])
    if href:
        return Markup('<a class="{}" href="{}" title="{}">{}</a>').format(cls, href, title, inner)
    return Markup('<mark class="{}" title="{}">{}</mark>').format(cls, title, inner)


def highlight(doc: dict) -> Markup:
    """The document's text as escaped HTML: each sentence a `<span id="s{start}">` anchor (so
    `/documents/{id}#s{start}` lands on it and CSS `:target` highlights it), with entities,
    event triggers, figures and dates marked inside. Line breaks are kept by CSS
    (`white-space: pre-wrap`), so no markup is invented around paragraphs."""
    text = doc["text"]
    sentences = sorted(doc.get("sentences", []), key=lambda s: s["start"])
    spans = _inline_spans(doc)
    out: list[Markup] = []
    pos = 0

    def emit_plain(upto: int) -> None:
        """Text and inline marks from `pos` up to `upto`, marks clipped at the boundary."""
        nonlocal pos
        while spans and spans[0][0] < upto:
            s = spans.pop(0)
            if s[0] < pos:
                continue
            if s[1] > upto:  # a mark crossing a sentence boundary is not drawn (never happens for clean sentences)
                continue
            out.append(escape(text[pos : s[0]]))
            out.append(_mark(text, s))
            pos = s[1]
        if upto > pos:
            out.append(escape(text[pos:upto]))
            pos = upto

    for sent in sentences:
        start, end = max(sent["start"], pos), min(sent["end"], len(text))
        if end <= start:
            continue
        emit_plain(start)
        out.append(Markup('<span class="sent" id="s{}">').format(sent["start"]))
        emit_plain(end)
        out.append(Markup("</span>"))
    emit_plain(len(text))
    return Markup("").join(out)
