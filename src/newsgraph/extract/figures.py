"""Figures: every count, amount of money, share or prison term an article states, as `Claim`s.

`extract_claims(doc, entities, timexes)` reads the parsed article in one pass:
1. number phrases: digits, number words and vague amounts ("several thousand", "dozens"),
   with ranges ("five to ten", "between 150 and 200") and units (currency, percent);
2. bounds from the words before ("more than" lower, "nearly" upper and approximate, ...);
3. what is not a figure is dropped: dates, years, times, ordinals, ages of individuals,
   numbers inside names and laws ("Article 205"), phone numbers, durations other than prison
   terms, and anything on a "Read more" / "Related" line;
4. what is counted (the noun the number modifies with its qualifiers), who gives the figure
   (`source_text`, `source_entity`), the date it refers to (`as_of`) and reliability cues.

Decisions: ranges and vague amounts state no single number, so `value` is None and
`lower`/`upper` hold what the words allow ("hundreds" is 200 to 999). Durations are figures
only as prison terms or bans ("eight years in prison", unit "years"); other durations are
time expressions. Age ranges of groups ("children aged two to nine") are figures with unit
"years of age"; the age of one person ("Aliyev, 34,") is not.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..model import Claim, LocalEntity, Timex
from . import numbers as N

__all__ = ["extract_claims"]

FURNITURE_LINE = re.compile(
    r"^\s*(read more|related|see also|also read|more on this|more:|watch:|listen:|recommended|"
    r"most read|trending|photo:|image:|©|copyright|share this|follow us|subscribe|sign up|"
    r"advertisement|click here|top stories|latest news|more from)", re.I)
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,4}[\s.-]\d{2,4}[\s.-]\d{2,4}(?:[\s.-]\d{2,4})?")
RELIABILITY = re.compile(
    r"\b(?:could not|cannot|can ?not|couldn't|can't|was unable to|were unable to|impossible to)"
    r" (?:be )?(?:independently )?(?:confirm|verif)\w*(?: independently)?|\bunverified\b|"
    r"\bunconfirmed\b|\bnot (?:been )?independently (?:confirmed|verified)\b", re.I)
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
          "sep", "sept", "oct", "nov", "dec"}
TIME_WORDS = {"a.m.", "p.m.", "am", "pm", "gmt", "utc", "o'clock", "hrs", "msk"}
DESIGNATORS = {"no", "no.", "#", "number", "article", "articles", "section", "part", "paragraph",
               "chapter", "clause", "item", "resolution", "flight", "route", "highway", "room",
               "apartment", "page", "p.", "pp.", "vol", "vol.", "volume", "line", "level",
               "grade", "phase", "stage", "round", "episode", "season", "version", "model",
               "type", "block", "building", "house", "gate", "platform", "bus", "decree",
               "order", "law", "act", "code", "unit", "division", "brigade", "battalion",
               "regiment", "district", "zone", "sector", "camp", "cell", "ward", "case"}
# Designators that mark a following digit string as a name whatever their case.
DESIGNATORS_ANYCASE = {"no.", "#", "number", "article", "articles", "section", "paragraph", "chapter",
                       "clause", "version", "page", "p.", "pp.", "vol.", "flight", "route",
                       "highway", "room", "resolution", "decree", "ios", "windows"}
NAME_AFTER = {"index", "series", "model", "version"}
NAME_ENTS = {"LAW", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT", "ORG", "PERSON", "GPE", "NORP", "LOC"}
TERM_VERBS = {"sentence", "jail", "imprison", "face", "serve", "ban", "convict", "punish", "hand",
              "give", "detain", "extend"}
TERM_NOUNS = {"prison", "jail", "colony", "custody", "detention", "probation", "sentence", "term",
              "ban", "imprisonment", "incarceration", "confinement"}
AGE_BEFORE = {"aged", "age", "ages"}
PEOPLE = {"children", "minors", "boys", "girls", "kids", "people", "those", "anyone", "women",
          "men", "youths", "teenagers", "orphans"}
SPEECH = {"say", "tell", "estimate", "report", "claim", "announce", "state", "add", "note",
          "count", "put", "show", "suggest", "indicate", "reveal", "confirm", "cite", "record",
          "write", "explain", "calculate", "quote", "believe", "tally", "register", "assert",
          "disclose", "testify", "inform"}
ASOF_CUE = re.compile(r"\b(as of|as at|by the end of|at the end of|by|since|until|till|through)\s+$", re.I)
LEVEL_VERBS = {"be", "rise", "fall", "reach", "total", "stand", "number", "increase", "decrease",
               "grow", "drop", "climb", "exceed", "double", "top", "hit", "jump", "surge",
               "decline", "amount", "remain", "account", "cost", "tally", "soar", "plunge"}
QUALIFIER_DEPS = {"prep", "relcl", "acl"}
MAX_WHAT_RIGHT = 10


def extract_claims(doc: Doc, entities: list[LocalEntity], timexes: list[Timex]) -> list[Claim]:
    """The figures `doc` states, in order. Offsets are into `doc.text`."""
    text = doc.text
    sents = list(doc.sents)
    sent_starts = [s.start for s in sents]
    furniture = _furniture_spans(text)
    mentions = sorted((m.start, m.end, e.key, e.label) for e in entities for m in e.mentions)
    names = _name_numbers(doc)
    claims: list[Claim] = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if not _may_start(tok):
            i += 1
            continue
        found = _phrase(doc, i)
        if found is None:
            i += 1
            continue
        ph = found
        ph["names"] = names
        ph["text"] = text
        i = ph["end"]
        sent = sents[bisect_right(sent_starts, ph["core_start"]) - 1]
        if _rejected(doc, ph, sent, furniture, timexes):
            continue
        claims.append(_claim(doc, ph, sent, mentions, timexes))
    return claims


# --- number phrases ---------------------------------------------------------------------

def _may_start(tok: Token) -> bool:
    low = tok.lower_
    return (N.is_number_word(low) or low in N.VAGUE_FACTORS or low in ("a", "an")
            or low in N.CURRENCY_SYMBOLS or (tok.like_num and any(c.isdigit() for c in low)))


def _core(doc: Doc, i: int) -> tuple[int, N.Number] | None:
    """The number starting at token i: (end token index, Number), or None."""
    n = len(doc)
    low = doc[i].lower_
    j = i
    if low in ("a", "an"):
        if i + 1 < n and doc[i + 1].lower_ in ("dozen", "hundred", "thousand", "million", "billion", "few"):
            j = i + 1
        else:
            return None
    if doc[j].lower_ in N.VAGUE_FACTORS and doc[j].lower_ != "tens" or doc[j].lower_ == "few":
        if not (j + 1 < n and doc[j + 1].lower_ in N.SCALES):
            return None
        j += 1
    if not N.is_number_word(doc[j].lower_) and doc[j].lower_ != "tens":
        return None
    j += 1
    while j < n:
        low = doc[j].lower_
        prev = doc[j - 1].lower_
        if N.is_number_word(low) and not N.DIGIT_RANGE.match(low):
            if N.DIGITS.match(low) and N.DIGITS.match(prev):
                break  # two numbers side by side ("2014 850") are not one number
            j += 1
        elif low in N.SHORT_SCALES and N.DIGITS.match(prev) and doc[j - 1].whitespace_ in ("", " "):
            if low in ("m", "bn", "mn", "mln", "k", "tn") or low in N.SCALES:
                j += 1
            else:
                break
        elif low in ("-", "and") and j + 1 < n and doc[j + 1].lower_ in N.UNITS and (
                prev in N.TENS or (low == "and" and prev in ("hundred", "thousand"))):
            j += 1
        elif low == "of" and prev in ("tens", "hundreds", "dozens") and j + 1 < n and doc[j + 1].lower_ in (
                "thousands", "millions", "billions"):
            j += 1
        else:
            break
    words = [t.lower_ for t in doc[i:j]]
    m = N.DIGIT_RANGE.match(words[0]) if len(words) == 1 else None
    if m:
        lo, hi = N.parse_number([m.group(1)]), N.parse_number([m.group(2)])
        if lo and hi and lo.value is not None and hi.value is not None and lo.value < hi.value:
            return j, N.Number(None, lo.value, hi.value)
        return None
    num = N.parse_number(words)
    return (j, num) if num else None


def _phrase(doc: Doc, i: int) -> dict | None:
    """The whole figure starting at token i: bound cue, currency, number(s), unit."""
    n = len(doc)
    start = i
    unit = None
    if doc[i].lower_ in N.CURRENCY_SYMBOLS:
        unit = N.CURRENCY_SYMBOLS[doc[i].lower_]
        i += 1
        if i >= n:
            return None
    core = _core(doc, i)
    if core is None:
        return None
    core_start = i
    j, num = core
    if unit is None and start > 0 and doc[start - 1].lower_ in N.CURRENCY_SYMBOLS:
        pass  # the symbol was consumed as its own start already
    j, unit = _unit_after(doc, j, unit)
    # ranges: "five to ten", "150 and 200" (after "between"), "two or three"
    cue_start, cue = _bound_cue(doc, start)
    hi = None
    if j + 1 < n and doc[j].lower_ in ("to", "-", "–", "or", "and") and (
            doc[j].lower_ != "and" or (cue and cue[0] == "between")):
        k = j + 1
        unit2 = None
        if doc[k].lower_ in N.CURRENCY_SYMBOLS:
            unit2 = N.CURRENCY_SYMBOLS[doc[k].lower_]
            k += 1
        core2 = _core(doc, k) if k < n else None
        if core2 is not None and core2[1].value is not None and (num.value is not None):
            k2, num2 = core2
            k2, unit2 = _unit_after(doc, k2, unit2)
            lo = num.value
            if num.scale == 1 and num2.scale > 1 and lo * num2.scale <= num2.value:
                lo = lo * num2.scale  # "two to three million"
            if lo <= num2.value:
                hi = num2.value
                num = N.Number(None, lo, hi, doc[j].lower_ == "or", scale=num2.scale)
                unit = unit or unit2
                j = k2
    if hi is None and unit is None and num.value is not None and j + 1 < n and doc[j].lower_ == "in":
        ratio = _core(doc, j + 1)
        if ratio is not None and ratio[1].value and ratio[1].value > num.value and (
                ratio[0] >= n or doc[ratio[0]].pos_ != "NOUN" or doc[ratio[0]].tag_ == "NNS"):
            # "one in ten detainees": a share
            num = N.Number(round(100 * num.value / ratio[1].value, 2), approximate=num.approximate)
            unit, j = "percent", ratio[0]
    end = j
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
    if low in N.CURRENCY_WORDS:
        if low in ("sum", "som") and unit is None and doc[j - 1].like_num is False:
            return j, unit
        return j + 1, unit or N.CURRENCY_WORDS[low]
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
    for size in range(N.MAX_CUE, 0, -1):
        if start - size < 0:
            continue
        words = tuple(t.lower_ for t in doc[start - size:start])
        if words in N.BOUND_CUES:
            return start - size, N.BOUND_CUES[words]
    return start, None


# --- what is not a figure ---------------------------------------------------------------

def _furniture_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if FURNITURE_LINE.match(line):
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _rejected(doc: Doc, ph: dict, sent: Span, furniture, timexes: list[Timex]) -> bool:
    num: N.Number = ph["num"]
    unit = ph["unit"]
    cs, end = ph["core_start"], ph["end"]
    first = doc[cs]
    a, b = doc[ph["start"]].idx, doc[end - 1].idx + len(doc[end - 1])
    if any(s <= a < e for s, e in furniture):
        return True
    low = first.lower_
    prev = doc[cs - 1] if cs > 0 else None
    if ph["start"] < cs and doc[ph["start"]].lower_ in N.CURRENCY_SYMBOLS:
        prev = doc[ph["start"] - 1] if ph["start"] > 0 else None
    nxt = doc[end] if end < len(doc) else None
    if num.suffix and unit is None:
        if num.suffix not in N.MEASURE_SUFFIXES:
            return True  # "3D", "7G": glued letters that are no unit of measure
        ph["unit"] = unit = num.suffix
    if unit in (None,) and num.value is not None and num.value == 1 and low in ("one", "1", "a", "an"):
        return True  # "one of them", "one day": too weak to be a figure
    # times, dates, years
    if nxt is not None and nxt.lower_ in TIME_WORDS:
        return True
    if prev is not None and (prev.lower_.rstrip(".") in MONTHS and prev.text[:1].isupper()):
        return True
    if nxt is not None and nxt.lower_.rstrip(".") in MONTHS and nxt.text[:1].isupper() and unit is None:
        return True
    if unit is None and _year_like(first) and end - cs == 1:
        if first.ent_type_ in ("DATE", "") or nxt is None or nxt.pos_ not in ("NOUN", "ADJ"):
            return True
    for t in timexes:
        if t.start <= first.idx < t.end and t.type in ("DATE", "TIME", "SET"):
            return True
    # phone numbers
    line_s = ph["text"].rfind("\n", 0, a) + 1
    line_e = ph["text"].find("\n", b)
    line_e = len(ph["text"]) if line_e < 0 else line_e
    for m in PHONE.finditer(ph["text"], line_s, line_e):
        if m.start() <= first.idx < m.end() and "." not in m.group() and unit is None:
            return True
    # names and designators ("Article 205", "Boeing 737", "No. 5", "F-16")
    if unit is None and prev is not None and ph["start"] == cs:
        digits = first.text[:1].isdigit()
        if prev.lower_ in DESIGNATORS and prev.text[:1].isupper() or (digits and prev.lower_ in DESIGNATORS_ANYCASE):
            return True
        if prev.text == "." and prev.i > 0 and doc[prev.i - 1].lower_ == "no":
            return True
        if prev.pos_ == "PROPN" and prev.i != sent.start and prev.lower_ not in N.CURRENCY_SYMBOLS and (
                prev.text[:1].isupper() or any(c.isupper() for c in prev.text[1:])):
            return True
        if digits and (prev.text in ("'", "’") and not prev.whitespace_ or prev.text in ("'s", "’s") and (
                nxt is None or nxt.pos_ not in ("NOUN", "ADJ"))):
            return True  # "iLife '11", "Boeing's 787,"
        if prev.lower_ == "the" and first.lower_ == "two" and end - cs == 1:
            return True  # "between the two companies": a reference back, not a new figure
        if digits and first.text in ph.get("names", ()) and "," not in first.text and "." not in first.text:
            return True  # the same number elsewhere in this article is part of a name
    if unit is None and nxt is not None and (nxt.lower_ in NAME_AFTER or (
            not doc[end - 1].whitespace_ and nxt.is_alpha and nxt.lower_ not in N.SHORT_SCALES)):
        return True  # "S&P 500 index", "3G"
        if prev.text in ("-", "[") and prev.i > 0 and doc[prev.i - 1].text[:1].isupper():
            return True
    if unit is None and first.ent_type_ in NAME_ENTS and not any(c in first.text for c in ",."):
        return True
    # ages: "Aliyev, 34,", "aged 35", "a 33-year-old", "35 years old", "at the age of 35"
    if unit is None and _is_age(doc, ph, prev, nxt):
        return True
    # durations other than prison terms are time expressions, not figures
    if unit is None:
        head = _counted_noun(doc, ph)
        tu = N.TIME_UNITS.get(head.lower_) if head is not None else None
        if tu is None and nxt is not None and nxt.text == "-" and end + 1 < len(doc):
            tu = N.TIME_UNITS.get(doc[end + 1].lower_)
        if tu is not None:
            if not _term_context(doc, ph, head):
                return True
            ph["unit"] = tu
            ph["duration_head"] = head
            if head is not None and head.i == end:
                ph["end"] = end + 1  # "eight years": the unit word belongs to the figure
        elif first.ent_type_ in ("DATE", "TIME", "ORDINAL") and not ph.get("age_range"):
            return True
    return False


def _name_numbers(doc: Doc) -> set[str]:
    """Digit strings this article uses as part of a name: "Boeing 737", "737s", "787-8"."""
    names = set()
    for t in doc:
        txt = t.text
        if txt[:1].isdigit():
            if txt[-1:] == "s" and txt[:-1].isdigit() and len(txt) == 4 and not txt.startswith(("18", "19", "20")):
                names.add(txt[:-1])
            m = re.match(r"^(\d+)-\w", txt)
            if m:
                names.add(m.group(1))
            if txt.isdigit() and t.i > 0:
                p = doc[t.i - 1]
                if p.pos_ == "PROPN" and p.text[:1].isupper() \
                        and p.lower_.rstrip(".") not in MONTHS and p.lower_ not in N.CURRENCY_SYMBOLS:
                    names.add(txt)
                nx = doc[t.i + 1] if t.i + 1 < len(doc) else None
                if nx is not None and nx.text == "-" and t.i + 2 < len(doc) and doc[t.i + 2].text[:1].isalnum() \
                        and not t.whitespace_ and not nx.whitespace_ and doc[t.i + 2].lower_ not in N.TIME_UNITS:
                    if not doc[t.i + 2].like_num:
                        names.add(txt)
    return names


def _year_like(tok: Token) -> bool:
    t = tok.text
    return len(t) == 4 and t.isdigit() and 1800 <= int(t) <= 2100


def _is_age(doc: Doc, ph: dict, prev: Token | None, nxt: Token | None) -> bool:
    cs, end = ph["core_start"], ph["end"]
    n = len(doc)
    num = ph["num"]
    if prev is not None and prev.lower_ in AGE_BEFORE or (
            cs >= 2 and doc[cs - 2].lower_ == "age" and doc[cs - 1].lower_ == "of"):
        if num.value is None and num.lower is not None and prev is not None and prev.lower_ == "aged":
            before = doc[prev.i - 1] if prev.i > 0 else None
            if before is not None and before.tag_ in ("NNS", "NNPS") or (before is not None and before.lower_ in PEOPLE):
                ph["age_range"] = True
                ph["unit"] = "years of age"
                return False
        return True
    if nxt is not None and nxt.text == "-" and end + 2 < n and doc[end + 1].lower_ in ("year", "years") \
            and doc[end + 2].text == "-":
        return True
    if nxt is not None and nxt.lower_.endswith("-year-old"):
        return True
    if nxt is not None and nxt.lower_ in ("years", "year") and end + 1 < n and doc[end + 1].lower_ in ("old", "of"):
        if doc[end + 1].lower_ == "old" or (end + 2 < n and doc[end + 2].lower_ == "age"):
            return True
    if prev is not None and prev.text == "," and nxt is not None and nxt.text in (",", ".", ")", "and") \
            and prev.i > 0 and (doc[prev.i - 1].pos_ == "PROPN" or doc[prev.i - 1].ent_type_ == "PERSON") \
            and num.value is not None and num.value < 120 and ph["start"] == cs:
        return True
    if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")" and prev.i > 0 \
            and doc[prev.i - 1].pos_ == "PROPN" and num.value is not None and num.value < 120:
        return True
    if prev is not None and prev.lower_ in ("under", "over") and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN")) \
            and prev.i > 0 and doc[prev.i - 1].lower_ in PEOPLE:
        return True
    return False


def _term_context(doc: Doc, ph: dict, head: Token | None) -> bool:
    """Is this duration a prison term or ban ("jailed for eight years", "20 years in prison")?"""
    anchor = head if head is not None else doc[ph["core_start"]]
    if _governor(anchor).lemma_ in TERM_VERBS:
        return True
    near = doc[anchor.i:anchor.right_edge.i + 1]
    if any(t.lower_ in TERM_NOUNS for t in near):
        return True
    # "a ten-year sentence": the noun the compound modifies
    after = doc[ph["end"]:min(len(doc), ph["end"] + 4)]
    return any(t.lower_ in TERM_NOUNS for t in after) and any(t.text == "-" for t in after)


# --- what, source, as_of ----------------------------------------------------------------

def _counted_noun(doc: Doc, ph: dict) -> Token | None:
    """The noun the number counts: the next noun after it, or the object of "of"."""
    j = ph["end"]
    n = len(doc)
    last = doc[j - 1]
    if last.head.i >= j and last.head.pos_ in ("NOUN", "PROPN") and last.head.i - j < 6:
        head = last.head
        while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
            head = head.head
        return head
    k = j
    while k < n and k - j < 5 and doc[k].pos_ in ("ADJ", "NOUN", "PROPN", "VERB") and doc[k].tag_ not in ("VBD", "VBZ", "VBP", "MD"):
        if doc[k].pos_ in ("NOUN", "PROPN") and not (k + 1 < n and doc[k + 1].pos_ in ("NOUN", "PROPN")):
            return doc[k]
        k += 1
    if j < n and doc[j].lower_ == "of":
        pobj = [c for c in doc[j].children if c.dep_ == "pobj"]
        if pobj:
            return None if pobj[0].pos_ == "PRON" else pobj[0]
        for t in doc[j + 1:min(n, j + 6)]:
            if t.pos_ in ("NOUN", "PROPN", "PRON"):
                if t.pos_ == "PRON":
                    return None
                while t.i + 1 < n and doc[t.i + 1].pos_ in ("NOUN", "PROPN") and t.dep_ == "compound":
                    t = doc[t.i + 1]
                return t
    return None


def _what(doc: Doc, ph: dict, sent: Span) -> str | None:
    head = ph.get("duration_head") or _counted_noun(doc, ph)
    duration = ph.get("duration_head") is not None
    if head is None or (head.i < ph["end"] and not duration):
        what = _subject_what(doc, ph, sent)
        if what is None and ph["unit"] is not None and ph["unit"].isupper():
            what = _money_what(doc, ph)
        return what
    left = head.i if duration else ph["end"]
    if doc[left].lower_ == "of":
        left += 1
    while left < head.i and doc[left].pos_ in ("DET", "PUNCT", "CCONJ", "ADP", "NUM"):
        left += 1
    right = head.i + 1
    for child in head.rights:
        if child.left_edge.i != right:
            break
        if child.dep_ == "cc" or (child.dep_ == "conj" and child.pos_ == "NOUN"
                                  and not any(c.dep_ == "nummod" for c in child.children)):
            right = child.i + 1 if child.dep_ == "cc" else child.right_edge.i + 1
            continue  # "women and children" is what is counted
        if child.dep_ not in QUALIFIER_DEPS:
            break
        right = child.right_edge.i + 1
    right = min(right, head.i + 1 + MAX_WHAT_RIGHT, sent.end)
    cut = [t.i for t in doc[head.i + 1:right] if t.text in (",", ";", "(", ":", "—", "\"", "“")]
    if cut:
        right = cut[0]
    while right > head.i + 1 and doc[right - 1].pos_ in ("ADP", "DET", "CCONJ", "PUNCT", "PART", "SCONJ"):
        right -= 1
    text = doc[left:right].text if left < right else head.text
    if duration and right == head.i + 1:
        near = {t.lemma_ for t in doc[max(sent.start, ph["start"] - 6):min(sent.end, ph["end"] + 8)]}
        return "ban" if "ban" in near else "prison term"
    return text or None


def _money_what(doc: Doc, ph: dict) -> str | None:
    """For an amount with no noun: the verb that moves it and where to ("sent to her son")."""
    verb = _governor(doc[ph["core_start"]])
    if verb.pos_ != "VERB":
        return None
    parts = [verb.text]
    for c in verb.rights:
        if c.dep_ == "prep" and c.i >= ph["end"] and c.right_edge.i - c.i < 6:
            parts.append(doc[c.i:c.right_edge.i + 1].text)
            break
    return " ".join(parts)


def _subject_what(doc: Doc, ph: dict, sent: Span) -> str | None:
    """For "the number of X rose to 850": the subject of the verb that governs the number."""
    tok = doc[ph["core_start"]]
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.lemma_ not in LEVEL_VERBS:
        return None
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN") and not (
                c.left_edge.i <= tok.i <= c.right_edge.i):
            s, e = c.left_edge.i, min(c.right_edge.i + 1, c.i + 1 + MAX_WHAT_RIGHT)
            while s < c.i and doc[s].pos_ in ("DET", "PUNCT"):
                s += 1
            return doc[s:e].text
    return None


def _source(doc: Doc, ph: dict, sent: Span, mentions) -> tuple[str | None, str | None]:
    tok = doc[ph["core_start"]]
    span = None
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and doc[t.i + 1].lower_ == "to":
            to = doc[t.i + 1]
            e = max([to.right_edge.i] + [c.right_edge.i for c in to.children]) + 1
            e = min(e, t.i + 14, sent.end)
            stop = [x.i for x in doc[t.i + 2:e] if x.text in (",", ";", ".")]
            e = stop[0] if stop else e
            if not (t.i <= tok.i < e):
                span = (t.i, e, None)
                break
    if span is None:
        node = tok
        while node.head.i != node.i:
            child, node = node, node.head
            if node.lemma_ in SPEECH and node.pos_ == "VERB":
                subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
                if not subj or subj[0].left_edge.i <= tok.i <= subj[0].right_edge.i:
                    continue
                s = subj[0]
                lo = s.left_edge.i if s.right_edge.i - s.left_edge.i < 15 else s.i
                hi = max(node.i, s.right_edge.i) + 1
                objs = [c for c in node.children if c.dep_ in ("dobj", "dative") and c.i > node.i
                        and c.right_edge.i - node.i < 4 and not (c.left_edge.i <= tok.i <= c.right_edge.i)]
                if objs:
                    hi = max(hi, objs[0].right_edge.i + 1)
                if lo <= tok.i < hi:
                    continue
                span = (lo, hi, s)
                break
    if span is None:
        return None, None
    s_i, e_i, subj = span
    a, b = doc[s_i].idx, doc[e_i - 1].idx + len(doc[e_i - 1])
    inside = [m for m in mentions if a <= m[0] and m[1] <= b]
    key = None
    if inside:
        if subj is not None:
            hits = [m for m in inside if m[0] <= subj.idx < m[1]]
            if hits:
                inside = hits
        key = inside[0][2]
    return ph["text"][a:b], key


def _as_of(doc: Doc, ph: dict, sent: Span, timexes: list[Timex]) -> Timex | None:
    a, b = doc[ph["start"]].idx, doc[ph["end"] - 1].idx + len(doc[ph["end"] - 1])
    s, e = sent.start_char, sent.end_char
    cands = [t for t in timexes if s <= t.start and t.end <= e and (t.end <= a or t.start >= b)]
    if not cands:
        return None
    cued = []
    for t in cands:
        m = ASOF_CUE.search(ph["text"], max(s, t.start - 20), t.start)
        if m and t.type != "DURATION" or (m and m.group(1).lower() == "since"):
            cued.append((abs(t.start - a), t, m))
    if cued:
        _, t, m = min(cued, key=lambda x: x[0])
        mod = "SINCE" if m.group(1).lower() == "since" else t.modifier
        return replace(t, start=m.start(), text=ph["text"][m.start():t.end], modifier=mod)
    verb = _governor(doc[ph["core_start"]])
    for t in cands:
        if t.type not in ("DATE", "TIME"):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and _governor(span.root).i == verb.i:
            return t
    return None


def _governor(tok: Token) -> Token:
    node = tok
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


def _claim(doc: Doc, ph: dict, sent: Span, mentions, timexes: list[Timex]) -> Claim:
    num: N.Number = ph["num"]
    lower, upper, value, approx = num.lower, num.upper, num.value, num.approximate
    cue = ph["cue"]
    if cue is not None and value is not None:
        kind, cue_approx = cue
        approx = approx or cue_approx
        if kind == "lower":
            lower = value
        elif kind == "upper":
            upper = value
    elif cue is not None and cue[1]:
        approx = True
    unit = ph["unit"]
    if unit == "USD" and ph["end"] > 0 and doc[ph["end"] - 1].lower_ in N.CENT_WORDS:
        value = value / 100 if value is not None else None
        lower = lower / 100 if lower is not None else None
        upper = upper / 100 if upper is not None else None
    a, b = doc[ph["start"]].idx, doc[ph["end"] - 1].idx + len(doc[ph["end"] - 1])
    src_text, src_key = _source(doc, ph, sent, mentions)
    rel = RELIABILITY.search(sent.text)
    return Claim(
        start=a, end=b, text=ph["text"][a:b], sentence=(sent.start_char, sent.end_char),
        value=value, lower=lower, upper=upper, approximate=approx, unit=unit,
        what=_what(doc, ph, sent), source_text=src_text, source_entity=src_key,
        as_of=_as_of(doc, ph, sent, timexes), reliability=rel.group(0) if rel else None,
    )
