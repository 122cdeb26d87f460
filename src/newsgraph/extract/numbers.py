"""Reading numbers as written in English news: digits, number words, vague amounts, bounds.

`parse_number(words)` turns the words of one number ("1,521", "Thirty", "several thousand",
"tens of thousands", "15bn") into a `Number`; `figure_phrase_at(doc, i)` reads the whole
figure starting at a token of a parsed Doc: bound cue ("more than"), currency, number or
range ("five to ten", "between 150 and 200"), unit ("roubles", "%"). Whether the phrase is a
figure at all is for `figures.py` to decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "dozen": 12}
# Abbreviated scales written after digits ("15bn", "1.5 m", "€1m", "10k").
SHORT_SCALES = {"bn": 1e9, "b": 1e9, "billion": 1e9, "m": 1e6, "mn": 1e6, "mln": 1e6,
                "million": 1e6, "k": 1e3, "thousand": 1e3, "tn": 1e12, "trillion": 1e12}
# Plural amounts that state no number: the bounds are what the word allows at the least and
# before the next word would be used ("hundreds" is 200 to 999).
VAGUE_PLURALS = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999),
                 "thousands": (2_000, 9_999), "millions": (2e6, 999e6), "billions": (2e9, 999e9)}
# Words that make a following scale vague: "several thousand" is 3,000 to 9,999.
VAGUE_FACTORS = {"several": (3, 9), "few": (2, 9), "a few": (2, 9), "tens": (20, 99),
                 "some": (2, 9)}
NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | set(VAGUE_PLURALS)

DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-zA-Z]{1,3})?$")
DIGIT_RANGE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)[-–](\d[\d,]*(?:\.\d+)?)$")

# Bound cues before a number, as lower-cased word tuples -> (kind, approximate).
# kind: "lower" | "upper" | "approx" | "between" | "from".
BOUND_CUES: dict[tuple[str, ...], tuple[str, bool]] = {
    ("more", "than"): ("lower", False), ("over",): ("lower", False), ("above",): ("lower", False),
    ("at", "least"): ("lower", False), ("greater", "than"): ("lower", False),
    ("no", "fewer", "than"): ("lower", False), ("no", "less", "than"): ("lower", False),
    ("in", "excess", "of"): ("lower", False), ("upwards", "of"): ("lower", False),
    ("just", "over"): ("lower", True), ("well", "over"): ("lower", False),
    ("just", "above"): ("lower", True), ("at", "minimum"): ("lower", False),
    ("less", "than"): ("upper", False), ("fewer", "than"): ("upper", False),
    ("under",): ("upper", False), ("below",): ("upper", False), ("up", "to"): ("upper", False),
    ("at", "most"): ("upper", False), ("no", "more", "than"): ("upper", False),
    ("as", "many", "as"): ("upper", True), ("as", "much", "as"): ("upper", True),
    ("nearly",): ("upper", True), ("almost",): ("upper", True), ("close", "to"): ("upper", True),
    ("just", "under"): ("upper", True), ("just", "below"): ("upper", True),
    ("around",): ("approx", True), ("about",): ("approx", True), ("some",): ("approx", True),
    ("an", "estimated"): ("approx", True), ("estimated",): ("approx", True),
    ("roughly",): ("approx", True), ("approximately",): ("approx", True),
    ("approx.",): ("approx", True), ("circa",): ("approx", True), ("an", "approximate"): ("approx", True),
    ("between",): ("between", False), ("from",): ("from", False),
}
MAX_CUE = max(len(k) for k in BOUND_CUES)

CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
                    "gbp": "GBP", "¥": "JPY", "₽": "RUB", "rub": "RUB", "au$": "AUD", "a$": "AUD",
                    "c$": "CAD", "ca$": "CAD", "hk$": "HKD", "nz$": "NZD", "₺": "TRY", "₸": "KZT",
                    "rs": "INR", "₹": "INR"}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
                  "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
                  "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "yuan": "CNY",
                  "renminbi": "CNY", "yen": "JPY", "tenge": "KZT", "som": "KGS", "soms": "KGS",
                  "somoni": "TJS", "manat": "AZN", "manats": "AZN", "lira": "TRY", "liras": "TRY",
                  "lari": "GEL", "hryvnia": "UAH", "hryvnias": "UAH", "rupee": "INR",
                  "rupees": "INR", "cents": "USD", "cent": "USD", "usd": "USD", "eur": "EUR",
                  "rub": "RUB", "gbp": "GBP", "sum": "UZS", "dinars": "IQD", "dinar": "IQD"}
CENT_WORDS = {"cent", "cents"}
PERCENT_WORDS = {"%": "percent", "percent": "percent", "pct": "percent",
                 "percentage": "percentage points"}
# Units of measure written glued to digits ("500km", "30GB"): the figure keeps them as its unit.
MEASURE_SUFFIXES = {"km", "kg", "mm", "cm", "ft", "mi", "mph", "kmh", "gb", "mb", "tb", "kb",
                    "ghz", "mhz", "kw", "mw", "gw", "kwh", "ha", "sq", "lb", "lbs", "oz", "t"}
# Words after which "X to Y" is a change and a level ("fell $2.86 to $77.11"), not a range.
CHANGE_WORDS = {"by", "up", "down", "rise", "fall", "drop", "climb", "increase", "decrease", "cut",
                "gain", "lose", "jump", "slip", "grow", "surge", "decline", "plunge", "shed",
                "add", "raise", "lower", "reduce", "slash", "boost", "soar", "tumble", "sink"}
TIME_UNITS = {"year": "years", "years": "years", "month": "months", "months": "months",
              "week": "weeks", "weeks": "weeks", "day": "days", "days": "days", "hour": "hours",
              "hours": "hours", "minute": "minutes", "minutes": "minutes", "decade": "decades",
              "decades": "decades"}


@dataclass
class Number:
    """One number as read: a value when the words state one, else the bounds they allow."""

    value: float | None
    lower: float | None = None
    upper: float | None = None
    approximate: bool = False
    scale: float = 1.0  # the scale word it ended with ("million"), to carry over in ranges
    suffix: str | None = None  # letters glued to digits that are not a scale ("4GB" -> "gb")


def parse_number(words: list[str]) -> Number | None:
    """The number the lower-cased `words` state, or None when they are not one number.

    "a" and "and" and "of" may appear inside ("a dozen", "two hundred and fifty",
    "tens of thousands").
    """
    words = [w for w in words if w not in ("and", "-", "of")]
    if not words:
        return None
    if len(words) == 1:
        m = DIGITS.match(words[0])
        if m:
            return _digits(m)
    if len(words) == 2 and DIGITS.match(words[0]) and words[1] in SHORT_SCALES:
        n = _digits(DIGITS.match(words[0]))
        if n is None or n.suffix or n.value is None:
            return None
        scale = SHORT_SCALES[words[1]]
        return Number(n.value * scale, scale=scale)
    head = words[0]
    if head in ("a", "an") and len(words) > 1:
        words = ["one"] + words[1:]
        head = "one"
    factor = VAGUE_FACTORS.get(head)
    if factor is None and head == "a" and len(words) > 2 and words[1] == "few":
        factor, words = VAGUE_FACTORS["a few"], words[1:]
    if factor is not None:
        rest = words[1:]
        scale = _scale_of(rest)
        if scale is None:
            return None
        return Number(None, factor[0] * scale, (factor[1] + 1) * scale - 1, True, scale=scale)
    if words[-1] in VAGUE_PLURALS:
        lo, hi = VAGUE_PLURALS[words[-1]]
        if len(words) == 1:
            return Number(None, lo, hi, True, scale=lo)
        # "hundreds of thousands": the first plural multiplies the last
        scale = _scale_of(words[1:])
        if words[0] in VAGUE_PLURALS and scale is not None:
            f_lo, f_hi = VAGUE_PLURALS[words[0]]
            return Number(None, f_lo * scale, (f_hi + 1) * scale - 1, True, scale=scale)
        return None
    return _words_value(words)


def _digits(m: re.Match) -> Number | None:
    whole, frac, suffix = m.group(1), m.group(2) or "", (m.group(3) or "").lower()
    value = float(whole.replace(",", "") + frac)
    if suffix in SHORT_SCALES and suffix not in ("b",):
        scale = SHORT_SCALES[suffix]
        return Number(value * scale, scale=scale)
    if suffix in ("st", "nd", "rd", "th", "s"):
        return None  # ordinals and decades ("3rd", "1990s")
    return Number(value, suffix=suffix or None)


def _scale_of(words: list[str]) -> float | None:
    """The product of scale words ("hundred thousand" -> 100,000); None if any word is not one."""
    if not words:
        return None
    scale = 1.0
    for w in words:
        if w in SCALES:
            scale *= SCALES[w]
        elif w in VAGUE_PLURALS and w != "dozens":
            scale *= {"hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}[w]
        else:
            return None
    return scale


def _words_value(words: list[str]) -> Number | None:
    """Value of number words and digit-word mixes: "two hundred fifty", "1.5 million"."""
    total, current, last_scale = 0.0, 0.0, 1.0
    seen = False
    for w in words:
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif DIGITS.match(w) and not DIGITS.match(w).group(3):
            current += float(w.replace(",", ""))
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            last_scale = SCALES[w]
            total += (current or 1) * last_scale
            current = 0.0
        else:
            return None
        seen = True
    if not seen:
        return None
    return Number(total + current, scale=last_scale if last_scale > 1 else 1.0)


def is_number_word(lower: str) -> bool:
    """Whether a lower-cased token can be part of a number."""
    return lower in NUMBER_WORDS or bool(DIGITS.match(lower)) or bool(DIGIT_RANGE.match(lower))


# --- number phrases in a parsed Doc ---------------------------------------------------

def may_start(tok: Token) -> bool:
    low = tok.lower_
    return (is_number_word(low) or low in VAGUE_FACTORS or low in ("a", "an")
            or low in CURRENCY_SYMBOLS or (tok.like_num and any(c.isdigit() for c in low)))


def number_at(doc: Doc, i: int) -> tuple[int, Number] | None:
    """The number starting at token i: (end token index, Number), or None."""
    n = len(doc)
    low = doc[i].lower_
    j = i
    if low in ("a", "an"):
        if i + 1 < n and doc[i + 1].lower_ in ("dozen", "hundred", "thousand", "million", "billion", "few"):
            j = i + 1
        else:
            return None
    if doc[j].lower_ in VAGUE_FACTORS and doc[j].lower_ != "tens" or doc[j].lower_ == "few":
        if not (j + 1 < n and doc[j + 1].lower_ in SCALES):
            return None
        j += 1
    if not is_number_word(doc[j].lower_) and doc[j].lower_ != "tens":
        return None
    j += 1
    while j < n:
        low = doc[j].lower_
        prev = doc[j - 1].lower_
        if is_number_word(low) and not DIGIT_RANGE.match(low):
            if DIGITS.match(low) and DIGITS.match(prev):
                break  # two numbers side by side ("2014 850") are not one number
            j += 1
        elif low in SHORT_SCALES and DIGITS.match(prev) and doc[j - 1].whitespace_ in ("", " "):
            if low in ("m", "bn", "mn", "mln", "k", "tn") or low in SCALES:
                j += 1
            else:
                break
        elif low in ("-", "and") and j + 1 < n and doc[j + 1].lower_ in UNITS and (
                prev in TENS or (low == "and" and prev in ("hundred", "thousand"))):
            j += 1
        elif low == "of" and prev in ("tens", "hundreds", "dozens") and j + 1 < n and doc[j + 1].lower_ in (
                "thousands", "millions", "billions"):
            j += 1
        else:
            break
    words = [t.lower_ for t in doc[i:j]]
    m = DIGIT_RANGE.match(words[0]) if len(words) == 1 else None
    if m:
        lo, hi = parse_number([m.group(1)]), parse_number([m.group(2)])
        if lo and hi and lo.value is not None and hi.value is not None and lo.value < hi.value:
            return j, Number(None, lo.value, hi.value)
        return None
    num = parse_number(words)
    return (j, num) if num else None


def figure_phrase_at(doc: Doc, i: int) -> dict | None:
    """The whole figure starting at token i: bound cue, currency, number(s), unit."""
    n = len(doc)
    start = i
    unit = None
    if doc[i].lower_ in CURRENCY_SYMBOLS:
        unit = CURRENCY_SYMBOLS[doc[i].lower_]
        i += 1
        if i >= n:
            return None
    core = number_at(doc, i)
    if core is None:
        return None
    core_start = i
    j, num = core
    if unit is None and start > 0 and doc[start - 1].lower_ in CURRENCY_SYMBOLS:
        pass  # the symbol was consumed as its own start already
    j, unit = _unit_after(doc, j, unit)
    # ranges: "five to ten", "150 and 200" (after "between"), "two or three"
    cue_start, cue = _bound_cue(doc, start)
    hi = None
    before = doc[start - 1].lemma_.lower() if start > 0 else ""
    if j + 1 < n and doc[j].lower_ in ("to", "-", "–", "or", "and") and (
            doc[j].lower_ != "and" or (cue and cue[0] == "between")) and not (
            doc[j].lower_ == "to" and before in CHANGE_WORDS):
        k = j + 1
        unit2 = None
        if doc[k].lower_ in CURRENCY_SYMBOLS:
            unit2 = CURRENCY_SYMBOLS[doc[k].lower_]
            k += 1
        core2 = number_at(doc, k) if k < n else None
        if core2 is not None and core2[1].value is not None and (num.value is not None):
            k2, num2 = core2
            k2, unit2 = _unit_after(doc, k2, unit2)
            lo = num.value
            if num.scale == 1 and num2.scale > 1 and lo * num2.scale <= num2.value:
                lo = lo * num2.scale  # "two to three million"
            if lo <= num2.value and (unit is None or unit2 == unit):
                hi = num2.value
                num = Number(None, lo, hi, doc[j].lower_ == "or", scale=num2.scale)
                unit = unit or unit2
                j = k2
    if hi is None and unit is None and num.value is not None and j + 1 < n and doc[j].lower_ == "in":
        ratio = number_at(doc, j + 1)
        if ratio is not None and ratio[1].value and ratio[1].value > num.value and (
                ratio[0] >= n or doc[ratio[0]].pos_ != "NOUN" or doc[ratio[0]].tag_ == "NNS"):
            # "one in ten detainees": a share
            num = Number(round(100 * num.value / ratio[1].value, 2), approximate=num.approximate)
            unit, j = "percent", ratio[0]
    end = j
    if cue is not None and cue[0] in ("between", "from") and hi is None:
        cue = None  # "from dozens of countries": no range, so no bound
    if cue is not None:
        start = cue_start
    if end < n and doc[end].lower_ == "or" and end + 1 < n and doc[end + 1].lower_ == "so":
        num.approximate = True
        end += 2
    return {"start": start, "end": end, "core_start": core_start, "num": num, "unit": unit,
            "cue": cue}


def _unit_after(doc: Doc, j: int, unit: str | None) -> tuple[int, str | None]:
    n = len(doc)
    if j >= n:
        return j, unit
    low = doc[j].lower_
    if low in CURRENCY_WORDS:
        if low in ("sum", "som") and unit is None and doc[j - 1].like_num is False:
            return j, unit
        return j + 1, unit or CURRENCY_WORDS[low]
    if low in ("us", "u.s.") and j + 1 < n and doc[j + 1].lower_ in ("dollars", "dollar"):
        return j + 2, "USD"
    if low in ("%", "percent", "pct"):
        return j + 1, "percent"
    if low == "per" and j + 1 < n and doc[j + 1].lower_ == "cent":
        return j + 2, "percent"
    if low in ("percentage", "per") and j + 1 < n and doc[j + 1].lower_ in ("points", "point"):
        return j + 2, "percentage points"
    return j, unit


def _bound_cue(doc: Doc, start: int) -> tuple[int, tuple[str, bool] | None]:
    for size in range(MAX_CUE, 0, -1):
        if start - size < 0:
            continue
        words = tuple(t.lower_ for t in doc[start - size:start])
        if words in BOUND_CUES:
            return start - size, BOUND_CUES[words]
    return start, None
