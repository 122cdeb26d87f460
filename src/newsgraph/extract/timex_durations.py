"""Rules for durations ("three years"), sets ("every year", "weekly") and clock times
("10:30 GMT")."""

from __future__ import annotations

import re

from newsgraph.model import Timex

from . import timex_patterns as P
from .timex_dates import DAY_SHIFT
from .timex_context import Ctx, tx, number_of
from .timex_normalise import (
    duration_value,
    shift_days,
    weekday_relative,
)


# Durations, sets, times ---------------------------------------------------------------------

_MONEY_BEFORE = re.compile(
    r"(?:[$€£¥]\s?[\d.,]+(?:\s*(?:million|billion|bn|m|k))?|[\d.,]+\s*(?:million|billion|percent|per cent|%|"
    r"dollars|euros|pounds|cents|times)|\d[\d.,]*\s*(?:million|billion|bn|m|k)?\s*[a-z]+|once|twice|"
    r"times)\s*$")


def duration(m: re.Match, ctx: Ctx):
    raw = m["num"]
    n = number_of(raw)
    unit = m["unit"]
    start, end = m.start(), m.end()
    if m["poss"]:
        end -= 1
    det = (m["det"] or "").lower()
    if raw.lower() in ("a", "an") and not m["det"] and not m["approx"]:
        if _MONEY_BEFORE.search(ctx.text, max(0, start - 25), start):
            return tx(ctx, start, end, "SET", duration_value(1, unit), None, "recurring: rate per unit")
        # "a day after", "a year earlier" name a date we cannot place; still a duration
    if raw.lower() in ("a", "an") and unit == "second":
        return None  # "a second time", "a second consecutive day"
    mod = None
    if m["det"] and m["det"].lower() == "the" and ctx.text[m.end("num"):m.end("num") + 1] == "-":
        start = m.start("num")  # "the 48-hour ceasefire": "the" belongs to the noun
    if m["approx"] and m["approx"].lower() not in ("almost", "nearly"):
        start = m.start("det") if m["det"] else m.start("num")  # "over a week": a signal, left out
    if m["approx"]:
        mod = {"about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
               "almost": "LESS_THAN", "nearly": "LESS_THAN", "under": "LESS_THAN",
               "less than": "LESS_THAN", "up to": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
               "more than": "MORE_THAN", "over": "MORE_THAN", "at least": "EQUAL_OR_MORE"}.get(
            m["approx"].lower())
    if det in ("the", "the first", "first") and n is None:
        return None
    return tx(ctx, start, end, "DURATION", duration_value(n, unit), None,
               "duration: needs no anchor", mod)


def bare_units(m: re.Match, ctx: Ctx):
    return tx(ctx, m.start("unit"), m.end("unit"), "DURATION", duration_value(None, m["unit"][:-1]),
               None, "duration: unspecified length")


_SET_ADV = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
            "hourly": "PT1H", "quarterly": "P3M", "annual": "P1Y", "nightly": "P1D"}
_SET_UNIT = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "quarter": "P3M",
             "hour": "PT1H", "minute": "PT1M", "decade": "P10Y", "weekend": "P1W",
             "morning": "XXXX-XX-XXTMO", "afternoon": "XXXX-XX-XXTAF", "evening": "XXXX-XX-XXTEV",
             "night": "XXXX-XX-XXTNI", "spring": "XXXX-SP", "summer": "XXXX-SU", "autumn": "XXXX-FA",
             "winter": "XXXX-WI"}


def set(m: re.Match, ctx: Ctx):
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
    return tx(ctx, m.start(), m.end(), "SET", value, None, "recurring set (TimeML SET)")


def clock(m: re.Match, ctx: Ctx):
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
        return tx(ctx, start, end, "TIME", None, "time", ctx.unresolved("day"))
    if day:
        dl = day.lower()
        if dl in P.WEEKDAYS:
            direction = "future" if ctx.future(start, end) else "past"
            d = weekday_relative(d, P.WEEKDAYS[dl], direction)
        else:
            d = shift_days(d, DAY_SHIFT[dl])
    if (gd.get("tz") or "") in ("UTC", "Z"):
        hhmm += "Z"  # ISO 8601 marks UTC; other zones are kept as local clock time
    return tx(ctx, start, end, "TIME", d.isoformat() + hhmm, "time", ctx.rel("clock time"))


def clock_word(m: re.Match, ctx: Ctx):
    w = m["w"]
    d = ctx.anchor.date
    start = m.start("w")
    if d is None:
        return tx(ctx, start, m.end(), "TIME", None, "time", ctx.unresolved("day"))
    hhmm = "T24:00" if w == "midnight" else "T12:00"
    return tx(ctx, start, m.end(), "TIME", d.isoformat() + hhmm, "time", ctx.rel("clock time"))


def clock_days(text: str, found: list[Timex]) -> None:
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
