"""Absolute dates as publishers write them, truncated to what the text supports.

Nothing here reads the clock: a relative phrase ("2 hours ago", "yesterday") yields no date,
because its value would depend on when the page was saved, not when it was published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    # Russian, nominative and genitive ("14 марта 2019")
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7,
    "июля": 7, "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10,
    "октября": 10, "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
}
WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs"
    "|fri|sat|sun|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
)
_MONTH = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR4 = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Ordered: the most explicit forms first, so "2019-03-14" is not read as "March 2019".
_PATTERNS = [
    ("iso", re.compile(r"(?<!\d)" + _YEAR4 + r"-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
                        r"(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\d:])")),
    ("ymd", re.compile(r"(?<!\d)" + _YEAR4 + r"[/.](?P<m>[01]?\d)[/.](?P<d>[0-3]?\d)(?!\d)")),
    ("dmy_num", re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)[./](?P<b>[01]?\d)[./]" + _YEAR4 + r"(?!\d)")),
    ("d_month_y", re.compile(
        r"(?<!\w)" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d|'?\d\d)(?![\d:])",
        re.I)),
    ("month_d_y", re.compile(
        r"(?<!\w)" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR4 + r"(?!\d)", re.I)),
    ("month_y", re.compile(r"(?<!\w)" + _MONTH + r",?\s+" + _YEAR4 + r"(?!\d)", re.I)),
    ("iso_month", re.compile(r"(?<![\d-])" + _YEAR4 + r"-(?P<m>[01]\d)(?![\d-])")),
]


@dataclass
class FoundDate:
    """An absolute date found in a string: ISO value (truncated) and where it was."""

    value: str
    start: int
    end: int
    note: str | None = None  # e.g. why the day was dropped


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None:
            return dt.date(year, month, day).isoformat()
        if month is not None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
    except ValueError:
        return None
    return f"{year:04d}"


def _two_digit_year(text: str) -> int:
    # Wire copy of the 1980s-90s writes "4 FEB 90"; the pivot keeps "19" for 50..99.
    yy = int(text.lstrip("'"))
    return 1900 + yy if yy >= 50 else 2000 + yy


def find_date(text: str) -> FoundDate | None:
    """The first absolute date in `text` (with a year), or None. Never guesses a missing year."""
    best: FoundDate | None = None
    invalid: list[tuple[int, int]] = []  # "31 February 2019" must not fall back to "February 2019"
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in invalid):
                continue
            found = _from_match(kind, m)
            if found is None:
                invalid.append(m.span())
                continue
            if best is None or found.start < best.start:
                best = found
            break
    return best


def _from_match(kind: str, m: re.Match) -> FoundDate | None:
    note = None
    if kind == "iso" or kind == "ymd":
        value = _iso(int(m["year"]), int(m["m"]), int(m["d"]))
    elif kind == "dmy_num":
        a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
        if a > 12:
            value = _iso(year, b, a)
        elif b > 12:
            value = _iso(year, a, b)  # US order, month first
        elif a == b:
            value = _iso(year, a, a)
        else:
            # 03.04.2019 is 3 April in most of the world and 4 March in the US: keep what is certain.
            value = _iso(year)
            note = "day and month order ambiguous: kept the year"
    elif kind == "d_month_y":
        y = m["y"]
        year = int(y) if len(y.lstrip("'")) == 4 else _two_digit_year(y)
        value = _iso(year, MONTHS[m["mon"].lower()], int(m["day"]))
    elif kind == "month_d_y":
        value = _iso(int(m["year"]), MONTHS[m["mon"].lower()], int(m["day"]))
    elif kind == "month_y":
        value = _iso(int(m["year"]), MONTHS[m["mon"].lower()])
    else:  # iso_month
        value = _iso(int(m["year"]), int(m["m"]))
    if value is None:
        return None
    return FoundDate(value, m.start(), m.end(), note)


_DATE_PREFIX = re.compile(
    r"^(?P<prefix>(?:first\s+)?published(?:\s+on)?|posted(?:\s+on)?|(?:last\s+)?updated(?:\s+on)?"
    r"|modified|date|dated|released|опубликовано|обновлено|дата)\s*[:\-–—]?\s*",
    re.I,
)
_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)",
    re.I,
)
_TZ = re.compile(r"\b(?:gmt|utc|bst|cet|cest|est|edt|pst|pdt|msk|eet|eest|et|pt|z)\b(?:\s*[+-]\d{1,4})?", re.I)
_FILLER = re.compile(r"\b(?:at|on|the|of|г|года|в)\b\.?|" + r"\b(?:" + WEEKDAYS + r")\b\.?", re.I)
_SEPARATORS = re.compile(r"[|•·,;:/()\[\]–—\-]+")


@dataclass
class DateLine:
    """A line that is mostly a date: its value, prefix kind and any text left over."""

    value: str
    kind: str  # published | updated | plain
    leftover: str  # words that are not part of the date (a site name in a masthead)
    note: str | None = None


def parse_date_line(line: str, max_leftover_words: int = 6) -> DateLine | None:
    """Read `line` as a date line ("Published 14 March 2019", "March 14, 2019 10:32 GMT").

    Returns None when the line is prose that merely mentions a date: more than
    `max_leftover_words` words remain once the date, time, weekday and prefix are removed.
    """
    text = line.strip()
    kind = "plain"
    m = _DATE_PREFIX.match(text)
    if m:
        word = m["prefix"].lower()
        kind = "updated" if ("updated" in word or "modified" in word or "обновлено" in word) else "published"
        text = text[m.end():]
    found = find_date(text)
    if not found:
        return None
    rest = text[: found.start] + " " + text[found.end:]
    rest = _TIME.sub(" ", rest)
    rest = _TZ.sub(" ", rest)
    rest = _FILLER.sub(" ", rest)
    rest = _SEPARATORS.sub(" ", rest)
    leftover = " ".join(rest.split())
    if len(leftover.split()) > max_leftover_words:
        return None
    return DateLine(found.value, kind, leftover, found.note)


def normalise_date(value: object) -> str | None:
    """An ISO date (truncated) from a container's metadata value, or None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    m = re.match(r"^((?:19|20)\d\d)(?:-([01]\d)(?:-([0-3]\d))?)?(?:$|[T\s])", text)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        return _iso(int(year), int(month) if month else None, int(day) if day else None)
    m = re.match(r"^((?:19|20)\d\d)([01]\d)([0-3]\d)$", text)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    found = find_date(text)
    return found.value if found else None


_URL_PATTERNS = [
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?:/|$|[-_])"),
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?![\d])"),
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/"),
]


def url_date(url: str | None) -> tuple[str, str] | None:
    """(ISO date, matched URL part) from a date in a URL path, or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    path = path.split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_PATTERNS:
        for m in pattern.finditer(path):
            d = m.groupdict().get("d")
            value = _iso(int(m["y"]), int(m["m"]), int(d) if d else None)
            if value:
                return value, m.group(0)
    return None


def years_mentioned(text: str) -> list[int]:
    """Four-digit years (1900-2099) written in `text`."""
    return [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]


def human_date(value: str) -> str:
    """'2026-11-23' -> '23 Nov 2026', for reasons a user reads."""
    parts = value.split("-")
    if len(parts) == 3:
        day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        return f"{day.day} {day:%b %Y}"
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%b %Y")
    return value
