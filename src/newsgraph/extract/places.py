"""Resolve the place names of one article to gazetteer entries, each with a readable reason.

`resolve_places(names, context_text)` returns, for every name, either a `PlaceResolution` or a
string saying why it stayed unresolved. Resolution is per document and runs in two passes:

1. every name gets its candidates (exact name, alternate name, then a loose transliteration
   key) and a prior: country > region > city for equal names, then population;
2. the article's evidence is gathered: the countries named in the text (names and demonyms),
   and the best first-pass reading of every *other* name (its country, its region, its point);
   each candidate is rescored with that evidence (a city in a country the article names, more
   so in the country most of its places are in; a region or county holding a town the article
   names; a town written with its region, "Paris, Texas"; a town in the county of another
   named town; a town near another named place; the
   short form of a county also named) and the best one wins.

Weak readings are refused rather than forced: a village that only shares the name, a loose
spelling match with nothing in the article pointing there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.fuzz import ratio

from ..model import PlaceResolution
from .gazetteer import Gazetteer, Place, distance_km, fold, load_gazetteer, skeleton

__all__ = ["resolve_places", "country_of_demonym", "PlaceResult"]

PlaceResult = PlaceResolution | str  # a resolution, or the reason the name stayed unresolved

_KIND_PRIOR = {"country": 6.0, "region": 3.0, "city": 0.0}
_COUNTY_PRIOR = 0.0  # a county or district ranks like a town of its population: "Cambridge" is rarely the district
_MATCH_BONUS = {"name": 1.0, "alternate": 0.0, "loose": -1.5, "demonym": 3.0, "part": 0.0}
_CAPITAL_BONUS = 5.0
_CAPITAL_BONUS_ALTERNATE = 1.0
_GENERIC_SUFFIXES = (
    " province", " region", " governorate", " oblast", " city", " state", " republic",
    " county", " district", " krai", " kray", " territory", " camp", " valley", " gorge",
)
_CAP_WORD = re.compile(r"[A-Z][\w'’.\-]*")
_NEAR_KM = 200.0
# words of building and institution names that are also the name of some region: "Convention
# Centre" is not Centre-Val de Loire, "Federal University" not the Federal District
_GENERIC_PARTS = frozenset(
    "centre center lakes lake park federal capital national international hill valley river island bay port "
    "city state union academy college university hospital school church".split()
)
_IN_DOC_COUNTRY = 3.0  # a reading in a country the article names at all
_DOMINANT_COUNTRY = 2.0  # times the share of the article's places in that country
# a town known by many more names (translations, old names) than any namesake is the one the
# world writes about: "Venice" is the Italian city, not the Californian district of nearly as
# many people; its prior outweighs the whole country evidence a namesake can get, so only
# local evidence (its region, its county, a place nearby) picks the lesser one
_FAME_MIN = 20  # names of its own at least
_FAME_RATIO = 3.0  # times as many as the next namesake's
_FAME_BONUS = _IN_DOC_COUNTRY + _DOMINANT_COUNTRY
_PASSES = 1
_PART_TOWN_MIN = 1_000  # smaller towns inside a longer name are kept only with support in the article
_IN_REGION_TOGETHER = 5.0  # a town written with its region: "Portland, Texas"
_IN_REGION_NAMED = 1.0  # a town in a region named elsewhere in the article
_SAME_COUNTY = 1.5  # a town in the county (second-level division) of another town the article names
_DIRECTIONS = frozenset("north south east west northern southern eastern western central".split())


@dataclass(slots=True)
class _Candidate:
    index: int
    place: Place
    match: str  # name | alternate | loose
    score: float = 0.0
    prior: float = 0.0
    support: tuple[str, ...] = ()
    weak: str = ""
    local: bool = False  # supported by a place nearby or around it, not only by its country


def country_of_demonym(word: str) -> str | None:
    """ISO alpha-2 code of the country a nationality word points to ("Chechen" -> "RU")."""
    demonyms = load_gazetteer().demonyms
    key = fold(word)
    for k in (key, key[:-1] if key.endswith("s") else None, key[:-2] if key.endswith("es") else None):
        if k and k in demonyms:
            return demonyms[k]
    return None


@lru_cache(maxsize=20000)
def _lookup(key: str) -> tuple[tuple[int, str], ...]:
    """Candidate (place index, how it matched) for a folded name; cached across documents."""
    gaz = load_gazetteer()
    primary, alternate = gaz.candidates(key)
    found = [(i, "name") for i in primary] + [(i, "alternate") for i in alternate if i not in primary]
    if not found:
        for suffix in _GENERIC_SUFFIXES:  # "Idlib province" -> the Idlib region or town
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                p, a = gaz.candidates(key[: -len(suffix)])
                found = [(i, "alternate") for i in p + a if gaz.places[i].kind != "country"]
                if suffix.strip() in ("province", "region", "governorate", "oblast", "state", "krai", "kray"):
                    found = [f for f in found if gaz.places[f[0]].kind == "region"] or found
                break
    if not found and len(key) >= 4:
        sk = skeleton(key)
        for i in gaz.loose.get(sk, ()) if len(sk) >= 3 else ():
            if ratio(key.replace(" ", ""), fold(gaz.places[i].name).replace(" ", "")) >= 75:
                found.append((i, "loose"))
    # keep the readings worth scoring: every country/region, the 40 largest towns
    found.sort(key=lambda f: (gaz.places[f[0]].kind != "city", gaz.places[f[0]].population), reverse=True)
    return tuple(found[:40])


def _contained_place(key: str) -> str | None:
    """The longest part of a longer name that is a country, region or town, if any; of parts
    of the same length, the one naming the highest-ranked place ("Bank of Mexico": Mexico),
    a sea or continent after any region ("Florida Atlantic University": Florida)."""
    gaz = load_gazetteer()
    words = key.split()
    rank = {"country": 3, "region": 2, "city": 1}
    for size in range(len(words) - 1, 0, -1):
        found = []
        for start in range(len(words) - size + 1):
            sub = " ".join(words[start : start + size])
            if (len(sub) < 4 and sub not in gaz.country_names) or sub in _DIRECTIONS or sub in _GENERIC_PARTS:
                continue
            p, a = gaz.candidates(sub)
            worthy = [gaz.places[i] for i in p if _contains_worthy(gaz.places[i], sub)]
            # a small town only by its own name, never by one of its alternate names
            worthy += [gaz.places[i] for i in a if _contains_worthy(gaz.places[i], sub)
                       and (gaz.places[i].kind != "city" or gaz.places[i].population >= 100_000)]
            if worthy:  # an ocean or continent in a name describes it ("Florida Atlantic University")
                found.append((max((rank[q.kind] if q.country else 1.5, q.population) for q in worthy), sub))
        if found:
            return max(found)[1]
    return None


def _contains_worthy(p: Place, key: str) -> bool:
    """A place a longer name may be read as: a country, a first-level region, a large town, a
    county named in full ("Walker County Sheriff's Office")."""
    if p.kind == "region" and p.admin2 is not None:
        return fold(p.name) == key and (len(key.split()) > 1 or p.population >= 100_000)
    return p.kind != "city" or p.population >= _PART_TOWN_MIN


def _clean(name: str) -> str:
    name = name.strip()
    name = re.sub(r"['’]s$", "", name)
    return name


def _text_countries(gaz: Gazetteer, text: str, skip: set[str]) -> Counter:
    """Countries the text names outright (country names and demonyms), by count."""
    found: Counter = Counter()
    words = [(m.start(), m.end(), m.group()) for m in _CAP_WORD.finditer(text)]
    n = len(words)
    for i in range(n):
        for j in range(i, min(i + 3, n)):
            if j > i and words[j][0] - words[j - 1][1] != 1:
                break
            key = fold(text[words[i][0] : words[j][1]])
            if key in skip:
                continue
            cc = gaz.country_names.get(key)
            if cc is None and j == i:
                cc = gaz.demonyms.get(key) or (gaz.demonyms.get(key[:-1]) if key.endswith("s") else None)
            if cc:
                found[cc] += 1
    return found


@lru_cache(maxsize=1)
def _name_counts() -> Counter:
    """How many other names (translations, old names) each place is known by: a proxy for
    how widely it is written about, beyond its population ("Venice" the Italian city, not
    the Californian district of nearly as many people)."""
    counts: Counter = Counter()
    for v in load_gazetteer().alternate.values():
        counts.update(v)
    return counts


def _prior(c: _Candidate, capitals: frozenset[int]) -> float:
    p = c.place
    kind_prior = _COUNTY_PRIOR if p.kind == "region" and p.admin2 is not None else _KIND_PRIOR[p.kind]
    score = kind_prior + math.log10(p.population + 1) + _MATCH_BONUS[c.match]
    if p.geonameid in capitals:  # news names capitals far more often than their namesakes,
        # by their name of today: "Salisbury" is rarely Harare, "Garden City" rarely Singapore
        score += _CAPITAL_BONUS if c.match == "name" else _CAPITAL_BONUS_ALTERNATE
    return score


def _famous_namesake(found: list[_Candidate], capitals: frozenset[int]) -> None:
    """The town known by far more names than any namesake (translations, old names: written
    about the world over) gets a prior that the country evidence alone does not outweigh; a
    capital has its own bonus already."""
    towns = [c for c in found if c.place.kind == "city" and c.match == "name"]
    if len(towns) < 2:
        return
    counts = sorted(((_name_counts()[c.index], id(c)) for c in towns), reverse=True)
    (top, top_id), (second, _) = counts[0], counts[1]
    if top >= _FAME_MIN and top >= _FAME_RATIO * second:
        for c in towns:
            if id(c) == top_id and c.place.geonameid not in capitals:
                c.score = c.prior = c.prior + _FAME_BONUS


def _country_name(gaz: Gazetteer, cc: str | None) -> str:
    i = gaz.country_index.get(cc or "")
    return gaz.places[i].name if i is not None else (cc or "an unknown country")


def resolve_places(names: Sequence[str], context_text: str | None = None) -> dict[str, PlaceResult]:
    """Resolve the place names of one document; unresolved names map to the reason why."""
    gaz = load_gazetteer()
    out: dict[str, PlaceResult] = {}
    cands: dict[str, list[_Candidate]] = {}
    keys: dict[str, str] = {}
    for name in dict.fromkeys(names):
        cleaned = _clean(name)
        if not any(ch.isupper() for ch in cleaned):
            out[name] = "not a proper name (no capital letter)"
            continue
        key = fold(cleaned)
        keys[name] = key
        if key in _DIRECTIONS:
            out[name] = "a direction, not a place"
            continue
        found = [_Candidate(i, gaz.places[i], m) for i, m in _lookup(key)] if key else []
        cc = country_of_demonym(cleaned)
        if cc and cc in gaz.country_index:  # "Turkish", "Chechens": the country they belong to
            i = gaz.country_index[cc]
            found = [c for c in found if c.match != "loose" and c.index != i]
            own = [c for c in found if c.place.kind == "region" and c.place.country == cc]
            # "English", "Sicilian": the part of that country the word belongs to, when the gazetteer knows it
            found = own or found + [_Candidate(i, gaz.places[i], "demonym")]
        part = None
        if not found:
            part = _contained_place(key)
            if part:  # "Colorado State University", "Port of Rotterdam": the place it names
                found = [_Candidate(i, gaz.places[i], "part") for i, m in _lookup(part)
                         if _contains_worthy(gaz.places[i], part) and (m == "name" or (
                             m == "alternate" and (gaz.places[i].kind != "city" or gaz.places[i].population >= 100_000)))]
            else:  # "Mexican Senate", "British Embassy": the country of its nationality word
                ccs = [country_of_demonym(w) for w in cleaned.split()[:-1] if w[:1].isupper()]
                ccs = [cc for cc in ccs if cc in gaz.country_index]
                if len(ccs) == 1:
                    i = gaz.country_index[ccs[0]]
                    found = [_Candidate(i, gaz.places[i], "part")]
        if not found:
            out[name] = "no place of this name in the gazetteer"
            continue
        for c in found:
            c.score = c.prior = _prior(c, gaz.capitals)
        _famous_namesake(found, gaz.capitals)
        cands[name] = found

    # evidence from the first pass: each name's best reading; then once more from the second
    # pass's readings, so that names that only agree with each other settle together
    best = {n: max(cs, key=lambda c: c.score) for n, cs in cands.items()}
    short_for = _short_forms(cands, keys, best)
    text_cc = _text_countries(gaz, context_text, set(keys.values())) if context_text else Counter()
    together = _town_with_region(cands, context_text) if context_text else {}
    for _ in range(_PASSES):
        best = {name: _rescored(gaz, name, cs, best, keys, text_cc, context_text or "", short_for.get(name),
                                together.get(name, {}))
                for name, cs in cands.items()}
    for name, cs in cands.items():
        held = _held_elsewhere(name, cs, best, context_text)
        refusal = None if held else _refusal(best[name], name)
        out[name] = held or refusal or _resolution(gaz, best[name], cs)
    return out


def _held_elsewhere(name: str, cs: list[_Candidate], best: dict[str, _Candidate],
                    text: str | None) -> PlaceResolution | None:
    """A town the text writes with a region of another country than its best reading, where
    the gazetteer has no town of that name ("Rockingham, Northamptonshire" with only American
    and Australian Rockinghams): the text says where it lies, so it is put at that region."""
    town = best[name].place
    if not text or town.kind != "city":
        return None
    for other, b in best.items():
        r = b.place
        if (other == name or r.kind != "region" or r.country is None or r.admin1 is None
                or b.match not in ("name", "alternate")  # a region read by its own name, not a guess
                or r.country == town.country or not _written_together(text, name, other)):
            continue
        if any(c.place.country == r.country and c.place.admin1 == r.admin1
               and (r.admin2 is None or c.place.admin2 == r.admin2) for c in cs):
            continue  # the namesake in that region is a candidate: the region bonus decides
        return PlaceResolution(
            geonameid=None, name=name, lat=round(r.lat, 5), lon=round(r.lon, 5), country=r.country,
            precision="region",
            reason=f"written as {name}, {other}, and the gazetteer has no {name} there; put at {r.name}",
        )
    return None


def _town_with_region(cands: dict[str, list[_Candidate]], text: str) -> dict[str, dict[tuple, str]]:
    """Pairs the text writes as "town, region" where some reading of the town lies in some reading
    of the region ("Athens, Georgia": the Athens of the US state), whatever each name's best reading
    alone: name -> {(country, admin1): the other name, written as "town, region"}."""
    out: dict[str, dict[tuple, str]] = {}
    regions = {name: {(c.place.country, c.place.admin1) for c in cs
                      if c.place.kind == "region" and c.place.admin2 is None and c.match != "loose"}
               for name, cs in cands.items()}
    for town, tcs in cands.items():
        in_regions = {(c.place.country, c.place.admin1) for c in tcs if c.place.kind == "city" and c.match != "loose"}
        for region, keys in regions.items():
            shared = keys & in_regions
            if region == town or not shared or not _written_together(text, town, region):
                continue
            for k in shared:
                out.setdefault(town, {})[k] = out.setdefault(region, {})[k] = f"{town}, {region}"
    return out


def _rescored(gaz: Gazetteer, name: str, cs: list[_Candidate], best: dict[str, _Candidate],
              keys: dict[str, str], text_cc: Counter, text: str = "", long_form: str | None = None,
              together: dict[tuple, str] | None = None) -> _Candidate:
    """Score one name's candidates against the other names' current readings; the best one."""
    others = [b for n, b in best.items() if n != name and keys[n] != keys[name]]
    other_cc = Counter(b.place.country for b in others)
    regions = {(b.place.country, b.place.admin1): b.place.name for b in others
               if b.place.kind == "region" and b.place.admin2 is None}
    counties = {(b.place.country, b.place.admin1, b.place.admin2): b.place.name for b in others
                if b.place.kind == "region" and b.place.admin2 is not None}
    towns = {(b.place.country, b.place.admin1): b.place.name for b in others if b.place.kind == "city"}
    town_counties = {(b.place.country, b.place.admin1, b.place.admin2): b.place.name for b in others
                     if b.place.kind == "city" and b.place.admin2}
    points = [b.place for b in others if b.place.kind != "country"]
    county_towns: dict[tuple, dict[int, str]] = {}
    for b in others:
        if b.place.kind == "city" and b.place.admin2:
            county_towns.setdefault((b.place.country, b.place.admin1, b.place.admin2), {}).setdefault(b.index, b.place.name)
    doc_cc = (set(other_cc) | set(text_cc)) - {None}
    # the article's country profile: its other places and the countries it names outright
    votes = Counter({cc: n for cc, n in other_cc.items() if cc}) + Counter({cc: min(n, 3) for cc, n in text_cc.items()})
    total = sum(votes.values())
    # "Cambridge Analytica", "Washington Post": a name the text writes only inside a longer
    # name is a firm's or a team's; the countries of the article say nothing of which namesake
    # it is, only its region or county named beside it do
    embedded = bool(text) and _only_inside_longer_names(text, name)
    for c in cs:
        p, support = c.place, []
        c.score, c.weak = c.prior, ""
        n_country = 0
        if p.kind == "country":
            if other_cc.get(p.country):
                support.append(f"the article names places in it ({_first(others, p.country)})")
                c.score += 3.0
            elif text_cc.get(p.country):
                support.append("the article names its people")
                c.score += 1.5
        else:
            if p.country is not None and p.country in doc_cc and not embedded:
                share = votes[p.country] / total if total else 0.0
                c.score += _IN_DOC_COUNTRY + _DOMINANT_COUNTRY * share
                if share >= 0.5 and total >= 3:
                    support.append(f"in {_country_name(gaz, p.country)}, where most of the article's places are")
                else:
                    support.append(f"in {_country_name(gaz, p.country)}, which the article also names")
                n_country = 1
            county = (p.country, p.admin1, p.admin2)
            if p.kind == "region" and p.admin2 is not None:  # a county or district
                if county in town_counties:
                    c.score += 2.0
                    support.append(f"holds {town_counties[county]}, also named")
                if (p.country, p.admin1) in regions:
                    c.score += 2.0
                    support.append(f"in {regions[(p.country, p.admin1)]}, also named")
            elif p.kind == "region" and (p.country, p.admin1) in towns:
                c.score += 2.0
                support.append(f"holds {towns[(p.country, p.admin1)]}, also named")
            if together and (p.country, p.admin1) in together and (p.kind == "city" or p.admin2 is None):
                # "Athens, Georgia": the town of that name in the region of that name, and that
                # region, even where each name alone reads as something bigger (Greece's capital,
                # the country Georgia)
                c.score += _IN_REGION_TOGETHER + (0.0 if n_country else _IN_DOC_COUNTRY)  # the region names its country
                support.append(f"written as {together[(p.country, p.admin1)]}")
            elif p.kind == "city" and (p.country, p.admin1) in regions:
                region = regions[(p.country, p.admin1)]
                if _written_together(text, name, region):
                    c.score += _IN_REGION_TOGETHER  # outweighs the capital prior: "Paris, Texas"
                    support.append(f"written as {name}, {region}")
                else:
                    c.score += _IN_REGION_NAMED
                    support.append(f"in {region}, also named")
            if p.kind == "city" and p.admin2 and county in counties:
                c.score += 3.0
                support.append(f"in {counties[county]}, also named")
            elif p.kind == "city" and p.admin2 and any(i != c.index for i in county_towns.get(county, {})):
                c.score += _SAME_COUNTY  # "Virginia" beside Cavan and Ballyjamesduff: the Irish town
                other = next(n for i, n in county_towns[county].items() if i != c.index)
                support.append(f"in the same county as {other}, also named")
            near = next((q for q in points if q is not p and distance_km(p.lat, p.lon, q.lat, q.lon) < _NEAR_KM), None)
            if near is not None and not embedded:
                c.score += 1.5
                support.append(f"near {near.name}, also named")
        if long_form is not None and best[long_form].index == c.index:
            c.score += 4.0
            support.append(f"short for {long_form}, also named")
        c.support = tuple(support)  # the evidence strong enough to keep a weak reading
        c.local = p.kind != "country" and len(support) > n_country
        if not support and not embedded and p.country and any(nb in doc_cc for nb in gaz.neighbours.get(p.country, ())):
            c.score += 1.0
            c.weak = "borders a country the article names"
    seats: dict[tuple, tuple[float, str, int]] = {}
    for c in cs:
        if c.place.kind == "region":
            k = (c.place.country, c.place.admin1) if c.place.admin2 is None else (c.place.country, c.place.admin1, c.place.admin2)
            if k not in seats or seats[k][0] < c.score:
                seats[k] = (c.score, c.match, c.place.population)
    for c in cs:  # "Almaty", "Dushanbe", "Idleb": the town, not the region named after it
        p = c.place
        if p.kind != "city" or c.match == "loose":
            continue
        for k in ((p.country, p.admin1), (p.country, p.admin1, p.admin2)):
            # an alternate name of the town wins over the region's own name only for a town
            # holding a quarter of the region's people ("New York" is the city; "Montana" the
            # state, not Montana City)
            if k in seats and (c.match == "name" or (c.match == "alternate" and seats[k][1] == "alternate")
                               or 4 * p.population >= seats[k][2]):
                c.score = max(c.score, seats[k][0] + 0.5)
    return max(cs, key=lambda c: (c.score, c.place.population))


def _short_forms(cands: dict[str, list[_Candidate]], keys: dict[str, str],
                 best: dict[str, _Candidate]) -> dict[str, str]:
    """Names that are the short form of a county the article also names ("Suffolk" beside
    "Suffolk County"), each with that longer name; its reading joins the short name's candidates."""
    long_of = {keys[n][: -len(" county")]: n for n in cands if keys[n].endswith(" county")}
    out = {}
    for name, cs in cands.items():
        long_name = long_of.get(keys[name])
        if long_name is None or long_name == name:
            continue
        reading = best[long_name]
        if all(c.index != reading.index for c in cs):
            extra = _Candidate(reading.index, reading.place, "alternate")
            extra.score = extra.prior = reading.prior
            cs.append(extra)
        out[name] = long_name
    return out


