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

Number phrases are read by `numbers.py`; what, source and as_of by `figure_context.py`;
this module decides what is a figure and builds the `Claim`s.

Decisions: ranges and vague amounts state no single number, so `value` is None and
`lower`/`upper` hold what the words allow ("hundreds" is 200 to 999). Durations are figures
only as prison terms or bans ("eight years in prison", unit "years"); other durations are
time expressions. Age ranges of groups ("children aged two to nine") are figures with unit
"years of age"; the age of one person ("Aliyev, 34,") is not. "X to Y" after a change word
("fell $2.86 to $77.11") is two figures, not a range; "one in ten" is 10 percent.
`as_of` is a Timex from `timexes` in the figure's sentence: one introduced by "as of", "by",
"since" ... (its text then starts with that word; "since" sets modifier SINCE), else one in
the same clause, else the date of the event whose participant the figure counts
(`date_by_events`, with the reason); never the publication date.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..model import Claim, Event, LocalEntity, Timex
from . import numbers as N
from .figure_context import as_of, counted_noun, governor, source_of, what_phrase

__all__ = ["extract_claims"]

FURNITURE_LINE = re.compile(
    r"^\s*(read more|related|see also|also read|more on this|more:|watch:|listen:|recommended|"
    r"most read|trending|photo:|image:|©|copyright|share this|follow us|subscribe|sign up|"
    r"advertisement|click here|top stories|latest news|more from|\(c\)|most (read|popular|viewed)|"
    r"you (may|might) also like|editor'?s picks)", re.I)
# A short line that heads a list of other stories.
FURNITURE_HEADER = re.compile(
    r"^(most (read|popular|viewed|shared)|related( coverage| stories| articles| news)?|more (stories|news|from|on)|"
    r"you (may|might) also like|recommended|trending|top stories|latest news|editor'?s picks|"
    r"popular|see also|also read|read more|further reading)\b", re.I)
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


def extract_claims(doc: Doc, entities: list[LocalEntity], timexes: list[Timex]) -> list[Claim]:
    """The figures `doc` states, in order. Offsets are into `doc.text`."""
    text = doc.text
    sents = _sentences(doc)
    sent_starts = [s.start for s in sents]
    furniture = _furniture_spans(text)
    mentions = sorted((m.start, m.end, e.key, e.label) for e in entities for m in e.mentions)
    names = _name_numbers(doc)
    claims: list[Claim] = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if not N.may_start(tok):
            i += 1
            continue
        found = N.figure_phrase_at(doc, i)
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
        claim = _claim(doc, ph, sent, mentions, timexes)
        if ph.get("age_range") and ph["start"] >= 2:
            claim.what = doc[ph["start"] - 2].text  # "children aged two to nine"
        end = ph["end"]
        if claim.what is None and claims and end + 1 < n and doc[end].lower_ == "of" \
                and doc[end + 1].pos_ == "PRON" and claims[-1].sentence[0] >= sent.start_char - 400:
            claim.what = claims[-1].what  # "nearly 40 of them": them are what the figure before counts
        claims.append(claim)
    return claims


# --- what is not a figure ---------------------------------------------------------------

def _sentences(doc: Doc) -> list[Span]:
    """spaCy's sentences, also split at blank lines (a headline or byline is its own sentence)."""
    out = []
    for sent in doc.sents:
        start = sent.start
        for t in sent:
            if t.is_space and t.text.count("\n") >= 2 and t.i > start:
                out.append(doc[start:t.i])
                start = t.i + 1
        if start < sent.end:
            out.append(doc[start:sent.end])
    return out


def _furniture_spans(text: str) -> list[tuple[int, int]]:
    """Lines of page furniture: "Read more: ..." lines, and the headline lists that follow a
    "Most read" / "Related coverage" header, up to the next blank line."""
    spans, pos, in_block = [], 0, False
    for line in text.split("\n"):
        stripped = line.strip()
        if FURNITURE_LINE.match(line) or (in_block and stripped):
            spans.append((pos, pos + len(line)))
            in_block = in_block or (len(stripped) <= 40 and FURNITURE_HEADER.match(stripped) is not None)
        elif not stripped:
            in_block = False
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
    if first.text.isdigit() and (cs == 0 or "\n" in doc[cs - 1].text_with_ws or doc[cs - 1].is_space) \
            and nxt is not None and nxt.text in (".", ")") and ph["start"] == cs:
        return True  # "2. Heavy rain closes ...": a list marker
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
        head = counted_noun(doc, ph)
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
                after = doc[t.i + 2] if nx is not None and nx.text == "-" and t.i + 2 < len(doc) else None
                if after is not None and after.text.isdigit() and not t.whitespace_ and not nx.whitespace_ \
                        and int(after.text) < int(txt):
                    names.update((txt, after.text))  # "787-8": a model, not a range
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
    if governor(anchor).lemma_ in TERM_VERBS:
        return True
    near = doc[anchor.i:anchor.right_edge.i + 1]
    if any(t.lower_ in TERM_NOUNS for t in near):
        return True
    # "a ten-year sentence": the noun the compound modifies
    after = doc[ph["end"]:min(len(doc), ph["end"] + 4)]
    return any(t.lower_ in TERM_NOUNS for t in after) and any(t.text == "-" for t in after)


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
    src_text, src_key = source_of(doc, ph, sent, mentions)
    rel = RELIABILITY.search(sent.text)
    return Claim(
        start=a, end=b, text=ph["text"][a:b], sentence=(sent.start_char, sent.end_char),
        value=value, lower=lower, upper=upper, approximate=approx, unit=unit,
        what=_squash(what_phrase(doc, ph, sent)), source_text=_squash(src_text), source_entity=src_key,
        as_of=as_of(doc, ph, sent, timexes), reliability=rel.group(0) if rel else None,
    )


def date_by_events(text: str, claims: list[Claim], events: list[Event], timexes: list[Timex]) -> None:
    """A count with no date of its own, of the people an event happened to, takes that event's
    date: "Thirty women ... were flown to Almaty" with the flight dated. The reason says so.
    Not from a present perfect ("has brought back more than 300 children": the count runs up to
    the day of writing, whatever date the clause names), and not a date from another sentence
    when the figure's own sentence has one that was not taken for it."""
    for c in claims:
        if c.as_of is not None or c.unit is not None:
            continue
        own_dates = [t for t in timexes if c.sentence[0] <= t.start < c.sentence[1] and t.type in ("DATE", "TIME")]
        for ev in events:
            if ev.date is None or ev.date.type not in ("DATE", "TIME") or not ev.date.value:
                continue
            if _PRESENT_PERFECT.search(text, max(0, ev.trigger_start - 30), ev.trigger_start):
                continue
            if own_dates and not c.sentence[0] <= ev.date.start < c.sentence[1]:
                continue
            p = next((p for p in ev.participants if p.role not in ("origin", "destination")
                      and p.start <= c.start and c.end <= p.end), None)
            if p is not None:
                why = f"the date of the {ev.type.lower()} '{ev.trigger_text}' whose {p.role} it counts"
                c.as_of = replace(ev.date, reason=f"{why}; {ev.date.reason}" if ev.date.reason else why)
                break


_PRESENT_PERFECT = re.compile(r"\b(?:has|have|'ve)\s+(?:(?:\w+ly|already|not|never|just|also|now|so far)\s+)?(?:been\s+)?$", re.I)


def _squash(text: str | None) -> str | None:
    """Line breaks and runs of spaces inside a phrase read as one space."""
    return " ".join(text.split()) if text else text
