"""Calendar arithmetic for time expressions: the publication-date anchor and TIMEX3 values.

Everything here is pure and works on plain ints; values follow TimeML/TIMEX3 conventions
("2019", "2019-03", "2019-03-14", "2019-W10", "2019-Q1", "2014-FA", "199", "P3Y").
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

_PUB_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

SEASON_OF_MONTH = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP",
                   6: "SU", 7: "SU", 8: "SU", 9: "FA", 10: "FA", 11: "FA"}
SEASON_ORDER = ["SP", "SU", "FA", "WI"]
PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
               "tonight": "NI", "overnight": "NI"}


@dataclass(frozen=True)
class Anchor:
    """The publication date as far as it is known (month and day may be missing)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str | None:
        if self.year is None:
            return None
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def date(self) -> _dt.date | None:
        if self.year and self.month and self.day:
            return _dt.date(self.year, self.month, self.day)
        return None


def parse_published(published: str | None) -> Anchor:
    """Anchor from an ISO date string, possibly truncated ("2019", "2019-03") or with a time."""
    if not published:
        return Anchor()
    m = _PUB_RE.match(published)
    if not m:
        return Anchor()
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return Anchor(year)
    if day is not None:
        try:
            _dt.date(year, month, day)
        except ValueError:
            return Anchor(year, month)
    return Anchor(year, month, day)


def iso_day(d: _dt.date) -> str:
    return d.isoformat()


def iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def iso_week(d: _dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def valid_day(year: int, month: int, day: int) -> bool:
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def shift_days(d: _dt.date, n: int) -> _dt.date:
    return d + _dt.timedelta(days=n)


def weekday_relative(d: _dt.date, weekday: int, direction: str) -> _dt.date:
    """The given weekday (0=Monday) relative to `d`.

    direction: "past" = latest on or before d; "future" = earliest on or after d;
    "last" = strictly before; "next" = strictly after.
    """
    delta = (d.weekday() - weekday) % 7
    if direction == "past":
        return d - _dt.timedelta(days=delta)
    if direction == "last":
        return d - _dt.timedelta(days=delta or 7)
    ahead = (weekday - d.weekday()) % 7
    if direction == "next":
        return d + _dt.timedelta(days=ahead or 7)
    return d + _dt.timedelta(days=ahead)


def month_relative(anchor: Anchor, month: int, direction: str) -> tuple[int, int]:
    """Year of a named month without a year: "past" latest not after the anchor month,
    "future" earliest not before it, "last"/"next" strictly before/after."""
    y, m = anchor.year, anchor.month
    if direction == "past":
        return (y if month <= m else y - 1), month
    if direction == "last":
        return (y if month < m else y - 1), month
    if direction == "future":
        return (y if month >= m else y + 1), month
    return (y if month > m else y + 1), month


def day_without_year(anchor: Anchor, month: int, day: int, direction: str) -> str | None:
    """A month-day without year: the occurrence on the side of publication the text points to."""
    y = anchor.year
    pub = anchor.date
    if pub is None:  # only year (and maybe month) known
        if anchor.month is None:
            return None
        y, _ = month_relative(anchor, month, "future" if direction == "future" else "past")
        return f"{y:04d}-{month:02d}-{day:02d}" if valid_day(y, month, day) else None
    candidates = []
    for yy in (y - 1, y, y + 1):
        if valid_day(yy, month, day):
            candidates.append(_dt.date(yy, month, day))
    if not candidates:
        return None
    if direction == "future":
        after = [c for c in candidates if c >= pub]
        best = min(after) if after else max(candidates)
    else:
        before = [c for c in candidates if c <= pub]
        best = max(before) if before else min(candidates)
        # a date a few weeks ahead in the same year is more likely meant than one 11 months back
        ahead = [c for c in candidates if pub < c <= pub + _dt.timedelta(days=45)]
        if ahead and (pub - best).days > 300:
            best = ahead[0]
    return best.isoformat()


def season_relative(anchor: Anchor, season: str, direction: str) -> str | None:
    """A season without a year, relative to the anchor month."""
    if anchor.year is None or anchor.month is None:
        return None
    m = anchor.month
    cur = SEASON_OF_MONTH[m]
    cur_year = anchor.year - 1 if m in (1, 2) else anchor.year  # winter belongs to its December
    ci, si = SEASON_ORDER.index(cur), SEASON_ORDER.index(season)
    # seasons as a running index: year * 4 + position (SP=0 .. WI=3)
    cur_k = cur_year * 4 + ci
    same_year_k = cur_year * 4 + si
    if direction in ("past", "last"):
        k = same_year_k if (same_year_k < cur_k or (direction == "past" and same_year_k == cur_k)) \
            else same_year_k - 4
    elif direction == "this":
        # the season now under way, else the one of the anchor's own year: "this spring" in
        # February is the coming spring, "this summer" in November the one just gone
        k = cur_k if si == ci else anchor.year * 4 + si
    else:
        k = same_year_k if (same_year_k > cur_k or (direction == "future" and same_year_k == cur_k)) \
            else same_year_k + 4
    return f"{k // 4:04d}-{SEASON_ORDER[k % 4]}"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration: n=None gives the unspecified 'X' ("PXY")."""
    unit = unit.lower().rstrip("s")
    if unit in ("centurie", "century"):
        unit = "century"
    mult, code, timepart = {
        "second": (1, "S", True), "minute": (1, "M", True), "hour": (1, "H", True),
        "day": (1, "D", False), "night": (1, "D", False), "week": (1, "W", False),
        "fortnight": (2, "W", False), "month": (1, "M", False), "quarter": (1, "Q", False),
        "year": (1, "Y", False), "decade": (10, "Y", False), "century": (100, "Y", False),
    }[unit]
    if n is None:
        amount = "X"
    else:
        v = n * mult
        amount = str(int(v)) if float(v).is_integer() else f"{v:g}"
    return ("PT" if timepart else "P") + amount + code