def _only_inside_longer_names(text: str, name: str) -> bool:
    """Whether the text writes the name only as the first word(s) of a longer proper name
    ("Cambridge Analytica"); a name the text never writes alone says nothing of its place."""
    start, seen = text.find(name), False
    while start >= 0:
        end = start + len(name)
        before, after = text[start - 1 : start], text[end : end + 3]
        if not (before.isalnum() or before == "-" or after[:1].isalnum()):  # a whole word
            if not (len(after) == 3 and after[0] == " " and after[1].isupper() and after[2].islower()):
                return False
            seen = True
        start = text.find(name, end)
    return seen


def _written_together(text: str, town: str, region: str) -> bool:
    """Whether the text writes the town with its region: "Paris, Texas", "Paris (Texas)".
    Without a text, the names alone are all there is: taken as written together."""
    return not text or any(f"{town}{sep}{region}" in text for sep in (", ", " (", ","))


def _first(others: list[_Candidate], cc: str | None) -> str:
    return next(b.place.name for b in others if b.place.country == cc)


def _refusal(best: _Candidate, name: str) -> str | None:
    """Why the best reading is too weak to keep, or None when it is good enough."""
    p = best.place
    if p.kind == "region" and p.country and best.match == "loose" and not best.support:
        return f"only a loose spelling match ({p.name}, a region of {p.country}) with no support in the article"
    if p.kind != "city" or p.geonameid is None:  # regions and curated sites are never far-fetched
        return None
    if best.match == "part" and p.population < 100000 and not best.local:
        return f"names a place only in part ({p.name}, pop. {p.population:,})"
    if best.match == "loose" and not best.support and p.population < 100000:
        return f"only a loose spelling match ({p.name}, pop. {p.population:,}) with no support in the article"
    if not best.support and p.population < (1000 if best.match == "name" else 5000):
        return (
            f"only small places are called {name!r} (largest: {p.name}, {p.country}, pop. {p.population:,}) "
            "and nothing else in the article points there"
        )
    return None


