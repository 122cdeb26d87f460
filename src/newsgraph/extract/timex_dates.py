"""Rules for calendar dates: absolute ("Sept. 3, 2016", "the 1990s") and relative to the
publication date ("last month", "on Tuesday", "two years ago")."""

from __future__ import annotations

import re

from . import timex_patterns as P
from .timex_context import ABSOLUTE, NO_PUB, Ctx, tx, modifier_of, number_of, month_of, expand_year2
from .timex_normalise import (
    PART_OF_DAY,
    add_months,
    day_without_year,
    duration_value,
    iso_month,
    iso_week,
    month_relative,
    quarter_of,
    season_relative,
    shift_days,
    valid_day,
    weekday_relative,
)


# Absolute dates -----------------------------------------------------------------------------

def iso_date(m: re.Match, ctx: Ctx):
    y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
    if not valid_day(y, mo, d):
        return None
    if m["h"]:
        return tx(ctx, m.start(), m.end(), "TIME", f"{m['y']}-{m['mo']}-{m['d']}T{m['h']}:{m['mi']}",
                   "time", ABSOLUTE)
    return tx(ctx, m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}-{d:02d}", "day", ABSOLUTE)


def slash_date(m: re.Match, ctx: Ctx):
    a, b = int(m["a"]), int(m["b"])
    y = int(m["y"]) if len(m["y"]) == 4 else expand_year2(m["y"], ctx.anchor.year)
    mo, d = (b, a) if a > 12 else (a, b)  # US order unless the first part cannot be a month
    if not valid_day(y, mo, d):
        return None
    return tx(ctx, m.start(), m.end(), "DATE", f"{y:04d}-{mo:02d}-{d:02d}", "day", ABSOLUTE)


def month_day(m: re.Match, ctx: Ctx):
    mo, d = month_of(m["mon"]), int(m["d"])
    if not 1 <= d <= 31:
        return None
    start, end = m.start(), m.end()
    if m["y"]:
        y = int(m["y"])
        if not valid_day(y, mo, d):
            return None
        return tx(ctx, start, end, "DATE", f"{y:04d}-{mo:02d}-{d:02d}", "day", ABSOLUTE)
    if ctx.anchor.year is None:
        return tx(ctx, start, end, "DATE", None, "day", NO_PUB)
    direction = "future" if ctx.future(start, end) else "past"
    value = day_without_year(ctx.anchor, mo, d, direction)
    if value is None:
        return tx(ctx, start, end, "DATE", None, "day", ctx.unresolved("month"))
    return tx(ctx, start, end, "DATE", value, "day",
               f"year from publication date {ctx.pub}" + (" (future tense)" if direction == "future" else ""))


def month_year(m: re.Match, ctx: Ctx):
    return tx(ctx, m.start(), m.end(), "DATE", iso_month(int(m["y"]), month_of(m["mon"])), "month",
              ABSOLUTE, modifier_of(m["pos"] or m["edge"]))


def month_alone(m: re.Match, ctx: Ctx):
    mon = m["mon"]
    rel = (m["rel"] or m["rel2"] or "").lower()
    pos = m["pos"] or m["mid"] or m["edge"]
    if m["ofrel"] and ctx.anchor.year is not None:
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m["ofrel"]]
        return tx(ctx, m.start("core"), m.end(), "DATE", iso_month(y, month_of(mon)), "month",
                   ctx.rel(), modifier_of(pos))
    if not (rel or pos or m["prep"]):
        nxt = ctx.text[m.end():m.end() + 2]
        if mon == "May" or (nxt[:1] == " " and nxt[1:2].isupper()):  # "May", "June Carter"
            return None
        if m.start() == 0 or ctx.text[m.start() - 1] in "\n":
            return None
    elif mon == "May" and not (rel or pos) and m["prep"] in ("and", "or", "to", "of"):
        return None
    if mon == "May" and not rel and P.MAY_AS_NAME.match(ctx.text, m.end()):
        return None
    start, end = m.start("core"), m.end()
    mod = modifier_of(pos)
    a = ctx.anchor
    if a.month is None:
        return tx(ctx, start, end, "DATE", None, "month", ctx.unresolved("month"), mod)
    if rel in ("last", "next"):
        direction = rel
    elif rel == "this":
        return tx(ctx, start, end, "DATE", iso_month(a.year, month_of(mon)), "month", ctx.rel(), mod)
    else:
        direction = "future" if ctx.future(start, end) else "past"
    y, mo = month_relative(a, month_of(mon), direction)
    return tx(ctx, start, end, "DATE", iso_month(y, mo), "month",
               ctx.rel("next one" if direction in ("future", "next") else "latest one"), mod)


