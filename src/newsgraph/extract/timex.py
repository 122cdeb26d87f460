"""Time expressions in English news text, normalised against the publication date.

`extract_timexes(text, published)` finds dates, times, durations and sets with regular
patterns (`timex_patterns`) and gives each a TIMEX3 value (`timex_normalise`). It is pure and
deterministic: relative expressions ("last month", "on Tuesday") are resolved only against
`published`; without it they keep value None, never a guess from the clock.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable

from newsgraph.model import Timex

from . import timex_patterns as P
from .timex_normalise import (
    PART_OF_DAY,
    Anchor,
    add_months,
    day_without_year,
    duration_value,
    iso_month,
    iso_week,
    month_relative,
    parse_published,
    quarter_of,
    season_relative,
    shift_days,
    valid_day,
    weekday_relative,
)

__all__ = ["extract_timexes"]

ABSOLUTE = "absolute date in text"
NO_PUB = "no publication date: relative expression left unresolved"
MODS = {"early": "START", "earlier": None, "late": "END", "later": None, "mid": "MID",
        "end": "END", "beginning": "START", "start": "START", "middle": "MID", "rest": None}


class _Ctx:
    """What every handler needs: the text and the publication anchor."""

    __slots__ = ("text", "anchor", "pub")

    def __init__(self, text: str, anchor: Anchor):
        self.text = text
        self.anchor = anchor
        self.pub = anchor.iso

    def unresolved(self, need: str) -> str:
        """Reason for a relative expression the anchor cannot resolve."""
        if self.pub is None:
            return NO_PUB
        return f"publication date {self.pub} lacks the {need}: relative expression left unresolved"

    def rel(self, what: str = "") -> str:
        return f"relative to publication date {self.pub}" + (f" ({what})" if what else "")

    def future(self, start: int, end: int) -> bool:
        """Does the clause around the span point to the future ("will", "expected to", "by June")?"""
        text = self.text
        prev = text[max(0, start - 12):start].split()
        deadline = bool(prev) and prev[-1].lower() in P.FUTURE_PREP
        lo = max(0, start - 90)
        ends = [m.end() for m in P.SENTENCE_END.finditer(text, lo, start)]
        if ends:
            lo = ends[-1]
        hi = min(len(text), end + 40)
        m = P.SENTENCE_END.search(text, end, hi)
        if m:
            hi = m.start()
        if deadline:  # "by June", "until October": a deadline ahead unless the verb is past
            return not P.PAST_AUX.search(text, max(lo, start - 40), start)
        if not P.FUTURE_CUE.search(text, lo, hi):
            return False
        # "admitted Thursday night that the loss could swell": a past verb right before wins,
        # but not a passive one ("is due to be published in May")
        words = [w.strip(",;:\"'()") for w in text[max(lo, start - 40):start].lower().split()]
        if words and words[-1] in ("on", "in", "at", "during", "late", "early"):
            words.pop()
        if not words or not P.PAST_CUE.fullmatch(words[-1]):
            return True
        return len(words) > 1 and words[-2] in ("be", "been", "being", "to", "will")


def _tx(ctx: _Ctx, start: int, end: int, type_: str, value: str | None, precision: str | None,
        reason: str, modifier: str | None = None) -> Timex:
    return Timex(start=start, end=end, text=ctx.text[start:end], type=type_, value=value,
                 precision=precision, reason=reason, modifier=modifier)


def _mod(word: str | None) -> str | None:
    return MODS.get(word.lower()) if word else None


def _num(word: str) -> float | None:
    """Number from digits or words; None for vague amounts ("several", "a few")."""
    w = word.lower().replace("-", " ")
    half = w.endswith(" and a half")
    if half:
        w = w[: -len(" and a half")]
    if w[:1].isdigit():
        n = float(w)
    elif w in P.NUMBER_WORDS:
        n = P.NUMBER_WORDS[w]
    else:
        parts = w.split()
        if len(parts) == 2 and parts[0] in P.NUMBER_WORDS and parts[1] in P.NUMBER_WORDS:
            n = P.NUMBER_WORDS[parts[0]] + P.NUMBER_WORDS[parts[1]]
        else:
            return None
    return n + 0.5 if half else n


def _month(word: str) -> int:
    return P.MONTHS[word.rstrip(".").lower()]


def _year2(y: str, ref: int | None) -> int:
    """Expand a two-digit year: the century that puts it nearest the reference year."""
    n = int(y.lstrip("'"))
    ref = ref or 2000
    best = min((c + n for c in (1900, 2000, 2100)), key=lambda v: abs(v - ref))
    return best


# Absolute dates -----------------------------------------------------------------------------

def _iso_date(m: re.Match, ctx: _Ctx):
    y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
    if not valid_day(y, mo, d):
        return None
    if m["h"]:
        return _tx(ctx, m.start(), m.end(), "TIME", f"{m['y']}-{m['mo']}-{m['d']}T{m['h']}:{m['mi']}",
                   "time", ABSOLUTE)
    return _tx(ctx, m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}-{d:02d}", "day", ABSOLUTE)


def _slash_date(m: re.Match, ctx: _Ctx):
    a, b = int(m["a"]), int(m["b"])
    y = int(m["y"]) if len(m["y"]) == 4 else _year2(m["y"], ctx.anchor.year)
    mo, d = (b, a) if a > 12 else (a, b)  # US order unless the first part cannot be a month
    if not valid_day(y, mo, d):
        return None
    return _tx(ctx, m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}-{d:02d}", "day", ABSOLUTE)


def _month_day(m: re.Match, ctx: _Ctx):
    mo, d = _month(m["mon"]), int(m["d"])
    if not 1 <= d <= 31:
        return None
    start, end = m.start(), m.end()
    if m["y"]:
        y = int(m["y"])
        if not valid_day(y, mo, d):
            return None
        return _tx(ctx, start, end, "DATE", f"{y:04d}-{mo:02d}-{d:02d}", "day", ABSOLUTE)
    if m["mon"] == "May" and not m["wd"] and d > 31:
        return None
    if ctx.anchor.year is None:
        return _tx(ctx, start, end, "DATE", None, "day", NO_PUB)
    direction = "future" if ctx.future(start, end) else "past"
    value = day_without_year(ctx.anchor, mo, d, direction)
    if value is None:
        return _tx(ctx, start, end, "DATE", None, "day", ctx.unresolved("month"))
    return _tx(ctx, start, end, "DATE", value, "day",
               f"year from publication date {ctx.pub}" + (" (future tense)" if direction == "future" else ""))


def _month_year(m: re.Match, ctx: _Ctx):
    return _tx(ctx, m.start(), m.end(), "DATE", iso_month(int(m["y"]), _month(m["mon"])), "month",
               ABSOLUTE, _mod(m["pos"]))


def _month_alone(m: re.Match, ctx: _Ctx):
    mon = m["mon"]
    rel = (m["rel"] or m["rel2"] or "").lower()
    pos = m["pos"] or m["mid"]
    if m["ofrel"] and ctx.anchor.year is not None:
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m["ofrel"]]
        return _tx(ctx, m.start("core"), m.end(), "DATE", iso_month(y, _month(mon)), "month",
                   ctx.rel(), _mod(pos))
    if not (rel or pos or m["prep"]):
        nxt = ctx.text[m.end():m.end() + 2]
        if mon == "May" or (nxt[:1] == " " and nxt[1:2].isupper()):  # "May", "June Carter"
            return None
        if m.start() == 0 or ctx.text[m.start() - 1] in "\n":
            return None
    elif mon == "May" and not (rel or pos) and m["prep"] in ("and", "or", "to", "of"):
        return None
    start, end = m.start("core"), m.end()
    mod = _mod(pos)
    a = ctx.anchor
    if a.month is None:
        return _tx(ctx, start, end, "DATE", None, "month", ctx.unresolved("month"), mod)
    if rel in ("last", "next"):
        direction = rel
    elif rel == "this":
        return _tx(ctx, start, end, "DATE", iso_month(a.year, _month(mon)), "month", ctx.rel(), mod)
    else:
        direction = "future" if ctx.future(start, end) else "past"
    y, mo = month_relative(a, _month(mon), direction)
    return _tx(ctx, start, end, "DATE", iso_month(y, mo), "month",
               ctx.rel("next one" if direction in ("future", "next") else "latest one"), mod)


def _weekday(m: re.Match, ctx: _Ctx):
    pre = m["pre"]
    if pre in P.NOT_WEEKDAY_BEFORE:
        return None
    rel = pre.lower() if pre and pre.lower() in ("last", "next", "this", "coming", "early", "late") else None
    start = m.start() if rel else m.start("wd")
    end = m.end()
    pod = m["pod"]
    type_ = "TIME" if pod else "DATE"
    precision = "time" if pod else "day"
    mod = _mod(rel) if rel in ("early", "late") else None
    d = ctx.anchor.date
    if d is None:
        return _tx(ctx, start, end, type_, None, precision, ctx.unresolved("day"), mod)
    if rel == "last":
        direction = "last"
    elif rel in ("next", "coming"):
        direction = "next"
    else:
        direction = "future" if ctx.future(start, end) else "past"
    day = weekday_relative(d, P.WEEKDAYS[m["wd"].lower()], direction)
    value = day.isoformat() + (f"T{PART_OF_DAY[pod]}" if pod else "")
    return _tx(ctx, start, end, type_, value, precision,
               ctx.rel({"past": "latest such day", "future": "next such day",
                        "last": "previous week's", "next": "the coming one"}[direction]), mod)


def _year(m: re.Match, ctx: _Ctx):
    text = ctx.text
    ys = m.start("y")
    if P.NOT_YEAR_BEFORE.search(text, max(0, ys - 16), ys):
        return None
    after = P.COUNT_NOUN.match(text, m.end())
    if after and after.group(0).strip() not in P.COUNT_NOUN_OK:
        prev = text[max(0, ys - 12):ys].split()
        if not (prev and prev[-1].lower() in P.YEAR_DETERMINERS):
            return None  # "2000 soldiers"; but "the 2012 elections"
    y = int(m["y"])
    if y < 1800 and not re.search(r"\b(?:in|since|of|from|until|by|before|after|the)\s+$",
                                  text[max(0, ys - 8):ys]):
        return None
    pos = m["pos"] or m["mid"]
    start = m.start() if pos else ys
    out = [_tx(ctx, start, m.end("y"), "DATE", f"{y:04d}", "year", ABSOLUTE, _mod(pos))]
    if m["y2"]:
        tail = m["y2"]
        digits = tail.lstrip(" -–—/").strip()
        y2 = int(digits) if len(digits) == 4 else (y // 100) * 100 + int(digits)
        if y2 <= y:
            return None if len(digits) == 2 else out
        off = m.end("y2") - len(digits)
        out.append(_tx(ctx, off, m.end("y2"), "DATE", f"{y2:04d}", "year", ABSOLUTE))
    return out


def _decade(m: re.Match, ctx: _Ctx):
    if m["c"]:
        value = m["c"] + m["d"]
    else:
        d = m["d2"] or m["d3"]
        ref = ctx.anchor.year or 2000
        century = 19 if int(d) * 10 > ref % 100 + 5 else ref // 100
        value = f"{century}{d}"
    return _tx(ctx, m.start(), m.end(), "DATE", value, "decade", ABSOLUTE, _mod(m["pos"]))


def _century(m: re.Match, ctx: _Ctx):
    n = int(m["n"]) if m["n"] else P.CENTURY_WORDS[m["w"]]
    if not 1 <= n <= 22:
        return None
    return _tx(ctx, m.start(), m.end(), "DATE", f"{n - 1:02d}", "century", ABSOLUTE, _mod(m["pos"]))


def _season(m: re.Match, ctx: _Ctx):
    s = m["s"]
    rel = (m["rel"] or "").lower()
    code = P.SEASONS[s.lower()]
    start = m.start("core")
    if s[0].isupper() and start > 1 and not rel:
        prev = ctx.text[max(0, start - 20):start].split()
        if prev and prev[-1][:1].isupper() and prev[-1] not in ("In", "This", "Last", "Next", "By", "Since"):
            return None  # "Arab Spring"
    if not (rel or m["prep"] or m["y"] or m["rel2"]):
        return None
    if s.lower() == "fall" and not (m["y"] or m["rel2"] or rel in ("last", "next", "this", "the", "early", "late")):
        return None
    mod = _mod(rel) if rel in ("early", "late", "mid") else None
    end = m.end()
    if m["y"]:
        return _tx(ctx, start, end, "DATE", f"{m['y']}-{code}", "season", ABSOLUTE, mod)
    a = ctx.anchor
    if a.year is None or (a.month is None and not m["rel2"]):
        return _tx(ctx, start, end, "DATE", None, "season", ctx.unresolved("month"), mod)
    if m["rel2"]:
        y = a.year + {"this": 0, "last": -1, "next": 1}[m["rel2"]]
        return _tx(ctx, start, end, "DATE", f"{y:04d}-{code}", "season", ctx.rel(), mod)
    if rel in ("last", "next", "this"):
        direction = rel
    else:
        direction = "future" if ctx.future(start, end) else "past"
    return _tx(ctx, start, end, "DATE", season_relative(a, code, direction), "season", ctx.rel(), mod)


def _quarter(m: re.Match, ctx: _Ctx):
    unit = m["unit"]
    ordw = m["ord"].lower()
    n = P.ORDINALS[ordw]
    code = "Q" if unit == "quarter" else "H"
    if code == "H":
        n = 2 if ordw in ("second", "2nd", "final", "last") else 1 if ordw in ("first", "1st") else 0
        if not n:
            return None
    start, end = m.start(), m.end()
    a = ctx.anchor
    if m["y"]:
        return _tx(ctx, start, end, "DATE", f"{m['y']}-{code}{n}", "quarter", ABSOLUTE)
    if a.year is None:
        return _tx(ctx, start, end, "DATE", None, "quarter", NO_PUB)
    rel = m["rel"]
    if rel in ("this", "the", "last", "next"):
        y = a.year + {"this": 0, "the": 0, "last": -1, "next": 1}[rel]
        return _tx(ctx, start, end, "DATE", f"{y:04d}-{code}{n}", "quarter", ctx.rel())
    if a.month is None:
        return _tx(ctx, start, end, "DATE", None, "quarter", ctx.unresolved("month"))
    cur = quarter_of(a.month) if code == "Q" else (1 if a.month <= 6 else 2)
    if code == "Q" and ordw == "last":  # "the last quarter": the one before publication
        y, q = (a.year, cur - 1) if cur > 1 else (a.year - 1, 4)
        return _tx(ctx, start, end, "DATE", f"{y:04d}-Q{q}", "quarter", ctx.rel("previous quarter"))
    if ctx.future(start, end):
        y = a.year if n >= cur else a.year + 1
    else:
        y = a.year if n <= cur else a.year - 1
    return _tx(ctx, start, end, "DATE", f"{y:04d}-{code}{n}", "quarter", ctx.rel("latest such quarter"))


def _quarter_code(m: re.Match, ctx: _Ctx):
    q = m["q"]
    if m["y"]:
        y = int(m["y"]) if len(m["y"]) == 4 else _year2(m["y"], ctx.anchor.year)
        return _tx(ctx, m.start(), m.end(), "DATE", f"{y:04d}-{q}", "quarter", ABSOLUTE)
    a = ctx.anchor
    if a.year is None:
        return _tx(ctx, m.start(), m.end(), "DATE", None, "quarter", NO_PUB)
    return _tx(ctx, m.start(), m.end(), "DATE", f"{a.year:04d}-{q}", "quarter", ctx.rel("publication year"))


# Relative to publication ---------------------------------------------------------------------

_REL_SHIFT = {"this": 0, "current": 0, "the current": 0, "last": -1, "the last": -1, "past": -1,
              "previous": -1, "the previous": -1, "next": 1, "coming": 1, "the": 0}
_REL_DURATION = ("the past", "the next", "the coming", "the following")


def _rel_unit(m: re.Match, ctx: _Ctx):
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"]
    start, end = m.start(), m.end()
    mod = _mod(m["edge"]) or _mod(m["pos"])
    if rel in _REL_DURATION:
        if m["edge"] or m["pos"] or unit == "weekend":
            return None
        return _tx(ctx, start, end, "DURATION", duration_value(1, unit), None,
                   "duration: needs no anchor")
    if rel == "the" and unit == "weekend" and not m["edge"]:
        d = ctx.anchor.date
        if d is None:
            return _tx(ctx, start, end, "DATE", None, "week", ctx.unresolved("day"))
        direction = "future" if ctx.future(start, end) else "past"
        sat = weekday_relative(d, 5, direction)
        if direction == "past" and d.weekday() == 6:
            sat = shift_days(d, -1)
        return _tx(ctx, start, end, "DATE", iso_week(sat) + "-WE", "week", ctx.rel())
    if rel == "the" and not (m["edge"] or m["pos"]):
        return None  # "the year", "the week": anaphoric, not the publication's
    if rel == "the" and unit not in ("year", "month", "week"):
        return None
    shift = _REL_SHIFT[rel]
    a = ctx.anchor
    if unit in ("year", "decade", "century"):
        if a.year is None:
            return _tx(ctx, start, end, "DATE", None, unit, NO_PUB, mod)
        if unit == "year":
            value = f"{a.year + shift:04d}"
            if m["fiscal"] in ("fiscal", "financial"):
                value = "FY" + value
        elif unit == "decade":
            value = f"{a.year // 10 + shift:03d}"
        else:
            value = f"{a.year // 100 + shift:02d}"
        return _tx(ctx, start, end, "DATE", value, unit, ctx.rel(), mod)
    if unit in ("month", "quarter"):
        if a.month is None:
            return _tx(ctx, start, end, "DATE", None, unit, ctx.unresolved("month"), mod)
        if unit == "month":
            y, mo = add_months(a.year, a.month, shift)
            return _tx(ctx, start, end, "DATE", iso_month(y, mo), "month", ctx.rel(), mod)
        y, mo = add_months(a.year, a.month, 3 * shift)
        return _tx(ctx, start, end, "DATE", f"{y:04d}-Q{quarter_of(mo)}", "quarter", ctx.rel(), mod)
    d = a.date
    if d is None:
        return _tx(ctx, start, end, "DATE", None, "week", ctx.unresolved("day"), mod)
    value = iso_week(shift_days(d, 7 * shift)) + ("-WE" if unit == "weekend" else "")
    return _tx(ctx, start, end, "DATE", value, "week", ctx.rel(), mod)


_DAY_SHIFT = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "overnight": 0,
              "this": 0, "last": -1}


def _deictic(m: re.Match, ctx: _Ctx):
    word = (m["w"] or m["day"]).lower()
    pod = m["pod"] or ("night" if word in ("tonight", "overnight") else None)
    if word == "last" and pod != "night":
        return None
    type_ = "TIME" if pod else "DATE"
    d = ctx.anchor.date
    if d is None:
        return _tx(ctx, m.start(), m.end(), type_, None, "time" if pod else "day", ctx.unresolved("day"))
    value = shift_days(d, _DAY_SHIFT[word]).isoformat() + (f"T{PART_OF_DAY[pod]}" if pod else "")
    return _tx(ctx, m.start(), m.end(), type_, value, "time" if pod else "day", ctx.rel())


def _ago(m: re.Match, ctx: _Ctx):
    n = _num(m["num"])
    unit = m["unit"].lower()
    sign = -1 if m["dir"] == "ago" else 1
    start, end = m.start(), m.end()
    precision = {"second": "time", "minute": "time", "hour": "time", "night": "day"}.get(unit, unit)
    if precision == "fortnight":
        precision = "week"
    if n is None or n != int(n):
        return _tx(ctx, start, end, "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None,
                   "vague amount: TimeML generic reference")
    n = int(n) * sign
    a = ctx.anchor
    if unit in ("year", "decade", "century"):
        if a.year is None:
            return _tx(ctx, start, end, "DATE", None, "year", NO_PUB)
        k = {"year": 1, "decade": 10, "century": 100}[unit]
        return _tx(ctx, start, end, "DATE", f"{a.year + n * k:04d}", "year", ctx.rel())
    if unit == "month":
        if a.month is None:
            return _tx(ctx, start, end, "DATE", None, "month", ctx.unresolved("month"))
        return _tx(ctx, start, end, "DATE", iso_month(*add_months(a.year, a.month, n)), "month", ctx.rel())
    d = a.date
    if d is None:
        return _tx(ctx, start, end, "DATE", None, precision, ctx.unresolved("day"))
    if unit in ("week", "fortnight"):  # TimeML practice: the day, n weeks back
        days = 7 * n * (2 if unit == "fortnight" else 1)
        return _tx(ctx, start, end, "DATE", shift_days(d, days).isoformat(), "day", ctx.rel())
    if unit in ("day", "night"):
        return _tx(ctx, start, end, "DATE", shift_days(d, n).isoformat(), "day", ctx.rel())
    return _tx(ctx, start, end, "DATE", d.isoformat(), "day", ctx.rel("same day"))


_GENERIC = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
            "nowadays": "PRESENT_REF", "the present day": "PRESENT_REF", "recently": "PAST_REF",
            "lately": "PAST_REF", "the past": "PAST_REF", "the future": "FUTURE_REF",
            "the time being": "PRESENT_REF", "the long term": "FUTURE_REF",
            "the near term": "FUTURE_REF", "the short term": "FUTURE_REF"}


def _generic(m: re.Match, ctx: _Ctx):
    core = m["core"].lower()
    if core == "now" and ctx.text[m.end():m.end() + 1] == "-":
        return None
    return _tx(ctx, m.start("core"), m.end(), "DATE", _GENERIC[core], None,
               "TimeML generic reference (not a calendar date)")


# Durations, sets, times ---------------------------------------------------------------------

_MONEY_BEFORE = re.compile(
    r"(?:[$€£¥]\s?[\d.,]+(?:\s*(?:million|billion|bn|m|k))?|[\d.,]+\s*(?:million|billion|percent|per cent|%|"
    r"dollars|euros|pounds|cents|times)|once|twice|times)\s*$")


def _duration(m: re.Match, ctx: _Ctx):
    raw = m["num"]
    n = _num(raw)
    unit = m["unit"]
    start, end = m.start(), m.end()
    if m["poss"]:
        end -= 1
    det = (m["det"] or "").lower()
    if raw.lower() in ("a", "an") and not m["det"] and not m["approx"]:
        if _MONEY_BEFORE.search(ctx.text, max(0, start - 25), start):
            return _tx(ctx, start, end, "SET", duration_value(1, unit), None, "recurring: rate per unit")
        # "a day after", "a year earlier" name a date we cannot place; still a duration
    if raw.lower() in ("a", "an") and unit == "second":
        return None  # "a second time", "a second consecutive day"
    if raw[:1].isdigit() and "." not in raw and int(raw) > 200 and unit.startswith(("year", "day")):
        return None  # "2,000 years"? a count of things more likely mis-tokenised
    mod = None
    if m["approx"]:
        mod = {"about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
               "almost": "LESS_THAN", "nearly": "LESS_THAN", "under": "LESS_THAN",
               "less than": "LESS_THAN", "up to": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
               "more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE"}.get(
            m["approx"].lower())
    if det in ("the", "the first", "first") and n is None:
        return None
    return _tx(ctx, start, end, "DURATION", duration_value(n, unit), None,
               "duration: needs no anchor", mod)


def _bare_units(m: re.Match, ctx: _Ctx):
    return _tx(ctx, m.start("unit"), m.end("unit"), "DURATION", duration_value(None, m["unit"][:-1]),
               None, "duration: unspecified length")


_SET_ADV = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
            "hourly": "PT1H", "quarterly": "P3M", "annual": "P1Y", "nightly": "P1D"}
_SET_UNIT = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "quarter": "P3M",
             "hour": "PT1H", "minute": "PT1M", "decade": "P10Y", "weekend": "P1W",
             "morning": "XXXX-XX-XXTMO", "afternoon": "XXXX-XX-XXTAF", "evening": "XXXX-XX-XXTEV",
             "night": "XXXX-XX-XXTNI", "spring": "XXXX-SP", "summer": "XXXX-SU", "autumn": "XXXX-FA",
             "winter": "XXXX-WI"}


def _set(m: re.Match, ctx: _Ctx):
    if m["adv"]:
        value = _SET_ADV[m["adv"]]
    else:
        unit = m["unit"] or m["unit2"]
        if unit in P.WEEKDAYS or unit.lower() in P.WEEKDAYS:
            value = f"XXXX-WXX-{P.WEEKDAYS[unit.lower()] + 1}"
        else:
            value = _SET_UNIT[unit.lower()]
        if m["other"] and value.startswith("P1"):
            value = "P2" + value[2:]
    return _tx(ctx, m.start(), m.end(), "SET", value, None, "recurring set (TimeML SET)")


def _clock(m: re.Match, ctx: _Ctx):
    h = int(m["h"])
    gd = m.groupdict()
    mi = int(gd.get("mi") or gd.get("mi2") or 0)
    ampm = (gd.get("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm == "pm" else 0)
    elif h > 23:
        return None
    elif not gd.get("tz") and m.re is P.CLOCK and ctx.text[m.start() - 1:m.start()] in ("(", "/"):
        return None
    start, end = m.start(), m.end()
    hhmm = f"T{h:02d}:{mi:02d}" if (gd.get("mi") or gd.get("mi2") or m.re is P.CLOCK_MILITARY) else f"T{h:02d}"
    day = gd.get("day")
    d = ctx.anchor.date
    if d is None:
        return _tx(ctx, start, end, "TIME", None, "time", ctx.unresolved("day"))
    if day:
        dl = day.lower()
        if dl in P.WEEKDAYS:
            direction = "future" if ctx.future(start, end) else "past"
            d = weekday_relative(d, P.WEEKDAYS[dl], direction)
        else:
            d = shift_days(d, _DAY_SHIFT[dl])
    if (gd.get("tz") or "") in ("UTC", "Z"):
        hhmm += "Z"  # ISO 8601 marks UTC; other zones are kept as local clock time
    return _tx(ctx, start, end, "TIME", d.isoformat() + hhmm, "time", ctx.rel("clock time"))


def _clock_word(m: re.Match, ctx: _Ctx):
    w = m["w"]
    d = ctx.anchor.date
    start = m.start("w")
    if d is None:
        return _tx(ctx, start, m.end(), "TIME", None, "time", ctx.unresolved("day"))
    hhmm = "T24:00" if w == "midnight" else "T12:00"
    return _tx(ctx, start, m.end(), "TIME", d.isoformat() + hhmm, "time", ctx.rel("clock time"))


def _clock_days(text: str, found: list[Timex]) -> None:
    """A clock time with no day of its own takes the nearest full date in its sentence
    ("first flight Tuesday ... at 18:00 UTC")."""
    for i, t in enumerate(found):
        if t.type != "TIME" or not t.value or not t.reason.endswith("(clock time)"):
            continue
        best = None
        for j in (i - 1, i + 1):
            if 0 <= j < len(found):
                d = found[j]
                lo, hi = (d.end, t.start) if j < i else (t.end, d.start)
                if (d.type == "DATE" and d.precision == "day" and d.value and hi - lo <= 80
                        and not P.SENTENCE_END.search(text, lo, hi)):
                    if best is None or j < i:
                        best = d
        if best is not None:
            t.value = best.value + t.value[10:]
            t.reason = f"day from '{best.text}' in the same sentence ({best.reason})"


_SIGNAL_BEFORE = re.compile(r"\b(?i:(since|before|after))\s+$")


# Orchestration -------------------------------------------------------------------------------

# (trigger, words to look back, full pattern, handler). On overlap the longer span wins, then
# the earlier rule here.
_RULES: list[tuple[str, int, re.Pattern, Callable]] = [
    ("iso", 0, P.ISO_DATE, _iso_date), ("clock", 0, P.CLOCK, _clock),
    ("ampm", 1, P.CLOCK_AMPM, _clock), ("tz", 1, P.CLOCK_MILITARY, _clock),
    ("month", 3, P.MONTH_DAY, _month_day), ("month", 4, P.DAY_MONTH, _month_day),
    ("slash", 0, P.SLASH_DATE, _slash_date), ("month", 1, P.MONTH_YEAR, _month_year),
    ("quarter", 3, P.QUARTER, _quarter), ("qcode", 0, P.QUARTER_CODE, _quarter_code),
    ("season", 3, P.SEASON, _season), ("decade", 3, P.DECADE, _decade),
    ("century", 4, P.CENTURY, _century), ("ago", 5, P.AGO, _ago),
    ("relunit", 7, P.REL_UNIT, _rel_unit), ("deictic", 1, P.DEICTIC, _deictic),
    ("weekday", 1, P.WEEKDAY, _weekday), ("month", 4, P.MONTH_ALONE, _month_alone),
    ("year", 1, P.YEAR, _year), ("set", 0, P.SET, _set), ("unit", 6, P.DURATION, _duration),
    ("bare", 2, P.BARE_UNITS, _bare_units), ("generic", 1, P.GENERIC, _generic),
    ("noon", 1, P.CLOCK_WORD, _clock_word),
]


def _starts_before(text: str, pos: int, words: int) -> list[int]:
    """Start of the token holding `pos`, then of up to `words` tokens before it, furthest first."""
    i = pos
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "'"):
        i -= 1
    starts = [i]
    for _ in range(words):
        j = i
        while j > 0 and text[j - 1] in " -,(\t":
            j -= 1
        if j == i or j == 0 or text[j - 1] == "\n":
            break
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'."):
            j -= 1
        i = j
        starts.append(i)
    starts.reverse()
    return starts


def _matches(text: str, lower: str, trigger: str, words: int, full: re.Pattern,
             hits: dict) -> list[re.Match]:
    """Matches of `full` covering a trigger hit, the leftmost start first."""
    if trigger not in hits:
        hits[trigger] = [m.start() for m in P.TRIGGERS[trigger].finditer(lower)]
    out, seen_end = [], -1
    for pos in hits[trigger]:
        if pos < seen_end:
            continue
        for start in _starts_before(text, pos, words):
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
    ctx = _Ctx(text, parse_published(published))
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
    _clock_days(text, out)
    for t in out:
        if t.type == "DATE" and t.modifier is None:
            sig = _SIGNAL_BEFORE.search(text, max(0, t.start - 8), t.start)
            if sig:
                t.modifier = sig.group(1).upper()
    return out
