"""Time expressions in English news text, normalised against the publication date.

`extract_timexes(text, published)` finds dates, times, durations and sets with regular
patterns (`timex_patterns`), turns each match into a `Timex` (`timex_dates`,
`timex_durations`) with a TIMEX3 value (`timex_normalise`). It is pure and
deterministic: relative expressions ("last month", "on Tuesday") are resolved only against
`published`; without it they keep value None, never a guess from the clock.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from newsgraph.model import Timex

from . import timex_dates as D
from . import timex_durations as T
from . import timex_patterns as P
from .timex_context import Ctx
from .timex_normalise import parse_published

__all__ = ["extract_timexes"]


_SIGNAL_BEFORE = re.compile(r"\b(?i:(since|before|after))\s+$")

# (trigger, words to look back, full pattern, handler). On overlap the longer span wins, then
# the earlier rule here.
_RULES: list[tuple[str, int, re.Pattern, Callable]] = [
    ("iso", 0, P.ISO_DATE, D.iso_date), ("clock", 0, P.CLOCK, T.clock),
    ("ampm", 1, P.CLOCK_AMPM, T.clock), ("tz", 1, P.CLOCK_MILITARY, T.clock),
    ("month", 3, P.MONTH_DAY, D.month_day), ("month", 4, P.DAY_MONTH, D.month_day),
    ("slash", 0, P.SLASH_DATE, D.slash_date), ("month", 4, P.MONTH_YEAR, D.month_year),
    ("quarter", 3, P.QUARTER, D.quarter), ("qcode", 0, P.QUARTER_CODE, D.quarter_code),
    ("season", 3, P.SEASON, D.season), ("decade", 3, P.DECADE, D.decade),
    ("century", 4, P.CENTURY, D.century), ("ago", 5, P.AGO, D.ago),
    ("relunit", 7, P.REL_UNIT, D.rel_unit), ("deictic", 1, P.DEICTIC, D.deictic),
    ("weekday", 1, P.WEEKDAY, D.weekday), ("month", 5, P.MONTH_ALONE, D.month_alone),
    ("year", 4, P.YEAR, D.year), ("set", 0, P.SET, T.set), ("unit", 6, P.DURATION, T.duration),
    ("bare", 2, P.BARE_UNITS, T.bare_units), ("generic", 3, P.GENERIC, D.generic),
    ("noon", 1, P.CLOCK_WORD, T.clock_word),
]


_TOKEN = re.compile(r"[\w']+")


def _matches(text: str, lower: str, trigger: str, words: int, full: re.Pattern,
             hits: dict) -> list[re.Match]:
    """Matches of `full` covering a trigger hit. `full` is tried, anchored, at the start of the
    token holding the hit and of up to `words` tokens before it, furthest first, so the longest
    reading wins."""
    if trigger not in hits:
        hits[trigger] = [m.start() for m in P.TRIGGERS[trigger].finditer(lower)]
    if "" not in hits:  # token starts, computed once per text
        hits[""] = [m.start() for m in _TOKEN.finditer(text)]
    tokens = hits[""]
    out, seen_end = [], -1
    for pos in hits[trigger]:
        if pos < seen_end:
            continue
        i = bisect_right(tokens, pos) - 1
        for start in tokens[max(0, i - words):i + 1] if i >= 0 else (pos,):
            if start < pos - 60:
                continue
            m = full.match(text, start)
            if m and m.end() > pos and m.end() > m.start():
                out.append(m)
                seen_end = m.end()
                break
    return out


def extract_timexes(text: str, published: str | None) -> list[Timex]:
    """Time expressions in `text`, in order, values normalised against `published`.

    `published` is an ISO date, possibly truncated ("2019", "2019-03") or None. Spans are
    character offsets into `text` and never overlap.
    """
    ctx = Ctx(text, parse_published(published))
    found: list[tuple[int, int, int, list[Timex]]] = []
    hits: dict[str, list[int]] = {}
    lower = text.lower()
    if len(lower) != len(text):  # a few non-ASCII letters change length when lower-cased
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for rank, (trigger, words, pattern, handler) in enumerate(_RULES):
        for m in _matches(text, lower, trigger, words, pattern, hits):
            res = handler(m, ctx)
            if not res:
                continue
            items = res if isinstance(res, list) else [res]
            found.append((items[0].start, items[-1].end, rank, items))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int]] = []
    out: list[Timex] = []
    for start, end, _, items in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        out.extend(items)
    out.sort(key=lambda t: t.start)
    T.clock_days(text, out)
    for t in out:
        if t.type == "DATE" and t.modifier is None:
            sig = _SIGNAL_BEFORE.search(text, max(0, t.start - 8), t.start)
            if sig:
                t.modifier = sig.group(1).upper()
    return out
