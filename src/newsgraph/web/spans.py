"""Date values as spans of time, for drawing: a date is as wide as the source made it.

"2019" covers the whole year, "2019-03" the month, "2019-03-05" the day; weeks, seasons,
quarters, halves, decades and centuries (the other shapes the date stage writes) cover
theirs. Nothing is narrowed: a year is never drawn as its first day.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
# Meteorological seasons of the northern hemisphere, as TimeML's SP/SU/FA/WI are usually read:
# (first month, label); winter runs December to February of the next year.
SEASONS = {"SP": (3, "spring"), "SU": (6, "summer"), "FA": (9, "autumn"), "AU": (9, "autumn"), "WI": (12, "winter")}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI)$")
_PART = re.compile(r"^(\d{4})-([QH])([1-4])$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")


def _add_months(d: dt.date, n: int) -> dt.date:
    k = d.year * 12 + d.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def date_span(value: str | None) -> dict | None:
    """`{"value", "start", "end", "precision", "label"}` for a stored date value: `start` is the
    first day, `end` the day after the last (ISO dates), `label` the value in words at its
    precision. None for a missing value, a duration ("P3Y") or a shape not listed above."""
    if not value:
        return None
    try:
        return _span(value)
    except ValueError:  # "2019-02-30", "2019-13": not a real date, so nothing to draw
        return None


def _span(value: str) -> dict | None:
    if m := _DAY.match(value):
        start = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return _out(value, start, start + dt.timedelta(days=1), "day", f"{start.day} {MONTHS[start.month - 1]} {start.year}")
    if m := _MONTH.match(value):
        start = dt.date(int(m[1]), int(m[2]), 1)
        return _out(value, start, _add_months(start, 1), "month", f"{MONTHS[start.month - 1]} {start.year}")
    if m := _YEAR.match(value):
        y = int(m[1])
        return _out(value, dt.date(y, 1, 1), dt.date(y + 1, 1, 1), "year", str(y))
    if m := _WEEK.match(value):
        start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return _out(value, start, start + dt.timedelta(days=7), "week", f"week {int(m[2])} of {m[1]}")
    if m := _SEASON.match(value):
        month, name = SEASONS[m[2]]
        start = dt.date(int(m[1]), month, 1)
        return _out(value, start, _add_months(start, 3), "season", f"{name} {m[1]}")
    if m := _PART.match(value):
        n, months = int(m[3]), 3 if m[2] == "Q" else 6
        if m[2] == "H" and n > 2:
            return None
        start = dt.date(int(m[1]), (n - 1) * months + 1, 1)
        label = f"Q{n} {m[1]}" if m[2] == "Q" else f"{'first' if n == 1 else 'second'} half of {m[1]}"
        return _out(value, start, _add_months(start, months), "quarter" if m[2] == "Q" else "half", label)
    if m := _DECADE.match(value):
        y = int(m[1]) * 10
        return _out(value, dt.date(y, 1, 1), dt.date(y + 10, 1, 1), "decade", f"the {y}s")
    if m := _CENTURY.match(value):
        y = int(m[1]) * 100
        if y == 0:
            return None  # year 0 does not exist in the calendar Python keeps
        return _out(value, dt.date(y, 1, 1), dt.date(y + 100, 1, 1), "century", f"the {_ordinal(int(m[1]) + 1)} century")
    return None


def _out(value: str, start: dt.date, end: dt.date, precision: str, label: str) -> dict:
    return {"value": value, "start": start.isoformat(), "end": end.isoformat(), "precision": precision, "label": label}