def weekday(m: re.Match, ctx: Ctx):
    pre = m["pre"]
    if pre in P.NOT_WEEKDAY_BEFORE:
        return None
    rel = pre.lower() if pre and pre.lower() in ("last", "next", "this", "coming", "early", "late") else None
    start = m.start() if rel else m.start("wd")
    end = m.end()
    pod = m["pod"]
    type_ = "TIME" if pod else "DATE"
    precision = "time" if pod else "day"
    mod = modifier_of(rel) if rel in ("early", "late") else None
    d = ctx.anchor.date
    if d is None:
        return tx(ctx, start, end, type_, None, precision, ctx.unresolved("day"), mod)
    if rel == "last":
        direction = "last"
    elif rel in ("next", "coming"):
        direction = "next"
    else:
        direction = "future" if ctx.future(start, end) else "past"
    day = weekday_relative(d, P.WEEKDAYS[m["wd"].lower()], direction)
    value = day.isoformat() + (f"T{PART_OF_DAY[pod]}" if pod else "")
    return tx(ctx, start, end, type_, value, precision,
               ctx.rel({"past": "latest such day", "future": "next such day",
                        "last": "previous week's", "next": "the coming one"}[direction]), mod)


def year(m: re.Match, ctx: Ctx):
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
    pos = m["pos"] or m["mid"] or m["edge"]
    start = m.start() if pos else ys
    out = [tx(ctx, start, m.end("y"), "DATE", f"{y:04d}", "year", ABSOLUTE, modifier_of(pos))]
    if m["y2"]:
        tail = m["y2"]
        digits = tail.lstrip(" -–—/").strip()
        y2 = int(digits) if len(digits) == 4 else (y // 100) * 100 + int(digits)
        if y2 <= y:
            return None if len(digits) == 2 else out
        off = m.end("y2") - len(digits)
        out.append(tx(ctx, off, m.end("y2"), "DATE", f"{y2:04d}", "year", ABSOLUTE))
    return out


def decade(m: re.Match, ctx: Ctx):
    if m["c"]:
        value = m["c"] + m["d"]
    else:
        d = m["d2"] or m["d3"]
        ref = ctx.anchor.year or 2000
        century = 19 if int(d) * 10 > ref % 100 + 5 else ref // 100
        value = f"{century}{d}"
    start = m.end("the") + 1 if m["the"] else m.start()  # TimeML leaves "the" out
    return tx(ctx, start, m.end(), "DATE", value, "decade", ABSOLUTE, modifier_of(m["pos"]))


def century(m: re.Match, ctx: Ctx):
    n = int(m["n"]) if m["n"] else P.CENTURY_WORDS[m["w"]]
    if not 1 <= n <= 22:
        return None
    start = m.end("the") + 1 if m["the"] else m.start()
    return tx(ctx, start, m.end(), "DATE", f"{n - 1:02d}", "century", ABSOLUTE, modifier_of(m["pos"]))


def season(m: re.Match, ctx: Ctx):
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
    mod = modifier_of(rel) if rel in ("early", "late", "mid") else None
    end = m.end()
    if m["y"]:
        return tx(ctx, start, end, "DATE", f"{m['y']}-{code}", "season", ABSOLUTE, mod)
    a = ctx.anchor
    if a.year is None or (a.month is None and not m["rel2"]):
        return tx(ctx, start, end, "DATE", None, "season", ctx.unresolved("month"), mod)
    if m["rel2"]:
        y = a.year + {"this": 0, "last": -1, "next": 1}[m["rel2"]]
        return tx(ctx, start, end, "DATE", f"{y:04d}-{code}", "season", ctx.rel(), mod)
    if rel in ("last", "next", "this"):
        direction = rel
    else:
        direction = "future" if ctx.future(start, end) else "past"
    return tx(ctx, start, end, "DATE", season_relative(a, code, direction), "season", ctx.rel(), mod)


def quarter(m: re.Match, ctx: Ctx):
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
        return tx(ctx, start, end, "DATE", f"{m['y']}-{code}{n}", "quarter", ABSOLUTE)
    if a.year is None:
        return tx(ctx, start, end, "DATE", None, "quarter", NO_PUB)
    rel = m["rel"]
    if rel in ("this", "the", "last", "next"):
        y = a.year + {"this": 0, "the": 0, "last": -1, "next": 1}[rel]
        return tx(ctx, start, end, "DATE", f"{y:04d}-{code}{n}", "quarter", ctx.rel())
    if a.month is None:
        return tx(ctx, start, end, "DATE", None, "quarter", ctx.unresolved("month"))
    cur = quarter_of(a.month) if code == "Q" else (1 if a.month <= 6 else 2)
    if code == "Q" and ordw == "last":  # "the last quarter": the one before publication
        y, q = (a.year, cur - 1) if cur > 1 else (a.year - 1, 4)
        return tx(ctx, start, end, "DATE", f"{y:04d}-Q{q}", "quarter", ctx.rel("previous quarter"))
    if ctx.future(start, end):
        y = a.year if n >= cur else a.year + 1
    else:
        y = a.year if n <= cur else a.year - 1
    return tx(ctx, start, end, "DATE", f"{y:04d}-{code}{n}", "quarter", ctx.rel("latest such quarter"))


def quarter_code(m: re.Match, ctx: Ctx):
    q = m["q"]
    if m["y"]:
        y = int(m["y"]) if len(m["y"]) == 4 else expand_year2(m["y"], ctx.anchor.year)
        return tx(ctx, m.start(), m.end(), "DATE", f"{y:04d}-{q}", "quarter", ABSOLUTE)
    a = ctx.anchor
    if a.year is None:
        return tx(ctx, m.start(), m.end(), "DATE", None, "quarter", NO_PUB)
    return tx(ctx, m.start(), m.end(), "DATE", f"{a.year:04d}-{q}", "quarter", ctx.rel("publication year"))


# Relative to publication ---------------------------------------------------------------------

_REL_SHIFT = {"this": 0, "current": 0, "the current": 0, "last": -1, "the last": -1, "past": -1,
              "previous": -1, "the previous": -1, "next": 1, "coming": 1, "the": 0}
_REL_DURATION = ("the past", "the next", "the coming", "the following")


def rel_unit(m: re.Match, ctx: Ctx):
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"]
    start, end = m.start(), m.end()
    mod = modifier_of(m["edge"]) or modifier_of(m["pos"])
    if rel in _REL_DURATION:
        if m["edge"] or m["pos"] or unit == "weekend":
            return None
        return tx(ctx, start, end, "DURATION", duration_value(1, unit), None,
                   "duration: needs no anchor")
    if rel == "the" and unit == "weekend" and not m["edge"]:
        d = ctx.anchor.date
        if d is None:
            return tx(ctx, start, end, "DATE", None, "week", ctx.unresolved("day"))
        direction = "future" if ctx.future(start, end) else "past"
        sat = weekday_relative(d, 5, direction)
        if direction == "past" and d.weekday() == 6:
            sat = shift_days(d, -1)
        return tx(ctx, start, end, "DATE", iso_week(sat) + "-WE", "week", ctx.rel())
    if rel == "the" and not (m["edge"] or m["pos"]):
        return None  # "the year", "the week": anaphoric, not the publication's
    if rel == "the" and unit not in ("year", "month", "week"):
        return None
    shift = _REL_SHIFT[rel]
    a = ctx.anchor
    if unit in ("year", "decade", "century"):
        if a.year is None:
            return tx(ctx, start, end, "DATE", None, unit, NO_PUB, mod)
        if unit == "year":
            value = f"{a.year + shift:04d}"
            if m["fiscal"] in ("fiscal", "financial"):
                value = "FY" + value
        elif unit == "decade":
            value = f"{a.year // 10 + shift:03d}"
        else:
            value = f"{a.year // 100 + shift:02d}"
        return tx(ctx, start, end, "DATE", value, unit, ctx.rel(), mod)
    if unit in ("month", "quarter"):
        if a.month is None:
            return tx(ctx, start, end, "DATE", None, unit, ctx.unresolved("month"), mod)
        if unit == "month":
            y, mo = add_months(a.year, a.month, shift)
            return tx(ctx, start, end, "DATE", iso_month(y, mo), "month", ctx.rel(), mod)
        y, mo = add_months(a.year, a.month, 3 * shift)
        return tx(ctx, start, end, "DATE", f"{y:04d}-Q{quarter_of(mo)}", "quarter", ctx.rel(), mod)
    d = a.date
    if d is None:
        return tx(ctx, start, end, "DATE", None, "week", ctx.unresolved("day"), mod)
    value = iso_week(shift_days(d, 7 * shift)) + ("-WE" if unit == "weekend" else "")
    return tx(ctx, start, end, "DATE", value, "week", ctx.rel(), mod)


DAY_SHIFT = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "overnight": 0,
              "this": 0, "last": -1}