def _resolution(gaz: Gazetteer, best: _Candidate, cs: list[_Candidate]) -> PlaceResolution:
    p = best.place
    if best.match == "demonym":
        what = f"nationality word for {p.name}"
    elif p.kind == "country":
        what = "country named in text"
    elif p.kind == "region":
        what = f"region of {_country_name(gaz, p.country)}" if p.country else "region beyond one country"
    elif p.geonameid in gaz.capitals:
        what = f"capital of {_country_name(gaz, p.country)}"
    else:
        what = f"city in {_country_name(gaz, p.country)}"
    bits = [what]
    if best.match == "alternate":
        bits.append(f"known as {p.name}")
    elif best.match == "loose":
        bits.append(f"spelling variant of {p.name}")
    elif best.match == "part":
        bits.insert(0, f"the place inside a longer name ({p.name})")
    bits.extend(best.support)
    if best.weak:
        bits.append(best.weak)
    if len(cs) == 1:
        bits.append("only candidate")
    else:
        same_kind = [c for c in cs if c.place.kind == p.kind]
        if p.population and p.population >= max(c.place.population for c in same_kind):
            bits.append(f"largest of {len(cs)} candidates")
        else:
            bits.append(f"{len(cs)} candidates")
    return PlaceResolution(
        geonameid=p.geonameid,
        name=p.name,
        lat=round(p.lat, 5),
        lon=round(p.lon, 5),
        country=p.country,
        precision=p.kind,
        reason="; ".join(bits),
    )