def deictic(m: re.Match, ctx: Ctx):
    word = (m["w"] or m["day"]).lower()
    pod = m["pod"] or ("night" if word in ("tonight", "overnight") else None)
    if word == "last" and pod != "night":
        return None
    if m["w"] and m["w"][0].isupper():  # "USA Today", "Dagestan Today": a title, not a date
        prev = ctx.text[max(0, m.start() - 30):m.start()].split()
        if prev and prev[-1][:1].isupper() and prev[-1][-1:].isalpha():
            return None
    type_ = "TIME" if pod else "DATE"
    d = ctx.anchor.date
    if d is None:
        return tx(ctx, m.start(), m.end(), type_, None, "time" if pod else "day", ctx.unresolved("day"))
    value = shift_days(d, DAY_SHIFT[word]).isoformat() + (f"T{PART_OF_DAY[pod]}" if pod else "")
    return tx(ctx, m.start(), m.end(), type_, value, "time" if pod else "day", ctx.rel())


def ago(m: re.Match, ctx: Ctx):
    n = number_of(m["num"])
    unit = m["unit"].lower()
    sign = -1 if m["dir"] == "ago" else 1
    start, end = m.start("num"), m.end()  # "just six years ago": "just" is not part of it
    precision = {"second": "time", "minute": "time", "hour": "time", "night": "day"}.get(unit, unit)
    if precision == "fortnight":
        precision = "week"
    if n is None or n != int(n):
        return tx(ctx, start, end, "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None,
                   "vague amount: TimeML generic reference")
    n = int(n) * sign
    a = ctx.anchor
    if unit in ("year", "decade", "century"):
        if a.year is None:
            return tx(ctx, start, end, "DATE", None, "year", NO_PUB)
        k = {"year": 1, "decade": 10, "century": 100}[unit]
        return tx(ctx, start, end, "DATE", f"{a.year + n * k:04d}", "year", ctx.rel())
    if unit == "month":
        if a.month is None:
            return tx(ctx, start, end, "DATE", None, "month", ctx.unresolved("month"))
        return tx(ctx, start, end, "DATE", iso_month(*add_months(a.year, a.month, n)), "month", ctx.rel())
    d = a.date
    if d is None:
        return tx(ctx, start, end, "DATE", None, precision, ctx.unresolved("day"))
    if unit in ("week", "fortnight"):  # TimeML practice: the day, n weeks back
        days = 7 * n * (2 if unit == "fortnight" else 1)
        return tx(ctx, start, end, "DATE", shift_days(d, days).isoformat(), "day", ctx.rel())
    if unit in ("day", "night"):
        return tx(ctx, start, end, "DATE", shift_days(d, n).isoformat(), "day", ctx.rel())
    return tx(ctx, start, end, "DATE", d.isoformat(), "day", ctx.rel("same day"))


_GENERIC = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
            "nowadays": "PRESENT_REF", "the present day": "PRESENT_REF", "recently": "PAST_REF",
            "lately": "PAST_REF", "the past": "PAST_REF", "the future": "FUTURE_REF",
            "the time being": "PRESENT_REF", "the long term": "FUTURE_REF",
            "the near term": "FUTURE_REF", "the short term": "FUTURE_REF"}


def generic(m: re.Match, ctx: Ctx):
    core = m["core"].lower()
    if core == "now" and ctx.text[m.end():m.end() + 1] == "-":
        return None
    return tx(ctx, m.start("core"), m.end(), "DATE", _GENERIC[core], None,
               "TimeML generic reference (not a calendar date)")
